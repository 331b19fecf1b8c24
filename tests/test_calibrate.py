"""The calibration fit (harness.calibrate) and consistency's ``kind_weights`` param."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml

from harness.calibrate import (
    MIN_PER_CLASS,
    agreement,
    check_metric,
    consistency_components,
    fit_consistency,
    metrics_yaml,
)
from harness.config import MetaEvalConfig, MetricConfig, parse_config
from harness.errors import BenchmarkError, ConfigError
from harness.metric import MetricInput, build_metric
from harness.metric.consistency import FLAG_KINDS, ConsistencyParams
from harness.records import Example, Score

SPLIT = MetaEvalConfig(split_field="split", dev_split="dev")
SOURCE = "The company reported revenue of 40 million dollars on Tuesday. It will not expand."


def _finding(kind: str, at: int) -> dict[str, Any]:
    return {"kind": kind, "text": "x", "status": "unsupported", "span": [at, at + 1]}


def _data(n: int = 80) -> tuple[list[Example], list[Score]]:
    """Label 0 mostly carries a negation flag; number flags appear in both classes alike."""
    examples, scores = [], []
    for index in range(n):
        label = float(index % 2)
        findings = []
        # a negation flag predicts label 0, except on every seventh example
        if (label == 0) != (index % 7 == 0):
            findings.append(_finding("negation", 0))
        if index % 3 == 0:
            findings.append(_finding("number", 5))
        novelty = (index % 5) / 20
        examples.append(
            Example(
                id=f"e{index}",
                source=SOURCE,
                label=label,
                meta={"split": "dev" if index < n // 2 else "test"},
            )
        )
        flags = len(findings)
        scores.append(
            Score(
                example_id=f"e{index}",
                system="given",
                metric="consistency",
                values={
                    "score": (1 - 2 * min(novelty, 0.2)) * math.exp(-0.7 * flags),
                    "novel_bigrams": novelty,
                    "copy_novelty": min(novelty, 0.2),
                    "flags": float(flags),
                },
                findings=findings,
            )
        )
    return examples, scores


def test_kind_weights_weigh_each_kind_and_unset_changes_nothing() -> None:
    summary = "The company reported revenue of 45 million dollars on Tuesday. It will expand."
    item = [MetricInput(example=Example(id="x", source=SOURCE), summary=summary)]
    _, default = build_metric(MetricConfig(name="consistency"), "test")
    _, weighted = build_metric(
        MetricConfig(name="consistency", params={"kind_weights": {"number": 0.1, "negation": 3}}),
        "test",
    )
    plain, fitted = default.score(item)[0], weighted.score(item)[0]
    kinds = sorted(finding["kind"] for finding in plain.findings)
    assert kinds == ["negation", "number"]
    factor = 1 - 2 * plain.values["copy_novelty"]  # type: ignore[operator]
    assert plain.values["score"] == factor * math.exp(-0.7 * 2)
    assert fitted.values["score"] == pytest.approx(factor * math.exp(-3.1))
    # every param is in the fingerprint (the metric contract), unset as null
    assert default.fingerprint.params["kind_weights"] is None
    assert weighted.fingerprint.params["kind_weights"] == {"number": 0.1, "negation": 3.0}
    assert weighted.fingerprint.digest() != default.fingerprint.digest()


def test_kind_weights_name_known_kinds_only() -> None:
    build_metric(MetricConfig(name="consistency", params={"kind_weights": {"number": 1}}), "t")
    with pytest.raises(ConfigError, match=r"Input should be 'number', 'entity'.*got 'nmber'"):
        build_metric(MetricConfig(name="consistency", params={"kind_weights": {"nmber": 1}}), "t")


def test_fit_raises_the_weight_of_the_kind_that_predicts_the_label() -> None:
    examples, scores = _data()
    parts = consistency_components(examples, scores, "given", SPLIT, "examples.jsonl")
    assert int(parts.is_dev.sum()) == 40
    fit = fit_consistency(parts, ConsistencyParams())
    weights = fit.params.kind_weights
    assert weights is not None and list(weights) == list(FLAG_KINDS)
    assert weights["negation"] > 1.0
    assert weights["number"] < weights["negation"]
    # kinds the dev split never shows keep the run's weight exactly
    assert all(weights[kind] == 0.7 for kind in ("entity", "date", "time", "antonym"))
    assert fit.params.novelty_cap == 0.2
    assert fit.params.novelty_weight * fit.params.novelty_cap <= 1


def test_fit_is_deterministic_and_pulled_towards_the_run_params_by_l2() -> None:
    examples, scores = _data()
    parts = consistency_components(examples, scores, "given", SPLIT, "examples.jsonl")
    base = ConsistencyParams(flag_weight=0.5)
    assert fit_consistency(parts, base) == fit_consistency(parts, base)
    loose = fit_consistency(parts, base, l2=0.1).params.kind_weights
    tight = fit_consistency(parts, base, l2=1000).params.kind_weights
    assert loose is not None and tight is not None
    assert abs(tight["negation"] - 0.5) < 0.05 < abs(loose["negation"] - 0.5)


def test_a_run_that_counts_no_novelty_is_fitted_too() -> None:
    # novelty_cap: 0 is a valid config (novelty ignored); the fit divided by it
    examples, scores = _data()
    parts = consistency_components(examples, scores, "given", SPLIT, "test")
    base = ConsistencyParams(novelty_cap=0.0, novelty_weight=3.0)
    fit = fit_consistency(parts, base)
    assert fit.params.novelty_cap == 0.0
    assert fit.params.novelty_weight == 3.0  # it multiplies nothing: the run's is kept
    assert fit.params.kind_weights is not None
    assert fit.params.kind_weights["negation"] > base.flag_weight
    assert math.isfinite(fit.loss)


def test_metrics_yaml_is_a_config_metrics_list() -> None:
    examples, scores = _data()
    parts = consistency_components(examples, scores, "given", SPLIT, "examples.jsonl")
    text = metrics_yaml(fit_consistency(parts, ConsistencyParams()).params, header=["fitted"])
    assert text.startswith("# fitted\nmetrics:\n- name: consistency\n")
    loaded = yaml.safe_load(text)
    config = parse_config(
        {
            "name": "pasted",
            "benchmark": {"builtin": "newsbriefs"},
            "systems": [{"name": "lead", "backend": "lead"}],
            **loaded,
        },
        "pasted.yaml",
    )
    entry, _ = build_metric(config.metrics[0], "pasted.yaml: metrics[0]")
    assert entry.name == "consistency"


def test_agreement_measures_dev_and_held_out() -> None:
    examples, scores = _data()
    rows = agreement(examples, scores, "given", SPLIT, seed=0, resamples=200, confidence=0.95)
    assert rows["dev"]["n"] == rows["held_out"]["n"] == 40
    for row in rows.values():
        for name in ("balanced_accuracy", "roc_auc", "pearson"):
            statistic = row[name]
            assert statistic["ci_low"] <= statistic["value"] <= statistic["ci_high"]
        assert row["roc_auc"]["value"] > 0.7


def test_only_calibratable_metrics_are_accepted() -> None:
    check_metric("consistency")
    with pytest.raises(ConfigError, match="metrics that can be calibrated: consistency"):
        check_metric("rouge")


def _relabel(examples: list[Example], **changes: Any) -> list[Example]:
    return [example.model_copy(update=changes) for example in examples]


def test_no_labels_is_an_error() -> None:
    examples, scores = _data()
    with pytest.raises(BenchmarkError, match="no example has a label"):
        consistency_components(_relabel(examples, label=None), scores, "given", SPLIT, "ex")


def test_continuous_labels_are_an_error() -> None:
    examples, scores = _data()
    with pytest.raises(BenchmarkError, match="needs binary labels"):
        consistency_components(_relabel(examples, label=0.5), scores, "given", SPLIT, "ex")


def test_no_dev_split_is_an_error() -> None:
    examples, scores = _data()
    with pytest.raises(ConfigError, match=r"meta_eval\.dev_split is not set"):
        consistency_components(examples, scores, "given", MetaEvalConfig(), "ex")
    with pytest.raises(BenchmarkError, match="no labelled example has split == 'val'"):
        consistency_components(
            examples, scores, "given", MetaEvalConfig(dev_split="val"), "examples.jsonl"
        )


def test_nothing_held_out_is_an_error() -> None:
    examples, scores = _data()
    every = [ex.model_copy(update={"meta": {**ex.meta, "split": "dev"}}) for ex in examples]
    with pytest.raises(BenchmarkError, match="so none is held out to test the fit"):
        consistency_components(every, scores, "given", SPLIT, "examples.jsonl")


def test_too_few_of_a_class_is_an_error() -> None:
    examples, scores = _data()
    # keep MIN_PER_CLASS - 1 dev examples labelled 0
    zeros = [ex.id for ex in examples if ex.label == 0 and ex.meta["split"] == "dev"]
    keep = set(zeros[: MIN_PER_CLASS - 1])
    fewer = [
        ex.model_copy(update={"label": 1.0}) if ex.id in set(zeros) - keep else ex
        for ex in examples
    ]
    with pytest.raises(BenchmarkError, match=f"has {MIN_PER_CLASS - 1} examples labelled 0"):
        consistency_components(fewer, scores, "given", SPLIT, "examples.jsonl")
