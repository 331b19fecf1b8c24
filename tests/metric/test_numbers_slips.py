"""The audit's number slips, end to end: a wrong figure is never ``supported`` in silence.

Each pair runs through the ``numbers`` and ``consistency`` metrics as a run scores it;
the matching rules themselves are tested in tests/text/quantities/ and
tests/text/test_alignment.py.
"""

from __future__ import annotations

import pytest

from harness.config import MetricConfig
from harness.metric import MetricInput, MetricResult, build_metric
from harness.records import Example

METRICS = {
    name: build_metric(MetricConfig(name=name), "test")[1] for name in ("numbers", "consistency")
}


def _score(name: str, source: str, summary: str) -> MetricResult:
    item = MetricInput(example=Example(id="x", source=source), summary=summary)
    return METRICS[name].score([item])[0]


WRONG = [
    # a sign dropped or added
    ("Temperatures rose to 5 degrees.", "Temperatures rose to -5 degrees."),
    ("Temperatures fell to minus 40 overnight.", "Temperatures fell to 40 overnight."),
    ("The firm lost 3 million dollars.", "The firm lost \u22123 million dollars."),
    # the sign a result's word gives: earnings are not a loss (see also RESULT_SWAPS)
    ("The fund posted a loss of $3 million.", "The fund posted earnings of $3 million."),
    # a result's two values swapped: read low to high, "48% to 52%" looks like a range
    ("The vote was 52% to 48%.", "The vote was 48% to 52%."),
    ("The score was 3-1 to Chelsea.", "The score was 1-3 to Chelsea."),
    # a bound reversed on the same value
    ("More than 1,300 people were wounded.", "Fewer than 1,300 people were wounded."),
    ("Up to 1,300 people were wounded.", "More than 1,300 people were wounded."),
    ("Over 40 people were hurt.", "Under 40 people were hurt."),
    ("At least 40 people were hurt.", "At most 40 people were hurt."),
    # thousands grouped by a space
    ("Some 4\u00a0200 people attended the rally.", "Some 200 people attended the rally."),
    ("Some 4\u202f200 people attended the rally.", "Some 200 people attended the rally."),
    ("Inflation hit 12.5% in May.", "Inflation hit 19,5% in May."),
    # the same number in another unit of the dimension
    ("The tower is 300 m tall.", "The tower is 300 feet tall."),
    ("The tank holds 5 litres.", "The tank holds 5 gallons."),
    ("The run is 20 km long.", "The run is 20 mi long."),
    ("It was 30 °C at noon.", "It was 30 °F at noon."),
    ("It was 30 degrees at noon.", "It was 30 °F at noon."),
    # a decimal with no leading zero is no whole number
    ("Shares fell .5% on Monday.", "Shares fell 5% on Monday."),
    ("Shares fell 0.5% on Monday.", "Shares fell .05% on Monday."),
    ("The deal is worth GBP5bn.", "The deal is worth 6 billion pounds."),
    # an age in months or weeks is not that many years
    ("The six-month-old baby was rescued.", "The six-year-old baby was rescued."),
    ("The 2-week-old puppy was found.", "The 2-year-old puppy was found."),
    ("Costs fell 25% last year.", "Costs fell by a third last year."),
    # an ISO date is a date: its day is checked
    ("The contract was signed on 2024-03-05.", "The contract was signed on March 6, 2024."),
]

