"""Tests for writing baseline.json (`harness.compare.baseline`) and reading it back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.compare import BASELINE_FORMAT, baseline_document, load_reference, write_baseline
from harness.config import GateRule

MakeRun = Callable[..., Path]
Column = Callable[..., dict[str, float | None]]


def test_baseline_json_round_trip(
    runs: tuple[Path, Path], tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    path = make_run(
        tmp_path / "g",
        {"s": {"rouge.rouge1": column([0.5, None, 0.7])}},
        gate=[{"value": "rouge.rouge1", "max_drop": 0.02}, {"max_new_failures": 1}],
        stats={"resamples": 200},
        seed=4,
        errors={"s": {"e1": "timeout"}},
    )
    target, run = write_baseline(path)
    assert target == path / "baseline.json"
    document = json.loads(target.read_text())
    assert document["format"] == BASELINE_FORMAT == "harness-baseline/4"
    assert document["benchmark"]["content_hash"] == "hash-1"
    fingerprints = document["benchmark"]["examples"]
    assert list(fingerprints) == ["e0", "e1", "e2"] and len(set(fingerprints.values())) == 1
    assert document["failures"] == {"s": {"count": 1, "examples": {"e1": "timeout"}}}
    aggregate_ = document["systems"]["s"]["rouge.rouge1"]
    assert aggregate_["mean"] == pytest.approx(0.6)
    assert (aggregate_["n"], aggregate_["nulls"]) == (2, 1)
    assert aggregate_["examples"] == {"e0": 0.5, "e1": None, "e2": 0.7}
    assert document["values"] == {"rouge.rouge1": {"higher_is_better": True}}
    assert document["gate"] == [
        {"value": "rouge.rouge1", "max_drop": 0.02},
        {"max_new_failures": 1},
    ]
    loaded = load_reference(target)
    assert loaded.values == run.values
    assert loaded.directions == run.directions
    assert loaded.failures == run.failures == {"s": {"e1": "timeout"}}
    assert loaded.fingerprints == run.fingerprints
    assert loaded.gate == [
        GateRule(value="rouge.rouge1", max_drop=0.02),
        GateRule(max_new_failures=1),
    ]
    assert (loaded.seed, loaded.stats.resamples, loaded.content_hash) == (4, 200, "hash-1")
    assert baseline_document(loaded)["systems"] == document["systems"]
    other = tmp_path / "elsewhere.json"
    assert write_baseline(path, other)[0] == other and other.is_file()
