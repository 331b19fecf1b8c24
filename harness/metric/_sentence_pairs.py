"""What the sentence-level model metrics (``embedding``, ``nli``) share.

Both score each summary sentence against units of the source (sentences or
chunks), keep the best-matching unit per sentence, and report one finding per
sentence they show: the same pair of "no sentence" reasons and the same
finding shape, written once here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from harness.metric._protocol import MetricInput, MetricResult
from harness.text.sentences import sentence_spans

Span = tuple[int, int]


def summary_and_source_units(
    item: MetricInput,
    value_names: Sequence[str],
    source_units: Callable[[str], Sequence[Span]],
) -> tuple[list[Span], Sequence[Span]] | MetricResult:
    """The summary's sentence spans and the source's units, or the reason there are none.

    Args:
        item: The pair to score.
        value_names: The metric's values, in the order it reports them; all
            ``None`` in the result returned when a side has no sentence.
        source_units: The source's units (sentence or chunk spans), usually memoised.

    Returns:
        ``(summary spans, source units)``, or a result with ``None`` values and
        the reason when the summary or the source has no sentence.
    """
    empty: dict[str, float | None] = dict.fromkeys(value_names)
    spans = sentence_spans(item.summary)
    if not spans:
        return MetricResult(values=empty, reason="summary has no sentence")
    units = source_units(item.example.source)
    if not units:
        return MetricResult(values=empty, reason="source has no sentence")
    return spans, units


def sentence_finding(
    item: MetricInput, span: Span, source_span: Span, status: str, evidence: str
) -> dict[str, Any]:
    """One summary sentence's finding: its best source unit and why it got ``status``."""
    start, end = span
    source_start, source_end = source_span
    return {
        "kind": "sentence",
        "text": item.summary[start:end],
        "span": [start, end],
        "status": status,
        "source_span": [source_start, source_end],
        "source_text": item.example.source[source_start:source_end],
        "evidence": evidence,
    }


__all__ = ["Span", "sentence_finding", "summary_and_source_units"]
