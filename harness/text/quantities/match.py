"""Matching: one verdict per summary quantity against the source quantities.

``supported``, ``derived``, ``context_mismatch`` or ``unsupported``; the rules are
in the README's "Numbers" section.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from harness.text.quantities.conflict import agrees, conflict_with, moved_to, same_setting
from harness.text.quantities.derive import derived_match
from harness.text.quantities.equivalence import (
    base_unit,
    comparable,
    equal_as_written,
    equivalent,
    reversed_bound,
)
from harness.text.quantities.evidence import (
    bound_evidence,
    mismatch_evidence,
    moved_evidence,
    nowhere,
    sentence_label,
)
from harness.text.quantities.record import MatchSettings, Quantity, QuantityMatch, is_close


def _rank(s: Quantity, c: Quantity) -> tuple[int, int, int, int]:
    """Which of several backing source quantities to cite: the same counted word, the
    most shared classes, an exact value, the first in the text."""
    same_counted = int(bool(s.counted) and s.counted == c.counted)
    shared = len(set(s.context) & set(c.context))
    exact = int(is_close(s.value, c.value))
    return (same_counted, shared, exact, -c.span[0])


def _range_from_parts(
    s: Quantity, source: Sequence[Quantity], settings: MatchSettings
) -> tuple[Quantity, Quantity] | None:
    """Both ends of a summary range as separate source quantities."""
    assert s.high is not None
    low_end = replace(s, high=None, high_number=None)
    high_end = replace(s, value=s.high, high=None, high_number=None)
    lows = [c for c in source if equivalent(low_end, c, settings)]
    highs = [c for c in source if equivalent(high_end, c, settings)]
    pairs = [
        (a, b)
        for a in lows
        for b in highs
        if a is not b and (s.kind == "date" or a.sentence == b.sentence)
    ]
    # A pair the source states high end first, side by side ("won 52% to 48%",
    # "beat them 3-1"), is a result, not a range: read low to high, it is swapped.
    return next((pair for pair in pairs if not _swapped_result(*pair)), None) or next(
        iter(pairs), None
    )


#: Characters between two values stated side by side: " to ", "-", " – ".
_SIDE_BY_SIDE_GAP = 4


def _swapped_result(low: Quantity, high: Quantity) -> bool:
    """Whether source values ``low`` and ``high``, read as a range's ends, are a result
    the source states high first ("52% to 48%"): read low to high, it is swapped."""
    return high.leads_pair and _side_by_side(high, low)


def _side_by_side(first: Quantity, second: Quantity) -> bool:
    """Whether ``second`` follows ``first`` in the same sentence with at most a
    connector between them ("52% to 48%", "3-1")."""
    gap = second.span[0] - first.span[1]
    return first.sentence == second.sentence and 0 <= gap <= _SIDE_BY_SIDE_GAP


def _match_one(s: Quantity, source: Sequence[Quantity], settings: MatchSettings) -> QuantityMatch:
    """The verdict on summary quantity ``s``: a single source value, both ends of a
    range, the same value bounded the other way, a derivation, the same number as
    another kind, or the closest value."""
    candidates = [c for c in source if equivalent(s, c, settings)]
    # values equal as written come first; rounding is a fallback
    exact = [c for c in candidates if equal_as_written(s, c)]
    candidates = exact or candidates
    if candidates:
        fitting = [c for c in candidates if conflict_with(s, c.context, settings) is None]
        if settings.context and len(fitting) < len(candidates):
            # The value is stated for a conflicting thing; a candidate without
            # conflicting classes then backs the summary only with positive
            # evidence: agreeing classes, the same counted word, or the very same
            # context ("injuring two" vs "two substations" and "two killed": mismatch).
            fitting = [c for c in fitting if agrees(s, c) or same_setting(s, c)]
        moved = {id(c): moved_to(s, c, source, settings) for c in fitting if settings.context}
        if settings.context and fitting and all(moved[id(c)] is not None for c in fitting):
            # every candidate is stated of something else, and the summary's words
            # tie the value to what another source value is stated of
            best = max(fitting, key=lambda c: _rank(s, c))
            there, word = moved[id(best)] or (best, "")
            return QuantityMatch(
                s, "context_mismatch", best, evidence=moved_evidence(best, there, word)
            )
        if fitting:
            best = max(fitting, key=lambda c: _rank(s, c))
            return QuantityMatch(
                s, "supported", best, evidence=f"matches {best.text!r} ({sentence_label(best)})"
            )
        clashing = [
            c for c in candidates if conflict_with(s, c.context, settings) is not None
        ] or candidates
        best = max(clashing, key=lambda c: _rank(s, c))
        axis = conflict_with(s, best.context, settings) or "event"
        return QuantityMatch(s, "context_mismatch", best, evidence=mismatch_evidence(s, best, axis))
    if s.high is not None:
        parts = _range_from_parts(s, source, settings)
        if parts is not None:
            a, b = parts
            if _swapped_result(a, b):
                return QuantityMatch(
                    s,
                    "context_mismatch",
                    b,
                    operands=(b, a),
                    evidence=(
                        f"the source gives the two the other way round: {b.text!r} then "
                        f"{a.text!r} ({sentence_label(b)}), a result, not a range"
                    ),
                )
            return QuantityMatch(
                s,
                "supported",
                a,
                operands=(a, b),
                operation="and",
                evidence=(
                    f"source gives both ends: {a.text!r} and {b.text!r} ({sentence_label(a, b)})"
                ),
            )
    reversal = [c for c in source if reversed_bound(s, c, settings)]
    if reversal:
        best = max(reversal, key=lambda c: _rank(s, c))
        return QuantityMatch(s, "context_mismatch", best, evidence=bound_evidence(s, best))
    if settings.derived:
        derived = derived_match(s, source, settings)
        if derived is not None:
            return derived
    other = _same_number_other_kind(s, source)
    if other is not None:
        return QuantityMatch(
            s,
            "context_mismatch",
            other,
            evidence=(
                f"source has {other.describe()} ({other.kind}), not {s.text} ({s.kind}) "
                f"({sentence_label(other)})"
            ),
        )
    closest = _closest(s, source)
    where = nowhere(s)
    if closest is None:
        return QuantityMatch(s, "unsupported", None, evidence=where)
    return QuantityMatch(
        s,
        "unsupported",
        closest,
        evidence=f"{where}; closest: {closest.describe()} ({sentence_label(closest)})",
    )


_NUMBER_KINDS = frozenset({"count", "money", "percent", "quantity", "duration", "ordinal"})


def _same_number_other_kind(s: Quantity, source: Sequence[Quantity]) -> Quantity | None:
    """A source quantity with the same written number but another kind ("38 times"
    for "38%"); small integers (up to 10) are too common to tell anything."""
    if s.kind not in _NUMBER_KINDS or s.high is not None:
        return None
    if s.number == int(s.number) and abs(s.number) <= 10:
        return None
    for c in source:
        if c.kind in _NUMBER_KINDS and c.kind != s.kind and is_close(c.number, s.number):
            return c
    return None


def _closest(s: Quantity, source: Sequence[Quantity]) -> Quantity | None:
    """The nearest source value of the same kind (else of a compatible kind)."""
    same = [c for c in source if c.kind == s.kind and base_unit(c.unit) == base_unit(s.unit)]
    return _nearest(s, same) or _nearest(s, source)


def _nearest(s: Quantity, source: Sequence[Quantity]) -> Quantity | None:
    """The source quantity whose value is nearest (by ratio) to that of ``s``."""
    best: tuple[float, Quantity] | None = None
    for c in source:
        if s.kind == "date":
            if c.kind != "date":
                continue
            distance = abs(c.value - s.value)
        else:
            pair = comparable(s, c)
            if pair is None:
                continue
            low = pair[0]
            if low <= 0 or s.value <= 0:
                distance = abs(low - s.value)
            else:
                distance = abs(math.log(low / s.value))
        if best is None or distance < best[0]:
            best = (distance, c)
    return None if best is None else best[1]


def match_quantities(
    summary: Sequence[Quantity],
    source: Sequence[Quantity],
    settings: MatchSettings | None = None,
) -> list[QuantityMatch]:
    """Give every summary quantity a status against the source quantities.

    Args:
        summary: Quantities of the summary (`extract_quantities`).
        source: Quantities of the source document.
        settings: Tolerances and switches; defaults to `MatchSettings()`.

    Returns:
        One `QuantityMatch` per summary quantity, in order.

    >>> from harness.text.quantities import extract_quantities
    >>> source = extract_quantities(
    ...     "At least 300 North Korean soldiers have died and 2,700 have been wounded.")
    >>> def status(summary):
    ...     return [m.status for m in match_quantities(extract_quantities(summary), source)]
    >>> status("3,000 casualties"), status("2,700 died"), status("3,000 soldiers died")
    (['derived'], ['context_mismatch'], ['unsupported'])
    >>> status("300 soldiers were killed"), status("400 soldiers died")
    (['supported'], ['unsupported'])
    """
    settings = settings or MatchSettings()
    return [_match_one(s, source, settings) for s in summary]
