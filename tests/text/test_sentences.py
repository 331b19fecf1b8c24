"""Sentence splitting (harness.text.sentences): spans, long lines, opening marks."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest

from harness.text.sentences import sentence_spans, split_sentences
from tests.requires import shared

NEWSBRIEFS = Path(__file__).resolve().parents[2] / "benchmarks" / "newsbriefs" / "articles.jsonl"
#: A sentence that ends in an opening mark (a space before it): it belongs to the next one.
DANGLING = re.compile(r"\s[\"“‘'(\[]$")


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ('He said. "Next, we go." Done.', ["He said.", '"Next, we go."', "Done."]),
        ("It fell. “We lost,” she said.", ["It fell.", "“We lost,” she said."]),
        ("It rose (a lot). (See below.) End.", ["It rose (a lot).", "(See below.)", "End."]),
        ('He said "no." Then left.', ['He said "no."', "Then left."]),  # a closing mark stays
    ],
)
def test_an_opening_mark_starts_the_sentence_it_opens(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # QAGS's tokenised CNN/DailyMail: lead-3 extracted "... a $ 7 ." for $7.6 billion
        (
            "it has a $ 7 . 6 billion hole . it grew 1 . 2 metres .",
            ["it has a $ 7 . 6 billion hole .", "it grew 1 . 2 metres ."],
        ),
        # a year before the point ends its sentence, as the numbers engine reads it
        ("he left in 2019 . 5 people stayed .", ["he left in 2019 .", "5 people stayed ."]),
        ("It cost 7. 6 people paid.", ["It cost 7.", "6 people paid."]),  # not spaced: an end
        # an abbreviation written before a number, which spaCy's tokenizer does not know
        (
            "He lives at No. 10 Downing St. in London. It is old.",
            ["He lives at No. 10 Downing St. in London.", "It is old."],
        ),
        ("It cost approx. 5 million. Fine.", ["It cost approx. 5 million.", "Fine."]),
        ("Good. Vol. 2 was better. See Fig. 3.", ["Good.", "Vol. 2 was better.", "See Fig. 3."]),
        ("He said no. 5 people left.", ["He said no.", "5 people left."]),  # lower-case "no"
    ],
)
def test_a_number_is_not_cut_at_its_point_nor_after_its_abbreviation(
    text: str, sentences: list[str]
) -> None:
    assert split_sentences(text) == sentences


def test_spans_still_cover_the_text_in_order() -> None:
    text = 'One. "Two." Three "four". (Five.)'
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["One.", '"Two."', 'Three "four".', "(Five.)"]
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


def sources() -> list[str]:
    texts = [json.loads(line)["source"] for line in NEWSBRIEFS.read_text("utf-8").splitlines()]
    for domain in ("news", "podcast", "sales_email", "samsum"):
        rows = json.loads(shared(f"data/summedits/summedits_{domain}.json").read_text("utf-8"))
        texts += sorted({row["doc"] for row in rows})
    return texts


def test_no_sentence_of_the_shipped_sources_ends_in_an_opening_mark() -> None:
    # Before the fix, 47 of the 3,613 sentences did ('...said. "'), so lead-3 and
    # textrank summaries carried a stray mark and dropped the one they needed.
    dangling = [
        text[start:end]
        for text in sources()
        for start, end in sentence_spans(text)
        if DANGLING.search(text[start:end])
    ]
    assert dangling == []
