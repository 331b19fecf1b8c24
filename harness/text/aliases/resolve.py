"""`resolve`: is a summary entity supported by its source, by which rule, and
if not, which source entity comes closest and why it was rejected."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from harness.text.aliases.forms import acronym_of, initials, is_acronym
from harness.text.aliases.index import SourceIndex, pick
from harness.text.aliases.lexicon import PLACE_LABELS
from harness.text.aliases.records import Name, Resolution, supported_by
from harness.text.aliases.rules import RULES, compound_rule, occurrence_rule
from harness.text.aliases.spelling import jaro_winkler, token_variant, why_tokens_differ
from harness.text.entities import Entity


def resolve(
    entity: Entity,
    source_entities: Sequence[Entity] | None = None,
    source_text: str | None = None,
    *,
    index: SourceIndex | None = None,
    compound: bool = True,
    explain: bool = True,
) -> Resolution:
    """Decide whether a summary entity is supported by the source.

    Args:
        entity: The summary entity.
        source_entities: The source's entities (ignored when ``index`` is given).
        source_text: The source text (ignored when ``index`` is given).
        index: A prebuilt `SourceIndex` (fast path for many entities of one source).
        compound: Try the ``compound`` rule (off when resolving its parts).
        explain: Name the closest source entity of an unsupported entity and
            why it was rejected. Off where only ``supported`` is read (entity
            recall, the parts of a compound): finding the closest entity is
            most of the cost of an unsupported one. What is supported, and
            how, is the same either way.

    Returns:
        The `Resolution`; see `harness.text.aliases` for the rules. Unexplained,
        an unsupported one has no ``closest`` and a short ``evidence``.

    Raises:
        ValueError: Neither ``index`` nor ``source_text`` is given.
    """
    if index is None:
        if source_text is None:
            raise ValueError("resolve() needs source_text (and source_entities) or an index")
        index = SourceIndex.from_entities(source_entities or (), source_text)
    key, label, mention = entity.key, entity.label, entity.text

    # exact key, then the tokens in the source text
    if key in index.by_key:
        return supported_by(
            "exact",
            Name.of(index.by_key[key]),
            f"'{mention}' is in the source as {Name.of(index.by_key[key]).describe()}",
        )
    defined = index.definitions.get(acronym_of(mention)) if is_acronym(mention) else None
    if defined is not None:
        return supported_by(
            "acronym",
            defined,
            f"the source introduces '{mention}' as the acronym of {defined.describe()}",
        )
    found, text_reason = index.occurrences(entity.tokens, mention, label)
    if found:
        occurrence = pick(found, label)
        rule, evidence = occurrence_rule(entity, occurrence)
        return supported_by(rule, occurrence, evidence)

    rules = RULES
    if compound:
        # a compound reads only its parts' support (and the evidence of supported ones)
        rules += (
            compound_rule(lambda part: resolve(part, index=index, compound=False, explain=False)),
        )
    for alias_rule in rules:
        resolution = alias_rule.apply(entity, index)
        if resolution is not None:
            return resolution

    if not explain:
        return _unsupported(f"'{mention}' ({label}) is not in the source")
    closest, _ = _closest(entity, index)
    if closest is None:
        why = text_reason or "the source has no named entities"
        return _unsupported(f"'{mention}' ({label}) is not in the source: {why}")
    return _unsupported(
        f"'{mention}' ({label}) is not in the source; closest source entity"
        f" {Name.of(closest).describe()} differs: {_why_rejected(entity, closest, text_reason)}",
        closest,
    )


def _unsupported(evidence: str, closest: Entity | None = None) -> Resolution:
    return Resolution("unsupported", None, None, None, None, closest, evidence)


def _label_class(label: str | None) -> str:
    if label in PLACE_LABELS:
        return "place"
    return label or ""


def _similarity(entity: Entity, candidate: Entity) -> float:
    """How close a source entity is to a summary entity, for naming the closest one.

    Half the share of summary words that have a variant in the candidate, half
    string similarity (Jaro–Winkler of the keys, or the mean best word match if
    higher), plus a small bonus for the same kind of entity (person, place, ...).
    """
    return _key_similarity(entity.key, entity.label, candidate.key, candidate.label)


@lru_cache(maxsize=65536)
def _key_similarity(key: str, label: str, candidate_key: str, candidate_label: str) -> float:
    # `_similarity` reads only the keys (an entity's tokens are its key's words) and
    # labels: memoised by them, since every summary of an article (and the
    # summary's repeated names) is compared with the same source entities.
    tokens = key.split(" ")
    words = candidate_key.split(" ")
    if all(len(word) == 1 for word in words):
        words = ["".join(words)]  # "u s" is the acronym "us", not two letters
    person = "PERSON" in {label, candidate_label}
    shared = sum(any(token_variant(t, u, person=person) is not None for u in words) for t in tokens)
    token_scores = [max(jaro_winkler(t, u) for u in words) for t in tokens]
    similar = max(jaro_winkler(key, " ".join(words)), sum(token_scores) / len(token_scores))
    same_kind = _label_class(candidate_label) == _label_class(label)
    return 0.5 * shared / len(tokens) + 0.5 * similar + (0.1 if same_kind else 0.0)


def _closest(entity: Entity, index: SourceIndex) -> tuple[Entity | None, float]:
    """The most similar source entity (see `_similarity`)."""
    best: Entity | None = None
    best_score = -1.0
    for candidate in index.entities:
        score = _similarity(entity, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best, best_score


def _why_rejected(entity: Entity, candidate: Entity, text_reason: str) -> str:
    """Why the closest source entity does not support the summary entity."""
    person = "PERSON" in {entity.label, candidate.label}
    if is_acronym(entity.text):
        if initials(candidate.text):
            shown = ", ".join(sorted(initials(candidate.text), key=len, reverse=True)[:2])
            return f"its initials are {shown}, not '{acronym_of(entity.text)}'"
        return f"'{entity.text}' is not an acronym of any source name"
    if text_reason and set(entity.tokens) <= set(candidate.tokens):
        return text_reason
    source_tokens = list(candidate.tokens)
    unmatched: list[str] = []
    matched: list[str] = []
    for token in entity.tokens:
        hit = next(
            (u for u in source_tokens if token_variant(token, u, person=person) is not None), None
        )
        if hit is None:
            unmatched.append(token)
        else:
            matched.append(token)
            source_tokens.remove(hit)
    if not unmatched:
        return (
            f"the same words in another order ('{entity.text}' vs '{candidate.text}'),"
            " which is accepted only for people and for 'X of Y' ↔ 'Y X'"
        )
    if matched and unmatched:
        return (
            f"the summary's {', '.join(repr(t) for t in unmatched)} has no counterpart in the"
            f" source name (only {', '.join(repr(t) for t in matched)} matches)"
        )
    if len(entity.tokens) == 1 and len(candidate.tokens) == 1:
        return why_tokens_differ(entity.tokens[0], candidate.tokens[0], person=person)
    best = max(
        ((t, u) for t in entity.tokens for u in candidate.tokens),
        key=lambda pair: jaro_winkler(pair[0], pair[1]),
    )
    return why_tokens_differ(best[0], best[1], person=person)


__all__ = ["resolve"]
