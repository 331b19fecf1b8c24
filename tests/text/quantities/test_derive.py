"""Tests for derived values: sums and differences of source quantities, totals of "each"."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from harness.text.quantities import (
    MatchSettings,
    QuantityMatch,
    cached_quantities,
    extract_quantities,
    match_quantities,
)

ROOT = Path(__file__).resolve().parents[3]
NEWSBRIEFS = ROOT / "benchmarks" / "newsbriefs" / "articles.jsonl"


# the project's seed brief on the NIS report
NIS = (
    "South Korea’s National Intelligence Service (NIS) reported that at least 300 North "
    "Korean soldiers have died and 2,700 have been wounded fighting in Russia’s Kursk "
    "Oblast, largely due to their inexperience in modern warfare. These casualties align "
    "with President Zelensky’s earlier claim of 4,000 total North Korean casualties. "
    "Recently, Ukraine captured two North Korean soldiers."
)


def _matches(summary: str, source: str, **settings: Any) -> list[QuantityMatch]:
    return match_quantities(
        extract_quantities(summary), extract_quantities(source), MatchSettings(**settings)
    )


def _status(summary: str, source: str, **settings: Any) -> list[str]:
    return [m.status for m in _matches(summary, source, **settings)]


@pytest.mark.parametrize(
    ("summary", "source", "target", "expected"),
    [
        # a part and its whole
        ("13 drones were not shot down", "It shot down 31 of 44 drones.", "13", "derived"),
        (
            "It is $1.7 billion short.",
            "It received $1.1 billion of the $2.8 billion it asked for.",
            "$1.7 billion",
            "derived",
        ),
        (
            "It killed three firefighters and four other people.",
            "Seven people died, including three firefighters.",
            "four",
            "derived",
        ),
        ("It shot down 75 drones", "It shot down 31 of 44 drones.", "75", "unsupported"),
        # a change against an earlier value
        (
            "Exports rose by 3.7 million tonnes.",
            "Exports hit 16.1 million tonnes, up from 12.4 million tonnes.",
            "3.7 million tonnes",
            "derived",
        ),
        (
            "Profit rose by 900 million Norwegian crowns.",
            "Profit was 6.8 billion Norwegian crowns, up from 5.9 billion a year earlier.",
            "900 million Norwegian crowns",
            "derived",
        ),
        # the money of one deal; totals across adjacent sentences
        (
            "Carrick will pay up to £70 million.",
            "It pays £62 million, plus up to £8 million later.",
            "£70 million",
            "derived",
        ),
        (
            "Total trade reached $371 billion.",
            "Exports rose to $190 billion. Imports grew to $181 billion.",
            "$371 billion",
            "derived",
        ),
        (
            "Exports reached $371 billion.",
            "Exports rose to $190 billion. Imports grew to $181 billion.",
            "$371 billion",
            "unsupported",
        ),
        # "about" is not a licence to add: 300 + 2,700 is not "about 2,900"
        ("about 2,900 wounded", NIS, "2,900", "unsupported"),
    ],
)
def test_derivation_rules(summary: str, source: str, target: str, expected: str) -> None:
    statuses = {m.quantity.text: m.status for m in _matches(summary, source)}
    assert statuses[target] == expected, statuses


def test_findings_show_how_operands_combine() -> None:
    (difference,) = _matches("13 drones got through", "It shot down 31 of 44 drones.")
    assert difference.finding()["source_text"] == "44 - 31"
    assert difference.evidence == "44 - 31 = 13 (source sentence 1)"
    (ends,) = _matches("on May 5 and 12", "A try on May 5 failed. Another, on 12 May, worked.")
    assert ends.status == "supported"
    assert ends.finding()["source_text"] == "May 5 and 12 May"


def test_totals_of_values_stated_for_each_party() -> None:
    source = "Ukraine and Russia exchanged 95 prisoners each on Saturday."
    (total,) = _matches("A total of 190 prisoners were freed.", source)
    assert total.status == "derived"
    assert total.evidence == "95 each × 2 = 190 (source sentence 1)"
    assert total.finding()["source_text"] == "95 × 2"
    assert _status("They freed 190 prisoners.", source) == ["derived"]
    assert _status("They freed 190 soldiers.", source) == ["unsupported"]
    assert _status("They freed 285 prisoners in all.", source) == ["unsupported"]
    assert _status("A total of 190 prisoners.", source, derived=False) == ["unsupported"]


def test_derivation_can_be_switched_off_and_is_bounded() -> None:
    assert _status("3,000 casualties.", NIS, derived=False) == ["unsupported"]
    # a direct match always wins over a derivation
    assert _status("4,000 casualties", NIS) == ["supported"]
    # operands too far apart
    far = "300 soldiers died. It rained. It snowed. 2,700 soldiers were wounded."
    assert _status("3,000 soldier casualties", far) == ["unsupported"]
    assert _status("3,000 soldier casualties", far, derived_window=3) == ["derived"]
    # small counts are derived only when the summary is about the operands
    small = "2 people died and 3 people were hurt"
    assert _status("5 people in total", small) == ["derived"]
    assert _status("5 buildings", small) == ["unsupported"]
    # unrelated operands (firefighters + vehicles) are not summed
    source = "More than 1,250 firefighters, supported by 380 vehicles, fought the flames."
    assert _status("1,630 firefighters", source) == ["unsupported"]


def _newsbriefs() -> list[dict[str, Any]]:
    with NEWSBRIEFS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_random_values_are_rarely_derived_by_coincidence() -> None:
    rng = random.Random(0)
    templates = [
        "A total of {} people were affected.",
        "{} people died.",
        "The total reached ${} million.",
    ]
    derived = tried = 0
    for record in _newsbriefs():
        source = cached_quantities(record["source"])
        for template in templates:
            for _ in range(10):
                value = float(f"{10 ** rng.uniform(1, 5):.3g}")
                summary = template.format(f"{value:,.0f}")
                matches = match_quantities(extract_quantities(summary), source)
                tried += 1
                derived += matches[0].status == "derived"
    assert tried == 1200
    assert derived / tried < 0.01
