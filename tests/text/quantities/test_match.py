"""Tests for `match_quantities`: the status of each summary quantity and its evidence."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.text.quantities import (
    MatchSettings,
    QuantityMatch,
    cached_quantities,
    extract_quantities,
    match_quantities,
)

# the project's seed brief on the NIS report
NIS = (
    "South Korea’s National Intelligence Service (NIS) reported that at least 300 North "
    "Korean soldiers have died and 2,700 have been wounded fighting in Russia’s Kursk "
    "Oblast, largely due to their inexperience in modern warfare. These casualties align "
    "with President Zelensky’s earlier claim of 4,000 total North Korean casualties. "
    "Recently, Ukraine captured two North Korean soldiers."
)


FIRE = (
    "A drone attack on 7 and 8 January ignited a fire at the oil depot in Engels, resulting "
    "in five days of firefighting. Two firefighters were killed, and one was hospitalised. "
    "Repairs will cost 4.2 billion dollars, the governor said, and inflation rose 7 per cent. "
    "The depot handles 16m tonnes a year and took a year to build."
)


def _matches(summary: str, source: str, **settings: Any) -> list[QuantityMatch]:
    return match_quantities(
        extract_quantities(summary), extract_quantities(source), MatchSettings(**settings)
    )


def _status(summary: str, source: str, **settings: Any) -> list[str]:
    return [m.status for m in _matches(summary, source, **settings)]


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        # dead + wounded are casualties, not deaths: caught, with the arithmetic shown
        ("3,000 soldiers died.", "unsupported"),
        ("3,000 North Korean soldiers were killed.", "unsupported"),
        ("2,700 died.", "context_mismatch"),
        ("300 soldiers were wounded.", "context_mismatch"),
        ("3,000 casualties.", "derived"),
        ("At least 3,000 North Korean soldiers in total.", "derived"),
        ("300 soldiers died.", "supported"),
        ("over 300 soldiers perished", "supported"),
        ("more than 2,700 were wounded", "supported"),
        ("2,700 injured", "supported"),
        ("4,000 casualties", "supported"),
        ("4,000 killed", "context_mismatch"),
        ("400 soldiers died.", "unsupported"),
        ("two soldiers were captured", "supported"),
    ],
)
def test_nis_seed_example(summary: str, expected: str) -> None:
    (match,) = _matches(summary, NIS)
    assert match.status == expected, match.evidence


def test_nis_evidence_names_the_source_numbers() -> None:
    (died,) = _matches("3,000 soldiers died.", NIS)
    assert died.evidence.startswith("no quantity of 3,000 (count) in the source; 300 died + 2,700")
    assert "wounded = 3,000, but not all died" in died.evidence
    assert [op.text for op in died.operands] == ["300", "2,700"]
    (swapped,) = _matches("2,700 died.", NIS)
    assert swapped.evidence.startswith("source says 2,700 wounded, not died")
    (derived,) = _matches("3,000 casualties.", NIS)
    assert derived.evidence == "300 + 2,700 = 3,000 (source sentence 1)"
    (missing,) = _matches("400 soldiers died.", NIS)
    assert missing.evidence.startswith("no quantity of 400 (count) in the source; closest: 300")


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("2 firefighters died", "supported"),
        ("two firefighters died", "supported"),
        ("3 firefighters died", "unsupported"),
        ("a five-day effort", "supported"),
        ("five days", "supported"),
        ("120 hours", "supported"),
        ("six days", "unsupported"),
        ("$4.2bn", "supported"),
        ("about $4.2 billion", "supported"),
        ("4.2 billion", "supported"),
        ("€4.2bn", "unsupported"),
        ("$4.3bn", "unsupported"),
        ("7%", "supported"),
        ("7 percent", "supported"),
        ("70%", "unsupported"),
        ("7 percentage points", "unsupported"),
        ("16 million tons", "supported"),
        ("16m tonnes a year", "supported"),
        ("16,000 kg", "unsupported"),
        ("twelve months", "supported"),
        ("12 months", "supported"),
        ("365 days", "supported"),
        ("January 7-8", "supported"),
        ("January 7", "supported"),
        ("January 9", "unsupported"),
        ("February 7-8", "unsupported"),
        ("one was hospitalised", "supported"),
    ],
)
def test_spec_matching_cases(summary: str, expected: str) -> None:
    (match,) = _matches(summary, FIRE)
    assert match.status == expected, match.evidence


@pytest.mark.parametrize(
    "written",
    ["A 30-year-old man", "A man, 30 years old,", "A man aged 30", "A man who at the age of 30"],
)
@pytest.mark.parametrize(
    "source_age", ["A 30-year-old man", "The man, 30 years old,", "The man, aged 30,"]
)
def test_an_age_backs_the_same_age_however_written(written: str, source_age: str) -> None:
    source = f"{source_age} was arrested in Leeds on Friday."
    assert _status(f"{written} was arrested.", source) == ["supported"]
    assert _status(written.replace("30", "31") + " was arrested.", source) == ["unsupported"]


def test_citation_marks_of_a_summary_are_no_quantities() -> None:
    source = "The storm killed 12 people on Tuesday, officials said."
    assert _status("The storm killed 12 people [3].", source) == ["supported"]
    assert _status("The storm killed 13 people [3].", source) == ["unsupported"]


def test_scores_are_two_numbers_not_a_range() -> None:
    assert _status("a 7-2 vote", "voted seven to two") == ["supported", "supported"]
    assert _status("258 votes to 141", "voted 258 to 141") == ["supported", "supported"]


def test_context_can_be_switched_off() -> None:
    assert _status("2,700 died.", NIS, context=False) == ["supported"]
    assert _status("3,000 soldiers died.", NIS, context=False) == ["derived"]
    assert _status("about 2,700 died.", NIS) == ["context_mismatch"]


def test_findings_have_the_documented_shape() -> None:
    summary = "At least 3,000 casualties and 2,700 deaths were reported; 9 generals fled."
    matches = match_quantities(extract_quantities(summary), cached_quantities(NIS))
    findings = [m.finding() for m in matches]
    assert [f["status"] for f in findings] == ["derived", "context_mismatch", "unsupported"]
    keys = {
        "kind",
        "text",
        "span",
        "status",
        "value",
        "high",
        "unit",
        "quantity_kind",
        "qualifier",
        "source_span",
        "source_text",
        "evidence",
    }
    for finding in findings:
        assert set(finding) == keys
        assert finding["kind"] == "number"
        start, end = finding["span"]
        assert summary[start:end] == finding["text"]
        json.dumps(finding)  # plain data
    derived, swapped, _ = findings
    assert derived["qualifier"] == "at least"
    assert derived["source_text"] == "300 + 2,700"
    start, end = derived["source_span"]
    assert NIS[start:end].startswith("300") and NIS[start:end].endswith("2,700")
    start, end = swapped["source_span"]
    assert NIS[start:end] == swapped["source_text"] == "2,700"


@pytest.mark.parametrize(
    ("source", "summary", "expected"),
    [
        ("The tower is 300 m tall.", "The tower is 300 feet tall.", "unsupported"),
        ("The tower is 300 m tall.", "The tower is 984 feet tall.", "supported"),
        ("The tank holds 5 litres.", "The tank holds 5 gallons.", "unsupported"),
        ("The run is 20 km long.", "The run is 20 mi long.", "unsupported"),
        ("The run is 20 km long.", "The run is 12.4 miles long.", "supported"),
        ("It was 30 °C at noon.", "It was 30 °F at noon.", "unsupported"),
        ("It was 30 °C at noon.", "It was 86 °F at noon.", "supported"),
        ("It was 30 degrees at noon.", "It was 30 °F at noon.", "unsupported"),
        ("It was 30 degrees at noon.", "It was 30 degrees at noon.", "supported"),
        ("The bag weighs 5 kg.", "The bag weighs 5 lb.", "unsupported"),
        ("The bag weighs 5 kg.", "The bag weighs 11 pounds.", "supported"),
    ],
)
def test_units_of_one_dimension_match_only_after_conversion(
    source: str, summary: str, expected: str
) -> None:
    (match,) = _matches(summary, source)
    assert match.status == expected, match.evidence
