"""Find the quantities in a text, normalise them, and match a summary's against a source's.

`extract_quantities` turns text into `Quantity` records: counts, money,
percentages, measured quantities, durations, dates, years, ordinals and
fractions, each with a normalised value, a unit, a qualifier ("at least"),
an upper end for ranges, the thing counted and the context cues (died,
wounded, exports, rose...) that tell "300 died" from "300 wounded".
`match_quantities` gives each summary quantity a status against the source
quantities, and `key_quantities` says which quantities a summary should keep;
the ``numbers`` metric (`harness.metric.numbers`) reports both. The matching
rules are in the README's "Numbers" section.

It is a rule-based scanner over the raw text (a regular-expression
tokeniser plus a small lexicon); no statistical model is needed. A 300-word
news article takes about a millisecond, sentence splitting by
`harness.text.sentence_spans` included (1,000 articles in about 1.5 s on one
core). Penn-Treebank-style spacing, as in the CNN/DailyMail sources of QAGS
("13 , 000", "122 . 5", "27 - year - old"), is read as the number it splits.
So are thousands grouped by a no-break, narrow no-break or thin space ("4 200";
a plain space only where nothing else can be meant, see `tokens`), and a decimal
comma ("9,7 billion", "12,5%": one or two digits after a single comma). A minus
sign right before the digits ("-5", "−3 million", "-$3m"; not "COVID-19",
"2020-2021", "5%-10%") or the word "minus" ("minus 40") makes a count, amount or
measured quantity negative.

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
           m3, MW, MWh, kV, km/h, °C,        "16 miles" = 25.7 km, "200 lb" = 0.091
           barrel, barrel/day, kcal, age,    tonne, "5 gallons" = 0.019 m3, "86 °F"
           degree (a bare "degrees" or       = 30 °C; "21-year-old" has unit "age";
           "°": temperature or angle)        "300 m tall" is metres, "16m" million
duration   ``"day"`` (rates: ``"day/day"``)  days: year = 365, month = 365/12, week = 7,
                                             fortnight = 14, decade = 3650, hour = 1/24;
                                             so 12 months = 1 year = 365 days
date       ``"day"`` or ``"month"``          ``YYYYMMDD`` with unknown parts 0:
           (granularity)                     "January 12" = 112, "March 2024" = 20240300
year       ``None``                          the year; "2025/26" = 2025 with high 2026
ordinal    ``None``                          "second" = 2, "11th" = 11
fraction   ``None``                          "two-thirds" = 0.667, "a fifth of" = 0.2,
                                             "one in five" = 0.2
========== ================================ ===========================================

Ranges ("7-8", "7 to 8", "between 300 and 400", "January 7-8", "June 6 and
June 12") are one quantity with ``high`` set; the first end inherits a
missing scale, unit or currency from the second ("1.34 and 1.37 million
tonnes"). "A to B" with A >= B ("seven to two", "258 to 141") or after
"from"/"by" ("from 60 to 64") is two quantities, not a range.

Context (`Quantity.context`) is a sorted tuple of classes: those of cue words
near the number (`CUE_CLASSES`: "died" -> death, "exports" -> export, "rose"
-> increase, "total" -> total, "earlier" -> past, "than" -> compare, ...);
the type of the counted noun (`NOUN_TYPES`: "soldiers" -> person, "homes" ->
building, ...); and markers: ``baseline`` (the earlier side of a comparison:
"up from 12.4 million", "fell to 4.1% from 4.6%", "compared with 640"),
``part`` (a part of a larger quantity: "31 of 44", "14 of them", "including
three"), and ``dated`` with ``dated:<when>`` (a date, year or month right
after it: "2,310 on January 28" -> ``dated:d128``, "5.5% in August" ->
``dated:m8``).

What a number is stated of beyond those classes is kept as its *frame*
(`Quantity.frame`: stemmed content words before it in its clause, "the IMF
cut its growth forecast to 2.8%" -> imf, growth, forecast), with the words
of its whole sentence (`Quantity.sentence_words`); a value stated "each" for
several coordinated names records how many (`Quantity.each`: "Ukraine and
Russia exchanged 95 prisoners each" -> 2).

Not extracted (deliberately): clock times ("04:17", "2:03", "7 pm", "3 o'clock"; but race times
"2:03:11" are durations), phone numbers, numbers inside names ("Covid-19",
"M23", "Ariane 6", "Ligue 1"), "one of the", "no one", "one-off", vague
plurals ("thousands", "dozens"), "half", and relative-time idioms ("a year
earlier", "a week ago").

The modules, in the order the data flows through them:

* `record` -- `Quantity`, `QuantityMatch`, `MatchSettings`;
* `lexicon`, `cues` -- word tables: how numbers, units and currencies are
  written; the cue words, noun types and context axes;
* `tokens` -- the tokeniser and `TokenDoc`, the tokenised text;
* pass 1, `scan` -- find the values: `numerals` (the number), `suffixes`
  (scale, percent, currency, unit, duration, rate), `ranges`, `dates`,
  with `draft` the record of a value being read;
* pass 2, `context` -- annotate each value: qualifier, counted word, cues,
  markers, `frame` words (`stems` gives the crude lemmas and stems);
* `extract` -- the two passes: `extract_quantities`, `cached_quantities`;
* `equivalence` (values), `conflict` (contexts and frames), `derive` (sums
  and differences), `evidence` (the sentences of a finding), `match`
  (`match_quantities`) and `keys` (`key_quantities`, for recall).
"""

from harness.text.quantities.conflict import context_conflict
from harness.text.quantities.cues import CONTEXT_AXES, CUE_CLASSES, HYPERNYMS, NOUN_TYPES
from harness.text.quantities.equivalence import (
    comparable,
    equivalent,
    same_currency,
    value_matches,
)
from harness.text.quantities.extract import cached_quantities, extract_quantities
from harness.text.quantities.keys import keeps, key_quantities, salient_quantities
from harness.text.quantities.lexicon import (
    APPROXIMATE,
    CURRENCY_FAMILIES,
    LOWER_BOUND,
    UPPER_BOUND,
)
from harness.text.quantities.match import match_quantities
from harness.text.quantities.record import (
    QUANTITY_KINDS,
    MatchSettings,
    MatchStatus,
    Quantity,
    QuantityKind,
    QuantityMatch,
    date_parts,
    is_close,
)

__all__ = [
    "APPROXIMATE",
    "CONTEXT_AXES",
    "CUE_CLASSES",
    "CURRENCY_FAMILIES",
    "HYPERNYMS",
    "LOWER_BOUND",
    "NOUN_TYPES",
    "QUANTITY_KINDS",
    "UPPER_BOUND",
    "MatchSettings",
    "MatchStatus",
    "Quantity",
    "QuantityKind",
    "QuantityMatch",
    "cached_quantities",
    "comparable",
    "context_conflict",
    "date_parts",
    "equivalent",
    "extract_quantities",
    "is_close",
    "keeps",
    "key_quantities",
    "match_quantities",
    "salient_quantities",
    "same_currency",
    "value_matches",
]
