"""What follows the core of a quantity: a scale word ("4,200 million"), percent
("7 per cent", "30 basis points"), a currency ("1.5 billion euros"), a hyphen
compound ("five-day", "21-year-old"), a time unit ("four consecutive months",
"2 hours 3 minutes"), a measurement unit ("16 miles" = 25.7 km) and a rate ("a day",
"per share", "annually").
"""

from __future__ import annotations

from harness.text.quantities.draft import Draft
from harness.text.quantities.lexicon import (
    CURRENCY_BY_FIRST,
    CURRENCY_CODES,
    DEGREE_SIGN_UNITS,
    FRACTION_WORDS,
    MASS_NOUNS,
    MAX_UNIT_WORDS,
    POUND_WEIGHT_AFTER,
    RATE_ADVERBS,
    RATE_LEADS,
    RATE_NOUNS_AFTER_A,
    RELATIVE_AFTER,
    SCALE_WORDS,
    SPACED_SCALES,
    STOPWORDS,
    TIME_ADJECTIVES,
    TIME_SINGULAR,
    TIME_UNITS,
    UNIT_FIRST_WORDS,
    UNITS,
)
from harness.text.quantities.numerals import core_at, metre_after
from harness.text.quantities.stems import lemma
from harness.text.quantities.tokens import TokenDoc


def suffixes(doc: TokenDoc, d: Draft) -> Draft | None:
    """``d`` with what follows its core read into it; ``None`` when that rules it out."""
    j = d.last
    # scale words after digits or spelled numbers ("4,200 million", "1.5 bn")
    if not d.scaled and d.kind in ("count", "money"):
        w = doc.low(j)
        scale = SCALE_WORDS.get(w) or SPACED_SCALES.get(w)
        if scale:
            d.value *= scale
            d.number *= scale
            d.step *= scale
            d.scale *= scale
            d.scaled = True
            j += 1
    d.last = j
    if d.kind == "ordinal" or d.kind == "fraction" or d.kind == "duration":
        if d.kind == "ordinal" and doc.low(j) == "-" and doc.adjacent(j - 1, j):
            d.hint = doc.low(j + 1) if doc.is_word(j + 1) else None
        return d
    if d.kind == "quantity":
        return _rate(doc, d)
    # percent
    w = doc.low(j)
    if w == "%" and d.kind == "count":
        d.kind, d.unit, d.last = "percent", "%", j + 1
        return d
    if d.kind == "count":
        share = _one_in(doc, d, j)
        if share is not None:
            return share
        if w in ("percent", "pct") or (w == "per" and doc.low(j + 1) == "cent"):
            d.kind, d.unit = "percent", "%"
            d.last = j + (2 if w == "per" else 1)
            return d
        if w == "percentage" and doc.low(j + 1) in ("point", "points"):
            d.kind, d.unit, d.last = "percent", "pp", j + 2
            return d
        if w in ("basis", "base") and doc.low(j + 1) in ("point", "points"):
            d.value, d.step, d.factor = d.value / 100, d.step / 100, 0.01
            d.kind, d.unit, d.last = "percent", "pp", j + 2
            return d
        if w in ("bp", "bps"):
            d.value, d.step, d.factor = d.value / 100, d.step / 100, 0.01
            d.kind, d.unit, d.last = "percent", "pp", j + 1
            return d
        # currency after the number ("1.5 billion euros", "USD" after, "580 billion won")
        for words, code in CURRENCY_BY_FIRST.get(w, ()):
            if all(doc.low(j + o) == word for o, word in enumerate(words)):
                if words in (("pound",), ("pounds",)) and doc.low(j - 1) in ("a", "per"):
                    break
                if words in (("pound",), ("pounds",)) and _weighed(doc, d, j):
                    d.kind, d.unit, d.factor = "quantity", "tonne", POUND_TONNES
                    d.value *= POUND_TONNES
                    d.step *= POUND_TONNES
                    d.last = j + 1
                    return _rate(doc, d)
                d.kind, d.unit, d.last = "money", code, j + len(words)
                return _rate(doc, d)
        tok = doc.toks[j] if j < doc.n else None
        if tok is not None and tok.text in CURRENCY_CODES:
            d.kind, d.unit, d.last = "money", tok.text, j + 1
            return _rate(doc, d)
        # "three quarters of", "two thirds of": the hyphen left out
        # ("the first three quarters of 2023" is a period, left as the count it was)
        if (
            d.spelled
            and w in FRACTION_WORDS
            and w.endswith("s")
            and doc.low(j + 1) == "of"
            and doc.low(d.first - 1) not in ("first", "last", "past", "next")
        ):
            value = d.value / FRACTION_WORDS[w]
            d.kind, d.value, d.number, d.step, d.last = "fraction", value, value, 0.0, j + 1
            return d
        # "5-10kg", "20-25C": the first end of a range whose unit sits on the second
        # (`maybe_range` reads it), not a hyphen compound
        if w == "-" and j + 1 < doc.n and doc.toks[j + 1].kind == "numsuf":
            d.range_only = True
            return d
        # hyphen compounds: "five-day", "21-year-old", "750-kilovolt", "90-member"
        if w == "-" and doc.adjacent(j - 1, j) and doc.adjacent(j, j + 1):
            return _hyphen_compound(doc, d, j)
        if w == "-" and _spaced_compound(doc, j):
            return _hyphen_compound(doc, d, j)
        # time units, maybe after an adjective ("four consecutive months")
        if w in TIME_ADJECTIVES and doc.low(j + 1) in TIME_UNITS:
            j += 1
            w = doc.low(j)
        if w in TIME_UNITS and not (w == "second" and doc.low(j - 1) == "a"):
            return _duration(doc, d, j)
        # measurement units
        unit = _unit_at(doc, j)
        if unit is not None:
            (canonical, factor), length = unit
            d.kind, d.unit, d.factor = "quantity", canonical, factor
            d.value *= factor
            d.step *= factor
            d.last = j + length
            return _rate(doc, d)
    return _rate(doc, d)


