"""``consistency``: one model-free faithfulness score per summary, in [0, 1].

The score multiplies two parts (higher = more faithful)::

    score = (1 - novel_bigrams) * exp(-(W_NUMBER * numbers + W_ENTITY * entities
                                        + W_NEGATION * negations))

- ``novel_bigrams``: the share of the summary's word bigrams (lower-cased,
  Porter-stemmed) that never occur in the source. Abstractive summaries that
  add content add new word pairs; on news, extractiveness of this kind is a
  strong correlate of human consistency judgments (Durmus et al., 2020,
  "FEQA", ACL, §5; Grusky et al., 2018 on fragment density).
- ``numbers``: summary quantities the ``numbers`` metric flags
  (``unsupported`` or ``context_mismatch``).
- ``entities``: summary entities the ``entities`` metric flags
  (``unsupported``).
- ``negations``: summary sentences whose negation (not, no, never, n't, ...)
  disagrees with the source sentence that shares the most content words with
  it — "the minister did not resign" against "the minister resigned".

Each flagged number, entity or negation multiplies the score by
``exp(-weight)``; with the default weights (0.7) a single flag roughly halves it.
The findings of the ``numbers`` and ``entities`` checks that are flagged are
repeated here, plus one ``{"kind": "negation", ...}`` finding per negation
mismatch, so the score is explained by evidence a person can read.

No neural model is involved; the ``entities`` part needs a spaCy English
pipeline (the ``model`` param, else the first one installed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from harness.config import MetricConfig
from harness.metric._protocol import (
    Metric,
    MetricInput,
    MetricResult,
    ValueSpec,
    build_metric,
    metric,
)
from harness.records import Fingerprint
from harness.text.sentences import sentence_spans

#: Negation words (as written; compared after stemming, see `_negation_stems`).
NEGATIONS = frozenset(
    {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot",
     "nowhere", "n't", "denied", "refused", "failed"}
)  # fmt: skip
#: How far after a negation a shared word may stand for the negation to govern it
#: ("was not deemed to be a threat").
NEGATION_REACH = 5
_TOKEN = re.compile(r"\w+(?=n['’]t\b)|n['’]t\b|\w+", re.UNICODE)


class ConsistencyParams(BaseModel):
    """Parameters of ``consistency``.

    Attributes:
        model: spaCy pipeline for the entity check (default: first installed).
        number_weight: Penalty per flagged quantity.
        entity_weight: Penalty per flagged entity.
        negation_weight: Penalty per negation mismatch.
    """

    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    number_weight: float = Field(default=0.7, ge=0)
    entity_weight: float = Field(default=0.7, ge=0)
    negation_weight: float = Field(default=0.7, ge=0)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_stemmer().stem(word))


@lru_cache(maxsize=1)
def _negation_stems() -> frozenset[str]:
    return frozenset(_stem(word) for word in NEGATIONS)


def stemmed_tokens(text: str) -> list[str]:
    """Lower-cased, Porter-stemmed word tokens (``n't`` kept as a token).

    >>> stemmed_tokens("The ministers didn't resign")
    ['the', 'minist', 'did', "n't", 'resign']
    """
    return [_stem(token.lower().replace("’", "'")) for token in _TOKEN.findall(text)]


def novel_bigram_share(
    pairs: Sequence[tuple[str, str]], source_bigrams: frozenset[tuple[str, str]]
) -> float:
    """Share of the summary's bigrams absent from the source (0 when it has none).

    >>> novel_bigram_share([("a", "b"), ("b", "c")], frozenset({("a", "b")}))
    0.5
    """
    if not pairs:
        return 0.0
    return sum(pair not in source_bigrams for pair in pairs) / len(pairs)


@lru_cache(maxsize=2048)
def _source_profile(
    source: str,
) -> tuple[frozenset[tuple[str, str]], tuple[tuple[int, int, tuple[str, ...]], ...]]:
    sentences = tuple(
        (start, end, tuple(stemmed_tokens(source[start:end])))
        for start, end in sentence_spans(source)
    )
    bigrams = frozenset(pair for _, _, words in sentences for pair in pairwise(words))
    return bigrams, sentences


def sentence_bigrams(text: str) -> list[tuple[str, str]]:
    """Stemmed word bigrams within each sentence (none across a sentence boundary).

    >>> sentence_bigrams("Prices rose. Wages fell.")
    [('price', 'rose'), ('wage', 'fell')]
    """
    return [
        pair
        for start, end in sentence_spans(text)
        for pair in pairwise(stemmed_tokens(text[start:end]))
    ]


def negates_shared(words: Sequence[str], shared: set[str]) -> bool:
    """Whether a negation in ``words`` governs one of the ``shared`` words: one of
    them follows it within ``NEGATION_REACH`` words. A negation in a clause the
    other text leaves out governs nothing shared and does not count.

    >>> negates_shared(["was", "not", "deem", "a", "threat"], {"threat"})
    True
    >>> negates_shared(["lift", "veto", "would", "not", "affect", "oil"], {"lift", "veto"})
    False
    """
    return any(
        word in _negation_stems()
        and any(w in shared for w in words[index + 1 : index + 1 + NEGATION_REACH])
        for index, word in enumerate(words)
    )


def negation_mismatches(summary: str, source: str) -> list[dict[str, Any]]:
    """Findings for summary sentences whose negation disagrees with the source
    sentence that shares most of their content words.

    Only negations that govern a shared word count (`negates_shared`), so a
    negated clause the summary simply leaves out is no mismatch.

    >>> source = "The minister resigned on Monday."
    >>> [f["status"] for f in negation_mismatches("The minister did not resign.", source)]
    ['unsupported']
    >>> negation_mismatches("He resigned.", "He resigned on Monday, but did not say why.")
    []
    """
    _, source_sentences = _source_profile(source)
    if not source_sentences:
        return []
    findings = []
    for start, end in sentence_spans(summary):
        words = stemmed_tokens(summary[start:end])
        content = {w for w in words if w not in _negation_stems() and len(w) > 2}
        if not content:
            continue
        best = max(source_sentences, key=lambda sentence: len(content & set(sentence[2])))
        shared = content & set(best[2])
        if len(shared) < max(1, len(content) // 2):
            continue  # no source sentence says the same thing; nothing to compare
        negated = negates_shared(words, shared)
        source_negated = negates_shared(best[2], shared)
        if negated == source_negated:
            continue
        said = "negates" if negated else "does not negate"
        findings.append(
            {
                "kind": "negation",
                "text": summary[start:end],
                "span": [start, end],
                "status": "unsupported",
                "source_span": [best[0], best[1]],
                "source_text": source[best[0] : best[1]],
                "evidence": f"the summary sentence {said} what the closest source sentence "
                f"({'negated' if source_negated else 'not negated'}) says",
            }
        )
    return findings


class ConsistencyMetric:
    """Combines number, entity and negation flags with bigram novelty (module docstring)."""

    def __init__(self, params: ConsistencyParams) -> None:
        self._params = params
        _, self._numbers = build_metric(MetricConfig(name="numbers"), "consistency: numbers")
        _, self._entities = build_metric(
            MetricConfig(name="entities", params={"model": params.model}), "consistency: entities"
        )

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, weights, and (in ``version``) the versions of the checks it combines,
        so a change to either check invalidates cached consistency scores."""
        numbers, entities = self._numbers.fingerprint, self._entities.fingerprint
        return Fingerprint(
            kind="metric",
            name="consistency",
            version=f"1+numbers-{numbers.version}+entities-{entities.version}",
            params=self._params.model_dump(mode="json"),
            model=entities.model,
        )

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Score a batch (the numbers and entities checks run batched underneath)."""
        numbers = self._numbers.score(items)
        entities = self._entities.score(items)
        results = []
        for item, number, entity in zip(items, numbers, entities, strict=True):
            bigrams, _ = _source_profile(item.example.source)
            novelty = novel_bigram_share(sentence_bigrams(item.summary), bigrams)
            flagged = [
                finding
                for finding in (*number.findings, *entity.findings)
                if finding.get("status") in ("unsupported", "context_mismatch")
            ]
            n_numbers = sum(1 for f in flagged if f.get("kind") == "number")
            n_entities = sum(1 for f in flagged if f.get("kind") == "entity")
            negations = negation_mismatches(item.summary, item.example.source)
            penalty = (
                self._params.number_weight * n_numbers
                + self._params.entity_weight * n_entities
                + self._params.negation_weight * len(negations)
            )
            results.append(
                MetricResult(
                    values={
                        "score": (1.0 - novelty) * math.exp(-penalty),
                        "novel_bigrams": novelty,
                        "flags": float(n_numbers + n_entities + len(negations)),
                    },
                    findings=[*flagged, *negations],
                )
            )
        return results


@metric(
    "consistency",
    params=ConsistencyParams,
    values=[
        ValueSpec(
            "score",
            True,
            "Model-free faithfulness in [0, 1]: (1 − novel bigram share) × exp(−0.7 per flagged"
            " number, entity or negation)",
        ),
        ValueSpec("novel_bigrams", False, "Share of summary word bigrams absent from the source"),
        ValueSpec("flags", False, "Flagged numbers + entities + negation mismatches"),
    ],
    requires=["source"],
    description="One model-free faithfulness score combining the number, entity and negation"
    " checks with bigram novelty.",
)
def build_consistency(params: ConsistencyParams) -> Metric:
    """Build the ``consistency`` metric."""
    return ConsistencyMetric(params)
