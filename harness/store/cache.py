"""The content-addressed SQLite cache of generations and scores (`Cache`), and its row schemas."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.errors import StoreError


class CachedGeneration(BaseModel):
    """The cached value of a successful generation (cache kind ``"generation"``)."""

    # strict: a damaged row ("1.5" for a number, true for a count) is not coerced into use.
    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")

    summary: str
    latency_s: float | None
    truncated_tokens: int | None = None
    cut_off: str | None = None
    served_model: str | None = None


class CachedScore(BaseModel):
    """The cached value of one metric result (cache kind ``"score"``)."""

    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")

    values: dict[str, float | None]
    findings: list[dict[str, Any]] = Field(default_factory=list)
    reason: str | None = None


CACHE_SCHEMAS: dict[str, type[BaseModel]] = {
    "generation": CachedGeneration,
    "score": CachedScore,
}


def _cached_value(kind: str, raw: Any) -> Any:
    """The decoded, schema-checked value of one cache row; ValueError if damaged."""
    if not isinstance(raw, (str, bytes)):
        raise ValueError(f"stored as {type(raw).__name__}, not JSON text")
    schema = CACHE_SCHEMAS.get(kind)
    if schema is not None:
        try:  # parsed and checked in one pass
            return schema.model_validate_json(raw).model_dump()
        except ValidationError as error:  # also malformed JSON and bad UTF-8
            raise ValueError(str(error)) from None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, bad UTF-8 bytes
        raise ValueError(f"not JSON: {error}") from None


#: How many derived files (plots) the cache keeps: the most recently stored.
MAX_FILES = 2000
#: How long a write waits for another process's lock on the cache before it fails.
BUSY_TIMEOUT_S = 60.0


class Cache:
    """Content-addressed cache of generations and scores in one SQLite file.

    It also keeps the plots runs drew, by content key (`get_file`), so that a
    run into a new run directory does not draw again what an earlier run drew.

    Keys are hashes of (component fingerprint, inputs); values are JSON. The
    database runs in WAL mode with a busy timeout, so two runs can share one
    cache, and every batch is committed as soon as it is computed, so a killed
    run loses at most the batch in flight.

    A row whose value is not JSON or fails the schema of its kind
    (`CachedGeneration`, `CachedScore`) is never served: it counts as a miss,
    so the caller recomputes it (and its ``put_many`` overwrites the row), and
    it is counted in `invalid` for the caller to report once.

    A cache that fails while a run uses it (a full disk, a read-only or
    network file system, a lock another process holds past the busy timeout)
    does not stop the run, whose results stay complete in its run directory:
    a failed read serves nothing (every key a miss) and a failed write stores
    nothing more; the first error is kept in `failure`, what could not be
    stored is counted in `unstored`, and `warnings` says so once.

    Args:
        path: The SQLite file, or ``None`` for a disabled cache that stores nothing.

    Attributes:
        hits: Rows served, per kind.
        misses: Keys not served (absent or damaged), per kind.
        invalid: Damaged rows found (and not served), per kind.
        unstored: Entries (per kind; plots as ``file``) not stored after a failure.
        failure: The first SQLite error while the cache was in use, or ``None``.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.hits: dict[str, int] = {}
        self.misses: dict[str, int] = {}
        self.invalid: dict[str, int] = {}
        self.unstored: dict[str, int] = {}
        self.failure: str | None = None
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS entries ("
                " kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                " PRIMARY KEY (kind, key))"
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, data BLOB NOT NULL)"
            )
            self._db.commit()
        except (sqlite3.Error, OSError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            # A file that is not an SQLite database, or a damaged one: a writable
            # folder is not the fix, removing the file is (it holds nothing a run
            # cannot compute again).
            damaged = isinstance(error, sqlite3.DatabaseError) and not isinstance(
                error, sqlite3.OperationalError
            )
            if path.parent.is_file():
                where = f" ({path.parent} is a file, not a folder)"
            elif path.is_dir():  # SQLite says only "unable to open database file"
                where = f" ({path} is a folder; the cache is a file of that name)"
            else:
                where = ""
            raise StoreError(
                f"cannot open the cache {path}: {reason}{where}",
                hint=(
                    f"the file is damaged or not a harness cache: delete {path} or move it "
                    "aside (a run computes its entries again), or "
                    if damaged
                    else f"move the folder {path} aside, or "
                    if path.is_dir()
                    else ""
                )
                + "set `cache:` in the config or HARNESS_CACHE_DIR to a writable folder, "
                "or `cache: off`",
            ) from None

    def get_many(self, kind: str, keys: Sequence[str]) -> dict[str, Any]:
        """Cached values for ``keys``, in one query; counts hits, misses and damaged rows.

        Missing keys and damaged rows are absent from the result. Values of
        the kinds in `CACHE_SCHEMAS` come back validated, with every field of
        the schema present (defaults filled in).
        """
        found: dict[str, Any] = {}
        damaged = 0
        if self._db is not None and self.failure is None and keys:
            for key, raw in self._read(kind, list(dict.fromkeys(keys))):
                try:
                    found[key] = _cached_value(kind, raw)
                except ValueError:
                    damaged += 1
        if damaged:
            self.invalid[kind] = self.invalid.get(kind, 0) + damaged
        hits = sum(1 for key in keys if key in found)
        self.hits[kind] = self.hits.get(kind, 0) + hits
        self.misses[kind] = self.misses.get(kind, 0) + len(keys) - hits
        return found

    def _read(self, kind: str, keys: list[str]) -> Iterable[tuple[str, Any]]:
        try:
            return self._rows(kind, keys)
        except sqlite3.Error as error:
            self._fail(error)
            return []

    def _fail(self, error: sqlite3.Error) -> None:
        """Keep the first error; the cache reads and writes nothing more this run."""
        if self.failure is None:
            self.failure = f"{type(error).__name__}: {error}"

    def _not_stored(self, kind: str, count: int) -> None:
        self.unstored[kind] = self.unstored.get(kind, 0) + count

    def _rows(self, kind: str, keys: list[str]) -> Iterable[tuple[str, Any]]:
        # One statement whatever the number of keys: they travel as one JSON
        # array (SQLite's json_each), not as one bound variable each, which
        # SQLite limits (999 before 3.32).
        assert self._db is not None
        try:
            return self._db.execute(
                "SELECT key, value FROM entries WHERE kind = ? AND key IN "
                "(SELECT value FROM json_each(?))",
                [kind, json.dumps(keys)],
            ).fetchall()
        except sqlite3.OperationalError as error:
            if "json_each" not in str(error):
                raise
        rows: list[tuple[str, Any]] = []  # an SQLite built without JSON functions
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows += self._db.execute(
                f"SELECT key, value FROM entries WHERE kind = ? AND key IN ({marks})",
                [kind, *chunk],
            ).fetchall()
        return rows

    def put_many(self, kind: str, items: dict[str, Any]) -> None:
        """Store and commit ``items`` (key → JSON-able value)."""
        if self._db is None or not items:
            return
        if self.failure is not None:
            self._not_stored(kind, len(items))
            return
        rows = [(kind, key, json.dumps(value, ensure_ascii=False)) for key, value in items.items()]
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)", rows
                )
        except sqlite3.Error as error:
            self._fail(error)
            self._not_stored(kind, len(items))

    def get_file(self, key: str) -> bytes | None:
        """The derived file (a plot) stored under its content ``key``, or ``None``.

        The caller checks that the bytes are whole and carry ``key`` (a plot's
        PNG says its key, `harness.report.reuse.png_key`) before using them.
        Not counted in `stats`: these are report files, not results.
        """
        if self._db is None or self.failure is not None:
            return None
        try:
            row = self._db.execute("SELECT data FROM files WHERE key = ?", [key]).fetchone()
        except sqlite3.Error as error:
            self._fail(error)
            return None
        return bytes(row[0]) if row is not None and isinstance(row[0], bytes) else None

    def put_file(self, key: str, data: bytes) -> None:
        """Store and commit a derived file under its content ``key``."""
        if self._db is None:
            return
        if self.failure is not None:
            self._not_stored("file", 1)
            return
        try:
            with self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO files (key, data) VALUES (?, ?)", [key, data]
                )
        except sqlite3.Error as error:
            self._fail(error)
            self._not_stored("file", 1)

    def stats(self) -> dict[str, dict[str, int]]:
        """Hits and misses per kind for the manifest, plus ``invalid`` where rows were
        damaged and ``unstored`` where a failure kept entries out."""
        kinds = sorted(set(self.hits) | set(self.misses))
        stats = {k: {"hits": self.hits.get(k, 0), "misses": self.misses.get(k, 0)} for k in kinds}
        for kind, count in self.invalid.items():
            stats.setdefault(kind, {"hits": 0, "misses": 0})["invalid"] = count
        for kind, count in self.unstored.items():
            stats.setdefault(kind, {"hits": 0, "misses": 0})["unstored"] = count
        return stats

    def invalid_message(self) -> str | None:
        """One warning line about the damaged rows found so far, or ``None`` if there were none.

        >>> cache = Cache(None)
        >>> cache.invalid = {"score": 2, "generation": 1}
        >>> print(cache.invalid_message())
        cache None: 3 damaged entries (generation 1, score 2) were ignored and recomputed
        """
        total = sum(self.invalid.values())
        if not total:
            return None
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.invalid.items()))
        noun = "entry" if total == 1 else "entries"
        verb = "was" if total == 1 else "were"
        return f"cache {self.path}: {total} damaged {noun} ({kinds}) {verb} ignored and recomputed"

    def warnings(self) -> list[str]:
        """The lines to show the user once a run is done: damaged rows, and a failure.

        >>> cache = Cache(None)
        >>> cache.failure, cache.unstored = "OperationalError: disk I/O error", {"score": 4}
        >>> print(cache.warnings()[0])  # doctest: +NORMALIZE_WHITESPACE
        cache None failed (OperationalError: disk I/O error): 4 entries (score 4) were not
        stored; this run's results are complete, a rerun computes them again
        """
        lines = [message] if (message := self.invalid_message()) else []
        if self.failure is not None:
            total = sum(self.unstored.values())
            kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.unstored.items()))
            lost = (
                f"{total} {'entry' if total == 1 else 'entries'} ({kinds})"
                f" {'was' if total == 1 else 'were'} not stored"
                if total
                else "nothing more was read from it or stored"
            )
            lines.append(
                f"cache {self.path} failed ({self.failure}): {lost}; this run's results are"
                " complete, a rerun computes them again"
            )
        return lines

    def close(self) -> None:
        """Drop all but the newest `MAX_FILES` plots (`prune_files`) and close the database."""
        if self._db is not None:
            self.prune_files()
            self._db.close()
            self._db = None

    def prune_files(self) -> int:
        """Delete all but the `MAX_FILES` most recently stored files; return how many went.

        Plots are the cache's bulk (tens of kB each, a dozen per changed run),
        so they are bounded where generations and scores are not: a plot
        dropped is simply drawn again the next time it is needed. SQLite reuses
        the freed pages, so the file stops growing rather than shrinking.
        """
        if self._db is None or self.failure is not None:
            return 0
        try:
            with self._db:
                removed = self._db.execute(
                    "DELETE FROM files WHERE rowid NOT IN"
                    " (SELECT rowid FROM files ORDER BY rowid DESC LIMIT ?)",
                    [MAX_FILES],
                ).rowcount
        except sqlite3.Error as error:
            self._fail(error)
            return 0
        return max(removed, 0)
