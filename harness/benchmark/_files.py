"""Readers for local data files: JSON lines, JSON, CSV and Parquet.

Every reader yields ``(location, record)`` pairs. ``location`` names the
place in the file for error messages (``data/x.jsonl:12``,
``data/x.csv: row 5``, ``data/x.json: item 3``; rows and items count from 1)
and ``record`` is a plain ``dict`` of the record's fields.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from harness.errors import BenchmarkError

Record = dict[str, Any]
Located = tuple[str, Record]
Reader = Callable[[Path], Iterator[Located]]

_UTF8_HINT = "re-encode as UTF-8 (e.g. iconv -f latin1 -t utf-8 IN > OUT)"
# Articles are long; the csv module's default cell limit (128 KiB) is too small.
_CSV_FIELD_LIMIT = 2**31 - 1


def check_file(path: Path) -> None:
    """Raise `BenchmarkError` unless ``path`` is an existing regular file.

    Args:
        path: The data file, as resolved from ``benchmark.path``.

    Raises:
        BenchmarkError: The path does not exist or is a directory.
    """
    if path.is_dir():
        raise BenchmarkError(
            f"benchmark.path: {str(path)!r} is a directory, not a data file",
            hint="point benchmark.path at a .jsonl/.json/.csv/.parquet/.txt file "
            "(a directory written by datasets' save_to_disk needs benchmark.format: hf)",
        )
    if not path.exists():
        where = "" if path.is_absolute() else f" (looked in the current directory, {Path.cwd()})"
        raise BenchmarkError(
            f"benchmark.path: file not found: {str(path)!r}{where}",
            hint="relative paths are resolved against the current directory first, "
            "then against the folder of the config file; check the spelling of benchmark.path",
        )


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a leading byte-order mark is dropped).

    Args:
        path: The file to read.

    Returns:
        The decoded text.

    Raises:
        BenchmarkError: The file is missing, unreadable or not UTF-8.
    """
    check_file(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BenchmarkError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BenchmarkError(
            f"{path}: not valid UTF-8 text at byte offset {error.start} (line {line}): "
            f"byte {data[error.start : error.start + 1]!r}",
            hint=_UTF8_HINT,
        ) from None


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    return "an object"


def read_jsonl(path: Path) -> Iterator[Located]:
    """Read a JSON-lines file: one JSON object per line, blank lines skipped.

    Args:
        path: The ``.jsonl`` file.

    Yields:
        ``("path:line", record)`` pairs.

    Raises:
        BenchmarkError: A line is not valid JSON or not a JSON object.
    """
    text = read_text(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            hint = (
                "each line of a JSON-lines file must be one complete JSON object; "
                "look for a missing quote, comma or brace, or a record split over lines"
            )
            if number == 1 and line.lstrip().startswith("["):
                hint = "this looks like a JSON array, not JSON lines: set benchmark.format: json"
            raise BenchmarkError(
                f"{where}: invalid JSON: {error.msg} (column {error.colno})", hint=hint
            ) from None
        if not isinstance(value, dict):
            raise BenchmarkError(
                f"{where}: expected a JSON object, got {_json_kind(value)}",
                hint='each line must be one object such as {"id": "1", "source": "..."}',
            )
        yield where, value


def read_json(path: Path) -> Iterator[Located]:
    """Read a JSON file: an array of objects, or an object with one list-valued key.

    ``{"data": [...]}`` (plus any non-list keys) is accepted as well as ``[...]``.

    Args:
        path: The ``.json`` file.

    Yields:
        ``("path: item N", record)`` pairs, N counting from 1.

    Raises:
        BenchmarkError: The file is not valid JSON or not one of the accepted shapes.
    """
    text = read_text(path)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        hint = "check the file with a JSON validator (e.g. python -m json.tool FILE)"
        if error.msg == "Extra data":
            hint = "this looks like JSON lines (one object per line): set benchmark.format: jsonl"
        raise BenchmarkError(
            f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}", hint=hint
        ) from None
    items: list[Any]
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict):
        lists = [key for key, item in value.items() if isinstance(item, list)]
        if len(lists) != 1:
            found = f"keys holding lists: {', '.join(lists)}" if lists else "no key holds a list"
            raise BenchmarkError(
                f"{path}: expected a JSON array of objects, or an object with exactly one "
                f'list-valued key such as {{"data": [...]}} ({found})',
                hint="reshape the file into a top-level array of records, or use JSON lines",
            )
        items = value[lists[0]]
    else:
        raise BenchmarkError(
            f"{path}: expected a JSON array of objects, got {_json_kind(value)}",
            hint="reshape the file into a top-level array of records, or use JSON lines",
        )
    for number, item in enumerate(items, start=1):
        where = f"{path}: item {number}"
        if not isinstance(item, dict):
            raise BenchmarkError(
                f"{where}: expected a JSON object, got {_json_kind(item)}",
                hint='every item must be an object such as {"id": "1", "source": "..."}',
            )
        yield where, item


