"""Tests for context conflicts: cue classes, noun types, earlier values and frames."""

from __future__ import annotations

from typing import Any

import pytest

from harness.text.quantities import (
    MatchSettings,
    QuantityMatch,
    context_conflict,
    extract_quantities,
    match_quantities,
)


def _matches(summary: str, source: str, **settings: Any) -> list[QuantityMatch]:
    return match_quantities(
        extract_quantities(summary), extract_quantities(source), MatchSettings(**settings)
    )


def _status(summary: str, source: str, **settings: Any) -> list[str]:
    return [m.status for m in _matches(summary, source, **settings)]


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        ("exports of 14.6 million tonnes", "imports of 14.6 million tonnes", "context_mismatch"),
        ("revenue rose 38%", "operating profit rose 38%", "context_mismatch"),
        ("profit fell 31%", "a 31% fall in profit", "supported"),
        ("profit rose 31%", "a 31% fall in profit", "context_mismatch"),
        # a result's sign: a profit or surplus is not a loss or deficit
        ("made a profit of $3 million", "reported a loss of $3 million", "context_mismatch"),
        ("made a loss of $3 million", "reported a profit of $3 million", "context_mismatch"),
        ("sales gains of 5%", "sales rose 5%", "supported"),
        ("earnings of $3 million", "a net loss of $3 million", "context_mismatch"),
        ("a surplus of $3 billion", "a deficit of $3 billion", "context_mismatch"),
        ("a budget deficit of 3%", "a budget surplus of 3%", "context_mismatch"),
        ("losses of $3 million", "a $3 million loss", "supported"),
        ("a surplus of $3 billion", "a profit of $3 billion", "supported"),
        ("it lost $3 million", "a net loss of $3 million", "supported"),
        (
            "a profit of $3 million",
            "swung to a profit of $3 million from a loss of $1 million",
            "supported",
        ),
        ("9,870 homes destroyed", "9,870 homes damaged", "context_mismatch"),
        ("63 cases", "Cholera has killed 63 people", "context_mismatch"),
        ("14 missing", "left 14 missing", "supported"),
        # a class-free source number does not conflict...
        ("2 firefighters died", "Two firefighters arrived", "supported"),
        # ...unless the same value is stated for a conflicting thing elsewhere
        ("injuring two", "It hit two substations, killing two workers.", "context_mismatch"),
        ("killing two", "It hit two substations, killing two workers.", "supported"),
        # "casualties" covers deaths, not the reverse
        ("300 casualties", "300 soldiers died", "supported"),
        ("300 died", "300 casualties", "context_mismatch"),
    ],
)
def test_context_rules(summary: str, source: str, expected: str) -> None:
    (match,) = _matches(summary, source)
    assert match.status == expected, match.evidence


FORECASTS = (
    "The IMF cut its 2025 growth forecast to 2.8% on Tuesday, while the World Bank kept its "
    "estimate at 2.3%."
)


ELECTION = (
    "Ilona Varga won the election in Debrecen with 52.4% of the vote. Her rival, Gábor Tóth, "
    "took 41.8%. Turnout was 61 percent."
)


AID = "The office said it had received $1.1 billion of the $2.8 billion it requested."


FINES = (
    "The largest fine, of €412 million, was imposed on Halbach Chemie. The court reduced it to "
    "€338 million, finding that Halbach was no ringleader. The judges also cut the penalty on "
    "Quimisur from €97 million to €66.6 million."
)


MEMORY = (
    "Sales of memory chips (HBM), which are stacked next to processors, nearly tripled to "
    "¥690 billion. The sensor division saw sales fall 6 percent to ¥1.02 trillion."
)


DRONES = "It shot down 31 of 44 drones launched."


