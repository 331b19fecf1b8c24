"""Tests for the records: `Quantity` and `date_parts`."""

from __future__ import annotations

import pytest

from harness.text.quantities import QUANTITY_KINDS, Quantity, date_parts, extract_quantities


def test_quantities_are_frozen_and_kinds_are_declared() -> None:
    q = extract_quantities("300 died")[0]
    assert isinstance(q, Quantity)
    with pytest.raises(AttributeError):
        q.value = 1.0  # type: ignore[misc]
    assert q.kind in QUANTITY_KINDS


def test_date_parts() -> None:
    assert date_parts(20250107.0) == (2025, 1, 7)
    assert date_parts(612.0) == (0, 6, 12)
