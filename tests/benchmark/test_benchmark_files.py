"""File readers: JSON lines, JSON, CSV and Parquet through `load_benchmark`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from harness.benchmark import load_benchmark
from harness.benchmark._files import read_csv, read_json, read_jsonl
from harness.config import BenchmarkConfig, FieldMap
from harness.errors import BenchmarkError

ROWS: list[dict[str, Any]] = [
    {
        "uid": 12,
        "doc": "The plant made 4,000 tonnes.",
        "refs": ["4,000 tonnes were made.", "A plant made 4,000 t."],
        "extra_ref": "Output was 4,000 tonnes.",
        "label": 1,
        "topic": "industry",
        "tags": ["a", "b"],
    },
    {
        "uid": 13,
        "doc": "Prices rose 3% in May.",
        "refs": [],
        "extra_ref": None,
        "label": 0,
        "topic": "economy",
        "tags": [],
    },
]

FIELDS = FieldMap(id="uid", source="doc", reference=["refs", "extra_ref"], label="label")


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _check_round_trip(config: BenchmarkConfig) -> None:
    bench = load_benchmark(config)
    first, second = bench.examples
    assert first.id == "12"
    assert second.id == "13"
    assert first.source == "The plant made 4,000 tonnes."
    assert first.references == (
        "4,000 tonnes were made.",
        "A plant made 4,000 t.",
        "Output was 4,000 tonnes.",
    )
    assert second.references == ()
    assert (first.label, second.label) == (1.0, 0.0)
    assert first.meta == {"topic": "industry", "tags": ["a", "b"]}
    assert second.meta == {"topic": "economy", "tags": []}
    json.dumps([example.model_dump(mode="json") for example in bench.examples])
    assert bench.info["n_records"] == 2
    assert bench.info["n_examples"] == 2


def test_jsonl_round_trip(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "data.jsonl", ROWS)
    _check_round_trip(BenchmarkConfig(path=str(path), fields=FIELDS))


def test_jsonl_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text('\n{"id": "a", "source": "x"}\n   \n{"id": "b", "source": "y"}\n\n')
    locations = [where for where, _ in read_jsonl(path)]
    assert locations == [f"{path}:2", f"{path}:4"]


def test_json_array_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(ROWS, indent=2), encoding="utf-8")
    _check_round_trip(BenchmarkConfig(path=str(path), fields=FIELDS))


def test_json_object_with_one_list_key(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"version": 2, "data": ROWS}), encoding="utf-8")
    _check_round_trip(BenchmarkConfig(path=str(path), fields=FIELDS))
    assert [where for where, _ in read_json(path)] == [f"{path}: item 1", f"{path}: item 2"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_file_is_named_as_such_with_the_right_fix(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "data.csv"
    data = "id,source\n1,Hello.\n".encode(encoding)
    path.write_bytes(data if encoding == "utf-16" else b"\xfe\xff" + data)
    with pytest.raises(BenchmarkError, match="UTF-16 text") as caught:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert "iconv -f utf-16" in str(caught.value.hint)


@pytest.mark.parametrize(
    ("name", "data", "what", "fix"),
    [
        (
            "data.csv",
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xe2",
            "a zip archive",
            "CSV UTF-8",
        ),
        (
            "data.jsonl",
            gzip.compress(b'{"id": 1, "source": "a"}\n', mtime=0),
            "gzip-compressed",
            "gunzip",
        ),
    ],
)
def test_a_binary_file_read_as_text_is_named_with_the_right_fix(
    tmp_path: Path, name: str, data: bytes, what: str, fix: str
) -> None:
    # Before: "not valid UTF-8 text at byte offset 1" and the hint to re-encode from latin-1.
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(BenchmarkError, match=rf"{name}: {what}") as caught:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert fix in str(caught.value.hint)
    parquet = tmp_path / "data.csv"
    pd.DataFrame({"id": ["1"], "source": ["a"]}).to_parquet(parquet)
    with pytest.raises(BenchmarkError, match=r"data.csv: a Parquet file, not text"):
        load_benchmark(BenchmarkConfig(path=str(parquet)))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"a": [], "b": []}, "keys holding lists: a, b"),
        ({"a": 1}, "no key holds a list"),
        ("text", "got a string"),
        ([{"id": "1", "source": "x"}, 3], "item 2: expected a JSON object, got a number"),
    ],
)
def test_json_bad_shapes(tmp_path: Path, content: Any, expected: str) -> None:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(BenchmarkError, match="expected") as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_one_json_record_with_a_list_field_is_not_read_as_a_list_of_records(
    tmp_path: Path,
) -> None:
    # Before: "item 1: expected a JSON object, got a string", about the references.
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"id": 1, "source": "A.", "refs": ["a", "b"]}), encoding="utf-8")
    with pytest.raises(
        BenchmarkError,
        match=r"data.json: the object's only list, key 'refs', holds strings, not records",
    ) as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert info.value.hint is not None and "top-level array" in info.value.hint


def test_json_syntax_error_names_line_and_suggests_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"id": "1", "source": "x"}\n{"id": "2", "source": "y"}\n')
    with pytest.raises(BenchmarkError) as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert f"{path}:2:1: invalid JSON" in str(info.value)
    assert info.value.hint is not None and "format: jsonl" in info.value.hint


def test_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "id,doc,ref_a,ref_b,label,note\n"
        '7,"Line one, with a comma.\n\nSecond paragraph.",First ref.,,1,kept\n'
        "8,Short doc.,,,0.5,\n"
        "\n"
        '9,Third.,R,"S",,x\n',
        encoding="utf-8",
    )
    fields = FieldMap(source="doc", reference=["ref_a", "ref_b"], label="label")
    bench = load_benchmark(BenchmarkConfig(path=str(path), fields=fields))
    assert [e.id for e in bench.examples] == ["7", "8", "9"]
    first, second, third = bench.examples
    assert first.source == "Line one, with a comma.\n\nSecond paragraph."
    assert first.references == ("First ref.",)
    assert second.references == ()
    assert third.references == ("R", "S")
    assert [e.label for e in bench.examples] == [1.0, 0.5, None]
    assert first.meta == {"note": "kept"}
    assert second.meta == {"note": ""}  # an empty cell is "", as in JSON: CSV has no null
    assert [where for where, _ in read_csv(path)] == [
        f"{path}:2 (row 1)",
        f"{path}:5 (row 2)",
        f"{path}:7 (row 3)",
    ]


def test_csv_long_cells(tmp_path: Path) -> None:
    long_text = "word " * 60_000
    path = tmp_path / "data.csv"
    path.write_text(f'id,source,extra\n1,"{long_text}",\n', encoding="utf-8")
    (example,) = load_benchmark(BenchmarkConfig(path=str(path))).examples
    assert example.source == long_text
    assert example.meta == {"extra": ""}


def test_a_line_break_in_an_unquoted_cell_is_an_error_not_a_fake_row(tmp_path: Path) -> None:
    # The break cuts row 1 in two: "n1" would lose half its source and its reference,
    # and "Grass is green..." would become an example of its own.
    path = tmp_path / "data.csv"
    path.write_text(
        "id,source,reference\n"
        "n1,Apples are red. The sky is blue.\n"
        "Grass is green. Trees are tall.,Apples red sky blue\n"
        "n2,Cats purr loudly. Dogs bark.,Cats purr\n",
        encoding="utf-8",
    )
    with pytest.raises(
        BenchmarkError,
        match=r"data.csv:2 \(row 1\): 2 of the header's 3 cells \(reference missing\)",
    ):
        load_benchmark(BenchmarkConfig(path=str(path)))


def test_csv_row_with_too_many_cells(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id,source\n1,a\n2,b,c\n", encoding="utf-8")
    with pytest.raises(BenchmarkError, match=r"data.csv:3 \(row 2\): 3 cells but the header has 2"):
        load_benchmark(BenchmarkConfig(path=str(path)))


@pytest.mark.parametrize("repeated", ["id,source,summary", "\ufeffid, source ,summary"])
def test_a_header_repeated_mid_file_is_an_error_not_a_fake_example(
    tmp_path: Path, repeated: str
) -> None:
    # `cat a.csv b.csv` (the second perhaps with its own BOM): read as a record, the
    # second header would be an example "id" whose source is "source".
    path = tmp_path / "data.csv"
    path.write_text(
        f"\ufeffid,source,summary\n1,Alpha rose.,Alpha.\n{repeated}\n2,Beta fell.,Beta.\n",
        encoding="utf-8",
    )
    fields = FieldMap(summary="summary")
    with pytest.raises(
        BenchmarkError, match=r"data.csv:3 \(row 2\): this row repeats the header row \(.*:1\)"
    ) as info:
        load_benchmark(BenchmarkConfig(path=str(path), fields=fields))
    assert info.value.hint is not None and "delete the repeated header" in info.value.hint


@pytest.mark.parametrize(
    ("separator", "named"), [(";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")]
)
def test_a_csv_file_separated_by_another_character_says_so(
    tmp_path: Path, separator: str, named: str
) -> None:
    # Before: "field 'source' not found; available fields: id;source", or with a tab
    # "Did you mean 'id\tsource'?", which only a mapping to the whole header satisfies.
    path = tmp_path / "data.csv"
    path.write_text(
        f"\ufeff\nid{separator}source\r\n1{separator}Prices rose 3,5 %.\r\n", encoding="utf-8"
    )
    with pytest.raises(
        BenchmarkError,
        match=rf"data.csv:2: the header row is one column, .*: the cells look separated by {named}",
    ) as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert info.value.hint is not None and "commas between cells" in info.value.hint


def test_a_row_of_empty_cells_says_so_and_how_to_fix_it(tmp_path: Path) -> None:
    # Before: "field 'id' holds '', not a usable id" and the hint to map another id column.
    path = tmp_path / "data.csv"
    path.write_text("id,source,summary\r\n1,Alpha rose.,Alpha.\r\n,,\r\n,,\r\n", encoding="utf-8")
    with pytest.raises(
        BenchmarkError, match=r"data.csv:3 \(row 2\): every field of this record is empty"
    ) as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert info.value.hint is not None and "delete the empty rows" in info.value.hint


def test_csv_duplicate_header(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id,source,source\n1,a,b\n", encoding="utf-8")
    with pytest.raises(BenchmarkError, match="column 'source' twice"):
        load_benchmark(BenchmarkConfig(path=str(path)))


@pytest.mark.parametrize("text", ['{"id": "a", "source": "x, y"}\n', '\n[{"id": "a"}]\n'])
def test_json_read_as_csv_says_it_is_json(tmp_path: Path, text: str) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        BenchmarkError, match=r"data.jsonl:\d: read as CSV, but the first row"
    ) as info:
        load_benchmark(BenchmarkConfig(path=str(path), format="csv"))
    assert "format jsonl" in (info.value.hint or "")


def test_parquet_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "data.parquet"
    frame = pd.DataFrame(
        {
            "uid": [12, 13],
            "doc": [row["doc"] for row in ROWS],
            "refs": [row["refs"] for row in ROWS],
            "extra_ref": [row["extra_ref"] for row in ROWS],
            "label": [1, 0],
            "topic": ["industry", "economy"],
            "tags": [["a", "b"], []],
        }
    )
    frame.to_parquet(path)
    _check_round_trip(BenchmarkConfig(path=str(path), fields=FIELDS))


def test_parquet_values_become_plain_json(tmp_path: Path) -> None:
    path = tmp_path / "data.pq"
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "source": ["x", "y"],
            "score": [0.25, float("nan")],
            "when": pd.to_datetime(["2025-01-02", "2025-03-04"]),
        }
    )
    frame.to_parquet(path)
    bench = load_benchmark(BenchmarkConfig(path=str(path)))
    assert bench.examples[0].meta["score"] == 0.25
    assert bench.examples[1].meta["score"] is None
    assert bench.examples[0].meta["when"].startswith("2025-01-02")
    json.dumps([example.meta for example in bench.examples], allow_nan=False)


def test_a_mapped_parquet_binary_column_must_be_utf8_text(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "data.parquet"
    source = pa.array(["Café prices rose.".encode(), "Prix élevés.".encode("latin-1")])
    pq.write_table(pa.table({"id": ["a", "b"], "source": source}), path)
    # Decoded with replacement, "Prix élevés." became "Prix \ufffdlev\ufffds." in silence.
    with pytest.raises(
        BenchmarkError, match=r"data.parquet: row 2: field 'source' holds bytes that are not UTF-8"
    ) as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert info.value.hint is not None and "UTF-8" in info.value.hint
    # Unmapped, the bytes are only kept as metadata (an image, say), not refused.
    pq.write_table(pa.table({"id": ["a", "b"], "source": ["A.", "B."], "blob": source}), path)
    assert load_benchmark(BenchmarkConfig(path=str(path))).examples[0].meta == {
        "blob": "Café prices rose."
    }
    pq.write_table(pa.table({"id": ["a"], "source": source[:1]}), path)
    (example,) = load_benchmark(BenchmarkConfig(path=str(path))).examples
    assert example.source == "Café prices rose."


def test_a_parquet_column_named_twice_is_an_error_naming_it(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "data.parquet"
    table = pa.table([["1"], ["Article."], ["Other article."]], names=["id", "source", "source"])
    pq.write_table(table, path)
    # Before: "cannot read as Parquet: Multiple matches for FieldRef.Name(source) in id: ..."
    # with the hint to check that the file is a Parquet file.
    with pytest.raises(BenchmarkError, match=r"data.parquet: the file names column 'source' twice"):
        load_benchmark(BenchmarkConfig(path=str(path)))


def test_not_a_parquet_file(tmp_path: Path) -> None:
    path = tmp_path / "data.parquet"
    path.write_text("id,source\n1,a\n")
    with pytest.raises(BenchmarkError, match="cannot read as Parquet"):
        load_benchmark(BenchmarkConfig(path=str(path)))


def test_malformed_jsonl_line(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(
        '{"id": "1", "source": "fine"}\n\n'
        '{"id": "2", "source": "broken}\n'
        '{"id": "3", "source": "x"}\n'
    )
    with pytest.raises(BenchmarkError) as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert f"{path}:3: invalid JSON" in str(info.value)
    assert info.value.hint


def test_jsonl_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text('{"id": "1", "source": "fine"}\n["id", "2"]\n')
    with pytest.raises(BenchmarkError, match=r"data.jsonl:2: expected a JSON object, got an array"):
        load_benchmark(BenchmarkConfig(path=str(path)))


def test_json_array_given_as_jsonl_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text('[\n{"id": "1", "source": "x"}\n]\n')
    with pytest.raises(BenchmarkError) as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert info.value.hint is not None and "format: json" in info.value.hint


@pytest.mark.parametrize("suffix", ["jsonl", "csv", "txt", "json"])
def test_non_utf8_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"data.{suffix}"
    prefix = {"jsonl": b'{"id": "1", "source": "ok"}\n', "csv": b"id,source\n", "txt": b"ok\n"}
    path.write_bytes(
        prefix.get(suffix, b"") + '{"id": "2", "source": "caf\u00e9"}\n'.encode("latin-1")
    )
    with pytest.raises(BenchmarkError) as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    message = str(info.value)
    assert str(path) in message
    assert "not valid UTF-8" in message
    offset = len(prefix.get(suffix, b"")) + len(b'{"id": "2", "source": "caf')
    assert f"byte offset {offset}" in message
    assert info.value.hint is not None
    assert info.value.hint.startswith("re-encode as UTF-8 (e.g. iconv -f latin1 -t utf-8")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"\xef\xbb\xbfid,source\n1,caf\xc3\xa9\n")
    (example,) = load_benchmark(BenchmarkConfig(path=str(path))).examples
    assert (example.id, example.source) == ("1", "café")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "data.jsonl"
    with pytest.raises(BenchmarkError) as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert str(path) in str(info.value)
    assert "not found" in str(info.value)
    assert info.value.hint is not None
    assert "current directory" in info.value.hint and "config file" in info.value.hint


def test_relative_missing_file_names_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(BenchmarkError, match=r"data/x\.jsonl") as info:
        load_benchmark(BenchmarkConfig(path="data/x.jsonl"))
    assert str(tmp_path) in str(info.value)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(BenchmarkError, match="is a directory"):
        load_benchmark(BenchmarkConfig(path=str(tmp_path), format="jsonl"))


# strict CSV, Unicode line breaks, text without a UTF-8 form -----------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('id,source\n1,"never closed\n2,b\n3,c\n', r"data\.csv:2: unterminated quote"),
        ('id,source\n1,a\n2,b\n3,"x""y\n', r"data\.csv:4: unterminated quote"),
        ('id,source\n1,"a\n\nb"\n2,"open\n', r"data\.csv:5: unterminated quote"),
        ('id,source\n1,a\n2,"quoted" then text\n', r"data\.csv:3: malformed CSV"),
        ('id,"source\n1,a\n', r"data\.csv:1: unterminated quote"),
    ],
)
def test_csv_quotes_are_strict(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BenchmarkError, match=expected) as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert info.value.hint is not None and '""' in info.value.hint


def test_empty_csv_cells_read_as_empty_strings_like_jsonl(tmp_path: Path) -> None:
    fields = FieldMap(source="doc", reference="ref", summary="summary", label="label")
    csv_path = tmp_path / "data.csv"
    csv_path.write_text("id,doc,ref,summary,label,note\n1,,,,,\n2,Doc.,Ref.,Sum.,1,x\n")
    jsonl_path = _write_jsonl(
        tmp_path / "data.jsonl",
        [
            {"id": 1, "doc": "", "ref": "", "summary": "", "label": "", "note": ""},
            {"id": 2, "doc": "Doc.", "ref": "Ref.", "summary": "Sum.", "label": "1", "note": "x"},
        ],
    )
    from_csv = load_benchmark(BenchmarkConfig(path=str(csv_path), fields=fields)).examples
    from_jsonl = load_benchmark(BenchmarkConfig(path=str(jsonl_path), fields=fields)).examples
    assert from_csv == from_jsonl
    assert (from_csv[0].source, from_csv[0].summary, from_csv[0].meta) == ("", "", {"note": ""})
    assert (from_csv[0].references, from_csv[0].label) == ((), None)


def test_jsonl_keeps_unicode_line_breaks_and_reads_crlf(tmp_path: Path) -> None:
    text = "a\u2028b\u2029c\x85d\x1ce\x0bf\x0cg"
    path = tmp_path / "data.jsonl"
    path.write_bytes(
        (json.dumps({"id": "1", "source": text}, ensure_ascii=False) + "\r\n").encode()
        + b'\r\n{"id": "2", "source": "x"}\r\n'
    )
    assert [where for where, _ in read_jsonl(path)] == [f"{path}:1", f"{path}:3"]
    first, second = load_benchmark(BenchmarkConfig(path=str(path))).examples
    assert (first.source, second.source) == (text, "x")


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b'{"id": "1", "source": "a"}\n\n{"id": "2", "source": "caf\xe9"}\n')
    with pytest.raises(BenchmarkError, match=rf"^{path}:3: not valid UTF-8 text at byte offset 54"):
        load_benchmark(BenchmarkConfig(path=str(path)))


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"id": "1", "source": "emoji cut \ud83d"}, "'source'"),
        ({"id": "1", "source": "x", "tags": ["ok", "\udc00"]}, "'tags[1]'"),
    ],
)
def test_lone_surrogates_are_rejected(tmp_path: Path, record: dict[str, Any], field: str) -> None:
    path = tmp_path / "data.json"
    path.write_text(json.dumps([{"id": "0", "source": "fine"}, record]), encoding="utf-8")
    with pytest.raises(BenchmarkError, match="lone UTF-16 surrogate") as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert f"{path}: item 2: field {field}" in info.value.message


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        (
            "data.jsonl",
            '{"id": "1", "source": "a"}\n{"id": "2", "source": "b", "source": "c"}\n',
            r"data.jsonl:2: the key 'source' is given twice in one object",
        ),
        (
            "data.json",
            '[{"id": "1", "source": "a", "id": "9"}]',
            r"data.json: the key 'id' is given twice",
        ),
        (
            "data.jsonl",
            '{"id": "1", "source": "a", "x": ' + "[" * 5000 + "]" * 5000 + "}\n",
            r"data.jsonl:1: nested too deeply",
        ),
        (
            "data.jsonl",
            '{"id": "1", "source": "a", "x": 1' + "0" * 5000 + "}\n",
            r"data.jsonl:1: a number too long to read: Exceeds the limit \(4300 digits\)",
        ),
        (
            "data.json",
            '[{"id": 1' + "0" * 5000 + ', "source": "a"}]',
            r"data.json: a number too long to read",
        ),
    ],
)
def test_a_key_given_twice_or_nesting_too_deep_is_an_error(
    tmp_path: Path, name: str, text: str, match: str
) -> None:
    # json keeps the last of two equal keys in silence, and recursion ends in a traceback
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BenchmarkError, match=match):
        load_benchmark(BenchmarkConfig(path=str(path)))
