"""Aggregation: results.json from the scores (means with CIs, paired comparisons, meta-eval).

`cached_aggregate` serves results.json from the cache when what it is
computed from has not changed: the config, the metrics' value specs, the
bytes of examples.jsonl and scores.jsonl, what it reads of the outputs
(`output_facts`), and the code that computes it (`harness.code_digest`:
all of harness's source, numpy's and scipy's versions). scipy is then never
imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from harness.code_digest import code_digest
from harness.config import MetaEvalConfig, RunConfig, StatsConfig
from harness.executor import Executor, LocalExecutor, TaskFailure, Workspace
from harness.metric import MetricEntry
from harness.pairing_check import misplaced_summaries
from harness.records import Example, Output, Score, content_hash, has_words
from harness.scoring import METRIC_ERROR
from harness.store import EXAMPLES_FILE, SCORES_FILE, Cache, RunDir

#: The run files results.json is computed from, whole (with the config and `output_facts`).
AGGREGATE_INPUTS = (EXAMPLES_FILE, SCORES_FILE)
_LIBRARIES = ("numpy", "scipy")


#: Example ids results.json lists per reason a metric left pairs unscored for.
NOT_SCORED_IDS = 5


def output_facts(
    outputs: Sequence[Output],
) -> list[tuple[str, str, str | None, int | None, bool, bool]]:
    """All that results.json reads of the outputs: (example id, system, error,
    truncated tokens, whether the summary is empty: generated, but with no word,
    whether it was cut off at the output limit and kept to its whole sentences).

    Not the summaries (the scores stand for them) nor the latencies, which
    are measured anew for a backend that is not cached.
    """
    return [
        (
            output.example_id,
            output.system,
            output.error,
            output.truncated_tokens,
            output.error is None and not has_words(output.summary or ""),
            output.cut_off is not None,
        )
        for output in outputs
    ]


@dataclass(frozen=True)
class MeansTask:
    """One system's mean with its bootstrap CI for every value (a part of `aggregate`).

    ``columns`` are (value name, values with ``nan`` holes), in results.json order.
    """

    columns: tuple[tuple[str, NDArray[np.float64]], ...]
    stats: StatsConfig
    seed: int


@dataclass(frozen=True)
class PairedTask:
    """One system's paired comparison with the baseline, every value (Holm-adjusted together).

    ``pairs`` are (value name, system values, baseline values), aligned by example.
    """

    pairs: tuple[tuple[str, NDArray[np.float64], NDArray[np.float64]], ...]
    directions: dict[str, bool | None]
    stats: StatsConfig
    seed: int


@dataclass(frozen=True)
class MetaTask:
    """The meta-evaluation of some values (each value's bootstrap uses the seed afresh,
    so values evaluated apart give what they give together).

    Examples and scores travel as plain rows, with only what `meta_evaluate`
    reads of them: (id, label, meta) and (example id, system, metric, values).
    """

    examples: tuple[tuple[str, float | None, dict[str, Any]], ...]
    scores: tuple[tuple[str, str, str, dict[str, float | None]], ...]
    values: dict[str, dict[str, Any]]
    config: MetaEvalConfig
    stats: StatsConfig
    seed: int
    systems: tuple[str, ...]


AggregateTask = MeansTask | PairedTask | MetaTask


def aggregate_part(workspace: Workspace, task: AggregateTask) -> Any:
    """Compute one part of results.json (runs in a worker; ``workspace`` is unused).

    Returns:
        `MeansTask`: value name → mean summary; `PairedTask`: value name →
        comparison; `MetaTask`: what `meta_evaluate` returns for its values.
    """
    from harness.meta_eval import meta_evaluate
    from harness.stats import bootstrap_mean, compare_paired

    stats = task.stats
    if isinstance(task, MeansTask):
        return {
            name: bootstrap_mean(
                column, resamples=stats.resamples, confidence=stats.confidence, seed=task.seed
            ).to_json()
            for name, column in task.columns
        }
    if isinstance(task, PairedTask):
        compared = compare_paired(
            {name: (mine, theirs) for name, mine, theirs in task.pairs},
            task.directions,
            resamples=stats.resamples,
            confidence=stats.confidence,
            alpha=stats.alpha,
            seed=task.seed,
        )
        return {name: item.to_json() for name, item in compared.items()}
    examples = [
        Example.model_construct(id=id_, source="", label=label, meta=meta)
        for id_, label, meta in task.examples
    ]
    scores = [
        Score.model_construct(example_id=e, system=s, metric=m, values=v, findings=[], reason=None)
        for e, s, m, v in task.scores
    ]
    return meta_evaluate(
        examples,
        scores,
        task.values,
        task.config,
        seed=task.seed,
        resamples=stats.resamples,
        confidence=stats.confidence,
        systems=list(task.systems),
    )


def _meta_tasks(
    config: RunConfig,
    values_meta: dict[str, dict[str, Any]],
    scores: Sequence[Score],
    examples: Sequence[Example],
    parts: int,
) -> list[MetaTask]:
    """The meta-evaluation in ``parts`` tasks of consecutive values (at least one task)."""
    systems = tuple(labelled_systems(config))
    rows = tuple((example.id, example.label, example.meta) for example in examples)
    wanted = set(systems)
    lines = tuple(
        (item.example_id, item.system, item.metric, item.values)
        for item in scores
        if item.system in wanted
    )
    names = list(values_meta)
    size = max(1, -(-len(names) // max(1, parts)))
    chunks = [names[start : start + size] for start in range(0, len(names), size)] or [[]]
    return [
        MetaTask(
            rows,
            lines,
            {name: values_meta[name] for name in chunk},
            config.meta_eval,
            config.stats,
            config.seed,
            systems,
        )
        for chunk in chunks
    ]


def _merge_meta(parts: Sequence[dict[str, Any] | None]) -> dict[str, Any] | None:
    """One `meta_evaluate` result from those of consecutive chunks of the values."""
    first = parts[0]
    if first is None:
        return None
    merged = dict(first)
    merged["systems"] = {
        system: {
            name: entry
            for part in parts
            if part is not None
            for name, entry in part["systems"][system].items()
        }
        for system in first["systems"]
    }
    return merged


def aggregate(
    config: RunConfig,
    metrics: Sequence[MetricEntry],
    outputs: Sequence[Output],
    scores: Sequence[Score],
    examples: Sequence[Example],
    executor: Executor | None = None,
) -> dict[str, Any]:
    """results.json: per system and value, mean with bootstrap CI, n, nulls; failures;
    and each system's paired comparison with the baseline.

    ``comparisons[system][value]`` compares ``system`` with
    ``config.baseline_system()`` on the examples where both define the value:
    mean difference (system − baseline) with a paired-bootstrap CI, a
    sign-flip permutation p-value, its Holm adjustment across the system's
    values, ``significant`` (``p_holm < stats.alpha``) and wins/ties/losses.

    Deterministic given the scores and ``config.seed``, whatever the executor:
    with a pool (not ``local``), each system's means, each system's comparison
    and chunks of the meta-evaluation's values are tasks of their own, which
    give what they give computed together (every bootstrap is seeded afresh).
    """
    from harness.stats import to_array

    systems = [system.name for system in config.systems]
    failures = {name: 0 for name in systems}
    errors: dict[str, list[dict[str, str]]] = {name: [] for name in systems}
    truncated = {name: 0 for name in systems}
    cut_off = {name: 0 for name in systems}
    empty: dict[str, list[str]] = {name: [] for name in systems}
    facts = output_facts(outputs)
    # (system, example id) of the outputs no metric could score: their nulls are
    # failures or empty summaries, not a metric's choice to leave them unscored
    lost: set[tuple[str, str]] = set()
    for example_id, system, error, truncated_tokens, no_words, was_cut_off in facts:
        if truncated_tokens:
            truncated[system] += 1
        if was_cut_off:
            cut_off[system] += 1
        if no_words:
            empty[system].append(example_id)
        if error is not None:
            failures[system] += 1
            errors[system].append({"example_id": example_id, "error": error})
        if error is not None or no_words:
            lost.add((system, example_id))
    metric_errors: dict[str, list[dict[str, str]]] = {name: [] for name in systems}
    unscored: dict[str, dict[tuple[str, str], list[str]]] = {}
    columns: dict[tuple[str, str], list[float | None]] = {}
    by_example: dict[tuple[str, str], dict[str, float | None]] = {}
    for item in scores:
        if item.reason is not None and item.reason.startswith(METRIC_ERROR):
            metric_errors[item.system].append(
                {"example_id": item.example_id, "metric": item.metric, "error": item.reason}
            )
        elif item.reason is not None and (item.system, item.example_id) not in lost:
            unscored.setdefault(item.system, {}).setdefault((item.metric, item.reason), []).append(
                item.example_id
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
    means = [
        MeansTask(
            tuple((name, to_array(columns.get((system, name), []))) for name in values_meta),
            config.stats,
            config.seed,
        )
        for system in systems
    ]
    baseline = config.baseline_system()
    example_ids = list(dict.fromkeys(example_id for example_id, *_ in facts))
    directions = {name: meta["higher_is_better"] for name, meta in values_meta.items()}
    compared = [system for system in systems if system != baseline]
    paired = []
    for system in compared:
        pairs = []
        for value_name in values_meta:
            mine = by_example.get((system, value_name), {})
            theirs = by_example.get((baseline, value_name), {})
            pairs.append(
                (
                    value_name,
                    to_array([mine.get(example_id) for example_id in example_ids]),
                    to_array([theirs.get(example_id) for example_id in example_ids]),
                )
            )
        paired.append(PairedTask(tuple(pairs), directions, config.stats, config.seed))
    pool = executor is not None and not isinstance(executor, LocalExecutor)
    workers = int(executor.description.get("workers", 1)) if pool and executor else 1
    meta = _meta_tasks(config, values_meta, scores, examples, 2 * workers if pool else 1)
    # The largest parts first, so that no worker is left with one at the end.
    tasks: list[AggregateTask] = [*meta, *paired, *means]
    found = _run_parts(tasks, executor if pool else None)
    parts = iter(found)
    meta_parts = [next(parts) for _ in meta]
    comparisons = {system: next(parts) for system in compared}
    results = {system: next(parts) for system in systems}
    return {
        "name": config.name,
        "config_sha256": scored_config_hash(config),
        "seed": config.seed,
        "confidence": config.stats.confidence,
        "resamples": config.stats.resamples,
        "alpha": config.stats.alpha,
        "n_examples": len(examples),
        "systems": systems,
        "values": values_meta,
        "failures": failures,
        "truncated": truncated,
        "cut_off": cut_off,
        "errors": errors,
        "empty_summaries": empty,
        "metric_errors": metric_errors,
        "not_scored": {
            system: [
                {
                    "metric": metric,
                    "reason": reason,
                    "count": len(ids),
                    "examples": ids[:NOT_SCORED_IDS],
                }
                for (metric, reason), ids in unscored.get(system, {}).items()
            ]
            for system in systems
        },
        "results": results,
        "baseline": baseline,
        "comparisons": comparisons,
        "meta_eval": _merge_meta(meta_parts),
        "misplaced": misplaced_summaries(examples, outputs),
    }


def _run_parts(tasks: Sequence[AggregateTask], executor: Executor | None) -> list[Any]:
    """Every part's result, in task order: on ``executor``'s workers, else here.

    A part whose worker died twice is computed here instead: it is cheap, and
    results.json must not lack it.
    """
    local = Workspace()
    if executor is None:
        return [aggregate_part(local, task) for task in tasks]
    found: dict[int, Any] = {}
    for index, value in executor.map(aggregate_part, tasks, local):
        found[index] = (
            aggregate_part(local, tasks[index]) if isinstance(value, TaskFailure) else value
        )
    return [found[index] for index in range(len(tasks))]


#: Config keys that decide nothing results.json holds (beyond `RunConfig.recorded`'s).
_NOT_SCORED_KEYS = frozenset({"cache", "out", "report", "gate"})


def scored_config_hash(config: RunConfig) -> str:
    """The hash of what in a config decides results.json: all of it but how the run
    is done (executor, cache, out, resources), what the reports show (``report``)
    and what ``check`` gates (``gate``). `harness report` compares it with the
    run's config.yaml, which a user may have edited since."""
    recorded = config.recorded()
    return content_hash(
        {key: value for key, value in recorded.items() if key not in _NOT_SCORED_KEYS}
    )


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


