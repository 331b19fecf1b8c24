"""Slot substitutions, weekdays, clock times and prefix antonyms (harness.text.alignment)."""

from __future__ import annotations

from difflib import SequenceMatcher
from itertools import pairwise

import pytest

from harness.text.alignment import (
    Token,
    align,
    prefix_antonyms,
    substitutions,
    tokenize,
    unsupported_times,
    unsupported_weekdays,
)
from harness.text.sentences import sentence_spans

SOURCE = (
    "Pfizer reported a fourth-quarter decline in vaccine sales and guided for sales of $5bn "
    "in 2023. Separately, Gilead said Biktarvy sales crossed $10bn. "
    "The lawmakers met with the prosecutor general and President Zelenskyy during a trip to "
    "Kyiv. The Bank of Japan said on Wednesday it would buy bonds; markets had fallen on "
    "Tuesday. Norvane Energy supplied turbines for the 1.4-gigawatt Dogger Ridge farm, "
    "and six workers were hurt."
)


def facts(summary: str) -> list[tuple[str, str, str]]:
    return [(f["fact"], f["text"], f["source_text"]) for f in substitutions(summary, SOURCE)]


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        # a value found elsewhere in the source, put in this sentence's slot
        ("Pfizer guided for sales of $10bn in 2023.", [("number", "$10bn", "$5bn")]),
        (
            "The Bank of Japan said on Tuesday it would buy bonds.",
            [("weekday", "Tuesday", "Wednesday")],
        ),
        (
            "The lawmakers met with the prosecutor general and President Biden during a trip.",
            [("name", "Biden", "Zelenskyy")],
        ),
        (
            "It supplied turbines for the Dogger Ridge farm, and seven workers were hurt.",
            [("number", "seven", "six")],
        ),
    ],
)
def test_a_changed_fact_between_kept_words_is_flagged_with_the_source_sentence(
    summary: str, expected: list[tuple[str, str, str]]
) -> None:
    assert facts(summary) == expected
    finding = substitutions(summary, SOURCE)[0]
    start, end = finding["source_span"]
    assert SOURCE[start:end] == finding["source_text"]
    assert finding["source_text"] in finding["evidence"]
    assert summary[finding["span"][0] : finding["span"][1]] == finding["text"]


@pytest.mark.parametrize(
    "summary",
    [
        "Pfizer guided for sales of $5bn in 2023.",
        "Norvane Energy supplied turbines for the 1,400-megawatt Dogger Ridge farm.",
        "It supplied turbines for the Dogger Ridge farm, and 6 workers were hurt.",
        # more than the number changed: another statement, not a swapped value
        "It supplied turbines for the Dogger Ridge farm, and seven engineers were hurt.",
        "The lawmakers met with the prosecutor general and President Zelensky during a trip.",
        # paraphrase of an open-class word: no closed-class fact changed
        "The lawmakers met with the prosecutor general and President Zelenskyy during a visit.",
        # too far from any source sentence to compare word for word
        "Japan's central bank intervened in the bond market on Tuesday.",
    ],
)
def test_equal_values_variants_and_loose_paraphrases_are_not_flagged(summary: str) -> None:
    assert facts(summary) == []


@pytest.mark.parametrize(
    ("source", "summary"),
    [
        ("Mr Hollande flew to São Paulo on Monday.", "Mr Hollande flew to Sao Paulo on Monday."),
        ("Mr Hollande flew to Sao Paulo on Monday.", "Mr Hollande flew to São Paulo on Monday."),
        ("The minister met Angela Müller in Berlin.", "The minister met Angela Muller in Berlin."),
        ("The minister met Olaf Scholz in Paris.", "The minister met Olaf Scholz in Ｐａｒｉｓ."),
    ],
)
def test_a_name_without_its_diacritics_or_in_full_width_is_no_substitution(
    source: str, summary: str
) -> None:
    assert substitutions(summary, source) == []
    # the control: another name in that slot is flagged
    other = summary.replace("Sao Paulo", "Lima").replace("São Paulo", "Lima")
    other = other.replace("Muller", "Schulz").replace("Ｐａｒｉｓ", "Rome")
    assert [f["fact"] for f in substitutions(other, source)] == ["name"]