def _csv_header(raw: list[str], path: Path) -> list[str]:
    header = [name if name.strip() else f"Unnamed: {index}" for index, name in enumerate(raw)]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise BenchmarkError(
                f"{path}: the header names column {name!r} twice",
                hint="give every column a unique name in the first row",
            )
        seen.add(name)
    return header


def read_csv(path: Path) -> Iterator[Located]:
    """Read a CSV file with a header row; cells stay strings, empty cells become None.

    Args:
        path: The ``.csv`` file.

    Yields:
        ``("path: row N", record)`` pairs, N counting data rows from 1.

    Raises:
        BenchmarkError: The file has no header, a malformed row, or a row with
            more cells than the header.
    """
    text = read_text(path)
    previous_limit = csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        rows = csv.reader(io.StringIO(text, newline=""))
        try:
            header = _csv_header(next(rows), path)
        except StopIteration:
            raise BenchmarkError(
                f"{path}: the file is empty (expected a header row)",
                hint="the first row must name the columns, e.g. id,source,reference",
            ) from None
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as error:
                raise BenchmarkError(
                    f"{path}:{rows.line_num}: malformed CSV: {error}",
                    hint="check the quoting of that line (cells with commas or newlines "
                    'must be in double quotes, and quotes inside them doubled: "")',
                ) from None
            if not row or (len(row) == 1 and not row[0] and len(header) > 1):
                continue
            number += 1
            where = f"{path}: row {number}"
            if len(row) > len(header):
                raise BenchmarkError(
                    f"{where} (line {rows.line_num}): {len(row)} cells but the header "
                    f"has {len(header)} columns",
                    hint="quote cells that contain commas, or add the missing column names",
                )
            cells: list[str | None] = [cell if cell != "" else None for cell in row]
            cells.extend([None] * (len(header) - len(cells)))
            yield where, dict(zip(header, cells, strict=True))
    finally:
        csv.field_size_limit(previous_limit)


def read_parquet(path: Path) -> Iterator[Located]:
    """Read a Parquet file with pyarrow.

    Args:
        path: The ``.parquet`` file.

    Yields:
        ``("path: row N", record)`` pairs, N counting from 1.

    Raises:
        BenchmarkError: The file is missing or not a Parquet file.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    check_file(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as error:
        raise BenchmarkError(
            f"{path}: cannot read as Parquet: {error}",
            hint="check that the file is a Parquet file, or set benchmark.format",
        ) from None
    for number, row in enumerate(table.to_pylist(), start=1):
        yield f"{path}: row {number}", row


FILE_READERS: dict[str, Reader] = {
    "csv": read_csv,
    "json": read_json,
    "jsonl": read_jsonl,
    "parquet": read_parquet,
}

__all__ = [
    "FILE_READERS",
    "Located",
    "Reader",
    "Record",
    "check_file",
    "read_csv",
    "read_json",
    "read_jsonl",
    "read_parquet",
    "read_text",
]
