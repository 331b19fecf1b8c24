"""Pass 1 of the extraction: find the quantities of a text, left to right.

At each token `scan` tries, in order: a date led by a month or a day or written ISO style
("2022-05-03"), a year range,
a race time, then an optional currency prefix, the number (`numerals.core_at`), what
follows it (`suffixes.suffixes`) and a range (`ranges.maybe_range`). A bare number
after a capitalised word is part of a name ("Ariane 6") and one that looks like a
year is a year, and one stated as an age ("aged 30", "at the age of 30") is an
age. Pass 2 (`harness.text.quantities.context`) annotates what is found.
"""

from __future__ import annotations

from harness.text.quantities.cues import CUE_CLASSES
from harness.text.quantities.dates import (
    date_from_day,
    date_from_month,
    hms,
    iso_date,
    slash_date,
    year_range,
)
from harness.text.quantities.draft import Draft
from harness.text.quantities.lexicon import (
    CAPITALISED_OK,
    CURRENCY_CODES,
    CURRENCY_PREFIX_WORDS,
    CURRENCY_SYMBOLS,
    STARTERS,
    STOPWORDS,
    TIME_UNITS,
    YEAR_PREPOSITIONS,
)
from harness.text.quantities.numerals import core_at, digit_fraction, minus_before, negate
from harness.text.quantities.ranges import maybe_range
from harness.text.quantities.suffixes import suffixes
from harness.text.quantities.tokens import TokenDoc


def scan(doc: TokenDoc) -> list[Draft]:
    """Pass 1: the quantities of ``doc`` as drafts, left to right, none overlapping."""
    drafts: list[Draft] = []
    i = 0
    while i < doc.n:
        draft = _parse_at(doc, i)
        if draft is None:
            i += 1
            continue
        drafts.append(_celsius(_share_of_whole(doc, drafts, draft)))
        i = max(draft.last, i + 1)
    return drafts


def _citation_mark(doc: TokenDoc, i: int) -> bool:
    """ "killed 12 people [3].", "people.[3][4]": a whole number alone in square
    brackets marks a reference (as summaries written with sources cite them), no
    quantity the text states."""
    tok = doc.toks[i]
    return (
        0 < i < doc.n - 1
        and doc.low(i - 1) == "["
        and doc.low(i + 1) == "]"
        and doc.adjacent(i - 1, i)
        and doc.adjacent(i, i + 1)
        and not tok.decimals
        and not tok.sep
        and len(tok.text) <= 3
    )


#: "Q3": a quarter of a year, by its letter and how many there are ("H1" is left
#: alone: "H2" is as often hydrogen).
_PERIOD_LETTERS = {"Q": ("quarter", 4)}


def _quarter(doc: TokenDoc, i: int) -> Draft | None:
    """ "Q3": the ordinal of a quarter, as "the third quarter" is; not a name ("Audi
    Q3", "Q5", "Q3a")."""
    word, count = _PERIOD_LETTERS[doc.toks[i].text]
    if i + 1 >= doc.n or not doc.adjacent(i, i + 1):
        return None
    prev = doc.toks[i - 1] if i > 0 else None
    if (
        prev is not None
        and prev.kind == "word"
        and prev.text[0].isupper()
        and prev.lower not in CAPITALISED_OK
        and not doc.sentence_start(i - 1)
    ):
        return None  # "Audi Q3"
    tok = doc.toks[i + 1]
    if tok.kind != "num" or tok.decimals or tok.sep or not 1 <= tok.num <= count:
        return None
    if i + 2 < doc.n and doc.adjacent(i + 1, i + 2) and doc.toks[i + 2].kind != "punct":
        return None
    rank = float(tok.num)
    return Draft(i, i + 2, rank, rank, 1.0, "ordinal", hint=word)


def _share_of_whole(doc: TokenDoc, drafts: list[Draft], d: Draft) -> Draft:
    """ "half a million", "a quarter of a million", "three quarters of a billion
    dollars", "half a dozen": the share of the scaled amount ``d`` as one quantity (250,000 for "a
    quarter of a million", not a fraction and a million). A fraction read just
    before (the last of ``drafts``) is taken out of ``drafts`` into it."""
    scaled = d.scaled or doc.low(d.last - 1) == "dozen"
    if d.kind not in ("count", "money") or not scaled or d.high is not None:
        return d
    prev = drafts[-1] if drafts else None
    if doc.low(d.first) in ("a", "an") and doc.low(d.first - 1) == "half":
        share, first = 0.5, d.first - 1
    elif (
        prev is not None
        and prev.kind == "fraction"
        and prev.high is None
        and doc.low(prev.last) == "of"
        and d.first == prev.last + 1
    ):
        share, first = prev.value, prev.first
        drafts.pop()
    else:
        return d
    d.value, d.number, d.step, d.first = d.value * share, d.number * share, d.step * share, first
    return d