def results_key(
    config: RunConfig, metrics: Sequence[MetricEntry], outputs: Sequence[Output], run_dir: RunDir
) -> str | None:
    """The cache key of a run's results.json: everything `aggregate` computes it from.

    Args:
        config: The run's config.
        metrics: The metrics' entries (their value specs go into results.json).
        outputs: The run's outputs (`output_facts` of them go into the key).
        run_dir: Where examples.jsonl and scores.jsonl were written.

    Returns:
        The key, or ``None`` when ``run_dir`` lacks one of `AGGREGATE_INPUTS`
        (nothing to key by: the results are then computed, not cached).
    """
    files = {name: run_dir.digest(name) for name in AGGREGATE_INPUTS}
    if None in files.values():
        return None
    return content_hash(
        {
            "code": code_digest(_LIBRARIES),
            "config": config.model_dump(mode="json", exclude={"executor", "cache", "out"}),
            "values": [
                [entry.name, [[v.name, v.higher_is_better, v.description] for v in entry.values]]
                for entry in metrics
            ],
            "outputs": output_facts(outputs),
            "files": files,
        }
    )


def cached_aggregate(
    cache: Cache,
    run_dir: RunDir,
    config: RunConfig,
    metrics: Sequence[MetricEntry],
    outputs: Sequence[Output],
    scores: Sequence[Score],
    examples: Sequence[Example],
    executor: Executor | None = None,
) -> dict[str, Any]:
    """`aggregate`, served from the cache (kind ``"results"``) when its inputs are unchanged.

    ``run_dir`` must already hold the examples and scores passed here: the
    key is computed from those files (`results_key`).
    """
    key = results_key(config, metrics, outputs, run_dir)
    if key is None:
        return aggregate(config, metrics, outputs, scores, examples, executor)
    found = cache.get_many("results", [key]).get(key)
    if isinstance(found, dict):
        return found
    results = aggregate(config, metrics, outputs, scores, examples, executor)
    cache.put_many("results", {key: results})
    return results
