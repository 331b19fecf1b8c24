"""Tests for key quantities: the references' quantities, else the salient ones of the source."""

from __future__ import annotations

from harness.records import Example
from harness.text.quantities import extract_quantities, key_quantities, salient_quantities


def test_key_quantities_are_the_references_quantities() -> None:
    reference = "At least 300 soldiers died and 2,700 were wounded."
    example = Example(id="x", source="Two died. 7 fled.", references=(reference, " "))
    assert key_quantities(example) == tuple(extract_quantities(reference))


def test_salient_quantities_lead_the_source_or_repeat() -> None:
    source = (
        "Two died on Monday. Five were hurt. It was the first such fire. "
        "Later 7 fled. Police said 7 fled."
    )
    assert [q.text for q in salient_quantities(source)] == ["Two", "Five", "7"]
    example = Example(id="x", source=source)
    assert key_quantities(example) == salient_quantities(source)
