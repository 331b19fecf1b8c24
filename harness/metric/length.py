"""Summary length in words and sentences.

Descriptive values with no better side. A report shows them next to quality
metrics because length confounds comparisons between systems: ROUGE F1, for
one, varies non-linearly with summary length (Sun, Shapira, Dagan and Nenkova,
2019, "How to Compare Summarizers without Target Length? Pitfalls, Solutions
and Re-Examination of the Neural Summarization Literature", NeuralGen
workshop, https://aclanthology.org/W19-2303/).

Words are `harness.text.words` tokens (punctuation is not counted); sentences
are `harness.text.split_sentences` sentences. Both are always defined, so a
summary made only of punctuation gets ``words == 0`` rather than ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from harness.metric._protocol import MetricInput, MetricResult, ValueSpec, metric
from harness.records import Fingerprint
from harness.text import split_sentences, words


class LengthParams(BaseModel):
    """Parameters of the ``length`` metric (none yet)."""

    model_config = ConfigDict(extra="forbid")


_VALUES = [
    ValueSpec("words", None, "Number of words in the summary (punctuation not counted)"),
    ValueSpec("sentences", None, "Number of sentences in the summary"),
]


@metric(
    "length",
    params=LengthParams,
    values=_VALUES,
    requires=[],
    description="Summary length in words and sentences (descriptive).",
)
class LengthMetric:
    """Word and sentence counts of a summary.

    Args:
        params: Validated parameters.
    """

    def __init__(self, params: LengthParams) -> None:
        self._params = params

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version and params of this metric."""
        return Fingerprint(
            kind="metric",
            name="length",
            version="1",
            params=self._params.model_dump(mode="json"),
            model=None,
        )

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Count the words and sentences of each summary.

        Args:
            items: Pairs with a non-blank summary.

        Returns:
            One result per item, in order.
        """
        return [
            MetricResult(
                values={
                    "words": float(len(words(item.summary))),
                    "sentences": float(len(split_sentences(item.summary))),
                }
            )
            for item in items
        ]


__all__ = ["LengthMetric", "LengthParams"]
