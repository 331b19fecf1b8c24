"""The pipeline: load → generate → score → aggregate → store → report.

Each stage reads only what the stage before produced, so `score_run`
re-scores a saved run without generating, and the report step re-renders
from the run directory. Work is done in batches; every finished batch is
committed to the content-addressed cache before the next starts, so an
interrupted run resumes where it stopped.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from harness.backend import BuildContext, Generation, Summarizer, build_backend
from harness.benchmark import load_benchmark
from harness.config import RunConfig, parse_config
from harness.errors import BackendError, HarnessError, StoreError
from harness.meta_eval import meta_evaluate
from harness.metric import Metric, MetricEntry, MetricInput, MetricResult, build_metric
from harness.outdir import REPORT_FILES, stage_run
from harness.preflight import preflight
from harness.records import Example, Output, Score, content_hash
from harness.stats import bootstrap_mean, compare_paired, to_array
from harness.store import (
    CONFIG_FILE,
    EXAMPLES_FILE,
    MANIFEST_FILE,
    OUTPUTS_FILE,
    RESULTS_FILE,
    SCORES_FILE,
    Cache,
    RunDir,
)

METRIC_BATCH = 64
#: What a re-score or re-render reads from the run directory and keeps as it is.
RUN_INPUTS = (CONFIG_FILE, EXAMPLES_FILE, OUTPUTS_FILE)
#: What a re-score writes.
RESCORE_FILES = (SCORES_FILE, RESULTS_FILE, *REPORT_FILES)
#: How the reason of an item that made its metric raise begins (never cached).
METRIC_ERROR = "metric error"
_PACKAGES = (
    "harness",
    "pydantic",
    "numpy",
    "scipy",
    "networkx",
    "rouge-score",
    "spacy",
    "torch",
    "transformers",
    "sentence-transformers",
    "bert-score",
    "openai",
)


@dataclass
class StageClock:
    """Wall-clock seconds per pipeline stage, for the manifest."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a ``with`` block under ``name``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - start, 3)


