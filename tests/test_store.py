"""Run directory round trips and the SQLite cache."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from harness.errors import StoreError
from harness.records import Example, Output, Score
from harness.store import Cache, RunDir


def test_run_dir_round_trip(tmp_path: Path) -> None:
    run = RunDir(tmp_path / "run")
    examples = [Example(id="a", source="Text.", references=("Ref.",), meta={"k": 1})]
    outputs = [Output(example_id="a", system="s", summary=None, error="boom", latency_s=0.1)]
    scores = [Score(example_id="a", system="s", metric="m", values={"x": None}, reason="r")]
    run.write_config({"name": "x"})
    run.write_examples(examples)
    run.write_outputs(outputs)
    run.write_scores(scores)
    assert run.require() is run
    assert run.read_examples() == examples
    assert run.read_outputs() == outputs
    assert run.read_scores() == scores
    assert run.read_config() == {"name": "x"}
    assert not list(run.path.glob(".*"))  # no temporary files left behind


def test_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    run = RunDir(tmp_path)
    run.file("outputs.jsonl").write_text(
        '{"example_id": "a", "system": "s", "summary": "x"}\n{"example_id": 3}\n',
        encoding="utf-8",
    )
    with pytest.raises(StoreError, match=r"outputs\.jsonl:2: "):
        run.read_outputs()


def test_require_explains_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run directory not found"):
        RunDir(tmp_path / "missing").require()
    with pytest.raises(StoreError, match=r"config\.yaml is missing"):
        RunDir(tmp_path).require()


def test_cache_persists_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "c" / "cache.sqlite"
    cache = Cache(path)
    cache.put_many("generation", {"k1": {"summary": "s"}})
    cache.close()
    again = Cache(path)
    assert again.get_many("generation", ["k1", "k2"]) == {"k1": {"summary": "s"}}
    assert again.stats() == {"generation": {"hits": 1, "misses": 1}}
    again.close()
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_disabled_cache_stores_nothing() -> None:
    cache = Cache(None)
    cache.put_many("score", {"k": 1})
    assert cache.get_many("score", ["k"]) == {}
