"""The ``lead`` backend: the first k sentences of the source.

Lead-k is the standard extractive baseline for news summarisation: news
articles put the most important facts first, so the first sentences are a
strong summary that any learned system should beat.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from harness.backend._extractive import SentenceExtractor
from harness.backend._protocol import BuildContext, Generation, Summarizer, backend


class LeadParams(BaseModel):
    """Params of the ``lead`` backend.

    Attributes:
        sentences: How many leading sentences to keep.
    """

    model_config = ConfigDict(extra="forbid")

    sentences: int = Field(default=3, ge=1)


class LeadSummarizer(SentenceExtractor[LeadParams]):
    """Summarise each source by its first ``sentences`` sentences, joined by a space.

    Args:
        params: Validated params.
    """

    name = "lead"

    def extract(self, sentences: list[str]) -> Generation:
        """The first ``params.sentences`` sentences."""
        return Generation(summary=" ".join(sentences[: self._params.sentences]))


@backend("lead", params=LeadParams, description="First k sentences of the source (lead-k baseline)")
def build_lead(params: LeadParams, context: BuildContext) -> Summarizer:
    """Build the ``lead`` backend.

    Args:
        params: Validated params.
        context: Build context (unused).
    """
    return LeadSummarizer(params)


__all__ = ["LeadParams", "LeadSummarizer", "build_lead"]