def _one_in(doc: TokenDoc, d: Draft, j: int) -> Draft | None:
    """ "one in five adults", "1 in 4", "one in every ten": a share, the fraction
    "a fifth of" is (so that "20%" backs it); "two in 10 minutes" or "3 in 2024"
    are no shares."""
    if doc.low(j) != "in" or d.scaled or d.high is not None or d.value < 1:
        return None
    if d.value != int(d.value) or d.unit is not None:
        return None
    k = j + 2 if doc.low(j + 1) == "every" else j + 1
    if k >= doc.n or doc.toks[k].kind not in ("num", "word"):
        return None
    whole = core_at(doc, k)
    if whole is None or whole.kind != "count" or whole.value <= d.value:
        return None
    tok = doc.toks[k]
    if tok.kind == "num" and not tok.sep and 1800 <= whole.value <= 2100:
        return None  # a year
    after = doc.low(whole.last)
    if after in TIME_UNITS or after == "%" or _unit_at(doc, whole.last) is not None:
        return None
    value = d.value / whole.value
    d.kind, d.value, d.number, d.step, d.last = "fraction", value, value, 0.0, whole.last
    return d


def _spaced_compound(doc: TokenDoc, j: int) -> bool:
    """ "two - week", "27 - year - old": a hyphen compound with the hyphen spaced
    out by a Penn-Treebank-style tokenisation (only before a unit of time or
    measure, so a dash in ordinary text is not taken for one)."""
    if doc.adjacent(j - 1, j) or doc.adjacent(j, j + 1):
        return False
    nxt = doc.low(j + 1)
    return nxt in TIME_UNITS or (nxt,) in UNITS


POUND_TONNES = 4.5359237e-4


def _weighed(doc: TokenDoc, d: Draft, j: int) -> bool:
    """ "weighs 200 pounds", "50 pounds heavier", "5 pounds of flour": the pounds (at
    token ``j``) are a weight; elsewhere "5 pounds" stays money."""
    if any(doc.low(k).startswith("weigh") for k in range(max(d.first - 3, 0), d.first)):
        return True
    nxt = doc.low(j + 1)
    return nxt in POUND_WEIGHT_AFTER or (nxt == "of" and doc.low(j + 2) in MASS_NOUNS)


def _unit_at(doc: TokenDoc, j: int) -> tuple[tuple[str, float], int] | None:
    low = doc.low(j)
    if low == "°":  # "30 °C", "30°F"; a bare "°" is a degree ("a 90° turn")
        sign = DEGREE_SIGN_UNITS.get(doc.low(j + 1))
        if sign is not None and doc.adjacent(j, j + 1):
            return sign, 2
        return ("degree", 1.0), 1
    if low == "m" and doc.toks[j].text == "m" and metre_after(doc, j + 1):
        return ("km", 1e-3), 1  # "300 m tall"; "16 m people" stays a bare 16
    if low not in UNIT_FIRST_WORDS:
        return None
    for length in range(MAX_UNIT_WORDS, 0, -1):
        words = tuple(doc.low(j + o) for o in range(length))
        if words in UNITS and all(doc.toks[j + o].kind != "punct" for o in range(length)):
            if words == ("g",) or words == ("mt",):
                continue
            return UNITS[words], length
    return None


