"""Extractive fragment coverage, density and compression.

The measures are from Grusky, Naaman and Artzi (2018), "Newsroom: A Dataset of
1.3 Million Summaries with Diverse Extractive Strategies", NAACL-HLT,
https://aclanthology.org/N18-1065/ (Section 4.1, Algorithm 1). For an article
``A`` and summary ``S`` (token sequences) and the set ``F(A, S)`` of extractive
fragments (shared token sequences, found greedily):

- coverage    = sum(|f|) / |S|     -- share of summary words inside a fragment
- density     = sum(|f|^2) / |S|   -- rewards long copied spans
- compression = |A| / |S|

They describe *how extractive* a summary is, not how good it is, so no value
has a better side (``higher_is_better=None``).

Tokens are the lowercased word tokens of `harness.text.words`, so punctuation
is ignored. The Newsroom code (``newsroom/analyze/fragments.py``) used spaCy
tokens, which include punctuation, so values here differ slightly from
published Newsroom numbers.

Fragment search follows Algorithm 1 and the Newsroom code: for each summary
position ``i``, scan the article from its start for the longest shared run
beginning at ``i``; after trying a run that starts at article position ``j``
and ends (exclusive) at ``j'``, the scan resumes at ``j'``, not ``j + 1``
(``j <- j'`` in the paper); a later run replaces the best one only if strictly
longer (the earliest wins ties). If a run was found, ``i`` advances past it,
otherwise by one. The resume-at-``j'`` step can miss a longer run that starts
inside the one just tried (summary "a a b" in article "a a a b" gives
fragments of 2 and 1 words, not one of 3); we keep it so the values stay
those of the paper. The paper's printed test ``|f| < i' - i - 1`` is off by
one (it would drop one-word fragments); like the Newsroom code we compare
the run length ``i' - i``.

`extractive_fragments` visits only the article positions holding the summary
token (a token → positions index), which gives the same fragments as the
plain scan (the tests check this on random sequences) in far less time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from harness.metric._protocol import MetricInput, MetricResult, ValueSpec, metric
from harness.records import Fingerprint
from harness.text import words


class Fragment(NamedTuple):
    """One extractive fragment: a token run shared by summary and article.

    Attributes:
        summary_start: Index of the first token in the summary tokens.
        article_start: Index of the first token in the article tokens.
        length: Number of tokens (at least 1).
    """

    summary_start: int
    article_start: int
    length: int


def fragment_tokens(text: str) -> list[str]:
    """The tokens fragments are matched on: lowercased `harness.text.words`.

    >>> fragment_tokens("The U.S. said: 'No.'")
    ['the', 'u.s', 'said', 'no']
    """
    return [word.lower() for word in words(text)]


def extractive_fragments(summary: Sequence[str], article: Sequence[str]) -> list[Fragment]:
    """The greedy extractive fragments of Grusky et al. (2018), Algorithm 1.

    Args:
        summary: Summary tokens.
        article: Article tokens.

    Returns:
        Fragments in summary order; they never overlap in the summary.

    >>> [tuple(f) for f in extractive_fragments("a b x c".split(), "c a b".split())]
    [(0, 1, 2), (3, 0, 1)]
    """
    positions: dict[str, list[int]] = {}
    for j, token in enumerate(article):
        positions.setdefault(token, []).append(j)
    n_summary, n_article = len(summary), len(article)
    found: list[Fragment] = []
    i = 0
    while i < n_summary:
        best = Fragment(i, -1, 0)
        resume = 0  # the paper's j: article positions before it are skipped
        for j in positions.get(summary[i], ()):
            if j < resume:
                continue
            length = 1
            while (
                i + length < n_summary
                and j + length < n_article
                and summary[i + length] == article[j + length]
            ):
                length += 1
            if length > best.length:
                best = Fragment(i, j, length)
                if length == n_summary - i:
                    break  # nothing later can be strictly longer
            resume = j + length
        if best.length:
            found.append(best)
            i += best.length
        else:
            i += 1
    return found


class FragmentsParams(BaseModel):
    """Parameters of the ``fragments`` metric (none yet)."""

    model_config = ConfigDict(extra="forbid")


_VALUES = [
    ValueSpec(
        "coverage",
        None,
        "Share of summary words inside text copied from the source (extractiveness, not quality)",
    ),
    ValueSpec(
        "density",
        None,
        "Mean squared length of copied fragments per summary word (extractiveness, not quality)",
    ),
    ValueSpec("compression", None, "Source words per summary word (descriptive, not quality)"),
]


@metric(
    "fragments",
    params=FragmentsParams,
    values=_VALUES,
    requires=["source"],
    description="Extractive fragment coverage, density and compression (Grusky et al., 2018).",
    latin_script=True,
)
class FragmentsMetric:
    """Extractive fragment coverage, density and compression of a summary.

    Args:
        params: Validated parameters.
    """

    def __init__(self, params: FragmentsParams) -> None:
        self._params = params

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version and params of this metric."""
        return Fingerprint(
            kind="metric",
            name="fragments",
            version="1",
            params=self._params.model_dump(mode="json"),
            model=None,
        )

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Compute coverage, density and compression of each summary.

        Args:
            items: Pairs with a non-blank summary and source.

        Returns:
            One result per item, in order. Values are ``None`` (with a reason)
            when the summary has no word token.
        """
        return [_score_one(item) for item in items]


def _score_one(item: MetricInput) -> MetricResult:
    summary = fragment_tokens(item.summary)
    if not summary:
        return MetricResult(
            values={"coverage": None, "density": None, "compression": None},
            reason="summary has no words",
        )
    article = fragment_tokens(item.example.source)
    lengths = [fragment.length for fragment in extractive_fragments(summary, article)]
    n = len(summary)
    return MetricResult(
        values={
            "coverage": sum(lengths) / n,
            "density": sum(length * length for length in lengths) / n,
            "compression": len(article) / n,
        }
    )


__all__ = [
    "Fragment",
    "FragmentsMetric",
    "FragmentsParams",
    "extractive_fragments",
    "fragment_tokens",
]
