"""Tests for the ``rouge`` metric: values equal rouge-score's own, exactly."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from rouge_score import rouge_scorer, tokenizers

from harness.metric import MetricInput
from harness.metric.rouge import ROUGE_TYPES, RougeMetric, RougeParams, one_sentence_per_line
from harness.records import Example
from harness.text import split_sentences

ALL_TYPES: list[str] = list(ROUGE_TYPES)

PAIRS = [
    (
        "Police said two people died. The fire started at 4 p.m. on Monday.",
        "Two people died in a fire that began on Monday afternoon, police said.",
    ),
    (
        "The U.S. sent $4.2bn in aid. Officials were running late.",
        "Officials said the U.S. would send aid.\nThe package is worth $4.2 billion.",
    ),
    (
        "Shares rose 5%!  Analysts expected gains?  Yes.",
        "Analysts had expected shares to rise; they rose 5 per cent.",
    ),
    ("A short one", "A completely different sentence about cats and dogs."),
]


def _item(summary: str, *references: str) -> MetricInput:
    return MetricInput(
        example=Example(id="x", source="The source.", references=references), summary=summary
    )


def _direct(summary: str, references: list[str], types: list[str], stem: bool) -> dict[str, float]:
    """rouge-score called directly, with the documented preprocessing."""
    scorer = rouge_scorer.RougeScorer(types, use_stemmer=stem)
    prediction = "\n".join(split_sentences(summary))
    targets = ["\n".join(split_sentences(ref)) for ref in references]
    return {
        name: max(scorer.score(target, prediction)[name].fmeasure for target in targets)
        for name in types
    }


@pytest.mark.parametrize("stem", [True, False])
@pytest.mark.parametrize(("summary", "reference"), PAIRS)
def test_values_equal_rouge_score(summary: str, reference: str, stem: bool) -> None:
    metric = RougeMetric(RougeParams(use_stemmer=stem))
    [result] = metric.score([_item(summary, reference)])
    assert result.reason is None
    assert result.values == _direct(summary, [reference], ALL_TYPES, stem)


def test_multi_reference_is_per_type_max_and_equals_score_multi() -> None:
    summary = "the quick brown fox jumps over the lazy dog"
    shuffled = "dog lazy the over jumps fox brown quick the"  # all unigrams, no bigram
    prefix = "the quick brown fox"  # fewer unigrams, but whole bigrams and a long LCS
    references = [shuffled, prefix, PAIRS[0][1]]
    scorer = rouge_scorer.RougeScorer(ALL_TYPES, use_stemmer=True)
    per_ref = [scorer.score(ref, summary) for ref in references]
    # The case is only meaningful if different types pick different references.
    assert per_ref[0]["rouge1"].fmeasure > per_ref[1]["rouge1"].fmeasure
    assert per_ref[1]["rouge2"].fmeasure > per_ref[0]["rouge2"].fmeasure
    assert per_ref[1]["rougeL"].fmeasure > per_ref[0]["rougeL"].fmeasure

    [result] = RougeMetric(RougeParams()).score([_item(summary, *references)])

    assert result.values == _direct(summary, references, ALL_TYPES, True)
    multi = scorer.score_multi(references, summary)
    assert result.values == {name: multi[name].fmeasure for name in ALL_TYPES}


def test_multi_reference_on_multi_sentence_texts() -> None:
    summary = PAIRS[1][0]
    references = [PAIRS[1][1], PAIRS[0][1], PAIRS[2][1]]
    [result] = RougeMetric(RougeParams()).score([_item(summary, *references)])
    assert result.values == _direct(summary, references, ALL_TYPES, True)


def test_summary_equal_to_reference_scores_one() -> None:
    text = "Two people died. The fire started on Monday."
    [result] = RougeMetric(RougeParams()).score([_item(text, text)])
    assert result.values == dict.fromkeys(ALL_TYPES, 1.0)


@pytest.mark.parametrize(
    "text",
    [
        *(text for pair in PAIRS for text in pair),
        'He said "no."She left. Then?Nothing!',
        "Mr. Kim left at 5 p.m. on Monday. He returned.\n\nNew para — with a dash.",
    ],
)
def test_newline_joining_leaves_tokens_unchanged(text: str) -> None:
    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
    assert tokenizer.tokenize(one_sentence_per_line(text)) == tokenizer.tokenize(text)


@pytest.mark.parametrize(("summary", "reference"), PAIRS)
def test_newline_joining_leaves_rouge_1_2_l_unchanged(summary: str, reference: str) -> None:
    types = ["rouge1", "rouge2", "rougeL"]
    scorer = rouge_scorer.RougeScorer(types, use_stemmer=True)
    raw = scorer.score(reference, summary)
    [result] = RougeMetric(RougeParams()).score([_item(summary, reference)])
    assert {name: result.values[name] for name in types} == {
        name: raw[name].fmeasure for name in types
    }


def test_unselected_types_are_none() -> None:
    summary, reference = PAIRS[0]
    [result] = RougeMetric(RougeParams(types=["rougeLsum", "rouge2"])).score(
        [_item(summary, reference)]
    )
    expected = _direct(summary, [reference], ["rouge2", "rougeLsum"], True)
    assert result.values == {
        "rouge1": None,
        "rouge2": expected["rouge2"],
        "rougeL": None,
        "rougeLsum": expected["rougeLsum"],
    }


def test_stemming_changes_matching() -> None:
    item = _item("The dogs were running.", "The dog runs.")
    [stemmed] = RougeMetric(RougeParams(use_stemmer=True)).score([item])
    [plain] = RougeMetric(RougeParams(use_stemmer=False)).score([item])
    assert stemmed.values["rouge1"] is not None and plain.values["rouge1"] is not None
    assert stemmed.values["rouge1"] > plain.values["rouge1"]


@pytest.mark.parametrize("summary", ["...", "!!! ?", "日本語の要約", "— –"])
def test_summary_without_rouge_tokens_gives_none(summary: str) -> None:
    [result] = RougeMetric(RougeParams()).score([_item(summary, "A reference.")])
    assert result.values == dict.fromkeys(ALL_TYPES)
    assert result.reason is not None and "summary" in result.reason


def test_references_without_tokens_are_skipped_or_give_none() -> None:
    metric = RougeMetric(RougeParams())
    summary, reference = PAIRS[0]
    [with_empty, alone, only_empty] = metric.score(
        [_item(summary, "...", reference), _item(summary, reference), _item(summary, "?!")]
    )
    assert with_empty == alone
    assert only_empty.values == dict.fromkeys(ALL_TYPES)
    assert only_empty.reason is not None and "reference" in only_empty.reason


def test_results_are_in_input_order() -> None:
    metric = RougeMetric(RougeParams())
    items = [_item(summary, reference) for summary, reference in PAIRS]
    batch = metric.score(items)
    assert batch == [metric.score([item])[0] for item in items]
    assert metric.score(list(reversed(items))) == list(reversed(batch))


def test_params_types_are_canonical() -> None:
    params = RougeParams(types=["rougeL", "rouge1", "rougeL"])
    assert params.types == ["rouge1", "rougeL"]
    assert (
        RougeMetric(params).fingerprint
        == RougeMetric(RougeParams(types=["rouge1", "rougeL"])).fingerprint
    )


@pytest.mark.parametrize(
    "raw", [{"types": []}, {"types": ["rouge3"]}, {"stemmer": True}, {"use_stemmer": "maybe"}]
)
def test_bad_params_are_rejected(raw: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        RougeParams.model_validate(raw)


def test_fingerprint() -> None:
    default = RougeMetric(RougeParams()).fingerprint
    assert default.kind == "metric" and default.name == "rouge" and default.version == "1"
    assert default.model is None
    assert default.params == {"types": ALL_TYPES, "use_stemmer": True}
    assert default.digest() == RougeMetric(RougeParams()).fingerprint.digest()
    assert default.digest() != RougeMetric(RougeParams(use_stemmer=False)).fingerprint.digest()
    assert default.digest() != RougeMetric(RougeParams(types=["rouge1"])).fingerprint.digest()