def test_weekdays_the_source_never_names_are_flagged() -> None:
    assert [f["text"] for f in unsupported_weekdays("They met on Friday.", SOURCE)] == ["Friday"]
    assert "Wednesday" in unsupported_weekdays("They met on Friday.", SOURCE)[0]["evidence"]
    assert unsupported_weekdays("They met on Tuesday.", SOURCE) == []
    assert unsupported_weekdays("Beers on Friday.", "Wanna grab a beer? TGIF") == []
    assert unsupported_weekdays("Beers on Friday.", "See you Fri.") == []


def test_clock_times_must_be_given_by_the_source() -> None:
    source = "Jacob: Got it! 7? 8? Alex: Let's make it 7. The train is at 6:55 PM."
    assert unsupported_times("They meet at 7 pm and take the 6:55 train.", source) == []
    flagged = unsupported_times("They take the 5:55 train.", source)
    assert [f["text"] for f in flagged] == ["5:55"]
    assert unsupported_times("They meet at 9am.", source)[0]["text"] == "9am"


@pytest.mark.parametrize(
    ("summary", "source", "flagged"),
    [
        # am/pm on both sides: compared on the 24-hour clock
        ("The plane landed at 3:30 am.", "The plane landed at 3:30 pm.", ["3:30 am"]),
        ("We meet at 7 am.", "We meet at 7 pm.", ["7 am"]),
        ("We meet at 7 a.m.", "We meet at 7 p.m.", ["7 a.m."]),
        ("Lunch at 12 pm.", "Lunch at 12 am.", ["12 pm"]),
        ("It landed at 3:30 am.", "It landed at 15:30.", ["3:30 am"]),
        ("It landed at 15:30.", "It landed at 3:30 am.", ["15:30"]),
        ("It landed at 3:30 pm.", "It landed at 15:30.", []),
        ("We meet at 7pm.", "We meet at 7 PM.", []),
        ("We meet at 7 am.", "Breakfast at 7 am, dinner at 7 pm.", []),
        # "21h", "21h30": the 24-hour clock as Europe writes it
        ("The curfew starts at 9 pm.", "The curfew starts at 21h in Paris.", []),
        ("The curfew starts at 9:30 pm.", "The curfew starts at 21h30 in Paris.", []),
        ("The curfew starts at 10 pm.", "The curfew starts at 21h in Paris.", ["10 pm"]),
        ("The curfew starts at 22h.", "The curfew starts at 9 pm in Paris.", ["22h"]),
        ("Mass is at 9h45.", "Mass is at 10h45.", ["9h45"]),
        ("It is a 4h drive, done in 24h.", "It is a long drive.", []),
        # am/pm on one side only: as before
        ("We meet at 7 pm.", "We meet at 7.", []),
        ("We meet at 7.", "We meet at 7 pm.", []),
        ("It landed at 3:30.", "It landed at 3:30 pm.", []),
        ("It landed at 3:30 pm.", "It landed at 3:30.", []),
        ("We meet at 7 pm.", "Got it! 7? Or 8? Fine, 9 am.", []),
        # am/pm attached to the minutes, and the dot of British style: read whole
        ("We meet at 9:30am.", "We meet at 6:15 pm.", ["9:30am"]),
        ("We meet at 10:15pm.", "We meet at 3 pm.", ["10:15pm"]),
        ("We meet at 10:15pm.", "We meet at 10:15 PM.", []),
        ("We meet at 9:30 am.", "We meet at 9.30am.", []),
        ("We meet at 9.30 a.m.", "We meet at 9:30 pm.", ["9.30 a.m."]),
        ("The fare is 9.30 now.", "The fare is 9.30 now.", []),
        # noon and midnight are 12 pm and 12 am
        ("Lunch is at 12pm.", "Lunch is at noon.", []),
        ("Lunch is at 12:00.", "Lunch is at midday.", []),
        ("The fireworks start at 12 am.", "The fireworks start at midnight.", []),
        ("The fireworks start at 12 pm.", "The fireworks start at midnight.", ["12 pm"]),
        ("Lunch is at 1pm.", "Lunch is at noon.", ["1pm"]),
    ],
)
def test_am_and_pm_are_compared_where_both_sides_say_them(
    summary: str, source: str, flagged: list[str]
) -> None:
    assert [f["text"] for f in unsupported_times(summary, source)] == flagged


