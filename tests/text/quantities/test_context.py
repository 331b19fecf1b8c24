"""Tests for pass 2 of the extraction: counted words, context classes, frames, "each"."""

from __future__ import annotations

import pytest

from harness.text.quantities import extract_quantities


@pytest.mark.parametrize(
    ("text", "counted", "context"),
    [
        ("at least 300 North Korean soldiers have died", "soldier", ("death", "person")),
        ("2,700 have been wounded", "wounded", ("injury",)),
        ("killing at least 27 people", "people", ("death", "person")),
        ("injuring 940", None, ("injury",)),
        ("sent 18 mobile gas turbine units", "unit", ()),
        ("16.1 million tonnes of cargo", "cargo", ()),
        ("Exports accounted for 14.6 million tonnes", None, ("export",)),
        ("revenue rose 38%", None, ("increase", "revenue")),
        ("a loss of $3 million", None, ("loss",)),
        ("a deficit of 3%", None, ("loss",)),
        ("a surplus of $3 billion", None, ("profit",)),
        ("shares closed 9.4% lower", "lower", ("decrease",)),
        ("about 3,000 casualties", "casualty", ("casualty",)),
        ("AFAD set up 8,200 tents", "tent", ()),
        ("up 21% on last year", "year", ("increase",)),
        ("the 90-member assembly", "member", ()),
        ("38 buildings collapsed", "building", ("building", "destroyed")),
        ("up from 12.4 million tonnes", None, ("baseline", "increase")),
        ("shot down 31 of 44 drones", None, ("part",)),
        ("including three firefighters", "firefighter", ("part", "person")),
        ("2,310 recorded on January 28", "recorded", ("dated", "dated:d128")),
        ("5.5 percent in August", None, ("dated", "dated:m8")),
        ("more than double the 2,310", None, ("compare",)),
        ("A total of 190 prisoners", "prisoner", ("person", "total")),
    ],
)
def test_counted_word_and_context(text: str, counted: str | None, context: tuple[str, ...]) -> None:
    q = extract_quantities(text)[0]
    assert q.counted == counted
    assert q.context == context


def test_context_stops_at_clause_boundaries() -> None:
    text = "At least 480 civilians have been killed and more than 1,300 wounded in a week."
    killed, wounded, _week = extract_quantities(text)
    assert killed.context == ("death", "person")
    assert wounded.context == ("injury",)


@pytest.mark.parametrize(
    ("text", "target", "frame"),
    [
        # what a number is stated of: the content words before it in its clause
        ("The IMF cut its growth forecast to 2.8%.", "2.8%", ("imf", "growth", "forecast")),
        ("Her rival, Gábor Tóth, took 41.8%.", "41.8%", ("took",)),
        ("The office said it had received $1.1 billion.", "$1.1 billion", ("offic", "receiv")),
        # stops at clause boundaries and at another quantity
        ("It rose, while the Bank kept its estimate at 2.3%.", "2.3%", ("bank", "kept", "estimat")),
        ("It shot down 31 of 44 drones.", "44", ()),
        # weekdays, reporting and direction verbs and links are not frames
        ("Police said on Monday that 12 people died.", "12", ("polic",)),
        ("Sales fell 11 percent, it reported.", "11 percent", ("sal",)),
        ("It killed 143 people, including 87 civilians.", "87", ()),
        # a value after "to"/"from" right after another shares its frame
        ("Revenue rose 12% to $5 billion.", "$5 billion", ("revenu",)),
    ],
)  # fmt: skip
def test_frame_words(text: str, target: str, frame: tuple[str, ...]) -> None:
    (q,) = [q for q in extract_quantities(text) if q.text == target]
    assert q.frame == frame


def test_sentence_words_are_shared_by_a_sentence() -> None:
    first, second, third = extract_quantities(
        "Sales of memory chips nearly tripled to ¥690 billion, about 18% of revenue. "
        "Orders fell 6 percent."
    )
    assert first.sentence_words is second.sentence_words
    assert {"memory", "chip", "revenu"} <= first.sentence_words
    assert "order" in third.sentence_words and "memory" not in third.sentence_words


@pytest.mark.parametrize(
    ("text", "each"),
    [
        ("Ukraine and Russia exchanged 95 prisoners each on Saturday.", 2),
        ("Poland, Hungary and Slovakia sent 40 trucks each.", 3),
        ("Ukraine and Russia exchanged 95 prisoners on Saturday.", 0),
        ("Tickets cost $5 each.", 0),
        ("Ukraine and Russia lost 5 tanks each day.", 0),
    ],
)
def test_values_stated_for_each_of_several_names(text: str, each: int) -> None:
    assert extract_quantities(text)[0].each == each
