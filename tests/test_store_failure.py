"""A cache that fails while a run uses it: the run finishes, complete, and says so once.

The failure is real: a second SQLite connection holds the write lock (as another
process writing the same cache would) past the busy timeout, shortened here so
the test does not wait a minute.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from harness.config import load_config
from harness.runner import run_pipeline
from harness.store import Cache
from harness.store import cache as cache_module

ROWS = [
    {"id": "a", "text": "The dam burst on Monday. Two villages were flooded."},
    {"id": "b", "text": "Prices rose four percent in May. Markets fell."},
    {"id": "c", "text": "The club won again. Fans celebrated."},
]


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT_S", 0.05)


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another writer: a connection in an open ``BEGIN IMMEDIATE`` transaction."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


@pytest.fixture
def locked_cache(tmp_path: Path, short_timeout: None) -> Iterator[Path]:
    path = tmp_path / "cache" / "cache.sqlite"
    Cache(path).close()  # created, in WAL mode: reads still work under the lock
    other = hold_write_lock(path)
    yield path
    other.rollback()
    other.close()


def test_a_failed_write_is_counted_and_stops_further_writes(locked_cache: Path) -> None:
    cache = Cache(locked_cache)
    cache.put_many("score", {"k1": {"values": {}}, "k2": {"values": {}}})
    assert cache.failure is not None and "database is locked" in cache.failure
    cache.put_many("score", {"k3": {"values": {}}})
    cache.put_file("plot", b"png")
    assert cache.unstored == {"score": 3, "file": 1}
    assert cache.get_many("score", ["k1"]) == {}  # nothing is read once it failed
    assert cache.stats()["score"] == {"hits": 0, "misses": 1, "unstored": 3}
    (line,) = cache.warnings()
    assert line.startswith(f"cache {locked_cache} failed (OperationalError: database is locked)")
    assert "4 entries (file 1, score 3) were not stored" in line
    cache.close()


def test_a_failed_read_serves_misses_and_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    cache = Cache(path)
    keys = [f"k{i}" for i in range(2000)]
    cache.put_many("score", {key: {"values": {"x": 1.0}} for key in keys})
    cache.close()
    data = bytearray(path.read_bytes())
    data[3 * 4096 :] = b"\xab" * (len(data) - 3 * 4096)  # the rows' pages damaged on disk
    path.write_bytes(bytes(data))
    cache = Cache(path)  # the schema page is whole, so it opens
    assert cache.get_many("score", keys[:2]) == {}
    assert cache.failure == "DatabaseError: database disk image is malformed"
    assert cache.stats()["score"] == {"hits": 0, "misses": 2}
    assert "nothing more was read from it or stored" in cache.warnings()[0]
    cache.close()


def test_a_healthy_cache_has_no_warning(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite")
    cache.put_many("score", {"k1": {"values": {}}})
    assert cache.warnings() == [] and cache.failure is None
    cache.close()


def write_config(tmp_path: Path, name: str, cache_dir: Path) -> Path:
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    config = tmp_path / f"{name}.yaml"
    config.write_text(
        f"""\
name: cache-failure
benchmark:
  path: {data}
  fields: {{id: id, source: text}}
systems:
  - {{name: lead1, backend: lead, params: {{sentences: 1}}}}
metrics: [length, fragments]
out: {tmp_path / name}
cache: {cache_dir}
""",
        encoding="utf-8",
    )
    return config


def test_a_run_whose_cache_fails_finishes_complete_and_warns(
    tmp_path: Path, locked_cache: Path
) -> None:
    healthy = write_config(tmp_path, "healthy", tmp_path / "other-cache")
    locked = write_config(tmp_path, "locked", locked_cache.parent)
    console = Console(record=True, width=300)
    results = {}
    for path, out in ((healthy, Console(quiet=True)), (locked, console)):
        summary = run_pipeline(
            load_config(path), origin=str(path), config_dir=tmp_path, console=out
        )
        results[path.stem] = summary.manifest
    assert (tmp_path / "locked" / "scores.jsonl").read_bytes() == (
        tmp_path / "healthy" / "scores.jsonl"
    ).read_bytes()
    assert (tmp_path / "locked" / "results.json").read_bytes() == (
        tmp_path / "healthy" / "results.json"
    ).read_bytes()
    stats = results["locked"]["cache"]
    assert isinstance(stats, dict) and stats["generation"]["unstored"] == 3
    text = console.export_text()
    assert "warning: cache" in text and "database is locked" in text
    assert "this run's results are complete" in text


def test_a_cache_folder_that_is_a_file_is_one_error_with_the_fix(tmp_path: Path) -> None:
    from harness.errors import StoreError

    folder = tmp_path / "cache"
    folder.write_text("not a folder", encoding="utf-8")
    with pytest.raises(StoreError, match=r"is a file, not a folder") as caught:
        Cache(folder / "cache.sqlite")
    assert "cache: off" in (caught.value.hint or "")


def test_a_folder_where_the_cache_file_goes_is_one_error_that_says_so(tmp_path: Path) -> None:
    from harness.errors import StoreError

    path = tmp_path / "cache.sqlite"
    path.mkdir()
    with pytest.raises(
        StoreError, match=r"cache\.sqlite is a folder; the cache is a file"
    ) as caught:
        Cache(path)
    assert f"move the folder {path} aside" in (caught.value.hint or "")


@pytest.mark.parametrize("damage", ["garbage", "cut"])
def test_a_damaged_cache_file_is_one_error_that_says_to_remove_it(
    tmp_path: Path, damage: str
) -> None:
    from harness.errors import StoreError

    path = tmp_path / "cache.sqlite"
    if damage == "garbage":
        path.write_bytes(b"\x07" * 20000)
    else:  # a database cut short after its first page
        whole = Cache(path)
        whole.put_many("score", {f"k{i}": {"values": {"x": i}} for i in range(2000)})
        whole.close()
        path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(StoreError) as caught:
        cache = Cache(path)
        cache.get_many("score", ["k1"])
    assert f"delete {path}" in (caught.value.hint or "")
