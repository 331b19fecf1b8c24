"""The alias rules tried after an exact key and a text occurrence (see
`harness.text.aliases` for what each accepts).

Each `Rule` says which entities it is for (people or not, at least how many
tokens) once, in `Rule.apply`; its ``match`` only looks for the support.
`RULES` holds them in the order `harness.text.aliases.resolve.resolve` tries
them; ``compound``, which resolves the parts of a name, comes last
(`compound_rule`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from harness.text.aliases.forms import acronym_of, demonym_forms, initials, is_acronym, strip_admin
from harness.text.aliases.index import SourceIndex, pick
from harness.text.aliases.lexicon import ADMIN_WORDS, DIRECTIONS, FUNCTION_WORDS, PLACE_ALIAS
from harness.text.aliases.records import Name, Resolution, supported_by
from harness.text.aliases.spelling import match_tokens, token_variant
from harness.text.entities import Entity, normalise_key, word_spans

#: Finds the support of a summary entity in a source, or ``None``.
Match = Callable[[Entity, SourceIndex], Resolution | None]


@dataclass(frozen=True)
class Rule:
    """One alias rule and the entities it is for.

    Attributes:
        name: The rule's name (as in `harness.text.aliases`).
        match: Looks for the support (called only for entities the rule is for).
        people: Whether it is tried for ``PERSON`` entities.
        min_tokens: The fewest tokens an entity must have.
    """

    name: str
    match: Match
    people: bool = True
    min_tokens: int = 1

    def apply(self, entity: Entity, index: SourceIndex) -> Resolution | None:
        """The rule's resolution of ``entity``, or ``None`` (no match, or not for it)."""
        if entity.label == "PERSON" and not self.people:
            return None
        if len(entity.tokens) < self.min_tokens:
            return None
        return self.match(entity, index)


def occurrence_rule(entity: Entity, occurrence: Name) -> tuple[str, str]:
    """Rule and evidence for a text occurrence (``surname`` / ``partial`` / ``source-text``)."""
    covering = occurrence.entity
    if covering is None:
        return "source-text", (
            f"'{entity.text}' occurs in the source text at {occurrence.start}"
            " (the source's NER did not tag it there)"
        )
    if covering.key == entity.key:
        return "exact", f"'{entity.text}' is in the source as {Name.of(covering).describe()}"
    extra = [token for token in covering.tokens if token not in entity.tokens]
    if extra and all(token in ADMIN_WORDS for token in extra):
        return "admin-suffix", (
            f"'{entity.text}' is the source's {Name.of(covering).describe()} without"
            f" the administrative word(s) {', '.join(extra)}"
        )
    if covering.label == "PERSON" or entity.label == "PERSON":
        return "surname", (
            f"'{entity.text}' is part of the full name {Name.of(covering).describe()} in the source"
        )
    return "partial", (f"'{entity.text}' is part of the source's {Name.of(covering).describe()}")


def _acronym(entity: Entity, index: SourceIndex) -> Resolution | None:
    if is_acronym(entity.text):
        name = index.expansions.get(acronym_of(entity.text))
        if name is not None:
            return supported_by(
                "acronym",
                name,
                f"'{entity.text}' is the acronym of the source's {name.describe()}",
            )
        return None
    for acronym in initials(entity.text):
        name = index.acronyms.get(acronym)
        if name is not None:
            return supported_by(
                "acronym",
                name,
                f"'{entity.text}' expands the source's acronym '{name.text}'",
            )
    return None


def _admin_suffix(entity: Entity, index: SourceIndex) -> Resolution | None:
    stripped = strip_admin(entity.tokens)
    if stripped == entity.tokens:
        return None
    key = " ".join(stripped)
    source = index.admin_keys.get(key)
    name = Name.of(source) if source is not None else None
    if name is None:
        found, _ = index.occurrences(stripped, entity.text, entity.label)
        name = pick(found, entity.label) if found else None
    if name is None:
        return None
    return supported_by(
        "admin-suffix",
        name,
        f"'{entity.text}' and the source's {name.describe()} name the same place once"
        " administrative words (oblast, region, province, ...) are set aside",
    )


def _demonym(entity: Entity, index: SourceIndex) -> Resolution | None:
    source = index.demonyms.get(entity.key)
    if source is not None:
        return supported_by(
            "demonym",
            Name.of(source),
            f"'{entity.text}' and the source's {Name.of(source).describe()} are a place"
            " and its demonym",
        )
    for form in sorted(demonym_forms(entity.key)):
        name = index.lookup(form, entity.label, entity.text)
        if name is not None:
            return supported_by(
                "demonym",
                name,
                f"'{entity.text}' and the source's {name.describe()} are a place and its demonym",
            )
    return None


def _alias(entity: Entity, index: SourceIndex) -> Resolution | None:
    group = PLACE_ALIAS.get(entity.key)
    if group is None:
        return None
    for alias in sorted(group - {entity.key}):
        name = index.lookup(alias, entity.label, alias)
        if name is not None:
            return supported_by(
                "alias",
                name,
                f"'{entity.text}' and the source's {name.describe()} are names of one place",
            )
    return None


def _same_words(tokens: Sequence[str], other: Sequence[str]) -> bool:
    """Both names have the same words (or person-name variants), in any order."""
    if len(tokens) != len(other):
        return False
    rest = list(other)
    for token in tokens:
        hit = next((u for u in rest if token_variant(token, u, person=True) is not None), None)
        if hit is None:
            return False
        rest.remove(hit)
    return True


