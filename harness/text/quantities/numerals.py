"""The core of a quantity: digits ("2,700", "4.2bn", "40C"), spelled numbers ("three
hundred and twenty", "a dozen"), ordinals ("second", "twenty-first"), fractions
("a third of") and the periods "a year", "the past decade".

`core_at` reads the number that starts at a token; `harness.text.quantities.suffixes`
then reads what follows it (scale, percent, currency, unit, duration, rate).
"""

from __future__ import annotations

import re

from harness.text.quantities.cues import BOUNDARY_WORDS
from harness.text.quantities.draft import Draft, date_draft, step_of
from harness.text.quantities.lexicon import (
    ATTACHED_SCALES,
    ATTACHED_UNITS,
    CURRENCY_CODES,
    CURRENCY_PREFIX_WORDS,
    FRACTION_WORDS,
    METRE_AFTER,
    METRE_AFTER_IN,
    NOT_SPELLED_ONE_AFTER,
    NOT_SPELLED_ONE_BEFORE,
    ORDINAL_SUFFIXES,
    ORDINAL_WORDS,
    PERIOD_LEADS,
    RELATIVE_AFTER,
    SCALE_WORDS,
    SMALL,
    STOPWORDS,
    TENS,
    TEXT_NOUNS,
    TEXT_PARTS,
    TIME_PREPOSITIONS,
    TIME_UNITS,
    UNITS,
    YEAR_PREFIXES,
)
from harness.text.quantities.tokens import TokenDoc


def core_at(doc: TokenDoc, k: int) -> Draft | None:
    """The number that starts at token ``k`` (digits, spelled, ordinal, fraction, period),
    negative after a minus sign ("-5", "−3 million", "minus 40"; see `minus_before`)."""
    if k >= doc.n:
        return None
    tok = doc.toks[k]
    core: Draft | None = None
    if tok.kind == "num":
        if _hyphen_name_before(doc, k):
            return None
        core = Draft(k, k + 1, tok.num, tok.num, step_of(tok.num, tok.decimals), "count")
    elif tok.kind == "numsuf":
        if _hyphen_name_before(doc, k):
            return None
        core = _attached_suffix(doc, k)
    elif tok.kind == "word":
        core = _word_core(doc, k)
    if core is not None and core.first == k and minus_before(doc, k):
        negate(core, k - 1)
    return core


_DIGIT_FRACTION = re.compile(r"(\d{1,2})/(\d{1,2})")
#: Denominators of the shares a text writes in digits ("2/3 of", "3/4 of", "a 2/3 majority").
_SHARE_DENOMINATORS = frozenset({2, 3, 4, 5, 6, 8, 10})


def digit_fraction(doc: TokenDoc, k: int) -> Draft | None:
    """ "2/3 of voters", "a 2/3 majority": a share written in digits, read as the
    fraction "two-thirds" is. Only a proper fraction of a common denominator before
    "of" or "majority": "24/7", "9/11", a date "3/4" or "3/4/2021" are no shares.

    >>> from harness.text.quantities.tokens import TokenDoc
    >>> [digit_fraction(TokenDoc(t), 0) is not None for t in ("2/3 of", "24/7 of", "3/4.")]
    [True, False, False]
    """
    found = _DIGIT_FRACTION.fullmatch(doc.toks[k].text)
    if found is None or doc.low(k + 1) not in ("of", "majority"):
        return None
    numerator, denominator = int(found.group(1)), int(found.group(2))
    if not 0 < numerator < denominator or denominator not in _SHARE_DENOMINATORS:
        return None
    value = numerator / denominator
    return Draft(k, k + 1, value, value, 0.0, "fraction")


MINUS_SIGNS = frozenset({"-", "\u2212"})
# what may stand right before a minus sign of a number: "(-5)", "\"-5", "at -5"
_BEFORE_MINUS = frozenset("([{\"'“‘:=~≈")


