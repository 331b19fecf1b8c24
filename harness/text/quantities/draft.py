"""A quantity while it is being scanned: token range, value and what was read so far."""

from __future__ import annotations

from dataclasses import dataclass

from harness.text.quantities.record import QuantityKind


@dataclass
class Draft:
    """A quantity being read: its tokens ``[first, last)``, its value so far, what set it."""

    first: int  # first token (currency prefix included)
    last: int  # exclusive end token
    value: float
    number: float
    step: float
    kind: QuantityKind
    unit: str | None = None
    high: float | None = None
    high_number: float | None = None
    scaled: bool = False
    spelled: bool = False
    hint: str | None = None  # counted word from a hyphen compound ("90-member")
    no_range: bool = False
    scale: float = 1.0  # scale word applied ("million"): number = written digits * scale
    factor: float = 1.0  # unit conversion applied: value = number * factor
    # a number that is a quantity only as the first end of a range ("5-10kg"):
    # "3-4pm" or "10-14yo" alone leave no bare "3" or "10" behind
    range_only: bool = False
    # a date "3/5/2024" is March 5 or 3 May: the reading ``value`` is not
    other_reading: float | None = None


def step_of(value: float, decimals: int) -> float:
    """Precision of a written number: last decimal place, or 100/1000 for round integers."""
    if decimals > 0:
        return 10.0**-decimals
    if value == 0 or value != int(value):
        return 1.0
    n = int(value)
    zeros = 0
    while n % 10 == 0 and n:
        n //= 10
        zeros += 1
    return 10.0**zeros if zeros >= 2 else 1.0


def date_draft(
    first: int,
    last: int,
    year: int,
    month: int,
    day: int,
    high: tuple[int, int, int] | None = None,
) -> Draft:
    """The draft of a date ``YYYYMMDD`` (unknown parts 0), ``high`` the end of a range."""
    value = float(year * 10000 + month * 100 + day)
    granularity = "day" if day else "month"
    draft = Draft(first, last, value, value, 1.0, "date", granularity, no_range=True)
    if high is not None:
        hy, hm, hd = high
        draft.high = float(hy * 10000 + hm * 100 + hd)
        draft.high_number = draft.high
    return draft
