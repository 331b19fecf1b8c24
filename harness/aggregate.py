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
from typing import Any

from harness.code_digest import code_digest
from harness.config import RunConfig
from harness.metric import MetricEntry
from harness.records import Example, Output, Score, content_hash
from harness.scoring import METRIC_ERROR
from harness.store import EXAMPLES_FILE, SCORES_FILE, Cache, RunDir

#: The run files results.json is computed from, whole (with the config and `output_facts`).
AGGREGATE_INPUTS = (EXAMPLES_FILE, SCORES_FILE)
_LIBRARIES = ("numpy", "scipy")


def output_facts(outputs: Sequence[Output]) -> list[tuple[str, str, str | None, int | None]]:
    """All that results.json reads of the outputs: (example id, system, error, truncated tokens).

    Not the summaries (the scores stand for them) nor the latencies, which
    are measured anew for a backend that is not cached.
    """
    return [
        (output.example_id, output.system, output.error, output.truncated_tokens)
        for output in outputs
    ]


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
    from harness.meta_eval import meta_evaluate
    from harness.stats import bootstrap_mean, compare_paired, to_array

    systems = [system.name for system in config.systems]
    failures = {name: 0 for name in systems}
    errors: dict[str, list[dict[str, str]]] = {name: [] for name in systems}
    truncated = {name: 0 for name in systems}
    facts = output_facts(outputs)
    for example_id, system, error, truncated_tokens in facts:
        if truncated_tokens:
            truncated[system] += 1
        if error is not None:
            failures[system] += 1
            errors[system].append({"example_id": example_id, "error": error})
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
    example_ids = list(dict.fromkeys(example_id for example_id, *_ in facts))
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
            "config": config.model_dump(mode="json", exclude={"executor"}),
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
) -> dict[str, Any]:
    """`aggregate`, served from the cache (kind ``"results"``) when its inputs are unchanged.

    ``run_dir`` must already hold the examples and scores passed here: the
    key is computed from those files (`results_key`).
    """
    key = results_key(config, metrics, outputs, run_dir)
    if key is None:
        return aggregate(config, metrics, outputs, scores, examples)
    found = cache.get_many("results", [key]).get(key)
    if isinstance(found, dict):
        return found
    results = aggregate(config, metrics, outputs, scores, examples)
    cache.put_many("results", {key: results})
    return results
