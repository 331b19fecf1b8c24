"""Tests for value equivalence: rounding, qualifiers, kinds, units, currencies and ranges."""

from __future__ import annotations

from typing import Any

import pytest

from harness.text.quantities import (
    MatchSettings,
    QuantityMatch,
    equivalent,
    extract_quantities,
    match_quantities,
)


def _matches(summary: str, source: str, **settings: Any) -> list[QuantityMatch]:
    return match_quantities(
        extract_quantities(summary), extract_quantities(source), MatchSettings(**settings)
    )


def _status(summary: str, source: str, **settings: Any) -> list[str]:
    return [m.status for m in _matches(summary, source, **settings)]


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # rounding to the summary's precision, within 5%
        ("nearly 4,000 people", "3,960 people fled", "supported"),
        ("about 4,000 people", "3,600 people fled", "unsupported"),
        ("4,000 people", "3,960 people fled", "supported"),
        ("3,960 people", "about 4,000 people fled", "unsupported"),
        ("40 people", "41 people fled", "unsupported"),
        ("about 40 people", "41 people fled", "supported"),
        ("4.2bn", "4.24 billion", "supported"),
        ("2.1 million", "2.14 million", "supported"),
        ("2.1 million", "2.2 million", "unsupported"),
        # a share as a fraction or a percentage, to the point
        ("75% of homes", "three quarters of homes flooded", "supported"),
        ("67% of voters", "2/3 of voters agreed", "supported"),
        ("two-thirds of voters", "66% of voters agreed", "supported"),
        ("two-thirds of voters", "60% of voters agreed", "unsupported"),
        ("2/3 of voters", "two-thirds of voters agreed", "supported"),
        ("three-quarters of voters", "2/3 of voters agreed", "unsupported"),
        # "Q3" is the third quarter
        ("revenue rose in the third quarter", "Revenue rose in Q3 2024.", "supported"),
        ("revenue rose in Q3", "Revenue rose in the third quarter.", "supported"),
        ("revenue rose in Q2", "Revenue rose in the third quarter.", "unsupported"),
        # "half a million" is 500,000, not a million
        ("nearly 500,000 people fled", "Nearly half a million people fled.", "supported"),
        ("a million people fled", "Nearly half a million people fled.", "unsupported"),
        ("250,000 people fled", "A quarter of a million people fled.", "supported"),
        ("a million people fled", "A quarter of a million people fled.", "unsupported"),
        ("1.5 million people fled", "A million and a half people fled.", "supported"),
        ("a million people fled", "A million and a half people fled.", "unsupported"),
        # thousands grouped by dots, as much of Europe writes them
        ("10,000 people marched", "Police said 10.000 people marched.", "supported"),
        ("10.000 people marched", "Police said 10,000 people marched.", "supported"),
        ("1.234.567 people voted", "In all, 1,234,567 people voted.", "supported"),
        ("1.234.568 people voted", "In all, 1,234,567 people voted.", "unsupported"),
        # "$(0.12)": a negative amount, as accounts write it
        ("earnings per share of -$0.12", "Earnings per share were $(0.12).", "supported"),
        ("earnings per share of $0.12", "Earnings per share were $(0.12).", "unsupported"),
        ("income of -5.2 million euros", "Income was (5.2) million euros.", "supported"),
        ("income of $(3.1) million", "Income was -$3.1 million.", "supported"),
        ("income of $(3.1) million", "Income was $3.1 million.", "unsupported"),
        # "3/5/2024" is March 5 (US) or 3 May: either backs it, no other date does
        ("held on March 5", "The vote was held on 3/5/2024.", "supported"),
        ("held on 3 May", "The vote was held on 3/5/2024.", "supported"),
        ("held on 5 March 2024", "The vote was held on 3/5/2024.", "supported"),
        ("held on May 5", "The vote was held on 3/5/2024.", "unsupported"),
        ("held on 3/5/2024", "The vote was held on March 5, 2024.", "supported"),
        ("held on 3/5/2024", "The vote was held on 3 May 2024.", "supported"),
        ("held on 4/9/2024", "The vote was held on March 5, 2024.", "unsupported"),
        ("held on 3/5/2023", "The vote was held on March 5, 2024.", "unsupported"),
        ("held on 25/12/2024", "It was held on December 25, 2024.", "supported"),
        ("held in 2024", "The vote was held on 3/5/2024.", "supported"),
        # "5 points" of a share are its percentage points (not its percent)
        ("support fell 5 points", "support fell 5 percentage points", "supported"),
        ("support fell 5 percentage points", "support fell 5 points", "supported"),
        ("support fell 6 points", "support fell 5 percentage points", "unsupported"),
        ("support fell 5 points", "support fell 5% in May", "unsupported"),
        # "one in five" is a share, as "a fifth of" is
        ("20% of adults", "One in five adults smokes", "supported"),
        ("one in five adults", "About 20% of adults smoke", "supported"),
        ("1 in 5 adults", "a fifth of adults smoke", "supported"),
        ("one in every five adults", "one in five adults smoke", "supported"),
        ("one in four adults", "One in five adults smokes", "unsupported"),
        ("25% of adults", "One in five adults smokes", "unsupported"),
        # qualifiers as bounds
        ("more than 1,300 wounded", "1,350 were wounded", "supported"),
        ("more than 1,300 wounded", "1,250 were wounded", "unsupported"),
        ("up to 12 hours", "11.5 hours", "supported"),
        # a bound reversed on the same value: both sides bound it, the other way
        ("fewer than 1,300 wounded", "More than 1,300 people were wounded.", "context_mismatch"),
        ("more than 1,300 wounded", "Up to 1,300 people were wounded.", "context_mismatch"),
        ("under 40 people", "over 40 people came", "context_mismatch"),
        ("at most 40 people", "at least 40 people came", "context_mismatch"),
        ("at least 40 people", "at most 40 people came", "context_mismatch"),
        ("more than 4,000 people", "nearly 4,000 people fled", "context_mismatch"),
        ("under 1,250 people", "more than 1,300 people came", "unsupported"),
        ("at least 1,300 people", "more than 1,300 people came", "supported"),
        ("over 3,900 people", "almost 4,000 people fled", "supported"),
        ("fewer than 1,310 wounded", "More than 1,300 people were wounded.", "supported"),
        # a bound on one side only reads as before
        ("about 1,300 wounded", "1,312 people were wounded.", "supported"),
        ("1,300 wounded", "More than 1,300 people were wounded.", "supported"),
        ("fewer than 1,300 wounded", "1,300 people were wounded.", "supported"),
        ("about 1,300 wounded", "More than 1,300 people were wounded.", "supported"),
        # kinds
        ("the second attack", "It was attacked 2 times.", "unsupported"),
        ("the second attack", "the second such attack", "supported"),
        ("in 2023", "the February 2023 earthquakes", "supported"),
        ("in March 2022", "on March 5, 2022", "supported"),
        ("on March 5", "in March 2022", "unsupported"),
        ("0.25 percentage points", "cut by 0.25%", "unsupported"),
        ("25 basis points", "a cut of 0.25 percentage points", "supported"),
        ("1.5 million imports", "imports of 1.5 million tonnes", "supported"),
        ("£70m", "for £62m plus up to £8m, or £70m in total", "supported"),
        ("$12m a month", "it costs $12m a week", "unsupported"),
        ("48 hours", "two days of talks", "supported"),
        ("a fortnight", "14 days", "supported"),
        ("18 months", "a year and six months", "unsupported"),
        # ranges
        ("between 300 and 400", "between 300 and 400 died", "supported"),
        ("between 300 and 400", "300 died in May and 400 in June", "supported"),
        ("between 300 and 500", "between 300 and 400 died", "unsupported"),
        ("€200 million", "charges of €150m to €200m", "supported"),
        ("June 6-12", "between June 6 and June 12", "supported"),
        ("May 5 and 12", "a first try on May 5. A second on 12 May.", "supported"),
        # decimal commas
        ("12,5%", "Inflation hit 12.5% in May.", "supported"),
        ("19,5%", "Inflation hit 12.5% in May.", "unsupported"),
        ("9.7 billion euros", "it earned 9,7 billion euros", "supported"),
        ("4,200 people", "Some 4\u00a0200 people came.", "supported"),
        ("200 people", "Some 4\u00a0200 people came.", "unsupported"),
        # signs
        ("-5 degrees", "Temperatures rose to 5 degrees.", "unsupported"),
        ("5 degrees", "Temperatures fell to -5 degrees.", "unsupported"),
        ("40 degrees", "it fell to minus 40 degrees", "unsupported"),
        ("\u22123 million", "sales rose 3 million", "unsupported"),
        ("-5 degrees", "Temperatures fell to -5 degrees.", "supported"),
        ("minus 5 degrees", "Temperatures fell to -5 degrees.", "supported"),
        ("\u22125 degrees", "Temperatures fell to minus 5 degrees.", "supported"),
        ("about -5 degrees", "Temperatures fell to -5.2 degrees.", "supported"),
    ],
)
def test_matching_rules(summary: str, source: str, expected: str) -> None:
    (match,) = _matches(summary, source)
    assert match.status == expected, match.evidence


def test_currency_names_and_families() -> None:
    source = "Profit was 6.8 billion Norwegian crowns and costs 1.1 billion kroner."
    assert _status("NOK 6.8 billion", source) == ["supported"]
    assert _status("6.8 billion Swedish crowns", source) == ["unsupported"]
    assert _status("NOK 1.1 billion", source) == ["supported"]
    assert _status("Rs 4,200 crore", "a ₹4,200 crore offering") == ["supported"]


def test_equivalent_respects_currency_and_units() -> None:
    (usd,) = extract_quantities("$4.2bn")
    (eur,) = extract_quantities("€4.2bn")
    (bare,) = extract_quantities("4.2 billion")
    assert not equivalent(usd, eur)
    assert equivalent(usd, bare) and equivalent(bare, usd)


def test_a_reversed_bound_names_both_bounds() -> None:
    (match,) = _matches("Fewer than 1,300 were wounded.", "More than 1,300 people were wounded.")
    assert match.status == "context_mismatch"
    assert match.source is not None and match.source.text == "1,300"
    assert match.evidence == (
        "source says more than 1,300, not fewer than 1,300: the bound is reversed "
        "(source sentence 1)"
    )
