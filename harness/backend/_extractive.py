"""Shared base of the extractive backends (``lead``, ``textrank``): split the
source into sentences once, fail a blank source, and let the subclass choose."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel

from harness.backend._protocol import Generation
from harness.records import Example, Fingerprint
from harness.text.sentences import split_sentences

ParamsT = TypeVar("ParamsT", bound=BaseModel)


class SentenceExtractor(ABC, Generic[ParamsT]):
    """A deterministic backend whose summary is a choice of source sentences.

    Subclasses set ``name`` (and ``version`` when their output changes) and
    implement `extract`.

    Args:
        params: Validated params (all of them go into the fingerprint).
    """

    name: ClassVar[str]
    #: 2: a quotation mark that opens a sentence is part of it (`harness.text.sentence_spans`).
    version: ClassVar[str] = "2"

    def __init__(self, params: ParamsT) -> None:
        self._params = params

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version and params of this backend."""
        return Fingerprint(
            kind="backend",
            name=self.name,
            version=self.version,
            params=self._params.model_dump(mode="json"),
            model=None,
        )

    @property
    def cacheable(self) -> bool:
        """Deterministic, so outputs can be cached."""
        return True

    def summarize(self, examples: Sequence[Example]) -> list[Generation]:
        """One `Generation` per example; a blank source fails with "empty source"."""
        return [self._one(example.source) for example in examples]

    def _one(self, source: str) -> Generation:
        sentences = split_sentences(source)
        if not sentences:
            return Generation.failed("empty source")
        return self.extract(sentences)

    @abstractmethod
    def extract(self, sentences: list[str]) -> Generation:
        """The summary made of ``sentences`` (never empty), or a failure."""
