"""ROUGE F-measures of a summary against its references.

ROUGE is from Lin (2004), "ROUGE: A Package for Automatic Evaluation of
Summaries", Text Summarization Branches Out, https://aclanthology.org/W04-1013/.
The values are those of Google's ``rouge-score`` package (a re-implementation
of ROUGE-1.5.5: lowercased ASCII letter/digit tokens, optional NLTK Porter
stemming of tokens longer than three characters), computed by
``rouge-score-rs``, a Rust implementation of the same algorithms (tokenizer,
stemmer, n-gram counts, LCS with rouge-score's backtracking order for the
summary-level union LCS, and the same float operations). The tests compare
every value with rouge-score's own on every pair of the shared SummEdits and
QAGS data, for float equality, not closeness.

Preprocessing: the summary and every reference are split into sentences with
`harness.text.split_sentences` and joined with ``"\\n"``. ``rougeLsum``
(summary-level LCS) needs one sentence per line; the same newline-joined text is
used for every type, which leaves ``rouge1``, ``rouge2`` and ``rougeL`` unchanged
because the rouge-score tokenizer treats newlines like any other non-alphanumeric
separator (the tests check this).

Several references: each ROUGE type's value is the maximum F-measure over the
references, taken per type independently (``rouge1`` may come from one
reference and ``rougeL`` from another). This is what
``RougeScorer.score_multi`` does in rouge-score 0.1.2 — for each type it keeps
the `Score` of the first reference with the highest F-measure (``np.argmax``).
Here every (reference, summary) pair of a batch is scored in one
``score_batch`` call (native, on all CPU cores) and the same first maximum is
taken per item. References with no token at all are left out first; they would
score 0 and never be the maximum, so this only matters when *no* reference has a
token, in which case the values are ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from harness.metric._protocol import MetricInput, MetricResult, ValueSpec, metric
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
    latin_script=True,
)
class RougeMetric:
    """ROUGE F-measures against the best-matching reference, per type.

    Args:
        params: Validated parameters; the scorer is built once here.
    """

    def __init__(self, params: RougeParams) -> None:
        # Imported here so the CLI only loads the native engine when ROUGE is used.
        import rouge_score_rs.tokenizers

        # Its Python wrapper is unannotated (py.typed, but no signatures): Any.
        engine: Any = rouge_score_rs
        self._params = params
        self._scorer: Any = engine.RougeScorer(list(params.types), use_stemmer=params.use_stemmer)
        # Stemming never turns a token into nothing, so the unstemmed
        # tokenizer is enough to tell whether a text has any token.
        self._plain_tokenizer: Any = engine.tokenizers.DefaultTokenizer(use_stemmer=False)

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version and params of this metric."""
        # Version 1 still: the engine changed, the values did not (bit for bit).
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
        results: list[MetricResult | None] = []
        targets: list[str] = []
        predictions: list[str] = []
        # Per item: the slice of `targets` holding its references.
        slices: list[tuple[int, int]] = []
        for item in items:
            start = len(targets)
            skipped = self._prepare(item, targets, predictions)
            results.append(skipped)
            slices.append((start, len(targets)))
        # One native call for the whole batch: it releases the GIL and uses
        # every core, where a call per pair would pay Python overhead each time.
        scores: list[dict[str, Any]] = self._scorer.score_batch(targets, predictions)
        return [
            result if result is not None else self._best(scores[start:end])
            for result, (start, end) in zip(results, slices, strict=True)
        ]

    def _has_tokens(self, text: str) -> bool:
        return bool(self._plain_tokenizer.tokenize(text))

    def _prepare(
        self, item: MetricInput, targets: list[str], predictions: list[str]
    ) -> MetricResult | None:
        """Append the item's (reference, summary) pairs; a result if it has none."""
        summary = one_sentence_per_line(item.summary)
        if not self._has_tokens(summary):
            return MetricResult(
                values=dict.fromkeys(ROUGE_TYPES),
                reason="summary has no ROUGE tokens (ASCII letters or digits)",
            )
        references = [one_sentence_per_line(ref) for ref in item.example.references]
        references = [ref for ref in references if self._has_tokens(ref)]
        if not references:
            return MetricResult(
                values=dict.fromkeys(ROUGE_TYPES),
                reason="no reference has ROUGE tokens (ASCII letters or digits)",
            )
        targets.extend(references)
        predictions.extend([summary] * len(references))
        return None

    def _best(self, per_reference: list[dict[str, Any]]) -> MetricResult:
        """Per type, the F-measure of the first reference with the highest one.

        ``max`` returns the first maximal element, as ``np.argmax`` does in
        rouge-score's ``score_multi``.
        """
        values: dict[str, float | None] = dict.fromkeys(ROUGE_TYPES)
        for name in self._params.types:
            best = max(per_reference, key=lambda scores: float(scores[name].fmeasure))
            values[name] = float(best[name].fmeasure)
        return MetricResult(values=values)


__all__ = [
    "ROUGE_TYPES",
    "RougeMetric",
    "RougeParams",
    "RougeType",
    "one_sentence_per_line",
]
