"""Word tables of the quantity scanner: how numbers, units, currencies and qualifiers are written.

Every table here is data; the rules that read them are in `harness.text.quantities.scan`
and the modules it calls. The words around a number that tell what it is of (cue
classes, noun types, context axes) are in `harness.text.quantities.cues`.
"""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())


# --- number words --------------------------------------------------------------

SMALL = {
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
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALE_WORDS = {
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
SPACED_SCALES = {"mln": 1e6, "mn": 1e6, "bln": 1e9, "bn": 1e9, "tn": 1e12, "trn": 1e12}
# abbreviations attached to the digits ("16m", "$4.2bn", "$250k")
ATTACHED_SCALES = {
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
ORDINAL_WORDS = {
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
FRACTION_WORDS = {
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
MONTHS = {
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

# --- time units ------------------------------------------------------------------

_DAY = 1.0
_YEAR = 365.0
# time unit -> length in days
TIME_UNITS = {
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
TIME_SINGULAR = {
    word: (word[:-1] if word.endswith("s") and word not in {"hrs", "mins", "secs"} else word)
    for word in TIME_UNITS
}
TIME_SINGULAR.update({"hrs": "hour", "hr": "hour", "mins": "minute", "min": "minute"})
TIME_SINGULAR.update({"secs": "second", "sec": "second", "centuries": "century"})

# --- measurement units -----------------------------------------------------------

# measurement units: lowercased word sequence -> (canonical unit, factor)
UNITS: dict[tuple[str, ...], tuple[str, float]] = {}


def _add_units(canonical: str, factor: float, *names: str) -> None:
    for name in names:
        UNITS[tuple(name.split())] = (canonical, factor)


_add_units("tonne", 1.0, "tonne", "tonnes", "ton", "tons", "metric tons", "metric tonnes")
_add_units("tonne", 1.0, "net tons", "net tonnes", "gross tons", "gross tonnes", "mt")
_add_units("tonne", 1e-3, "kg", "kgs", "kilogram", "kilograms", "kilogrammes", "kilo", "kilos")
_add_units("tonne", 1e-6, "gram", "grams", "g")
_add_units("tonne", 4.5359237e-4, "lb", "lbs")  # "pounds" only as weighed, see MASS_NOUNS
_add_units("tonne", 2.8349523125e-5, "oz", "ounce", "ounces")
_add_units("tonne", 3.11034768e-5, "troy ounce", "troy ounces")
_add_units("km", 1.0, "km", "kms", "kilometre", "kilometres", "kilometer", "kilometers")
_add_units("km", 1e-3, "metre", "metres", "meter", "meters")
_add_units("km", 1e-5, "cm", "centimetre", "centimetres", "centimeter", "centimeters")
_add_units("km", 1e-6, "mm", "millimetre", "millimetres", "millimeter", "millimeters")
_add_units("km", 1.609344, "mile", "miles")
_add_units("km", 1.852, "nautical mile", "nautical miles")
_add_units("km", 1.609344, "mi")
_add_units("km", 3.048e-4, "foot", "feet", "ft")
_add_units("km", 9.144e-4, "yard", "yards", "yd", "yds")
_add_units("km", 2.54e-5, "inch", "inches")  # not "in": "5 in 10"
_add_units("ha", 1.0, "ha", "hectare", "hectares")
_add_units("ha", 100.0, "km2", "km²", "sq km", "square kilometres", "square kilometers")
_add_units("ha", 1e-4, "m2", "m²", "sq m", "square metres", "square meters")
_add_units("ha", 0.40468564224, "acre", "acres")
_add_units("m3", 1.0, "m3", "m³", "cubic metre", "cubic metres", "cubic meter", "cubic meters")
_add_units("m3", 1e-3, "litre", "litres", "liter", "liters")
_add_units("m3", 1e-6, "ml", "millilitre", "millilitres", "milliliter", "milliliters")
_add_units("m3", 3.785411784e-3, "gallon", "gallons")  # US gallons
_add_units("m3", 4.73176473e-4, "pint", "pints")  # US pints
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
# °F is read as °F and converted to °C when the quantity is complete (`scan`):
# (F - 32) * 5 / 9 is no factor. A bare "degrees" is a temperature or an angle: its own unit.
_add_units("°C", 1.0, "°c", "degrees celsius", "degrees c", "celsius", "degree celsius")
_add_units("°C", 1.0, "degrees centigrade", "centigrade", "ºc")
_add_units("°F", 1.0, "°f", "ºf", "degrees fahrenheit", "degrees f", "fahrenheit")
_add_units("°F", 1.0, "degree fahrenheit")
_add_units("degree", 1.0, "degree", "degrees")
_add_units("barrel/day", 1.0, "bpd", "b/d", "barrels per day", "barrels a day")
_add_units("barrel/day", 1.0, "barrel per day", "barrel a day")
_add_units("barrel", 1.0, "barrel", "barrels", "bbl")
_add_units("kcal", 1.0, "kcal", "kilocalorie", "kilocalories", "calories")
MAX_UNIT_WORDS = max(len(key) for key in UNITS)
UNIT_FIRST_WORDS = frozenset(key[0] for key in UNITS)
# units written attached to the digits ("40C", "10km", "650MW")
ATTACHED_UNITS = {
    "C": ("°C", 1.0),
    "F": ("°F", 1.0),
    "km": ("km", 1.0),
    "kms": ("km", 1.0),
    "m": ("km", 1e-3),  # never read: "16m" is million unless METRE_AFTER says metres
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
    "ºC": ("°C", 1.0),
    "ºF": ("°F", 1.0),
    "ft": ("km", 3.048e-4),
    "mi": ("km", 1.609344),
    "lb": ("tonne", 4.5359237e-4),
    "lbs": ("tonne", 4.5359237e-4),
    "oz": ("tonne", 2.8349523125e-5),
    "ml": ("m3", 1e-6),
}
# the degree sign, a token of its own ("30 °C", "30°F", "a 90° turn"): the unit after it
DEGREE_SIGN_UNITS = {"c": ("°C", 1.0), "f": ("°F", 1.0)}
DEGREE_SIGN_UNITS.update({"celsius": ("°C", 1.0), "fahrenheit": ("°F", 1.0)})
# words after "300 m" / "100m" that make the "m" metres, not million ("300 m tall",
# "the 100m sprint"); elsewhere "16m" and "$3 m" stay million
METRE_AFTER = word_set(
    """tall high long deep wide thick away underground sprint hurdles freestyle backstroke
    breaststroke butterfly medley relay dash"""
)
METRE_AFTER_IN = frozenset({"length", "height", "depth", "diameter", "width"})
# "200 pounds" is a weight, not money, after a word starting "weigh" or before one of these
POUND_WEIGHT_AFTER = frozenset({"heavier", "lighter", "overweight", "underweight"})
# ... or before "of" and one of these ("5 pounds of flour")
MASS_NOUNS = word_set(
    """flour sugar salt rice meat beef pork chicken fish food butter cheese potatoes fruit
    vegetables cocaine heroin marijuana cannabis methamphetamine meth drugs explosives
    gold silver fat muscle weight body"""
)

# --- currencies ------------------------------------------------------------------

CURRENCY_SYMBOLS = {
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
CURRENCY_CODES = {
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
CURRENCY_PREFIX_WORDS = {"Rs": "INR", "Rs.": "INR", "NOK": "NOK"}
# lowercased currency words after the number; multi-word names first
CURRENCY_WORDS: dict[tuple[str, ...], str] = {
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

CURRENCY_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _name, _code in sorted(CURRENCY_WORDS.items(), key=lambda item: -len(item[0])):
    CURRENCY_BY_FIRST.setdefault(_name[0], []).append((_name, _code))

# --- qualifiers ------------------------------------------------------------------

# qualifiers before a number (lowercased word sequences), longest first
QUALIFIERS = sorted(
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
QUALIFIERS_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _words in QUALIFIERS:
    QUALIFIERS_BY_LAST.setdefault(_words[-1], []).append(_words)
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

# --- words around a number that the scanner reads -------------------------------

# function words: never a counted noun, a frame word or part of a name
STOPWORDS = word_set(
    """a an the of in on at to for from by with and or but as than that this these those
    it its their his her our your them they he she we you i is are was were be been being
    have has had do does did will would could should may might can must shall not no
    which who whom whose what when where while so such each every any all some more most
    other another per into onto over under about around up down out off since until
    after before between during within without against among across through via than
    then there here also only just even still yet already nearly almost roughly
    about s t said says say according"""
)
YEAR_PREPOSITIONS = frozenset(
    {"in", "since", "by", "from", "until", "till", "to", "of", "before", "after", "and"}
    | {"between", "during", "through", "mid", "early", "late", "end", "fiscal", "the", "year"}
)
# words before a bare number that make it part of a name if capitalised
CAPITALISED_OK = word_set(
    """the in on at by of about some nearly almost around only just over under since from
    until after before between to and another all roughly approximately more fewer less
    up top another with for as among including exactly another those these"""
)
# prefixes that may be joined to a year with a hyphen ("mid-2024")
YEAR_PREFIXES = frozenset({"mid", "pre", "post", "early", "late", "end", "start", "fy"})
# relative-time idioms after "a/an <unit>": not a duration
RELATIVE_AFTER = frozenset({"earlier", "ago", "before", "later", "after", "previously", "on"})
RATE_LEADS = frozenset({"a", "an", "per", "each", "every"})
TIME_PREPOSITIONS = frozenset(
    {"in", "for", "within", "over", "during", "after", "than", "before", "since", "by", "at"}
    | {"on", "about", "nearly", "almost", "under", "around", "throughout", "took", "take"}
)
TIME_ADJECTIVES = frozenset(
    {"consecutive", "straight", "successive", "full", "more", "further", "additional", "extra"}
)
RATE_NOUNS_AFTER_A = frozenset(
    {"barrel", "tonne", "ton", "pound", "share", "head", "litre", "liter", "kilo", "gallon"}
    | {"unit", "person", "household", "worker", "vessel", "passenger", "month", "week"}
    | {"day", "year", "hour", "minute", "night", "season", "kilogram", "kg", "kilometre"}
)
RATE_ADVERBS = {
    "annually": "year",
    "yearly": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "hourly": "hour",
}
NOT_SPELLED_ONE_BEFORE = frozenset(
    {"no", "the", "this", "that", "each", "every", "any", "which", "anyone", "someone"}
)
NOT_SPELLED_ONE_AFTER = frozenset({"of", "another", "'s", "’s", "way", "by"})

PERIOD_LEADS = frozenset({"past", "last", "next", "previous", "coming", "whole", "entire"})
# words that can start a quantity
STARTERS = frozenset({*SMALL, *TENS, *ORDINAL_WORDS, *MONTHS, *PERIOD_LEADS, "a", "an"})
# suffixes that make digits an ordinal ("11th")
ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
# "the second half of the document": an ordinal part of the summarized text
# itself names where the summary looks, not a quantity the source must state
TEXT_PARTS = frozenset({"half", "part", "section", "segment", "portion"})
TEXT_NOUNS = frozenset(
    {"document", "text", "article", "podcast", "episode", "transcript", "conversation",
     "dialogue", "email", "e-mail", "letter", "report", "video", "talk", "call",
     "meeting", "discussion", "interview", "chat", "thread", "recording", "lecture"}
)  # fmt: skip