@pytest.mark.parametrize(
    ("summary", "source", "target", "expected"),
    [
        # the summary's words tie the value to another source value of its kind
        ("The IMF cut its growth forecast to 2.3%.", FORECASTS, "2.3%", "context_mismatch"),
        ("Gábor Tóth took 52.4% of the vote.", ELECTION, "52.4%", "context_mismatch"),
        ("It had received $2.8 billion.", AID, "$2.8 billion", "context_mismatch"),
        ("It shot down 44 drones.", DRONES, "44", "context_mismatch"),
        (
            "It will cut 1,150 jobs, about 11% of its workforce.",
            "It will cut 1,150 jobs, about 8% of its workforce, as sales fell 11 percent in the"
            " third quarter.",
            "11%",
            "context_mismatch",
        ),
        # ...and where they agree with the candidate, or tell nothing, it is supported
        ("The World Bank kept its estimate at 2.3%.", FORECASTS, "2.3%", "supported"),
        ("The IMF forecast 2.8% growth.", FORECASTS, "2.8%", "supported"),
        ("Gábor Tóth took 41.8%.", ELECTION, "41.8%", "supported"),
        ("Varga won with 52.4%.", ELECTION, "52.4%", "supported"),
        ("Turnout in Debrecen was 61%.", ELECTION, "61%", "supported"),
        ("It had requested $2.8 billion.", AID, "$2.8 billion", "supported"),
        ("The UN asked for $2.8 billion.", AID, "$2.8 billion", "supported"),
        ("It shot down 31 drones.", DRONES, "31", "supported"),
        # the words of a change belong to both values; words lost at a comma are
        # still found in the candidate's sentence
        (
            "Halbach Chemie's penalty was cut from €412 million to €338 million.",
            FINES,
            "€338 million",
            "supported",
        ),
        (
            "Halbach Chemie's penalty was cut from €412 million to €338 million.",
            FINES,
            "€412 million",
            "supported",
        ),
        ("Memory chip sales tripled to ¥690 billion.", MEMORY, "¥690 billion", "supported"),
    ],
)  # fmt: skip
def test_frame_rules(summary: str, source: str, target: str, expected: str) -> None:
    statuses = {m.quantity.text: (m.status, m.evidence) for m in _matches(summary, source)}
    assert statuses[target][0] == expected, statuses[target]


def test_frame_mismatch_evidence_names_both_values() -> None:
    (match,) = _matches("The IMF cut its growth forecast to 2.3%.", FORECASTS)
    assert match.status == "context_mismatch"
    assert match.source is not None and match.source.text == "2.3%"
    assert match.evidence == (
        "source states 2.3% of something else: 'forecast' goes with 2.8% there (source sentence 1)"
    )


def test_frames_can_be_switched_off_with_the_context() -> None:
    assert _status("The IMF cut its growth forecast to 2.3%.", FORECASTS, context=False) == [
        "supported"
    ]


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # an earlier value ("up from ...") stated as the current one
        (
            "Ukraine exported 12.4 million tonnes of grain.",
            "Ukraine exported 16.1 million tonnes of grain, up from 12.4 million tonnes.",
            "context_mismatch",
        ),
        (
            "Exports were 16.1 million tonnes, up from 12.4 million tonnes.",
            "Ukraine exported 16.1 million tonnes of grain, up from 12.4 million tonnes.",
            "supported",
        ),
        (
            "Inflation slowed to 5.5 percent in September.",
            "Inflation slowed to 4.9 percent in September from 5.5 percent in August.",
            "context_mismatch",
        ),
        (
            "Inflation was 5.5 percent in August.",
            "Inflation slowed to 4.9 percent in September from 5.5 percent in August.",
            "supported",
        ),
        (
            "more than double the 2,310 recorded on January 28",
            "4,870 cases, compared with 2,310 on January 28",
            "supported",
        ),
        # counted things of different types
        (
            "The quake killed 38 people.",
            "Officials said 38 buildings had collapsed.",
            "context_mismatch",
        ),
        (
            "It evacuated 160 villages.",
            "About 1,300 residents, including 160 children.",
            "context_mismatch",
        ),
        (
            "It evacuated 160 children.",
            "About 1,300 residents, including 160 children.",
            "supported",
        ),
        ("480 people were killed", "480 civilians were killed", "supported"),
        # the same number as another kind
        ("He holds a 38% stake.", "The offer was subscribed 38 times.", "context_mismatch"),
        ("Shipments fell to 28 tonnes.", "Exports fell 28% to 3,860 tonnes.", "context_mismatch"),
        ("He has scored 23 goals.", "The 23-year-old has scored 19 goals.", "context_mismatch"),
        ("It costs 3%.", "It has 3 plants.", "unsupported"),
    ],
)
def test_context_rules_beyond_cue_words(summary: str, source: str, expected: str) -> None:
    # the last amount of the summary is the one under test
    match = [m for m in _matches(summary, source) if m.quantity.kind != "date"][-1]
    assert match.status == expected, match.evidence


def test_context_conflict_helper() -> None:
    assert context_conflict({"death"}, {"injury"}) == "event"
    assert context_conflict({"export"}, {"import"}, "money") == "trade"
    assert context_conflict({"increase"}, {"decrease"}, "date") is None
    assert context_conflict({"casualty"}, {"death", "injury"}) is None
    assert context_conflict(set(), {"death"}) is None
