"""What alias resolution works with and returns: a source `Name` and a `Resolution`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from harness.text.entities import Entity

Status = Literal["supported", "unsupported"]


@dataclass(frozen=True)
class Name:
    """A source name a summary entity may match: an entity or a capitalised run.

    Attributes:
        text: As written in the source.
        start: Character offset in the source.
        end: End offset.
        key: Normalised key.
        entity: The source entity, or ``None`` for a run of capitalised words
            the NER did not tag.
    """

    text: str
    start: int
    end: int
    key: str
    entity: Entity | None

    @classmethod
    def of(cls, entity: Entity) -> Name:
        """The name of a source entity."""
        return cls(entity.text, entity.start, entity.end, entity.key, entity)

    @property
    def label(self) -> str | None:
        """The entity's label, if any."""
        return self.entity.label if self.entity is not None else None

    def describe(self) -> str:
        """``'text' (LABEL)`` or ``'text' (untagged text)``."""
        return f"'{self.text}' ({self.label or 'untagged text'})"


@dataclass(frozen=True)
class Resolution:
    """Whether a summary entity is supported, how, and the evidence.

    Attributes:
        status: ``"supported"`` or ``"unsupported"``.
        rule: The rule that matched (``exact``, ``surname``, ``partial``,
            ``source-text``, ``acronym``, ``admin-suffix``, ``demonym``,
            ``alias``, ``word-order``, ``transliteration``, ``compound``), or
            ``None`` when unsupported.
        matched: The source entity that supports it, if the support is an entity.
        source_span: Where in the source the support is.
        source_text: The supporting source text.
        closest: For an unsupported entity, the most similar source entity.
        evidence: One readable sentence: how it matched, or the closest
            candidate and why it was rejected.
    """

    status: Status
    rule: str | None
    matched: Entity | None
    source_span: tuple[int, int] | None
    source_text: str | None
    closest: Entity | None
    evidence: str

    @property
    def supported(self) -> bool:
        """``status == "supported"``."""
        return self.status == "supported"


def supported_by(rule: str, name: Name, evidence: str) -> Resolution:
    """A supported `Resolution`: ``rule`` matched the source's ``name``."""
    return Resolution(
        "supported", rule, name.entity, (name.start, name.end), name.text, None, evidence
    )


__all__ = ["Name", "Resolution", "Status", "supported_by"]