def minus_before(doc: TokenDoc, k: int) -> bool:
    """Whether the number at token ``k`` is negative: a minus sign ("-", "−") right
    before its digits (or currency symbol), itself after a space, a bracket or the
    start of the text, not a letter, digit or symbol ("COVID-19", "F-16", "2020-2021",
    "5%-10%") nor a number ("aged 5 -10"); or the word "minus", not after a number
    or "plus"/"or" ("10 minus 4", "plus or minus 5").

    >>> from harness.text.quantities.tokens import TokenDoc
    >>> [minus_before(TokenDoc(t), 1) for t in ("-5 C", "−3", "F-16", "10-12", "minus 40")]
    [True, True, False, False, True]
    """
    if k < 1:
        return False
    prev = doc.toks[k - 1]
    tok = doc.toks[k]
    if prev.text in MINUS_SIGNS:
        if tok.kind not in ("num", "numsuf", "sym") or not doc.adjacent(k - 1, k):
            return False
        if k >= 2 and (doc.toks[k - 2].kind in ("num", "numsuf") or doc.low(k - 2) == "%"):
            return False  # "aged 5 -10", "won 3 -2": a range or a score
        start = prev.start
        return start == 0 or doc.text[start - 1].isspace() or doc.text[start - 1] in _BEFORE_MINUS
    if prev.lower != "minus" or tok.kind == "punct":
        return False
    before = doc.toks[k - 2] if k >= 2 else None
    if before is None:
        return True
    if before.kind in ("num", "numsuf") or before.lower in ("plus", "or"):
        return False
    return not (before.lower in SMALL or before.lower in TENS or before.lower in SCALE_WORDS)


def negate(d: Draft, first: int) -> None:
    """Make ``d`` negative, its first token ``first`` (the minus sign); only counts,
    amounts and measured quantities have a sign (not ordinals, fractions, periods or dates)."""
    if d.kind not in ("count", "money", "quantity"):
        return
    d.value, d.number, d.first = -d.value, -d.number, first


def _hyphen_name_before(doc: TokenDoc, k: int) -> bool:
    """ "Covid-19", "Ai-95", "CDU-1": a word joined to the number by a hyphen."""
    if (
        k >= 2
        and doc.low(k - 1) == "-"
        and doc.adjacent(k - 1, k)
        and doc.adjacent(k - 2, k - 1)
        and doc.toks[k - 2].kind in ("word", "opaque")
    ):
        return doc.low(k - 2) not in YEAR_PREFIXES
    # glued to a word or number: "A25", "M23", the "8" of "LC16m8"; not to a currency
    # code ("USD5m", "EUR5 million" are amounts)
    return (
        k >= 1
        and doc.adjacent(k - 1, k)
        and doc.toks[k - 1].kind not in ("punct", "sym")
        and doc.toks[k - 1].text not in CURRENCY_CODES
    )


def _attached_suffix(doc: TokenDoc, k: int) -> Draft | None:
    tok = doc.toks[k]
    suffix = tok.suffix
    step = step_of(tok.num, tok.decimals)
    if suffix.lower() in ORDINAL_SUFFIXES and tok.decimals == 0:
        return Draft(k, k + 1, tok.num, tok.num, 1.0, "ordinal")
    if suffix == "m" and metre_after(doc, k + 1) and not _currency_before(doc, k):
        factor = 1e-3  # "the 100m sprint", "a 300m tall tower"; "16m people" is million
        return Draft(
            k, k + 1, tok.num * factor, tok.num, step * factor, "quantity", "km", factor=factor
        )
    if suffix in ATTACHED_SCALES or (suffix == "MM" and _currency_before(doc, k)):
        # "$1.5MM": the accounting abbreviation of million (elsewhere "5MM" is millimetres)
        scale = ATTACHED_SCALES.get(suffix, 1e6)
        return Draft(
            k, k + 1, tok.num * scale, tok.num * scale, step * scale, "count",
            scaled=True, scale=scale,
        )  # fmt: skip
    unit = ATTACHED_UNITS.get(suffix) or ATTACHED_UNITS.get(suffix.lower())
    if unit is not None and suffix != "m":
        canonical, factor = unit
        return Draft(
            k, k + 1, tok.num * factor, tok.num, step * factor, "quantity", canonical,
            factor=factor,
        )  # fmt: skip
    return None


