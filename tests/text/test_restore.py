"""Tests for `harness.text.restore`: detokenising and truecasing a summary, with an offset map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.text.restore import detokenise, is_tokenised, is_uncased, restore, truecase
from tests.requires import shared

ROOT = Path(__file__).resolve().parents[2]
NEWSBRIEFS = ROOT / "benchmarks" / "newsbriefs" / "articles.jsonl"
SMOLLM2 = ROOT / "benchmarks" / "newsbriefs" / "outputs" / "smollm2_summaries.jsonl"
SUMMEDITS = "data/summedits/summedits_news.json"  # under ../shared

SOURCE = (
    "Apple's iPad sold well in the U.S. in March, the company said. Apple said the Bank of "
    "England and the bank's staff had bought 50 of them. OCHA and the UN Office agreed."
)


@pytest.mark.parametrize(
    ("tokenised", "expected"),
    [
        ("apple 's ipad", "apple's ipad"),
        ("in the u.s .", "in the u.s."),
        ("he ca n't go , she wo n't", "he can't go, she won't"),
        ("they 're here ; we 've left !", "they're here; we've left!"),
        ("costs $ 5 or 5 %", "costs $5 or 5%"),
        ("£ 4.2bn ( about $ 5bn )", "£4.2bn (about $5bn)"),
        ("-lrb- ocha -rrb- said", "(ocha) said"),
        ("`` great , '' he said .", '"great," he said.'),
        ('" great , " he said .', '"great," he said.'),
        ("` the diet is processed , ' says flower .", "'the diet is processed,' says flower."),
        ("i 'm gon na say it ...", "i'm gonna say it..."),
        ("the parents ' house", "the parents' house"),
        ("first line .\nsecond line .", "first line.\nsecond line."),
    ],
)
def test_detokenise(tokenised: str, expected: str) -> None:
    assert detokenise(tokenised)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "apple 's ipad sold 3 million units in the u.s .",
            "Apple's iPad sold 3 million units in the U.S.",
        ),
        # the form next to the same word wins: "Bank of", but "the bank's"
        ("the bank of england and the bank 's staff", "The Bank of England and the bank's staff"),
        # a word seen only at sentence starts keeps its case ("apple"), unless it has
        # capitals inside
        ("they met apple and ocha in march", "They met apple and OCHA in March"),
        # unknown words are left as they are; every sentence opens with a capital
        ("zorblax said no. it left", "Zorblax said no. It left"),
        ("the un office agreed", "The UN Office agreed"),
    ],
)
def test_truecase(text: str, expected: str) -> None:
    restored = restore(text, SOURCE)
    assert restored.text == expected


def test_truecase_keeps_positions() -> None:
    text = "the ipad sold in march. the bank of england bought 50."
    cased = truecase(text, SOURCE)
    assert len(cased) == len(text) and cased.lower() == text


def test_a_tie_keeps_lower_case() -> None:
    assert truecase("they told us", "The US told us. They told US.") == "They told us"


@pytest.mark.parametrize(
    ("summary", "piece", "original"),
    [
        ("apple 's ipad sold 3 million units in the u.s .", "Apple's", "apple 's"),
        ("apple 's ipad sold 3 million units in the u.s .", "U.S.", "u.s ."),
        ("apple 's ipad sold 3 million units in the u.s .", "iPad", "ipad"),
        ("it paid $ 5 , or 5 % .", "$5", "$ 5"),
        ("it paid $ 5 , or 5 % .", "5%", "5 %"),
        ("`` great , '' he said", '"Great,"', "`` great , ''"),
        ("-lrb- ocha -rrb- said", "(OCHA)", "-lrb- ocha -rrb-"),
        ("-lrb- ocha -rrb- said", "OCHA", "ocha"),
    ],
)
def test_spans_map_back(summary: str, piece: str, original: str) -> None:
    restored = restore(summary, SOURCE)
    start = restored.text.index(piece)
    a, b = restored.span(start, start + len(piece))
    assert summary[a:b] == original
    finding = restored.finding(
        {"kind": "number", "text": piece, "span": [start, start + len(piece)]}
    )
    assert finding == {"kind": "number", "text": original, "span": [a, b]}


def test_every_character_maps_into_the_original() -> None:
    summary = "`` apple 's ipad , '' -lrb- ocha -rrb- said $ 5 ."
    restored = restore(summary, SOURCE)
    for k, char in enumerate(restored.text):
        a, b = restored.span(k, k + 1)
        assert 0 <= a < b <= len(summary)
        if char.isalnum():
            assert summary[a:b].lower() == char.lower()
    assert restored.span(len(restored.text), len(restored.text)) == (len(summary), len(summary))


def test_detection() -> None:
    assert is_uncased("apple 's ipad") and not is_uncased("Apple's iPad") and not is_uncased("3 %")
    assert is_tokenised("apple 's ipad") and is_tokenised("in the u.s .")
    assert is_tokenised("( ocha )") and is_tokenised("`` hi")
    assert not is_tokenised("Apple's iPad, sold in the U.S. (and Canada) for $5 or 5%.")


def _cased_texts() -> list[tuple[str, str]]:
    with NEWSBRIEFS.open(encoding="utf-8") as handle:
        briefs = [json.loads(line) for line in handle]
    pairs = [(row["source"], row["reference"]) for row in briefs]
    pairs += [(row["source"], row["source"]) for row in briefs]
    by_id = {row["id"]: row["source"] for row in briefs}
    with SMOLLM2.open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            pairs.append((by_id.get(row.get("id", ""), ""), row.get("summary") or ""))
    pairs += [
        (row["doc"], row["summary"]) for row in json.loads(shared(SUMMEDITS).read_text("utf-8"))
    ]
    return pairs


def test_normal_cased_text_is_left_alone() -> None:
    pairs = _cased_texts()
    assert len(pairs) > 800
    changed = [summary for source, summary in pairs if restore(summary, source).changed]
    assert changed == []
    plain = restore("Apple's iPad sold 3 million units in the U.S.", SOURCE)
    assert plain.text == plain.original and plain.span(0, 5) == (0, 5)
    assert plain.finding({"span": [0, 5], "text": "Apple"}) == {"span": [0, 5], "text": "Apple"}
