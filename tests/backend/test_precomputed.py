"""Tests of the ``precomputed`` backend."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.backend import BuildContext, Generation, Summarizer, build_backend
from harness.config import SystemConfig
from harness.errors import BackendError, ConfigError
from harness.records import Example

EXAMPLES = [
    Example(id="a", source="Article A.", summary="Given A.", meta={"alt": "Alt A."}),
    Example(id="b", source="Article B.", meta={"alt": 7}),
    Example(id="7", source="Article 7.", summary="Given 7."),
]


def precomputed(config_dir: Path = Path("."), **params: object) -> Summarizer:
    system = SystemConfig(name="given", backend="precomputed", params=dict(params))
    return build_backend(system, BuildContext(config_dir=config_dir), "systems[0]")


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# -- from the benchmark --------------------------------------------------------


def test_reads_the_mapped_summary_field() -> None:
    summarizer = precomputed()
    assert not summarizer.cacheable
    got = summarizer.summarize(EXAMPLES)
    assert got[0] == Generation(summary="Given A.")
    assert got[2] == Generation(summary="Given 7.")
    assert got[1].summary is None
    assert got[1].error is not None
    assert got[1].error.startswith(
        "no precomputed summary: the field mapped by benchmark.fields.summary is null or "
        "missing in this example's record"
    )


def test_reads_a_benchmark_column() -> None:
    got = precomputed(column="alt").summarize(EXAMPLES)
    assert got[0] == Generation(summary="Alt A.")
    assert got[1].error is not None and "'alt'" in got[1].error and "int" in got[1].error
    assert got[2].error is not None and "no 'alt' column" in got[2].error


def test_column_and_path_together_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="column"):
        precomputed(column="alt", path="x.jsonl")


@pytest.mark.parametrize("param", ["summary_field", "id_field"])
def test_file_params_without_a_file_are_a_config_error(param: str) -> None:
    # Before: ignored, so `summary_field: alt` returned the mapped summary ("Given A."),
    # not the column the config named.
    with pytest.raises(ConfigError, match=rf"'{param}' names a field of the summaries file"):
        precomputed(**{param: "alt"})
    assert precomputed(column="alt").summarize(EXAMPLES[:1]) == [Generation(summary="Alt A.")]


# -- from a file ---------------------------------------------------------------


def test_jsonl_file(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "out.jsonl",
        [
            {"id": "b", "summary": "File B."},
            {"id": 7, "summary": "File 7."},
            {"id": "a", "summary": None},
        ],
    )
    got = precomputed(path=str(path)).summarize(EXAMPLES)
    assert got[1] == Generation(summary="File B.")
    assert got[2] == Generation(summary="File 7.")  # numeric ids match string ids
    assert got[0] == Generation.failed(f"the summary of id 'a' is null in {path}:3")


def test_custom_fields_and_relative_path_against_config_dir(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "out.jsonl",
        [{"doc_id": i, "text": f"File {i}."} for i in ("a", "b", "7")],
    )
    summarizer = precomputed(
        config_dir=tmp_path, path="out.jsonl", id_field="doc_id", summary_field="text"
    )
    assert [g.summary for g in summarizer.summarize(EXAMPLES)] == ["File a.", "File b.", "File 7."]


def test_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text(
        'id,summary,extra\na,"File A, with a comma.",x\nb,,y\n7,"Two\nlines.",z\n',
        encoding="utf-8",
    )
    got = precomputed(path=str(path)).summarize(EXAMPLES)
    assert got[0] == Generation(summary="File A, with a comma.")
    assert got[1] == Generation(summary="")  # an empty cell is the empty summary, as "" in JSON
    assert got[2] == Generation(summary="Two\nlines.")


def test_json_array_file(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text(json.dumps([{"id": "a", "summary": "File A."}]), encoding="utf-8")
    got = precomputed(path=str(path)).summarize(EXAMPLES[:1])
    assert got == [Generation(summary="File A.")]


def test_missing_id_is_reported_not_dropped(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "out.jsonl", [{"id": "a", "summary": "File A."}])
    got = precomputed(path=str(path)).summarize(EXAMPLES)
    assert len(got) == 3
    assert got[0] == Generation(summary="File A.")
    assert got[1] == Generation.failed(f"id 'b' not found in {path}")
    assert got[2] == Generation.failed(f"id '7' not found in {path}")


def test_ids_are_read_as_the_benchmark_reads_them(tmp_path: Path) -> None:
    # A whole float (pandas writes int ids with a gap as 7.0) is the integer id.
    path = write_jsonl(tmp_path / "out.jsonl", [{"id": 7.0, "summary": "File 7."}])
    assert precomputed(path=str(path)).summarize(EXAMPLES[2:]) == [Generation(summary="File 7.")]


def test_an_id_that_only_looks_the_same_is_not_matched_but_named(tmp_path: Path) -> None:
    import unicodedata

    from harness.records import Example

    rows = [
        {"id": unicodedata.normalize("NFD", "café"), "summary": "NFD."},
        {"id": "b ", "summary": "Spaced."},
    ]
    path = write_jsonl(tmp_path / "out.jsonl", rows)
    examples = [Example(id="café", source="A."), Example(id="b", source="B.")]
    first, second = precomputed(path=str(path)).summarize(examples)
    assert first.error is not None and second.error is not None
    assert "(U+0063 U+0061 U+0066 U+0065 U+0301), not 'café' (U+0063 U+0061 U+0066 U+00E9)" in (
        first.error
    )
    assert second.error == (
        f"id 'b' not found in {path}; it has 'b ', not 'b': the same id but for Unicode "
        "normalization (write both in NFC), spaces, case or the way a number is written"
    )


@pytest.mark.parametrize(
    ("benchmark_id", "file_id", "shown"),
    [
        ("007", 7, "'7'"),
        ("7", "007", "'007'"),
        ("12", "12.0", "'12.0'"),
        ("0", "00", "'00'"),
        ("3", 3.5, ""),
        ("9" * 5000, "8", ""),  # too long for int(): the note must not fail the example
    ],
)
def test_an_id_written_as_another_number_is_not_matched_but_named(
    tmp_path: Path, benchmark_id: str, file_id: object, shown: str
) -> None:
    # A CSV benchmark keeps "007" as text; a JSON file of outputs may hold 7 (or pandas
    # may have written "12.0"): the example fails, and the note names the file's id.
    path = write_jsonl(tmp_path / "out.jsonl", [{"id": file_id, "summary": "S."}])
    (got,) = precomputed(path=str(path)).summarize([Example(id=benchmark_id, source="A.")])
    assert got.summary is None and got.error is not None
    assert got.error.startswith(f"id {benchmark_id!r} not found in {path}")
    if not shown:  # 3.5 is not 3 written another way: no note
        assert got.error == f"id {benchmark_id!r} not found in {path}"
    else:
        assert f"; it has {shown}, not {benchmark_id!r}: the same id but for" in got.error


def test_malformed_jsonl_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"id": "a", "summary": "ok"}\n\n{"id": "b", "summary": \n', encoding="utf-8")
    with pytest.raises(BackendError, match=re.escape(f"{path}:3: not valid JSON")):
        precomputed(path=str(path))


def test_duplicate_ids(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "out.jsonl",
        [{"id": "a", "summary": "1"}, {"id": "b", "summary": "2"}, {"id": "a", "summary": "3"}],
    )
    with pytest.raises(
        BackendError, match=re.escape(f"{path}:3: duplicate id 'a' (first at {path}:1)")
    ):
        precomputed(path=str(path))


def test_duplicate_ids_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("id,summary\na,1\na,2\n", encoding="utf-8")
    with pytest.raises(BackendError, match=re.escape(f"{path}:3 (row 2): duplicate id 'a'")):
        precomputed(path=str(path))


def test_unterminated_quote_in_csv_is_an_error_not_merged_rows(tmp_path: Path) -> None:
    # Lenient CSV parsing would put b's and 7's summaries inside a's cell.
    path = tmp_path / "out.csv"
    path.write_text('id,summary\na,"Opens but never closes.\nb,Two.\n7,Three.\n', encoding="utf-8")
    with pytest.raises(BackendError, match=re.escape(f"{path}:2: unterminated quote")):
        precomputed(path=str(path))


def test_a_line_break_in_an_unquoted_summary_is_an_error_not_a_cut_summary(
    tmp_path: Path,
) -> None:
    # Read loosely, a's summary would be cut to its first line and the second line
    # would become an id that matches no example.
    path = tmp_path / "out.csv"
    path.write_text("id,summary\na,Apples are red.\nThe sky is blue.\nb,Two.\n", encoding="utf-8")
    with pytest.raises(BackendError, match=re.escape(f"{path}:3 (row 2): 1 of the header's 2")):
        precomputed(path=str(path))


def test_missing_field_lists_the_available_ones(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "out.jsonl", [{"id": "a", "text": "x", "model": "m"}])
    with pytest.raises(BackendError) as caught:
        precomputed(path=str(path))
    message = str(caught.value)
    assert f"{path}:1: no field 'summary'" in message
    assert "'id', 'text', 'model'" in message
    assert "summary_field" in message  # the hint


def test_missing_csv_column_lists_the_header(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("doc,text\na,x\n", encoding="utf-8")
    with pytest.raises(BackendError, match=r"no column 'id'; available columns: 'doc', 'text'"):
        precomputed(path=str(path))


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b'{"id": "a", "summary": "caf\xe9"}\n', r":1: not UTF-8"),
        (b'["a", "b"]\n', r":1: expected a JSON object, got list"),
        (b'{"id": null, "summary": "x"}\n', r":1: field 'id' must be a non-empty string or an"),
        (b'{"id": " ", "summary": "x"}\n', r":1: field 'id' must be a non-empty string or an"),
        (b'{"id": "a", "summary": 3}\n', r":1: field 'summary' must be a string or null"),
        (b'{"id": 1' + b"0" * 5000 + b', "summary": "x"}\n', r":1: a number too long to read"),
    ],
)
def test_bad_content(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(content)
    with pytest.raises(BackendError, match=match) as info:
        precomputed(path=str(path))
    assert info.value.hint, "every error says how to fix it"


@pytest.mark.parametrize(
    ("content", "match", "fix"),
    [
        ('[{"id": "a", "summary": "x"},]', r":1:30: not valid JSON", "JSON validator"),
        ('{"id": "a", "summary": "x"}\n{"id": "b", "summary": "y"}\n', "Extra data", ".jsonl"),
        ('[{"id": "a", "id": "b", "summary": "x"}]', "given twice", "each field of a record once"),
    ],
)
def test_bad_json_array_files_say_how_to_fix_them(
    tmp_path: Path, content: str, match: str, fix: str
) -> None:
    path = tmp_path / "out.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BackendError, match=match) as info:
        precomputed(path=str(path))
    assert info.value.hint is not None and fix in info.value.hint


def test_json_that_is_not_an_array(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text('{"a": "x"}', encoding="utf-8")
    with pytest.raises(BackendError, match="expected a JSON array"):
        precomputed(path=str(path))


def test_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="summaries file not found"):
        precomputed(path=str(tmp_path / "missing.jsonl"))


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot tell the format"):
        precomputed(path=str(path))


def test_fingerprint_includes_path_and_content_hash(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "out.jsonl", [{"id": "a", "summary": "one"}])
    before = precomputed(path=str(path)).fingerprint
    assert before == precomputed(path=str(path)).fingerprint
    assert before.params["path"] == str(path)
    assert len(before.params["sha256"]) == 64
    write_jsonl(path, [{"id": "a", "summary": "two"}])
    assert precomputed(path=str(path)).fingerprint != before


def test_a_summary_given_twice_in_one_record_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"id": "a", "summary": "One.", "summary": "Two."}\n', encoding="utf-8")
    with pytest.raises(
        BackendError, match=re.escape(f"{path}:1: the key 'summary' is given twice")
    ):
        precomputed(path=str(path))
