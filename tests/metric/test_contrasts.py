"""Contrast sets: a word whose alternative the source says instead (harness.metric._contrasts)."""

from __future__ import annotations

import pytest

from harness.config import MetricConfig
from harness.metric import MetricInput, build_metric
from harness.metric._contrasts import CONTRAST_SETS, contrast_partners
from harness.metric.consistency import _stem
from harness.records import Example

DIALOGUE = (
    "Kayla: You coming to school tomorrow? . Ovi: I am! . Candice: I agree, the weather "
    "was great. Kayla: My brother did not like it."
)


@pytest.fixture(scope="module")
def consistency():  # type: ignore[no-untyped-def]
    return build_metric(MetricConfig(name="consistency"), "test")[1]


def antonyms(metric, summary: str, source: str = DIALOGUE) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    result = metric.score([MetricInput(example=Example(id="c", source=source), summary=summary)])
    return [f for f in result[0].findings if f["kind"] == "antonym"]


@pytest.mark.parametrize(
    ("summary", "flagged", "source_word"),
    [
        ("Ovi disagrees to meet them at school tomorrow.", "disagrees", "agree"),
        ("Ovi will come to school yesterday.", "yesterday", "tomorrow"),
        ("Ovi will come to school today.", "today", "tomorrow"),
        ("Kayla's sister did not like it.", "sister", "brother"),
    ],
)
def test_a_swapped_alternative_is_flagged_with_the_word_the_source_says(  # type: ignore[no-untyped-def]
    consistency, summary: str, flagged: str, source_word: str
) -> None:
    (finding,) = antonyms(consistency, summary)
    assert finding["text"] == flagged
    assert summary[finding["span"][0] : finding["span"][1]] == flagged
    assert finding["source_text"] == source_word
    assert DIALOGUE[finding["source_span"][0] : finding["source_span"][1]] == source_word
    assert finding["evidence"] == f"the source says {source_word!r}, never {flagged!r}"


@pytest.mark.parametrize(
    ("source", "summary", "flagged", "source_word"),
    [
        # a result's sign, with no number to check it by
        ("The firm reported a loss.", "The firm made a profit.", "profit", "loss"),
        ("The firm reported a profit.", "The firm made a loss.", "loss", "profit"),
        ("The country ran a deficit.", "The country ran a surplus.", "surplus", "deficit"),
        ("The country ran deficits.", "The country ran surpluses.", "surpluses", "deficits"),
    ],
)
def test_a_swapped_result_is_flagged(  # type: ignore[no-untyped-def]
    consistency, source: str, summary: str, flagged: str, source_word: str
) -> None:
    (finding,) = antonyms(consistency, summary, source)
    assert finding["text"] == flagged
    assert finding["source_text"] == source_word


@pytest.mark.parametrize(
    ("summary", "source"),
    [
        # the source says the word itself too (in another inflection)
        ("Ovi agreed to come tomorrow.", "Ovi: I agree, see you tomorrow, not today."),
        # the source's alternative is negated: it does not rule the word out
        ("Kayla dislikes it.", DIALOGUE),
        # the summary negates the word: "not today" says nothing against "tomorrow"
        ("Ovi is not coming today but tomorrow.", DIALOGUE),
        # a word of no contrast set
        ("Ovi agrees to meet his friends at school tomorrow.", DIALOGUE),
        # one party's denial does not rule out what another confirmed: not a set
        ("The UN has confirmed the toll.", "The UN said 480 died. The RSF denied it."),
        # a source that says both results backs either
        ("The firm made a profit.", "It swung to a profit after years of losses."),
        ("The firm made no profit.", "The firm reported a loss."),
    ],
)
def test_no_flag_when_the_source_does_not_rule_the_word_out(  # type: ignore[no-untyped-def]
    consistency, summary: str, source: str
) -> None:
    assert antonyms(consistency, summary, source) == []


def test_a_prefix_antonym_found_by_both_checks_counts_once(consistency) -> None:  # type: ignore[no-untyped-def]
    source = "The survey said most of them were employed."
    summary = "The survey said most of them were unemployed."
    result = consistency.score(
        [MetricInput(example=Example(id="p", source=source), summary=summary)]
    )
    assert [f["text"] for f in result[0].findings] == ["unemployed"]
    assert result[0].values["flags"] == 1.0


def test_every_set_has_distinct_stems_and_rivals_are_symmetric() -> None:
    contrasts = contrast_partners(_stem)
    for line in CONTRAST_SETS.strip().splitlines():
        for group in line.split("|"):
            words = [{_stem(form) for form in word.split("/")} for word in group.split()]
            assert len(words) >= 2, group
            assert sum(map(len, words)) == len(set().union(*words)), group
    for word, contrast in contrasts.items():
        assert word in contrast.forms and not contrast.forms & contrast.rivals
        assert all(word in contrasts[rival].rivals for rival in contrast.rivals)


def test_an_irregular_form_in_the_source_backs_the_word() -> None:
    metric = build_metric(MetricConfig(name="consistency"), "test")[1]
    source = "Operating profit rose 38% in the year. Sales of sensors fell."
    for summary, flagged in (
        ("Profit is expected to rise further.", []),  # "rose" backs "rise"
        ("Operating profit fell 38% in the year.", []),  # "fell" is said too
        ("Sales of sensors rose.", []),
        ("Operating profit is falling.", []),  # "fell" backs "falling"
    ):
        assert antonyms(metric, summary, source) == flagged, summary
    only_rose = "Operating profit rose 38% in the year."
    assert [f["text"] for f in antonyms(metric, "Profit has fallen.", only_rose)] == ["fallen"]
