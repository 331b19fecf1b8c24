"""Equivalence of values: whether a source quantity backs the value of a summary quantity.

Kinds, currencies and units must be compatible (`comparable`); values may differ by
the rounding and qualifier of the summary's form (`value_matches`), but a bound may
not be reversed (`opposite_bounds`: "fewer than 1,300" for "more than 1,300").
Context is not considered here (see `harness.text.quantities.conflict`).
"""

from __future__ import annotations

import math

from harness.text.quantities.cues import CONTEXT_AXES
from harness.text.quantities.lexicon import APPROXIMATE, CURRENCY_FAMILIES, LOWER_BOUND, UPPER_BOUND
from harness.text.quantities.record import MatchSettings, Quantity, date_parts, is_close


def _split_unit(unit: str | None) -> tuple[str | None, str | None]:
    """``"USD/barrel"`` -> ``("USD", "barrel")``; ``"/day"`` -> ``(None, "day")``."""
    if not unit:
        return None, None
    for compound in ("barrel/day", "km/h"):
        if unit == compound or unit.startswith(compound + "/"):
            return compound, unit[len(compound) + 1 :] or None
    base, _, per = unit.partition("/")
    return base or None, per or None


def base_unit(unit: str | None) -> str | None:
    """The unit without its rate: ``"USD/barrel"`` -> ``"USD"``."""
    return _split_unit(unit)[0]


def _per(unit: str | None) -> str | None:
    return _split_unit(unit)[1]


def _rates_agree(a: str | None, b: str | None) -> bool:
    pa, pb = _per(a), _per(b)
    return pa is None or pb is None or pa == pb


def is_bare(q: Quantity) -> bool:
    """A count with no unit (a rate aside): "1.5 million", not "1.5 million tonnes"."""
    return q.kind == "count" and base_unit(q.unit) is None


def comparable(s: Quantity, c: Quantity) -> tuple[float, float | None] | None:
    """The source quantity's value range in the summary quantity's terms.

    Args:
        s: A summary quantity.
        c: A source quantity.

    Returns:
        ``(low, high)`` of ``c`` to compare with ``s.value``/``s.high``
        (``high`` is ``None`` for a single value), or ``None`` when the kinds,
        currencies or units are not compatible.

    >>> from harness.text.quantities import extract_quantities
    >>> s = extract_quantities("1.5 million")[0]
    >>> c = extract_quantities("1.5 million tonnes")[0]
    >>> comparable(s, c)
    (1500000.0, None)
    """
    if not _rates_agree(s.unit, c.unit):
        return None
    if s.kind == c.kind:
        if s.kind == "money":
            return (
                (c.value, c.high) if same_currency(base_unit(s.unit), base_unit(c.unit)) else None
            )
        if s.kind in ("percent", "quantity") and base_unit(s.unit) != base_unit(c.unit):
            return None
        return c.value, c.high
    if is_bare(s) and c.kind in ("money", "quantity", "duration") and c.unit != "age":
        if c.kind == "duration" and set(s.context) & CONTEXT_AXES["thing"]:
            return None  # "25 countries" counts something else than "25 years"
        return c.number, c.high_number
    if is_bare(c) and s.kind in ("money", "quantity") and s.unit != "age":
        factor = s.value / s.number if s.number else 1.0
        high = None if c.high is None else c.high * factor
        return c.value * factor, high
    # "5 points" for "5 percentage points" (a poll, a rate): the points of a share
    if is_bare(s) and s.counted == "point" and c.kind == "percent" and base_unit(c.unit) == "pp":
        return c.value, c.high
    if is_bare(c) and c.counted == "point" and s.kind == "percent" and base_unit(s.unit) == "pp":
        return c.value, c.high
    # a share is a share: "75%" for "three quarters of", "two-thirds" for "67%"
    if s.kind == "percent" and c.kind == "fraction" and base_unit(s.unit) == "%":
        return c.value * 100, None if c.high is None else c.high * 100
    if s.kind == "fraction" and c.kind == "percent" and base_unit(c.unit) == "%":
        return c.value / 100, None if c.high is None else c.high / 100
    if s.kind == "year" and c.kind == "date":
        year = date_parts(c.value)[0]
        high_year = date_parts(c.high)[0] if c.high is not None else None
        if not year:
            return None
        return float(year), (float(high_year) if high_year and high_year != year else None)
    return None


