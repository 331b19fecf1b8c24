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

NEGATIONS = frozenset(
    {
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "nowhere",
        "n't",
        "denied",
        "refused",
        "failed",
    }
)
#: Words before the first shared word still read for a negation ("was not deemed to be a threat").
NEGATION_SLACK = 5
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


def stemmed_tokens(text: str) -> list[str]:
    """Lower-cased, Porter-stemmed word tokens (``n't`` kept as a token).

    >>> stemmed_tokens("The ministers didn't resign")
    ['the', 'minist', 'did', "n't", 'resign']
    """
    return [_stem(token.lower().replace("’", "'")) for token in _TOKEN.findall(text)]


def novel_bigram_share(
    summary_tokens: Sequence[str], source_bigrams: set[tuple[str, str]]
) -> float:
    """Share of the summary's bigrams absent from the source (0 for a one-word summary).

    >>> novel_bigram_share(["a", "b", "c"], {("a", "b")})
    0.5
    """
    pairs = list(pairwise(summary_tokens))
    if not pairs:
        return 0.0
    return sum(pair not in source_bigrams for pair in pairs) / len(pairs)


@lru_cache(maxsize=2048)
def _source_profile(
    source: str,
) -> tuple[frozenset[tuple[str, str]], tuple[tuple[int, int, tuple[str, ...]], ...]]:
    tokens = stemmed_tokens(source)
    bigrams = frozenset(pairwise(tokens))
    sentences = tuple(
        (start, end, tuple(stemmed_tokens(source[start:end])))
        for start, end in sentence_spans(source)
    )
    return bigrams, sentences


def _negated_near(words: Sequence[str], content: set[str]) -> bool:
    """Whether a negation occurs inside the stretch of ``words`` that the
    summary's content words cover (``NEGATION_SLACK`` words before it): negations in
    clauses the summary left out do not count."""
    positions = [index for index, word in enumerate(words) if word in content]
    if not positions:
        return False
    stretch = words[max(0, positions[0] - NEGATION_SLACK) : positions[-1] + 1]
    return any(word in NEGATIONS for word in stretch)


def negation_mismatches(summary: str, source: str) -> list[dict[str, Any]]:
    """Findings for summary sentences whose negation disagrees with the source
    sentence that shares most of their content words.

    Only the part of that source sentence the shared words cover is read, so a
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
        content = {w for w in words if w not in NEGATIONS and len(w) > 2}
        if not content:
            continue
        best = max(source_sentences, key=lambda sentence: len(content & set(sentence[2])))
        shared = content & set(best[2])
        if len(shared) < max(1, len(content) // 2):
            continue  # no source sentence says the same thing; nothing to compare
        negated = any(w in NEGATIONS for w in words)
        source_negated = _negated_near(best[2], shared)
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
            novelty = novel_bigram_share(stemmed_tokens(item.summary), set(bigrams))
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
