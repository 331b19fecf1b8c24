"""The ``numbers`` metric: are the summary's quantities backed by the source?

Every quantity in the summary (see `harness.text.numbers` for what is found
and how it is normalised) gets one status by `match_quantities`:

``supported``
    The source has an equivalent quantity whose context does not conflict.
``derived``
    No single source quantity matches, but the sum or difference of two
    source quantities of the same kind and unit does ("3,000 casualties" from
    "300 dead and 2,700 wounded"), and the context does not conflict.
``context_mismatch``
    The value is in the source but for a different thing: the source says
    "2,700 wounded", the summary "2,700 died"; or the same number is in the
    source as another kind ("38 times" for "38%", "28%" for "28 tonnes").
``unsupported``
    Neither; the finding names the closest source quantity of that kind. A
    sum that gives the value but adds things the summary does not say is
    unsupported too, with the arithmetic in the evidence: "3,000 soldiers
    died" for "300 died and 2,700 were wounded" ("... 300 died + 2,700
    wounded = 3,000, but not all died").

Equivalence of values. Kinds must be compatible: equal kinds (money also
needs the same currency, percent the same unit, "%" vs percentage points
"pp"; quantities the same canonical unit), or a bare summary count against a
source money/quantity/duration number or the reverse (a summary may drop
the unit: "1.5 million" for "1.5 million tonnes"), or a summary year against
the year of a source date. Rates ("a day") must agree when both sides have
one. Dates compare month and day (and year when both give one; a summary
"March 2022" is backed by "March 5, 2022"). Values are equal when

* they are equal up to floating-point noise; or
* (``rounding``) the source value rounded to the summary's precision
  (`Quantity.step`: the last written decimal, the scale word as in "4.2bn" ->
  0.1bn, or the hundreds/thousands of integers ending in two or more zeros)
  equals the summary value, and they differ by at most ``approx_tol``
  (relative, default 5%): "nearly 4,000" vs 3,960, "4.2bn" vs 4.24bn; or
* the summary's qualifier allows it, within ``approx_tol``: "about X" a
  source value that rounds to X at X's precision widened over its trailing
  zeros ("about 40" takes 41, "about 2,900" does not take 3,000); "at least
  / more than / over X" a source value >= X; "up to / nearly / under X" a
  source value <= X. A bounding qualifier overrides the rounding rule: "more
  than 1,300" is not backed by 1,250.

A summary range needs a source range with both ends equivalent, or both ends
as separate source quantities (in one sentence; dates anywhere). A summary
single value may match either end of a source range.

Context. Each quantity carries context classes (`Quantity.context`): cue
words in a window around it (up to 4 words before and 6 after, stopping at
punctuation, "and", "but", "while", another quantity or the sentence end;
"up"/"down" count only right next to the number or before "from", never in
"up to" or "set up"), the type of its counted noun, and markers. Classes
are grouped into axes, each checked only for some kinds:

* event (counts): death (killed, dead, died, perished, fatalities, toll,
  ...), injury (wounded, injured, hurt, hospitalised), casualty, missing,
  displaced (fled, evacuated), rescued, arrested, case (cases, infections),
  affected;  damage (counts): damaged, destroyed/collapsed;  attack (counts):
  launched/fired, intercepted/downed/destroyed;
* thing (counts): the type of the counted noun -- person (people, soldiers,
  children, ...), building, settlement, country, vehicle, vessel, aircraft,
  weapon, incident, animal ("38 people" is not "38 buildings");
* trade (amounts): export, import;  direction (amounts): increase (rose, up,
  grew, higher, ...), decrease (fell, down, cut, lower, ...);  finance (money
  and percentages): revenue/sales, profit/earnings, spending.

Amounts are counts, money, percentages and measured quantities; dates,
years, ordinals and fractions are never context-checked. Two quantities
conflict when, on some axis, both have classes and none of the summary's
covers one of the source's; ``casualty`` covers ``death`` and ``injury`` (a
summary may generalise "300 dead" to "300 casualties", not the reverse).
They also conflict (axis "time") when the source gives the value as the
earlier side of a comparison ("up from 12.4 million", "fell to 4.9% from
5.5%", "compared with 640") and the summary states it as a current value:
without a comparison of its own ("from", "than", "double", "earlier",
"previous", ...) and without tying it to the same date or month as the
source ("5.5% in August" is fine for "from 5.5% in August"). Among the
source quantities with an equivalent value (those equal as written first;
rounding is a fallback):

* one that agrees (shares a covered class) or has no conflicting class
  makes the summary quantity ``supported`` -- a missing class never
  conflicts: "2 firefighters" is backed by "two firefighters were killed";
* but when some candidates conflict, a candidate without conflicting classes
  backs it only with positive evidence (agreeing classes, the same counted
  word, or exactly the same context): "injuring two" against "two
  substations ... killing two workers" is a ``context_mismatch``;
* when all candidates conflict, the status is ``context_mismatch`` and the
  evidence names both cues ("source says 2,700 wounded, not died");
* with no candidate at all, a source quantity with the same written number
  but another kind (more than 10, or not a whole number) makes it a
  ``context_mismatch`` too ("a 38% stake" for "subscribed 38 times").

Frames. Cue classes do not tell whose number it is: "the IMF cut its growth
forecast to 2.8%, while the World Bank kept its estimate at 2.3%" gives both
percentages the same classes. So each amount also carries its *frame*
(`Quantity.frame`: the stemmed content words before it in its clause -- its
verb, subject or owner) and its counted word, and a candidate that fits the
classes is still a ``context_mismatch`` when the summary's words tie the
value to *another* source value of the same kind in the candidate's or the
next sentence: "the IMF cut its growth forecast to 2.3%" shares "imf",
"growth", "forecast" with 2.8%, none of them with 2.3% ("world", "bank",
"kept", "estimate"); "Gábor Tóth, took 52.4%" for "Varga won with 52.4% ...
Her rival, Gábor Tóth, took 41.8%"; "received $2.8 billion" for "received
$1.1 billion of the $2.8 billion it requested"; "11% of its workforce" for
"about 8% of its workforce, as sales fell 11 percent" (the counted word,
when the candidate counts nothing and is no part, which counts what its
whole counts: "31 of 44 drones"). It is not one when anything the summary
says of the value agrees with the candidate and not with the other value:
a frame word, the counted word, a context class (where the other value has
some of that sort), or a frame word found in the candidate's sentence and
not in the other's (the frame window stops at commas: "Sales of
high-bandwidth memory (HBM), which ..., nearly tripled to ¥690 billion").
The earlier and later values of one change ("from 2.9% to 1.5%") and a
summary value stated as the earlier one are never taken for a move; direction
verbs ("rose", "cut") are left to the ``direction`` axis. On the newsbriefs
references and the consistent SummEdits news summaries this flags nothing.

Derivation (``derived=True``) is tried only when no single source quantity
matches. The operands are two non-range source counts, money amounts or
measured quantities of the same kind and unit (or a bare count next to an
amount in one sentence: "6.8 billion crowns, up from 5.9 billion"), at most
``derived_window`` sentences apart, and related:

* a part and its whole in one sentence ("31 of 44 drones", "seven died,
  including three firefighters") or an earlier and a current value ("16.1
  million, up from 12.4 million"): their difference only;
* different classes on one of the event/trade/damage/attack axes (dead and
  wounded, exports and imports), or money in one sentence (a fee plus
  add-ons): sum or difference;
* the same counted word, or money in adjacent sentences (weak): sum or
  difference, only when the summary quantity is about them -- it says
  "total"/"combined"/..., counts the same word as an operand, or has a class
  on an axis the operands have classes on.

A bare count below 10 always needs that last condition (small sums
coincide too easily). A value stated for each of several coordinated names
("Ukraine and Russia exchanged 95 prisoners each", `Quantity.each`) times
their number is ``derived`` too ("a total of 190 prisoners"), when the
summary says "total"/"combined"/... or counts the same word.

The derived context is the operands' context where they agree; where they
differ on an axis it becomes the covering class (dead + wounded = casualty)
or a "total" that conflicts with any specific class.
So "3,000 casualties" from 300 dead + 2,700 wounded is ``derived``, "3,000
soldiers died" is ``unsupported`` (dead plus wounded are not all dead; the
arithmetic alone can be a coincidence, so it is not reported as the value
of another thing), and on the newsbriefs articles random values are derived
by coincidence about 1 to 3 times in 1,000 (see the tests).

Values (``numbers.<name>``):

* ``precision`` -- (supported + derived) / summary quantities; ``None`` when
  the summary has none.
* ``recall`` -- the share of key quantities the summary keeps (a summary
  quantity equivalent to it without a context conflict). Key quantities are
  those of the example's references when it has any (deduplicated), else a
  salience rule over the source: every quantity in its first three sentences
  plus any value that occurs at least twice, ordinals excluded. ``None``
  when there are none.
* ``unsupported`` -- count of ``unsupported`` + ``context_mismatch``.

Source (and reference) quantities are extracted once per text and shared
through `harness.text.numbers.cached_quantities`.

Note: the runner's score cache keys on ``requires`` (here the source only),
so a changed reference with an unchanged source and summary reuses a cached
recall; re-score with a fresh cache after editing references.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.metric._protocol import Metric, MetricInput, MetricResult, ValueSpec, metric
from harness.records import Example, Fingerprint
from harness.text.numbers import (
    APPROXIMATE,
    CUE_CLASSES,
    CURRENCY_FAMILIES,
    LOWER_BOUND,
    NOUN_TYPES,
    UPPER_BOUND,
    Quantity,
    cached_quantities,
    date_parts,
    extract_quantities,
    is_close,
)
from harness.text.restore import restore

MatchStatus = Literal["supported", "derived", "context_mismatch", "unsupported"]

CONTEXT_AXES: dict[str, frozenset[str]] = {
    "event": frozenset(
        {
            "death",
            "injury",
            "casualty",
            "missing",
            "displaced",
            "rescued",
            "arrested",
            "case",
            "affected",
        }
    ),
    "trade": frozenset({"export", "import"}),
    "damage": frozenset({"damaged", "destroyed"}),
    "attack": frozenset({"launched", "intercepted"}),
    "direction": frozenset({"increase", "decrease"}),
    "finance": frozenset({"revenue", "profit", "spending"}),
    "thing": frozenset(set(NOUN_TYPES.values())),
}
# which kinds each axis applies to: events are counted; dates, years, durations,
# ordinals and fractions carry no context
_AMOUNTS = frozenset({"count", "money", "percent", "quantity"})
AXIS_KINDS: dict[str, frozenset[str]] = {
    "event": frozenset({"count"}),
    "trade": _AMOUNTS,
    "damage": frozenset({"count"}),
    "attack": frozenset({"count"}),
    "direction": _AMOUNTS,
    "finance": frozenset({"money", "percent"}),
    "thing": frozenset({"count"}),
}
# a class covers itself and these
HYPERNYMS: dict[str, frozenset[str]] = {"casualty": frozenset({"death", "injury"})}
_DERIVABLE_KINDS = frozenset({"count", "money", "quantity"})
# kinds whose frame words are compared (see `_moved_to`)
_FRAMED = frozenset({"count", "money", "percent", "quantity"})
_AXIS_CLASSES = frozenset().union(*CONTEXT_AXES.values())
_TIMED_KINDS = frozenset({"count", "money", "percent", "quantity", "duration"})
# a summary value marked as a comparison may be an earlier value
_COMPARING = frozenset({"baseline", "past", "compare"})


def _unanchored(summary: frozenset[str], source: frozenset[str]) -> bool:
    """The summary states as current a value the source gives as an earlier one:
    it does not mark it as a comparison, and does not tie it to the time the
    source ties it to ("5.5 percent in August" for "from 5.5 percent in August"
    is fine; "in September" is not)."""
    if _COMPARING & summary:
        return False
    s_times = {c for c in summary if c.startswith("dated:")}
    c_times = {c for c in source if c.startswith("dated:")}
    if s_times and not c_times:
        return False
    return not (s_times & c_times)


_MIN_DERIVED_COUNT = 10.0  # smaller bare counts need a summary that is about the operands


@dataclass(frozen=True)
class MatchSettings:
    """How summary quantities are matched against source quantities.

    Attributes:
        approx_tol: Largest relative difference accepted for rounding and
            qualifiers ("about", "more than", ...).
        rounding: Accept a summary value that equals the source value
            rounded to the summary's precision.
        derived: Try sums and differences of two source quantities.
        derived_window: How many sentences apart the two operands may be.
        context: Check context classes (died vs wounded, ...).
    """

    approx_tol: float = 0.05
    rounding: bool = True
    derived: bool = True
    derived_window: int = 1
    context: bool = True


@dataclass(frozen=True)
class QuantityMatch:
    """The verdict on one summary quantity.

    Attributes:
        quantity: The summary quantity.
        status: ``supported``, ``derived``, ``context_mismatch`` or ``unsupported``.
        source: The best source evidence (for ``derived``, the first operand;
            for ``unsupported``, the closest quantity of a compatible kind), or ``None``.
        operands: The two source quantities of a derivation (or the two ends
            of a range found separately), else empty.
        operation: How the operands combine: ``"+"``, ``"-"``, or ``"and"``
            for the two ends of a range; ``None`` without operands.
        evidence: One human sentence explaining the status.
    """

    quantity: Quantity
    status: MatchStatus
    source: Quantity | None = None
    operands: tuple[Quantity, ...] = ()
    operation: str | None = None
    evidence: str = ""

    def finding(self) -> dict[str, Any]:
        """The finding written to ``scores.jsonl`` (spans are character offsets).

        >>> source = extract_quantities("Two firefighters were killed.")
        >>> match = match_quantities(extract_quantities("2 firefighters died."), source)[0]
        >>> {k: match.finding()[k] for k in ("text", "status", "source_text")}
        {'text': '2', 'status': 'supported', 'source_text': 'Two'}
        """
        q = self.quantity
        evidence = self.source
        source_span: list[int] | None = None
        source_text: str | None = None
        if len(self.operands) == 1:
            (only,) = self.operands
            source_span = list(only.span)
            source_text = f"{only.text} {self.operation}"
        elif self.operands:
            first, last = self.operands[0], self.operands[-1]
            source_span = [min(first.span[0], last.span[0]), max(first.span[1], last.span[1])]
            source_text = f" {self.operation or '+'} ".join(op.text for op in self.operands)
        elif evidence is not None:
            source_span = list(evidence.span)
            source_text = evidence.text
        return {
            "kind": "number",
            "text": q.text,
            "span": list(q.span),
            "status": self.status,
            "value": q.value,
            "high": q.high,
            "unit": q.unit,
            "quantity_kind": q.kind,
            "qualifier": q.qualifier,
            "source_span": source_span,
            "source_text": source_text,
            "evidence": self.evidence,
        }


# --- value equivalence ---------------------------------------------------------


def _split_unit(unit: str | None) -> tuple[str | None, str | None]:
    """``"USD/barrel"`` -> ``("USD", "barrel")``; ``"/day"`` -> ``(None, "day")``."""
    if not unit:
        return None, None
    for compound in ("barrel/day", "km/h"):
        if unit == compound or unit.startswith(compound + "/"):
            return compound, unit[len(compound) + 1 :] or None
    base, _, per = unit.partition("/")
    return base or None, per or None


def _base(unit: str | None) -> str | None:
    return _split_unit(unit)[0]


def _per(unit: str | None) -> str | None:
    return _split_unit(unit)[1]


def _rates_agree(a: str | None, b: str | None) -> bool:
    pa, pb = _per(a), _per(b)
    return pa is None or pb is None or pa == pb


def _bare(q: Quantity) -> bool:
    return q.kind == "count" and _base(q.unit) is None


def comparable(s: Quantity, c: Quantity) -> tuple[float, float | None] | None:
    """The source quantity's value range in the summary quantity's terms.

    Args:
        s: A summary quantity.
        c: A source quantity.

    Returns:
        ``(low, high)`` of ``c`` to compare with ``s.value``/``s.high``
        (``high`` is ``None`` for a single value), or ``None`` when the kinds,
        currencies or units are not compatible.

    >>> s = extract_quantities("1.5 million")[0]
    >>> c = extract_quantities("1.5 million tonnes")[0]
    >>> comparable(s, c)
    (1500000.0, None)
    """
    if not _rates_agree(s.unit, c.unit):
        return None
    if s.kind == c.kind:
        if s.kind == "money":
            return (c.value, c.high) if same_currency(_base(s.unit), _base(c.unit)) else None
        if s.kind in ("percent", "quantity") and _base(s.unit) != _base(c.unit):
            return None
        return c.value, c.high
    if _bare(s) and c.kind in ("money", "quantity", "duration") and c.unit != "age":
        if c.kind == "duration" and set(s.context) & CONTEXT_AXES["thing"]:
            return None  # "25 countries" counts something else than "25 years"
        return c.number, c.high_number
    if _bare(c) and s.kind in ("money", "quantity") and s.unit != "age":
        factor = s.value / s.number if s.number else 1.0
        high = None if c.high is None else c.high * factor
        return c.value * factor, high
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


def value_matches(s: Quantity, value: float, target: float, settings: MatchSettings) -> bool:
    """Whether summary value ``value`` (with ``s``'s precision and qualifier)
    is backed by source value ``target``.

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

    >>> a, = extract_quantities("about $4.2bn")
    >>> b, = extract_quantities("4.2 billion dollars")
    >>> equivalent(a, b)
    True
    >>> equivalent(extract_quantities("€4.2bn")[0], extract_quantities("$4.2bn")[0])
    False
    """
    settings = settings or MatchSettings()
    if s.kind == "date":
        if c.kind != "date":
            return False
        if s.high is None:
            return any(_date_equal(s.value, end) for end in _ends(c))
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


# --- context ------------------------------------------------------------------------


def _normalise(classes: Iterable[str]) -> frozenset[str]:
    found = set(classes)
    for hyper, hypos in HYPERNYMS.items():
        if hypos <= found:
            found.add(hyper)
    return frozenset(found)


def _covers(summary_class: str, source_class: str) -> bool:
    return summary_class == source_class or source_class in HYPERNYMS.get(
        summary_class, frozenset()
    )


def _axis_part(classes: frozenset[str], axis: str) -> frozenset[str]:
    members = CONTEXT_AXES[axis]
    return frozenset(c for c in classes if c in members or c == f"total:{axis}")


def _axes_for(kind: str) -> list[str]:
    return [axis for axis in CONTEXT_AXES if kind in AXIS_KINDS[axis]]


def context_conflict(
    summary_classes: Iterable[str], source_classes: Iterable[str], kind: str = "count"
) -> str | None:
    """The axis on which two context class sets conflict, else ``None``.

    >>> context_conflict({"death"}, {"injury"})
    'event'
    >>> context_conflict({"casualty"}, {"death"}) is None
    True
    >>> context_conflict({"death"}, {"casualty"})
    'event'
    >>> context_conflict({"death"}, set()) is None
    True
    """
    s_all = _normalise(summary_classes)
    c_all = _normalise(source_classes)
    for axis in _axes_for(kind):
        s_part = _axis_part(s_all, axis)
        c_part = _axis_part(c_all, axis)
        if s_part and c_part and not any(_covers(a, b) for a in s_part for b in c_part):
            return axis
    # an earlier value ("up from 12.4 million") stated as if it were the current one
    if kind in _TIMED_KINDS and "baseline" in c_all and _unanchored(s_all, c_all):
        return "time"
    return None


def _merged_context(a: Quantity, b: Quantity) -> frozenset[str]:
    """Context of a sum/difference: shared classes, or the covering class, or a total."""
    merged: set[str] = set()
    ca, cb = _normalise(a.context), _normalise(b.context)
    for axis in CONTEXT_AXES:
        pa, pb = _axis_part(ca, axis), _axis_part(cb, axis)
        if not pa or not pb:
            continue
        if pa == pb:
            merged |= pa
            continue
        union = pa | pb
        hyper = [h for h, hypos in HYPERNYMS.items() if union <= hypos | {h}]
        merged |= {hyper[0]} if hyper else {f"total:{axis}"}
    return frozenset(merged)


def _axis_cues(q: Quantity, axis: str) -> str:
    if axis == "thing":
        return q.counted or ""
    if axis not in CONTEXT_AXES:
        return ""
    members = CONTEXT_AXES[axis]
    words = [w for w in q.cues if any(c in members for c in CUE_CLASSES.get(w, ()))]
    return "/".join(words)


# --- matching ---------------------------------------------------------------------


def _sentence_label(*quantities: Quantity) -> str:
    numbers = sorted({q.sentence + 1 for q in quantities})
    word = "sentence" if len(numbers) == 1 else "sentences"
    return f"source {word} {', '.join(str(n) for n in numbers)}"


def _exact(s: Quantity, c: Quantity) -> bool:
    pair = comparable(s, c) if s.kind != "date" else (c.value, c.high)
    if pair is None:
        return False
    ends = [end for end in pair if end is not None]
    return any(is_close(s.value, end) for end in ends)


def _same_setting(s: Quantity, c: Quantity) -> bool:
    """The same counted word, or (with none) exactly the same context classes."""
    if s.counted is not None:
        return s.counted == c.counted
    return c.counted is None and set(s.context) == set(c.context)


def _agrees(s: Quantity, c: Quantity) -> bool:
    """Both quantities have classes on an axis and the summary's cover the source's."""
    s_all, c_all = _normalise(s.context), _normalise(c.context)
    for axis in _axes_for(s.kind):
        s_part, c_part = _axis_part(s_all, axis), _axis_part(c_all, axis)
        if s_part and c_part and any(_covers(a, b) for a in s_part for b in c_part):
            return True
    return False


def _rank(s: Quantity, c: Quantity) -> tuple[int, int, int, int]:
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
    for a in lows:
        for b in highs:
            if a is not b and (s.kind == "date" or a.sentence == b.sentence):
                return a, b
    return None


_THING_AXES = ("event", "trade", "damage", "attack")


def _shared_axis(a: Iterable[str], b: Iterable[str]) -> bool:
    ca, cb = _normalise(a), _normalise(b)
    return any(_axis_part(ca, axis) and _axis_part(cb, axis) for axis in _THING_AXES)


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
    if _shared_axis(a.context, b.context) or (a.kind == "money" and same_sentence):
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
    return _shared_axis(s.context, _merged_context(a, b) | set(a.context) | set(b.context))


def _operands_fit(a: Quantity, b: Quantity) -> bool:
    """Same kind and unit, or a bare count next to an amount in one sentence
    ("6.8 billion Norwegian crowns, up from 5.9 billion")."""
    if a.kind == b.kind and a.unit == b.unit:
        return True
    aged = a.unit == "age" or b.unit == "age"
    return a.sentence == b.sentence and (_bare(a) or _bare(b)) and not aged


def _derivations(
    s: Quantity, source: Sequence[Quantity], settings: MatchSettings
) -> list[tuple[Quantity, Quantity, str]]:
    if s.kind not in _DERIVABLE_KINDS or s.high is not None or s.unit == "age":
        return []
    small = _bare(s) and s.value < _MIN_DERIVED_COUNT
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
            evidence=f"{c.text} each × {c.each} = {s.text} ({_sentence_label(c)})",
        )
    return None


def _match_one(s: Quantity, source: Sequence[Quantity], settings: MatchSettings) -> QuantityMatch:
    def conflict(classes: Iterable[str]) -> str | None:
        if not settings.context:
            return None
        return context_conflict(s.context, classes, s.kind)

    candidates = [c for c in source if equivalent(s, c, settings)]
    # values equal as written come first; rounding is a fallback
    exact = [c for c in candidates if _exact(s, c)]
    candidates = exact or candidates
    if candidates:
        fitting = [c for c in candidates if conflict(c.context) is None]
        if settings.context and len(fitting) < len(candidates):
            # The value is stated for a conflicting thing; a candidate without
            # conflicting classes then backs the summary only with positive
            # evidence: agreeing classes, the same counted word, or the very same
            # context ("injuring two" vs "two substations" and "two killed": mismatch).
            fitting = [c for c in fitting if _agrees(s, c) or _same_setting(s, c)]
        moved = {id(c): _moved_to(s, c, source, settings) for c in fitting if settings.context}
        if settings.context and fitting and all(moved[id(c)] is not None for c in fitting):
            # every candidate is stated of something else, and the summary's words
            # tie the value to what another source value is stated of
            best = max(fitting, key=lambda c: _rank(s, c))
            there, word = moved[id(best)] or (best, "")
            return QuantityMatch(
                s, "context_mismatch", best, evidence=_moved_evidence(best, there, word)
            )
        if fitting:
            best = max(fitting, key=lambda c: _rank(s, c))
            return QuantityMatch(
                s, "supported", best, evidence=f"matches {best.text!r} ({_sentence_label(best)})"
            )
        clashing = [c for c in candidates if conflict(c.context) is not None] or candidates
        best = max(clashing, key=lambda c: _rank(s, c))
        axis = conflict(best.context) or "event"
        return QuantityMatch(
            s, "context_mismatch", best, evidence=_mismatch_evidence(s, best, axis)
        )
    if s.high is not None:
        parts = _range_from_parts(s, source, settings)
        if parts is not None:
            a, b = parts
            return QuantityMatch(
                s,
                "supported",
                a,
                operands=(a, b),
                operation="and",
                evidence=(
                    f"source gives both ends: {a.text!r} and {b.text!r} ({_sentence_label(a, b)})"
                ),
            )
    if settings.derived:
        shared = _shared_out(s, source, settings)
        if shared is not None:
            return shared
        derivations = _derivations(s, source, settings)
        if derivations:
            fitting_d = [d for d in derivations if conflict(_merged_context(d[0], d[1])) is None]
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
                    evidence=f"{formula} ({_sentence_label(a, b)})",
                )
            # The arithmetic works but adds things the summary does not say
            # (dead + wounded for "died"): the value is not in the source.
            axis = conflict(_merged_context(a, b)) or "event"
            return QuantityMatch(
                s,
                "unsupported",
                a,
                operands=(a, b),
                operation=op,
                evidence=(
                    f"{_nowhere(s)}; {a.text} {_axis_cues(a, axis)} {op} {b.text} "
                    f"{_axis_cues(b, axis)} = {s.text}, but not all {_axis_cues(s, axis)} "
                    f"({_sentence_label(a, b)})"
                ),
            )
    other = _same_number_other_kind(s, source)
    if other is not None:
        return QuantityMatch(
            s,
            "context_mismatch",
            other,
            evidence=(
                f"source has {other.describe()} ({other.kind}), not {s.text} ({s.kind}) "
                f"({_sentence_label(other)})"
            ),
        )
    closest = _closest(s, source)
    where = _nowhere(s)
    if closest is None:
        return QuantityMatch(s, "unsupported", None, evidence=where)
    return QuantityMatch(
        s,
        "unsupported",
        closest,
        evidence=f"{where}; closest: {closest.describe()} ({_sentence_label(closest)})",
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


def _slots(q: Quantity) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """What a quantity is stated of: frame words, counted word, context classes."""
    counted = frozenset((q.counted,)) if q.counted else frozenset()
    return frozenset(q.frame), counted, frozenset(q.context) & _AXIS_CLASSES


def _moved_to(
    s: Quantity, c: Quantity, source: Sequence[Quantity], settings: MatchSettings
) -> tuple[Quantity, str] | None:
    """Another source value that the summary's words tie ``s`` to instead of ``c``.

    The source states another value ``d`` (of the same kind, not equivalent to
    ``s``) of a frame word or the counted word of the summary quantity, which
    ``c`` does not have ("Gábor Tóth, took 41.8%" for "Gábor Tóth took 52.4%";
    "the IMF cut its growth forecast to 2.8%, while the World Bank kept its
    estimate at 2.3%" for "the IMF cut its growth forecast to 2.3%"; the
    counted word only if ``c`` counts nothing and is no part), and nothing the
    summary says of ``s`` ties it to ``c`` rather than to ``d``: no frame
    word, counted word or context class shared with ``c`` and not with ``d``,
    where ``d`` has some of that sort (if ``d`` has no counted word, an
    agreeing one of ``c`` tells nothing), and no frame word of ``s`` (not
    ``d``'s) in the sentence of ``c`` but not in that of ``d``. ``d`` is in
    the sentence of ``c`` or the next or previous one, and is not the other
    value of a change with ``c`` ("from 2.9% to 1.5%"). Returns ``(d, the
    shared word)``, else ``None``.
    """
    if s.kind not in _FRAMED or c.kind != s.kind or "baseline" in s.context:
        return None  # (the words of a change belong to both its values)
    mine, theirs = _slots(s), _slots(c)
    if not (mine[0] or mine[1]):
        return None
    for d in source:
        if d is c or d.kind != s.kind or abs(d.sentence - c.sentence) > 1:
            continue
        if c.sentence == d.sentence and "baseline" in {*c.context, *d.context}:
            continue  # two values of one thing at two times ("from 2.9% to 1.5%")
        if comparable(s, d) is None or equivalent(s, d, settings):
            continue
        other = _slots(d)
        toward = sorted((mine[0] & other[0]) - theirs[0])
        if c.counted is None and "part" not in c.context:
            # (a part counts what its whole counts: "31 of 44 drones")
            toward += sorted(mine[1] & other[1])
        if not toward:
            continue
        if any((m & t) - o for m, t, o in zip(mine, theirs, other, strict=True) if o):
            continue
        if c.sentence != d.sentence and (mine[0] - other[0]) & (
            c.sentence_words - d.sentence_words
        ):
            continue  # the summary's other words are in c's sentence, not d's
        return d, toward[0]
    return None


def _moved_evidence(c: Quantity, d: Quantity, word: str) -> str:
    return (
        f"source states {c.describe()} of something else: '{word}' goes with "
        f"{d.describe()} there ({_sentence_label(c, d)})"
    )


def _mismatch_evidence(s: Quantity, c: Quantity, axis: str) -> str:
    where = _sentence_label(c)
    if axis == "time":
        return (
            f"in the source {c.text} is the earlier value of a comparison, "
            f"not the current one ({where})"
        )
    said, not_said = _axis_cues(c, axis), _axis_cues(s, axis)
    if not said or not not_said:
        return f"source says {c.describe()}, not {s.describe()} ({where})"
    return f"source says {c.text} {said}, not {not_said} ({where})"


def _nowhere(s: Quantity) -> str:
    label = s.kind if not s.unit else f"{s.kind}, {s.unit}"
    return f"no quantity of {s.text} ({label}) in the source"


def _closest(s: Quantity, source: Sequence[Quantity]) -> Quantity | None:
    """The nearest source value of the same kind (else of a compatible kind)."""
    same = [c for c in source if c.kind == s.kind and _base(c.unit) == _base(s.unit)]
    return _nearest(s, same) or _nearest(s, source)


def _nearest(s: Quantity, source: Sequence[Quantity]) -> Quantity | None:
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


def keeps(summary: Sequence[Quantity], key: Quantity, settings: MatchSettings) -> bool:
    """Whether some summary quantity carries the key quantity ``key``."""
    return any(
        equivalent(s, key, settings)
        and (not settings.context or context_conflict(s.context, key.context, s.kind) is None)
        for s in summary
    )


def _dedup(quantities: Iterable[Quantity]) -> tuple[Quantity, ...]:
    seen: dict[tuple[Any, ...], Quantity] = {}
    for q in quantities:
        seen.setdefault((q.kind, q.unit, round(q.value, 9), q.high), q)
    return tuple(seen.values())


@lru_cache(maxsize=4096)
def salient_quantities(source: str) -> tuple[Quantity, ...]:
    """Key quantities of a source without references: its first three
    sentences' quantities plus any value stated at least twice (no ordinals).

    >>> [q.text for q in salient_quantities(
    ...     "Two died. Five were hurt. It was the first time. Later 7 fled. Again 7 fled.")]
    ['Two', 'Five', '7']
    """
    quantities = [q for q in cached_quantities(source) if q.kind != "ordinal"]
    counts: dict[tuple[Any, ...], int] = {}
    for q in quantities:
        key = (q.kind, q.unit, round(q.value, 9), q.high)
        counts[key] = counts.get(key, 0) + 1
    chosen = [
        q
        for q in quantities
        if q.sentence < 3 or counts[(q.kind, q.unit, round(q.value, 9), q.high)] > 1
    ]
    return _dedup(chosen)


def key_quantities(example: Example) -> tuple[Quantity, ...]:
    """The quantities a good summary of ``example`` keeps (for recall).

    The references' quantities when the example has a non-blank reference,
    else `salient_quantities` of the source.
    """
    references = [ref for ref in example.references if ref.strip()]
    if references:
        return _dedup(q for ref in references for q in cached_quantities(ref))
    return salient_quantities(example.source)


class NumbersParams(BaseModel):
    """Parameters of the ``numbers`` metric (see `MatchSettings`)."""

    model_config = ConfigDict(extra="forbid")

    approx_tol: float = Field(0.05, ge=0.0, le=0.5)
    rounding: bool = True
    derived: bool = True
    derived_window: int = Field(1, ge=0, le=10)
    context: bool = True

    def settings(self) -> MatchSettings:
        """These parameters as `MatchSettings`."""
        return MatchSettings(
            approx_tol=self.approx_tol,
            rounding=self.rounding,
            derived=self.derived,
            derived_window=self.derived_window,
            context=self.context,
        )


class NumbersMetric:
    """Precision, recall and unsupported count of the summary's quantities.

    Args:
        params: Validated parameters.
    """

    def __init__(self, params: NumbersParams) -> None:
        self._params = params
        self._settings = params.settings()

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version and params of this metric."""
        return Fingerprint(
            kind="metric",
            name="numbers",
            version="4",  # 4: uncased/tokenised summaries are restored first
            params=self._params.model_dump(mode="json"),
            model=None,
        )

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Check the quantities of each summary against its source.

        Args:
            items: Pairs with a non-blank summary and source.

        Returns:
            One result per item, in order, with one finding per summary quantity.
        """
        return [self._score_one(item) for item in items]

    def _score_one(self, item: MetricInput) -> MetricResult:
        source = cached_quantities(item.example.source)
        # a lower-cased or tokenised summary is analysed restored, its spans mapped back
        restored = restore(item.summary, item.example.source)
        summary = extract_quantities(restored.text)
        matches = match_quantities(summary, source, self._settings)
        good = sum(m.status in ("supported", "derived") for m in matches)
        bad = sum(m.status in ("unsupported", "context_mismatch") for m in matches)
        key = key_quantities(item.example)
        kept = sum(keeps(summary, k, self._settings) for k in key)
        return MetricResult(
            values={
                "precision": good / len(matches) if matches else None,
                "recall": kept / len(key) if key else None,
                "unsupported": float(bad),
            },
            findings=[restored.finding(m.finding()) for m in matches],
        )


_VALUES = [
    ValueSpec(
        "precision",
        True,
        "Share of the summary's quantities backed by the source (directly or by a sum/difference)",
    ),
    ValueSpec(
        "recall",
        True,
        "Share of the key quantities (the reference's, else the source lead's) the summary keeps",
    ),
    ValueSpec(
        "unsupported",
        False,
        "Number of summary quantities not in the source or stated for a different thing",
    ),
]


@metric(
    "numbers",
    params=NumbersParams,
    values=_VALUES,
    requires=["source"],
    description="Checks every number, amount, date and percentage of the summary in the source.",
)
def build_numbers(params: NumbersParams) -> Metric:
    """Build the ``numbers`` metric.

    Args:
        params: Validated `NumbersParams`.

    Returns:
        A `NumbersMetric`.
    """
    return NumbersMetric(params)


__all__ = [
    "CONTEXT_AXES",
    "HYPERNYMS",
    "MatchSettings",
    "MatchStatus",
    "NumbersMetric",
    "NumbersParams",
    "QuantityMatch",
    "build_numbers",
    "comparable",
    "context_conflict",
    "equivalent",
    "keeps",
    "key_quantities",
    "match_quantities",
    "salient_quantities",
    "same_currency",
    "value_matches",
]