def metre_after(doc: TokenDoc, j: int) -> bool:
    """Whether an "m" right before token ``j`` is metres: a word of `METRE_AFTER`
    ("tall", "deep", "sprint") not joined by a hyphen ("2m long-term jobless"), or
    "in length" and the like."""
    w = doc.low(j)
    if w == "in":
        return doc.low(j + 1) in METRE_AFTER_IN
    return w in METRE_AFTER and not (doc.low(j + 1) == "-" and doc.adjacent(j, j + 1))


def _currency_before(doc: TokenDoc, k: int) -> bool:
    """ "$300m", "USD 300m": a currency before the digits at ``k`` (then "m" is million)."""
    prev = doc.toks[k - 1] if k >= 1 else None
    if prev is None:
        return False
    return prev.kind == "sym" or prev.text in CURRENCY_CODES or prev.text in CURRENCY_PREFIX_WORDS


def _word_core(doc: TokenDoc, k: int) -> Draft | None:
    low = doc.low(k)
    if low in ("a", "an"):
        return _article_core(doc, k)
    if low in PERIOD_LEADS and doc.low(k + 1) in ("fortnight", "decade", "century"):
        return _period_core(doc, k)
    if low in ORDINAL_WORDS or (low in TENS and _ordinal_compound(doc, k)):
        return _ordinal_word(doc, k)
    if low in SMALL or low in TENS:
        return _spelled(doc, k)
    return None


def _ordinal_compound(doc: TokenDoc, k: int) -> bool:
    """ "twenty-first": tens, hyphen, ordinal unit."""
    return (
        doc.low(k + 1) == "-"
        and doc.adjacent(k, k + 1)
        and doc.adjacent(k + 1, k + 2)
        and doc.low(k + 2) in ORDINAL_WORDS
        and ORDINAL_WORDS[doc.low(k + 2)] < 10
    )


def _ordinal_word(doc: TokenDoc, k: int) -> Draft | None:
    low = doc.low(k)
    if _names_a_part_of_the_text(doc, k):
        return None
    if low in TENS:
        value = TENS[low] + ORDINAL_WORDS[doc.low(k + 2)]
        return Draft(k, k + 3, value, value, 1.0, "ordinal", spelled=True)
    if low == "first":
        period = _first_months(doc, k)
        if period is not None:
            return period
    if low == "second":
        prev = doc.low(k - 1)
        if prev in ("per", "a", "one", "split") and not _noun_follows(doc, k):
            return None
    if low in ("third", "fifth", "sixth", "eighth", "tenth", "quarter"):
        prev = doc.low(k - 1)
        if prev in ("a", "one") and doc.low(k + 1) == "of":
            share = 1 / FRACTION_WORDS[low]
            return Draft(k - 1, k + 1, share, share, 0.0, "fraction", spelled=True)
    rank = float(ORDINAL_WORDS[low])
    return Draft(k, k + 1, rank, rank, 1.0, "ordinal", spelled=True)


def _names_a_part_of_the_text(doc: TokenDoc, k: int) -> bool:
    """ "the second half of the document": where in the summarized text, not a quantity."""
    return (
        doc.low(k + 1) in TEXT_PARTS
        and doc.low(k + 2) == "of"
        and doc.low(k + 3) in ("the", "this", "that")
        and doc.low(k + 4) in TEXT_NOUNS
    )