def _hyphen_compound(doc: TokenDoc, d: Draft, j: int) -> Draft | None:
    w = doc.low(j + 1)
    if d.spelled and w in ("off", "way", "sided", "on", "liner", "time") and d.value == 1:
        return None
    if w in FRACTION_WORDS and d.spelled and (w.endswith("s") or d.value == 1):
        value = d.value / FRACTION_WORDS[w]
        d.kind, d.value, d.number, d.step, d.last = "fraction", value, value, 0.0, j + 2
        return d
    if w in TIME_UNITS:
        if doc.low(j + 2) == "-" and doc.low(j + 3) in ("old", "olds"):
            return _age(d, w, j + 4)  # "21-year-old", "six-month-old"
        if doc.low(j + 2) in ("old", "olds"):
            return _age(d, w, j + 3)  # "30-year old"
        days = TIME_UNITS[w]
        d.kind, d.unit, d.factor = "duration", "day", days
        d.value *= days
        d.step *= days
        d.last = j + 2
        return d
    unit = _unit_at(doc, j + 1)
    if unit is not None:
        (canonical, factor), length = unit
        d.kind, d.unit, d.factor = "quantity", canonical, factor
        d.value *= factor
        d.step *= factor
        d.last = j + 1 + length
        return d
    if doc.toks[j + 1].kind == "opaque" or doc.toks[j + 1].kind == "numsuf":
        return None
    if doc.toks[j + 1].kind == "word" and w not in STOPWORDS:
        d.hint = w
    return _rate(doc, d)


def _age(d: Draft, unit_word: str, last: int) -> Draft:
    """``d`` as an age in years ending before token ``last``: "six-month-old" is 0.5,
    not the 6 of "six-year-old"."""
    years = TIME_UNITS[unit_word] / TIME_UNITS["year"]
    d.kind, d.unit, d.factor, d.last = "quantity", "age", years, last
    d.value *= years
    d.step *= years
    return d


def _duration(doc: TokenDoc, d: Draft, j: int) -> Draft:
    # "30 year old", "30 year-old", "30 years old": an age, as "30-year-old" is
    # ("30 years ago" and "for 30 years" stay periods)
    unit_word = doc.low(j)
    if unit_word in ("day", "week", "month", "year", "days", "weeks", "months", "years"):
        if doc.low(j + 1) in ("old", "olds"):
            return _age(d, unit_word, j + 2)
        if doc.low(j + 1) == "-" and doc.low(j + 2) in ("old", "olds"):
            return _age(d, unit_word, j + 3)
    days = TIME_UNITS[doc.low(j)]
    d.kind, d.unit, d.factor = "duration", "day", days
    d.value *= days
    d.step *= days
    d.last = j + 1
    # compound durations: "2 hours 3 minutes 11 seconds", "two months and ten days"
    while True:
        k = d.last
        if doc.low(k) in ("and", ","):
            k += 1
        nxt = core_at(doc, k) if k < doc.n and doc.toks[k].kind in ("num", "word") else None
        if nxt is None or nxt.kind != "count" or nxt.last >= doc.n:
            break
        unit_word = doc.low(nxt.last)
        if unit_word not in TIME_UNITS or TIME_UNITS[unit_word] >= days:
            break
        days = TIME_UNITS[unit_word]
        d.value += nxt.value * days
        d.step = nxt.step * days
        d.last = nxt.last + 1
    return _rate(doc, d)


def _rate(doc: TokenDoc, d: Draft) -> Draft:
    """Append "/<per>" to the unit for "a day", "per share", "annually"."""
    j = d.last
    w = doc.low(j)
    if w in RATE_ADVERBS:
        d.unit = f"{d.unit or ''}/{RATE_ADVERBS[w]}"
        d.last = j + 1
        return d
    if w not in RATE_LEADS or not doc.is_word(j + 1):
        return d
    per = doc.low(j + 1)
    if per in TIME_UNITS and doc.low(j + 2) in RELATIVE_AFTER:
        return d
    if d.unit == "barrel" and per == "day":
        d.unit, d.last = "barrel/day", j + 2
        return d
    if w == "per" or per in RATE_NOUNS_AFTER_A or per in TIME_UNITS:
        if w == "per" and per in STOPWORDS:
            return d
        base = TIME_SINGULAR.get(per, lemma(per))
        d.unit = f"{d.unit or ''}/{base}"
        d.last = j + 2
    return d
