"""`SourceIndex`: what alias resolution needs to know about one source.

The index is built once per source and shared by all summary entities scored
against it; each derived table (capitalised runs, acronyms, initials,
demonym forms, ...) is built the first time a rule asks for it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from functools import cached_property

from harness.text.aliases.forms import (
    acronym_of,
    demonym_forms,
    initials,
    is_acronym,
    strip_admin,
)
from harness.text.aliases.lexicon import DIRECTIONS, FUNCTION_WORDS, PLACE_LABELS
from harness.text.aliases.records import Name, Resolution
from harness.text.entities import Entity, TextAnalysis, TokenTable, normalise_key
from harness.text.sentences import sentence_spans


class SourceIndex:
    """What `resolve` needs to know about one source; derived tables are built lazily.

    Args:
        analysis: The source's `TextAnalysis` (text and entities).
        labels: Entity labels that count as source entities (default: the
            analysis's name labels, see `TextAnalysis.entities_with`).
    """

    def __init__(self, analysis: TextAnalysis, labels: Iterable[str] | None = None) -> None:
        self.analysis = analysis
        self.text = analysis.text
        self.entities: list[Entity] = analysis.entities_with(labels)
        #: Resolutions against this index by (entity text, label, key, explain),
        #: what `resolve` reads of an entity: for callers that resolve the
        #: names of many summaries of one source (see `harness.metric.entities`).
        self.resolved: dict[tuple[str, str, str, bool], Resolution] = {}

    @classmethod
    def from_entities(cls, entities: Sequence[Entity], text: str) -> SourceIndex:
        """An index over given entities of ``text`` (no NER run)."""
        return cls(TextAnalysis.of(text, entities), {entity.label for entity in entities})

    @cached_property
    def sentence_starts(self) -> list[int]:
        """Start offsets of the source's sentences."""
        return [start for start, _ in sentence_spans(self.text)]

    @cached_property
    def table(self) -> TokenTable:
        """The source's word tokens."""
        return self.analysis.token_table()

    @cached_property
    def by_key(self) -> dict[str, Entity]:
        """Key → first source entity with it."""
        found: dict[str, Entity] = {}
        for entity in self.entities:
            found.setdefault(entity.key, entity)
        return found

    @cached_property
    def _starts(self) -> list[int]:
        return [entity.start for entity in self.entities]

    def entity_covering(self, start: int, end: int) -> Entity | None:
        """The source entity whose span contains ``[start, end)``, if any."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self.entities[i].end >= end:
            return self.entities[i]
        return None

    def _raw(self, index: int) -> str:
        a = self.table
        return self.text[a.starts[index] : a.ends[index]]

    def occurrences(
        self, tokens: Sequence[str], mention: str, label: str
    ) -> tuple[list[Name], str]:
        """Accepted occurrences of ``tokens`` in the source text, and why others were not.

        Args:
            tokens: Folded tokens to find.
            mention: The mention as written (an acronym must match upper case).
            label: Its label: a place gets the direction guard, and so does a
                mention of another label inside a longer source place (the
                summary's NER may call "York" an organisation; the source's
                "New York" is still a different place).

        Returns:
            Occurrences as `Name` (entity = the source entity covering it), and
            a reason if some occurrence was rejected (else ``""``).
        """
        a = self.table
        n = len(tokens)
        accepted: list[Name] = []
        rejected = ""
        acronym = is_acronym(mention)
        for i in a.find(tokens):
            first = self._raw(i)
            if acronym and not all(
                char.isupper() or not char.isalpha() for k in range(n) for char in self._raw(i + k)
            ):
                rejected = rejected or f"'{first}' in the source is not written as an acronym"
                continue
            if i > 0 and a.tokens[i - 1] in DIRECTIONS:
                before = self._raw(i - 1)
                gap = self.text[a.ends[i - 1] : a.starts[i]]
                start, end = a.starts[i - 1], a.ends[i + n - 1]
                if (
                    before[:1].isupper()
                    and gap in {" ", "-"}
                    and (label in PLACE_LABELS or self._in_place(start, end))
                ):
                    rejected = rejected or (
                        f"it occurs only inside '{self.text[start:end]}', a different place"
                    )
                    continue
            start, end = a.char_span(i, n)
            entity = self.entity_covering(start, end)
            accepted.append(Name(self.text[start:end], start, end, " ".join(tokens), entity))
        return accepted, rejected

    def _in_place(self, start: int, end: int) -> bool:
        """A source place entity spans ``[start, end)`` (a direction word and a name)."""
        entity = self.entity_covering(start, end)
        return entity is not None and entity.label in PLACE_LABELS

    def lookup(self, key: str, label: str, mention: str) -> Name | None:
        """A source entity with ``key``, else an accepted text occurrence of it (see `pick`)."""
        entity = self.by_key.get(key)
        if entity is not None:
            return Name.of(entity)
        tokens = key.split(" ")
        if tokens[0] not in self.table.positions:
            return None  # not in the text at all (most demonym and alias forms tried)
        found, _ = self.occurrences(tokens, mention, label)
        return pick(found, label) if found else None

    @cached_property
    def runs(self) -> list[Name]:
        """Runs of capitalised words (with inner function words) in the source text."""
        a = self.table
        found: list[Name] = []
        i, n = 0, len(a.tokens)
        while i < n:
            if not self._raw(i)[:1].isupper():
                i += 1
                continue
            j = last = i
            while j + 1 < n:
                gap = self.text[a.ends[j] : a.starts[j + 1]]
                if gap not in {" ", "-", "'", "’", "."}:
                    break
                nxt = self._raw(j + 1)
                if nxt[:1].isupper():
                    last = j + 1
                elif a.tokens[j + 1] not in FUNCTION_WORDS:
                    break
                j += 1
            first = i + 1 if a.tokens[i] == "the" and last > i else i
            start, end = a.starts[first], a.ends[last]
            text = self.text[start:end]
            found.append(Name(text, start, end, normalise_key(text), None))
            i = last + 1
        return found

    @cached_property
    def names(self) -> list[Name]:
        """Source entities, then capitalised runs no entity has the key of."""
        seen: set[str] = set()
        found: list[Name] = []
        for entity in self.entities:
            if entity.key not in seen:
                seen.add(entity.key)
                found.append(Name(entity.text, entity.start, entity.end, entity.key, entity))
        for run in self.runs:
            if run.key not in seen:
                seen.add(run.key)
                found.append(run)
        return found

    @cached_property
    def definitions(self) -> dict[str, Name]:
        """Acronyms the source introduces in parentheses → the name before them."""
        found: dict[str, Name] = {}
        by_end = {run.end: run for run in self.runs}
        by_end.update({entity.end: Name.of(entity) for entity in self.entities})
        for match in re.finditer(r"\(\s*([A-Z][\w.&+-]*)\s*\)", self.text):
            if not is_acronym(match.group(1)):
                continue
            name = by_end.get(len(self.text[: match.start()].rstrip()))
            if name is not None and len(name.key.split(" ")) > 1:
                found.setdefault(acronym_of(match.group(1)), name)
        return found

    @cached_property
    def expansions(self) -> dict[str, Name]:
        """Acronym → a source name it abbreviates (a parenthesised definition, or initials)."""
        found = dict(self.definitions)
        for name in self.names:
            for acronym in initials(name.text):
                found.setdefault(acronym, name)
        return found

    @cached_property
    def acronyms(self) -> dict[str, Name]:
        """Acronyms written in the source (upper-case tokens) → first occurrence."""
        found: dict[str, Name] = {}
        a = self.table
        for i, token in enumerate(a.tokens):
            raw = self._raw(i)
            if token not in found and is_acronym(raw):
                start, end = a.starts[i], a.ends[i]
                found[token] = Name(raw, start, end, token, self.entity_covering(start, end))
        return found

    @cached_property
    def inversions(self) -> list[tuple[Name, tuple[str, ...], str, str]]:
        """Source names "A of B" as "B A" ("Ministry of Health" → "health ministry").

        Each item: the name, its inverted tokens, the head before "of" and
        the first word after it.
        """
        found: list[tuple[Name, tuple[str, ...], str, str]] = []
        for name in self.names:
            tokens = name.key.split(" ")
            for k in range(1, len(tokens) - 1):
                if tokens[k] != "of":
                    continue
                complement = tokens[k + 1 :]
                if complement[0] == "the" and len(complement) > 1:
                    complement = complement[1:]
                found.append((name, (*complement, *tokens[:k]), tokens[k - 1], complement[0]))
        return found

    @cached_property
    def admin_keys(self) -> dict[str, Entity]:
        """Key without administrative words → non-person source entity."""
        found: dict[str, Entity] = {}
        for entity in self.entities:
            if entity.label != "PERSON":
                found.setdefault(" ".join(strip_admin(entity.tokens)), entity)
        return found

    @cached_property
    def demonyms(self) -> dict[str, Entity]:
        """Place/demonym forms of source entities → the entity."""
        found: dict[str, Entity] = {}
        for entity in self.entities:
            if entity.label != "PERSON":
                for form in demonym_forms(entity.key):
                    found.setdefault(form, entity)
        return found


def pick(occurrences: Sequence[Name], label: str) -> Name:
    """Prefer an occurrence inside a source entity of the same label, then any entity."""
    for occurrence in occurrences:
        if occurrence.entity is not None and occurrence.entity.label == label:
            return occurrence
    for occurrence in occurrences:
        if occurrence.entity is not None:
            return occurrence
    return occurrences[0]


__all__ = ["SourceIndex", "pick"]
