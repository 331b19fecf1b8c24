"""The entry point: every (system, value) meta-evaluated by the protocol its labels call for."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from harness.config import MetaEvalConfig
from harness.meta_eval._bootstrap import FloatArray
from harness.meta_eval.binary import _binary
from harness.meta_eval.correlation import correlations
from harness.preflight import check_split_field
from harness.records import Example, Score

NOTE = (
    "Labels judge each example's own summary; the statistics are meaningful for the "
    "system that outputs it (typically the `precomputed` one)."
)


def _orientation(meta: Mapping[str, Any]) -> float:
    return -1.0 if meta.get("higher_is_better") is False else 1.0


def meta_evaluate(
    examples: Sequence[Example],
    scores: Sequence[Score],
    values: Mapping[str, Mapping[str, Any]],
    config: MetaEvalConfig,
    *,
    seed: int,
    resamples: int,
    confidence: float,
    systems: Sequence[str] | None = None,
) -> dict[str, Any] | None:
    """Agreement of every metric value with the benchmark's human labels.

    See the package docstring (`harness.meta_eval`) for the two protocols and
    the orientation of values. Examples without a label are left out
    (``n_unlabelled``); for each (system, value), labelled examples whose
    value is ``null`` or that have no score are left out and counted as
    ``nulls``.

    Args:
        examples: The benchmark examples; ``label`` is the human judgment.
        scores: Lines of scores.jsonl (per example, system and metric).
        values: results.json ``values``: ``"<metric>.<name>"`` →
            ``{"higher_is_better": bool | None, ...}``; sets which values are
            meta-evaluated and in what order.
        config: ``split_field`` and ``dev_split`` (binary labels only).
        seed: Seed of every bootstrap (each value uses it afresh).
        resamples: Bootstrap resamples.
        confidence: Interval coverage, e.g. 0.95.
        systems: Systems to meta-evaluate, in this order (default: every
            system in ``scores``, in order of first appearance).

    Returns:
        ``None`` when no example has a label, else::

            {"kind": "binary" | "continuous", "n_labelled", "n_unlabelled",
             "label_counts": {"0": n0, "1": n1},            # binary only
             "split_field", "dev_split", "threshold_on",     # "dev" | "all" | None
             "seed", "resamples", "confidence", "note",
             "systems": {system: {value name: {
                 "n", "nulls", "oriented": "as_is" | "negated",
                 # binary:
                 "n_dev", "n_test", "threshold_on", "threshold",
                 "predict_label_1_when": ">=" | "<=",
                 "roc_auc": {"value", "ci_low", "ci_high"},
                 "balanced_accuracy": {"value", "ci_low", "ci_high"},
                 # continuous:
                 "pearson" | "spearman" | "kendall":
                     {"value", "ci_low", "ci_high", "p_value"},
                 "reason": str | None}}}}

        ``reason`` says why a statistic is ``None`` (e.g. a split without
        both labels). ``threshold`` is in the value's own units.

    Raises:
        ConfigError: ``dev_split`` is set but no labelled example has the
            metadata field ``split_field`` (`harness.preflight.check_split_field`).
    """
    labelled = [example for example in examples if example.label is not None]
    if not labelled:
        return None
    labels = np.array([example.label for example in labelled], dtype=np.float64)
    binary = bool(np.isin(labels, (0.0, 1.0)).all())
    threshold_on: str | None = None
    dev_name = "labelled examples"
    is_dev = np.zeros(labels.size, dtype=bool)
    if binary:
        threshold_on = "all" if config.dev_split is None else "dev"
        if config.dev_split is not None:
            check_split_field(config, labelled, "")
            dev_name = f"examples with {config.split_field} == {config.dev_split!r}"
            is_dev = np.array([config.in_dev(example.meta) for example in labelled])
    position = {example.id: index for index, example in enumerate(labelled)}
    table: dict[tuple[str, str], FloatArray] = {}
    order: dict[str, None] = {}
    for item in scores:
        order.setdefault(item.system)
        row = position.get(item.example_id)
        if row is None:
            continue
        for short, value in item.values.items():
            column = table.setdefault(
                (item.system, f"{item.metric}.{short}"), np.full(labels.size, np.nan)
            )
            column[row] = math.nan if value is None else float(value)
    chosen = list(order) if systems is None else list(systems)
    results: dict[str, dict[str, Any]] = {}
    for system in chosen:
        per_value: dict[str, Any] = {}
        for name, meta in values.items():
            sign = _orientation(meta)
            raw = table.get((system, name), np.full(labels.size, np.nan))
            defined = np.isfinite(raw)
            oriented = sign * raw[defined]
            entry: dict[str, Any] = {
                "n": int(defined.sum()),
                "nulls": int(labels.size - defined.sum()),
                "oriented": "negated" if sign < 0 else "as_is",
            }
            if binary:
                assert threshold_on is not None
                found = _binary(
                    oriented,
                    labels[defined],
                    is_dev[defined],
                    threshold_on=threshold_on,
                    dev_name=dev_name,
                    sign=sign,
                    seed=seed,
                    resamples=resamples,
                    confidence=confidence,
                    held_out=int((~is_dev).sum()),
                )
                entry.update(found)
            else:
                entry.update(
                    correlations(
                        oriented,
                        labels[defined],
                        seed=seed,
                        resamples=resamples,
                        confidence=confidence,
                    )
                )
            if entry["n"] == 0:
                entry["reason"] = "no labelled example has a value (all null)"
            per_value[name] = entry
        results[system] = per_value
    summary: dict[str, Any] = {
        "kind": "binary" if binary else "continuous",
        "n_labelled": len(labelled),
        "n_unlabelled": len(examples) - len(labelled),
    }
    if binary:
        summary["label_counts"] = {
            "0": int((labels == 0).sum()),
            "1": int((labels == 1).sum()),
        }
    summary.update(
        {
            "split_field": config.split_field,
            "dev_split": config.dev_split,
            "threshold_on": threshold_on,
            "seed": seed,
            "resamples": resamples,
            "confidence": confidence,
            "note": NOTE,
            "systems": results,
        }
    )
    return summary