def _celsius(d: Draft) -> Draft:
    """``d`` in °C if it was read in °F: (F - 32) * 5 / 9, ends of a range alike, so that
    "86 °F" and "30 °C" are one temperature (a difference of 9 °F is 5 °C)."""
    if d.kind != "quantity" or not d.unit or d.unit.split("/")[0] != "°F":
        return d
    d.value = (d.value - 32) * 5 / 9
    if d.high is not None:
        d.high = (d.high - 32) * 5 / 9
    d.step *= 5 / 9
    d.factor *= 5 / 9
    d.unit = "°C" + d.unit[2:]
    return d


def _parse_at(doc: TokenDoc, i: int) -> Draft | None:
    """The quantity that starts at token ``i``, if any."""
    tok = doc.toks[i]
    if tok.kind == "opaque":
        # "3/5/2024", "2/3 of"; any other opaque token is no quantity
        return slash_date(doc, i) or digit_fraction(doc, i)
    if tok.kind == "punct":
        return _bracketed_amount(doc, i, i) if tok.text == "(" else None
    if tok.kind == "num" and _citation_mark(doc, i):
        return None
    if tok.kind == "word" and tok.text in _PERIOD_LETTERS:
        return _quarter(doc, i)
    if (
        tok.kind == "word"
        and tok.lower not in STARTERS
        and tok.text not in CURRENCY_CODES
        and tok.text not in CURRENCY_PREFIX_WORDS
    ):
        return None
    if tok.kind == "word" and doc.month_at(i):
        return date_from_month(doc, i)
    if tok.kind == "num" and doc.low(i + 1) == "-":
        date = iso_date(doc, i)
        if date is not None:
            return date
    if tok.kind in ("num", "numsuf") and doc.day_at(i):
        date = date_from_day(doc, i)
        if date is not None:
            return date
    if tok.kind == "yrange":
        return year_range(doc, i)
    if tok.kind == "hms":
        return hms(doc, i)
    currency: str | None = None
    k = i
    if tok.kind == "sym":
        currency = CURRENCY_SYMBOLS.get(tok.text)
        if currency is None:
            return None
        if doc.low(i + 1) == "(" and doc.adjacent(i, i + 1):
            return _bracketed_amount(doc, i, i + 1, currency)  # "$(3.1) million"
        k = i + 1
    elif (tok.text in CURRENCY_CODES or tok.text in CURRENCY_PREFIX_WORDS) and i + 1 < doc.n:
        k = i + 2 if doc.low(i + 1) == "." and doc.adjacent(i, i + 1) else i + 1
        if k < doc.n and doc.toks[k].kind in ("num", "numsuf"):
            currency = CURRENCY_PREFIX_WORDS.get(tok.text, tok.text)
        else:
            k = i
    if currency is not None and not (k < doc.n and doc.toks[k].kind in ("num", "numsuf")):
        return None
    core = core_at(doc, k)
    if core is None:
        return None
    if k != i:
        core.first = i
    if currency is not None:
        if core.kind not in ("count",):
            return None
        core.kind = "money"
        core.unit = currency
        if k != i and minus_before(doc, i):
            negate(core, i - 1)  # "−$3 million"
    draft = suffixes(doc, core)
    if draft is None:
        return None
    if draft.kind == "count" and _is_name_number(doc, draft):
        return None
    if draft.kind == "count" and _looks_like_year(doc, draft):
        year = int(draft.value)
        return Draft(draft.first, draft.first + 1, year, year, 1.0, "year")
    ranged = maybe_range(doc, draft)
    if draft.range_only and ranged.high is None:
        return None
    if ranged.kind == "count" and _clock_hour(doc, ranged):
        return None
    if ranged.kind in ("count", "duration") and _stated_age(doc, ranged):
        return _as_age(ranged)
    return ranged


