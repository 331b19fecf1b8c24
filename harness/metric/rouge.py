"""ROUGE F-measures of a summary against its references.

ROUGE is from Lin (2004), "ROUGE: A Package for Automatic Evaluation of
Summaries", Text Summarization Branches Out, https://aclanthology.org/W04-1013/.
Scores are computed by Google's ``rouge-score`` package (a re-implementation of
ROUGE-1.5.5: lowercased ASCII letter/digit tokens, optional Porter stemming of
tokens longer than three characters).

Preprocessing: the summary and every reference are split into sentences with
`harness.text.split_sentences` and joined with ``"\\n"``. ``rougeLsum``
(summary-level LCS) needs one sentence per line; the same newline-joined text is
used for every type, which leaves ``rouge1``, ``rouge2`` and ``rougeL`` unchanged
because the rouge-score tokenizer treats newlines like any other non-alphanumeric
separator (the tests check this).

Several references: each ROUGE type's value is the maximum F-measure over the
references, taken per type independently (``rouge1`` may come from one
reference and ``rougeL`` from another). This is exactly what
``RougeScorer.score_multi`` does in rouge-score 0.1.2 — for each type it keeps
the `Score` of the reference with the highest F-measure (``np.argmax``) — and
the metric calls it directly. References with no token at all are left out
first; they would score 0 and never be the maximum, so this only matters when
*no* reference has a token, in which case the values are ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from harness.metric._protocol import Metric, MetricInput, MetricResult, ValueSpec, metric
from harness.records import Fingerprint
from harness.text import split_sentences

RougeType = Literal["rouge1", "rouge2", "rougeL", "rougeLsum"]
ROUGE_TYPES: tuple[RougeType, ...] = get_args(RougeType)


class RougeParams(BaseModel):
    """Parameters of the ``rouge`` metric.

    Attributes:
        types: Which ROUGE types to compute; stored deduplicated in the order
            of `ROUGE_TYPES` so equal selections share one fingerprint.
            Types not selected are reported as ``None``.
        use_stemmer: Porter-stem tokens before matching (as ROUGE-1.5.5 ``-m``).
    """

    model_config = ConfigDict(extra="forbid")

    types: list[RougeType] = Field(default_factory=lambda: list(ROUGE_TYPES), min_length=1)
    use_stemmer: bool = True

    @field_validator("types")
    @classmethod
    def _canonical_order(cls, types: list[RougeType]) -> list[RougeType]:
        return [name for name in ROUGE_TYPES if name in types]


def one_sentence_per_line(text: str) -> str:
    """``text`` with one sentence per line, as ``rougeLsum`` expects.

    >>> one_sentence_per_line("Two died. The U.S. sent aid.")
    'Two died.\\nThe U.S. sent aid.'
    """
    return "\n".join(split_sentences(text))


class RougeMetric:
    """ROUGE F-measures against the best-matching reference, per type.

    Args:
        params: Validated parameters; the scorer is built once here.
    """

    def __init__(self, params: RougeParams) -> None:
        # Imported here: rouge-score pulls in nltk and absl, which the CLI
        # should not pay for unless ROUGE is used.
        from rouge_score import rouge_scorer, tokenizers

        self._params = params
        self._scorer: Any = rouge_scorer.RougeScorer(
            list(params.types), use_stemmer=params.use_stemmer
        )
        # Stemming never turns a token into nothing, so the unstemmed
        # tokenizer is enough to tell whether a text has any token.
        self._plain_tokenizer: Any = tokenizers.DefaultTokenizer(use_stemmer=False)

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version and params of this metric."""
        return Fingerprint(
            kind="metric",
            name="rouge",
            version="1",
            params=self._params.model_dump(mode="json"),
            model=None,
        )

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Score each (example, summary) pair against the example's references.

        Args:
            items: Pairs with a non-blank summary and at least one reference.

        Returns:
            One result per item, in order. Values are ``None`` (with a reason)
            when the summary or every reference has no ASCII letter or digit.
        """
        return [self._score_one(item) for item in items]

    def _has_tokens(self, text: str) -> bool:
        return bool(self._plain_tokenizer.tokenize(text))

    def _score_one(self, item: MetricInput) -> MetricResult:
        empty: dict[str, float | None] = dict.fromkeys(ROUGE_TYPES)
        summary = one_sentence_per_line(item.summary)
        if not self._has_tokens(summary):
            return MetricResult(
                values=empty, reason="summary has no ROUGE tokens (ASCII letters or digits)"
            )
        references = [one_sentence_per_line(ref) for ref in item.example.references]
        references = [ref for ref in references if self._has_tokens(ref)]
        if not references:
            return MetricResult(
                values=empty, reason="no reference has ROUGE tokens (ASCII letters or digits)"
            )
        best = self._scorer.score_multi(references, summary)
        values = dict(empty)
        for name in self._params.types:
            values[name] = float(best[name].fmeasure)
        return MetricResult(values=values)


_VALUES = [
    ValueSpec("rouge1", True, "ROUGE-1 F-measure (unigram overlap), best over references"),
    ValueSpec("rouge2", True, "ROUGE-2 F-measure (bigram overlap), best over references"),
    ValueSpec(
        "rougeL", True, "ROUGE-L F-measure (longest common subsequence), best over references"
    ),
    ValueSpec(
        "rougeLsum",
        True,
        "ROUGE-Lsum F-measure (summary-level LCS over sentences), best over references",
    ),
]


@metric(
    "rouge",
    params=RougeParams,
    values=_VALUES,
    requires=["reference"],
    description="ROUGE-1/2/L/Lsum F-measures against the references (rouge-score).",
)
def build_rouge(params: RougeParams) -> Metric:
    """Build the ``rouge`` metric.

    Args:
        params: Validated `RougeParams`.

    Returns:
        A `RougeMetric`.
    """
    return RougeMetric(params)


__all__ = [
    "ROUGE_TYPES",
    "RougeMetric",
    "RougeParams",
    "RougeType",
    "build_rouge",
    "one_sentence_per_line",
]
