"""Builders shared by the alias tests: summary entities and hand-made source indexes
(no NER, so each rule is tested on exactly the input it sees)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harness.text.aliases import SourceIndex
from harness.text.entities import Entity, make_entity


def summary_entity(text: str, label: str = "PERSON") -> Entity:
    """A summary entity (trimmed like the extractor trims spaCy's spans)."""
    entity = make_entity(text, 0, len(text), label)
    assert entity is not None
    return entity


def source_index(text: str, *names: tuple[str, str]) -> SourceIndex:
    """An index over ``text`` whose entities are the given (surface, label) pairs."""
    entities = []
    for surface, label in names:
        start = text.index(surface)
        entity = make_entity(text, start, start + len(surface), label)
        assert entity is not None
        entities.append(entity)
    return SourceIndex.from_entities(sorted(entities, key=lambda e: e.start), text)


@pytest.fixture
def ent() -> Callable[..., Entity]:
    """`summary_entity`."""
    return summary_entity


@pytest.fixture
def source() -> Callable[..., SourceIndex]:
    """`source_index`."""
    return source_index