def _bracketed_amount(
    doc: TokenDoc, first: int, bracket: int, currency: str | None = None
) -> Draft | None:
    """ "$(3.1) million", "$(0.12)", "(5.2) million euros": an amount in brackets,
    as accounts write a negative one (a loss, an outflow). A number alone in
    brackets ("(5)", "(up from 4,100)") is no amount and is read as it was."""
    if not (
        bracket + 2 < doc.n
        and doc.toks[bracket + 1].kind == "num"
        and doc.low(bracket + 2) == ")"
        and doc.adjacent(bracket, bracket + 1)
        and doc.adjacent(bracket + 1, bracket + 2)
    ):
        return None
    core = core_at(doc, bracket + 1)
    if core is None or core.kind != "count":
        return None
    core.first, core.last = first, bracket + 3
    if currency is not None:
        core.kind, core.unit = "money", currency
    draft = suffixes(doc, core)
    if draft is None or draft.kind != "money" or draft.high is not None:
        return None
    negate(draft, first)
    return draft


def _stated_age(doc: TokenDoc, d: Draft) -> bool:
    """ "aged 30", "at the age of 30", "at age 30": an age in years, as "30-year-old"
    is (so that each backs the other). "John Smith, 30, was" is left a count: in a
    lower-cased text nothing tells it from "the injured, 12, were"."""
    if d.scaled or (d.unit not in (None, "day")) or d.value <= 0:
        return False
    years = d.value if d.kind == "count" else d.value / TIME_UNITS["year"]
    if max(years, d.high or 0.0) > 150:
        return False  # "the Ice Age of 20,000 years"
    before, before2 = doc.low(d.first - 1), doc.low(d.first - 2)
    if before == "aged" or (before == "age" and d.kind == "count"):
        return True
    return before == "of" and before2 == "age"


def _as_age(d: Draft) -> Draft:
    """``d`` as an age in years (a count is years; "aged 18 months" is 1.5)."""
    years = 1.0 if d.kind == "count" else 1.0 / TIME_UNITS["year"]
    d.kind, d.unit = "quantity", "age"
    d.value *= years
    d.step *= years
    d.factor *= years
    if d.high is not None:
        d.high *= years
    return d


#: What after an hour makes it a clock time ("7 pm", "9.30 a.m.", "12 noon").
_CLOCK_AFTER = frozenset({"am", "pm", "a.m", "p.m", "noon", "midnight"})


def _clock_hour(doc: TokenDoc, d: Draft) -> bool:
    """ "7 pm", "9.30 a.m.", "7-9 pm", "3 o'clock": the hours of a clock time, which is
    no quantity (clock times are the consistency metric's time check, as "04:17" is)."""
    if d.scaled or not 0 <= d.value <= 24 or (d.high is not None and d.high > 24):
        return False
    w = doc.low(d.last)
    if w in _CLOCK_AFTER:
        return True
    return w == "o" and doc.low(d.last + 1) in ("'", "’") and doc.low(d.last + 2) == "clock"


def _looks_like_year(doc: TokenDoc, d: Draft) -> bool:
    tok = doc.toks[d.first]
    if d.last != d.first + 1 or tok.kind != "num" or tok.sep or tok.decimals != 0:
        return False
    if not 1800 <= tok.num <= 2100 or d.unit is not None:
        return False
    nxt = d.last
    if doc.is_word(nxt) and _plural(doc, nxt):
        return doc.low(d.first - 1) in YEAR_PREPOSITIONS
    return True


def _plural(doc: TokenDoc, j: int) -> bool:
    w = doc.low(j)
    return (
        w.endswith("s") and len(w) > 3 and w not in STOPWORDS and not doc.toks[j].text[0].isupper()
    )


def _is_name_number(doc: TokenDoc, d: Draft) -> bool:
    """ "Ariane 6", "Ligue 1", "Highway 715": a bare number after a capitalised word."""
    tok = doc.toks[d.first]
    if tok.kind != "num" or tok.sep or tok.decimals != 0 or d.unit is not None:
        return False
    if d.last != d.first + 1:
        return False
    k = d.first - 1
    if k < 0 or doc.toks[k].kind != "word" or not doc.same_sentence(k, d.first):
        return False
    prev = doc.toks[k]
    if not prev.text[0].isupper() or prev.lower in CAPITALISED_OK:
        return False
    if prev.lower in STOPWORDS or prev.lower in CUE_CLASSES:
        return False  # "Kills 27" in a headline
    if doc.sentence_start(k):
        return False
    return not (doc.month_at(k) or prev.text in CURRENCY_CODES)