RIGHT = [
    ("The vote was 52% to 48%.", "The vote was 52% to 48%."),
    # a change high first is no result: its two values are a range's ends read low to high
    ("Prices fell from $10 to $8 last year.", "Prices were between $8 and $10."),
    ("Temperatures dropped from 30C to 20C.", "Temperatures of 20-30C were recorded."),
    ("Police counted 300 marchers and organisers 400.", "Between 300 and 400 marchers came."),
    ("Temperatures fell to -5 degrees.", "Temperatures fell to -5 degrees."),
    ("Temperatures fell to -5 degrees.", "Temperatures fell to minus 5 degrees."),
    ("About 1,312 people were wounded.", "About 1,300 people were wounded."),
    ("1,312 people were wounded.", "About 1,300 people were wounded."),
    ("More than 1,300 people were wounded.", "1,300 people were wounded."),
    ("Some 4\u00a0200 people attended the rally.", "Some 4,200 people attended the rally."),
    ("Some 4\u2009200 people attended the rally.", "Some 4,200 people attended the rally."),
    ("Some 4 200 people attended the rally.", "Some 4,200 people attended the rally."),
    ("The firm earned 9,7 billion euros.", "The firm earned 9.7 billion euros."),
    ("The firm reported a net loss of $3 million.", "The firm lost $3 million."),
    ("The firm reported losses of $3 million.", "The firm made a $3 million loss."),
    ("COVID-19 cases rose in 2020-2021.", "COVID-19 cases rose in 2020-2021."),
    ("Read pages 10-12 about the F-16.", "Read pages 10-12 about the F-16."),
    ("The tower is 300 m tall.", "The tower is 984 feet tall."),
    ("It was 30 °C at noon.", "It was 86 °F at noon."),
    ("The run is 20 km long.", "The run is 12.4 miles long."),
    ("It was 30 degrees at noon.", "It was 30 degrees at noon."),
    ("Shares fell .5% on Monday.", "Shares fell 0.5% on Monday."),
    ("A stamp now costs $.50.", "A stamp now costs $0.50."),
    ("The contract was signed on 2024-03-05.", "The contract was signed on March 5, 2024."),
    ("The contract was signed on March 5, 2024.", "The contract was signed on 2024-03-05."),
    ("The seed round raised $1.5MM.", "The seed round raised $1.5 million."),
    ("The 30-year-old was arrested.", "The 30 year old was arrested."),
    ("The 18-month-old boy was found.", "The boy, 18 month old, was found."),
    ("Costs fell by a third last year.", "Costs fell 33% last year."),
    ("Costs fell 20% last year.", "Costs fell by a fifth last year."),
    ("Sales rose 12% last year.", "Sales rose \uff11\uff12\uff05 last year."),
    ("The deal is worth GBP5bn.", "The deal is worth £5bn."),
    # a clock time is no count: "7" is not a number the source must state
    ("The call is at 19:00 on Friday.", "The call is at 7 pm on Friday."),
    ("The call is at 3pm on Friday.", "The call is at 3 o'clock on Friday."),
]


@pytest.mark.parametrize(("source", "summary"), WRONG)
def test_a_wrong_figure_is_flagged_by_both_metrics(source: str, summary: str) -> None:
    numbers = _score("numbers", source, summary)
    assert numbers.values["unsupported"] == 1.0, numbers.findings
    (finding,) = numbers.findings
    assert finding["status"] in ("unsupported", "context_mismatch")
    assert finding["evidence"]
    consistency = _score("consistency", source, summary)
    assert consistency.values["flags"] == 1.0, consistency.findings


# a profit for a loss, a surplus for a deficit: the figure's context and the word
# itself (a contrast set) are flagged, as "rose" for "fell" is
RESULT_SWAPS = [
    ("The firm reported a loss of $3 million.", "The firm made a profit of $3 million."),
    ("The firm reported a profit of $3 million.", "The firm made a loss of $3 million."),
    ("The country ran a deficit of $3 billion.", "The country ran a surplus of $3 billion."),
    ("Revenue fell 5% last year.", "Revenue rose 5% last year."),
]


@pytest.mark.parametrize(("source", "summary"), RESULT_SWAPS)
def test_a_swapped_result_is_a_number_and_an_antonym_flag(source: str, summary: str) -> None:
    (finding,) = _score("numbers", source, summary).findings
    assert finding["status"] == "context_mismatch", finding
    consistency = _score("consistency", source, summary)
    assert [f["kind"] for f in consistency.findings] == ["number", "antonym"]


@pytest.mark.parametrize(("source", "summary"), RIGHT)
def test_a_right_figure_is_not_flagged(source: str, summary: str) -> None:
    numbers = _score("numbers", source, summary)
    assert numbers.values["unsupported"] == 0.0, numbers.findings
    assert _score("consistency", source, summary).values["flags"] == 0.0


@pytest.mark.parametrize(
    ("source", "summary"),
    [
        ("The plane landed at 3:30 pm.", "The plane landed at 3:30 am."),
        ("We meet at 7 pm.", "We meet at 7 am."),
    ],
)
def test_am_for_pm_is_a_consistency_flag(source: str, summary: str) -> None:
    consistency = _score("consistency", source, summary)
    assert [f["kind"] for f in consistency.findings] == ["time"]


def test_the_version_changed_with_the_rules() -> None:
    assert METRICS["numbers"].fingerprint.version == "25"
    assert "numbers-25" in METRICS["consistency"].fingerprint.version
    assert METRICS["consistency"].fingerprint.version.startswith("22+")
