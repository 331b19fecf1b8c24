"""``nli`` (SummaC-ZS) plumbing, checked with a tiny random NLI model built offline.

The tiny model's scores mean nothing; these tests check the pipeline (pairs,
chunks, max over chunks, mean/min, label mapping, batching, findings). The
SummaC-ZS arithmetic is checked exactly with a stubbed probability function.
`make_tiny_nli_model` is also used by the metric contract test.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download in tests

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from harness.config import MetricConfig
from harness.errors import ConfigError, MetricError
from harness.metric import MetricInput, build_metric
from harness.metric.nli import SUGGESTED_MODEL, NliMetric, NliParams, chunk_spans, label_ids
from harness.records import Example
from tests.requires import require

NEEDS_TORCH = pytest.mark.requires("torch", "transformers", extra="models")

MNLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}
_TEXT = (
    "a the fire killed two people on monday crews fought it for five days officials said "
    "u s sent aid more would follow did not died in reference short source text bn"
)


def make_tiny_nli_model(folder: Path, id2label: dict[int, str] | None = None) -> Path:
    """Save a tiny random BERT sequence classifier and its word-level tokenizer to ``folder``.

    Built from scratch (no download): a ``tokenizers`` word-level tokenizer
    with BERT-style normalisation and ``[CLS] a [SEP] b [SEP]`` pairs, and a
    1-layer BERT with hidden size 16 whose weights come from a fixed seed.
    """
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    labels = MNLI_LABELS if id2label is None else id2label
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {token: i for i, token in enumerate([*specials, *sorted(set(_TEXT.split())), ".", "$"])}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=64,
    )
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        initializer_range=0.5,  # large random weights: scores that differ between pairs
        id2label=labels,
        label2id={label: index for index, label in labels.items()},
    )
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    folder.mkdir(parents=True, exist_ok=True)
    fast.save_pretrained(folder)
    model.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require("torch", "transformers", extra="models")
    return make_tiny_nli_model(tmp_path_factory.mktemp("tiny_nli"))


def _metric(model: Path, **params: Any) -> NliMetric:
    return NliMetric(NliParams(model=str(model), device="cpu", **params))


SOURCE = (
    "A fire killed two people on Monday. Crews fought it for five days.\n"
    "Officials said the U.S. sent $4.2bn in aid. More aid would follow."
)
ITEMS = [
    MetricInput(Example(id="a", source=SOURCE), "A fire killed two people. It did not die."),
    MetricInput(Example(id="b", source=SOURCE), "Officials said more aid would follow."),
    MetricInput(Example(id="c", source="Short source text."), "Reference text."),
]


def test_a_model_is_required_and_the_error_says_how_to_pass_one() -> None:
    with pytest.raises(MetricError, match="needs a checker model") as caught:
        build_metric(MetricConfig(name="nli"), "metrics[0]")
    assert SUGGESTED_MODEL in str(caught.value) and "save_pretrained" in str(caught.value)


def test_values_are_per_summary_sentence_scores_in_range(tiny_model: Path) -> None:
    results = _metric(tiny_model).score(ITEMS)
    assert len(results) == len(ITEMS)
    for item, result in zip(ITEMS, results, strict=True):
        mean, low = result.values["mean"], result.values["min"]
        assert isinstance(mean, float) and isinstance(low, float)
        assert -1.0 <= low <= mean <= 1.0
        assert result.reason is None and result.findings
        for finding in result.findings:
            start, end = finding["span"]
            assert item.summary[start:end] == finding["text"]
            source_start, source_end = finding["source_span"]
            assert item.example.source[source_start:source_end] == finding["source_text"]
            assert finding["status"] in {"supported", "unsupported"}
            assert finding["evidence"].startswith("best source chunk: entailment ")


def test_scores_are_deterministic_and_independent_of_the_batch(tiny_model: Path) -> None:
    metric = _metric(tiny_model)
    batch = metric.score(ITEMS)
    assert [metric.score([item])[0] for item in ITEMS] == batch
    assert _metric(tiny_model).score(ITEMS) == batch
    one_by_one = _metric(tiny_model, batch_size=1).score(ITEMS)
    for mine, theirs in zip(batch, one_by_one, strict=True):
        assert mine.values == pytest.approx(theirs.values, abs=1e-5)


def test_the_score_is_the_mean_and_min_of_the_best_chunk_per_sentence(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    metric = _metric(tiny_model)
    seen: list[tuple[str, str]] = []
    # rows in (summary sentence, chunk) order: 2 summary sentences x 4 source sentences
    table = {
        0: [(0.1, 0.2), (0.9, 0.05), (0.3, 0.3), (0.0, 1.0)],  # best: 0.85 (chunk 1)
        1: [(0.2, 0.7), (0.1, 0.6), (0.05, 0.5), (0.3, 0.4)],  # best: -0.10 (chunk 3)
    }

    def fake(premises: list[str], hypotheses: list[str]) -> np.ndarray:
        seen.extend(zip(premises, hypotheses, strict=True))
        return np.array([pair for sentence in (0, 1) for pair in table[sentence]])

    monkeypatch.setattr(metric, "_probabilities", fake)
    item = MetricInput(Example(id="x", source=SOURCE), "Two died. Nothing else.")
    [result] = metric.score([item])
    assert result.values == pytest.approx({"mean": (0.85 - 0.10) / 2, "min": -0.10})
    assert seen[0] == ("A fire killed two people on Monday.", "Two died.")
    assert seen[4] == ("A fire killed two people on Monday.", "Nothing else.")
    [finding] = result.findings  # only the sentence below 0
    assert finding["text"] == "Nothing else." and finding["status"] == "unsupported"
    assert finding["source_text"] == "More aid would follow."
    assert finding["evidence"] == "best source chunk: entailment 0.30, contradiction 0.40"


def test_paragraph_granularity_scores_windows_of_sentences(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    metric = _metric(tiny_model, granularity="paragraph", window=3)
    premises_seen: list[str] = []

    def fake(premises: list[str], hypotheses: list[str]) -> np.ndarray:
        premises_seen.extend(premises)
        return np.tile([0.6, 0.1], (len(premises), 1))

    monkeypatch.setattr(metric, "_probabilities", fake)
    [result] = metric.score([MetricInput(Example(id="x", source=SOURCE), "Two died.")])
    assert premises_seen == [
        "A fire killed two people on Monday. Crews fought it for five days.\n"
        "Officials said the U.S. sent $4.2bn in aid.",
        "Crews fought it for five days.\n"
        "Officials said the U.S. sent $4.2bn in aid. More aid would follow.",
    ]
    assert result.values == pytest.approx({"mean": 0.5, "min": 0.5})
    assert result.findings[0]["status"] == "supported"


# An unpunctuated transcript: one "sentence" of 96 tokens, over the tiny model's 64.
LONG_SOURCE = " ".join(
    ["officials said more aid would follow"] * 8 + ["crews fought it for five days"] * 8
)


@pytest.mark.parametrize("granularity", ["sentence", "paragraph", "packed"])
def test_a_chunk_over_max_length_is_scored_in_windows_that_fit(
    tiny_model: Path, granularity: str
) -> None:
    # Before, the pair (source, sentence) was cut to 64 tokens: the checker never saw
    # the source's second half, which is what the summary says.
    metric = _metric(tiny_model, granularity=granularity, chunk_tokens=56)
    tokenizer = metric._pairs._tokenizer
    seen: list[tuple[str, str]] = []
    real = metric._probabilities

    def spy(premises: list[str], hypotheses: list[str]) -> np.ndarray:
        seen.extend(zip(premises, hypotheses, strict=True))
        return real(premises, hypotheses)

    metric._probabilities = spy  # type: ignore[method-assign]
    summary = "Crews fought it for five days."
    [result] = metric.score([MetricInput(Example(id="x", source=LONG_SOURCE), summary)])
    assert len(tokenizer(LONG_SOURCE, summary)["input_ids"]) > 64
    assert len(seen) > 1
    for premise, hypothesis in seen:
        assert hypothesis == summary
        assert len(tokenizer(premise, hypothesis)["input_ids"]) <= 64  # nothing cut
    assert " ".join(premise for premise, _ in seen) == LONG_SOURCE  # every word, once
    [finding] = result.findings
    assert finding["source_text"] in {premise for premise, _ in seen}
    # the value is the best window's: as scored with that window as the whole source
    best = MetricInput(Example(id="y", source=finding["source_text"]), summary)
    assert result.values == pytest.approx(metric.score([best])[0].values, abs=1e-6)


def test_a_summary_sentence_that_fills_max_length_is_not_scored(tiny_model: Path) -> None:
    metric = _metric(tiny_model, max_length=16)
    summary = "Officials said more aid would follow and crews fought it for five days on monday."
    [result] = metric.score([MetricInput(Example(id="x", source=SOURCE), summary)])
    assert result.values == {"mean": None, "min": None}
    assert result.reason is not None and "fills the checker's max_length (16" in result.reason


@pytest.mark.parametrize(
    ("granularity", "window", "expected"),
    [
        ("sentence", 2, [(0, 5), (6, 9), (10, 12)]),
        ("paragraph", 2, [(0, 9), (6, 12)]),
        ("paragraph", 3, [(0, 12)]),
        ("paragraph", 5, [(0, 12)]),
    ],
)
def test_chunk_spans(granularity: str, window: int, expected: list[tuple[int, int]]) -> None:
    assert chunk_spans([(0, 5), (6, 9), (10, 12)], granularity, window) == expected


def test_real_model_scores_with_paragraph_granularity(tiny_model: Path) -> None:
    results = _metric(tiny_model, granularity="paragraph").score(ITEMS)
    assert all(-1.0 <= (r.values["min"] or 0.0) <= 1.0 for r in results)


@pytest.mark.parametrize(
    ("id2label", "expected"),
    [
        ({0: "entailment", 1: "neutral", 2: "contradiction"}, (0, 2)),
        ({0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"}, (2, 0)),
        ({0: "Entail", 1: "Contradict"}, (0, 1)),
        ({0: "not_entailment", 1: "entailment", 2: "contradiction"}, None),
        ({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, None),
    ],
)
def test_label_ids(id2label: dict[int, str], expected: tuple[int, int] | None) -> None:
    if expected is None:
        with pytest.raises(MetricError, match="'entail'"):
            label_ids(id2label, "m")
    else:
        assert label_ids(id2label, "m") == expected


@NEEDS_TORCH
def test_a_model_without_nli_labels_fails_at_build_listing_its_labels(
    tmp_path: Path,
) -> None:
    folder = make_tiny_nli_model(tmp_path / "generic", {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})
    with pytest.raises(MetricError) as caught:
        build_metric(MetricConfig(name="nli", params={"model": str(folder)}), "metrics[0]")
    assert "'LABEL_0'" in str(caught.value) and "'LABEL_2'" in str(caught.value)


@NEEDS_TORCH
def test_a_model_that_cannot_be_loaded_gives_the_offline_hint(tmp_path: Path) -> None:
    with pytest.raises(MetricError, match="could not load model") as caught:
        build_metric(MetricConfig(name="nli", params={"model": str(tmp_path)}), "metrics[0]")
    assert "HF_HUB_OFFLINE" in str(caught.value)


def test_params_are_validated() -> None:
    for bad in ({"granularity": "document"}, {"window": 1}, {"batch_size": 0}):
        with pytest.raises(ConfigError):
            build_metric(MetricConfig(name="nli", params=bad), "metrics[0]")


def test_fingerprint_names_the_resolved_model(tiny_model: Path) -> None:
    fingerprint = _metric(tiny_model).fingerprint
    assert fingerprint.name == "nli" and fingerprint.model is not None
    assert fingerprint.model.startswith(f"{tiny_model.resolve()} (files sha256:")
    assert fingerprint.params["model"] == str(tiny_model)


@NEEDS_TORCH
def test_a_model_saved_again_into_its_folder_changes_the_fingerprint(tmp_path: Path) -> None:
    import torch
    from transformers import BertForSequenceClassification

    folder = make_tiny_nli_model(tmp_path / "checker")
    first = _metric(folder)
    before = first.fingerprint
    assert _metric(folder).fingerprint == before  # unchanged: the cache still hits
    model = BertForSequenceClassification.from_pretrained(folder)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.mul_(-1.0)
    model.save_pretrained(folder)  # "retrained", same folder
    again = _metric(folder)
    assert again.fingerprint.digest() != before.digest()
    assert again.fingerprint.params == before.params
    # and this process loads it again: the loaded-model memo is keyed by the files too
    assert again._pairs._model is not first._pairs._model
    assert _metric(folder)._pairs._model is again._pairs._model  # unchanged: memo hit


def test_doctests_pass() -> None:
    import doctest

    from harness.metric import nli

    result = doctest.testmod(nli)
    assert result.attempted > 0 and result.failed == 0