def _first_months(doc: TokenDoc, k: int) -> Draft | None:
    """ "the first two months of 2025", "the first half of 2024": a date range."""
    nxt = doc.low(k + 1)
    months = {"half": 6, "quarter": 3}.get(nxt, 0)
    j = k + 2
    if not months:
        core = core_at(doc, k + 1) if k + 1 < doc.n else None
        if core is None or core.kind != "count" or doc.low(core.last) != "months":
            return None
        months = int(core.value) if core.value == int(core.value) else 0
        j = core.last + 1
    if not 1 <= months <= 12 or doc.low(j) != "of":
        return None
    year = doc.year_at(j + 1)
    if not year:
        return None
    return date_draft(k, j + 2, year, 1, 0, high=(year, months, 0))


def _noun_follows(doc: TokenDoc, k: int) -> bool:
    return doc.is_word(k + 1) and doc.low(k + 1) not in STOPWORDS


def _period_core(doc: TokenDoc, k: int) -> Draft | None:
    """ "the past fortnight", "the last decade": one unit of a long period."""
    low = doc.low(k + 1)
    days = TIME_UNITS[low]
    if doc.low(k + 2) in ("-", "'", "’") or doc.low(k + 2) in RELATIVE_AFTER:
        return None
    return Draft(k + 1, k + 2, days, 1.0, days, "duration", "day", spelled=True, factor=days)


def _article_core(doc: TokenDoc, k: int) -> Draft | None:
    """ "a dozen", "a million", "a million and a half", "a fortnight", "a third of", "by a
    third", "a year"."""
    nxt = doc.low(k + 1)
    if nxt == "dozen":
        return Draft(k, k + 2, 12.0, 12.0, 1.0, "count", spelled=True)
    if nxt in ("hundred", "thousand", "million", "billion", "trillion"):
        scale = 100.0 if nxt == "hundred" else SCALE_WORDS[nxt]
        if [doc.low(k + o) for o in (2, 3, 4)] == ["and", "a", "half"]:
            value = 1.5 * scale  # "a million and a half"
            half = scale / 2
            return Draft(
                k, k + 5, value, value, half, "count", scaled=True, spelled=True, scale=scale
            )
        return Draft(k, k + 2, scale, scale, scale, "count", scaled=True, spelled=True, scale=scale)
    # "a third of", "cut by a third": a share ("by a third route" is an ordinal)
    after = doc.low(k + 2)
    if nxt in FRACTION_WORDS and (
        after == "of"
        or (
            doc.low(k - 1) == "by"
            and (not doc.is_word(k + 2) or after in STOPWORDS or after in ("last", "next"))
        )
    ):
        value = 1 / FRACTION_WORDS[nxt]
        return Draft(k, k + 2, value, value, 0.0, "fraction", spelled=True)
    if nxt in ("fortnight", "decade", "century", "year", "month", "week", "day", "hour"):
        if _is_rate_position(doc, k) or doc.low(k + 2) in RELATIVE_AFTER:
            return None
        if nxt in ("day", "hour") and not _duration_context(doc, k):
            return None
        if doc.low(k + 2) == "-" or doc.low(k + 2) == "and":
            return None  # "a year-long", "a year and a half"
        days = TIME_UNITS[nxt]
        return Draft(k, k + 2, days, 1.0, days, "duration", "day", spelled=True, factor=days)
    return None


def _duration_context(doc: TokenDoc, k: int) -> bool:
    """ "for a day", "within an hour": a preposition of time before the article."""
    return doc.low(k - 1) in ("for", "within", "in", "than", "after", "over", "nearly")


