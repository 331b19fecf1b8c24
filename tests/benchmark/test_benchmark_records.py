"""`records_to_examples`: field mapping, ids, labels, meta."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from harness.benchmark._records import parse_label, records_to_examples, to_json_value
from harness.config import FieldMap
from harness.errors import BenchmarkError


def _located(*records: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"d.jsonl:{number}", record) for number, record in enumerate(records, start=1)]


def test_missing_column_lists_the_available_fields() -> None:
    records = _located({"id": "1", "doc": "x", "summary": "s"}, {"id": "2", "doc": "y"})
    with pytest.raises(BenchmarkError) as info:
        records_to_examples(records, FieldMap(), "d.jsonl")
    message = str(info.value)
    assert "d.jsonl:1: field 'source' (benchmark.fields.source) not found" in message
    assert "available fields: id, doc, summary" in message
    assert info.value.hint is not None and "benchmark.fields.source" in info.value.hint


def test_misnamed_column_suggests_the_close_one() -> None:
    records = _located({"id": "1", "source": "x", "refrence": "r"})
    with pytest.raises(BenchmarkError) as info:
        records_to_examples(records, FieldMap(reference="reference"), "d.jsonl")
    assert "benchmark.fields.reference" in str(info.value)
    assert "available fields: id, source, refrence" in str(info.value)
    assert info.value.hint is not None and "Did you mean 'refrence'?" in info.value.hint


@pytest.mark.parametrize(
    ("column", "added"),
    [
        ("\ufeffid", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),  # a second byte-order mark
        (" id", "U+0020 (SPACE)"),  # "source, id" written with a space after the comma
        ("id\u00a0", "U+00A0 (NO-BREAK SPACE)"),
        ("\u200bid", "U+200B (ZERO WIDTH SPACE)"),
    ],
)
def test_a_column_that_prints_like_the_mapped_one_is_named_with_what_differs(
    column: str, added: str
) -> None:
    # Before: "field 'id' not found; available fields: \ufeffid, source", which prints
    # as "available fields: id, source", and the hint "Did you mean '\ufeffid'?".
    with pytest.raises(BenchmarkError) as info:
        records_to_examples(_located({column: "1", "source": "x"}), FieldMap(), "d.jsonl")
    assert str(info.value).startswith(
        f"d.jsonl:1: field 'id' (benchmark.fields.id) not found, but the data has {column!r}: "
        f"the same name with {added}"
    )
    assert info.value.hint is not None and f"rename the column {column!r} to 'id'" in (
        info.value.hint
    )


def test_missing_id_column_hints_at_numbering() -> None:
    with pytest.raises(BenchmarkError) as info:
        records_to_examples(_located({"source": "x"}), FieldMap(), "d.jsonl")
    assert "benchmark.fields.id" in str(info.value)
    assert info.value.hint is not None and "null" in info.value.hint


def test_required_field_missing_in_a_later_record() -> None:
    records = _located({"id": "1", "source": "x"}, {"id": "2", "text": "y"})
    with pytest.raises(BenchmarkError, match=r"d.jsonl:2: field 'source' .* missing"):
        records_to_examples(records, FieldMap(), "d.jsonl")


def test_optional_field_missing_in_some_records_is_none() -> None:
    records = _located(
        {"id": "1", "source": "x"},
        {"id": "2", "source": "y", "summary": "s", "label": 1, "reference": "r"},
    )
    fields = FieldMap(summary="summary", label="label", reference="reference")
    first, second = records_to_examples(records, fields, "d.jsonl")
    assert (first.summary, first.label, first.references) == (None, None, ())
    assert (second.summary, second.label, second.references) == ("s", 1.0, ("r",))


def test_duplicate_ids_name_both_locations() -> None:
    records = _located(
        {"id": 5, "source": "a"}, {"id": 6, "source": "b"}, {"id": "5", "source": "c"}
    )
    with pytest.raises(BenchmarkError) as info:
        records_to_examples(records, FieldMap(), "d.jsonl")
    message = str(info.value)
    assert "duplicate id '5'" in message
    assert "d.jsonl:3" in message and "d.jsonl:1" in message
    assert info.value.hint == (
        "map benchmark.fields.id to a unique column, or set it to null to number the rows"
    )


def test_id_none_numbers_the_rows_and_keeps_id_column_in_meta() -> None:
    records = _located({"id": "same", "source": "a"}, {"id": "same", "source": "b"})
    examples = records_to_examples(records, FieldMap(id=None), "d.jsonl")
    assert [e.id for e in examples] == ["1", "2"]
    assert examples[0].meta == {"id": "same"}


@pytest.mark.parametrize(("raw", "expected"), [(12, "12"), (3.0, "3"), ("a-1", "a-1")])
def test_ids_are_strings(raw: Any, expected: str) -> None:
    (example,) = records_to_examples(_located({"id": raw, "source": "x"}), FieldMap(), "d")
    assert example.id == expected


@pytest.mark.parametrize("raw", [None, "", "  ", [1]])
def test_unusable_ids(raw: Any) -> None:
    with pytest.raises(BenchmarkError, match=r"d.jsonl:1: field 'id' .* not a usable id"):
        records_to_examples(_located({"id": raw, "source": "x"}), FieldMap(), "d.jsonl")


@pytest.mark.parametrize("source", ["", "   ", "\n\n"])
def test_empty_source_is_allowed(source: str) -> None:
    (example,) = records_to_examples(_located({"id": "1", "source": source}), FieldMap(), "d")
    assert example.source == source


@pytest.mark.parametrize(("value", "got"), [(None, "got null"), (42, "got int 42")])
def test_source_must_be_text(value: Any, got: str) -> None:
    with pytest.raises(BenchmarkError) as info:
        records_to_examples(_located({"id": "1", "source": value}), FieldMap(), "d.jsonl")
    assert "d.jsonl:1: field 'source' (benchmark.fields.source) must be text" in str(info.value)
    assert got in str(info.value)


def test_references_from_list_fields_and_field_lists() -> None:
    record = {"id": "1", "source": "x", "refs": ["a", None, "", "b"], "r2": "c", "r3": None}
    (example,) = records_to_examples(
        _located(record), FieldMap(reference=["refs", "r2", "r3"]), "d"
    )
    assert example.references == ("a", "b", "c")
    assert example.meta == {}


def test_reference_must_be_text() -> None:
    record = {"id": "1", "source": "x", "refs": [1, 2]}
    with pytest.raises(BenchmarkError, match=r"field 'refs' \(benchmark.fields.reference\)"):
        records_to_examples(_located(record), FieldMap(reference="refs"), "d")


def test_summary_must_be_text() -> None:
    record = {"id": "1", "source": "x", "summary": {"text": "s"}}
    with pytest.raises(BenchmarkError, match=r"benchmark\.fields\.summary"):
        records_to_examples(_located(record), FieldMap(summary="summary"), "d")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1.0),
        (0, 0.0),
        (0.25, 0.25),
        (True, 1.0),
        (False, 0.0),
        ("1", 1.0),
        (" 0 ", 0.0),
        ("0.5", 0.5),
        ("+1", 1.0),
        (".5", 0.5),
        ("1.", 1.0),
        ("1E0", 1.0),
        ("-2.5e-1", -0.25),
        ("TRUE", 1.0),
        ("false", 0.0),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_label_parsing(value: Any, expected: float | None) -> None:
    assert parse_label(value, "d.jsonl:1", "label") == expected


@pytest.mark.parametrize(
    # "1_0" and "0_1" are 10.0 and 1.0 to `float` (digit grouping): another class
    "value",
    ["consistent", "yes", "nan", "inf", "1_0", "0_1", "0x1", "1 0", [1], {"a": 1}, 10**400],
)
def test_bad_labels_name_location_and_field(value: Any) -> None:
    with pytest.raises(BenchmarkError) as info:
        parse_label(value, "d.jsonl:4", "gold")
    assert "d.jsonl:4: field 'gold' (benchmark.fields.label)" in str(info.value)
    assert info.value.hint


def test_label_through_records() -> None:
    records = _located({"id": "1", "source": "x", "y": "1"}, {"id": "2", "source": "x", "y": "bad"})
    with pytest.raises(BenchmarkError, match=r"d.jsonl:2: field 'y'"):
        records_to_examples(records, FieldMap(label="y"), "d")


def test_meta_keeps_everything_else_as_plain_json() -> None:
    record = {
        "id": np.int64(4),
        "source": "x",
        "n": np.int32(3),
        "f": np.float64("nan"),
        "arr": np.array([1.5, 2.5]),
        "nested": {"k": (1, np.bool_(True))},
        "na": pd.NA,
        "when": dt.date(2025, 1, 2),
    }
    (example,) = records_to_examples(_located(record), FieldMap(), "d")
    assert example.id == "4"
    assert example.meta == {
        "n": 3,
        "f": None,
        "arr": [1.5, 2.5],
        "nested": {"k": [1, True]},
        "na": None,
        "when": "2025-01-02",
    }
    json.dumps(example.meta, allow_nan=False)


def test_to_json_value_types() -> None:
    assert type(to_json_value(np.int64(3))) is int
    assert to_json_value(float("inf")) is None
    assert to_json_value(pd.NaT) is None


def test_no_records_gives_no_examples() -> None:
    assert records_to_examples([], FieldMap(), "d") == []


def test_nested_fields_map_by_dotted_path_and_stay_in_meta_once() -> None:
    records = [
        ("q.json: item 1", {"doc": "Text.", "scores": {"consistency": 0.75, "x": {"y": 2}}}),
        ("q.json: item 2", {"doc": "More.", "scores": {"consistency": 0.25, "x": {"y": 3}}}),
    ]
    fields = FieldMap(id=None, source="doc", label="scores.consistency")
    examples = records_to_examples(records, fields, "q.json")
    assert [e.label for e in examples] == [0.75, 0.25]
    assert examples[0].meta == {"scores": {"consistency": 0.75, "x": {"y": 2}}}
    nested = records_to_examples(records, FieldMap(id="scores.x.y", source="doc"), "q.json")
    assert [e.id for e in nested] == ["2", "3"]
