"""The ``lead`` backend: the first k sentences of the source.

Lead-k is the standard extractive baseline for news summarisation: news
articles put the most important facts first, so the first sentences are a
strong summary that any learned system should beat.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from harness.backend._protocol import BuildContext, Generation, Summarizer, backend
from harness.records import Example, Fingerprint
from harness.text.sentences import split_sentences


class LeadParams(BaseModel):
    """Params of the ``lead`` backend.

    Attributes:
        sentences: How many leading sentences to keep.
    """

    model_config = ConfigDict(extra="forbid")

    sentences: int = Field(default=3, ge=1)


class LeadSummarizer:
    """Summarise each source by its first ``sentences`` sentences, joined by a space.

    Args:
        params: Validated params.
    """

    def __init__(self, params: LeadParams) -> None:
        self._params = params

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version and params of this backend."""
        return Fingerprint(
            kind="backend",
            name="lead",
            version="1",
            params=self._params.model_dump(mode="json"),
            model=None,
        )

    @property
    def cacheable(self) -> bool:
        """Lead is deterministic and cheap, but caching it is harmless."""
        return True

    def summarize(self, examples: Sequence[Example]) -> list[Generation]:
        """One `Generation` per example; a blank source fails with "empty source"."""
        return [self._one(example.source) for example in examples]

    def _one(self, source: str) -> Generation:
        sentences = split_sentences(source)
        if not sentences:
            return Generation.failed("empty source")
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