def same_currency(a: str | None, b: str | None) -> bool:
    """Whether two currency units can be the same currency: equal codes, or a
    generic name ("krone") and a code of its family ("NOK").

    >>> same_currency("krone", "NOK"), same_currency("NOK", "SEK"), same_currency("USD", "USD")
    (True, False, True)
    """
    if a == b:
        return True
    if a in CURRENCY_FAMILIES:
        return b in CURRENCY_FAMILIES[a]
    if b in CURRENCY_FAMILIES:
        return a in CURRENCY_FAMILIES[b]
    return False


def _round_to(value: float, step: float) -> float:
    return math.floor(value / step + 0.5) * step


#: How far a fraction word may be from the share it renders: one percentage point.
_FRACTION_TOLERANCE = 0.01 + 1e-9


def value_matches(s: Quantity, value: float, target: float, settings: MatchSettings) -> bool:
    """Whether summary value ``value`` (with ``s``'s precision and qualifier)
    is backed by source value ``target``.

    >>> from harness.text.quantities import extract_quantities
    >>> s = extract_quantities("nearly 4,000")[0]
    >>> value_matches(s, s.value, 3960.0, MatchSettings())
    True
    >>> value_matches(s, s.value, 3600.0, MatchSettings())
    False
    """
    if is_close(value, target):
        return True
    if s.kind in ("date", "year", "ordinal"):
        return False
    if s.kind == "fraction":
        # a fraction word rounds a share to a point: "two-thirds" for 66.7% or 67%
        return abs(value - target) <= _FRACTION_TOLERANCE
    if target == 0 or value == 0 or (target < 0) != (value < 0):
        return False
    if abs(value - target) / abs(target) > settings.approx_tol + 1e-12:
        return False
    qualifier = s.qualifier
    if qualifier in LOWER_BOUND:
        return target >= value
    if qualifier in UPPER_BOUND:
        return target <= value
    if qualifier in APPROXIMATE:
        return is_close(_round_to(target, _loose_step(value, s.step)), value)
    return settings.rounding and s.step > 0 and is_close(_round_to(target, s.step), value)


def _loose_step(value: float, step: float) -> float:
    """The precision of an approximate value: its step, widened over trailing zeros.

    "about 40" is 40 give or take 5, "about 2,900" is 2,900 give or take 50.

    >>> _loose_step(40.0, 1.0), _loose_step(2900.0, 100.0), _loose_step(4.2e9, 1e8)
    (10.0, 100.0, 100000000.0)
    """
    if step <= 0:
        return step
    loose = step
    while abs(value) >= loose * 10:
        ratio = value / (loose * 10)
        if abs(ratio - round(ratio)) > 1e-9:
            break
        loose *= 10
    return loose


def _date_equal(summary: float, source: float) -> bool:
    ys, ms, ds = date_parts(summary)
    yc, mc, dc = date_parts(source)
    if ms != mc or (ys and yc and ys != yc):
        return False
    return ds == dc or ds == 0


def _ends(q: Quantity) -> tuple[float, ...]:
    return (q.value,) if q.high is None else (q.value, q.high)


def equivalent(s: Quantity, c: Quantity, settings: MatchSettings | None = None) -> bool:
    """Whether source quantity ``c`` backs the value of summary quantity ``s``.

    Context is not considered here (see `context_conflict`).

    >>> from harness.text.quantities import extract_quantities
    >>> a, = extract_quantities("about $4.2bn")
    >>> b, = extract_quantities("4.2 billion dollars")
    >>> equivalent(a, b)
    True
    >>> equivalent(extract_quantities("€4.2bn")[0], extract_quantities("$4.2bn")[0])
    False
    """
    settings = settings or MatchSettings()
    return _values_match(s, c, settings) and not opposite_bounds(s, c)


