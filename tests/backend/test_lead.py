"""Tests of the ``lead`` backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.backend import BuildContext, Generation, build_backend
from harness.backend.lead import LeadParams
from harness.code_digest import code_digest
from harness.config import SystemConfig
from harness.errors import ConfigError
from harness.records import Example

ARTICLE = (
    "The river burst its banks on Monday. Mr. Lee said 40 homes were flooded. "
    "Roads stayed closed until Wednesday. Volunteers handed out sandbags."
)


def lead(**params: object) -> list[Generation]:
    system = SystemConfig(name="lead", backend="lead", params=dict(params))
    summarizer = build_backend(system, BuildContext(config_dir=Path(".")), "test")
    return summarizer.summarize([Example(id="a", source=ARTICLE)])


def test_first_k_sentences_joined_by_a_space() -> None:
    assert lead(sentences=2) == [
        Generation(
            summary="The river burst its banks on Monday. Mr. Lee said 40 homes were flooded."
        )
    ]


def test_default_is_three_sentences() -> None:
    (generation,) = lead()
    assert generation.summary == (
        "The river burst its banks on Monday. Mr. Lee said 40 homes were flooded. "
        "Roads stayed closed until Wednesday."
    )


def test_fewer_sentences_than_k_returns_the_whole_source() -> None:
    (generation,) = lead(sentences=10)
    assert generation.summary == ARTICLE


def test_line_breaks_separate_sentences() -> None:
    summarizer = build_backend(
        SystemConfig(name="l", backend="lead", params={"sentences": 2}),
        BuildContext(config_dir=Path(".")),
        "test",
    )
    (generation,) = summarizer.summarize(
        [Example(id="h", source="Floods in Leeds\n\nThe river burst. Homes flooded.")]
    )
    assert generation.summary == "Floods in Leeds The river burst."


@pytest.mark.parametrize("source", ["", "   \n\t  "])
def test_empty_source_fails(source: str) -> None:
    summarizer = build_backend(
        SystemConfig(name="l", backend="lead"), BuildContext(config_dir=Path(".")), "test"
    )
    assert summarizer.summarize([Example(id="e", source=source)]) == [
        Generation.failed("empty source")
    ]


@pytest.mark.parametrize("params", [{"sentences": 0}, {"sentences": -1}, {"k": 3}])
def test_bad_params_are_config_errors(params: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match=r"systems\[0\]\.params"):
        build_backend(
            SystemConfig(name="l", backend="lead", params=params),
            BuildContext(config_dir=Path(".")),
            "systems[0]",
        )


def test_fingerprint_records_params() -> None:
    summarizer = build_backend(
        SystemConfig(name="l", backend="lead", params={"sentences": 2}),
        BuildContext(config_dir=Path(".")),
        "test",
    )
    fingerprint = summarizer.fingerprint
    assert (fingerprint.kind, fingerprint.name) == ("backend", "lead")
    # harness's sentence splitter cuts the summary: its code is in the version, so an
    # upgrade that splits otherwise does not serve the old split from the cache
    assert fingerprint.version == f"3+code-{code_digest(('spacy', 'networkx'))[:16]}"
    assert fingerprint.params == LeadParams(sentences=2).model_dump(mode="json")
    assert fingerprint.model is None
    assert summarizer.cacheable
