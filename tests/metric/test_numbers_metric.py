"""Tests for the ``numbers`` metric: values, recall, shared source analysis, registration.

The matching rules are tested in tests/text/quantities/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from harness.config import MetricConfig
from harness.metric import METRICS, MetricInput, build_metric
from harness.metric.numbers import NumbersMetric, NumbersParams
from harness.records import Example
from harness.text.quantities import cached_quantities

NEWSBRIEFS = Path(__file__).resolve().parents[2] / "benchmarks" / "newsbriefs" / "articles.jsonl"


# the project's seed brief on the NIS report
NIS = (
    "South Korea’s National Intelligence Service (NIS) reported that at least 300 North "
    "Korean soldiers have died and 2,700 have been wounded fighting in Russia’s Kursk "
    "Oblast, largely due to their inexperience in modern warfare. These casualties align "
    "with President Zelensky’s earlier claim of 4,000 total North Korean casualties. "
    "Recently, Ukraine captured two North Korean soldiers."
)


def _item(summary: str, source: str = NIS, *references: str) -> MetricInput:
    return MetricInput(
        example=Example(id="x", source=source, references=references), summary=summary
    )


def test_metric_values() -> None:
    metric = NumbersMetric(NumbersParams())
    summary = "NIS says 300 soldiers died, 2,700 were wounded and 3,000 died in total; 9 fled."
    result = metric.score([_item(summary)])[0]
    assert result.values["precision"] == pytest.approx(2 / 4)
    assert result.values["unsupported"] == 2.0
    assert len(result.findings) == 4
    assert all(type(v) is float for v in result.values.values() if v is not None)


def test_a_tokenised_summary_copied_from_a_tokenised_source_is_supported() -> None:
    # QAGS's CNN/DailyMail sources split numbers PTB style; restored alone, the copy's
    # "$ 100 , 000" read as $100 and 000, so lead-3 there had 13 summaries with
    # "unsupported" numbers that its source states.
    source = (
        "sterling said he was not ready to sign a new $ 100 , 000 - a - week deal . "
        "the club lost $ 7 . 6 billion over 1 , 300 years ."
    )
    summary = "sterling said he was not ready to sign a new $ 100 , 000 - a - week deal ."
    [result] = NumbersMetric(NumbersParams()).score([_item(summary, source)])
    assert result.values["precision"] == 1.0
    assert [f["text"] for f in result.findings] == ["$ 100 , 000"]
    [result] = NumbersMetric(NumbersParams()).score([_item(source, source)])
    assert result.values["precision"] == 1.0 and result.values["unsupported"] == 0.0


def test_precision_is_none_without_quantities() -> None:
    result = NumbersMetric(NumbersParams()).score([_item("Soldiers died in Kursk.")])[0]
    assert result.values["precision"] is None
    assert result.values["unsupported"] == 0.0
    assert result.findings == []


def test_recall_uses_the_reference_when_there_is_one() -> None:
    reference = "At least 300 soldiers died and 2,700 were wounded."
    metric = NumbersMetric(NumbersParams())
    full = metric.score([_item("300 died and 2,700 were wounded.", NIS, reference)])[0]
    half = metric.score([_item("About 300 soldiers died.", NIS, reference)])[0]
    swapped = metric.score([_item("2,700 died and 300 were hurt.", NIS, reference)])[0]
    assert full.values["recall"] == 1.0
    assert half.values["recall"] == 0.5
    assert swapped.values["recall"] == 0.0


def test_recall_without_reference_uses_the_salient_source_quantities() -> None:
    source = (
        "Two died on Monday. Five were hurt. It was the first such fire. "
        "Later 7 fled. Police said 7 fled."
    )
    metric = NumbersMetric(NumbersParams())
    assert metric.score([_item("Two died; 7 fled.", source)])[0].values["recall"] == pytest.approx(
        2 / 3
    )
    assert metric.score([_item("A fire.", "A fire. It burned.")])[0].values["recall"] is None


def test_source_analysis_is_shared_between_systems() -> None:
    source = NIS + " A unique sentence for the cache test with 17 goats."
    metric = NumbersMetric(NumbersParams())
    before = cached_quantities.cache_info()
    metric.score([_item("300 died.", source), _item("2,700 were hurt.", source)])
    after = cached_quantities.cache_info()
    # the shared source once, and each summary once (the entities check reuses them)
    assert after.misses - before.misses == 3
    assert after.hits - before.hits >= 1


def test_registration_and_params() -> None:
    entry = METRICS.get("numbers")
    assert entry.requires == frozenset({"source"})
    assert [spec.name for spec in entry.values] == ["precision", "recall", "unsupported"]
    assert [spec.higher_is_better for spec in entry.values] == [True, True, False]
    _, metric = build_metric(MetricConfig(name="numbers", params={"derived": False}), "test")
    assert metric.fingerprint.params["derived"] is False
    assert metric.fingerprint.digest() != NumbersMetric(NumbersParams()).fingerprint.digest()
    with pytest.raises(ValidationError):
        NumbersParams.model_validate({"approx_tol": -1})


# --- newsbriefs ------------------------------------------------------------------


def _newsbriefs() -> list[dict[str, Any]]:
    with NEWSBRIEFS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_newsbriefs_references_are_supported() -> None:
    metric = NumbersMetric(NumbersParams())
    items = [_item(r["reference"], r["source"]) for r in _newsbriefs()]
    results = metric.score(items)
    precisions = [r.values["precision"] for r in results if r.values["precision"] is not None]
    flagged = [
        (record["id"], f["text"], f["evidence"])
        for record, result in zip(_newsbriefs(), results, strict=True)
        for f in result.findings
        if f["status"] in ("unsupported", "context_mismatch")
    ]
    assert len(precisions) == 40
    assert sum(precisions) / len(precisions) >= 0.98, flagged
    assert len(flagged) <= 1, flagged
    # the README's arithmetic case: £70m = £62m + up to £8m in add-ons
    statuses = {f["text"]: f["status"] for f in results[30].findings}
    assert statuses["£70m"] == "derived"
