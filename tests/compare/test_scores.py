"""Tests for `harness.compare.scores`: `RunScores` and the registry's directions."""

from __future__ import annotations

from harness.compare import INFERRED_FAILURE, RunScores
from harness.compare.scores import registry_directions


def test_run_scores_array_marks_missing_as_nan() -> None:
    run = RunScores(label="x", name="x", values={"s": {"v.a": {"e1": 1.0}}}, directions={})
    assert run.array("s", "v.a", ["e1", "e2"]).tolist()[0] == 1.0
    assert run.array("t", "v.a", ["e1"]).size == 1


def test_failed_generations_are_inferred_only_when_not_recorded() -> None:
    values = {"s": {"v.a": {"e1": 1.0, "e2": None}, "v.b": {"e1": None, "e2": None}}}
    unknown = RunScores(label="x", name="x", values=values, directions={})
    assert not unknown.failures_known
    assert unknown.failed("s") == {"e2": INFERRED_FAILURE}
    recorded = RunScores(
        label="x", name="x", values=values, directions={}, failures={"s": {"e1": "boom"}}
    )
    assert recorded.failed("s") == {"e1": "boom"} and recorded.failed("t") == {}
    assert recorded.example_ids() == ["e1", "e2"]
    assert recorded.value_names() == ["v.a", "v.b"]


def test_registry_directions_of_known_and_unknown_values() -> None:
    assert registry_directions(["rouge.rouge1", "length.words", "rouge.nope", "nope.x"]) == {
        "rouge.rouge1": True,
        "length.words": None,
        "rouge.nope": None,
        "nope.x": None,
    }
