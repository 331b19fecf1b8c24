"""Derived values: a summary quantity that is the sum or difference of two related
source quantities ("3,000 casualties" from 300 dead + 2,700 wounded), or a value
stated for each of several parties times their number.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.text.quantities.conflict import (
    axis_cues,
    conflict_with,
    context_conflict,
    merged_context,
    shared_axis,
)
from harness.text.quantities.equivalence import comparable, is_bare, value_matches
from harness.text.quantities.evidence import nowhere, sentence_label
from harness.text.quantities.record import MatchSettings, Quantity, QuantityMatch

_DERIVABLE_KINDS = frozenset({"count", "money", "quantity"})

_MIN_DERIVED_COUNT = 10.0  # smaller bare counts need a summary that is about the operands


def _relation(a: Quantity, b: Quantity) -> tuple[str, bool] | None:
    """How two source quantities relate, the operations that make sense for
    them, and whether that relation is strong enough on its own.

    Returns ``(ops, strong)`` or ``None`` when they are unrelated: a part and
    its whole ("31 of 44", "including three") or an earlier value and the
    current one ("up from 12.4 million") in one sentence give differences;
    different classes on one axis (dead and wounded, exports and imports) or
    money in one sentence give sums and differences; the same counted word or
    money in adjacent sentences are weak and need a summary that is about them.
    """
    same_sentence = a.sentence == b.sentence
    if "part" in a.context or "part" in b.context:
        # a part plus its whole means nothing; a part of something else is unrelated
        return ("-", True) if same_sentence else None
    if same_sentence and ("baseline" in a.context or "baseline" in b.context):
        return "-", True
    if shared_axis(a.context, b.context) or (a.kind == "money" and same_sentence):
        return "+-", True
    if (a.counted and a.counted == b.counted) or a.kind == "money":
        return "+-", False
    return None


def _about(s: Quantity, a: Quantity, b: Quantity) -> bool:
    """The summary quantity is about the operands: it says "total"/"combined", counts
    the same word as one of them, or has a class on an axis they have classes on."""
    if "total" in s.context:
        return True
    if s.counted and s.counted in (a.counted, b.counted):
        return True
    return shared_axis(s.context, merged_context(a, b) | set(a.context) | set(b.context))


def _operands_fit(a: Quantity, b: Quantity) -> bool:
    """Same kind and unit, or a bare count next to an amount in one sentence
    ("6.8 billion Norwegian crowns, up from 5.9 billion")."""
    if a.kind == b.kind and a.unit == b.unit:
        return True
    aged = a.unit == "age" or b.unit == "age"
    return a.sentence == b.sentence and (is_bare(a) or is_bare(b)) and not aged


def _derivations(
    s: Quantity, source: Sequence[Quantity], settings: MatchSettings
) -> list[tuple[Quantity, Quantity, str]]:
    if s.kind not in _DERIVABLE_KINDS or s.high is not None or s.unit == "age":
        return []
    small = is_bare(s) and s.value < _MIN_DERIVED_COUNT
    pool = [
        c
        for c in source
        if c.kind in _DERIVABLE_KINDS and c.high is None and c.value > 0 and c.unit != "age"
    ]
    found: list[tuple[Quantity, Quantity, str]] = []
    for i, a in enumerate(pool):
        pair_a = comparable(s, a)
        if pair_a is None:
            continue
        for b in pool[i + 1 :]:
            if abs(a.sentence - b.sentence) > settings.derived_window or not _operands_fit(a, b):
                continue
            relation = _relation(a, b)
            if relation is None:
                continue
            ops, strong = relation
            if (not strong or small) and not _about(s, a, b):
                continue
            pair_b = comparable(s, b)
            if pair_b is None:
                continue
            va, vb = pair_a[0], pair_b[0]
            if "+" in ops and value_matches(s, s.value, va + vb, settings):
                found.append((a, b, "+"))
            elif va != vb and value_matches(s, s.value, abs(va - vb), settings):
                first, second = (a, b) if va > vb else (b, a)
                found.append((first, second, "-"))
    return found


def _shared_out(
    s: Quantity, source: Sequence[Quantity], settings: MatchSettings
) -> QuantityMatch | None:
    """A total of a value stated for each of several parties ("Ukraine and Russia
    exchanged 95 prisoners each" -> "a total of 190 prisoners"), when the summary
    says it is a total or counts the same thing."""
    if s.kind not in _DERIVABLE_KINDS or s.high is not None:
        return None
    for c in source:
        if c.each < 2 or c.high is not None:
            continue
        if s.counted != c.counted and "total" not in s.context:
            continue
        pair = comparable(s, c)
        if pair is None or not value_matches(s, s.value, pair[0] * c.each, settings):
            continue
        if settings.context and context_conflict(s.context, c.context, s.kind) is not None:
            continue
        return QuantityMatch(
            s,
            "derived",
            c,
            operands=(c,),
            operation=f"× {c.each}",
            evidence=f"{c.text} each × {c.each} = {s.text} ({sentence_label(c)})",
        )
    return None


def derived_match(
    s: Quantity, source: Sequence[Quantity], settings: MatchSettings
) -> QuantityMatch | None:
    """``s`` as a total of a value stated for each of several parties, or as the sum or
    difference of two related source quantities; ``None`` when neither gives its value.

    A derivation whose context conflicts with the summary's (dead + wounded for
    "died") is ``unsupported``, with the arithmetic in the evidence.
    """
    shared = _shared_out(s, source, settings)
    if shared is not None:
        return shared
    derivations = _derivations(s, source, settings)
    if not derivations:
        return None
    fitting_d = [
        d for d in derivations if conflict_with(s, merged_context(d[0], d[1]), settings) is None
    ]
    chosen = min(fitting_d or derivations, key=lambda d: abs(d[0].sentence - d[1].sentence))
    a, b, op = chosen
    formula = f"{a.text} {op} {b.text} = {s.text}"
    if fitting_d:
        return QuantityMatch(
            s,
            "derived",
            a,
            operands=(a, b),
            operation=op,
            evidence=f"{formula} ({sentence_label(a, b)})",
        )
    # The arithmetic works but adds things the summary does not say
    # (dead + wounded for "died"): the value is not in the source.
    axis = conflict_with(s, merged_context(a, b), settings) or "event"
    return QuantityMatch(
        s,
        "unsupported",
        a,
        operands=(a, b),
        operation=op,
        evidence=(
            f"{nowhere(s)}; {a.text} {axis_cues(a, axis)} {op} {b.text} "
            f"{axis_cues(b, axis)} = {s.text}, but not all {axis_cues(s, axis)} "
            f"({sentence_label(a, b)})"
        ),
    )
