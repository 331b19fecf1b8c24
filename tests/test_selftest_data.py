"""The self-test set benchmarks/selftest/pairs.jsonl: schema, counts, coverage, datasheet."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

FOLDER = Path(__file__).resolve().parents[1] / "benchmarks" / "selftest"
PAIRS = FOLDER / "pairs.jsonl"

FAITHFUL_CASES = {
    "paraphrase-number",
    "spelled-out-number",
    "scale-word",
    "currency-symbol",
    "percent-forms",
    "duration",
    "date-range",
    "derived-sum",
    "alias-transliteration",
    "alias-surname",
    "alias-acronym",
    "alias-oblast-region",
    "alias-demonym",
    "possessive-case",
}
CORRUPTED_CASES = {
    "number-changed",
    "number-swapped",
    "wrong-scale",
    "wrong-currency",
    "wrong-date",
    "invented-person",
    "invented-place",
    "invented-organisation",
    "swapped-organisation",
    "extrinsic-place",
    "negation",
}
NUMBER_STATUSES = {"supported", "unsupported", "context_mismatch", "derived", None}
ENTITY_STATUSES = {"supported", "unsupported", None}
FIELDS = {"id", "source", "summary", "label", "case", "expect", "target", "source_id"}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    lines = PAIRS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_schema(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        where = row.get("id")
        assert set(row) == FIELDS, where
        assert re.fullmatch(r"st-\d{3}", row["id"]), where
        for key in ("source", "summary", "target", "source_id"):
            assert isinstance(row[key], str) and row[key].strip() == row[key] != "", where
        assert row["label"] in (0, 1) and isinstance(row["label"], int), where
        assert row["case"] in FAITHFUL_CASES | CORRUPTED_CASES, where
        assert set(row["expect"]) == {"numbers", "entities"}, where
        assert row["expect"]["numbers"] in NUMBER_STATUSES, where
        assert row["expect"]["entities"] in ENTITY_STATUSES, where


def test_ids_are_sequential_and_unique(rows: list[dict[str, Any]]) -> None:
    assert [row["id"] for row in rows] == [f"st-{n:03d}" for n in range(1, len(rows) + 1)]
    assert len({row["summary"] for row in rows}) == len(rows)


def test_size_and_balance(rows: list[dict[str, Any]]) -> None:
    assert len(rows) >= 150
    labels = Counter(row["label"] for row in rows)
    assert 0.4 <= labels[1] / len(rows) <= 0.6


def test_every_case_is_covered_at_least_five_times(rows: list[dict[str, Any]]) -> None:
    counts = Counter(row["case"] for row in rows)
    for case in sorted(FAITHFUL_CASES | CORRUPTED_CASES):
        assert counts[case] >= 5, case


def test_label_agrees_with_case_and_expectation(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        expect, where = row["expect"], row["id"]
        if row["label"] == 1:
            assert row["case"] in FAITHFUL_CASES, where
            assert "unsupported" not in expect.values(), where
            assert expect["numbers"] != "context_mismatch", where
        else:
            assert row["case"] in CORRUPTED_CASES, where
        if row["case"] == "negation":
            assert expect == {"numbers": None, "entities": None}, where
        elif row["case"] == "swapped-organisation":
            assert expect == {"numbers": None, "entities": "supported"}, where
        else:
            assert list(expect.values()).count(None) == 1, where  # exactly one check decides


def test_target_occurs_exactly_once_in_summary(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        assert row["summary"].count(row["target"]) == 1, row["id"]


def test_rows_sharing_a_source_id_share_the_source(rows: list[dict[str, Any]]) -> None:
    sources: dict[str, set[str]] = {}
    for row in rows:
        sources.setdefault(row["source_id"], set()).add(row["source"])
    assert all(len(texts) == 1 for texts in sources.values())
    assert len({next(iter(texts)) for texts in sources.values()}) == len(sources)


def test_sources_are_short(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", row["source"])
        assert 2 <= len(sentences) <= 6, row["id"]


def test_datasheet_counts_match_the_data(rows: list[dict[str, Any]]) -> None:
    text = (FOLDER / "README.md").read_text(encoding="utf-8")
    documented = {
        case: int(n) for case, n in re.findall(r"^\| `([a-z-]+)` \| (\d+) \|", text, re.M)
    }
    assert documented == dict(Counter(row["case"] for row in rows))
    assert f"`pairs.jsonl` — {len(rows)} records" in text
