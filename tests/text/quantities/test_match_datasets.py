"""Tests of `match_quantities` on data: selftest pairs, SummEdits, QAGS, newsbriefs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from harness.text.quantities import (
    MatchSettings,
    QuantityMatch,
    cached_quantities,
    equivalent,
    extract_quantities,
    match_quantities,
)
from tests.requires import shared

ROOT = Path(__file__).resolve().parents[3]
NEWSBRIEFS = ROOT / "benchmarks" / "newsbriefs" / "articles.jsonl"
SELFTEST = ROOT / "benchmarks" / "selftest" / "pairs.jsonl"


def _matches(summary: str, source: str, **settings: Any) -> list[QuantityMatch]:
    return match_quantities(
        extract_quantities(summary), extract_quantities(source), MatchSettings(**settings)
    )


def _status(summary: str, source: str, **settings: Any) -> list[str]:
    return [m.status for m in _matches(summary, source, **settings)]


def _selftest() -> list[dict[str, Any]]:
    # A file of the repository (benchmarks/): never skipped, its absence is an error.
    with SELFTEST.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_selftest_pairs_get_the_expected_number_status() -> None:
    # every pair with a number expectation (tests/metric/test_selftest_cases.py
    # checks each pair through the metric, and the entity and negation cases)
    agree = total = 0
    wrong = []
    for record in _selftest():
        expected = record["expect"]["numbers"]
        if expected is None:
            continue
        start = record["summary"].index(record["target"])
        end = start + len(record["target"])
        matches = [
            m
            for m in _matches(record["summary"], record["source"])
            if m.quantity.span[0] < end and m.quantity.span[1] > start
        ]
        total += 1
        if matches and all(m.status == expected for m in matches):
            agree += 1
        else:
            wrong.append((record["id"], record["target"], [m.status for m in matches]))
    assert total >= 140
    assert agree == total, wrong


def test_selftest_faithful_summaries_are_not_flagged() -> None:
    flagged = [
        (record["id"], m.quantity.text, m.evidence)
        for record in _selftest()
        if record["label"] == 1
        for m in _matches(record["summary"], record["source"])
        if m.status in ("unsupported", "context_mismatch")
    ]
    assert flagged == []


def _flag_rate(pairs: list[tuple[str, str]]) -> float:
    flagged = 0
    for source, summary in pairs:
        matches = match_quantities(extract_quantities(summary), cached_quantities(source))
        flagged += any(m.status in ("unsupported", "context_mismatch") for m in matches)
    return flagged / len(pairs)


def test_consistent_summedits_and_qags_summaries_are_rarely_flagged() -> None:
    summedits = shared("data/summedits/summedits_news.json")
    qags = shared("data/qags/qags_cnndm.json")
    news = json.loads(summedits.read_text(encoding="utf-8"))
    consistent = [(x["doc"], x["summary"]) for x in news if x["label"] == 1]
    assert len(consistent) > 300
    assert _flag_rate(consistent) <= 0.02
    cnndm = json.loads(qags.read_text(encoding="utf-8"))
    faithful = [
        (x["source"], x["system_output"])
        for x in cnndm
        if (
            x["scores"]
            if isinstance(x["scores"], dict)
            else json.loads(x["scores"].replace("'", '"'))
        )["consistency"]
        >= 0.99
    ]
    assert len(faithful) > 100
    assert _flag_rate(faithful) <= 0.02


def _newsbriefs() -> list[dict[str, Any]]:
    with NEWSBRIEFS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _corrupt(text: str, factor: float) -> str | None:
    match = _DIGITS.search(text)
    if match is None:
        return None
    digits = match.group()
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value = float(digits.replace(",", "")) * factor
    new = f"{value:,.{decimals}f}" if "," in digits else f"{value:.{decimals}f}"
    return None if new == digits else text.replace(digits, new, 1)


def test_newsbriefs_references_with_one_number_changed_are_flagged() -> None:
    checked = 0
    for record in _newsbriefs():
        reference, source = record["reference"], cached_quantities(record["source"])
        for q in extract_quantities(reference):
            if q.kind not in ("count", "money", "percent", "quantity") or q.is_range:
                continue
            for factor in (1.3, 0.7, 1.6, 0.45, 2.5):
                changed = _corrupt(q.text, factor)
                if changed is None:
                    continue
                text = reference[: q.span[0]] + changed + reference[q.span[1] :]
                (new,) = [x for x in extract_quantities(text) if x.span[0] == q.span[0]]
                if any(equivalent(new, c) for c in source):
                    continue  # the new value happens to be in the article: try another
                (match,) = [
                    m
                    for m in match_quantities(extract_quantities(text), source)
                    if m.quantity.span[0] == q.span[0]
                ]
                assert match.status in ("unsupported", "context_mismatch"), (
                    record["id"],
                    new.text,
                    match.evidence,
                )
                checked += 1
                break
    assert checked >= 150


SWAPS = [
    (
        "nb-001",
        "civilians were killed and more than 1,300 wounded",
        "civilians were wounded and more than 1,300 killed",
    ),
    ("nb-002", "killing two workers, injuring five", "killing five workers, injuring two"),
    ("nb-004", "were exports and 1.5 million imports", "were imports and 1.5 million exports"),
    (
        "nb-007",
        "killing at least 27 people and injuring 940",
        "killing 940 people and injuring at least 27",
    ),
    ("nb-009", "net profit fell 31%", "net profit rose 31%"),
    ("nb-017", "revenue rose 38%", "revenue fell 38%"),
    ("nb-020", "1,120 confirmed deaths", "1,120 confirmed cases"),
    ("nb-030", "38% rise in operating profit", "38% rise in revenue"),
    (
        "nb-015",
        "revenues of 712 billion lei and spending of 834 billion lei",
        "revenues of 834 billion lei and spending of 712 billion lei",
    ),
    (
        "nb-035",
        "killed at least 27 people and left 14 missing",
        "killed at least 14 people and left 27 missing",
    ),
    (
        "nb-039",
        "displaced more than 56,000 people and killed at least 80",
        "displaced at least 80 people and killed more than 56,000",
    ),
    (
        "nb-026",
        "312 suspected cholera cases and seven deaths",
        "312 cholera deaths and seven suspected cases",
    ),
]


@pytest.mark.parametrize(("record_id", "old", "new"), SWAPS, ids=[s[0] for s in SWAPS])
def test_newsbriefs_references_with_swapped_context_are_mismatches(
    record_id: str, old: str, new: str
) -> None:
    (record,) = [r for r in _newsbriefs() if r["id"] == record_id]
    assert old in record["reference"]
    text = record["reference"].replace(old, new)
    start = text.index(new)
    inside = [
        m
        for m in match_quantities(extract_quantities(text), cached_quantities(record["source"]))
        if start <= m.quantity.span[0] < start + len(new)
    ]
    numeric = [m for m in inside if m.quantity.kind != "ordinal"]
    assert numeric and all(m.status == "context_mismatch" for m in numeric), [
        (m.quantity.text, m.status, m.evidence) for m in numeric
    ]
