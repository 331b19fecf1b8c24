"""Tests for pass 1 of the extraction: which values are found, and how they are normalised."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from harness.text.quantities import extract_quantities


class Q(NamedTuple):
    """Expected fields of one extracted quantity."""

    text: str
    value: float
    kind: str
    unit: str | None = None
    high: float | None = None
    qualifier: str | None = None


DAY = 1.0


YEAR = 365.0


MONTH = 365.0 / 12


HOUR = 1 / 24


CASES: list[tuple[str, list[Q]]] = [
    # digits, separators, decimals
    ("2,700 soldiers", [Q("2,700", 2700, "count")]),
    ("2700 soldiers", [Q("2700", 2700, "count")]),
    ("a rate of 4.2 today", [Q("4.2", 4.2, "count")]),
    ("1.5 tries", [Q("1.5", 1.5, "count")]),
    ("2,019 people", [Q("2,019", 2019, "count")]),
    ("it was 1,234,567 in all", [Q("1,234,567", 1234567, "count")]),
    # spelled-out numbers
    ("Two firefighters were killed.", [Q("Two", 2, "count")]),
    ("three hundred and twenty villages", [Q("three hundred and twenty", 320, "count")]),
    ("three hundred and seventy centres", [Q("three hundred and seventy", 370, "count")]),
    ("twelve hundred trucks", [Q("twelve hundred", 1200, "count")]),
    ("a dozen aid workers", [Q("a dozen", 12, "count")]),
    ("two dozen facilities", [Q("two dozen", 24, "count")]),
    ("a million people", [Q("a million", 1e6, "count")]),
    ("twenty-one goals", [Q("twenty-one", 21, "count")]),
    ("Eleven of the deaths", [Q("Eleven", 11, "count")]),
    ("One person died", [Q("One", 1, "count")]),
    ("ninety-nine votes", [Q("ninety-nine", 99, "count")]),
    ("two and a half goals", [Q("two and a half", 2.5, "count")]),
    # scale words and abbreviations
    ("16 million people", [Q("16 million", 16e6, "count")]),
    ("16m people", [Q("16m", 16e6, "count")]),
    ("1.5bn people", [Q("1.5bn", 1.5e9, "count")]),
    ("4,200 million", [Q("4,200 million", 4.2e9, "count")]),
    ("2.1 trillion", [Q("2.1 trillion", 2.1e12, "count")]),
    ("3 thousand", [Q("3 thousand", 3000, "count")]),
    ("5 mln barrels", [Q("5 mln barrels", 5e6, "quantity", "barrel")]),
    ("$250k", [Q("$250k", 250_000, "money", "USD")]),
    # percentages
    ("7%", [Q("7%", 7, "percent", "%")]),
    ("7 percent", [Q("7 percent", 7, "percent", "%")]),
    ("7 per cent", [Q("7 per cent", 7, "percent", "%")]),
    ("0.25 percentage points", [Q("0.25 percentage points", 0.25, "percent", "pp")]),
    ("30 basis points", [Q("30 basis points", 0.3, "percent", "pp")]),
    ("2.5% to 7.5%", [Q("2.5% to 7.5%", 2.5, "percent", "%", 7.5)]),
    # money
    ("$4.2bn", [Q("$4.2bn", 4.2e9, "money", "USD")]),
    ("€350 million", [Q("€350 million", 3.5e8, "money", "EUR")]),
    ("1.5 billion euros", [Q("1.5 billion euros", 1.5e9, "money", "EUR")]),
    ("USD 80 million", [Q("USD 80 million", 8e7, "money", "USD")]),
    ("2 million dollars", [Q("2 million dollars", 2e6, "money", "USD")]),
    ("£12m", [Q("£12m", 12e6, "money", "GBP")]),
    ("¥412.6 billion", [Q("¥412.6 billion", 412.6e9, "money", "JPY")]),
    ("₹250 crore", [Q("₹250 crore", 2.5e9, "money", "INR")]),
    ("₹4 lakh", [Q("₹4 lakh", 4e5, "money", "INR")]),
    ("R$1.5 billion", [Q("R$1.5 billion", 1.5e9, "money", "BRL")]),
    ("US$3 million", [Q("US$3 million", 3e6, "money", "USD")]),
    ("CHF 7.4 billion", [Q("CHF 7.4 billion", 7.4e9, "money", "CHF")]),
    ("780 billion roubles", [Q("780 billion roubles", 7.8e11, "money", "RUB")]),
    ("1.6 billion hryvnias", [Q("1.6 billion hryvnias", 1.6e9, "money", "UAH")]),
    ("580 billion won", [Q("580 billion won", 5.8e11, "money", "KRW")]),
    ("712 billion lei", [Q("712 billion lei", 7.12e11, "money", "RON")]),
    ("24 million Swiss francs", [Q("24 million Swiss francs", 24e6, "money", "CHF")]),
    ("3.2 billion pesos", [Q("3.2 billion pesos", 3.2e9, "money", "peso")]),
    ("$44.10 a barrel", [Q("$44.10 a barrel", 44.1, "money", "USD/barrel")]),
    ("€1.10 per share", [Q("€1.10 per share", 1.1, "money", "EUR/share")]),
    ("$12m a month", [Q("$12m a month", 12e6, "money", "USD/month")]),
    # measured quantities
    ("16m tonnes", [Q("16m tonnes", 16e6, "quantity", "tonne")]),
    ("16 million tons", [Q("16 million tons", 16e6, "quantity", "tonne")]),
    ("740 kg", [Q("740 kg", 0.74, "quantity", "tonne")]),
    ("540 km", [Q("540 km", 540, "quantity", "km")]),
    ("23 metres", [Q("23 metres", 0.023, "quantity", "km")]),
    ("24,300 hectares", [Q("24,300 hectares", 24300, "quantity", "ha")]),
    ("2,300 square kilometres", [Q("2,300 square kilometres", 230000, "quantity", "ha")]),
    ("16 billion cubic metres", [Q("16 billion cubic metres", 16e9, "quantity", "m3")]),
    ("1.7 gigawatts", [Q("1.7 gigawatts", 1700, "quantity", "MW")]),
    ("650 MW", [Q("650 MW", 650, "quantity", "MW")]),
    ("the 750-kV line", [Q("750-kV", 750, "quantity", "kV")]),
    ("the 750-kilovolt line", [Q("750-kilovolt", 750, "quantity", "kV")]),
    ("gusts of 185 km/h", [Q("185 km/h", 185, "quantity", "km/h")]),
    ("above 40C", [Q("40C", 40, "quantity", "°C", qualifier="above")]),
    ("206,000 barrels a day", [Q("206,000 barrels a day", 206000, "quantity", "barrel/day")]),
    ("206,000 barrels per day", [Q("206,000 barrels per day", 206000, "quantity", "barrel/day")]),
    ("1.65 million bpd", [Q("1.65 million bpd", 1.65e6, "quantity", "barrel/day")]),
    ("16 million tons annually", [Q("16 million tons annually", 16e6, "quantity", "tonne/year")]),
    ("The 21-year-old forward", [Q("21-year-old", 21, "quantity", "age")]),
    ("10- to 14-year-olds", [Q("10- to 14-year-olds", 10, "quantity", "age", 14)]),
    # ordinals
    ("the second attack", [Q("second", 2, "ordinal")]),
    ("the 4th round", [Q("4th", 4, "ordinal")]),
    ("for the third time", [Q("third", 3, "ordinal")]),
    ("the 11th time", [Q("11th", 11, "ordinal")]),
    ("the twelfth time", [Q("twelfth", 12, "ordinal")]),
    ("the twenty-first century", [Q("twenty-first", 21, "ordinal")]),
    ("its third-largest carmaker", [Q("third", 3, "ordinal")]),
    ("a third candidate", [Q("third", 3, "ordinal")]),
    # a part of the summarized text itself is no ordinal to check
    ("the second half of the document", []),
    ("the first part of this podcast", []),
    ("the second half of the season", [Q("second", 2, "ordinal")]),
    # fractions
    ("two-thirds of capacity", [Q("two-thirds", 2 / 3, "fraction")]),
    ("a third of them", [Q("a third", 1 / 3, "fraction")]),
    ("about a fifth of imports", [Q("a fifth", 0.2, "fraction", qualifier="about")]),
    ("three quarters of homes", [Q("three quarters", 0.75, "fraction")]),
    (
        "the first three quarters of 2023",
        [Q("first", 1, "ordinal"), Q("three", 3, "count"), Q("2023", 2023, "year")],
    ),
    # a range whose unit is written on its second end only
    ("highs of 20-25C", [Q("20-25C", 20, "quantity", "°C", high=25)]),
    ("a 3-4pm slot", []),
    ("2/3 of voters", [Q("2/3", 2 / 3, "fraction")]),
    ("a 2/3 majority", [Q("2/3", 2 / 3, "fraction")]),
    # slashes that are no share: a rate, a name, an improper or uncommon fraction, a date
    ("open 24/7 of course", []),
    ("the 9/11 of its time", []),
    ("3/2 of them", []),
    ("on 3/4.", []),
    # durations (base unit: days)
    ("a five-day fire", [Q("five-day", 5 * DAY, "duration", "day")]),
    ("two decades", [Q("two decades", 20 * YEAR, "duration", "day")]),
    ("twelve months", [Q("twelve months", YEAR, "duration", "day")]),
    ("18 months", [Q("18 months", 18 * MONTH, "duration", "day")]),
    ("for a fortnight", [Q("a fortnight", 14 * DAY, "duration", "day")]),
    ("48 hours", [Q("48 hours", 2 * DAY, "duration", "day")]),
    ("it took a year", [Q("a year", YEAR, "duration", "day")]),
    ("a 12-year bond", [Q("12-year", 12 * YEAR, "duration", "day")]),
    ("three to four months", [Q("three to four months", 3 * MONTH, "duration", "day", 4 * MONTH)]),
    ("four or five days", [Q("four or five days", 4 * DAY, "duration", "day", 5 * DAY)]),
    ("two and a half hours", [Q("two and a half hours", 2.5 * HOUR, "duration", "day")]),
    ("two months and ten days", [Q("two months and ten days", 2 * MONTH + 10, "duration", "day")]),
    ("four consecutive months", [Q("four consecutive months", 4 * MONTH, "duration", "day")]),
    (
        "in 2 hours 3 minutes 11 seconds",
        [Q("2 hours 3 minutes 11 seconds", (2 * 3600 + 3 * 60 + 11) / 86400, "duration", "day")],
    ),
    ("won in 2:03:11", [Q("2:03:11", (2 * 3600 + 3 * 60 + 11) / 86400, "duration", "day")]),
    ("up to 12 hours a day", [Q("12 hours a day", 0.5, "duration", "day/day", qualifier="up to")]),
    # dates, date ranges, years
    ("on January 7-8", [Q("January 7-8", 107, "date", "day", 108)]),
    ("on 7 and 8 January", [Q("7 and 8 January", 107, "date", "day", 108)]),
    ("on January 12", [Q("January 12", 112, "date", "day")]),
    ("between June 6 and June 12", [Q("June 6 and June 12", 606, "date", "day", 612)]),
    ("between June 6 and 12", [Q("June 6 and 12", 606, "date", "day", 612)]),
    ("between 3 and 5 May", [Q("3 and 5 May", 503, "date", "day", 505)]),
    ("from 4 to 24 June", [Q("4 to 24 June", 604, "date", "day", 624)]),
    ("a second try on 12 May", [Q("second", 2, "ordinal"), Q("12 May", 512, "date", "day")]),
    ("in March 2024", [Q("March 2024", 20240300, "date", "month")]),
    ("on January 1, 2027", [Q("January 1, 2027", 20270101, "date", "day")]),
    ("Sunday, October 18", [Q("October 18", 1018, "date", "day")]),
    ("in January-February 2024", [Q("January-February 2024", 20240100, "date", "month", 20240200)]),
    (
        "the first two months of 2025",
        [Q("first two months of 2025", 20250100, "date", "month", 20250200)],
    ),
    ("in 2019", [Q("2019", 2019, "year")]),
    ("since mid-2024", [Q("2024", 2024, "year")]),
    ("the 2025/26 fiscal year", [Q("2025/26", 2025, "year", None, 2026)]),
    # ISO 8601 dates; a month or day out of range, or one digit, is no date
    ("met on 2022-05-03.", [Q("2022-05-03", 20220503, "date", "day")]),
    ("due 2024-13-05", [Q("2024", 2024, "year"), Q("13", 13, "count"), Q("05", 5, "count")]),
    ("the 2026 budget", [Q("2026", 2026, "year")]),
    ("2000 patients", [Q("2000", 2000, "count")]),
    # ranges and non-ranges
    ("7–8 people", [Q("7–8", 7, "count", None, 8)]),
    ("7 to 8 people", [Q("7 to 8", 7, "count", None, 8)]),
    ("between 300 and 400 people", [Q("300 and 400", 300, "count", None, 400)]),
    (
        "between 1.34 and 1.37 million tonnes",
        [Q("1.34 and 1.37 million tonnes", 1.34e6, "quantity", "tonne", 1.37e6)],
    ),
    ("€150m to €200m", [Q("€150m to €200m", 1.5e8, "money", "EUR", 2e8)]),
    ("between €40 million and €60m", [Q("€40 million and €60m", 4e7, "money", "EUR", 6e7)]),
    ("voted seven to two", [Q("seven", 7, "count"), Q("two", 2, "count")]),
    ("a 7-2 vote", [Q("7", 7, "count"), Q("2", 2, "count")]),
    ("from 60 to 64", [Q("60", 60, "count"), Q("64", 64, "count")]),
    (
        "rises by 61,000 bpd to 9.68 million bpd",
        [
            Q("61,000 bpd", 61000, "quantity", "barrel/day"),
            Q("9.68 million bpd", 9.68e6, "quantity", "barrel/day"),
        ],
    ),
    (
        "cut by 0.25 percentage points to 8.75%",
        [Q("0.25 percentage points", 0.25, "percent", "pp"), Q("8.75%", 8.75, "percent", "%")],
    ),
    # qualifiers
    ("at least 300", [Q("300", 300, "count", qualifier="at least")]),
    ("about 4.2bn", [Q("4.2bn", 4.2e9, "count", qualifier="about")]),
    ("more than 2,700", [Q("2,700", 2700, "count", qualifier="more than")]),
    ("nearly 4,000", [Q("4,000", 4000, "count", qualifier="nearly")]),
    ("up to €70 million", [Q("€70 million", 7e7, "money", "EUR", qualifier="up to")]),
    ("over 300", [Q("300", 300, "count", qualifier="over")]),
    ("children under 15", [Q("15", 15, "count", qualifier="under")]),
    ("some 42,500 hectares", [Q("42,500 hectares", 42500, "quantity", "ha", qualifier="some")]),
    ("an estimated 1.6 billion", [Q("1.6 billion", 1.6e9, "count", qualifier="an estimated")]),
    ("no more than four", [Q("four", 4, "count", qualifier="no more than")]),
    # not quantities
    ("one of the last hospitals", []),
    ("no one was hurt", []),
    ("not a distressed one.", []),
    ("a one-off payment", []),
    ("Covid-19 cases rose", []),
    ("the Engels-2 airbase", []),
    ("Ai-95 petrol", []),
    ("M23 rebels", []),
    ("the LC16m8 vaccine", []),
    ("An Ariane 6 rocket", []),
    ("in Ligue 1 matches", []),
    ("at 2:03 local time", []),
    ("at 04:17 local time", []),
    ("call +44 20 7946 0958 now", []),
    ("call 555-0123 now", []),
    ("in the 1990s", []),
    ("thousands of troops and dozens of tanks", []),
    ("a year earlier", []),
    ("in the past fortnight", [Q("fortnight", 14 * DAY, "duration", "day")]),
    # Penn-Treebank-style spacing (CNN/DailyMail sources of QAGS) and glued text
    ("more than 13 , 000 twins", [Q("13 , 000", 13000, "count", qualifier="more than")]),
    ("scooped $ 53 , 193 , 914", [Q("$ 53 , 193 , 914", 53193914, "money", "USD")]),
    ("lived to 122 . 5 . She died", [Q("122 . 5", 122.5, "count")]),
    ("in 2019 . 5 people died", [Q("2019", 2019, "year"), Q("5", 5, "count")]),
    ("the 27 - year - old", [Q("27 - year - old", 27, "quantity", "age")]),
    ("a two - week cruise", [Q("two - week", 14 * DAY, "duration", "day")]),
    ("the $53million jackpot", [Q("$53million", 53e6, "money", "USD")]),
    ("since Jan. 18.Japan's index fell", [Q("Jan. 18", 118, "date", "day")]),
    ("a 3 - 1 win", [Q("3", 3, "count"), Q("1", 1, "count")]),
    ("H5N1 and G7 talks", []),
    ("over the last decade", [Q("decade", 10 * YEAR, "duration", "day")]),
    ("Rs 4,200 crore", [Q("Rs 4,200 crore", 4.2e10, "money", "INR")]),
    ("NOK 6.8 billion", [Q("NOK 6.8 billion", 6.8e9, "money", "NOK")]),
    ("6.8 billion Norwegian crowns", [Q("6.8 billion Norwegian crowns", 6.8e9, "money", "NOK")]),
    ("1.1 billion kroner", [Q("1.1 billion kroner", 1.1e9, "money", "krone")]),
    ("three times a year", [Q("three", 3, "count")]),
    # signs: a minus sign before the digits, or the word "minus"
    ("rose to -5 degrees", [Q("-5 degrees", -5, "quantity", "degree")]),
    ("fell to minus 40 overnight", [Q("minus 40", -40, "count")]),
    ("a loss of \u22123 million", [Q("\u22123 million", -3e6, "count")]),
    ("a net loss of -$3m", [Q("-$3m", -3e6, "money", "USD")]),
    ("a -5% drop", [Q("-5%", -5, "percent", "%")]),
    ("at minus forty", [Q("minus forty", -40, "count")]),
    ("lows of -5 to 10 degrees", [Q("-5 to 10 degrees", -5, "quantity", "degree", high=10)]),
    ("(-12C)", [Q("-12C", -12, "quantity", "°C")]),
    ("COVID-19 and F-16s", []),
    ("in 2020-2021", [Q("2020", 2020, "year"), Q("2021", 2021, "year")]),
    ("pages 10-12", [Q("10-12", 10, "count", high=12)]),
    ("up 5%-10%", [Q("5%-10%", 5, "percent", "%", high=10)]),
    ("children aged 5 -10", [Q("5 -10", 5, "quantity", "age", high=10)]),
    ("10 minus 4 is 6", [Q("10", 10, "count"), Q("4", 4, "count"), Q("6", 6, "count")]),
    ("plus or minus 5 points", [Q("5", 5, "count")]),
    # units of length, volume, mass and temperature, converted to km, m3, tonne, °C
    ("984 feet tall", [Q("984 feet", 984 * 3.048e-4, "quantity", "km")]),
    ("a 6-foot wall", [Q("6-foot", 6 * 3.048e-4, "quantity", "km")]),
    (
        "6ft and 20 mi",
        [Q("6ft", 6 * 3.048e-4, "quantity", "km"), Q("20 mi", 20 * 1.609344, "quantity", "km")],
    ),
    ("100 yards", [Q("100 yards", 100 * 9.144e-4, "quantity", "km")]),
    ("12 inches", [Q("12 inches", 12 * 2.54e-5, "quantity", "km")]),
    ("5 in 10 people", [Q("5 in 10", 0.5, "fraction")]),  # a share, not inches
    ("5 in Paris, 10 in Rome", [Q("5", 5, "count"), Q("10", 10, "count")]),
    ("5 gallons", [Q("5 gallons", 5 * 3.785411784e-3, "quantity", "m3")]),
    (
        "500ml and 2 pints",
        [Q("500ml", 5e-4, "quantity", "m3"), Q("2 pints", 2 * 4.73176473e-4, "quantity", "m3")],
    ),
    ("200 lb", [Q("200 lb", 200 * 4.5359237e-4, "quantity", "tonne")]),
    ("16 oz", [Q("16 oz", 16 * 2.8349523125e-5, "quantity", "tonne")]),
    ("It weighs 200 pounds", [Q("200 pounds", 200 * 4.5359237e-4, "quantity", "tonne")]),
    ("5 pounds of flour", [Q("5 pounds", 5 * 4.5359237e-4, "quantity", "tonne")]),
    ("He paid 5 pounds", [Q("5 pounds", 5, "money", "GBP")]),
    ("5 pounds sterling", [Q("5 pounds sterling", 5, "money", "GBP")]),
    ("It was 30 °C", [Q("30 °C", 30, "quantity", "°C")]),
    ("It was 86°F", [Q("86°F", 30, "quantity", "°C")]),
    ("-40F", [Q("-40F", -40, "quantity", "°C")]),
    ("minus 40 degrees Fahrenheit", [Q("minus 40 degrees Fahrenheit", -40, "quantity", "°C")]),
    ("between 50 and 68 °F", [Q("50 and 68 °F", 10, "quantity", "°C", high=20)]),
    ("30 degrees", [Q("30 degrees", 30, "quantity", "degree")]),
    ("a 90° turn", [Q("90°", 90, "quantity", "degree")]),
    # "m": metres only before "tall", "deep", "sprint" ...; million or nothing elsewhere
    ("The tower is 300 m tall", [Q("300 m", 0.3, "quantity", "km")]),
    ("won the 100m sprint", [Q("100m", 0.1, "quantity", "km")]),
    ("16m people", [Q("16m", 16e6, "count")]),
    ("2m long-term jobless", [Q("2m", 2e6, "count")]),
    ("a £300m long shot", [Q("£300m", 3e8, "money", "GBP")]),
    ("16 m people", [Q("16", 16, "count")]),
    # thousands grouped by a space: a no-break, narrow no-break or thin space always
    ("Some 4\u00a0200 people", [Q("4\u00a0200", 4200, "count", qualifier="some")]),
    ("Some 4\u202f200 people", [Q("4\u202f200", 4200, "count", qualifier="some")]),
    ("Some 4\u2009200 people", [Q("4\u2009200", 4200, "count", qualifier="some")]),
    ("12\u00a0345\u00a0678 votes", [Q("12\u00a0345\u00a0678", 12345678, "count")]),
    ("4\u00a0200.5 tonnes", [Q("4\u00a0200.5 tonnes", 4200.5, "quantity", "tonne")]),
    ("a \u20ac4\u00a0200 fine", [Q("\u20ac4\u00a0200", 4200, "money", "EUR")]),
    ("4\u00a02000 x", [Q("4", 4, "count"), Q("2000", 2000, "year")]),
    ("4\u00a0200,5 tonnes", [Q("4\u00a0200,5 tonnes", 4200.5, "quantity", "tonne")]),
    # a decimal comma: one or two digits after a single comma
    ("9,7 billion euros", [Q("9,7 billion euros", 9.7e9, "money", "EUR")]),
    ("inflation of 12,5%", [Q("12,5%", 12.5, "percent", "%")]),
    ("€12,50 each", [Q("€12,50", 12.5, "money", "EUR")]),
    ("1,300 people", [Q("1,300", 1300, "count")]),
    # "by a third": a share, as "a third of" is; "by a third route" is an ordinal
    ("costs fell by a third last year", [Q("a third", 1 / 3, "fraction")]),
    ("sales rose by a quarter.", [Q("a quarter", 0.25, "fraction")]),
    ("they came by a third route", [Q("third", 3, "ordinal")]),
    # ages are in years, whatever unit the compound names
    ("a six-month-old baby", [Q("six-month-old", 0.5, "quantity", "age")]),
    ("an 18-month-old boy", [Q("18-month-old", 1.5, "quantity", "age")]),
    ("a 30 year old man", [Q("30 year old", 30, "quantity", "age")]),
    ("a 30-year old man", [Q("30-year old", 30, "quantity", "age")]),
    ("a six month old baby", [Q("six month old", 0.5, "quantity", "age")]),
    # "30 years old", "aged 30", "at the age of 30": ages too
    ("a man, 30 years old, was", [Q("30 years old", 30, "quantity", "age")]),
    ("the baby, six months old, was", [Q("six months old", 0.5, "quantity", "age")]),
    ("a man aged 30 was", [Q("30", 30, "quantity", "age")]),
    ("children aged 5 to 11", [Q("5 to 11", 5, "quantity", "age", 11)]),
    ("a boy aged 18 months", [Q("18 months", 1.5, "quantity", "age")]),
    ("he died at the age of 85", [Q("85", 85, "quantity", "age")]),
    ("it took 30 years", [Q("30 years", 30 * 365, "duration", "day")]),
    ("the Ice Age of 20,000 years", [Q("20,000 years", 20000 * 365, "duration", "day")]),
    # a whole number alone in square brackets is a citation mark
    ("The storm killed 12 people [3].", [Q("12", 12, "count")]),
    ("The storm killed 12 people.[3][14]", [Q("12", 12, "count")]),
    ("a fine of [$5 million]", [Q("$5 million", 5e6, "money", "USD")]),
    ("a share of [2.5]", [Q("2.5", 2.5, "count")]),
    # "Q3" is the third quarter; "Audi Q3", "Q5" and "H2" are names
    ("Revenue rose in Q3 2024.", [Q("Q3", 3, "ordinal"), Q("2024", 2024, "year")]),
    ("sales in Q1, up", [Q("Q1", 1, "ordinal")]),
    ("the new Audi Q3 and the Q5", []),
    ("green H2 projects", []),
    # a share of a scaled whole is one amount, not a fraction and the whole
    ("half a million people", [Q("half a million", 5e5, "count")]),
    ("a quarter of a million people", [Q("a quarter of a million", 2.5e5, "count")]),
    (
        "three quarters of a billion dollars",
        [Q("three quarters of a billion dollars", 7.5e8, "money", "USD")],
    ),
    ("half a dozen eggs", [Q("half a dozen", 6, "count")]),
    ("a million and a half people", [Q("a million and a half", 1.5e6, "count")]),
    ("a million and a halfpenny", [Q("a million", 1e6, "count")]),
    ("a third of the 3 million", [Q("a third", 1 / 3, "fraction"), Q("3 million", 3e6, "count")]),
    # thousands grouped by dots: two groups, a decimal comma, or three zeros in a
    # text that groups nothing with commas; else the dot is a decimal point
    ("1.234.567 people voted", [Q("1.234.567", 1234567, "count")]),
    ("a bill of €1.250,50", [Q("€1.250,50", 1250.5, "money", "EUR")]),
    ("Police said 10.000 people marched", [Q("10.000", 10000, "count")]),
    (
        "2.500 people and 1.200.000 euros",
        [Q("2.500", 2500, "count"), Q("1.200.000 euros", 1.2e6, "money", "EUR")],
    ),
    ("the index rose 1.500 points", [Q("1.500", 1.5, "count")]),
    (
        "All 10,000 people ran 10.000 miles",
        [Q("10,000", 10000, "count"), Q("10.000 miles", 10 * 1.609344, "quantity", "km")],
    ),
    ("a 2.125% coupon", [Q("2.125%", 2.125, "percent", "%")]),
    # an amount in brackets is negative, as accounts write it; a bare number is not
    ("a loss of $(3.1) million", [Q("$(3.1) million", -3.1e6, "money", "USD")]),
    ("earnings per share of $(0.12)", [Q("$(0.12)", -0.12, "money", "USD")]),
    ("income was (5.2) million euros", [Q("(5.2) million euros", -5.2e6, "money", "EUR")]),
    ("5,200 people (up from 4,100)", [Q("5,200", 5200, "count"), Q("4,100", 4100, "count")]),
    ("step (5) of the plan", [Q("5", 5, "count")]),
    # slash dates: month first unless the first number cannot be a month
    ("held on 12/25/2024 in", [Q("12/25/2024", 20241225, "date", "day")]),
    ("held on 25/12/2024 in", [Q("25/12/2024", 20241225, "date", "day")]),
    ("held on 3/5/2024 in", [Q("3/5/2024", 20240305, "date", "day")]),
    ("held on 13/13/2024 in", []),
    ("open 24/7 for 2/3 of", [Q("2/3", 2 / 3, "fraction")]),
    # "one in five": a share; "two in 10 minutes", "3 in 2024" are no shares
    ("One in five adults smoke", [Q("One in five", 0.2, "fraction")]),
    ("1 in 4 voters", [Q("1 in 4", 0.25, "fraction")]),
    ("one in every ten homes", [Q("one in every ten", 0.1, "fraction")]),
    (
        "scored two in 10 minutes",
        [Q("two", 2, "count"), Q("10 minutes", 10 / 1440, "duration", "day")],
    ),
    ("won 3 in 2024", [Q("3", 3, "count"), Q("2024", 2024, "year")]),
    # the hours of a clock time are no quantity (as "04:17" is none)
    ("we meet at 7 pm", []),
    ("we meet at 9.30 a.m. with 40 people", [Q("40", 40, "count")]),
    ("open 7-9 pm daily", []),
    ("back by 10 o’clock", []),
    ("lunch at 12 noon", []),
    ("25 pm", [Q("25", 25, "count")]),
    # an ISO currency code glued to the amount; a letter glued to a number is a name
    ("a fee of USD5m", [Q("USD5m", 5e6, "money", "USD")]),
    ("a fee of EUR5 million", [Q("EUR5 million", 5e6, "money", "EUR")]),
    ("the A25 road", []),
    # full-width digits and percent sign
    ("sales rose \uff11\uff12\uff05 in May", [Q("\uff11\uff12\uff05", 12, "percent", "%")]),
    ("sales rose 12\ufe6a in May", [Q("12\ufe6a", 12, "percent", "%")]),
    # a decimal with no leading zero
    ("Shares fell .5% today", [Q(".5%", 0.5, "percent", "%")]),
    ("a stamp costs $.50", [Q("$.50", 0.5, "money", "USD")]),
    ("up .25 percentage points", [Q(".25 percentage points", 0.25, "percent", "pp")]),
    # "MM" after a currency is million (accounting); elsewhere millimetres
    ("raised $1.5MM in seed money", [Q("$1.5MM", 1.5e6, "money", "USD")]),
    ("a 5MM drill bit", [Q("5MM", 5e-6, "quantity", "km")]),
    # ... a plain space only where the text has no other reading
    ("Some 4 200 people", [Q("4 200", 4200, "count", qualifier="some")]),
    ("1 234 567 people", [Q("1 234 567", 1234567, "count")]),
    ("It cost $4 200.", [Q("$4 200", 4200, "money", "USD")]),
    ("in 2019 100 people", [Q("2019", 2019, "year"), Q("100", 100, "count")]),
    ("On May 5 200 people came", [Q("May 5", 505, "date", "day"), Q("200", 200, "count")]),
    ("at 7 100 people", [Q("7", 7, "count"), Q("100", 100, "count")]),
    (
        "Some 4 200 people and 1,300 more",
        [Q("4", 4, "count", qualifier="some"), Q("200", 200, "count"), Q("1,300", 1300, "count")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0] for case in CASES])
def test_extraction_table(text: str, expected: list[Q]) -> None:
    got = extract_quantities(text)
    assert [q.text for q in got] == [e.text for e in expected]
    for q, e in zip(got, expected, strict=True):
        assert q.value == pytest.approx(e.value, rel=1e-9), q
        assert (q.kind, q.unit, q.qualifier) == (e.kind, e.unit, e.qualifier), q
        if e.high is None:
            assert q.high is None, q
        else:
            assert q.high == pytest.approx(e.high, rel=1e-9), q
        assert text[q.span[0] : q.span[1]] == q.text


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 80


def test_equal_durations_normalise_to_the_same_days() -> None:
    def days(text: str) -> float:
        (q,) = extract_quantities(text)
        return q.value

    assert days("twelve months") == days("a year") == days("365 days") == 365.0
    assert days("48 hours") == days("two days")
    assert days("a fortnight") == days("two weeks")
    assert days("two decades") == days("20 years")


def test_precision_step_reflects_the_written_form() -> None:
    def step(text: str) -> float:
        return extract_quantities(text)[0].step

    assert step("4,000") == 1000
    assert step("2,700") == 100
    assert step("41") == 1
    assert step("4.2bn") == pytest.approx(1e8)
    assert step("4.25") == pytest.approx(0.01)
    assert step("7%") == 1
