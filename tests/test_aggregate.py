"""The paired comparisons that `harness.aggregate` writes into results.json."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.config import parse_config
from harness.metric import METRICS
from harness.records import Example, Output
from harness.runner import aggregate
from tests.fixtures.score_table import Table, column, scores_of


def _aggregate(table: Table, **config: Any) -> dict[str, Any]:
    data = {
        "name": "agg",
        "benchmark": {"builtin": "newsbriefs"},
        "systems": [{"name": system, "backend": "lead"} for system in table],
        "metrics": ["rouge", "length"],
        **config,
    }
    run_config = parse_config(data, "test")
    ids = list(dict.fromkeys(i for v in table.values() for e in v.values() for i in e))
    outputs = [Output(example_id=i, system=s, summary="x") for s in table for i in ids]
    entries = [METRICS.get("rouge"), METRICS.get("length")]
    examples = [Example(id=i, source="x") for i in ids]
    return aggregate(run_config, entries, outputs, scores_of(table), examples)


def test_aggregate_adds_paired_comparisons_with_the_baseline() -> None:
    base = [0.3 + 0.01 * i for i in range(20)]
    table: Table = {
        "lead3": {
            "rouge.rouge1": column(base),
            "rouge.rouge2": column([0.2] * 20),
            "length.words": column([50.0] * 20),
        },
        "short": {
            "rouge.rouge1": column([v - 0.05 for v in base]),
            "rouge.rouge2": column([0.2] * 19 + [None]),
            "length.words": column([20.0] * 19 + [60.0]),
        },
        "other": {"rouge.rouge1": column([None] * 19 + [0.5])},
    }
    results = _aggregate(table, baseline="lead3")
    for key in ("name", "systems", "values", "results", "failures", "errors", "n_examples"):
        assert key in results
    assert results["baseline"] == "lead3"
    assert results["alpha"] == 0.05
    assert list(results["comparisons"]) == ["short", "other"]
    short = results["comparisons"]["short"]
    assert list(short) == list(results["values"])
    rouge1 = short["rouge.rouge1"]
    assert rouge1["n"] == 20
    assert rouge1["diff"] == pytest.approx(-0.05)
    assert rouge1["ci_low"] == pytest.approx(-0.05) and rouge1["ci_high"] == pytest.approx(-0.05)
    assert (rouge1["wins"], rouge1["ties"], rouge1["losses"]) == (0, 0, 20)
    assert rouge1["p_value"] == pytest.approx(1 / 1001)
    tested = [name for name, item in short.items() if item["p_value"] is not None]
    assert rouge1["p_holm"] == pytest.approx(len(tested) / 1001)
    assert rouge1["significant"] is True
    rouge2 = short["rouge.rouge2"]
    assert (rouge2["n"], rouge2["diff"], rouge2["ties"], rouge2["significant"]) == (
        19,
        0,
        19,
        False,
    )
    words = short["length.words"]  # no better side: system > baseline counts as a win
    assert (words["wins"], words["ties"], words["losses"]) == (1, 0, 19)
    sparse = results["comparisons"]["other"]["rouge.rouge1"]
    assert sparse["n"] == 1
    # one pair: its difference, but no interval and no test
    assert sparse["diff"] == pytest.approx(0.01)
    assert [sparse[k] for k in ("ci_low", "ci_high", "p_value", "p_holm")] == [None] * 4
    assert sparse["significant"] is False
    empty = results["comparisons"]["other"]["rouge.rougeL"]
    assert (empty["n"], empty["diff"], empty["wins"]) == (0, None, 0)
    json.dumps(results, allow_nan=False)
    assert results == _aggregate(table, baseline="lead3")


def test_aggregate_default_baseline_is_the_first_system() -> None:
    table: Table = {"a": {"rouge.rouge1": column([0.1, 0.2])}, "b": {}}
    results = _aggregate(table)
    assert results["baseline"] == "a"
    assert list(results["comparisons"]) == ["b"]
    single = _aggregate({"a": {"rouge.rouge1": column([0.1])}})
    assert single["comparisons"] == {}
