"""Shared base of the extractive backends (``lead``, ``textrank``): split the
source into sentences once, fail a blank source, and let the subclass choose."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel

from harness.backend._protocol import Generation
from harness.code_digest import code_digest
from harness.records import Example, Fingerprint
from harness.text.sentences import split_sentences

ParamsT = TypeVar("ParamsT", bound=BaseModel)
#: Libraries whose versions change what the extractive backends pick (spaCy's
#: sentencizer, networkx's PageRank).
_LIBRARIES = ("spacy", "networkx")


class SentenceExtractor(ABC, Generic[ParamsT]):
    """A deterministic backend whose summary is a choice of source sentences.

    Subclasses set ``name`` (and ``version`` when their output changes) and
    implement `extract`.

    Args:
        params: Validated params (all of them go into the fingerprint).
    """

    name: ClassVar[str]
    #: 3: a number split PTB style ("$ 7 . 6 billion") is not cut at its point;
    #: 2: a quotation mark that opens a sentence is part of it (`harness.text.sentence_spans`).
    version: ClassVar[str] = "3"

    def __init__(self, params: ParamsT) -> None:
        self._params = params

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version and params of this backend.

        The version holds harness's code digest (`harness.code_digest`, with
        spaCy's and networkx's versions): the summary is cut by harness's sentence
        splitter, so an upgrade or an edit of harness that splits otherwise is a
        cache miss, never lead-3 summaries of the old split. (Other backends'
        generations are written by their models or programs, not by harness.)
        """
        return Fingerprint(
            kind="backend",
            name=self.name,
            version=f"{self.version}+code-{code_digest(_LIBRARIES)[:16]}",
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
