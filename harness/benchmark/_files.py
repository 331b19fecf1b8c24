"""Readers for local data files: JSON lines, JSON, CSV and Parquet.

Every reader yields ``(location, record)`` pairs. ``location`` names the
place in the file for error messages (``data/x.jsonl:12``,
``data/x.csv:6 (row 5)``, ``data/x.json: item 3``; rows and items count
from 1, lines are physical lines of the file) and ``record`` is a plain
``dict`` of the record's fields.

JSON lines are split on ``"\n"`` only (a trailing ``"\r"`` is JSON
whitespace, so CRLF files read the same): `str.splitlines` would also split
on U+2028, U+0085 and the other Unicode line breaks, which JSON allows raw
inside strings. CSV is parsed strictly: a quote that is never closed is an
error naming the line it opened on, not one long cell swallowing the rows
after it; and every cell is a string, an empty cell the empty string
(CSV cannot write null).
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


# Files that are not text at all, by their first bytes: re-encoding is no fix for them.
_NOT_TEXT = (
    (
        b"PK\x03\x04",
        "a zip archive (an Excel .xlsx workbook?)",
        "save the sheet as text: in Excel, Save As 'CSV UTF-8 (Comma delimited)'",
    ),
    (b"\x1f\x8b", "gzip-compressed", "decompress it first (gunzip FILE)"),
    (b"PAR1", "a Parquet file", "name it .parquet, or set benchmark.format: parquet"),
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
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise BenchmarkError(
                f"{path}: UTF-16 text (it starts with a UTF-16 byte order mark), not UTF-8",
                hint="re-encode as UTF-8 (e.g. iconv -f utf-16 -t utf-8 IN > OUT)",
            ) from None
        for magic, what, fix in _NOT_TEXT:
            if data.startswith(magic):
                raise BenchmarkError(f"{path}: {what}, not text", hint=fix) from None
        line = data.count(b"\n", 0, error.start) + 1
        raise BenchmarkError(
            f"{path}:{line}: not valid UTF-8 text at byte offset {error.start}: "
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


class JSONShapeError(ValueError):
    """Valid JSON that is read as an error: a key twice in one object (``json`` would
    keep the last value in silence), nesting too deep for Python to read, or an
    integer too long to convert."""


#: The fix for a `JSONShapeError`.
JSON_SHAPE_HINT = (
    "give each field of a record once, keep values to a few levels of nesting, "
    "and write a number of thousands of digits as text (in quotes)"
)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) == len(pairs):  # the common case, checked at C speed
        return record
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise JSONShapeError(
                f"the key {key!r} is given twice in one object (JSON would keep the last)"
            )
        seen.add(key)
    raise AssertionError("unreachable: fewer keys than pairs means one repeats")


def load_json(text: str) -> Any:
    """``json.loads`` that refuses a duplicate key, nesting too deep to read and
    an integer too long to convert.

    Raises:
        json.JSONDecodeError: The text is not JSON.
        JSONShapeError: It is, but holds a key twice in an object, is nested
            too deeply (Python's recursion limit) or holds an integer of more
            than 4300 digits (Python's conversion limit).

    >>> load_json('{"id": 1, "source": "a", "source": "b"}')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    harness.benchmark._files.JSONShapeError: the key 'source' is given twice ...
    """
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise JSONShapeError(
            "nested too deeply to read (arrays or objects within each other)"
        ) from None
    except (json.JSONDecodeError, JSONShapeError):
        raise
    except ValueError as error:  # an integer of more digits than Python converts (4300)
        raise JSONShapeError(f"a number too long to read: {str(error).split(';')[0]}") from None


def read_jsonl(path: Path) -> Iterator[Located]:
    """Read a JSON-lines file: one JSON object per line, blank lines skipped.

    Lines end at ``"\n"`` only; U+2028, U+0085 and other Unicode line
    breaks are text inside a JSON string.

    Args:
        path: The ``.jsonl`` file.

    Yields:
        ``("path:line", record)`` pairs.

    Raises:
        BenchmarkError: A line is not valid JSON or not a JSON object.
    """
    text = read_text(path)
    # split("\n"), not splitlines(): JSON strings may hold U+2028 or U+0085 raw.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            value = load_json(line)
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
        except JSONShapeError as error:
            raise BenchmarkError(f"{where}: {error}", hint=JSON_SHAPE_HINT) from None
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
        value = load_json(text)
    except json.JSONDecodeError as error:
        hint = "check the file with a JSON validator (e.g. python -m json.tool FILE)"
        if error.msg == "Extra data":
            hint = "this looks like JSON lines (one object per line): set benchmark.format: jsonl"
        raise BenchmarkError(
            f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}", hint=hint
        ) from None
    except JSONShapeError as error:
        raise BenchmarkError(f"{path}: {error}", hint=JSON_SHAPE_HINT) from None
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
        strays = [item for item in items if not isinstance(item, dict)]
        if strays and len(strays) == len(items):
            # {"id": 1, "source": "...", "refs": ["..."]}: one record, not a list of them
            raise BenchmarkError(
                f"{path}: the object's only list, key {lists[0]!r}, holds "
                f"{_json_kind(strays[0]).split()[-1]}s, not records: the file looks like "
                "one record, not an object holding a list of records",
                hint="put the records in a top-level array ([{...}, {...}]), "
                'or in one key of an object ({"data": [{...}, {...}]})',
            )
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


_CSV_QUOTING_HINT = (
    "a cell holding commas, quotes or line breaks must be in double quotes, "
    'and a quote inside such a cell doubled ("")'
)


_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def _csv_header(raw: list[str], origin: str, line: int) -> list[str]:
    if len(raw) == 1:
        # An Excel export in a locale that writes decimal commas (`;`), or a TSV:
        # read with `,`, its header is one column named "id;source;summary".
        found = [name for separator, name in _SEPARATORS.items() if separator in raw[0]]
        if found:
            raise BenchmarkError(
                f"{origin}:{line}: the header row is one column, {raw[0]!r}: the cells look "
                f"separated by {found[0]}, but CSV is read with commas between cells",
                hint="save the file with commas between cells (in Excel: Save As, "
                "'CSV UTF-8 (Comma delimited)'), or convert it to JSON lines",
            )
    header = [name if name.strip() else f"Unnamed: {index}" for index, name in enumerate(raw)]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise BenchmarkError(
                f"{origin}:{line}: the header names column {name!r} twice",
                hint="give every column a unique name in the first row",
            )
        seen.add(name)
    return header


def _open_quote_line(lines: list[str], first: int) -> int | None:
    """The line where a quoted cell opens that is still open at the end of the text.

    Follows the default CSV dialect (``,`` between cells, ``"`` quotes, ``""``
    a quote inside a quoted cell) from the start of line ``first`` (1-based),
    where the unfinished row begins.

    >>> _open_quote_line(['a,b\\n', '1,"x\\n', '2,y\\n'], 1)
    2
    >>> _open_quote_line(['1,"x""\\n', 'y",z\\n'], 1) is None
    True
    """
    quoted = False
    cell_start = True
    opened: int | None = None
    for number in range(first, len(lines) + 1):
        line = lines[number - 1]
        index = 0
        while index < len(line):
            char = line[index]
            if quoted:
                if char == '"':
                    if line.startswith('"', index + 1):
                        index += 1  # "" inside a quoted cell
                    else:
                        quoted, cell_start = False, False
            elif char == '"' and cell_start:
                quoted, opened = True, number
            else:
                cell_start = char in ",\r\n"
            index += 1
    return opened if quoted else None


def _csv_error(error: csv.Error, text: str, origin: str, first: int, last: int) -> BenchmarkError:
    """A `BenchmarkError` for a row the csv module rejected (it started on line ``first``)."""
    lines = io.StringIO(text, newline="").readlines()
    opened = _open_quote_line(lines, first)
    if opened is not None:
        return BenchmarkError(
            f"{origin}:{opened}: unterminated quote: the quoted cell opened on line {opened} "
            "is never closed (the file ends inside it)",
            hint="close the quote at the end of the cell; " + _CSV_QUOTING_HINT,
        )
    where = f"{origin}:{last}" if first == last else f"{origin}:{last} (row from line {first})"
    return BenchmarkError(
        f"{where}: malformed CSV: {error}",
        hint="check the quoting of that row; " + _CSV_QUOTING_HINT,
    )


def _not_json(header: list[str], origin: str, line: int) -> None:
    """A header row that opens a JSON object or array is JSON read as CSV (its
    first row would be taken for column names, and every error after that
    would blame the quoting)."""
    start = header[0].lstrip()
    if start.startswith(("{", "[")):
        raise BenchmarkError(
            f"{origin}:{line}: read as CSV, but the first row starts with {start[0]!r}: "
            "the file holds JSON, not a CSV header row",
            hint="read it as JSON: one object per line is format jsonl (.jsonl), an array "
            "of objects format json (.json); without `format`, the suffix decides",
        )


def _not_the_header_again(row: list[str], header: list[str], header_at: str, where: str) -> None:
    """A row that repeats the header is what joining CSV files (``cat a.csv b.csv``)
    leaves: read as a record, it would be a fake example whose source is the word
    ``source``, and its summary would be scored as if it were one."""
    cells = [cell.removeprefix("\ufeff").strip() for cell in row]
    if cells == [name.removeprefix("\ufeff").strip() for name in header]:
        raise BenchmarkError(
            f"{where}: this row repeats the header row ({header_at}): "
            "two CSV files joined together?",
            hint="delete the repeated header line; to join CSV files, keep the first "
            "file's header only (e.g. tail -n +2 b.csv >> a.csv)",
        )


def parse_csv(text: str, origin: str) -> Iterator[Located]:
    """Parse CSV text with a header row, strictly (the default dialect: ``,`` and ``"``).

    Every cell is a string; an empty cell is the empty string, exactly as
    ``""`` is in JSON (CSV cannot write null). Blank lines are skipped. A
    quote left open, or text after a closing quote, is an error: the csv
    module's lenient mode would quietly merge the following rows into one
    cell. So is a row with fewer cells than the header: it is what a line
    break inside an unquoted cell leaves (the cell cut in two, its second
    half read as a row of its own), so filling it up would move text onto
    the wrong fields and add a fake example. So is a row that repeats the
    header (two CSV files joined): it would be a fake example too.

    Args:
        text: The whole CSV text.
        origin: The file's name for locations and messages.

    Yields:
        ``("origin:LINE (row N)", record)`` pairs: LINE is the physical line
        the row starts on, N counts data rows from 1.

    Raises:
        BenchmarkError: The text has no header (or JSON where it should
            be), an unterminated quote or another malformed row, a row
            with more or fewer cells than the header, or a row that repeats it.

    >>> [record for _, record in parse_csv('id,source,note\\n1,"a, b",\\n2,c,\\n', "d.csv")]
    [{'id': '1', 'source': 'a, b', 'note': ''}, {'id': '2', 'source': 'c', 'note': ''}]
    """
    previous_limit = csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        rows = csv.reader(io.StringIO(text, newline=""), strict=True)
        header: list[str] | None = None
        header_row: list[str] = []
        header_line = number = 0
        while True:
            first = rows.line_num + 1
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as error:
                raise _csv_error(error, text, origin, first, rows.line_num) from None
            if header is None:
                if row:  # blank lines before the header are skipped too
                    _not_json(row, origin, first)
                    header, header_row, header_line = _csv_header(row, origin, first), row, first
                continue
            if not row or (len(row) == 1 and not row[0] and len(header) > 1):
                continue
            number += 1
            where = f"{origin}:{first} (row {number})"
            _not_the_header_again(row, header_row, f"{origin}:{header_line}", where)
            if len(row) > len(header):
                raise BenchmarkError(
                    f"{where}: {len(row)} cells but the header has {len(header)} columns",
                    hint="quote cells that contain commas, or add the missing column names",
                )
            if len(row) < len(header):
                raise BenchmarkError(
                    f"{where}: {len(row)} of the header's {len(header)} cells "
                    f"({', '.join(header[len(row) :])} missing); a line break in an "
                    "unquoted cell cuts its row in two",
                    hint="put a cell that holds a line break in double quotes, and write "
                    "every cell of a row (an empty one as nothing between commas: a,,c)",
                )
            yield where, dict(zip(header, row, strict=True))
        if header is None:
            raise BenchmarkError(
                f"{origin}: the file is empty (expected a header row)",
                hint="the first row must name the columns, e.g. id,source,reference",
            )
    finally:
        csv.field_size_limit(previous_limit)


def read_csv(path: Path) -> Iterator[Located]:
    """Read a CSV file with a header row: `parse_csv` of its UTF-8 text.

    Args:
        path: The ``.csv`` file.

    Yields:
        ``("path:LINE (row N)", record)`` pairs; every value is a string.

    Raises:
        BenchmarkError: The file is unreadable or not UTF-8, or `parse_csv` rejects it.
    """
    yield from parse_csv(read_text(path), str(path))


def read_parquet(path: Path) -> Iterator[Located]:
    """Read a Parquet file with pyarrow.

    Args:
        path: The ``.parquet`` file.

    Yields:
        ``("path: row N", record)`` pairs, N counting from 1.

    Raises:
        BenchmarkError: The file is missing or not a Parquet file, or names
            a column twice.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    check_file(path)
    try:
        names = pq.read_schema(path).names
        # pyarrow writes a name twice; read_table then fails with "Multiple matches
        # for FieldRef.Name(...)", and a record would keep one of the two in silence.
        twice = next((name for index, name in enumerate(names) if name in names[:index]), None)
        if twice is not None:
            raise BenchmarkError(
                f"{path}: the file names column {twice!r} twice",
                hint="give every column a unique name (rename one of the two, "
                "e.g. with pyarrow's Table.rename_columns) and write the file again",
            )
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
    "JSON_SHAPE_HINT",
    "JSONShapeError",
    "Located",
    "Reader",
    "Record",
    "check_file",
    "load_json",
    "parse_csv",
    "read_csv",
    "read_json",
    "read_jsonl",
    "read_parquet",
    "read_text",
]
