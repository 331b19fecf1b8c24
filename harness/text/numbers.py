"""Find the quantities in a text and normalise them so they can be compared.

`extract_quantities` turns text into `Quantity` records: counts, money,
percentages, measured quantities, durations, dates, years, ordinals and
fractions, each with a normalised value, a unit, a qualifier ("at least"),
an upper end for ranges, the thing counted and the context cues (died,
wounded, exports, rose...) that the ``numbers`` metric uses to tell
"300 died" from "300 wounded".

It is a rule-based scanner over the raw text (a regular-expression
tokeniser plus a small lexicon); no statistical model is needed. A 300-word
news article takes about a millisecond, sentence splitting by
`harness.text.sentence_spans` included (1,000 articles in about 1.5 s on one
core). Penn-Treebank-style spacing, as in the CNN/DailyMail sources of QAGS
("13 , 000", "122 . 5", "27 - year - old"), is read as the number it splits.

Kinds and normalisation (``Quantity.kind`` / ``unit`` / ``value``):

========== ================================ ===========================================
kind       unit                             value
========== ================================ ===========================================
count      ``None`` (or ``"/day"`` etc. for  the number, scale words applied:
           rates such as "150 a week")       "16m" = 16e6, "twelve hundred" = 1200
money      ISO code ("USD", "EUR", "GBP",   amount in that currency: "$4.2bn" = 4.2e9
           ...) or a generic name for
           ambiguous currencies ("peso",
           "krone", "shilling"); rates as
           "USD/barrel"
percent    ``"%"``, or ``"pp"`` for          7% = 7.0; "30 basis points" = 0.3 pp
           percentage points
quantity   canonical unit: tonne, km, ha,    converted: "740 kg" = 0.74 tonne,
           m3, MW, MWh, kV, km/h, °C,        "16 miles" = 25.7 km; "21-year-old" has
           barrel, barrel/day, kcal, age     unit "age"
duration   ``"day"`` (rates: ``"day/day"``)  days: year = 365, month = 365/12, week = 7,
                                             fortnight = 14, decade = 3650, hour = 1/24;
                                             so 12 months = 1 year = 365 days
date       ``"day"`` or ``"month"``          ``YYYYMMDD`` with unknown parts 0:
           (granularity)                     "January 12" = 112, "March 2024" = 20240300
year       ``None``                          the year; "2025/26" = 2025 with high 2026
ordinal    ``None``                          "second" = 2, "11th" = 11
fraction   ``None``                          "two-thirds" = 0.667, "a fifth of" = 0.2
========== ================================ ===========================================

Ranges ("7-8", "7 to 8", "between 300 and 400", "January 7-8", "June 6 and
June 12") are one quantity with ``high`` set; the first end inherits a
missing scale, unit or currency from the second ("1.34 and 1.37 million
tonnes"). "A to B" with A >= B ("seven to two", "258 to 141") or after
"from"/"by" ("from 60 to 64") is two quantities, not a range.

Context (`Quantity.context`, read by the ``numbers`` metric) is a sorted
tuple of classes: those of cue words near the number (`CUE_CLASSES`: "died"
-> death, "exports" -> export, "rose" -> increase, "total" -> total,
"earlier" -> past, "than" -> compare, ...); the type of the counted noun
(`NOUN_TYPES`: "soldiers" -> person, "homes" -> building, ...); and markers:
``baseline`` (the earlier side of a comparison: "up from 12.4 million",
"fell to 4.1% from 4.6%", "compared with 640"), ``part`` (a part of a larger
quantity: "31 of 44", "14 of them", "including three"), and ``dated`` with
``dated:<when>`` (a date, year or month right after it: "2,310 on January
28" -> ``dated:d128``, "5.5% in August" -> ``dated:m8``).

What a number is stated of beyond those classes is kept as its *frame*
(`Quantity.frame`: stemmed content words before it in its clause, "the IMF
cut its growth forecast to 2.8%" -> imf, growth, forecast), with the words
of its whole sentence (`Quantity.sentence_words`); a value stated "each" for
several coordinated names records how many (`Quantity.each`: "Ukraine and
Russia exchanged 95 prisoners each" -> 2).

Not extracted (deliberately): clock times ("04:17", "2:03"; but race times
"2:03:11" are durations), phone numbers, numbers inside names ("Covid-19",
"M23", "Ariane 6", "Ligue 1"), "one of the", "no one", "one-off", vague
plurals ("thousands", "dozens"), "half", and relative-time idioms ("a year
earlier", "a week ago").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal, NamedTuple

from harness.text.sentences import sentence_spans

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
        value: Normalised value (see the module docstring), the low end for ranges.
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
        each: How many parties the value is stated for each of: "Ukraine and
            Russia exchanged 95 prisoners each" -> 2 (the names joined by
            "and" or commas before it in the sentence); else 0.
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

    @property
    def is_range(self) -> bool:
        """Whether this is a range (``high`` is set)."""
        return self.high is not None

    def describe(self) -> str:
        """A short human description: the text, then what it counts and its cues.

        >>> extract_quantities("Some 300 soldiers died.")[0].describe()
        '300 (soldier, died)'
        """
        extra = [word for word in (self.counted, *self.cues) if word]
        seen: list[str] = []
        for word in extra:
            if word not in seen:
                seen.append(word)
        return f"{self.text} ({', '.join(seen)})" if seen else self.text


# --- lexicon -----------------------------------------------------------------

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALE_WORDS = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "lakh": 1e5,
    "lakhs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
}
# abbreviations written after a space ("16 mln", "2 bn")
_SPACED_SCALES = {"mln": 1e6, "mn": 1e6, "bln": 1e9, "bn": 1e9, "tn": 1e12, "trn": 1e12}
# abbreviations attached to the digits ("16m", "$4.2bn", "$250k")
_ATTACHED_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "K": 1e3,
    "m": 1e6,
    "M": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "B": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
    "thousandth": 1000,
}
_FRACTION_WORDS = {
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "eighth": 8,
    "eighths": 8,
    "tenth": 10,
    "tenths": 10,
}
_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

_DAY = 1.0
_YEAR = 365.0
# time unit -> length in days
_TIME_UNITS = {
    "second": 1 / 86400,
    "seconds": 1 / 86400,
    "sec": 1 / 86400,
    "secs": 1 / 86400,
    "minute": 1 / 1440,
    "minutes": 1 / 1440,
    "min": 1 / 1440,
    "mins": 1 / 1440,
    "hour": 1 / 24,
    "hours": 1 / 24,
    "hr": 1 / 24,
    "hrs": 1 / 24,
    "day": _DAY,
    "days": _DAY,
    "week": 7.0,
    "weeks": 7.0,
    "fortnight": 14.0,
    "fortnights": 14.0,
    "month": _YEAR / 12,
    "months": _YEAR / 12,
    "year": _YEAR,
    "years": _YEAR,
    "decade": 10 * _YEAR,
    "decades": 10 * _YEAR,
    "century": 100 * _YEAR,
    "centuries": 100 * _YEAR,
}
# singular name of each time unit, for rates ("a day" -> "/day")
_TIME_SINGULAR = {
    word: (word[:-1] if word.endswith("s") and word not in {"hrs", "mins", "secs"} else word)
    for word in _TIME_UNITS
}
_TIME_SINGULAR.update({"hrs": "hour", "hr": "hour", "mins": "minute", "min": "minute"})
_TIME_SINGULAR.update({"secs": "second", "sec": "second", "centuries": "century"})

# measurement units: lowercased word sequence -> (canonical unit, factor)
_UNITS: dict[tuple[str, ...], tuple[str, float]] = {}


def _add_units(canonical: str, factor: float, *names: str) -> None:
    for name in names:
        _UNITS[tuple(name.split())] = (canonical, factor)


_add_units("tonne", 1.0, "tonne", "tonnes", "ton", "tons", "metric tons", "metric tonnes")
_add_units("tonne", 1.0, "net tons", "net tonnes", "gross tons", "gross tonnes", "mt")
_add_units("tonne", 1e-3, "kg", "kgs", "kilogram", "kilograms", "kilogrammes", "kilo", "kilos")
_add_units("tonne", 1e-6, "gram", "grams", "g")
_add_units("km", 1.0, "km", "kms", "kilometre", "kilometres", "kilometer", "kilometers")
_add_units("km", 1e-3, "metre", "metres", "meter", "meters")
_add_units("km", 1e-5, "cm", "centimetre", "centimetres", "centimeter", "centimeters")
_add_units("km", 1e-6, "mm", "millimetre", "millimetres", "millimeter", "millimeters")
_add_units("km", 1.609344, "mile", "miles")
_add_units("km", 1.852, "nautical mile", "nautical miles")
_add_units("ha", 1.0, "ha", "hectare", "hectares")
_add_units("ha", 100.0, "km2", "km²", "sq km", "square kilometres", "square kilometers")
_add_units("ha", 1e-4, "m2", "m²", "sq m", "square metres", "square meters")
_add_units("ha", 0.40468564224, "acre", "acres")
_add_units("m3", 1.0, "m3", "m³", "cubic metre", "cubic metres", "cubic meter", "cubic meters")
_add_units("m3", 1e-3, "litre", "litres", "liter", "liters")
_add_units("m3", 1e9, "bcm")
_add_units("MW", 1.0, "mw", "megawatt", "megawatts")
_add_units("MW", 1e3, "gw", "gigawatt", "gigawatts")
_add_units("MW", 1e-3, "kw", "kilowatt", "kilowatts")
_add_units("MWh", 1.0, "mwh", "megawatt-hours", "megawatt hours")
_add_units("MWh", 1e3, "gwh", "gigawatt-hours", "gigawatt hours")
_add_units("MWh", 1e6, "twh", "terawatt-hours", "terawatt hours")
_add_units("MWh", 1e-3, "kwh", "kilowatt-hours", "kilowatt hours")
_add_units("kV", 1.0, "kv", "kilovolt", "kilovolts")
_add_units("km/h", 1.0, "km/h", "kmh", "kph", "kilometres per hour", "kilometers per hour")
_add_units("km/h", 1.609344, "mph", "miles per hour")
_add_units("km/h", 1.852, "knot", "knots")
_add_units("°C", 1.0, "°c", "degrees celsius", "degrees c", "celsius")
_add_units("°F", 1.0, "°f", "degrees fahrenheit", "fahrenheit")
_add_units("barrel/day", 1.0, "bpd", "b/d", "barrels per day", "barrels a day")
_add_units("barrel/day", 1.0, "barrel per day", "barrel a day")
_add_units("barrel", 1.0, "barrel", "barrels", "bbl")
_add_units("kcal", 1.0, "kcal", "kilocalorie", "kilocalories", "calories")
_MAX_UNIT_WORDS = max(len(key) for key in _UNITS)
_UNIT_FIRST_WORDS = frozenset(key[0] for key in _UNITS)
# units written attached to the digits ("40C", "10km", "650MW")
_ATTACHED_UNITS = {
    "C": ("°C", 1.0),
    "F": ("°F", 1.0),
    "km": ("km", 1.0),
    "kms": ("km", 1.0),
    "m": ("km", 1e-3),  # only used when "m" cannot be "million" (never, see _attached_suffix)
    "cm": ("km", 1e-5),
    "mm": ("km", 1e-6),
    "kg": ("tonne", 1e-3),
    "t": ("tonne", 1.0),
    "ha": ("ha", 1.0),
    "km2": ("ha", 100.0),
    "km²": ("ha", 100.0),
    "MW": ("MW", 1.0),
    "GW": ("MW", 1e3),
    "kW": ("MW", 1e-3),
    "MWh": ("MWh", 1.0),
    "GWh": ("MWh", 1e3),
    "TWh": ("MWh", 1e6),
    "kWh": ("MWh", 1e-3),
    "kV": ("kV", 1.0),
    "bpd": ("barrel/day", 1.0),
    "mph": ("km/h", 1.609344),
}

# currencies ------------------------------------------------------------------
_CURRENCY_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₴": "UAH",
    "₺": "TRY",
    "₦": "NGN",
    "R$": "BRL",
    "C$": "CAD",
    "A$": "AUD",
    "HK$": "HKD",
    "NZ$": "NZD",
    "S$": "SGD",
}
_CURRENCY_CODES = {
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "CNY",
    "CHF",
    "RUB",
    "UAH",
    "KRW",
    "INR",
    "BRL",
    "CAD",
    "AUD",
    "HKD",
    "NZD",
    "SGD",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "HUF",
    "CZK",
    "RON",
    "TRY",
    "ZAR",
    "NGN",
    "KES",
    "EGP",
    "MXN",
    "ARS",
    "COP",
    "CLP",
    "PEN",
    "PHP",
    "IDR",
    "MYR",
    "THB",
    "VND",
    "SAR",
    "AED",
    "QAR",
    "ILS",
    "PKR",
    "BDT",
    "ISK",
    "UGX",
    "TZS",
    "XOF",
}
# generic currency names (ambiguous between countries) and the codes they may be
CURRENCY_FAMILIES: dict[str, frozenset[str]] = {
    "krone": frozenset({"NOK", "SEK", "DKK", "ISK", "CZK"}),
    "peso": frozenset({"MXN", "COP", "PHP", "CLP", "ARS", "UYU", "DOP", "CUP"}),
    "shilling": frozenset({"KES", "UGX", "TZS", "SOS"}),
    "franc": frozenset({"CHF", "XOF", "XAF", "RWF", "BIF", "GNF"}),
    "dinar": frozenset({"DZD", "IQD", "JOD", "KWD", "LYD", "RSD", "TND", "BHD"}),
}
# currency prefixes written as words ("Rs 4,200 crore")
_CURRENCY_PREFIX_WORDS = {"Rs": "INR", "Rs.": "INR", "NOK": "NOK"}
# lowercased currency words after the number; multi-word names first
_CURRENCY_WORDS: dict[tuple[str, ...], str] = {
    ("us", "dollars"): "USD",
    ("us", "dollar"): "USD",
    ("canadian", "dollars"): "CAD",
    ("australian", "dollars"): "AUD",
    ("hong", "kong", "dollars"): "HKD",
    ("swiss", "francs"): "CHF",
    ("swiss", "franc"): "CHF",
    ("cfa", "francs"): "XOF",
    ("norwegian", "crowns"): "NOK",
    ("norwegian", "kroner"): "NOK",
    ("norwegian", "krone"): "NOK",
    ("swedish", "crowns"): "SEK",
    ("swedish", "kronor"): "SEK",
    ("swedish", "krona"): "SEK",
    ("danish", "crowns"): "DKK",
    ("danish", "kroner"): "DKK",
    ("danish", "krone"): "DKK",
    ("czech", "crowns"): "CZK",
    ("czech", "korunas"): "CZK",
    ("czech", "koruna"): "CZK",
    ("icelandic", "kronur"): "ISK",
    ("mexican", "pesos"): "MXN",
    ("colombian", "pesos"): "COP",
    ("philippine", "pesos"): "PHP",
    ("chilean", "pesos"): "CLP",
    ("argentine", "pesos"): "ARS",
    ("kenyan", "shillings"): "KES",
    ("ugandan", "shillings"): "UGX",
    ("tanzanian", "shillings"): "TZS",
    ("indian", "rupees"): "INR",
    ("pakistani", "rupees"): "PKR",
    ("pounds", "sterling"): "GBP",
    ("dollar",): "USD",
    ("dollars",): "USD",
    ("euro",): "EUR",
    ("euros",): "EUR",
    ("pound",): "GBP",
    ("pounds",): "GBP",
    ("sterling",): "GBP",
    ("yen",): "JPY",
    ("yuan",): "CNY",
    ("renminbi",): "CNY",
    ("rouble",): "RUB",
    ("roubles",): "RUB",
    ("ruble",): "RUB",
    ("rubles",): "RUB",
    ("hryvnia",): "UAH",
    ("hryvnias",): "UAH",
    ("hryvnas",): "UAH",
    ("won",): "KRW",
    ("rupee",): "INR",
    ("rupees",): "INR",
    ("lei",): "RON",
    ("leu",): "RON",
    ("sol",): "PEN",
    ("soles",): "PEN",
    ("reais",): "BRL",
    ("real",): "BRL",
    ("rand",): "ZAR",
    ("naira",): "NGN",
    ("lira",): "TRY",
    ("liras",): "TRY",
    ("zloty",): "PLN",
    ("zlotys",): "PLN",
    ("forint",): "HUF",
    ("forints",): "HUF",
    ("baht",): "THB",
    ("ringgit",): "MYR",
    ("rupiah",): "IDR",
    ("dong",): "VND",
    ("riyal",): "SAR",
    ("riyals",): "SAR",
    ("dirham",): "AED",
    ("dirhams",): "AED",
    ("shekel",): "ILS",
    ("shekels",): "ILS",
    # ambiguous between countries: a generic name, compared by name
    ("peso",): "peso",
    ("pesos",): "peso",
    ("krone",): "krone",
    ("kroner",): "krone",
    ("crown",): "krone",
    ("crowns",): "krone",
    ("krona",): "krone",
    ("kronor",): "krone",
    ("shilling",): "shilling",
    ("shillings",): "shilling",
    ("franc",): "franc",
    ("francs",): "franc",
    ("dinar",): "dinar",
    ("dinars",): "dinar",
}

_CURRENCY_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _name, _code in sorted(_CURRENCY_WORDS.items(), key=lambda item: -len(item[0])):
    _CURRENCY_BY_FIRST.setdefault(_name[0], []).append((_name, _code))
# qualifiers before a number (lowercased word sequences), longest first
_QUALIFIERS = sorted(
    (
        tuple(q.split())
        for q in (
            "at least",
            "at most",
            "more than",
            "less than",
            "fewer than",
            "greater than",
            "no more than",
            "no fewer than",
            "no less than",
            "not more than",
            "up to",
            "as many as",
            "as much as",
            "as few as",
            "as little as",
            "upwards of",
            "in excess of",
            "close to",
            "just over",
            "just under",
            "well over",
            "well below",
            "well above",
            "an estimated",
            "estimated",
            "over",
            "under",
            "above",
            "below",
            "exceeding",
            "about",
            "around",
            "approximately",
            "roughly",
            "nearly",
            "almost",
            "some",
            "circa",
        )
    ),
    key=len,
    reverse=True,
)
_QUALIFIERS_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _words in _QUALIFIERS:
    _QUALIFIERS_BY_LAST.setdefault(_words[-1], []).append(_words)
APPROXIMATE = frozenset({"about", "around", "approximately", "roughly", "some", "circa"})
APPROXIMATE |= {"an estimated", "estimated", "close to"}
LOWER_BOUND = frozenset(
    {
        "at least",
        "more than",
        "greater than",
        "no fewer than",
        "no less than",
        "upwards of",
        "in excess of",
        "just over",
        "well over",
        "well above",
        "over",
        "above",
        "exceeding",
    }
)
UPPER_BOUND = frozenset(
    {
        "at most",
        "less than",
        "fewer than",
        "no more than",
        "not more than",
        "up to",
        "as many as",
        "as much as",
        "as few as",
        "as little as",
        "just under",
        "well below",
        "under",
        "below",
        "nearly",
        "almost",
    }
)

# context classes of cue words near a number (see harness.metric.numbers)
CUE_CLASSES: dict[str, tuple[str, ...]] = {}


def _add_cues(cls: str, *words: str) -> None:
    for word in words:
        CUE_CLASSES[word] = (*CUE_CLASSES.get(word, ()), cls)


_add_cues("death", "killed", "kill", "kills", "killing", "dead", "die", "died", "dies", "dying")
_add_cues("death", "death", "deaths", "perished", "perish", "fatalities", "fatality", "toll")
_add_cues("death", "drowned", "lives", "bodies", "slain", "fatal")
_add_cues("injury", "wounded", "wound", "wounds", "wounding", "injured", "injure", "injuring")
_add_cues("injury", "injuries", "injury", "hurt", "hospitalised", "hospitalized", "hospital")
_add_cues("casualty", "casualties", "casualty")
_add_cues("missing", "missing", "unaccounted")
_add_cues("displaced", "displaced", "fled", "flee", "fleeing", "uprooted", "homeless")
_add_cues("displaced", "evacuated", "evacuate", "evacuation", "refugees")
_add_cues("rescued", "rescued", "rescue", "saved", "alive")
_add_cues("arrested", "arrested", "arrest", "arrests", "detained", "detention")
_add_cues("case", "cases", "infections", "infected", "infection")
_add_cues("affected", "affected")
_add_cues("export", "exports", "export", "exported", "exporting", "outbound")
_add_cues("import", "imports", "import", "imported", "importing", "inbound")
_add_cues("increase", "rose", "rise", "rises", "rising", "risen", "up", "increase", "increased")
_add_cues("increase", "increases", "increasing", "grew", "gained", "gain", "gains", "climbed")
_add_cues("increase", "climb", "jumped", "jump", "surged", "higher", "raised", "raise", "raising")
_add_cues("increase", "strengthened", "firmed", "doubled", "tripled")
_add_cues("decrease", "fell", "fall", "falls", "falling", "fallen", "down", "decrease")
_add_cues("decrease", "decreased", "decline", "declined", "declines", "dropped", "drop", "drops")
_add_cues("decrease", "cut", "cuts", "cutting", "slipped", "lower", "lowered", "lowering")
_add_cues("decrease", "reduced", "reduce", "reducing", "reduction", "shrank", "eased", "slowed")
_add_cues("decrease", "weakened", "plunged", "tumbled", "slumped", "narrowed", "lost")
_add_cues("revenue", "revenue", "revenues", "sales", "turnover")
_add_cues("profit", "profit", "profits", "earnings")
_add_cues("spending", "spending", "spend", "spent", "expenditure", "expenditures", "expenses")
_add_cues("damaged", "damaged", "damage", "damaging")
_add_cues("destroyed", "destroyed", "destroy", "collapsed", "razed", "flattened")
_add_cues("launched", "launched", "launch", "fired")
_add_cues("total", "total", "totalled", "totaled", "totals", "combined", "overall", "altogether")
_add_cues("total", "together", "cumulative", "aggregate", "sum")
_add_cues("intercepted", "intercepted", "downed", "destroyed")
_add_cues("past", "earlier", "previous", "previously", "ago", "prior", "formerly", "before")
_add_cues("compare", "than", "double", "twice", "triple", "half", "compared", "versus")

# types of counted nouns (the "thing" a count counts); a count of people is not
# a count of buildings. Nouns not listed have no type and never conflict.
NOUN_TYPES: dict[str, str] = {}


def _add_nouns(kind: str, words: str) -> None:
    for word in words.split():
        NOUN_TYPES[word] = kind


_add_nouns(
    "person",
    """people person civilian soldier troop serviceman servicemen worker employee staff child
    kid minor woman man adult resident inhabitant citizen refugee migrant patient firefighter
    rescuer volunteer official voter passenger prisoner hostage detainee student pupil teacher
    nurse doctor medic rebel fighter militant insurgent police policeman officer journalist
    reporter villager miner farmer crew sailor seafarer player runner athlete protester
    demonstrator lawmaker deputy senator observer peacekeeper infant baby pilgrim tourist
    visitor victim survivor customer subscriber fan spectator vaccinator personnel expert
    engineer pilot guard scientist researcher mourner evacuee defector conscript recruit""",
)
_add_nouns(
    "building",
    "building home house dwelling apartment flat structure school hospital church mosque",
)
_add_nouns("settlement", "village town city municipality settlement hamlet")
_add_nouns("country", "country nation")
_add_nouns("vehicle", "vehicle truck car bus tank lorry van")
_add_nouns("vessel", "ship vessel tanker boat ferry freighter")
_add_nouns("aircraft", "aircraft plane jet helicopter airliner")
_add_nouns("weapon", "drone missile rocket shell bomb mine")
_add_nouns("incident", "attack strike raid explosion blast incident aftershock quake earthquake")
_add_nouns("animal", "animal cattle cow sheep goat pig bird rhino elephant deer livestock")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _word_set(
    """a an the of in on at to for from by with and or but as than that this these those
    it its their his her our your them they he she we you i is are was were be been being
    have has had do does did will would could should may might can must shall not no
    which who whom whose what when where while so such each every any all some more most
    other another per into onto over under about around up down out off since until
    after before between during within without against among across through via than
    then there here also only just even still yet already nearly almost roughly
    about s t said says say according"""
)
# reporting verbs: who reports a number says nothing about what it counts
_REPORTING = _word_set(
    """reported report reports reporting announced announce announces told tell tells
    added adds stated states noted notes claimed claims estimated estimates showed shows
    confirmed confirms cited cites quoted quotes"""
)
_FRAME_WORDS = 12  # words before a quantity searched for its frame
_WEEKDAYS = _word_set("monday tuesday wednesday thursday friday saturday sunday")
# words that link a quantity to another rather than say what it is of
_LINKS = _word_set("including include includes included among excluding plus")
# kinds whose frame a following "to"/"from" value shares
_FRAMED_KINDS = frozenset({"count", "money", "percent", "quantity"})
_BOUNDARY_WORDS = frozenset({"and", "but", "while", "whereas", "which", "who", "although"})
_BOUNDARY_PUNCT = frozenset(',;:()[]{}"“”!?—–…')
_YEAR_PREPOSITIONS = frozenset(
    {"in", "since", "by", "from", "until", "till", "to", "of", "before", "after", "and"}
    | {"between", "during", "through", "mid", "early", "late", "end", "fiscal", "the", "year"}
)
# words before a bare number that make it part of a name if capitalised
_CAPITALISED_OK = _word_set(
    """the in on at by of about some nearly almost around only just over under since from
    until after before between to and another all roughly approximately more fewer less
    up top another with for as among including exactly another those these"""
)
# prefixes that may be joined to a year with a hyphen ("mid-2024")
_YEAR_PREFIXES = frozenset({"mid", "pre", "post", "early", "late", "end", "start", "fy"})
# relative-time idioms after "a/an <unit>": not a duration
_RELATIVE_AFTER = frozenset({"earlier", "ago", "before", "later", "after", "previously", "on"})
# verbs whose "up"/"down" is a particle, not a direction ("set up", "shut down")
_PHRASAL = _word_set(
    """set sets setting made make makes making took take takes taken picked pick end ended
    ends shored stepped step back backed line lined signed sign built build drew draw drawn
    turned turn showed show called call shut shutting broke broken break bring brought run
    running ran cracked crack handed hand put let tracked track wind winding slowed slow paid
    pay wrote write written settled settle knocked knock closed close start started shot
    shoot shooting gunned scaled scale played play"""
)
_RATE_LEADS = frozenset({"a", "an", "per", "each", "every"})
_TIME_PREPOSITIONS = frozenset(
    {"in", "for", "within", "over", "during", "after", "than", "before", "since", "by", "at"}
    | {"on", "about", "nearly", "almost", "under", "around", "throughout", "took", "take"}
)
_TIME_ADJECTIVES = frozenset(
    {"consecutive", "straight", "successive", "full", "more", "further", "additional", "extra"}
)
_RATE_NOUNS_AFTER_A = frozenset(
    {"barrel", "tonne", "ton", "pound", "share", "head", "litre", "liter", "kilo", "gallon"}
    | {"unit", "person", "household", "worker", "vessel", "passenger", "month", "week"}
    | {"day", "year", "hour", "minute", "night", "season", "kilogram", "kg", "kilometre"}
)
_RATE_ADVERBS = {
    "annually": "year",
    "yearly": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "hourly": "hour",
}
_DIRECTION_VERBS = frozenset(
    w for w, classes in CUE_CLASSES.items() if "increase" in classes or "decrease" in classes
)
_NOT_SPELLED_ONE_BEFORE = frozenset(
    {"no", "the", "this", "that", "each", "every", "any", "which", "anyone", "someone"}
)
_NOT_SPELLED_ONE_AFTER = frozenset({"of", "another", "'s", "’s", "way", "by"})

_PART_DETERMINERS = frozenset(
    {"the", "them", "those", "these", "whom", "which", "its", "their", "his", "her", "our"}
)
_PART_LEADS = frozenset(
    {("of", "whom"), ("of", "which"), ("among", "them"), ("among", "whom"), ("of", "them")}
)
_PERIOD_LEADS = frozenset({"past", "last", "next", "previous", "coming", "whole", "entire"})
# words that can start a quantity
_STARTERS = frozenset({*_SMALL, *_TENS, *_ORDINAL_WORDS, *_MONTHS, *_PERIOD_LEADS, "a", "an"})

# --- tokenisation -----------------------------------------------------------

# currency prefixes; digits with separators and an attached suffix ("4.2bn", "2:03:11",
# "2025/26"); words ("U.S", "km/h"); any other character. A dot or comma joins
# digits to digits only, so "18.Japan" is "18", ".", "Japan".
_TOKEN_RE = re.compile(
    r"(?:US|HK|NZ|R|C|A|S)\$|\d+(?:[.,:/]\d+)*[^\W\d_]*|[^\W\d_]+(?:[./][^\W\d_]+)*|\S"
)
_DIGIT_RE = re.compile(r"\d")
_YEARLIKE = re.compile(r"(?:18|19|20)\d\d")
_NUM_RE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_NUMSUF_RE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?([^\W\d_]+[²³]?)")
_HMS_RE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_YRANGE_RE = re.compile(r"((?:18|19|20)\d{2})/(\d{2}|(?:18|19|20)\d{2})")
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_PHONE_RE = re.compile(
    r"(?<![\w.])(?:\+\d[\d ()\-]{6,}\d|\(\d{2,4}\)\s?\d{3,4}[\s\-]?\d{3,4}"
    r"|\d{3}[\-.]\d{3}[\-.]\d{4}|\d{3}-\d{4})(?![\w])"
)


class _Tok(NamedTuple):
    text: str
    lower: str
    start: int
    end: int
    kind: str  # num, numsuf, hms, yrange, word, sym, punct, opaque
    num: float = 0.0
    decimals: int = -1  # -1: not a number
    sep: bool = False
    suffix: str = ""


def _tokenise(text: str) -> list[_Tok]:
    phones = [m.span() for m in _PHONE_RE.finditer(text)] if _DIGIT_RE.search(text) else []
    tokens: list[_Tok] = []
    append = tokens.append
    for match in _TOKEN_RE.finditer(text):
        word = match.group()
        start, end = match.span()
        if word.isalpha():
            append(_Tok(word, word.lower(), start, end, "word"))
        elif phones and any(s <= start < e for s, e in phones):
            append(_Tok(word, word.lower(), start, end, "opaque"))
        elif word[0].isdigit():
            append(_classify_digits(word, start, end))
        elif word[-1] == "$" or word in _CURRENCY_SYMBOLS:
            append(_Tok(word, word, start, end, "sym"))
        elif word[0].isalpha():
            append(_Tok(word, word.lower(), start, end, "opaque"))
        else:
            append(_Tok(word, word, start, end, "punct"))
    return _merge_spaced_numbers(text, tokens) if " , " in text or " . " in text else tokens


def _merge_spaced_numbers(text: str, tokens: list[_Tok]) -> list[_Tok]:
    """Rejoin numbers that a Penn-Treebank-style tokenisation split ("3 , 700",
    "122 . 5", as in the CNN/DailyMail sources of QAGS): a separator with a space
    on both sides never occurs inside a number in ordinary text."""
    merged: list[_Tok] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.kind != "num" or tok.decimals > 0:
            merged.append(tok)
            i += 1
            continue
        end = i
        thousands = tok.sep or len(tok.text) <= 3
        while end + 2 < n:
            sep, nxt = tokens[end + 1], tokens[end + 2]
            spaced = tokens[end].end < sep.start and sep.end < nxt.start
            if not spaced or nxt.kind != "num" or nxt.sep or nxt.decimals > 0:
                break
            if sep.text == "," and thousands and len(nxt.text) == 3:
                end += 2
            elif sep.text == "." and not (end == i and _YEARLIKE.fullmatch(tok.text)):
                end += 2  # "2019 . 5 people" is a sentence end, not 2019.5
                break  # a decimal part ends the number
            else:
                break
        if end == i:
            merged.append(tok)
            i += 1
            continue
        start, stop = tok.start, tokens[end].end
        surface = text[start:stop]
        compact = surface.replace(" ", "")
        merged.append(_classify_digits(compact, start, stop)._replace(text=surface))
        i = end + 1
    return merged


def _classify_digits(word: str, start: int, end: int) -> _Tok:
    lower = word.lower()
    m = _NUM_RE.fullmatch(word)
    if m:
        whole, frac = m.group(1), m.group(2)
        value = float(whole.replace(",", "") + ("." + frac if frac else ""))
        return _Tok(word, lower, start, end, "num", value, len(frac or ""), "," in whole)
    m = _NUMSUF_RE.fullmatch(word)
    if m:
        whole, frac, suffix = m.group(1), m.group(2), m.group(3)
        value = float(whole.replace(",", "") + ("." + frac if frac else ""))
        return _Tok(word, lower, start, end, "numsuf", value, len(frac or ""), "," in whole, suffix)
    if _HMS_RE.fullmatch(word):
        return _Tok(word, lower, start, end, "hms")
    if _YRANGE_RE.fullmatch(word):
        return _Tok(word, lower, start, end, "yrange")
    return _Tok(word, lower, start, end, "opaque")


# --- parsing ----------------------------------------------------------------


@dataclass
class _Draft:
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


def _step_of(value: float, decimals: int) -> float:
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


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenise(text)
        self.n = len(self.toks)
        self.lows = [t.lower for t in self.toks]
        spans = sentence_spans(text)
        self.sent_starts = [s for s, _ in spans] or [0]
        self.tok_sent = self._token_sentences()
        self._sentence_stems: list[frozenset[str]] | None = None

    def _token_sentences(self) -> list[int]:
        """Sentence index of every token (tokens and sentence starts are both sorted)."""
        starts = self.sent_starts
        result: list[int] = []
        sentence = 0
        last = len(starts) - 1
        for tok in self.toks:
            while sentence < last and starts[sentence + 1] <= tok.start:
                sentence += 1
            result.append(sentence)
        return result

    # token helpers -----------------------------------------------------------
    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < self.n else ""

    def adjacent(self, i: int, j: int) -> bool:
        """Tokens i and j (j = i + 1) touch, with no space between."""
        return 0 <= i < self.n and 0 <= j < self.n and self.toks[i].end == self.toks[j].start

    def is_word(self, i: int) -> bool:
        return 0 <= i < self.n and self.toks[i].kind == "word"

    def same_sentence(self, i: int, j: int) -> bool:
        return 0 <= i < self.n and 0 <= j < self.n and self.tok_sent[i] == self.tok_sent[j]

    def month_at(self, i: int) -> int:
        if not self.is_word(i):
            return 0
        tok = self.toks[i]
        if not tok.text[0].isupper():
            return 0
        return _MONTHS.get(tok.lower, 0)

    def day_at(self, i: int) -> int:
        if not (0 <= i < self.n):
            return 0
        tok = self.toks[i]
        if tok.kind == "num" and tok.decimals == 0 and not tok.sep and 1 <= tok.num <= 31:
            return int(tok.num)
        if (
            tok.kind == "numsuf"
            and tok.suffix.lower() in _ORDINAL_SUFFIXES
            and tok.decimals == 0
            and 1 <= tok.num <= 31
        ):
            return int(tok.num)
        return 0

    def year_at(self, i: int) -> int:
        if not (0 <= i < self.n):
            return 0
        tok = self.toks[i]
        if tok.kind == "num" and tok.decimals == 0 and not tok.sep and 1000 <= tok.num <= 2999:
            return int(tok.num)
        return 0

    # the scan ----------------------------------------------------------------
    def parse(self) -> list[Quantity]:
        drafts: list[_Draft] = []
        i = 0
        while i < self.n:
            draft = self._parse_at(i)
            if draft is None:
                i += 1
                continue
            drafts.append(draft)
            i = max(draft.last, i + 1)
        owner = [-1] * self.n
        for index, draft in enumerate(drafts):
            for k in range(draft.first, draft.last):
                owner[k] = index
        found = [self._finish(draft, owner, index, drafts) for index, draft in enumerate(drafts)]
        # "revenue rose 12% to $5 billion": the second value of a change is stated of
        # what the first is (not so a part and its whole: "shot down 31 of 44 drones")
        for index, draft in enumerate(drafts):
            linked = self._linked_before(draft, owner, index)
            if linked is not None and found[linked].kind in _FRAMED_KINDS:
                frame = tuple(dict.fromkeys((*found[linked].frame, *found[index].frame)))
                found[index] = replace(found[index], frame=frame)
        return found

    def _linked_before(self, d: _Draft, owner: list[int], index: int) -> int | None:
        """The quantity right before ``d`` across "to"/"from" ("12% to $5 billion")."""
        k = self._before_qualifier(d.first) - 1
        if self.low(k) in ("to", "from"):
            k -= 1
        if k < 0 or owner[k] in (-1, index) or not self.same_sentence(k, d.first):
            return None
        return owner[k]

    def _parse_at(self, i: int) -> _Draft | None:
        tok = self.toks[i]
        if tok.kind in ("punct", "opaque"):
            return None
        if (
            tok.kind == "word"
            and tok.lower not in _STARTERS
            and tok.text not in _CURRENCY_CODES
            and tok.text not in _CURRENCY_PREFIX_WORDS
        ):
            return None
        if tok.kind == "word" and self.month_at(i):
            return self._date_from_month(i)
        if tok.kind in ("num", "numsuf") and self.day_at(i):
            date = self._date_from_day(i)
            if date is not None:
                return date
        if tok.kind == "yrange":
            return self._year_range(i)
        if tok.kind == "hms":
            return self._hms(i)
        currency: str | None = None
        k = i
        if tok.kind == "sym":
            currency = _CURRENCY_SYMBOLS.get(tok.text)
            if currency is None:
                return None
            k = i + 1
        elif (tok.text in _CURRENCY_CODES or tok.text in _CURRENCY_PREFIX_WORDS) and i + 1 < self.n:
            k = i + 2 if self.low(i + 1) == "." and self.adjacent(i, i + 1) else i + 1
            if k < self.n and self.toks[k].kind in ("num", "numsuf"):
                currency = _CURRENCY_PREFIX_WORDS.get(tok.text, tok.text)
            else:
                k = i
        if currency is not None and not (k < self.n and self.toks[k].kind in ("num", "numsuf")):
            return None
        core = self._core(k)
        if core is None:
            return None
        if k != i:
            core.first = i
        if currency is not None:
            if core.kind not in ("count",):
                return None
            core.kind = "money"
            core.unit = currency
        draft = self._suffixes(core)
        if draft is None:
            return None
        if draft.kind == "count" and self._is_name_number(draft):
            return None
        if draft.kind == "count" and self._looks_like_year(draft):
            year = int(draft.value)
            return _Draft(draft.first, draft.first + 1, year, year, 1.0, "year")
        return self._maybe_range(draft)

    # cores -------------------------------------------------------------------
    def _core(self, k: int) -> _Draft | None:
        if k >= self.n:
            return None
        tok = self.toks[k]
        if tok.kind == "num":
            if self._hyphen_name_before(k):
                return None
            return _Draft(k, k + 1, tok.num, tok.num, _step_of(tok.num, tok.decimals), "count")
        if tok.kind == "numsuf":
            if self._hyphen_name_before(k):
                return None
            return self._attached_suffix(k)
        if tok.kind == "word":
            return self._word_core(k)
        return None

    def _hyphen_name_before(self, k: int) -> bool:
        """ "Covid-19", "Ai-95", "CDU-1": a word joined to the number by a hyphen."""
        if (
            k >= 2
            and self.low(k - 1) == "-"
            and self.adjacent(k - 1, k)
            and self.adjacent(k - 2, k - 1)
            and self.toks[k - 2].kind in ("word", "opaque")
        ):
            return self.low(k - 2) not in _YEAR_PREFIXES
        # glued to a word or number: "A25", "M23", the "8" of "LC16m8"
        return k >= 1 and self.adjacent(k - 1, k) and self.toks[k - 1].kind not in ("punct", "sym")

    def _attached_suffix(self, k: int) -> _Draft | None:
        tok = self.toks[k]
        suffix = tok.suffix
        step = _step_of(tok.num, tok.decimals)
        if suffix.lower() in _ORDINAL_SUFFIXES and tok.decimals == 0:
            return _Draft(k, k + 1, tok.num, tok.num, 1.0, "ordinal")
        if suffix in _ATTACHED_SCALES:
            scale = _ATTACHED_SCALES[suffix]
            return _Draft(
                k, k + 1, tok.num * scale, tok.num * scale, step * scale, "count",
                scaled=True, scale=scale,
            )  # fmt: skip
        unit = _ATTACHED_UNITS.get(suffix) or _ATTACHED_UNITS.get(suffix.lower())
        if unit is not None and suffix != "m":
            canonical, factor = unit
            return _Draft(
                k, k + 1, tok.num * factor, tok.num, step * factor, "quantity", canonical,
                factor=factor,
            )  # fmt: skip
        return None

    def _word_core(self, k: int) -> _Draft | None:
        low = self.low(k)
        if low in ("a", "an"):
            return self._article_core(k)
        if low in _PERIOD_LEADS and self.low(k + 1) in ("fortnight", "decade", "century"):
            return self._period_core(k)
        if low in _ORDINAL_WORDS or (low in _TENS and self._ordinal_compound(k)):
            return self._ordinal_word(k)
        if low in _SMALL or low in _TENS:
            return self._spelled(k)
        return None

    def _ordinal_compound(self, k: int) -> bool:
        """ "twenty-first": tens, hyphen, ordinal unit."""
        return (
            self.low(k + 1) == "-"
            and self.adjacent(k, k + 1)
            and self.adjacent(k + 1, k + 2)
            and self.low(k + 2) in _ORDINAL_WORDS
            and _ORDINAL_WORDS[self.low(k + 2)] < 10
        )

    def _ordinal_word(self, k: int) -> _Draft | None:
        low = self.low(k)
        if low in _TENS:
            value = _TENS[low] + _ORDINAL_WORDS[self.low(k + 2)]
            return _Draft(k, k + 3, value, value, 1.0, "ordinal", spelled=True)
        if low == "first":
            period = self._first_months(k)
            if period is not None:
                return period
        if low == "second":
            prev = self.low(k - 1)
            if prev in ("per", "a", "one", "split") and not self._noun_follows(k):
                return None
        if low in ("third", "fifth", "sixth", "eighth", "tenth", "quarter"):
            prev = self.low(k - 1)
            if prev in ("a", "one") and self.low(k + 1) == "of":
                share = 1 / _FRACTION_WORDS[low]
                return _Draft(k - 1, k + 1, share, share, 0.0, "fraction", spelled=True)
        rank = float(_ORDINAL_WORDS[low])
        return _Draft(k, k + 1, rank, rank, 1.0, "ordinal", spelled=True)

    def _first_months(self, k: int) -> _Draft | None:
        """ "the first two months of 2025", "the first half of 2024": a date range."""
        nxt = self.low(k + 1)
        months = {"half": 6, "quarter": 3}.get(nxt, 0)
        j = k + 2
        if not months:
            core = self._core(k + 1) if k + 1 < self.n else None
            if core is None or core.kind != "count" or self.low(core.last) != "months":
                return None
            months = int(core.value) if core.value == int(core.value) else 0
            j = core.last + 1
        if not 1 <= months <= 12 or self.low(j) != "of":
            return None
        year = self.year_at(j + 1)
        if not year:
            return None
        return _date_draft(k, j + 2, year, 1, 0, high=(year, months, 0))

    def _noun_follows(self, k: int) -> bool:
        return self.is_word(k + 1) and self.low(k + 1) not in _STOPWORDS

    def _period_core(self, k: int) -> _Draft | None:
        """ "the past fortnight", "the last decade": one unit of a long period."""
        low = self.low(k + 1)
        days = _TIME_UNITS[low]
        if self.low(k + 2) in ("-", "'", "’") or self.low(k + 2) in _RELATIVE_AFTER:
            return None
        return _Draft(k + 1, k + 2, days, 1.0, days, "duration", "day", spelled=True, factor=days)

    def _article_core(self, k: int) -> _Draft | None:
        """ "a dozen", "a million", "a fortnight", "a third of", "a year"."""
        nxt = self.low(k + 1)
        if nxt == "dozen":
            return _Draft(k, k + 2, 12.0, 12.0, 1.0, "count", spelled=True)
        if nxt in ("hundred", "thousand", "million", "billion", "trillion"):
            scale = 100.0 if nxt == "hundred" else _SCALE_WORDS[nxt]
            return _Draft(
                k, k + 2, scale, scale, scale, "count", scaled=True, spelled=True, scale=scale
            )
        if nxt in _FRACTION_WORDS and self.low(k + 2) == "of":
            value = 1 / _FRACTION_WORDS[nxt]
            return _Draft(k, k + 2, value, value, 0.0, "fraction", spelled=True)
        if nxt in ("fortnight", "decade", "century", "year", "month", "week", "day", "hour"):
            if self._is_rate_position(k) or self.low(k + 2) in _RELATIVE_AFTER:
                return None
            if nxt in ("day", "hour") and not self._duration_context(k):
                return None
            if self.low(k + 2) == "-" or self.low(k + 2) == "and":
                return None  # "a year-long", "a year and a half"
            days = _TIME_UNITS[nxt]
            return _Draft(k, k + 2, days, 1.0, days, "duration", "day", spelled=True, factor=days)
        return None

    def _duration_context(self, k: int) -> bool:
        """ "for a day", "within an hour": a preposition of time before the article."""
        return self.low(k - 1) in ("for", "within", "in", "than", "after", "over", "nearly")

    def _is_rate_position(self, k: int) -> bool:
        """ "twice a year", "14 hours a day": the article follows a quantity or frequency."""
        prev = self.toks[k - 1] if k >= 1 else None
        if prev is None:
            return False
        if prev.lower in ("once", "twice", "times", "thrice"):
            return True
        for back in range(1, 4):
            tok = self.toks[k - back] if k - back >= 0 else None
            if tok is None or tok.kind == "punct" or tok.lower in _BOUNDARY_WORDS:
                break
            if tok.lower in _TIME_PREPOSITIONS:
                return False  # "wounded in a week", "within a year"
            if tok.kind in ("num", "numsuf") or (tok.lower,) in _UNITS:
                return True
            if tok.lower in _SCALE_WORDS or tok.lower == "dozen":
                return True
        return prev.kind == "word" and (
            prev.lower in _TIME_UNITS
            or prev.lower in _SMALL
            or prev.lower in _SCALE_WORDS
            or (prev.lower.endswith("s") and prev.lower not in _STOPWORDS)
            or tuple([prev.lower]) in _UNITS
        )

    def _spelled(self, k: int) -> _Draft | None:
        low = self.low(k)
        if low == "one":
            compound = self.low(k + 1) == "-" and self.adjacent(k, k + 1)
            if self.low(k - 1) in _NOT_SPELLED_ONE_BEFORE and not compound:
                return None
            if self.low(k + 1) in _NOT_SPELLED_ONE_AFTER:
                return None
            nxt = self.toks[k + 1] if k + 1 < self.n else None
            pronoun = nxt is None or nxt.kind == "punct" or nxt.lower in _STOPWORDS
            if pronoun and self.low(k - 2) in ("a", "an", "the") and not compound:
                return None  # "not a distressed one."
            if self.low(k + 1) == "-" and self.low(k + 2) in ("off", "on", "way", "sided"):
                return None
            if self.low(k + 1) in ("another", "way") or self.low(k - 1) == "one":
                return None
        total = 0.0
        current = 0.0
        prev = ""
        j = k
        scaled = False
        scale = 1.0
        while j < self.n and self.toks[j].kind in ("word", "punct"):
            w = self.low(j)
            if w in _SMALL:
                v = _SMALL[w]
                if prev in ("", "hundred", "scale") or (prev == "tens" and v < 10):
                    current += v
                    prev = "unit" if v < 10 else "teen"
                else:
                    break
            elif w in _TENS:
                if prev in ("", "hundred", "scale"):
                    current += _TENS[w]
                    prev = "tens"
                else:
                    break
            elif w == "hundred" and prev in ("unit", "teen", "tens"):
                current = current * 100
                prev = "hundred"
            elif w in _SCALE_WORDS and prev in ("unit", "teen", "tens", "hundred", "half"):
                total += current * _SCALE_WORDS[w]
                current = 0.0
                prev = "scale"
                scaled = True
                scale = min(scale, _SCALE_WORDS[w]) if scale > 1 else _SCALE_WORDS[w]
            elif w == "dozen" and prev in ("unit", "teen", "tens"):
                current *= 12
                prev = "dozen"
            elif self._joiner(j, prev):
                pass
            elif (
                w == "and"
                and prev in ("unit", "teen", "tens")
                and self.low(j + 1) == "a"
                and self.low(j + 2) == "half"
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
        while j > k and self.low(j - 1) in ("-", "and"):
            j -= 1
        step = _step_of(value, 0) if value == int(value) else 0.5 * scale
        return _Draft(
            k, j, value, value, step, "count", scaled=scaled, spelled=True,
            scale=scale,
        )  # fmt: skip

    def _joiner(self, j: int, prev: str) -> bool:
        """A hyphen inside "twenty-one" or the "and" of "three hundred and twenty"."""
        w = self.low(j)
        if w == "-":
            return (
                prev == "tens"
                and self.adjacent(j - 1, j)
                and self.adjacent(j, j + 1)
                and _SMALL.get(self.low(j + 1), 99) < 10
            )
        return (
            w == "and"
            and prev in ("hundred", "scale")
            and (self.low(j + 1) in _SMALL or self.low(j + 1) in _TENS)
        )

    # after the core: scale, currency, percent, units, durations, rates ------
    def _suffixes(self, d: _Draft) -> _Draft | None:
        j = d.last
        # scale words after digits or spelled numbers ("4,200 million", "1.5 bn")
        if not d.scaled and d.kind in ("count", "money"):
            w = self.low(j)
            scale = _SCALE_WORDS.get(w) or _SPACED_SCALES.get(w)
            if scale:
                d.value *= scale
                d.number *= scale
                d.step *= scale
                d.scale *= scale
                d.scaled = True
                j += 1
        d.last = j
        if d.kind == "ordinal" or d.kind == "fraction" or d.kind == "duration":
            if d.kind == "ordinal" and self.low(j) == "-" and self.adjacent(j - 1, j):
                d.hint = self.low(j + 1) if self.is_word(j + 1) else None
            return d
        if d.kind == "quantity":
            return self._rate(d)
        # percent
        w = self.low(j)
        if w == "%" and d.kind == "count":
            d.kind, d.unit, d.last = "percent", "%", j + 1
            return d
        if d.kind == "count":
            if w in ("percent", "pct") or (w == "per" and self.low(j + 1) == "cent"):
                d.kind, d.unit = "percent", "%"
                d.last = j + (2 if w == "per" else 1)
                return d
            if w == "percentage" and self.low(j + 1) in ("point", "points"):
                d.kind, d.unit, d.last = "percent", "pp", j + 2
                return d
            if w in ("basis", "base") and self.low(j + 1) in ("point", "points"):
                d.value, d.step, d.factor = d.value / 100, d.step / 100, 0.01
                d.kind, d.unit, d.last = "percent", "pp", j + 2
                return d
            if w in ("bp", "bps"):
                d.value, d.step, d.factor = d.value / 100, d.step / 100, 0.01
                d.kind, d.unit, d.last = "percent", "pp", j + 1
                return d
            # currency after the number ("1.5 billion euros", "USD" after, "580 billion won")
            for words, code in _CURRENCY_BY_FIRST.get(w, ()):
                if all(self.low(j + o) == word for o, word in enumerate(words)):
                    if words in (("pound",), ("pounds",)) and self.low(j - 1) in ("a", "per"):
                        break
                    d.kind, d.unit, d.last = "money", code, j + len(words)
                    return self._rate(d)
            tok = self.toks[j] if j < self.n else None
            if tok is not None and tok.text in _CURRENCY_CODES:
                d.kind, d.unit, d.last = "money", tok.text, j + 1
                return self._rate(d)
            # hyphen compounds: "five-day", "21-year-old", "750-kilovolt", "90-member"
            if w == "-" and self.adjacent(j - 1, j) and self.adjacent(j, j + 1):
                return self._hyphen_compound(d, j)
            if w == "-" and self._spaced_compound(j):
                return self._hyphen_compound(d, j)
            # time units, maybe after an adjective ("four consecutive months")
            if w in _TIME_ADJECTIVES and self.low(j + 1) in _TIME_UNITS:
                j += 1
                w = self.low(j)
            if w in _TIME_UNITS and not (w == "second" and self.low(j - 1) == "a"):
                return self._duration(d, j)
            # measurement units
            unit = self._unit_at(j)
            if unit is not None:
                (canonical, factor), length = unit
                d.kind, d.unit, d.factor = "quantity", canonical, factor
                d.value *= factor
                d.step *= factor
                d.last = j + length
                return self._rate(d)
        return self._rate(d)

    def _spaced_compound(self, j: int) -> bool:
        """ "two - week", "27 - year - old": a hyphen compound with the hyphen spaced
        out by a Penn-Treebank-style tokenisation (only before a unit of time or
        measure, so a dash in ordinary text is not taken for one)."""
        if self.adjacent(j - 1, j) or self.adjacent(j, j + 1):
            return False
        nxt = self.low(j + 1)
        return nxt in _TIME_UNITS or (nxt,) in _UNITS

    def _unit_at(self, j: int) -> tuple[tuple[str, float], int] | None:
        if self.low(j) not in _UNIT_FIRST_WORDS:
            return None
        for length in range(_MAX_UNIT_WORDS, 0, -1):
            words = tuple(self.low(j + o) for o in range(length))
            if words in _UNITS and all(self.toks[j + o].kind != "punct" for o in range(length)):
                if words == ("g",) or words == ("mt",):
                    continue
                return _UNITS[words], length
        return None

    def _hyphen_compound(self, d: _Draft, j: int) -> _Draft | None:
        w = self.low(j + 1)
        if d.spelled and w in ("off", "way", "sided", "on", "liner", "time") and d.value == 1:
            return None
        if w in _FRACTION_WORDS and d.spelled and (w.endswith("s") or d.value == 1):
            value = d.value / _FRACTION_WORDS[w]
            d.kind, d.value, d.number, d.step, d.last = "fraction", value, value, 0.0, j + 2
            return d
        if w in _TIME_UNITS:
            if self.low(j + 2) == "-" and self.low(j + 3) in ("old", "olds"):
                d.kind, d.unit, d.last = "quantity", "age", j + 4
                return d
            days = _TIME_UNITS[w]
            d.kind, d.unit, d.factor = "duration", "day", days
            d.value *= days
            d.step *= days
            d.last = j + 2
            return d
        unit = self._unit_at(j + 1)
        if unit is not None:
            (canonical, factor), length = unit
            d.kind, d.unit, d.factor = "quantity", canonical, factor
            d.value *= factor
            d.step *= factor
            d.last = j + 1 + length
            return d
        if self.toks[j + 1].kind == "opaque" or self.toks[j + 1].kind == "numsuf":
            return None
        if self.toks[j + 1].kind == "word" and w not in _STOPWORDS:
            d.hint = w
        return self._rate(d)

    def _duration(self, d: _Draft, j: int) -> _Draft:
        days = _TIME_UNITS[self.low(j)]
        d.kind, d.unit, d.factor = "duration", "day", days
        d.value *= days
        d.step *= days
        d.last = j + 1
        # compound durations: "2 hours 3 minutes 11 seconds", "two months and ten days"
        while True:
            k = d.last
            if self.low(k) in ("and", ","):
                k += 1
            nxt = self._core(k) if k < self.n and self.toks[k].kind in ("num", "word") else None
            if nxt is None or nxt.kind != "count" or nxt.last >= self.n:
                break
            unit_word = self.low(nxt.last)
            if unit_word not in _TIME_UNITS or _TIME_UNITS[unit_word] >= days:
                break
            days = _TIME_UNITS[unit_word]
            d.value += nxt.value * days
            d.step = nxt.step * days
            d.last = nxt.last + 1
        return self._rate(d)

    def _rate(self, d: _Draft) -> _Draft:
        """Append "/<per>" to the unit for "a day", "per share", "annually"."""
        j = d.last
        w = self.low(j)
        if w in _RATE_ADVERBS:
            d.unit = f"{d.unit or ''}/{_RATE_ADVERBS[w]}"
            d.last = j + 1
            return d
        if w not in _RATE_LEADS or not self.is_word(j + 1):
            return d
        per = self.low(j + 1)
        if per in _TIME_UNITS and self.low(j + 2) in _RELATIVE_AFTER:
            return d
        if d.unit == "barrel" and per == "day":
            d.unit, d.last = "barrel/day", j + 2
            return d
        if w == "per" or per in _RATE_NOUNS_AFTER_A or per in _TIME_UNITS:
            if w == "per" and per in _STOPWORDS:
                return d
            base = _TIME_SINGULAR.get(per, _lemma(per))
            d.unit = f"{d.unit or ''}/{base}"
            d.last = j + 2
        return d

    # ranges --------------------------------------------------------------------
    def _maybe_range(self, d: _Draft) -> _Draft:
        if d.kind in ("ordinal", "fraction", "date") or d.no_range:
            return d
        j = d.last
        if self.low(j) == "-" and self.low(j + 1) in ("to", "and", "or"):
            j += 1  # "10- to 14-year-olds"
        conn = self.low(j)
        before = self.low(self._before_qualifier(d.first) - 1)
        if conn in ("-", "–"):
            pass
        elif conn == "to":
            if before in ("from", "by") or before in _DIRECTION_VERBS:
                return d
        elif conn == "and":
            if before != "between":
                return d
        elif conn == "or":
            pass
        else:
            return d
        k = j + 1
        if k >= self.n or not self.same_sentence(d.first, k):
            return d
        second = self._parse_second(k)
        if second is None:
            return d
        first = self._inherit(d, second)
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

    def _parse_second(self, k: int) -> _Draft | None:
        tok = self.toks[k]
        currency: str | None = None
        i = k
        if tok.kind == "sym":
            currency = _CURRENCY_SYMBOLS.get(tok.text)
            k += 1
        elif tok.text in _CURRENCY_CODES:
            currency = tok.text
            k += 1
        if k >= self.n or self.toks[k].kind == "opaque":
            return None
        core = self._core(k)
        if core is None or core.kind not in ("count", "quantity"):
            return None
        core.first = i
        if currency is not None:
            if core.kind != "count":
                return None
            core.kind, core.unit = "money", currency
        return self._suffixes(core)

    def _inherit(self, first: _Draft, second: _Draft) -> _Draft | None:
        """The first end of a range takes a missing scale, currency or unit from the second."""
        if first.kind == "year" or second.kind == "year":
            return None
        if first.kind == "count" and first.unit is None and second.kind != "count":
            scale = second.scale if not first.scaled else 1.0
            return _Draft(
                first.first, first.last, first.number * scale * second.factor,
                first.number * scale, first.step * scale * second.factor, second.kind,
                second.unit, scaled=first.scaled or second.scaled, spelled=first.spelled,
                scale=first.scale * scale, factor=second.factor,
            )  # fmt: skip
        if first.kind != second.kind or _base(first.unit) != _base(second.unit):
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

    # dates ---------------------------------------------------------------------
    def _date_from_month(self, i: int) -> _Draft | None:
        month = self.month_at(i)
        j = i + 1
        if self.low(j) == "." and self.adjacent(i, j):
            j += 1
        # "January-February 2025": a range of months
        if self.low(j) in ("-", "–") and self.month_at(j + 1) and self.year_at(j + 2):
            year = self.year_at(j + 2)
            month2 = self.month_at(j + 1)
            return _date_draft(i, j + 3, year, month, 0, high=(year, month2, 0))
        day = self.day_at(j)
        nxt = self.low(j + 1)
        if day and not (nxt in _SCALE_WORDS or nxt in _SPACED_SCALES or nxt in ("%", "percent")):
            year = 0
            k = j + 1
            if self.low(k) == "," and self.year_at(k + 1):
                year = self.year_at(k + 1)
                k += 2
            elif self.year_at(k) and not self.adjacent(j, k):
                year = self.year_at(k)
                k += 1
            # ranges: "January 7-8", "May 5 and 12", "June 6 and June 12", "July 10 to 14"
            conn = self.low(k)
            if conn in ("-", "–", "and", "to", "through", "or") and not (
                year and conn in ("-", "–")
            ):
                m2 = month
                k2 = k + 1
                if self.month_at(k2):
                    m2 = self.month_at(k2)
                    k2 += 1
                day2 = self.day_at(k2)
                if day2 and (m2, day2) > (month, day):
                    end = k2 + 1
                    year2 = year
                    if self.low(end) == "," and self.year_at(end + 1):
                        year2 = self.year_at(end + 1)
                        end += 2
                    elif self.year_at(end):
                        year2 = self.year_at(end)
                        end += 1
                    year = year or year2
                    return _date_draft(i, end, year, month, day, high=(year2 or year, m2, day2))
            return _date_draft(i, k, year, month, day)
        year = self.year_at(j)
        if year:
            k = j + 1
            before = self.low(i - 1)
            if before == "between" and self.low(k) == "and" and self.month_at(k + 1):
                m2, y2 = self.month_at(k + 1), self.year_at(k + 2)
                if y2:
                    return _date_draft(i, k + 3, year, month, 0, high=(y2, m2, 0))
            return _date_draft(i, k, year, month, 0)
        return None

    def _plural(self, j: int) -> bool:
        w = self.low(j)
        return (
            w.endswith("s")
            and len(w) > 3
            and w not in _STOPWORDS
            and not self.toks[j].text[0].isupper()
        )

    def _date_from_day(self, i: int) -> _Draft | None:
        """ "12 May", "16 and 27 February", "4 to 24 June", "7-8 January", "12th of May"."""
        day = self.day_at(i)
        j = i + 1
        if self.low(j) == "of" and self.toks[i].kind == "numsuf":
            j += 1
        month = self.month_at(j)
        if month:
            if self.adjacent(i, j):
                return None
            year = self.year_at(j + 1)
            end = j + 2 if year else j + 1
            return _date_draft(i, end, year, month, day)
        conn = self.low(j)
        if conn in ("-", "–", "and", "to", "or"):
            day2 = self.day_at(j + 1)
            month = self.month_at(j + 2)
            if day2 and month and day2 > day:
                year = self.year_at(j + 3)
                end = j + 4 if year else j + 3
                return _date_draft(i, end, year, month, day, high=(year, month, day2))
        return None

    def _year_range(self, i: int) -> _Draft | None:
        m = _YRANGE_RE.fullmatch(self.toks[i].text)
        if m is None:
            return None
        start = int(m.group(1))
        end_text = m.group(2)
        end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
        if end <= start:
            return None
        return _Draft(i, i + 1, start, start, 1.0, "year", high=float(end), high_number=float(end))

    def _hms(self, i: int) -> _Draft | None:
        m = _HMS_RE.fullmatch(self.toks[i].text)
        if m is None or m.group(3) is None:
            return None  # "04:17", "2:03": clock times are not checked
        hours, minutes, seconds = (int(g) for g in m.groups())
        days = hours / 24 + minutes / 1440 + seconds / 86400
        return _Draft(i, i + 1, days, days, 1 / 86400, "duration", "day")

    # years and names -------------------------------------------------------------
    def _looks_like_year(self, d: _Draft) -> bool:
        tok = self.toks[d.first]
        if d.last != d.first + 1 or tok.kind != "num" or tok.sep or tok.decimals != 0:
            return False
        if not 1800 <= tok.num <= 2100 or d.unit is not None:
            return False
        nxt = d.last
        if self.is_word(nxt) and self._plural(nxt):
            return self.low(d.first - 1) in _YEAR_PREPOSITIONS
        return True

    def _is_name_number(self, d: _Draft) -> bool:
        """ "Ariane 6", "Ligue 1", "Highway 715": a bare number after a capitalised word."""
        tok = self.toks[d.first]
        if tok.kind != "num" or tok.sep or tok.decimals != 0 or d.unit is not None:
            return False
        if d.last != d.first + 1:
            return False
        k = d.first - 1
        if k < 0 or self.toks[k].kind != "word" or not self.same_sentence(k, d.first):
            return False
        prev = self.toks[k]
        if not prev.text[0].isupper() or prev.lower in _CAPITALISED_OK:
            return False
        if prev.lower in _STOPWORDS or prev.lower in CUE_CLASSES:
            return False  # "Kills 27" in a headline
        if self._sentence_start(k):
            return False
        return not (self.month_at(k) or prev.text in _CURRENCY_CODES)

    def _sentence_start(self, k: int) -> bool:
        return k == 0 or self.tok_sent[k - 1] != self.tok_sent[k] or self.low(k - 1) in ('"', "“")

    def _before_qualifier(self, first: int) -> int:
        """Index of the first token of the qualifier before ``first`` (or ``first``)."""
        for words in _QUALIFIERS_BY_LAST.get(self.low(first - 1), ()):
            start = first - len(words)
            if start >= 0 and all(self.lows[start + o] == w for o, w in enumerate(words)):
                return start
        return first

    # finishing: qualifier, counted word, context cues --------------------------------
    def _finish(self, d: _Draft, owner: list[int], index: int, drafts: list[_Draft]) -> Quantity:
        toks = self.toks
        start, end = toks[d.first].start, toks[d.last - 1].end
        q_start = self._before_qualifier(d.first)
        qualifier = (
            " ".join(self.low(k) for k in range(q_start, d.first)) if q_start < d.first else None
        )
        if qualifier is not None and d.kind in ("date", "year", "ordinal"):
            qualifier = None
            q_start = d.first
        sentence = self.tok_sent[d.first]
        left = self._window(q_start - 1, -1, 4, owner, index, sentence)
        right = self._window(d.last, 1, 6, owner, index, sentence)
        cues: list[str] = []
        classes: set[str] = set()
        for k in [*reversed(left), *right]:
            w = self.low(k)
            if w in ("up", "down") and not self._direction_particle(k, d):
                continue
            if w in CUE_CLASSES:
                cues.append(w)
                classes.update(CUE_CLASSES[w])
        counted = _lemma(d.hint) if d.hint else self._counted(right, d.last)
        if counted in NOUN_TYPES:
            classes.add(NOUN_TYPES[counted])
        if self._baseline(q_start, d):
            classes.add("baseline")
        if self._part(q_start, d):
            classes.add("part")
        anchor = self._anchor(d, owner, index, drafts)
        if anchor is not None:
            classes.update(("dated", f"dated:{anchor}"))
        kind = d.kind
        unit = d.unit
        value = d.value
        return Quantity(
            text=self.text[start:end],
            span=(start, end),
            value=_tidy(value),
            kind=kind,
            unit=unit,
            qualifier=qualifier,
            high=None if d.high is None else _tidy(d.high),
            counted=counted,
            sentence=sentence,
            number=_tidy(d.number),
            high_number=None if d.high_number is None else _tidy(d.high_number),
            step=_tidy(d.step),
            context=tuple(sorted(classes)),
            cues=tuple(dict.fromkeys(cues)),
            frame=self._frame(self._window(q_start - 1, -1, _FRAME_WORDS, owner, index, sentence)),
            sentence_words=self._sentence_words(sentence),
            each=self._each(q_start, d, right),
        )

    def _anchor(self, d: _Draft, owner: list[int], index: int, drafts: list[_Draft]) -> str | None:
        """The time a quantity is tied to by a date, year or month right after it
        ("2,310 recorded on January 28" -> "d128", "5.5 percent in August" -> "m8")."""
        for k in range(d.last, min(d.last + 5, self.n)):
            if self.tok_sent[k] != self.tok_sent[d.first] or self.lows[k] in _BOUNDARY_PUNCT:
                return None
            if owner[k] not in (-1, index):
                other = drafts[owner[k]]
                if other.kind == "date":
                    return f"d{int(other.value)}"
                return f"y{int(other.value)}" if other.kind == "year" else None
            if self.month_at(k):
                return f"m{self.month_at(k)}"
        return None

    def _each(self, q_start: int, d: _Draft, right: list[int]) -> int:
        """The number of coordinated names a value is stated for each of ("Ukraine
        and Russia exchanged 95 prisoners each" -> 2), else 0."""
        if d.kind not in ("count", "money", "quantity"):
            return 0
        at = next((k for k in right[:3] if self.lows[k] in ("each", "apiece")), None)
        if at is None:
            return 0
        after = self.toks[at + 1] if at + 1 < self.n else None
        if after is not None and after.kind == "word" and after.lower not in _STOPWORDS:
            return 0  # "each side", "each year": not distributive
        # the last coordination of capitalised names before the value in its sentence
        first = q_start - 1
        while first > 0 and self.same_sentence(first - 1, q_start):
            first -= 1
        best = 0
        k = first
        while k < q_start:
            names, k = self._coordination(k, q_start)
            if names >= 2:
                best = names
        return best

    def _coordination(self, k: int, stop: int) -> tuple[int, int]:
        """Count the capitalised names joined by "and"/commas from token ``k``:
        ``(names, next token)``; names < 2 means no coordination starts at ``k``."""
        names = 0
        while k < stop:
            if not (self.is_word(k) and self.toks[k].text[0].isupper()):
                return names, k + 1
            while k < stop and self.is_word(k) and self.toks[k].text[0].isupper():
                k += 1  # one name: a run of capitalised words
            names += 1
            if self.low(k) == "," and self.low(k + 1) == "and":
                k += 2
            elif self.low(k) in (",", "and"):
                k += 1
            else:
                return names, k + 1
        return names, k

    def _part(self, q_start: int, d: _Draft) -> bool:
        """ "31 of 44 drones", "14 of them", "including three firefighters": a part of a
        larger quantity in the same sentence."""
        if d.kind not in ("count", "money", "quantity"):
            return False
        if self.low(d.last) == "of" and self.same_sentence(d.first, d.last):
            after = self.toks[d.last + 1] if d.last + 1 < self.n else None
            if after is not None and (
                after.lower in _PART_DETERMINERS or after.kind in ("num", "numsuf")
            ):
                return True
        before = (self.low(q_start - 2), self.low(q_start - 1))
        return before[1] == "including" or before in _PART_LEADS

    def _baseline(self, q_start: int, d: _Draft) -> bool:
        """ "up from 12.4 million", "fell to 4.1% from 4.6%", "from 60 to 64",
        "compared with 640": an earlier value to compare with (not "from eight allies")."""
        prev = self.low(q_start - 1)
        if prev in ("versus", "vs") or (
            prev in ("with", "to") and self.low(q_start - 2) == "compared"
        ):
            return True
        if prev != "from":
            return False
        if self.low(d.last) == "to" or self.low(q_start - 2) in _DIRECTION_VERBS:
            return True
        # a direction verb earlier in the clause: "eased to 4.1% in January from 4.6%"
        for k in range(q_start - 2, max(q_start - 20, -1), -1):
            if self.lows[k] in _BOUNDARY_PUNCT or self.tok_sent[k] != self.tok_sent[q_start]:
                break
            if self.lows[k] in _DIRECTION_VERBS and self.lows[k] not in ("up", "down"):
                return True
        return False

    def _frame(self, left: list[int]) -> tuple[str, ...]:
        """Content-word stems of the left window, in text order (see `Quantity.frame`)."""
        words = [_stem(self.lows[k]) for k in reversed(left) if self._frame_word(k)]
        return tuple(dict.fromkeys(words))

    def _frame_word(self, k: int) -> bool:
        low = self.lows[k]
        return (
            self.toks[k].kind == "word"
            and len(low) > 1
            and low not in _STOPWORDS
            and low not in _REPORTING
            and low not in _WEEKDAYS
            and low not in _LINKS
            and low not in _DIRECTION_VERBS
        )

    def _sentence_words(self, sentence: int) -> frozenset[str]:
        """Stems of the frame words of a sentence (memoised per sentence)."""
        if self._sentence_stems is None:
            stems: list[set[str]] = [set() for _ in self.sent_starts]
            for k, sent in enumerate(self.tok_sent):
                if self._frame_word(k):
                    stems[sent].add(_stem(self.lows[k]))
            self._sentence_stems = [frozenset(words) for words in stems]
        return self._sentence_stems[sentence]

    def _counted(self, right: list[int], end: int) -> str | None:
        """The head noun after a quantity: the last word of the noun phrase right after
        it ("18 mobile gas turbine units" -> "unit"), else the first content word
        after function words ("2,700 have been wounded" -> "wounded")."""
        phrase: list[str] = []
        for k in right:
            tok = self.toks[k]
            if tok.lower in _STOPWORDS:
                if phrase:
                    break
                continue
            if tok.text[0].isupper():
                if phrase:
                    break
                continue
            if phrase and tok.lower.endswith(("ing", "ed")):
                break
            phrase.append(tok.lower)
            if k > end and not self._adjacent_words(k, right, phrase):
                break
        return _lemma(phrase[-1]) if phrase else None

    def _adjacent_words(self, k: int, right: list[int], phrase: list[str]) -> bool:
        """Whether the next word token continues the phrase (no function word between)."""
        position = right.index(k)
        if position + 1 >= len(right):
            return False
        nxt = right[position + 1]
        between = self.lows[k + 1 : nxt]
        return all(t in ("-", "'", "’") for t in between) and self.lows[nxt] not in _STOPWORDS

    def _direction_particle(self, k: int, d: _Draft) -> bool:
        """ "up 21%", "down from 4.6%", "shares down 9.4%" -- not "set up", "up to", "start-up"."""
        if self.low(k + 1) == "to" or self.low(k - 1) == "-" or self.low(k - 1) in _PHRASAL:
            return False
        near = k == d.first - 1 or k == d.last or self._before_qualifier(d.first) == k + 1
        return near or self.low(k + 1) == "from"

    def _window(
        self, k: int, direction: int, limit: int, owner: list[int], index: int, sentence: int
    ) -> list[int]:
        """Word tokens next to a quantity, up to a clause boundary or another quantity."""
        found: list[int] = []
        while 0 <= k < self.n and len(found) < limit:
            tok = self.toks[k]
            if self.tok_sent[k] != sentence or (owner[k] != -1 and owner[k] != index):
                break
            if tok.kind == "punct" and tok.text in _BOUNDARY_PUNCT:
                break
            if tok.kind == "word":
                if tok.lower in _BOUNDARY_WORDS:
                    break
                found.append(k)
            k += direction
        return found


def _tidy(value: float) -> float:
    """Drop floating-point noise: 16.1 * 1e6 is 16100000.000000002."""
    return float(f"{value:.12g}")


def _base(unit: str | None) -> str | None:
    return unit.split("/")[0] if unit else unit


def _date_draft(
    first: int,
    last: int,
    year: int,
    month: int,
    day: int,
    high: tuple[int, int, int] | None = None,
) -> _Draft:
    value = float(year * 10000 + month * 100 + day)
    granularity = "day" if day else "month"
    draft = _Draft(first, last, value, value, 1.0, "date", granularity, no_range=True)
    if high is not None:
        hy, hm, hd = high
        draft.high = float(hy * 10000 + hm * 100 + hd)
        draft.high_number = draft.high
    return draft


_IRREGULAR = {
    "children": "child",
    "people": "people",
    "women": "woman",
    "men": "man",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "lives": "life",
    "data": "data",
    "media": "media",
    "news": "news",
    "series": "series",
    "species": "species",
}


def _lemma(word: str) -> str:
    """A crude noun lemma: plural -s/-es/-ies removed.

    >>> [_lemma(w) for w in ("soldiers", "casualties", "buses", "children", "wounded", "gas")]
    ['soldier', 'casualty', 'bus', 'child', 'wounded', 'gas']
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes", "uses", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


def _stem(word: str) -> str:
    """A crude stem for comparing frame words: inflections and a final "e" removed.

    >>> [_stem(w) for w in ("reduced", "reducing", "reduce", "forecasts", "took", "sales")]
    ['reduc', 'reduc', 'reduc', 'forecast', 'took', 'sal']
    """
    word = _lemma(word)
    for suffix in ("ing", "ed", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def extract_quantities(text: str) -> list[Quantity]:
    """The quantities in ``text``, in order of appearance.

    Args:
        text: Any text (an article, a summary).

    Returns:
        Non-overlapping `Quantity` records ordered by span.

    >>> for q in extract_quantities("Two firefighters died; $4.2bn was lost in a five-day fire."):
    ...     print(q.text, q.value, q.kind, q.unit)
    Two 2.0 count None
    $4.2bn 4200000000.0 money USD
    five-day 5.0 duration day
    >>> q = extract_quantities("at least 300 soldiers have died")[0]
    >>> (q.value, q.qualifier, q.counted, q.context)
    (300.0, 'at least', 'soldier', ('death', 'person'))
    >>> [(q.value, q.high, q.unit) for q in extract_quantities("on January 7-8, 2025")]
    [(20250107.0, 20250108.0, 'day')]
    """
    if not text.strip():
        return []
    return _Parser(text).parse()


@lru_cache(maxsize=4096)
def cached_quantities(text: str) -> tuple[Quantity, ...]:
    """`extract_quantities`, memoised by text, as an immutable tuple.

    Use it for source documents and references, which are analysed once and
    shared by every system and metric that scores them.

    >>> cached_quantities("Two died.") is cached_quantities("Two died.")
    True
    """
    return tuple(extract_quantities(text))


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


__all__ = [
    "APPROXIMATE",
    "CUE_CLASSES",
    "CURRENCY_FAMILIES",
    "LOWER_BOUND",
    "NOUN_TYPES",
    "QUANTITY_KINDS",
    "UPPER_BOUND",
    "Quantity",
    "QuantityKind",
    "cached_quantities",
    "date_parts",
    "extract_quantities",
    "is_close",
]
