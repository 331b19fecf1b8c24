"""The pipeline: load → generate → score → aggregate → store → report.

Each stage reads only what the stage before produced, so `score_run`
re-scores a saved run without generating, and the report step re-renders
from the run directory. Work is done in batches (`harness.generation`,
`harness.scoring`, through an executor); every finished batch is committed
to the content-addressed cache as it completes, so an interrupted run
resumes where it stopped. `harness.aggregate` makes results.json and
`harness.manifest` the rest of manifest.json.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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

from harness.aggregate import aggregate, cached_aggregate
from harness.backend import BuildContext, build_backend
from harness.benchmark import load_benchmark
from harness.config import RunConfig, parse_config
from harness.errors import HarnessError, StoreError
from harness.executor import (
    Component,
    Executor,
    LocalExecutor,
    check_shippable,
    make_executor,
)
from harness.generation import GenerateDone, GenerateTask, generate, generate_batch
from harness.manifest import StageClock, devices, environment, now
from harness.metric import Metric, MetricEntry, build_metric
from harness.outdir import REPORT_FILES, stage_run
from harness.preflight import preflight
from harness.records import Example, Output, content_hash
from harness.scoring import (
    ScoreDone,
    ScoreTask,
    plan_score_tasks,
    score,
    score_batch,
    skip_reason,
)
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

#: What a re-score or re-render reads from the run directory and keeps as it is.
RUN_INPUTS = (CONFIG_FILE, EXAMPLES_FILE, OUTPUTS_FILE)
#: What a re-score writes.
RESCORE_FILES = (SCORES_FILE, RESULTS_FILE, *REPORT_FILES)


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


# the whole pipeline -----------------------------------------------------------
@dataclass
class RunSummary:
    """What a finished run produced."""

    run_dir: RunDir
    results: dict[str, Any]
    manifest: dict[str, Any]


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
    executor: Executor | None = None,
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
        executor: Where batches run (default: the one ``config.executor``
            names; this function closes it). Results are the same whatever
            it is; the manifest records it.
    """
    console = console or Console(stderr=True)
    clock = StageClock()
    started = now()
    target = Path(out) if out is not None else config.out_dir()
    context = BuildContext(config_dir=config_dir, seed=config.seed)
    # First: a Ray cluster that cannot be reached ends the run before any load.
    if executor is None:
        executor = make_executor(config.executor, origin)
    try:
        executor.start()
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
            system_parts = [
                Component(
                    f"systems[{index}]",
                    system,
                    f"{origin}: systems[{index}]",
                    context,
                    num_gpus=system.resources.num_gpus,
                )
                for index, system in enumerate(config.systems)
            ]
            metric_parts = [
                Component(f"metrics[{index}]", item, f"{origin}: metrics[{index}]")
                for index, item in enumerate(config.metrics)
            ]
        if not isinstance(executor, LocalExecutor):
            check_shippable([*system_parts, *metric_parts])
        staged = stage_run(target)
    except BaseException:
        executor.close()
        raise
    cache: Cache | None = None
    # The executor and the systems' resources are how a run is done, not what
    # it computes: left out of config.yaml and the config hash, which are the
    # same whatever runs it.
    recorded = config.model_dump(
        mode="json", exclude={"executor": True, "systems": {"__all__": {"resources"}}}
    )
    try:
        cache = Cache(config.cache_path())
        run_dir = staged.staging
        run_dir.write_config(recorded)
        run_dir.write_examples(benchmark.examples)
        with make_progress(console) as progress:
            with clock.stage("generate"):
                outputs = generate(
                    benchmark.examples,
                    systems,
                    cache,
                    progress,
                    max_failures=max_failures,
                    executor=executor,
                    components=system_parts,
                )
            run_dir.write_outputs(outputs)
            with clock.stage("score"):
                scores = score(
                    benchmark.examples,
                    outputs,
                    metrics,
                    cache,
                    progress,
                    executor=executor,
                    components=metric_parts,
                )
        executor.close()
        run_dir.write_scores(scores)
        with clock.stage("aggregate"):
            results = cached_aggregate(
                cache,
                run_dir,
                config,
                [entry for entry, _ in metrics],
                outputs,
                scores,
                benchmark.examples,
            )
        run_dir.write_json(RESULTS_FILE, results)
        manifest = {
            "harness_run": {"started": started, "finished": now(), "command": "run"},
            "environment": environment(),
            "seed": config.seed,
            "config_hash": content_hash(recorded),
            "executor": executor.description,
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
        executor.close()
        if cache is not None:
            cache.close()
    return RunSummary(final, results, manifest)


def score_run(
    run_dir: RunDir,
    *,
    console: Console | None = None,
    render: Callable[[RunDir], object] | None = None,
    executor: Executor | None = None,
) -> RunSummary:
    """Re-score a saved run from its config.yaml, examples.jsonl and outputs.jsonl.

    Edit the run's config.yaml (e.g. its ``metrics``) before calling this to
    score with other metrics; generation is not repeated.

    Args:
        run_dir: The run directory.
        console: Where progress goes (default: stderr).
        render: Called with the run directory to write reports.
        executor: Where scoring batches run (default: in-process; this
            function closes it). Scores are the same whatever it is; the
            manifest's ``rescored.executor`` records it.
    """
    console = console or Console(stderr=True)
    executor = executor or LocalExecutor()
    try:
        run_dir.require()
        origin = str(run_dir.file("config.yaml"))
        config = parse_config(run_dir.read_config(), origin)
        clock = StageClock()
        started = now()
        examples = run_dir.read_examples()
        outputs = run_dir.read_outputs()
        check_outputs(run_dir, config, examples, outputs)
        metrics = _build_metrics(config, origin)
        metric_parts = [
            Component(f"metrics[{index}]", item, f"{origin}: metrics[{index}]")
            for index, item in enumerate(config.metrics)
        ]
        if not isinstance(executor, LocalExecutor):
            check_shippable(metric_parts)
        executor.start()
    except BaseException:
        executor.close()
        raise
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
            scores = score(
                examples,
                outputs,
                metrics,
                cache,
                progress,
                executor=executor,
                components=metric_parts,
            )
        executor.close()
        staged.staging.write_scores(scores)
        with clock.stage("aggregate"):
            entries = [entry for entry, _ in metrics]
            results = cached_aggregate(
                cache, staged.staging, config, entries, outputs, scores, examples
            )
        staged.staging.write_json(RESULTS_FILE, results)
        manifest["rescored"] = {
            "started": started,
            "finished": now(),
            "metrics": {e.name: m.fingerprint.model_dump(mode="json") for e, m in metrics},
            "devices": devices({e.name: m for e, m in metrics}),
            "executor": executor.description,
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
        executor.close()
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
    "GenerateDone",
    "GenerateTask",
    "RunSummary",
    "ScoreDone",
    "ScoreTask",
    "StageClock",
    "aggregate",
    "check_outputs",
    "devices",
    "environment",
    "generate",
    "generate_batch",
    "make_progress",
    "plan_score_tasks",
    "rerender",
    "run_pipeline",
    "score",
    "score_batch",
    "score_run",
    "skip_reason",
]
