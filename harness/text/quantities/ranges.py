"""Ranges: "7-8", "7 to 8", "between 300 and 400", "1.34 and 1.37 million tonnes".

The first end inherits a missing scale, unit or currency from the second. "A to B"
with A >= B ("seven to two") or after "from"/"by" ("from 60 to 64") is two
quantities, not a range.
"""

from __future__ import annotations

from harness.text.quantities.cues import DIRECTION_VERBS
from harness.text.quantities.draft import Draft
from harness.text.quantities.lexicon import CURRENCY_CODES, CURRENCY_SYMBOLS
from harness.text.quantities.numerals import core_at
from harness.text.quantities.suffixes import suffixes
from harness.text.quantities.tokens import TokenDoc


def maybe_range(doc: TokenDoc, d: Draft) -> Draft:
    """``d`` extended to a range when a second end follows it, else ``d``."""
    if d.kind in ("ordinal", "fraction", "date") or d.no_range:
        return d
    j = d.last
    if doc.low(j) == "-" and doc.low(j + 1) in ("to", "and", "or"):
        j += 1  # "10- to 14-year-olds"
    conn = doc.low(j)
    before = doc.low(doc.qualifier_start(d.first) - 1)
    if conn in ("-", "–"):
        pass
    elif conn == "to":
        if before in ("from", "by") or before in DIRECTION_VERBS:
            return d
    elif conn == "and":
        if before != "between":
            return d
    elif conn == "or":
        pass
    else:
        return d
    k = j + 1
    if k >= doc.n or not doc.same_sentence(d.first, k):
        return d
    second = _parse_second(doc, k)
    if second is None:
        return d
    first = _inherit(doc, d, second)
    if first is None:
        return d
    if first.value >= second.value:
        return d
    if conn == "or" and second.number - first.number > max(1.0, first.number * 0.5):
        return d
    first.high = second.value
    first.high_number = second.number
    first.last = second.last
    return first


def _parse_second(doc: TokenDoc, k: int) -> Draft | None:
    tok = doc.toks[k]
    currency: str | None = None
    i = k
    if tok.kind == "sym":
        currency = CURRENCY_SYMBOLS.get(tok.text)
        k += 1
    elif tok.text in CURRENCY_CODES:
        currency = tok.text
        k += 1
    if k >= doc.n or doc.toks[k].kind == "opaque":
        return None
    core = core_at(doc, k)
    if core is None or core.kind not in ("count", "quantity"):
        return None
    core.first = i
    if currency is not None:
        if core.kind != "count":
            return None
        core.kind, core.unit = "money", currency
    return suffixes(doc, core)


def _inherit(doc: TokenDoc, first: Draft, second: Draft) -> Draft | None:
    """The first end of a range takes a missing scale, currency or unit from the second."""
    if first.kind == "year" or second.kind == "year":
        return None
    if first.kind == "count" and first.unit is None and second.kind != "count":
        scale = second.scale if not first.scaled else 1.0
        return Draft(
            first.first, first.last, first.number * scale * second.factor,
            first.number * scale, first.step * scale * second.factor, second.kind,
            second.unit, scaled=first.scaled or second.scaled, spelled=first.spelled,
            scale=first.scale * scale, factor=second.factor,
        )  # fmt: skip
    if first.kind != second.kind or _unit_base(first.unit) != _unit_base(second.unit):
        return None
    if second.scaled and not first.scaled:
        scale = second.scale
        first.value *= scale
        first.number *= scale
        first.step *= scale
        first.scale = scale
        first.scaled = True
    if first.unit != second.unit and second.unit is not None and "/" in second.unit:
        first.unit = second.unit
    return first


def _unit_base(unit: str | None) -> str | None:
    return unit.split("/")[0] if unit else unit
