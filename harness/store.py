"""The run directory (read/write) and the content-addressed SQLite cache.

Run directory layout (field names are a stable contract, see the README)::

    config.yaml      the resolved config
    manifest.json    versions, git sha, fingerprints, seed, timings, cache hits
    examples.jsonl   the benchmark examples the run used (so reports and
                     re-scoring never need the original data)
    outputs.jsonl    one Output per (example, system)
    scores.jsonl     one Score per (example, system, metric)
    results.json     aggregates per system and metric value

Every file is written to a temporary name and renamed into place, so a killed
run never leaves a half-written file behind. A run directory being staged
(`harness.outdir`) knows the run it replaces: a file whose bytes are the
same as that run's is carried over (hard-linked) instead of rewritten, so an
unchanged file keeps its inode and modification time. Files are UTF-8; a JSON-lines
file ends each record with ``"\n"`` and is split on ``"\n"`` alone when read,
so the Unicode line breaks JSON allows raw inside strings (U+2028, U+2029,
U+0085) read back unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.errors import StoreError
from harness.records import Example, Output, Score

ModelT = TypeVar("ModelT", bound=BaseModel)

CONFIG_FILE = "config.yaml"
MANIFEST_FILE = "manifest.json"
EXAMPLES_FILE = "examples.jsonl"
OUTPUTS_FILE = "outputs.jsonl"
SCORES_FILE = "scores.jsonl"
RESULTS_FILE = "results.json"

_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8) or bytes to ``path`` via a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(tmp_name, 0o666 & ~_UMASK)  # mkstemp creates 0600; use normal permissions
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def read_utf8(path: Path) -> str:
    """Read a UTF-8 text file; `StoreError` naming ``file:line`` if it is not UTF-8.

    Raises:
        FileNotFoundError: The file does not exist (callers word that themselves).
        StoreError: The file cannot be read or is not UTF-8.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as error:
        raise StoreError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise StoreError(
            f"{path}:{line}: not valid UTF-8 (byte {data[error.start : error.start + 1]!r} "
            f"at offset {error.start})",
            hint="harness writes run files as UTF-8; the file was changed by another program "
            "or damaged: restore it, or run `harness run CONFIG` again",
        ) from None


