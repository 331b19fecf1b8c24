"""The ``precomputed`` backend: summaries that already exist.

Two sources, chosen by ``params.path``:

* no ``path``: the benchmark carries the summary itself, in the field mapped
  to ``summary`` (``benchmark.fields.summary``), or in another column of the
  record named by ``params.column`` (read from ``Example.meta``);
* ``path``: a ``.jsonl``, ``.json`` (an array of objects) or ``.csv`` file
  keyed by ``id_field`` with the summary in ``summary_field``, loaded once
  when the backend is built.

An example without a summary fails with a message naming what was looked
for; it is never dropped. A file's ids that no example has are ignored (a
file for the whole benchmark serves a run with ``limit``); preflight refuses
a file that has none of the examples' ids. The file's SHA-256 is part of the fingerprint, so
editing the file changes the manifest.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from harness.backend._protocol import BuildContext, Generation, Summarizer, backend
from harness.benchmark._files import JSON_SHAPE_HINT, JSONShapeError, load_json, parse_csv
from harness.benchmark._records import id_text
from harness.config import resolve_path
from harness.errors import BackendError, BenchmarkError, ConfigError
from harness.records import Example, Fingerprint

# "007", "7" and "7.0" fold alike, for the note on an id not found (never to match).
_WHOLE_NUMBER = re.compile(r"([0-9]+)(?:\.0*)?")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}


class PrecomputedParams(BaseModel):
    """Params of the ``precomputed`` backend.

    Attributes:
        path: File of summaries (``.jsonl``, ``.json`` or ``.csv``); without
            it, summaries come from the benchmark.
        id_field: Field/column of ``path`` holding the example id.
        summary_field: Field/column of ``path`` holding the summary.
        column: Without ``path``: a record column (``Example.meta``) to read
            instead of the mapped ``summary`` field.
    """

    model_config = ConfigDict(extra="forbid")

    path: str | None = None
    id_field: str = Field(default="id", min_length=1)
    summary_field: str = Field(default="summary", min_length=1)
    column: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _column_without_path(self) -> PrecomputedParams:
        if self.path is not None and self.column is not None:
            raise ValueError(
                "'column' reads a benchmark column and cannot be combined with 'path'; "
                "to read a file, name its summary column with 'summary_field'"
            )
        # Without a file they were ignored: `summary_field: original_summary` scored
        # the benchmark's mapped summary field, not that column, in silence.
        for name in ("id_field", "summary_field"):
            if self.path is None and name in self.model_fields_set:
                raise ValueError(
                    f"{name!r} names a field of the summaries file 'path', which is not "
                    f"given; to read a column of the benchmark as the summary, use "
                    f"'column: {getattr(self, name)}' (or give 'path')"
                )
        return self


@dataclass(frozen=True)
class _Entry:
    summary: str | None
    where: str


def _record_id(value: Any, where: str, id_field: str) -> str:
    # Read as the benchmark reads its ids: 7 and 7.0 in the file match id "7".
    text = id_text(value)
    if text is None:
        raise BackendError(
            f"{where}: field {id_field!r} must be a non-empty string or an integer, "
            f"got {type(value).__name__} {value!r:.60}",
            hint="give every record the id of its example, as the benchmark's id field "
            "holds it; if the ids are in another field, name it with params.id_field",
        )
    return text


def _summary(value: Any, where: str, summary_field: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise BackendError(
        f"{where}: field {summary_field!r} must be a string or null, "
        f"got {type(value).__name__} {value!r:.60}",
        hint="write each summary as a JSON string (null for an example with none); if "
        "the summaries are in another field, name it with params.summary_field",
    )


def _require_fields(record: Any, where: str, fields: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise BackendError(
            f"{where}: expected a JSON object, got {type(record).__name__}",
            hint='each record must look like {"id": "...", "summary": "..."}',
        )
    for name in fields:
        if name not in record:
            available = ", ".join(repr(key) for key in record) or "none"
            raise BackendError(
                f"{where}: no field {name!r}; available fields: {available}",
                hint="set params.id_field / params.summary_field to the names the file uses",
            )
    return record


def _jsonl_records(text: str, path: Path) -> Iterator[tuple[str, Any]]:
    # split("\n") rather than splitlines(): JSON strings may hold U+2028 raw.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = load_json(line)
        except json.JSONDecodeError as error:
            raise BackendError(
                f"{path}:{number}: not valid JSON ({error.msg}, column {error.colno}): "
                f"{line[:200]!r}",
                hint="a .jsonl file holds one JSON object per line",
            ) from None
        except JSONShapeError as error:
            raise BackendError(f"{path}:{number}: {error}", hint=JSON_SHAPE_HINT) from None
        yield f"{path}:{number}", record


def _json_records(text: str, path: Path) -> Iterator[tuple[str, Any]]:
    try:
        data = load_json(text)
    except json.JSONDecodeError as error:
        hint = "check the file with a JSON validator (e.g. python -m json.tool FILE)"
        if error.msg == "Extra data":
            hint = "this looks like JSON lines (one object per line): name the file .jsonl"
        raise BackendError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg})", hint=hint
        ) from None
    except JSONShapeError as error:
        raise BackendError(f"{path}: {error}", hint=JSON_SHAPE_HINT) from None
    if not isinstance(data, list):
        raise BackendError(
            f"{path}: expected a JSON array of objects, got {type(data).__name__}",
            hint="use a .jsonl file for one object per line",
        )
    for index, record in enumerate(data):
        yield f"{path}: item [{index}]", record


def _csv_records(text: str, path: Path, fields: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    # The benchmark's strict reader: an unterminated quote is an error at its
    # line, never a cell that swallows the next rows (a summary landing on the
    # wrong example); an empty cell is "" (the empty summary), as in JSON.
    try:
        located = list(parse_csv(text, str(path)))
    except BenchmarkError as error:
        raise BackendError(error.message, hint=error.hint) from None
    for where, record in located:
        missing = [name for name in fields if name not in record]
        if missing:
            available = ", ".join(repr(name) for name in record)
            raise BackendError(
                f"{where}: no column {missing[0]!r}; available columns: {available}",
                hint="set params.id_field / params.summary_field to the names the file uses",
            )
        yield where, record


def _suffix_kind(path: Path) -> str:
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ConfigError(
            f"precomputed: cannot tell the format of {str(path)!r} from its suffix",
            hint="use a .jsonl, .json (array of objects) or .csv file",
        )
    return kind


def _parse_summaries(
    data: bytes, path: Path, id_field: str, summary_field: str
) -> dict[str, _Entry]:
    """Parse the bytes of a file of precomputed summaries.

    Args:
        data: The file's content.
        path: The file (its suffix picks the format; named in errors).
        id_field: Field holding the example id.
        summary_field: Field holding the summary (string or null).

    Returns:
        Example id → summary (``None`` for null; an empty CSV cell is ``""``,
        the empty summary) and its location in the file.

    Raises:
        ConfigError: The suffix is not ``.jsonl``, ``.ndjson``, ``.json`` or ``.csv``.
        BackendError: The content is malformed (names ``file:line``).
    """
    kind = _suffix_kind(path)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BackendError(
            f"{path}:{line}: not UTF-8 text (byte {error.start})", hint="save the file as UTF-8"
        ) from None
    fields = (id_field, summary_field)
    if kind == "jsonl":
        records = _jsonl_records(text, path)
    elif kind == "json":
        records = _json_records(text, path)
    else:
        records = _csv_records(text, path, fields)
    entries: dict[str, _Entry] = {}
    for where, raw in records:
        record = _require_fields(raw, where, fields)
        example_id = _record_id(record[id_field], where, id_field)
        if example_id in entries:
            raise BackendError(
                f"{where}: duplicate id {example_id!r} (first at {entries[example_id].where})",
                hint="each id may have one summary per file",
            )
        summary = _summary(record[summary_field], where, summary_field)
        entries[example_id] = _Entry(summary=summary, where=where)
    return entries


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"precomputed: summaries file not found: {path}",
            hint="relative paths resolve against the current directory, then the config's folder",
        ) from None
    except IsADirectoryError:
        raise ConfigError(f"precomputed: {path} is a folder, expected a file") from None
    except OSError as error:
        raise BackendError(f"precomputed: cannot read {path}: {error.strerror}") from None


class PrecomputedSummarizer:
    """Return existing summaries: from the benchmark, or from a file.

    Args:
        params: Validated params.
        path: The resolved summaries file, or ``None`` to read the benchmark.
        entries: The file's summaries by id (empty without ``path``).
        digest: SHA-256 of the file's bytes (``None`` without ``path``).
    """

    def __init__(
        self,
        params: PrecomputedParams,
        path: Path | None = None,
        entries: dict[str, _Entry] | None = None,
        digest: str | None = None,
    ) -> None:
        self._params = params
        self._path = path
        self._entries = entries or {}
        self._digest = digest
        self._folded: dict[str, str] | None = None

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version, params and (with a file) the file's SHA-256."""
        params = self._params.model_dump(mode="json")
        if self._digest is not None:
            params["sha256"] = self._digest
        return Fingerprint(kind="backend", name="precomputed", version="1", params=params)

    @property
    def path(self) -> Path | None:
        """The summaries file, or ``None`` when the benchmark carries the summaries."""
        return self._path

    @property
    def ids(self) -> frozenset[str]:
        """The example ids the file has a line for (empty without ``path``)."""
        return frozenset(self._entries)

    @property
    def cacheable(self) -> bool:
        """False: the summaries already exist, caching would only copy them."""
        return False

    def summarize(self, examples: Sequence[Example]) -> list[Generation]:
        """One `Generation` per example; an example without a summary fails."""
        if self._path is None:
            return [self._from_benchmark(example) for example in examples]
        return [self._from_file(example, self._path) for example in examples]

    def _from_benchmark(self, example: Example) -> Generation:
        column = self._params.column
        if column is None:
            if example.summary is None:
                # Preflight refuses a run where no example has one (nothing mapped):
                # here the mapped field is null or missing in this example's record.
                return Generation.failed(
                    "no precomputed summary: the field mapped by benchmark.fields.summary is "
                    "null or missing in this example's record (or no field is mapped)"
                )
            return Generation(summary=example.summary)
        value = example.meta.get(column)
        if value is None:
            return Generation.failed(
                f"no precomputed summary: the benchmark has no {column!r} column for this example"
            )
        if not isinstance(value, str):
            return Generation.failed(
                f"precomputed: column {column!r} holds {type(value).__name__} {value!r}, "
                "expected a summary string"
            )
        return Generation(summary=value)

    def _from_file(self, example: Example, path: Path) -> Generation:
        entry = self._entries.get(example.id)
        if entry is None:
            return Generation.failed(
                f"id {example.id!r} not found in {path}" + self._near(example.id)
            )
        if entry.summary is None:
            return Generation.failed(f"the summary of id {example.id!r} is null in {entry.where}")
        return Generation(summary=entry.summary)

    def _near(self, example_id: str) -> str:
        """A note naming the file's id that differs from ``example_id`` only in
        Unicode normalization, surrounding spaces or case (printed, the two look
        the same), or in how a number is written (``007`` and ``7``, ``7.0`` in
        a CSV file written by pandas), else nothing. Ids never match loosely:
        the note says how to fix it."""
        if self._folded is None:
            self._folded = {}
            for key in self._entries:
                self._folded.setdefault(_fold(key), key)
        near = self._folded.get(_fold(example_id))
        if near is None:
            return ""
        return (
            f"; it has {_shown(near)}, not {_shown(example_id)}: the same id but for "
            "Unicode normalization (write both in NFC), spaces, case or the way a number "
            "is written"
        )


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).strip().casefold()
    number = _WHOLE_NUMBER.fullmatch(folded)
    return (number.group(1).lstrip("0") or "0") if number else folded


def _shown(text: str) -> str:
    """``repr(text)``, with its code points when it is not ASCII (NFC and NFD forms
    print alike)."""
    if text.isascii():
        return repr(text)
    return f"{text!r} ({' '.join(f'U+{ord(char):04X}' for char in text)})"


@backend(
    "precomputed",
    params=PrecomputedParams,
    description="Existing summaries: the benchmark's summary field, or a jsonl/json/csv file",
)
def build_precomputed(params: PrecomputedParams, context: BuildContext) -> Summarizer:
    """Build the ``precomputed`` backend, loading ``params.path`` if given.

    Args:
        params: Validated params.
        context: Build context; ``path`` resolves against its ``config_dir``.

    Raises:
        ConfigError: The file is missing or has an unsupported suffix.
        BackendError: The file is malformed.
    """
    if params.path is None:
        return PrecomputedSummarizer(params)
    path = resolve_path(params.path, context.config_dir)
    _suffix_kind(path)
    data = _read_bytes(path)
    entries = _parse_summaries(data, path, params.id_field, params.summary_field)
    return PrecomputedSummarizer(params, path, entries, hashlib.sha256(data).hexdigest())


__all__ = ["PrecomputedParams", "PrecomputedSummarizer", "build_precomputed"]
