"""The ``textrank`` backend: extractive TextRank (Mihalcea & Tarau, 2004).

Sentences are the nodes of an undirected graph. Two sentences are joined by
an edge weighted by their content overlap::

    sim(Si, Sj) = |{w : w in Si and w in Sj}| / (log |Si| + log |Sj|)

where words are lowercased tokens from `harness.text.sentences.words` with
spaCy's English stop words (``spacy.lang.en.stop_words.STOP_WORDS``)
removed, and ``|S|`` counts those content words. Dropping stop words keeps
"the", "of", "and" from joining every sentence to every other, which would
flatten the ranking towards uniform. A sentence with fewer than two content
words gets similarity 0 to every other sentence (``log 1 = 0`` would make the
denominator vanish). Scores come from `networkx.pagerank` with the
``damping`` factor; the top-k sentences (ties broken by position, earlier
first) are returned in their original order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from harness.backend._extractive import SentenceExtractor
from harness.backend._protocol import BuildContext, Generation, Summarizer, backend
from harness.text.sentences import words

# Scores are rounded before ranking so that float noise in the power
# iteration cannot reorder sentences whose scores are equal in exact arithmetic;
# such ties then fall back to position, which keeps results reproducible.
_SCORE_DIGITS = 10
_MAX_ITER = 1000


class TextRankParams(BaseModel):
    """Params of the ``textrank`` backend.

    Attributes:
        sentences: How many sentences to extract.
        damping: PageRank damping factor (probability of following an edge).
    """

    model_config = ConfigDict(extra="forbid")

    sentences: int = Field(default=3, ge=1)
    damping: float = Field(default=0.85, gt=0.0, lt=1.0)


def _content(sentence: str) -> tuple[int, frozenset[str]]:
    """(number of content words, set of distinct lowercased content words)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    tokens = [t for t in (w.lower() for w in words(sentence)) if t not in STOP_WORDS]
    return len(tokens), frozenset(tokens)


def _similarity(first: tuple[int, frozenset[str]], second: tuple[int, frozenset[str]]) -> float:
    (n_first, set_first), (n_second, set_second) = first, second
    if n_first < 2 or n_second < 2:
        return 0.0
    return len(set_first & set_second) / (math.log(n_first) + math.log(n_second))


def similarity(first: str, second: str) -> float:
    """TextRank similarity of two sentences (see the module docstring).

    >>> round(similarity("Floods hit the city.", "The city floods again."), 3)
    1.116
    >>> similarity("Floods.", "Floods hit the city.")
    0.0
    """
    return _similarity(_content(first), _content(second))


def rank_sentences(sentences: Sequence[str], damping: float) -> list[float]:
    """PageRank score of each sentence in the similarity graph.

    Args:
        sentences: The sentences, in document order.
        damping: PageRank damping factor (``alpha`` of `networkx.pagerank`).

    Returns:
        One score per sentence, in order; they sum to 1.

    Raises:
        networkx.PowerIterationFailedConvergence: No convergence in 1000
            iterations (only plausible with ``damping`` very close to 1).
    """
    import networkx as nx

    content = [_content(sentence) for sentence in sentences]
    graph = nx.Graph()
    graph.add_nodes_from(range(len(sentences)))
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            weight = _similarity(content[i], content[j])
            if weight > 0:
                graph.add_edge(i, j, weight=weight)
    scores = nx.pagerank(graph, alpha=damping, weight="weight", max_iter=_MAX_ITER)
    return [float(scores[i]) for i in range(len(sentences))]


class TextRankSummarizer(SentenceExtractor[TextRankParams]):
    """Extract the ``sentences`` most central sentences of each source.

    Args:
        params: Validated params.
    """

    name = "textrank"

    def extract(self, sentences: list[str]) -> Generation:
        """The top-k sentences by PageRank, in source order (all of them when k or fewer)."""
        k = self._params.sentences
        if len(sentences) <= k:
            return Generation(summary=" ".join(sentences))
        import networkx as nx

        try:
            scores = rank_sentences(sentences, self._params.damping)
        except nx.PowerIterationFailedConvergence:
            return Generation.failed(
                f"textrank: PageRank did not converge in {_MAX_ITER} iterations "
                f"(damping {self._params.damping:g}); lower params.damping"
            )
        ranked = sorted(range(len(sentences)), key=lambda i: (-round(scores[i], _SCORE_DIGITS), i))
        chosen = sorted(ranked[:k])
        return Generation(summary=" ".join(sentences[i] for i in chosen))


@backend(
    "textrank",
    params=TextRankParams,
    description="Extractive TextRank: the k most central sentences (PageRank over word overlap)",
)
def build_textrank(params: TextRankParams, context: BuildContext) -> Summarizer:
    """Build the ``textrank`` backend.

    Args:
        params: Validated params.
        context: Build context (unused; TextRank is deterministic).
    """
    return TextRankSummarizer(params)


__all__ = ["TextRankParams", "TextRankSummarizer", "build_textrank", "rank_sentences", "similarity"]