def dump_json(value: Any) -> str:
    """Readable JSON (keys in insertion order, which is deterministic; UTF-8 kept)."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _jsonl(models: Iterable[BaseModel]) -> str:
    return "".join(model.model_dump_json() + "\n" for model in models)


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or ``None`` if it does not exist."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


class RunDir:
    """Reads and writes one run directory.

    Args:
        path: The directory; created on first write.
        previous: The run directory this one will replace (a staged run's
            target), or ``None``.
        previous_files: The files of ``previous`` that harness wrote (its
            manifest's list): only those are ever carried over.

    Attributes:
        carried: Files written by carrying the previous run's identical file
            over instead of rewriting it, in the order written.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        previous: Path | None = None,
        previous_files: Collection[str] = (),
    ) -> None:
        self.path = Path(path)
        self.previous = previous
        self.previous_files = frozenset(previous_files)
        self.carried: list[str] = []

    def file(self, name: str) -> Path:
        """Path of a file inside the run directory."""
        return self.path / name

    def previous_file(self, name: str) -> Path | None:
        """The previous run's ``name``, if harness wrote it there and it is still a file."""
        if self.previous is None or name not in self.previous_files:
            return None
        path = self.previous / name
        return path if path.is_file() else None

    def carry_over(self, name: str) -> None:
        """Make the previous run's ``name`` this run's, unchanged (a hard link, else a copy).

        Raises:
            StoreError: The previous run has no such file of harness's.
        """
        source = self.previous_file(name)
        if source is None:
            raise StoreError(f"{name}: the run this one replaces has no such file to carry over")
        destination = self.file(name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.unlink(missing_ok=True)
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)
        self.carried.append(name)

    def write_file(self, name: str, data: str | bytes) -> None:
        """Write ``name`` (text as UTF-8); the previous run's identical file is carried over."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        previous = self.previous_file(name)
        same_size = previous is not None and previous.stat().st_size == len(raw)
        if same_size and previous is not None and previous.read_bytes() == raw:
            self.carry_over(name)
            return
        write_atomic(self.file(name), raw)

    def digest(self, name: str) -> str | None:
        """SHA-256 of the file ``name``, or ``None`` if the run directory has none."""
        return file_digest(self.file(name))

    def require(self) -> RunDir:
        """Check this looks like a run directory; raise `StoreError` if not."""
        if not self.path.is_dir():
            raise StoreError(
                f"run directory not found: {self.path}",
                hint="give the folder a `harness run` wrote (its `out`, e.g. reports/quickstart)",
            )
        for name in (CONFIG_FILE, EXAMPLES_FILE, OUTPUTS_FILE):
            if not self.file(name).is_file():
                raise StoreError(
                    f"{self.path} is not a complete run directory: {name} is missing",
                    hint="re-run `harness run CONFIG` to write it",
                )
        return self

    # writing ---------------------------------------------------------------
    def write_config(self, data: dict[str, Any]) -> None:
        """Write the resolved config as YAML."""
        self.write_file(CONFIG_FILE, yaml.safe_dump(data, sort_keys=False))

    def write_json(self, name: str, value: Any) -> None:
        """Write a JSON document (manifest.json, results.json)."""
        self.write_file(name, dump_json(value))

    def write_examples(self, examples: Sequence[Example]) -> None:
        """Write examples.jsonl."""
        self.write_file(EXAMPLES_FILE, _jsonl(examples))

    def write_outputs(self, outputs: Sequence[Output]) -> None:
        """Write outputs.jsonl."""
        self.write_file(OUTPUTS_FILE, _jsonl(outputs))

    def write_scores(self, scores: Sequence[Score]) -> None:
        """Write scores.jsonl."""
        self.write_file(SCORES_FILE, _jsonl(scores))

    # reading ---------------------------------------------------------------
    def read_config(self) -> dict[str, Any]:
        """The stored config as a mapping."""
        from harness.config import read_yaml

        return read_yaml(self.file(CONFIG_FILE))

    def read_json(self, name: str) -> Any:
        """A stored JSON document; `StoreError` if missing, not UTF-8 or malformed."""
        path = self.file(name)
        try:
            text = read_utf8(path)
        except FileNotFoundError:
            raise StoreError(
                f"{path} not found", hint="run `harness score RUN_DIR` to (re)compute it"
            ) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise StoreError(f"{path}:{error.lineno}: malformed JSON: {error.msg}") from None

    def _read_lines(self, name: str, model: type[ModelT]) -> Iterator[ModelT]:
        path = self.file(name)
        try:
            text = read_utf8(path)
        except FileNotFoundError:
            raise StoreError(f"{path} not found") from None
        # split("\n"), not splitlines(): JSON strings may hold U+2028 or U+0085 raw.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                yield model.model_validate_json(line)
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "(line)"
                raise StoreError(
                    f"{path}:{number}: {where}: {first['msg']}",
                    hint=f"each line must be one {model.__name__} record, as `harness run` writes",
                ) from None

    def read_examples(self) -> list[Example]:
        """examples.jsonl as `Example` records."""
        return list(self._read_lines(EXAMPLES_FILE, Example))

    def read_outputs(self) -> list[Output]:
        """outputs.jsonl as `Output` records."""
        return list(self._read_lines(OUTPUTS_FILE, Output))

    def read_scores(self) -> list[Score]:
        """scores.jsonl as `Score` records."""
        return list(self._read_lines(SCORES_FILE, Score))


class CachedGeneration(BaseModel):
    """The cached value of a successful generation (cache kind ``"generation"``)."""

    # strict: a damaged row ("1.5" for a number, true for a count) is not coerced into use.
    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")

    summary: str
    latency_s: float | None
    truncated_tokens: int | None = None


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


class Cache:
    """Content-addressed cache of generations and scores in one SQLite file.

    Keys are hashes of (component fingerprint, inputs); values are JSON. The
    database runs in WAL mode with a busy timeout, so two runs can share one
    cache, and every batch is committed as soon as it is computed, so a killed
    run loses at most the batch in flight.

    A row whose value is not JSON or fails the schema of its kind
    (`CachedGeneration`, `CachedScore`) is never served: it counts as a miss,
    so the caller recomputes it (and its ``put_many`` overwrites the row), and
    it is counted in `invalid` for the caller to report once.

    Args:
        path: The SQLite file, or ``None`` for a disabled cache that stores nothing.

    Attributes:
        hits: Rows served, per kind.
        misses: Keys not served (absent or damaged), per kind.
        invalid: Damaged rows found (and not served), per kind.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.hits: dict[str, int] = {}
        self.misses: dict[str, int] = {}
        self.invalid: dict[str, int] = {}
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=60)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS entries ("
                " kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                " PRIMARY KEY (kind, key))"
            )
            self._db.commit()
        except sqlite3.Error as error:
            raise StoreError(
                f"cannot open the cache {path}: {error}",
                hint="set `cache:` in the config or HARNESS_CACHE_DIR to a writable folder, "
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
        if self._db is not None and keys:
            for key, raw in self._rows(kind, list(dict.fromkeys(keys))):
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
        rows = [(kind, key, json.dumps(value, ensure_ascii=False)) for key, value in items.items()]
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)", rows
            )

    def stats(self) -> dict[str, dict[str, int]]:
        """Hits and misses per kind for the manifest, plus ``invalid`` where rows were damaged."""
        kinds = sorted(set(self.hits) | set(self.misses))
        stats = {k: {"hits": self.hits.get(k, 0), "misses": self.misses.get(k, 0)} for k in kinds}
        for kind, count in self.invalid.items():
            stats.setdefault(kind, {"hits": 0, "misses": 0})["invalid"] = count
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

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None


__all__ = [
    "CACHE_SCHEMAS",
    "CONFIG_FILE",
    "EXAMPLES_FILE",
    "MANIFEST_FILE",
    "OUTPUTS_FILE",
    "RESULTS_FILE",
    "SCORES_FILE",
    "Cache",
    "CachedGeneration",
    "CachedScore",
    "RunDir",
    "dump_json",
    "file_digest",
    "read_utf8",
    "write_atomic",
]