def reversed_bound(s: Quantity, c: Quantity, settings: MatchSettings | None = None) -> bool:
    """Whether ``c`` would back ``s`` but for bounding its value the other way
    (`opposite_bounds`): "fewer than 1,300" for "more than 1,300".

    >>> from harness.text.quantities import extract_quantities
    >>> a, = extract_quantities("fewer than 1,300")
    >>> reversed_bound(a, extract_quantities("more than 1,300")[0])
    True
    >>> reversed_bound(a, extract_quantities("more than 2,000")[0])  # not the same value
    False
    """
    settings = settings or MatchSettings()
    return opposite_bounds(s, c) and _values_match(s, c, settings)


def bound_direction(q: Quantity) -> int:
    """``1`` for a lower bound ("more than", "at least", "over"), ``-1`` for an upper
    bound ("fewer than", "up to", "under", "nearly"), ``0`` for any other qualifier."""
    if q.qualifier in LOWER_BOUND:
        return 1
    if q.qualifier in UPPER_BOUND:
        return -1
    return 0


def opposite_bounds(s: Quantity, c: Quantity) -> bool:
    """Whether summary and source both bound a single value, in opposite directions,
    so that the two cannot both hold: "fewer than 1,300" (or "at most 1,300") for "more
    than 1,300", "more than 1,300" for "nearly 1,300". A bound on one side only
    ("about 1,300" or "1,300" for "more than 1,300"), bounds that overlap ("over 3,900"
    for "almost 4,000") and ranges are not reversed.

    >>> from harness.text.quantities import extract_quantities
    >>> def q(text):
    ...     return extract_quantities(text)[0]
    >>> opposite_bounds(q("under 40"), q("over 40")), opposite_bounds(q("40"), q("over 40"))
    (True, False)
    >>> opposite_bounds(q("over 3,900"), q("almost 4,000"))
    False
    """
    ds, dc = bound_direction(s), bound_direction(c)
    if ds == 0 or dc == 0 or ds == dc or s.high is not None or s.kind == "date":
        return False
    pair = comparable(s, c)
    if pair is None or pair[1] is not None:
        return False
    target = pair[0]
    if is_close(s.value, target):
        return True
    # a summary upper bound below the source's lower bound, or the reverse
    return s.value < target if ds < 0 else s.value > target


def _values_match(s: Quantity, c: Quantity, settings: MatchSettings) -> bool:
    """`equivalent` without the check of the bounds."""
    if s.kind == "date":
        if c.kind != "date":
            return False
        if s.high is None:
            readings = (s.value,) if s.other_reading is None else (s.value, s.other_reading)
            ends = _ends(c) if c.other_reading is None else (*_ends(c), c.other_reading)
            return any(_date_equal(value, end) for value in readings for end in ends)
        return c.high is not None and (
            _date_equal(s.value, c.value) and _date_equal(s.high, c.high)
        )
    pair = comparable(s, c)
    if pair is None:
        return False
    low, high = pair
    if s.high is None:
        ends = (low,) if high is None else (low, high)
        return any(value_matches(s, s.value, end, settings) for end in ends)
    if high is None:
        return False
    return value_matches(s, s.value, low, settings) and value_matches(s, s.high, high, settings)


def equal_as_written(s: Quantity, c: Quantity) -> bool:
    """The value of ``s`` equals a value of ``c`` (an end of a range) without rounding."""
    pair = comparable(s, c) if s.kind != "date" else (c.value, c.high)
    if pair is None:
        return False
    ends = [end for end in pair if end is not None]
    return any(is_close(s.value, end) for end in ends)
