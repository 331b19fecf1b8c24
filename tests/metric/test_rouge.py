"""Tests for the ``rouge`` metric: values equal rouge-score's own, exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from pydantic import ValidationError

from harness.metric import MetricInput
from harness.metric.rouge import ROUGE_TYPES, RougeMetric, RougeParams, one_sentence_per_line
from harness.records import Example
from harness.text import split_sentences
from tests.requires import shared

ALL_TYPES: list[str] = list(ROUGE_TYPES)
#: The reference implementation (rouge-score, Google's) that the values are compared with.
NEEDS_ROUGE_SCORE = pytest.mark.requires("rouge_score", extra="evaluate")


def _scorer(types: list[str], **kwargs: Any) -> Any:
    """``rouge_score.rouge_scorer.RougeScorer(types, **kwargs)`` (imported here: an extra)."""
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(types, **kwargs)


def _tokenizer(use_stemmer: bool) -> Any:
    """rouge-score's ``DefaultTokenizer``."""
    from rouge_score import tokenizers

    return tokenizers.DefaultTokenizer(use_stemmer=use_stemmer)


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
    scorer = _scorer(types, use_stemmer=stem)
    prediction = "\n".join(split_sentences(summary))
    targets = ["\n".join(split_sentences(ref)) for ref in references]
    return {
        name: max(scorer.score(target, prediction)[name].fmeasure for target in targets)
        for name in types
    }


@pytest.mark.parametrize("stem", [True, False])
@pytest.mark.parametrize(("summary", "reference"), PAIRS)
@NEEDS_ROUGE_SCORE
def test_values_equal_rouge_score(summary: str, reference: str, stem: bool) -> None:
    metric = RougeMetric(RougeParams(use_stemmer=stem))
    [result] = metric.score([_item(summary, reference)])
    assert result.reason is None
    assert result.values == _direct(summary, [reference], ALL_TYPES, stem)


@NEEDS_ROUGE_SCORE
def test_multi_reference_is_per_type_max_and_equals_score_multi() -> None:
    summary = "the quick brown fox jumps over the lazy dog"
    shuffled = "dog lazy the over jumps fox brown quick the"  # all unigrams, no bigram
    prefix = "the quick brown fox"  # fewer unigrams, but whole bigrams and a long LCS
    references = [shuffled, prefix, PAIRS[0][1]]
    scorer = _scorer(ALL_TYPES, use_stemmer=True)
    per_ref = [scorer.score(ref, summary) for ref in references]
    # The case is only meaningful if different types pick different references.
    assert per_ref[0]["rouge1"].fmeasure > per_ref[1]["rouge1"].fmeasure
    assert per_ref[1]["rouge2"].fmeasure > per_ref[0]["rouge2"].fmeasure
    assert per_ref[1]["rougeL"].fmeasure > per_ref[0]["rougeL"].fmeasure

    [result] = RougeMetric(RougeParams()).score([_item(summary, *references)])

    assert result.values == _direct(summary, references, ALL_TYPES, True)
    multi = scorer.score_multi(references, summary)
    assert result.values == {name: multi[name].fmeasure for name in ALL_TYPES}


@NEEDS_ROUGE_SCORE
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
@NEEDS_ROUGE_SCORE
def test_newline_joining_leaves_tokens_unchanged(text: str) -> None:
    tokenizer = _tokenizer(True)
    assert tokenizer.tokenize(one_sentence_per_line(text)) == tokenizer.tokenize(text)


@pytest.mark.parametrize(("summary", "reference"), PAIRS)
@NEEDS_ROUGE_SCORE
def test_newline_joining_leaves_rouge_1_2_l_unchanged(summary: str, reference: str) -> None:
    types = ["rouge1", "rouge2", "rougeL"]
    scorer = _scorer(types, use_stemmer=True)
    raw = scorer.score(reference, summary)
    [result] = RougeMetric(RougeParams()).score([_item(summary, reference)])
    assert {name: result.values[name] for name in types} == {
        name: raw[name].fmeasure for name in types
    }


@NEEDS_ROUGE_SCORE
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


# --- the shared SummEdits and QAGS data: every pair, every value, float equality ---


