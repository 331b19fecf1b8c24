"""Property tests: any text harness writes, or reads from a benchmark, comes back identical.

"Any text" is hypothesis's text plus the characters that break naive code:
NUL and other controls, every Unicode line break (U+2028, U+2029, U+0085, FS,
GS, RS, VT, FF, CR), right-to-left and zero-width marks, a byte-order mark,
astral characters, and the quote, comma and pipe of the formats themselves.
Lone surrogates are left out: they are not characters and UTF-8 has no form
for them (a benchmark holding one is an error, tested in tests/benchmark).
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from harness.benchmark import load_benchmark
from harness.config import BenchmarkConfig, FieldMap
from harness.records import Example, Output, Score
from harness.store import Cache, RunDir
from tests.requires import require

require("hypothesis", extra="test")  # every test here is a property test
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

HOSTILE = [
    "\x00",
    "\x01",
    "\x7f",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x0b",
    "\x0c",
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u202e",  # right-to-left override
    "\u05d0\u05d1",  # Hebrew
    "\ufeff",  # byte-order mark
    "\U0001f600",  # astral: an emoji
    "\U0001d518",  # astral: mathematical fraktur
    '"',
    "'",
    ",",
    "|",
    "\\",
    " ",
    "{}",
    "---",
    "#",
    ":",
]
# Pieces of ordinary text (any character but a surrogate) and hostile ones, joined.
TEXT = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=("Cs",))), st.sampled_from(HOSTILE)),
    max_size=8,
).map("".join)
# Python's csv module reads NUL only from 3.11 on ("line contains NUL" before).
CSV_TEXT = TEXT if sys.version_info >= (3, 11) else TEXT.map(lambda text: text.replace("\x00", ""))

SETTINGS = settings(max_examples=60, deadline=None)
FIELDS = FieldMap(id=None, source="source", summary="summary")


def _records(texts: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [{"source": s, "summary": m, "note": n} for s, m, n in texts]


def _check_examples(folder: Path, name: str, records: list[dict[str, str]]) -> None:
    examples = load_benchmark(BenchmarkConfig(path=str(folder / name), fields=FIELDS)).examples
    assert [e.source for e in examples] == [r["source"] for r in records]
    assert [e.summary for e in examples] == [r["summary"] for r in records]
    assert [e.meta for e in examples] == [{"note": r["note"]} for r in records]


ROWS = st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=5)


@SETTINGS
@given(ROWS)
def test_jsonl_benchmark_reads_back_identical(texts: list[tuple[str, str, str]]) -> None:
    records = _records(texts)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.jsonl"
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
            encoding="utf-8",
            newline="",
        )
        _check_examples(Path(folder), "data.jsonl", records)


@SETTINGS
@given(ROWS)
def test_json_benchmark_reads_back_identical(texts: list[tuple[str, str, str]]) -> None:
    records = _records(texts)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.json"
        path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
        _check_examples(Path(folder), "data.json", records)


@SETTINGS
@given(st.lists(st.tuples(CSV_TEXT, CSV_TEXT, CSV_TEXT), min_size=1, max_size=5))
def test_csv_benchmark_reads_back_identical(texts: list[tuple[str, str, str]]) -> None:
    records = _records(texts)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=["source", "summary", "note"])
    writer.writeheader()
    writer.writerows(records)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        _check_examples(Path(folder), "data.csv", records)


FLOATS = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))


@st.composite
def run_records(draw: st.DrawFn) -> tuple[list[Example], list[Output], list[Score]]:
    ids = draw(st.lists(TEXT, min_size=1, max_size=3, unique=True))
    examples = [
        Example(
            id=example_id,
            source=draw(TEXT),
            references=tuple(draw(st.lists(TEXT, max_size=2))),
            summary=draw(st.one_of(st.none(), TEXT)),
            meta={draw(TEXT): draw(TEXT), "nested": {"list": [draw(TEXT)]}},
        )
        for example_id in ids
    ]
    system = draw(TEXT)
    outputs = [
        Output(
            example_id=example_id,
            system=system,
            summary=draw(TEXT),
            error=draw(st.one_of(st.none(), TEXT)),
            latency_s=draw(FLOATS),
        )
        for example_id in ids
    ]
    scores = [
        Score(
            example_id=example_id,
            system=system,
            metric=draw(TEXT),
            values={draw(TEXT): draw(FLOATS)},
            findings=[{"kind": "number", "text": draw(TEXT), "span": [0, 1]}],
            reason=draw(st.one_of(st.none(), TEXT)),
        )
        for example_id in ids
    ]
    return examples, outputs, scores


@SETTINGS
@given(run_records(), TEXT, TEXT)
def test_every_run_file_reads_back_identical(
    records: tuple[list[Example], list[Output], list[Score]], name: str, other: str
) -> None:
    examples, outputs, scores = records
    document: dict[str, Any] = {"name": name, other: [name, {"x": other}], "n": 1.5}
    config: dict[str, Any] = {"name": name, "systems": [{"name": other, "params": {"p": name}}]}
    with tempfile.TemporaryDirectory() as folder:
        run = RunDir(Path(folder) / "run")
        run.write_config(config)
        run.write_json("results.json", document)
        run.write_examples(examples)
        run.write_outputs(outputs)
        run.write_scores(scores)
        assert run.read_config() == config
        assert run.read_json("results.json") == document
        assert run.read_examples() == examples
        assert run.read_outputs() == outputs
        assert run.read_scores() == scores


@SETTINGS
@given(TEXT, TEXT, FLOATS)
def test_cache_rows_read_back_identical(summary: str, finding: str, value: float | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        cache = Cache(Path(folder) / "cache.sqlite")
        try:
            generation = {
                "summary": summary,
                "latency_s": value,
                "truncated_tokens": None,
                "cut_off": finding,
                "served_model": summary,
            }
            score = {"values": {finding: value}, "findings": [{"text": finding}], "reason": summary}
            cache.put_many("generation", {"g": generation})
            cache.put_many("score", {"s": score})
            assert cache.get_many("generation", ["g"]) == {"g": generation}
            assert cache.get_many("score", ["s"]) == {"s": score}
            assert cache.invalid == {}
        finally:
            cache.close()