def _is_rate_position(doc: TokenDoc, k: int) -> bool:
    """ "twice a year", "14 hours a day": the article follows a quantity or frequency."""
    prev = doc.toks[k - 1] if k >= 1 else None
    if prev is None:
        return False
    if prev.lower in ("once", "twice", "times", "thrice"):
        return True
    for back in range(1, 4):
        tok = doc.toks[k - back] if k - back >= 0 else None
        if tok is None or tok.kind == "punct" or tok.lower in BOUNDARY_WORDS:
            break
        if tok.lower in TIME_PREPOSITIONS:
            return False  # "wounded in a week", "within a year"
        if tok.kind in ("num", "numsuf") or (tok.lower,) in UNITS:
            return True
        if tok.lower in SCALE_WORDS or tok.lower == "dozen":
            return True
    return prev.kind == "word" and (
        prev.lower in TIME_UNITS
        or prev.lower in SMALL
        or prev.lower in SCALE_WORDS
        or (prev.lower.endswith("s") and prev.lower not in STOPWORDS)
        or tuple([prev.lower]) in UNITS
    )


def _spelled(doc: TokenDoc, k: int) -> Draft | None:
    low = doc.low(k)
    if low == "one":
        compound = doc.low(k + 1) == "-" and doc.adjacent(k, k + 1)
        if doc.low(k - 1) in NOT_SPELLED_ONE_BEFORE and not compound:
            return None
        if doc.low(k + 1) in NOT_SPELLED_ONE_AFTER:
            return None
        nxt = doc.toks[k + 1] if k + 1 < doc.n else None
        pronoun = nxt is None or nxt.kind == "punct" or nxt.lower in STOPWORDS
        if pronoun and doc.low(k - 2) in ("a", "an", "the") and not compound:
            return None  # "not a distressed one."
        if doc.low(k + 1) == "-" and doc.low(k + 2) in ("off", "on", "way", "sided"):
            return None
        if doc.low(k + 1) in ("another", "way") or doc.low(k - 1) == "one":
            return None
    total = 0.0
    current = 0.0
    prev = ""
    j = k
    scaled = False
    scale = 1.0
    while j < doc.n and doc.toks[j].kind in ("word", "punct"):
        w = doc.low(j)
        if w in SMALL:
            v = SMALL[w]
            if prev in ("", "hundred", "scale") or (prev == "tens" and v < 10):
                current += v
                prev = "unit" if v < 10 else "teen"
            else:
                break
        elif w in TENS:
            if prev in ("", "hundred", "scale"):
                current += TENS[w]
                prev = "tens"
            else:
                break
        elif w == "hundred" and prev in ("unit", "teen", "tens"):
            current = current * 100
            prev = "hundred"
        elif w in SCALE_WORDS and prev in ("unit", "teen", "tens", "hundred", "half"):
            total += current * SCALE_WORDS[w]
            current = 0.0
            prev = "scale"
            scaled = True
            scale = min(scale, SCALE_WORDS[w]) if scale > 1 else SCALE_WORDS[w]
        elif w == "dozen" and prev in ("unit", "teen", "tens"):
            current *= 12
            prev = "dozen"
        elif _joiner(doc, j, prev):
            pass
        elif (
            w == "and"
            and prev in ("unit", "teen", "tens")
            and doc.low(j + 1) == "a"
            and doc.low(j + 2) == "half"
        ):
            current += 0.5
            prev = "half"
            j += 3
            continue
        else:
            break
        j += 1
    value = total + current
    if j == k:
        return None
    # trailing connector tokens are not part of the number
    while j > k and doc.low(j - 1) in ("-", "and"):
        j -= 1
    step = step_of(value, 0) if value == int(value) else 0.5 * scale
    return Draft(
        k, j, value, value, step, "count", scaled=scaled, spelled=True,
        scale=scale,
    )  # fmt: skip


def _joiner(doc: TokenDoc, j: int, prev: str) -> bool:
    """A hyphen inside "twenty-one" or the "and" of "three hundred and twenty"."""
    w = doc.low(j)
    if w == "-":
        return (
            prev == "tens"
            and doc.adjacent(j - 1, j)
            and doc.adjacent(j, j + 1)
            and SMALL.get(doc.low(j + 1), 99) < 10
        )
    return (
        w == "and"
        and prev in ("hundred", "scale")
        and (doc.low(j + 1) in SMALL or doc.low(j + 1) in TENS)
    )
