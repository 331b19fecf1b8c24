"""Every labelled pair of the self-test set (benchmarks/selftest) gets its expected verdict.

Three assertions, each parametrised over the rows it applies to (the row id is
the test id):

* `test_target_gets_the_expected_status` -- every row: for ``expect.numbers``
  and ``expect.entities`` when not null, a finding of that check overlapping
  ``target`` exists and every such finding has the expected status; for the
  ``negation`` rows (both null), the ``consistency`` metric reports a
  ``{"kind": "negation"}`` or (for a negative prefix) ``{"kind": "antonym"}`` finding.
* `test_corrupted_pair_is_flagged` -- every corrupted row (``label`` 0) gets
  ``consistency.flags >= 1``, except the case types the model-free checks
  cannot see by design (`UNDETECTABLE`).
* `test_faithful_pair_has_no_flag` -- no faithful row (``label`` 1) has a
  number, entity or consistency finding that is ``unsupported`` or
  ``context_mismatch``, anywhere in the summary.

Rows the checks cannot get right yet are strict xfails (`KNOWN_MISSES`), so a
fix shows up as an unexpected pass. The three metrics score all rows once, in
one batch each (module-scoped fixture).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.config import MetricConfig
from harness.metric import MetricInput, MetricResult, build_metric
from harness.records import Example

SELFTEST = Path(__file__).resolve().parents[2] / "benchmarks" / "selftest" / "pairs.jsonl"

#: Corrupted case types that no model-free check can flag, and why.
UNDETECTABLE: dict[str, str] = {
    # "Benfica beat Porto" -> "Porto beat Benfica": every name and number is in
    # the source; only who did what changed, which needs a relational model.
    "swapped-organisation": "both organisations are in the source; only their roles changed",
}

#: Rows the checks do not (yet) get right: test name -> {row id: reason}.
KNOWN_MISSES: dict[str, dict[str, str]] = {
    "target": {},
    "flagged": {},
    "faithful": {
        "st-108": (
            "'13 of the 44 drones ... were not shot down' restates 'shot down 31 of 44': "
            "the negation check sees a negation the source sentence lacks, not the arithmetic"
        ),
    },
}


def _rows() -> list[dict[str, Any]]:
    # A file of the repository (benchmarks/): never skipped, its absence is an error.
    with SELFTEST.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


ROWS = _rows()


def _params(rows: list[dict[str, Any]], test: str) -> list[Any]:
    params = []
    for row in rows:
        reason = KNOWN_MISSES[test].get(row["id"])
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(row, id=row["id"], marks=marks))
    return params


@pytest.fixture(scope="module")
def scored() -> dict[str, dict[str, MetricResult]]:
    """Numbers, entities and consistency results per row id (one batch per metric)."""
    items = [
        MetricInput(Example(id=row["id"], source=row["source"]), row["summary"]) for row in ROWS
    ]
    results: dict[str, dict[str, MetricResult]] = {row["id"]: {} for row in ROWS}
    for name in ("numbers", "entities", "consistency"):
        _, metric = build_metric(MetricConfig(name=name), f"selftest: {name}")
        for row, result in zip(ROWS, metric.score(items), strict=True):
            results[row["id"]][name] = result
    return results


def _overlapping(row: dict[str, Any], result: MetricResult, kind: str) -> list[dict[str, Any]]:
    start = row["summary"].index(row["target"])
    end = start + len(row["target"])
    return [
        finding
        for finding in result.findings
        if finding["kind"] == kind and finding["span"][0] < end and finding["span"][1] > start
    ]


def _show(findings: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(f["text"], f["status"], f["evidence"]) for f in findings]


def test_the_set_is_complete() -> None:
    assert len(ROWS) == 269
    assert len({row["id"] for row in ROWS}) == len(ROWS)
    for row in ROWS:
        assert row["summary"].count(row["target"]) == 1, row["id"]
    known = {row_id for misses in KNOWN_MISSES.values() for row_id in misses}
    assert known <= {row["id"] for row in ROWS}
    assert set(UNDETECTABLE) <= {row["case"] for row in ROWS if row["label"] == 0}


@pytest.mark.parametrize("row", _params(ROWS, "target"))
def test_target_gets_the_expected_status(
    row: dict[str, Any], scored: dict[str, dict[str, MetricResult]]
) -> None:
    results = scored[row["id"]]
    expect = row["expect"]
    for check, kind in (("numbers", "number"), ("entities", "entity")):
        expected = expect[check]
        if expected is None:
            continue
        found = _overlapping(row, results[check], kind)
        assert found, f"no {kind} finding overlaps {row['target']!r}"
        assert all(f["status"] == expected for f in found), _show(found)
    if expect["numbers"] is None and expect["entities"] is None:
        assert row["case"] == "negation"
        negations = [
            f for f in results["consistency"].findings if f["kind"] in ("negation", "antonym")
        ]
        assert negations, results["consistency"].findings


@pytest.mark.parametrize(
    "row",
    _params(
        [row for row in ROWS if row["label"] == 0 and row["case"] not in UNDETECTABLE], "flagged"
    ),
)
def test_corrupted_pair_is_flagged(
    row: dict[str, Any], scored: dict[str, dict[str, MetricResult]]
) -> None:
    consistency = scored[row["id"]]["consistency"]
    flags = consistency.values["flags"]
    assert flags is not None and flags >= 1, consistency.findings


@pytest.mark.parametrize("row", _params([row for row in ROWS if row["label"] == 1], "faithful"))
def test_faithful_pair_has_no_flag(
    row: dict[str, Any], scored: dict[str, dict[str, MetricResult]]
) -> None:
    results = scored[row["id"]]
    flagged = [
        finding
        for check in ("numbers", "entities", "consistency")
        for finding in results[check].findings
        if finding["status"] in ("unsupported", "context_mismatch")
    ]
    assert flagged == [], _show(flagged)