@pytest.mark.parametrize(
    ("summary", "source", "flagged"),
    [
        ("The host is unrelatable.", "The host is relatable and funny.", ["unrelatable"]),
        ("A conventional podcast.", "An unconventional, uncensored podcast.", ["conventional"]),
        ("Cuts were likely before March.", "Cuts were unlikely before March.", ["likely"]),
        ("A non-profit group.", "A non - profit group, not for profit.", []),
        ("Unlike rivals, it grew.", "Like its rivals, it grew.", []),
        ("The cause is unknown.", "The cause is unknown.", []),
    ],
)
def test_negative_prefixes_are_compared_with_the_source(
    summary: str, source: str, flagged: list[str]
) -> None:
    assert [f["text"] for f in prefix_antonyms(summary, source)] == flagged


def _align_by_brute_force(sentence: list[Token], source: str) -> tuple[tuple[Token, ...], list]:  # type: ignore[type-arg]
    """`align` as first written: every candidate window compared with a fresh matcher."""
    keys = [token.key for token in sentence]
    spans = sentence_spans(source)
    sentences = [tuple(tokenize(source[start:end], start)) for start, end in spans]
    windows = [*sentences, *(a + b for a, b in pairwise(sentences))]
    wanted = set(keys)
    candidates = sorted(windows, key=lambda w: -len(wanted & {t.key for t in w}))[:8]
    best = None
    for window in candidates:
        matcher = SequenceMatcher(None, keys, [t.key for t in window], autojunk=False)
        matched = sum(block.size for block in matcher.get_matching_blocks())
        if best is None or matched > best[0]:
            best = (matched, window, matcher)
    assert best is not None
    return best[1], best[2].get_opcodes()


@pytest.mark.parametrize(
    "summary",
    [
        "Pfizer guided for sales of $10bn in 2023.",
        "The Bank of Japan said on Tuesday it would buy bonds. Markets had fallen.",
        "Gilead said sales crossed $10bn and the lawmakers met President Zelenskyy in Kyiv.",
        "Six workers were hurt at the Dogger Ridge farm, Norvane Energy said on Wednesday.",
        "the the the bank bank of of Japan Japan",
        "Nothing here is in the source at all.",
    ],
)
def test_align_chooses_what_comparing_every_candidate_chooses(summary: str) -> None:
    for start, end in sentence_spans(summary):
        sentence = tokenize(summary[start:end], start)
        window, matcher = align(sentence, SOURCE)
        expected_window, expected_opcodes = _align_by_brute_force(sentence, SOURCE)
        assert window == expected_window
        assert matcher.get_opcodes() == expected_opcodes


def test_align_gives_each_caller_its_own_matcher() -> None:
    first = tokenize("The Bank of Japan said on Tuesday it would buy bonds.")
    _, matcher = align(first, SOURCE)
    # the same source window, compared with another sentence before the first is read
    align(tokenize("The Bank of Japan said on Monday it would sell bonds."), SOURCE)
    assert matcher.a == [token.key for token in first]
    assert matcher.get_opcodes() == _align_by_brute_force(first, SOURCE)[1]
