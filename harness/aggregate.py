"""Aggregation: results.json from the scores (means with CIs, paired comparisons, meta-eval)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.config import RunConfig
from harness.meta_eval import meta_evaluate
from harness.metric import MetricEntry
from harness.records import Example, Output, Score
from harness.scoring import METRIC_ERROR
from harness.stats import bootstrap_mean, compare_paired, to_array


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