def make_progress(console: Console) -> Progress:
    """The progress bar used by every long loop."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# generation -----------------------------------------------------------------
def _generation_key(summarizer: Summarizer, example: Example) -> str:
    return content_hash([summarizer.fingerprint.digest(), example.source])


def _safe_summarize(summarizer: Summarizer, batch: Sequence[Example]) -> list[Generation]:
    try:
        generations = summarizer.summarize(batch)
    except HarnessError:
        raise
    except Exception as error:  # a backend's own bug fails the batch, not the run
        message = f"backend failed for the whole batch: {type(error).__name__}: {error}"
        return [Generation.failed(message) for _ in batch]
    if len(generations) != len(batch):
        message = f"backend returned {len(generations)} results for {len(batch)} examples"
        return [Generation.failed(message) for _ in batch]
    return [_unicode_checked(generation) for generation in generations]


def _unicode_checked(generation: Generation) -> Generation:
    # A lone UTF-16 surrogate (a model or program that cut a character in
    # half) has no UTF-8 form: it could be written neither to the cache nor to
    # the run files. It fails that example, with the position, instead.
    if generation.summary is None:
        return generation
    try:
        generation.summary.encode("utf-8")
    except UnicodeEncodeError as error:
        return Generation.failed(
            f"the summary is not valid Unicode text: {error.reason} at character {error.start}"
        )
    return generation


def generate(
    examples: Sequence[Example],
    systems: Sequence[tuple[str, Summarizer, int]],
    cache: Cache,
    progress: Progress,
    *,
    max_failures: int | None = None,
) -> list[Output]:
    """Run every system over every example, reusing cached generations.

    Args:
        examples: The benchmark examples.
        systems: (system name, summarizer, batch size) triples.
        cache: Generation cache; each finished batch is committed at once.
        progress: Progress display.
        max_failures: Stop once more than this many generations (all systems
            together) have failed in this run; ``None`` never stops.

    Returns:
        One `Output` per (system, example), systems in config order.

    Raises:
        BackendError: More than ``max_failures`` generations failed. The
            batches finished before that stay in the cache.
    """
    outputs: list[Output] = []
    failed = 0
    for name, summarizer, batch_size in systems:
        keys = [_generation_key(summarizer, ex) for ex in examples]
        cached = cache.get_many("generation", keys) if summarizer.cacheable else {}
        by_id: dict[str, Output] = {}
        todo: list[Example] = []
        for example, key in zip(examples, keys, strict=True):
            if key in cached:
                hit = cached[key]
                by_id[example.id] = Output(
                    example_id=example.id,
                    system=name,
                    summary=hit["summary"],
                    latency_s=hit["latency_s"],
                    truncated_tokens=hit.get("truncated_tokens"),
                )
            else:
                todo.append(example)
        task = progress.add_task(f"generate {escape(name)}", total=len(examples))
        progress.advance(task, len(examples) - len(todo))
        for batch in _batches(todo, batch_size):
            start = time.perf_counter()
            generations = _safe_summarize(summarizer, batch)
            latency = round((time.perf_counter() - start) / len(batch), 6)
            fresh: dict[str, Any] = {}
            for example, generation in zip(batch, generations, strict=True):
                by_id[example.id] = Output(
                    example_id=example.id,
                    system=name,
                    summary=generation.summary,
                    error=generation.error,
                    latency_s=latency,
                    truncated_tokens=generation.truncated_tokens,
                )
                if generation.error is None and summarizer.cacheable:
                    fresh[_generation_key(summarizer, example)] = {
                        "summary": generation.summary,
                        "latency_s": latency,
                        "truncated_tokens": generation.truncated_tokens,
                    }
            cache.put_many("generation", fresh)
            progress.advance(task, len(batch))
            failed += sum(generation.error is not None for generation in generations)
            if max_failures is not None and failed > max_failures:
                last = next(by_id[ex.id] for ex in reversed(batch) if by_id[ex.id].error)
                raise BackendError(
                    f"stopped after {failed} failed generations (max_failures={max_failures}); "
                    f"last error: system {name!r}, example {last.example_id!r}: {last.error}",
                    hint="fix the cause and run again (finished generations are cached), "
                    "or raise --max-failures",
                )
        outputs.extend(by_id[example.id] for example in examples)
    return outputs


# scoring --------------------------------------------------------------------
def skip_reason(entry: MetricEntry, example: Example, output: Output) -> str | None:
    """Why a pair cannot be scored by ``entry`` (its values are then null), else None."""
    if output.error is not None or output.summary is None:
        return f"generation failed: {output.error}"
    if "source" in entry.requires and not example.source.strip():
        return "empty source"
    if not output.summary.strip():
        return "empty summary"
    if "reference" in entry.requires and not any(ref.strip() for ref in example.references):
        return "no reference"
    return None


def _score_key(entry: MetricEntry, metric: Metric, item: MetricInput) -> str:
    # References are always part of the key: metrics such as ``numbers`` use
    # them when present (recall) without requiring them.
    parts: list[Any] = [metric.fingerprint.digest(), item.summary, list(item.example.references)]
    if "source" in entry.requires:
        parts.append(item.example.source)
    return content_hash(parts)


def _item_error(error: Exception) -> MetricResult:
    return MetricResult(values={}, reason=f"{METRIC_ERROR}: {type(error).__name__}: {error}")


def _safe_score(metric: Metric, batch: Sequence[MetricInput]) -> list[MetricResult]:
    """Score a batch; an item that makes the metric raise becomes that item's error.

    A `HarnessError` (a missing dependency, a metric that cannot run at all)
    still ends the stage: it is the same for every item. Any other exception
    is retried item by item, so the items that do not raise are scored and the
    one that does is recorded with the reason (and never cached).
    """
    try:
        results = metric.score(batch)
        if len(results) != len(batch):
            raise RuntimeError(f"metric returned {len(results)} results for {len(batch)} inputs")
        return results
    except HarnessError:
        raise
    except Exception as error:
        if len(batch) == 1:
            return [_item_error(error)]
    return [result for item in batch for result in _safe_score(metric, [item])]


def score(
    examples: Sequence[Example],
    outputs: Sequence[Output],
    metrics: Sequence[tuple[MetricEntry, Metric]],
    cache: Cache,
    progress: Progress,
) -> list[Score]:
    """Score every output with every metric, reusing cached scores.

    Returns:
        One `Score` per (metric, output), in metric then output order.
    """
    by_id = {example.id: example for example in examples}
    scores: list[Score] = []
    for entry, metric in metrics:
        names = [spec.name for spec in entry.values]
        results: list[MetricResult | None] = [None] * len(outputs)
        pending: list[tuple[int, MetricInput, str]] = []
        for index, output in enumerate(outputs):
            example = by_id[output.example_id]
            reason = skip_reason(entry, example, output)
            if reason is not None:
                results[index] = MetricResult(values={}, reason=reason)
                continue
            assert output.summary is not None
            item = MetricInput(example=example, summary=output.summary)
            pending.append((index, item, _score_key(entry, metric, item)))
        cached = cache.get_many("score", [key for _, _, key in pending])
        todo = []
        for index, item, key in pending:
            if key in cached:
                results[index] = MetricResult(**cached[key])
            else:
                todo.append((index, item, key))
        task = progress.add_task(f"score {escape(entry.name)}", total=len(outputs))
        progress.advance(task, len(outputs) - len(todo))
        for batch in _batches(todo, METRIC_BATCH):
            fresh: dict[str, Any] = {}
            computed = _safe_score(metric, [item for _, item, _ in batch])
            for (index, _, key), result in zip(batch, computed, strict=True):
                results[index] = result
                if result.reason is None or not result.reason.startswith(METRIC_ERROR):
                    fresh[key] = {
                        "values": result.values,
                        "findings": result.findings,
                        "reason": result.reason,
                    }
            cache.put_many("score", fresh)
            progress.advance(task, len(batch))
        for output, maybe in zip(outputs, results, strict=True):
            assert maybe is not None
            scores.append(
                Score(
                    example_id=output.example_id,
                    system=output.system,
                    metric=entry.name,
                    values={name: _clean(maybe.values.get(name)) for name in names},
                    findings=maybe.findings,
                    reason=maybe.reason,
                )
            )
    return scores


def _clean(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if number != number else number  # nan → null


# aggregation ----------------------------------------------------------------
def aggregate(
    config: RunConfig,
    metrics: Sequence[MetricEntry],
    outputs: Sequence[Output],
    scores: Sequence[Score],
    examples: Sequence[Example],
) -> dict[str, Any]:
    """results.json: per system and value, mean with bootstrap CI, n, nulls; failures;
    and each system's paired comparison with the baseline.

    ``comparisons[system][value]`` compares ``system`` with
    ``config.baseline_system()`` on the examples where both define the value:
    mean difference (system − baseline) with a paired-bootstrap CI, a
    sign-flip permutation p-value, its Holm adjustment across the system's
    values, ``significant`` (``p_holm < stats.alpha``) and wins/ties/losses.

    Deterministic given the scores and ``config.seed``.
    """
    systems = [system.name for system in config.systems]
    failures = {name: 0 for name in systems}
    errors: dict[str, list[dict[str, str]]] = {name: [] for name in systems}
    truncated = {name: 0 for name in systems}
    for output in outputs:
        if output.truncated_tokens:
            truncated[output.system] += 1
        if output.error is not None:
            failures[output.system] += 1
            errors[output.system].append({"example_id": output.example_id, "error": output.error})
    metric_errors: dict[str, list[dict[str, str]]] = {name: [] for name in systems}
    columns: dict[tuple[str, str], list[float | None]] = {}
    by_example: dict[tuple[str, str], dict[str, float | None]] = {}
    for item in scores:
        if item.reason is not None and item.reason.startswith(METRIC_ERROR):
            metric_errors[item.system].append(
                {"example_id": item.example_id, "metric": item.metric, "error": item.reason}
            )
        for name, value in item.values.items():
            columns.setdefault((item.system, f"{item.metric}.{name}"), []).append(value)
            by_example.setdefault((item.system, f"{item.metric}.{name}"), {})[item.example_id] = (
                value
            )
    values_meta: dict[str, dict[str, Any]] = {}
    for entry in metrics:
        for spec in entry.values:
            values_meta[f"{entry.name}.{spec.name}"] = {
                "metric": entry.name,
                "higher_is_better": spec.higher_is_better,
                "description": spec.description,
            }
    results: dict[str, dict[str, Any]] = {}
    for system in systems:
        per_value: dict[str, Any] = {}
        for value_name in values_meta:
            summary = bootstrap_mean(
                to_array(columns.get((system, value_name), [])),
                resamples=config.stats.resamples,
                confidence=config.stats.confidence,
                seed=config.seed,
            )
            per_value[value_name] = summary.to_json()
        results[system] = per_value
    baseline = config.baseline_system()
    example_ids = list(dict.fromkeys(output.example_id for output in outputs))
    directions = {name: meta["higher_is_better"] for name, meta in values_meta.items()}
    comparisons: dict[str, dict[str, Any]] = {}
    for system in systems:
        if system == baseline:
            continue
        pairs = {}
        for value_name in values_meta:
            mine = by_example.get((system, value_name), {})
            theirs = by_example.get((baseline, value_name), {})
            pairs[value_name] = (
                to_array([mine.get(example_id) for example_id in example_ids]),
                to_array([theirs.get(example_id) for example_id in example_ids]),
            )
        compared = compare_paired(
            pairs,
            directions,
            resamples=config.stats.resamples,
            confidence=config.stats.confidence,
            alpha=config.stats.alpha,
            seed=config.seed,
        )
        comparisons[system] = {name: item.to_json() for name, item in compared.items()}
    return {
        "name": config.name,
        "seed": config.seed,
        "confidence": config.stats.confidence,
        "alpha": config.stats.alpha,
        "n_examples": len(examples),
        "systems": systems,
        "values": values_meta,
        "failures": failures,
        "truncated": truncated,
        "errors": errors,
        "metric_errors": metric_errors,
        "results": results,
        "baseline": baseline,
        "comparisons": comparisons,
        "meta_eval": meta_evaluate(
            examples,
            scores,
            values_meta,
            config.meta_eval,
            seed=config.seed,
            resamples=config.stats.resamples,
            confidence=config.stats.confidence,
            systems=labelled_systems(config),
        ),
    }


def labelled_systems(config: RunConfig) -> list[str]:
    """Systems whose summaries are the benchmark's own ``summary`` field, the one
    human labels judge: ``precomputed`` systems without ``path`` or ``column``."""
    return [
        system.name
        for system in config.systems
        if system.backend == "precomputed"
        and not system.params.get("path")
        and not system.params.get("column")
    ]


# manifest -------------------------------------------------------------------
def _git_sha() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def devices(components: dict[str, object]) -> dict[str, str]:
    """Where each model-based component computes, for the manifest.

    Components that run a torch model (``hf``, ``nli``, ``bertscore``,
    ``embedding``) have a ``runs_on`` attribute (`harness.device`); the
    others run on the CPU and are left out.
    """
    found = {name: getattr(component, "runs_on", None) for name, component in components.items()}
    return {name: where for name, where in found.items() if isinstance(where, str)}


def environment() -> dict[str, Any]:
    """Versions and platform facts for the manifest."""
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": _versions(),
        "git_sha": _git_sha(),
    }


# the whole pipeline -----------------------------------------------------------
@dataclass
class RunSummary:
    """What a finished run produced."""

    run_dir: RunDir
    results: dict[str, Any]
    manifest: dict[str, Any]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _build_metrics(config: RunConfig, origin: str) -> list[tuple[MetricEntry, Metric]]:
    return [
        build_metric(item, where=f"{origin}: metrics[{index}]")
        for index, item in enumerate(config.metrics)
    ]


def run_pipeline(
    config: RunConfig,
    *,
    origin: str,
    config_dir: Path,
    out: Path | None = None,
    console: Console | None = None,
    render: Callable[[RunDir], object] | None = None,
    max_failures: int | None = None,
) -> RunSummary:
    """Run generate → score → aggregate and write the run directory.

    Args:
        config: The validated config (``--set`` and ``--limit`` already applied).
        origin: The config's file name, for error messages.
        config_dir: Folder that relative paths in backend params resolve against.
        out: Run directory (default: ``config.out_dir()``).
        console: Where progress goes (default: stderr).
        render: Called with the run directory to write reports.
        max_failures: Stop (`BackendError`) once more than this many
            generations have failed; ``None`` records failures and goes on.
    """
    console = console or Console(stderr=True)
    clock = StageClock()
    started = _now()
    target = Path(out) if out is not None else config.out_dir()
    context = BuildContext(config_dir=config_dir, seed=config.seed)
    with clock.stage("load"):
        benchmark = load_benchmark(config.benchmark, seed=config.seed)
        systems = [
            (
                system.name,
                build_backend(system, context, f"{origin}: systems[{index}]"),
                system.batch_size,
            )
            for index, system in enumerate(config.systems)
        ]
        metrics = _build_metrics(config, origin)
        preflight(config, [entry for entry, _ in metrics], benchmark.examples, origin)
    staged = stage_run(target)
    cache: Cache | None = None
    try:
        cache = Cache(config.cache_path())
        run_dir = staged.staging
        run_dir.write_config(config.model_dump(mode="json"))
        run_dir.write_examples(benchmark.examples)
        with make_progress(console) as progress:
            with clock.stage("generate"):
                outputs = generate(
                    benchmark.examples, systems, cache, progress, max_failures=max_failures
                )
            run_dir.write_outputs(outputs)
            with clock.stage("score"):
                scores = score(benchmark.examples, outputs, metrics, cache, progress)
        run_dir.write_scores(scores)
        with clock.stage("aggregate"):
            results = aggregate(
                config, [entry for entry, _ in metrics], outputs, scores, benchmark.examples
            )
        run_dir.write_json(RESULTS_FILE, results)
        manifest = {
            "harness_run": {"started": started, "finished": _now(), "command": "run"},
            "environment": environment(),
            "seed": config.seed,
            "config_hash": content_hash(config.model_dump(mode="json")),
            "benchmark": benchmark.info,
            "components": {
                "systems": {name: s.fingerprint.model_dump(mode="json") for name, s, _ in systems},
                "metrics": {e.name: m.fingerprint.model_dump(mode="json") for e, m in metrics},
            },
            "devices": {
                "systems": devices({name: s for name, s, _ in systems}),
                "metrics": devices({e.name: m for e, m in metrics}),
            },
            "cache": {"path": str(cache.path) if cache.path else None, **cache.stats()},
            "timings_s": clock.seconds,
        }
        if render is not None:
            with clock.stage("report"):
                render(run_dir)
        manifest["timings_s"] = clock.seconds
        final = staged.commit(manifest)
        _warn_damaged(cache, console)
    except BaseException:
        staged.discard()
        raise
    finally:
        if cache is not None:
            cache.close()
    return RunSummary(final, results, manifest)


def score_run(
    run_dir: RunDir,
    *,
    console: Console | None = None,
    render: Callable[[RunDir], object] | None = None,
) -> RunSummary:
    """Re-score a saved run from its config.yaml, examples.jsonl and outputs.jsonl.

    Edit the run's config.yaml (e.g. its ``metrics``) before calling this to
    score with other metrics; generation is not repeated.
    """
    console = console or Console(stderr=True)
    run_dir.require()
    origin = str(run_dir.file("config.yaml"))
    config = parse_config(run_dir.read_config(), origin)
    clock = StageClock()
    started = _now()
    examples = run_dir.read_examples()
    outputs = run_dir.read_outputs()
    check_outputs(run_dir, config, examples, outputs)
    metrics = _build_metrics(config, origin)
    try:
        manifest: dict[str, Any] = run_dir.read_json(MANIFEST_FILE)
    except HarnessError:
        manifest = {}
    staged = stage_run(run_dir.path, writes=RESCORE_FILES)
    cache: Cache | None = None
    try:
        staged.link_inputs(RUN_INPUTS)
        cache = Cache(config.cache_path())
        with clock.stage("score"), make_progress(console) as progress:
            scores = score(examples, outputs, metrics, cache, progress)
        staged.staging.write_scores(scores)
        with clock.stage("aggregate"):
            results = aggregate(config, [entry for entry, _ in metrics], outputs, scores, examples)
        staged.staging.write_json(RESULTS_FILE, results)
        manifest["rescored"] = {
            "started": started,
            "finished": _now(),
            "metrics": {e.name: m.fingerprint.model_dump(mode="json") for e, m in metrics},
            "devices": devices({e.name: m for e, m in metrics}),
            "cache": cache.stats(),
        }
        if render is not None:
            with clock.stage("report"):
                render(staged.staging)
        manifest["rescored"]["timings_s"] = clock.seconds
        manifest.setdefault("harness_run", {"command": "score"})
        final = staged.commit(manifest)
        _warn_damaged(cache, console)
    except BaseException:
        staged.discard()
        raise
    finally:
        if cache is not None:
            cache.close()
    return RunSummary(final, results, manifest)


def _warn_damaged(cache: Cache, console: Console) -> None:
    message = cache.invalid_message()
    if message:
        console.print(f"[bold yellow]warning:[/] {escape(message)}", highlight=False)


def check_outputs(
    run_dir: RunDir, config: RunConfig, examples: Sequence[Example], outputs: Sequence[Output]
) -> None:
    """outputs.jsonl holds exactly one line per (example, system) of the run's config.

    A run directory that fails this was mixed or edited by hand; scoring it
    would pair summaries with the wrong articles or drop some silently.

    Raises:
        StoreError: Naming the first (example, system) missing, repeated or unknown.
    """
    expected = {(ex.id, s.name) for ex in examples for s in config.systems}
    seen: set[tuple[str, str]] = set()
    path = run_dir.file("outputs.jsonl")
    hint = "re-run `harness run` on the config to write a complete run directory"
    for line, output in enumerate(outputs, start=1):
        pair = (output.example_id, output.system)
        if pair not in expected:
            raise StoreError(
                f"{path}: output {line} is for example {pair[0]!r}, system {pair[1]!r}, "
                "which examples.jsonl and config.yaml of this run directory do not have",
                hint=hint,
            )
        if pair in seen:
            raise StoreError(
                f"{path}: output {line} repeats example {pair[0]!r}, system {pair[1]!r}",
                hint=hint,
            )
        seen.add(pair)
    missing = sorted(expected - seen)
    if missing:
        raise StoreError(
            f"{path}: {len(missing)} (example, system) pairs have no output, e.g. "
            f"example {missing[0][0]!r}, system {missing[0][1]!r}",
            hint=hint,
        )


def rerender(run_dir: RunDir, render: Callable[[RunDir], object]) -> RunDir:
    """Re-render a run directory's reports through staging (`harness report`).

    Only the report files and plots are replaced; a plot the previous
    manifest does not list (the user's own) is left alone.
    """
    run_dir.require()
    try:
        manifest: dict[str, Any] = run_dir.read_json(MANIFEST_FILE)
    except HarnessError:
        manifest = {"harness_run": {"command": "report"}}
    staged = stage_run(run_dir.path, writes=REPORT_FILES)
    try:
        staged.link_inputs((*RUN_INPUTS, SCORES_FILE, RESULTS_FILE))
        render(staged.staging)
        return staged.commit(manifest)
    except HarnessError as error:
        staged.discard()
        # The render read the inputs through staging: name the files the user has.
        inside, outside = str(staged.staging.path), str(run_dir.path)
        error.message = error.message.replace(inside, outside)
        error.args = (error.message,)
        raise
    except BaseException:
        staged.discard()
        raise


__all__ = [
    "RunSummary",
    "StageClock",
    "aggregate",
    "check_outputs",
    "devices",
    "environment",
    "generate",
    "make_progress",
    "rerender",
    "run_pipeline",
    "score",
    "score_run",
    "skip_reason",
]
