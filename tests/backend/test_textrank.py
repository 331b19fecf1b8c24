"""Tests of the ``textrank`` backend."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from harness.backend import BuildContext, Generation, Summarizer, build_backend
from harness.backend.textrank import rank_sentences, similarity
from harness.config import SystemConfig
from harness.errors import ConfigError
from harness.records import Example

# Four sentences about the flood share "river", "flood", "Leeds", "city"...;
# the football and weather sentences share nothing with them.
ARTICLE = (
    "The local football club won its third match in a row.\n"
    "Heavy rain caused the river Aire to flood Leeds city centre on Monday.\n"
    "Flood water from the river closed roads across Leeds city centre.\n"
    "Council officials said the flood damaged 40 homes near the river.\n"
    "Residents near the river Aire were moved to a school as flood water rose.\n"
    "The weather is expected to be dry next week."
)


def textrank(**params: object) -> Summarizer:
    system = SystemConfig(name="tr", backend="textrank", params=dict(params))
    return build_backend(system, BuildContext(config_dir=Path(".")), "test")


def summary_of(source: str, **params: object) -> str | None:
    (generation,) = textrank(**params).summarize([Example(id="x", source=source)])
    return generation.summary


def test_picks_the_central_sentences_in_original_order() -> None:
    # The off-topic first sentence, which lead-3 would keep, is left out; the
    # highest-scoring sentence ("Flood water ...") is not printed first.
    assert summary_of(ARTICLE, sentences=3) == (
        "Heavy rain caused the river Aire to flood Leeds city centre on Monday. "
        "Flood water from the river closed roads across Leeds city centre. "
        "Residents near the river Aire were moved to a school as flood water rose."
    )


def test_off_topic_sentences_rank_last() -> None:
    sentences = ARTICLE.split("\n")
    scores = rank_sentences(sentences, damping=0.85)
    off_topic = {0, 5}
    assert max(scores[i] for i in off_topic) < min(
        scores[i] for i in range(len(sentences)) if i not in off_topic
    )
    assert math.isclose(sum(scores), 1.0)


def test_deterministic_across_calls_and_builds() -> None:
    examples = [Example(id=str(i), source=ARTICLE) for i in range(3)]
    first = textrank(sentences=2).summarize(examples)
    assert first == textrank(sentences=2).summarize(examples)
    assert len({generation.summary for generation in first}) == 1


def test_no_overlap_falls_back_to_position() -> None:
    source = "Cats purr loudly. Trains run late. Bread rises slowly. Snow fell overnight."
    assert summary_of(source, sentences=2) == "Cats purr loudly. Trains run late."


def test_source_with_at_most_k_sentences_is_returned_whole() -> None:
    source = "Floods hit Leeds. The river Aire burst its banks."
    assert summary_of(source, sentences=2) == source
    assert summary_of(source, sentences=5) == source


@pytest.mark.parametrize("source", ["", " \n "])
def test_empty_source_fails(source: str) -> None:
    assert textrank().summarize([Example(id="e", source=source)]) == [
        Generation.failed("empty source")
    ]


def test_similarity_ignores_stop_words_and_case() -> None:
    assert similarity("Floods hit the city.", "The CITY floods again.") == pytest.approx(
        2 / (math.log(3) + math.log(2))
    )
    # Only stop words in common: no edge.
    assert similarity("Prices rose in the markets.", "Rain fell in the hills.") == 0.0
    # Fewer than two content words: log 1 = 0 would divide by zero.
    assert similarity("Floods.", "Floods hit the city.") == 0.0


@pytest.mark.parametrize("params", [{"damping": 1.0}, {"damping": 0}, {"sentences": 0}])
def test_bad_params_are_config_errors(params: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        textrank(**params)


def test_fingerprint_records_params() -> None:
    fingerprint = textrank(sentences=2, damping=0.5).fingerprint
    assert fingerprint.name == "textrank"
    assert fingerprint.params == {"sentences": 2, "damping": 0.5}
