"""Tests for the ``length`` metric."""

from __future__ import annotations

import pytest

from harness.metric import MetricInput
from harness.metric.length import LengthMetric, LengthParams
from harness.records import Example


def _values(summary: str) -> dict[str, float | None]:
    item = MetricInput(example=Example(id="x", source="The source."), summary=summary)
    [result] = LengthMetric(LengthParams()).score([item])
    assert result.reason is None
    return result.values


@pytest.mark.parametrize(
    ("summary", "words", "sentences"),
    [
        ("Two people died.", 3, 1),
        ("Mr. Kim left at 5 p.m. on Monday. He returned.", 10, 2),
        ("The five-day fire cost $4.2bn, officials said.\nNo one was hurt", 11, 2),
        ("...", 0, 1),
    ],
)
def test_counts(summary: str, words: int, sentences: int) -> None:
    values = _values(summary)
    assert values == {"words": float(words), "sentences": float(sentences)}
    assert all(type(value) is float for value in values.values())


def test_fingerprint() -> None:
    fingerprint = LengthMetric(LengthParams()).fingerprint
    assert (fingerprint.kind, fingerprint.name, fingerprint.version) == ("metric", "length", "1")
    assert fingerprint.params == {} and fingerprint.model is None