def _shared_pairs() -> list[tuple[str, str, str]]:
    """Every shared (id, reference, summary) pair, each once.

    SummEdits: the summary against its document and against the original
    summary it was edited from; QAGS: the system output against the source and
    against the reference (which repeats the source there, so it is not added
    twice).
    """
    summedits = sorted(shared("data/summedits").glob("*.json"))
    qags = shared("data/qags/qags_cnndm.json")
    assert len(summedits) == 4, f"expected 4 SummEdits files under {summedits}"
    pairs: dict[tuple[str, str], str] = {}
    for path in summedits:
        for row in json.loads(path.read_text(encoding="utf-8")):
            key = f"{path.stem}:{row['id']}"
            pairs.setdefault((row["doc"], row["summary"]), f"{key}:doc")
            pairs.setdefault((row["original_summary"], row["summary"]), f"{key}:original")
    for k, row in enumerate(json.loads(qags.read_text(encoding="utf-8"))):
        pairs.setdefault((row["source"], row["system_output"]), f"qags:{k}:source")
        pairs.setdefault((row["reference"], row["system_output"]), f"qags:{k}:reference")
    return [(key, reference, summary) for (reference, summary), key in pairs.items()]


def _memo_tokenizer(use_stemmer: bool) -> Any:
    """rouge-score's own tokenizer, memoised per text: the same tokens, and a
    document shared by many SummEdits summaries is stemmed once, not per pair."""
    from rouge_score import tokenizers

    class MemoTokenizer(tokenizers.DefaultTokenizer):  # type: ignore[misc]
        def __init__(self, use_stemmer: bool) -> None:
            super().__init__(use_stemmer=use_stemmer)
            self._memo: dict[str, list[str]] = {}

        def tokenize(self, text: str) -> list[str]:
            if text not in self._memo:
                self._memo[text] = super().tokenize(text)
            return self._memo[text]

    return MemoTokenizer(use_stemmer)


@pytest.mark.slow
@NEEDS_ROUGE_SCORE
def test_values_equal_rouge_score_on_every_shared_pair() -> None:
    pairs = _shared_pairs()
    assert len(pairs) > 5000
    metric = RougeMetric(RougeParams())
    items = [_item(summary, reference) for _, reference, summary in pairs]
    results = [
        result for i in range(0, len(items), 64) for result in metric.score(items[i : i + 64])
    ]
    reference_scorer = _scorer(ALL_TYPES, tokenizer=_memo_tokenizer(True))
    differ = []
    compared = 0
    for (key, reference, summary), result in zip(pairs, results, strict=True):
        scores = reference_scorer.score(
            one_sentence_per_line(reference), one_sentence_per_line(summary)
        )
        expected = {name: float(scores[name].fmeasure) for name in ALL_TYPES}
        compared += len(expected)
        if result.values != expected:
            differ.append((key, result.values, expected))
    assert differ == []
    assert compared == 4 * len(pairs)


@pytest.mark.slow
@NEEDS_ROUGE_SCORE
def test_sentence_lines_leave_tokens_unchanged_on_every_shared_text() -> None:
    """So the harness's rouge1/2/L equal rouge-score's on the texts as given."""
    tokenizer = _memo_tokenizer(False)
    texts = {text for _, reference, summary in _shared_pairs() for text in (reference, summary)}
    changed = [
        text[:60]
        for text in texts
        if tokenizer.tokenize(one_sentence_per_line(text)) != tokenizer.tokenize(text)
    ]
    assert changed == []


def test_scoring_does_not_load_rouge_score() -> None:
    """The native engine computes the values; rouge-score (with absl and six) is
    only the tests' reference, not a runtime dependency."""
    code = (
        "import sys\n"
        "from harness.metric import MetricInput\n"
        "from harness.metric.rouge import RougeMetric, RougeParams\n"
        "from harness.records import Example\n"
        "example = Example(id='x', source='s', references=('The cat sat.',))\n"
        "[result] = RougeMetric(RougeParams()).score("
        "[MetricInput(example=example, summary='A cat sat.')])\n"
        "assert result.values['rouge1'] == 2 / 3, result\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rouge_score', 'absl')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
