"""The records: a `Quantity`, the verdict `QuantityMatch` on one, and `MatchSettings`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

QuantityKind = Literal[
    "count", "money", "percent", "quantity", "duration", "date", "year", "ordinal", "fraction"
]

QUANTITY_KINDS: tuple[QuantityKind, ...] = (
    "count",
    "money",
    "percent",
    "quantity",
    "duration",
    "date",
    "year",
    "ordinal",
    "fraction",
)


@dataclass(frozen=True)
class Quantity:
    """One quantity found in a text.

    Attributes:
        text: The surface form, without the qualifier ("16 million tons",
            "$4.2bn", "January 7-8").
        span: ``(start, end)`` character offsets of ``text``.
        value: Normalised value (see `harness.text.quantities`), the low end for ranges.
        kind: One of `QUANTITY_KINDS`.
        unit: Currency code, canonical unit, ``"%"``/``"pp"``, date
            granularity, or ``None``; rates end in ``"/<per>"``.
        qualifier: Lowercased qualifier before it ("at least", "about",
            "more than", "nearly", "up to", "over", "some", ...), else ``None``.
        high: Upper end of a range (normalised like ``value``), else ``None``.
        counted: Lemma of the first content word after the quantity (the
            thing counted: "soldier", "tonne" is the unit so "cargo" in "16.1
            million tonnes of cargo"), else ``None``.
        sentence: Index of the sentence (0-based) in `sentence_spans` order.
        number: The number as written with its scale word applied but
            before unit conversion ("12 months" has number 12, value 365).
        high_number: ``number`` of the upper end of a range, else ``None``.
        step: The precision of the surface form in ``value`` units: the last
            written decimal place, the scale word ("4.2bn" -> 1e8), or the
            hundreds/thousands for integers ending in two or more zeros.
        context: Sorted context classes from the cue words near the number
            ("death", "injury", "export", "increase", ...).
        cues: The cue words themselves, lowercased, in text order.
        frame: Crude stems of the content words before the quantity in its
            clause (up to 12 words back, with the stops of the cue window:
            punctuation, "and", "while", another quantity): what the number is
            stated of -- its verb, subject or owner. "the IMF cut its growth
            forecast to 2.8%" -> ``("imf", "growth", "forecast")``; "Gábor
            Tóth, took 41.8%" -> ``("took",)``. Function words, weekdays,
            reporting verbs ("said", "reported"), direction verbs ("rose",
            "cut": the ``direction`` context) and links ("including") are left
            out. A value after "to"/"from" right after another ("rose 12% to
            $5 billion") shares its frame.
        sentence_words: The stems of the content words of its sentence (as
            for ``frame``; one set shared by the sentence's quantities).
        leads_pair: It is the first of two values side by side, high first,
            that are no range: a result ("won 52% to 48%", "beat them 3-1"),
            not a change ("fell from 10 to 8").
        each: How many parties the value is stated for each of: "Ukraine and
            Russia exchanged 95 prisoners each" -> 2 (the names joined by
            "and" or commas before it in the sentence); else 0.
        other_reading: Another value the same text may mean: "3/5/2024" is
            March 5 (``value``) or 3 May (this), as the US or Europe writes
            dates; else ``None``.
    """

    text: str
    span: tuple[int, int]
    value: float
    kind: QuantityKind
    unit: str | None = None
    qualifier: str | None = None
    high: float | None = None
    counted: str | None = None
    sentence: int = 0
    number: float = 0.0
    high_number: float | None = None
    step: float = 1.0
    context: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    frame: tuple[str, ...] = ()
    sentence_words: frozenset[str] = frozenset()
    each: int = 0
    leads_pair: bool = False
    other_reading: float | None = None

    @property
    def is_range(self) -> bool:
        """Whether this is a range (``high`` is set)."""
        return self.high is not None

    def describe(self) -> str:
        """A short human description: the text, then what it counts and its cues.

        >>> from harness.text.quantities import extract_quantities
        >>> extract_quantities("Some 300 soldiers died.")[0].describe()
        '300 (soldier, died)'
        """
        extra = [word for word in (self.counted, *self.cues) if word]
        seen: list[str] = []
        for word in extra:
            if word not in seen:
                seen.append(word)
        return f"{self.text} ({', '.join(seen)})" if seen else self.text


def date_parts(value: float) -> tuple[int, int, int]:
    """Split a date value ``YYYYMMDD`` into ``(year, month, day)`` (0 = unknown).

    >>> date_parts(20240300.0)
    (2024, 3, 0)
    """
    n = round(value)
    return n // 10000, (n // 100) % 100, n % 100


def is_close(a: float, b: float, rel: float = 1e-9) -> bool:
    """Whether two values are equal up to floating-point noise.

    >>> is_close(0.1 + 0.2, 0.3)
    True
    """
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


MatchStatus = Literal["supported", "derived", "context_mismatch", "unsupported"]


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

        >>> from harness.text.quantities import extract_quantities, match_quantities
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
