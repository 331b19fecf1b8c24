"""Tests for the ``fragments`` metric (Grusky et al., 2018, Algorithm 1)."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from harness.metric import MetricInput
from harness.metric.fragments import (
    Fragment,
    FragmentsMetric,
    FragmentsParams,
    extractive_fragments,
    fragment_tokens,
)
from harness.records import Example


def _naive_fragments(summary: Sequence[str], article: Sequence[str]) -> list[Fragment]:
    """Algorithm 1 of the paper, transcribed literally (0-based), as the oracle.

    F <- {}, <i, j> <- <0, 0>
    while i < |S|:
        f <- ()
        while j < |A|:
            if S_i = A_j:
                <i', j'> <- <i, j>; extend while S_i' = A_j'
                if |f| < i' - i: f <- S_i .. S_i'-1      (paper prints i' - i - 1)
                j <- j'
            else: j <- j + 1
        <i, j> <- <i + max(|f|, 1), 0>; F <- F + {f}
    """
    found: list[Fragment] = []
    i = j = 0
    while i < len(summary):
        best: Fragment | None = None
        while j < len(article):
            if summary[i] == article[j]:
                i_end, j_end = i, j
                while (
                    i_end < len(summary)
                    and j_end < len(article)
                    and summary[i_end] == article[j_end]
                ):
                    i_end, j_end = i_end + 1, j_end + 1
                if best is None or best.length < i_end - i:
                    best = Fragment(i, j, i_end - i)
                j = j_end
            else:
                j += 1
        if best is not None:
            found.append(best)
        i, j = i + (best.length if best is not None else 1), 0
    return found


def _fragments(summary: str, article: str) -> list[Fragment]:
    return extractive_fragments(fragment_tokens(summary), fragment_tokens(article))


def _item(summary: str, source: str) -> MetricInput:
    return MetricInput(example=Example(id="x", source=source), summary=summary)


def _values(summary: str, source: str) -> dict[str, float | None]:
    [result] = FragmentsMetric(FragmentsParams()).score([_item(summary, source)])
    return result.values


def test_hand_worked_example() -> None:
    # article: the0 cat1 sat2 on3 the4 mat5 today6        (|A| = 7)
    # summary: the0 cat1 sat2 on3 a4   mat5 today6        (|S| = 7)
    # i=0 "the": article has it at 0 and 4.
    #   j=0: the cat sat on, then "a" != "the" -> run of 4, scan resumes at j=4.
    #   j=4: "the", then "cat" != "mat" -> run of 1, not longer.   f = "the cat sat on"
    # i=4 "a": not in the article -> no fragment, i=5.
    # i=5 "mat": j=5: mat today, end of both -> run of 2.           f = "mat today"
    # coverage = (4 + 2) / 7, density = (4² + 2²) / 7 = 20 / 7, compression = 7 / 7.
    article = "the cat sat on the mat today"
    summary = "the cat sat on a mat today"
    assert _fragments(summary, article) == [
        Fragment(0, 0, 4),
        Fragment(5, 5, 2),
    ]
    assert _values(summary, article) == {
        "coverage": 6 / 7,
        "density": (16 + 4) / 7,
        "compression": 7 / 7,
    }


def test_scan_resumes_after_tried_run_as_in_the_paper() -> None:
    # Summary "a a b" in article "a a a b": the run tried at j=0 ("a a") ends at
    # j'=2, so the longer run "a a b" starting at j=1 is never tried.
    assert _fragments("a a b", "a a a b") == [Fragment(0, 0, 2), Fragment(2, 3, 1)]
    assert _values("a a b", "a a a b") == {"coverage": 1.0, "density": 5 / 3, "compression": 4 / 3}


def test_earliest_of_equally_long_runs_wins() -> None:
    assert _fragments("x y", "z x y z x y") == [Fragment(0, 1, 2)]


def test_one_word_fragments_are_kept() -> None:
    # The paper's printed test |f| < i' - i - 1 would drop these.
    assert _fragments("b q a", "a b c") == [
        Fragment(0, 1, 1),
        Fragment(2, 0, 1),
    ]


@pytest.mark.parametrize("seed", range(20))
def test_indexed_search_equals_plain_scan(seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = [f"w{k}" for k in range(rng.choice([2, 3, 5, 10, 40]))]
    for _ in range(50):
        article = rng.choices(vocabulary, k=rng.randrange(0, 80))
        if article and rng.random() < 0.5:
            # Splice copied runs into the summary so long fragments occur.
            start = rng.randrange(len(article))
            copied = article[start : start + rng.randrange(1, 12)]
            summary = rng.choices(vocabulary, k=rng.randrange(0, 6)) + copied
            summary += rng.choices(vocabulary, k=rng.randrange(0, 6))
        else:
            summary = rng.choices(vocabulary, k=rng.randrange(0, 30))
        assert extractive_fragments(summary, article) == _naive_fragments(summary, article)


def test_tokens_are_lowercased_words_without_punctuation() -> None:
    tokens = fragment_tokens('The CAT, sat -- on "the" mat!')
    assert tokens == ["the", "cat", "sat", "on", "the", "mat"]
    assert _values("The cat, sat.", "the CAT sat on the mat") == {
        "coverage": 1.0,
        "density": 9 / 3,
        "compression": 6 / 3,
    }


def test_copied_lead_is_fully_extractive() -> None:
    article = "Fire crews fought the blaze for five days. Two people died. More later."
    assert _values("Fire crews fought the blaze for five days.", article) == {
        "coverage": 1.0,
        "density": 8.0,
        "compression": 13 / 8,
    }


def test_novel_summary_has_zero_coverage() -> None:
    assert _values("Completely novel wording", "the cat sat on the mat") == {
        "coverage": 0.0,
        "density": 0.0,
        "compression": 6 / 3,
    }


@pytest.mark.parametrize("summary", ["...", "?! —", "“ ”"])
def test_summary_without_words_gives_none(summary: str) -> None:
    [result] = FragmentsMetric(FragmentsParams()).score([_item(summary, "An article.")])
    assert result.values == {"coverage": None, "density": None, "compression": None}
    assert result.reason == "summary has no words"


def test_source_without_words_is_defined() -> None:
    assert _values("Two died.", "...") == {"coverage": 0.0, "density": 0.0, "compression": 0.0}


def test_results_are_in_input_order() -> None:
    metric = FragmentsMetric(FragmentsParams())
    items = [
        _item("the cat sat", "the cat sat on the mat"),
        _item("...", "an article"),
        _item("a mat today", "the mat today"),
    ]
    batch = metric.score(items)
    assert batch == [metric.score([item])[0] for item in items]
    assert metric.score(list(reversed(items))) == list(reversed(batch))


def test_fingerprint() -> None:
    fingerprint = FragmentsMetric(FragmentsParams()).fingerprint
    assert (fingerprint.kind, fingerprint.name, fingerprint.version) == ("metric", "fragments", "1")
    assert fingerprint.params == {} and fingerprint.model is None
    assert fingerprint.digest() == FragmentsMetric(FragmentsParams()).fingerprint.digest()
