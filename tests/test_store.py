"""Run directory round trips and the SQLite cache."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from harness.errors import ConfigError, StoreError
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
    baseline = tmp_path / "baseline.json"
    baseline.write_text("{}", encoding="utf-8")
    with pytest.raises(StoreError, match="is a file; a run directory") as caught:
        RunDir(baseline).require()
    assert "a baseline.json is read only as `harness compare`'s first run" in (
        caught.value.hint or ""
    )
    (tmp_path / "config.yaml").write_text("name: x\n", encoding="utf-8")
    results = tmp_path / "results.json"
    results.write_text("{}", encoding="utf-8")
    with pytest.raises(StoreError, match="is a file; a run directory") as caught:
        RunDir(results).require()
    assert caught.value.hint == f"give its folder: {tmp_path}"


def test_cache_persists_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "c" / "cache.sqlite"
    cache = Cache(path)
    cache.put_many("generation", {"k1": {"summary": "s", "latency_s": 0.5}})
    cache.close()
    again = Cache(path)
    assert again.get_many("generation", ["k1", "k2"]) == {
        "k1": {
            "summary": "s",
            "latency_s": 0.5,
            "truncated_tokens": None,
            "cut_off": None,
            "served_model": None,
        }
    }
    assert again.stats() == {"generation": {"hits": 1, "misses": 1}}
    again.close()
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_disabled_cache_stores_nothing() -> None:
    cache = Cache(None)
    cache.put_many("score", {"k": 1})
    assert cache.get_many("score", ["k"]) == {}


def test_unicode_line_breaks_in_run_files_read_back(tmp_path: Path) -> None:
    text = "one\u2028two\u2029three\x85four\x1cfive\x0bsix\x0cseven\rend"
    run = RunDir(tmp_path / "run")
    outputs = [
        Output(example_id="a", system=text, summary=text, latency_s=0.1),
        Output(example_id="b", system="s", summary="plain"),
    ]
    run.write_outputs(outputs)
    raw = run.file("outputs.jsonl").read_text(encoding="utf-8")
    assert "\u2028" in raw and raw.count("\n") == 2  # written raw, one record per "\n"
    assert run.read_outputs() == outputs
    run.write_json("results.json", {"name": text})
    assert run.read_json("results.json") == {"name": text}


@pytest.mark.parametrize("name", ["outputs.jsonl", "results.json"])
def test_non_utf8_run_file_names_file_and_line(tmp_path: Path, name: str) -> None:
    run = RunDir(tmp_path)
    run.file(name).write_bytes(b'{"example_id": "a", "system": "s", "summary": "x"}\n\n\xff\n')
    read = run.read_outputs if name == "outputs.jsonl" else lambda: run.read_json(name)
    expected = rf"{name}:3: not valid UTF-8 \(byte b'\\xff' at offset 52\)"
    with pytest.raises(StoreError, match=expected):
        read()


DAMAGED = [
    ("generation", "{}"),
    ("generation", "[1, 2]"),
    ("generation", '{"summary": "x"'),
    ("generation", '{"summary": null, "latency_s": 0.1}'),
    ("generation", '{"summary": "x", "latency_s": "0.1"}'),
    ("generation", '{"summary": "x", "latency_s": 0.1, "truncated_tokens": true}'),
    ("generation", '{"summary": "x", "latency_s": 0.1, "cut_off": 3}'),
    ("score", "{}"),
    ("score", "null"),
    ("score", '{"values": {"a": true}}'),
    ("score", '{"values": {"a": "1"}}'),
    ("score", '{"values": {"a": 1}, "findings": ["x"]}'),
    ("score", '{"values": {"a": 1}, "reason": 3}'),
]


@pytest.mark.parametrize(("kind", "value"), DAMAGED)
def test_damaged_cache_row_is_a_counted_miss(tmp_path: Path, kind: str, value: str) -> None:
    path = tmp_path / "cache.sqlite"
    good = {"generation": {"summary": "s", "latency_s": 0.5}, "score": {"values": {"a": 1}}}
    cache = Cache(path)
    cache.put_many(kind, {"good": good[kind], "bad": good[kind]})
    with sqlite3.connect(path) as db:
        db.execute("UPDATE entries SET value = ? WHERE key = 'bad'", (value,))
    found = cache.get_many(kind, ["good", "bad", "absent"])
    assert list(found) == ["good"]
    assert cache.stats() == {kind: {"hits": 1, "misses": 2, "invalid": 1}}
    assert cache.invalid == {kind: 1}
    message = cache.invalid_message()
    assert message is not None and f"1 damaged entry ({kind} 1) was ignored" in message
    # recomputing the miss overwrites the damaged row
    cache.put_many(kind, {"bad": good[kind]})
    assert set(cache.get_many(kind, ["bad"])) == {"bad"}
    cache.close()


def test_cache_row_stored_as_a_blob_or_number_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    cache = Cache(path)
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO entries VALUES ('score', 'n', 42), ('score', 'b', x'ff00')")
    assert cache.get_many("score", ["n", "b"]) == {}
    assert cache.invalid == {"score": 2}
    assert cache.invalid_message() is not None
    cache.close()


def test_valid_cache_rows_are_served_with_defaults(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite")
    cache.put_many("score", {"k": {"values": {"a": 1, "b": None}}})
    assert cache.get_many("score", ["k"]) == {
        "k": {"values": {"a": 1.0, "b": None}, "findings": [], "reason": None}
    }
    assert cache.invalid == {} and cache.invalid_message() is None
    assert cache.stats() == {"score": {"hits": 1, "misses": 0}}
    cache.close()


def test_only_the_newest_plots_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.store import cache as cache_module

    monkeypatch.setattr(cache_module, "MAX_FILES", 3)
    cache = Cache(tmp_path / "cache.sqlite")
    for index in range(5):
        cache.put_file(f"k{index}", b"png %d" % index)
    cache.put_file("k0", b"png 0")  # stored again: the newest now
    cache.put_many("score", {"s": {"values": {}}})
    cache.close()
    cache = Cache(tmp_path / "cache.sqlite")
    kept = [key for key in ("k0", "k1", "k2", "k3", "k4") if cache.get_file(key) is not None]
    assert kept == ["k0", "k3", "k4"]
    assert cache.get_many("score", ["s"]) != {}  # results are never pruned
    assert cache.prune_files() == 0
    cache.close()


def test_writing_over_a_folder_names_it_not_a_temporary_file(tmp_path: Path) -> None:
    from harness.store import write_atomic

    with pytest.raises(StoreError, match=rf"cannot write {tmp_path}: it is a folder") as caught:
        write_atomic(tmp_path, "x")
    assert list(tmp_path.iterdir()) == []
    # the hint names no option: `check --junit DIR` and `baseline --out DIR` both get here
    assert caught.value.hint == f"give the name of a file in it (e.g. {tmp_path / 'NAME'})"


def test_an_edited_config_yaml_names_its_line(tmp_path: Path) -> None:
    # `harness score` re-reads config.yaml, which users edit (add a metric):
    # a mistake there named the key but not the line.
    (tmp_path / "config.yaml").write_text(
        "name: run\nbenchmark: {builtin: newsbriefs}\nsystems: [{name: a, backend: lead}]\n"
        "metrics:\n- name: rouge\n  parms: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        RunDir(tmp_path).read_run_config()
    assert f"{tmp_path / 'config.yaml'}:6: metrics[0].parms: unknown key" in info.value.message