def _word_order(entity: Entity, index: SourceIndex) -> Resolution | None:
    tokens = entity.tokens
    if entity.label == "PERSON":
        for name in index.names:
            words = name.key.split(" ")
            if (
                name.label == "PERSON"
                and _same_words(tokens, words)
                and match_tokens(tokens, words, person=True) is None
            ):
                return supported_by(
                    "word-order",
                    name,
                    f"'{entity.text}' is the source's {name.describe()} with given name and"
                    " surname in the other order",
                )
        return None
    for name, inverted, head, complement in index.inversions:
        if head not in tokens or complement not in tokens:
            continue
        pairs = match_tokens(tokens, inverted, person=False)
        if pairs is not None:
            return supported_by(
                "word-order",
                name,
                f"'{entity.text}' is the source's {name.describe()} with its words reordered"
                f" ('{head} of {complement}' → '{complement} {head}')",
            )
    return None


def _transliteration(entity: Entity, index: SourceIndex) -> Resolution | None:
    tokens = entity.tokens
    for name in index.names:
        person = "PERSON" in {entity.label, name.label}
        source = name.key.split(" ")
        if name.entity is None:
            # untagged capitalised runs may join several names ("Kenya and Qatar
            # Airways"): the summary name must match a contiguous stretch of one
            n = len(tokens)
            windows = [source[i : i + n] for i in range(len(source) - n + 1)]
            pairs = next(
                (
                    found
                    for window in windows
                    if (found := match_tokens(tokens, window, person=person)) is not None
                ),
                None,
            )
        else:
            pairs = match_tokens(tokens, source, person=person)
        if pairs is None:
            continue
        first = source.index(pairs[0][1])
        if not person and first > 0 and source[first - 1] in DIRECTIONS:
            continue  # part of a longer place name is another place ("Sudan", "South Sudan")
        variants = [f"{a} ~ {b}" for a, b, how in pairs if how != "equal"]
        if not variants:
            return supported_by(
                "surname" if person else "partial",
                name,
                f"'{entity.text}' matches the words of the source's {name.describe()}",
            )
        return supported_by(
            "transliteration",
            name,
            f"'{entity.text}' matches the source's {name.describe()} as a spelling"
            f" variant ({'; '.join(variants)})",
        )
    return None


#: The rules in the order they are tried (``compound`` comes after them).
RULES: tuple[Rule, ...] = (
    Rule("acronym", _acronym),
    Rule("admin-suffix", _admin_suffix, people=False),
    Rule("demonym", _demonym, people=False),
    Rule("alias", _alias),
    Rule("word-order", _word_order, min_tokens=2),
    Rule("transliteration", _transliteration),
)

#: Rules that support a whole name (not a part of a longer one); a part of a
#: compound must be supported by one of them.
_WHOLE_NAME_RULES = frozenset(
    {"exact", "acronym", "admin-suffix", "demonym", "alias", "word-order", "transliteration"}
)
_QUALIFIER_LABELS = frozenset({"GPE", "NORP", "ORG", "LOC"})


def _part(entity: Entity, start: int, end: int) -> Entity | None:
    """The sub-entity of ``entity`` made of its word tokens ``start:end``."""
    words = word_spans(entity.text)
    if not 0 <= start < end <= len(words):
        return None
    first, last = words[start][1], words[end - 1][2]
    text = entity.text[first:last]
    return Entity(
        text, entity.start + first, entity.start + last, entity.label, normalise_key(text)
    )


@lru_cache(maxsize=65536)
def _splits(entity: Entity) -> tuple[tuple[Entity, Entity], ...]:
    """The (qualifier, name) splits `_compound` tries, in order.

    They depend on the entity alone, and entity recall tries the same source
    entities against every summary of an article: worked out once per entity.
    """
    tokens = entity.tokens
    n_words = len(word_spans(entity.text))
    if n_words != len(tokens):
        return ()  # a dropped possessive or "the": word positions would not line up
    found: list[tuple[Entity, Entity]] = []
    for k in range(1, len(tokens)):
        if tokens[k - 1] in DIRECTIONS or tokens[k - 1] in FUNCTION_WORDS:
            continue
        left, right = _part(entity, 0, k), _part(entity, k, len(tokens))
        if left is None or right is None or right.key in FUNCTION_WORDS:
            continue
        found.append((left, right))
    return tuple(found)


def _compound(entity: Entity, resolve_part: Callable[[Entity], Resolution]) -> Resolution | None:
    """A qualifier and a name, both in the source: "EU General Court" = "EU" + "General Court"."""
    for left, right in _splits(entity):
        qualifier = resolve_part(left)
        if (
            not qualifier.supported
            or qualifier.matched is None
            or qualifier.matched.label not in _QUALIFIER_LABELS
            or qualifier.rule not in _WHOLE_NAME_RULES
        ):
            continue
        head = resolve_part(right)
        if head.supported and head.rule in _WHOLE_NAME_RULES and head.source_span is not None:
            return Resolution(
                "supported",
                "compound",
                head.matched,
                head.source_span,
                head.source_text,
                None,
                f"'{entity.text}' joins two names of the source: '{left.text}' ({qualifier.rule}:"
                f" {qualifier.evidence}) and '{right.text}' ({head.rule}: {head.evidence})",
            )
    return None


def compound_rule(resolve_part: Callable[[Entity], Resolution]) -> Rule:
    """The ``compound`` rule, resolving each part with ``resolve_part`` (no compounds)."""
    return Rule(
        "compound",
        lambda entity, _index: _compound(entity, resolve_part),
        people=False,
        min_tokens=2,
    )


__all__ = ["RULES", "Match", "Rule", "compound_rule", "occurrence_rule"]
