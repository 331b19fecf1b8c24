"""Dates in the scan: "January 7-8, 2025", "12 May", "4 to 24 June", "2022-05-03", "2025/26",
"3/5/2024", "2:03:11"."""

from __future__ import annotations

import re

from harness.text.quantities.draft import Draft, date_draft
from harness.text.quantities.lexicon import SCALE_WORDS, SPACED_SCALES
from harness.text.quantities.tokens import HMS_RE, YRANGE_RE, TokenDoc


def date_from_month(doc: TokenDoc, i: int) -> Draft | None:
    """ "January 12", "Jan. 12, 2025", "March 2024", "January 7-8", "January-February 2025"."""
    month = doc.month_at(i)
    j = i + 1
    if doc.low(j) == "." and doc.adjacent(i, j):
        j += 1
    # "January-February 2025": a range of months
    if doc.low(j) in ("-", "–") and doc.month_at(j + 1) and doc.year_at(j + 2):
        year = doc.year_at(j + 2)
        month2 = doc.month_at(j + 1)
        return date_draft(i, j + 3, year, month, 0, high=(year, month2, 0))
    day = doc.day_at(j)
    nxt = doc.low(j + 1)
    if day and not (nxt in SCALE_WORDS or nxt in SPACED_SCALES or nxt in ("%", "percent")):
        year = 0
        k = j + 1
        if doc.low(k) == "," and doc.year_at(k + 1):
            year = doc.year_at(k + 1)
            k += 2
        elif doc.year_at(k) and not doc.adjacent(j, k):
            year = doc.year_at(k)
            k += 1
        # ranges: "January 7-8", "May 5 and 12", "June 6 and June 12", "July 10 to 14"
        conn = doc.low(k)
        if conn in ("-", "–", "and", "to", "through", "or") and not (year and conn in ("-", "–")):
            m2 = month
            k2 = k + 1
            if doc.month_at(k2):
                m2 = doc.month_at(k2)
                k2 += 1
            day2 = doc.day_at(k2)
            if day2 and (m2, day2) > (month, day):
                end = k2 + 1
                year2 = year
                if doc.low(end) == "," and doc.year_at(end + 1):
                    year2 = doc.year_at(end + 1)
                    end += 2
                elif doc.year_at(end):
                    year2 = doc.year_at(end)
                    end += 1
                year = year or year2
                return date_draft(i, end, year, month, day, high=(year2 or year, m2, day2))
        return date_draft(i, k, year, month, day)
    year = doc.year_at(j)
    if year:
        k = j + 1
        before = doc.low(i - 1)
        if before == "between" and doc.low(k) == "and" and doc.month_at(k + 1):
            m2, y2 = doc.month_at(k + 1), doc.year_at(k + 2)
            if y2:
                return date_draft(i, k + 3, year, month, 0, high=(y2, m2, 0))
        return date_draft(i, k, year, month, 0)
    return None


def date_from_day(doc: TokenDoc, i: int) -> Draft | None:
    """ "12 May", "16 and 27 February", "4 to 24 June", "7-8 January", "12th of May"."""
    day = doc.day_at(i)
    j = i + 1
    if doc.low(j) == "of" and doc.toks[i].kind == "numsuf":
        j += 1
    month = doc.month_at(j)
    if month:
        if doc.adjacent(i, j):
            return None
        year = doc.year_at(j + 1)
        end = j + 2 if year else j + 1
        return date_draft(i, end, year, month, day)
    conn = doc.low(j)
    if conn in ("-", "–", "and", "to", "or"):
        day2 = doc.day_at(j + 1)
        month = doc.month_at(j + 2)
        if day2 and month and day2 > day:
            year = doc.year_at(j + 3)
            end = j + 4 if year else j + 3
            return date_draft(i, end, year, month, day, high=(year, month, day2))
    return None


_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def slash_date(doc: TokenDoc, i: int) -> Draft | None:
    """ "3/5/2024", "25/12/2024": a day, month and year written with slashes.

    Month first ("12/25/2024", as the US writes it) or day first ("25/12/2024")
    where one of the two numbers cannot be a month; where both can, the date is
    read month first and ``other_reading`` holds the day-first date (3 May for
    "3/5/2024"), so either backs or is backed by it.
    """
    match = _SLASH_DATE.fullmatch(doc.toks[i].text)
    if match is None:
        return None
    first, second, year = (int(part) for part in match.groups())
    if not 1800 <= year <= 2100:
        return None
    month_first = 1 <= first <= 12 and 1 <= second <= 31
    day_first = 1 <= second <= 12 and 1 <= first <= 31
    if month_first:
        draft = date_draft(i, i + 1, year, first, second)
        if day_first and first != second:
            draft.other_reading = float(year * 10000 + second * 100 + first)
        return draft
    return date_draft(i, i + 1, year, second, first) if day_first else None


def iso_date(doc: TokenDoc, i: int) -> Draft | None:
    """ "2022-05-03": a year, month and day written ISO 8601 style, joined by hyphens."""
    year = doc.year_at(i)
    if not year or i + 4 >= doc.n:
        return None
    parts = doc.toks[i + 1 : i + 5]
    if [t.text for t in parts[::2]] != ["-", "-"] or not all(
        doc.adjacent(k, k + 1) for k in range(i, i + 4)
    ):
        return None
    month_tok, day_tok = parts[1], parts[3]
    if not all(t.kind == "num" and len(t.text) == 2 for t in (month_tok, day_tok)):
        return None
    month, day = int(month_tok.num), int(day_tok.num)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return date_draft(i, i + 5, year, month, day)


def year_range(doc: TokenDoc, i: int) -> Draft | None:
    """ "2025/26", "2019/2020": a year with its end year as ``high``."""
    m = YRANGE_RE.fullmatch(doc.toks[i].text)
    if m is None:
        return None
    start = int(m.group(1))
    end_text = m.group(2)
    end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
    if end <= start:
        return None
    return Draft(i, i + 1, start, start, 1.0, "year", high=float(end), high_number=float(end))


def hms(doc: TokenDoc, i: int) -> Draft | None:
    """ "2:03:11": a race time as a duration in days (clock times "04:17" are skipped)."""
    m = HMS_RE.fullmatch(doc.toks[i].text)
    if m is None or m.group(3) is None:
        return None  # "04:17", "2:03": clock times are not checked
    hours, minutes, seconds = (int(g) for g in m.groups())
    days = hours / 24 + minutes / 1440 + seconds / 86400
    return Draft(i, i + 1, days, days, 1 / 86400, "duration", "day")
