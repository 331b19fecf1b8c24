"""Turn raw records into `Example` objects through the configured `FieldMap`."""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from harness.config import FieldMap
from harness.errors import BenchmarkError
from harness.records import Example
from harness.registry import did_you_mean

_TRUE_WORDS = {"true": 1.0, "false": 0.0}
# A number as a data file writes one. `float` also reads "1_0" (Python's digit
# grouping) as 10.0: a typo'd label would become another class in silence.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?")
# JSON can escape half of a UTF-16 pair ("\ud83d"); such a string has no UTF-8 form.
_SURROGATE = re.compile("[\ud800-\udfff]")


def to_json_value(value: Any) -> Any:
    """Convert a value read from a data file into plain JSON data.

    numpy/pandas scalars and arrays become Python values, NaN/infinity and
    missing markers (``pd.NA``, ``NaT``) become ``None``, dates become ISO
    strings, bytes their UTF-8 text (with replacement characters: a mapped
    field's bytes are checked first, see `records_to_examples`); anything
    else unknown becomes its ``str``.

    >>> to_json_value({"a": float("nan"), "b": (1, 2)})
    {'a': None, 'b': [1, 2]}
    """
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    numpy = sys.modules.get("numpy")  # a numpy value exists only once numpy is imported
    if numpy is not None and isinstance(value, numpy.ndarray):
        return to_json_value(value.tolist())
    if numpy is not None and isinstance(value, numpy.generic):
        return to_json_value(value.item())
    if isinstance(value, Mapping):
        return {str(key): to_json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(item) for item in value]
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return to_json_value(float(value))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _mapped(fields: FieldMap) -> list[tuple[str, str]]:
    """(config key, record field) for every mapped field, in a stable order."""
    pairs: list[tuple[str, str]] = []
    if fields.id is not None:
        pairs.append(("id", fields.id))
    pairs.append(("source", fields.source))
    references = [fields.reference] if isinstance(fields.reference, str) else fields.reference
    pairs.extend(("reference", name) for name in references or [])
    if fields.summary is not None:
        pairs.append(("summary", fields.summary))
    if fields.label is not None:
        pairs.append(("label", fields.label))
    return pairs


def _columns(records: list[tuple[str, dict[str, Any]]]) -> list[str]:
    columns: dict[str, None] = {}
    for _, record in records:
        columns.update(dict.fromkeys(record))
    return list(columns)


def _bare(name: str) -> str:
    """``name`` without surrounding spaces and invisible format characters (a
    byte-order mark, a zero-width space), which print as nothing."""
    return "".join(char for char in name if unicodedata.category(char) != "Cf").strip()


def _added_characters(column: str, name: str) -> str:
    """What ``column`` has that ``name`` has not, for a person who cannot see it.

    >>> _added_characters("\ufeffid", "id")
    'U+FEFF (ZERO WIDTH NO-BREAK SPACE)'
    """
    extra = dict.fromkeys(char for char in column if char not in name)
    return ", ".join(f"U+{ord(char):04X} ({unicodedata.name(char, '?')})" for char in extra)


def _check_mapping(
    records: list[tuple[str, dict[str, Any]]], fields: FieldMap, columns: list[str]
) -> None:
    first = records[0][0]
    for key, name in _mapped(fields):
        if name in columns:
            continue
        # Printed, "\ufeffid" (a second byte-order mark) or " source" (the space
        # after a comma in "id, source") look like the name that was not found.
        alike = [column for column in columns if _bare(column) == _bare(name)]
        if alike:
            raise BenchmarkError(
                f"{first}: field {name!r} (benchmark.fields.{key}) not found, but the data "
                f"has {alike[0]!r}: the same name with {_added_characters(alike[0], name)}, "
                "which prints as nothing or as a space",
                hint=f"rename the column {alike[0]!r} to {name!r} in the data (in a CSV "
                "header, write no space after the commas); names are matched exactly",
            )
        extra = (
            "; or set it to null to number the rows"
            if key == "id"
            else "; remove it if the data has no such field"
            if key in ("reference", "summary", "label")
            else ""
        )
        raise BenchmarkError(
            f"{first}: field {name!r} (benchmark.fields.{key}) not found; "
            f"available fields: {', '.join(columns) or '(none)'}",
            hint=f"set benchmark.fields.{key} to one of the available fields"
            f"{extra}.{did_you_mean(name, columns)}",
        )


def _require(record: Mapping[str, Any], where: str, key: str, name: str) -> Any:
    if name not in record:
        raise BenchmarkError(
            f"{where}: field {name!r} (benchmark.fields.{key}) is missing from this record; "
            f"its fields are: {', '.join(record) or '(none)'}",
            hint=f"every record needs the field mapped by benchmark.fields.{key}",
        )
    return record[name]


def id_text(value: Any) -> str | None:
    """An id as the benchmark keys examples by it, or ``None`` if it is not usable.

    A whole float (a parquet or pandas column of ints with a gap) is its
    integer, so ``7.0`` and ``7`` are both ``"7"``; a file of precomputed
    summaries reads its ids the same way.

    >>> id_text(7.0), id_text("a1"), id_text(True), id_text(" ")
    ('7', 'a1', None, None)
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None or isinstance(value, (bool, list, dict)) or str(value).strip() == "":
        return None
    return str(value)


def _example_id(value: Any, where: str, name: str, record: Mapping[str, Any]) -> str:
    text = id_text(value)
    if text is None and all(item in ("", None) for item in record.values()):
        # A spreadsheet saved as CSV ends with rows of commas (",,,") where rows
        # were formatted: not a record whose id column is wrong.
        raise BenchmarkError(
            f"{where}: every field of this record is empty, its id ({name!r}) too",
            hint="delete the empty rows (in a spreadsheet, the rows after the data, "
            "which it saves as ',,,') and save the file again",
        )
    if text is None:
        raise BenchmarkError(
            f"{where}: field {name!r} (benchmark.fields.id) holds {value!r}, "
            "not a usable id (a non-empty string or integer)",
            hint="map benchmark.fields.id to a column of unique ids, "
            "or set it to null to number the rows",
        )
    return text


def _text(value: Any, where: str, key: str, name: str) -> str:
    if not isinstance(value, str):
        got = "null" if value is None else f"{type(value).__name__} {value!r:.60}"
        raise BenchmarkError(
            f"{where}: field {name!r} (benchmark.fields.{key}) must be text, got {got}",
            hint=f"map benchmark.fields.{key} to a column that holds text",
        )
    return value


def _references(record: Mapping[str, Any], where: str, names: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for name in names:
        value = record.get(name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item is None:
                continue
            text = _text(item, where, "reference", name)
            # An empty cell is "no reference", as a missing one is.
            if text.strip():
                found.append(text)
    return tuple(found)


def parse_label(value: Any, where: str, name: str) -> float | None:
    """Parse a human label into a float (``None`` when absent).

    Numbers and booleans convert directly; strings must be decimal numbers
    (``1``, ``0.5``, ``1e-1``; not ``1_0``, which `float` reads as 10) or
    ``true``/``false``.

    >>> parse_label("1", "x", "label"), parse_label(False, "x", "label")
    (1.0, 0.0)

    Raises:
        BenchmarkError: The value is not a number (names ``where`` and ``name``).
    """
    if value is None:
        return None
    if isinstance(value, (bool, int, float)):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond float's range (1e308)
            number = math.nan
        else:
            return number if math.isfinite(number) else None
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in _TRUE_WORDS:
            return _TRUE_WORDS[text]
        number = float(text) if _DECIMAL.fullmatch(text) else math.nan
        if math.isfinite(number):
            return number
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    raise BenchmarkError(
        f"{where}: field {name!r} (benchmark.fields.label) holds {shown}, "
        "not a number (a finite one, within float range)",
        hint="labels must be numbers (e.g. 1 = consistent, 0 = inconsistent) or true/false; "
        "recode the column, or map benchmark.fields.label to a numeric one",
    )


def _with_dotted_paths(record: dict[str, Any]) -> dict[str, Any]:
    """Add ``parent.child`` keys for nested mappings, so ``fields`` can name them.

    >>> _with_dotted_paths({"scores": {"consistency": 0.5}, "id": 1})
    {'scores': {'consistency': 0.5}, 'id': 1, 'scores.consistency': 0.5}
    """
    flat = dict(record)
    pending = [(key, value) for key, value in record.items() if isinstance(value, dict)]
    while pending:
        prefix, mapping = pending.pop()
        for key, value in mapping.items():
            dotted = f"{prefix}.{key}"
            if dotted not in flat:
                flat[dotted] = value
                if isinstance(value, dict):
                    pending.append((dotted, value))
    return flat


def records_to_examples(
    records: Iterable[tuple[str, Mapping[str, Any]]], fields: FieldMap, origin: str
) -> list[Example]:
    """Map raw records to `Example` objects.

    Args:
        records: ``(location, record)`` pairs from a reader; ``location`` is
            used in error messages.
        fields: Which record field feeds which `Example` attribute. Unmapped
            fields go to ``Example.meta`` (as plain JSON values).
        origin: The data's name (path, hub id) for messages about the whole set.

    Returns:
        One example per record, in record order (empty if there are no records).

    Raises:
        BenchmarkError: A mapped field is missing, a value has the wrong type,
            or two records share an id.
    """
    mapped = {name for _, name in _mapped(fields)}
    located = [(where, _with_dotted_paths(_plain(rec, where, mapped))) for where, rec in records]
    if not located:
        return []
    _check_mapping(located, fields, _columns(located))
    references = [fields.reference] if isinstance(fields.reference, str) else fields.reference
    seen: dict[str, str] = {}
    within = "" if located[0][0].startswith(origin) else f" in {origin}"
    examples: list[Example] = []
    for number, (where, record) in enumerate(located, start=1):
        _check_text(record, where)
        if fields.id is None:
            example_id = str(number)
        else:
            value = _require(record, where, "id", fields.id)
            example_id = _example_id(value, where, fields.id, record)
        if example_id in seen:
            raise BenchmarkError(
                f"{where}: duplicate id {example_id!r}{within} (first seen at {seen[example_id]})",
                hint="map benchmark.fields.id to a unique column, "
                "or set it to null to number the rows",
            )
        seen[example_id] = where
        source = _text(
            _require(record, where, "source", fields.source), where, "source", fields.source
        )
        summary = None
        if fields.summary is not None and record.get(fields.summary) is not None:
            summary = _text(record[fields.summary], where, "summary", fields.summary)
        label = None
        if fields.label is not None:
            label = parse_label(record.get(fields.label), where, fields.label)
        examples.append(
            Example(
                id=example_id,
                source=source,
                references=_references(record, where, references or []),
                summary=summary,
                label=label,
                meta={
                    key: value
                    for key, value in record.items()
                    if key not in mapped and not _is_dotted_copy(key, record)
                },
            )
        )
    return examples


def _plain(record: Mapping[str, Any], where: str, mapped: set[str]) -> dict[str, Any]:
    """The record as plain JSON data (`to_json_value` of each field).

    A mapped field holding bytes (a Parquet or datasets binary column, alone or
    in a list) must be UTF-8: decoded with replacement characters, a source or
    summary would be another text, scored in silence. Other columns are only
    kept as metadata, and may hold any bytes (an image, an embedding).
    """
    for key in mapped & set(record):
        value = record[key]
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if not isinstance(item, bytes):
                continue
            try:
                item.decode("utf-8")
            except UnicodeDecodeError as error:
                raise BenchmarkError(
                    f"{where}: field {key!r} holds bytes that are not UTF-8 text (byte "
                    f"{item[error.start : error.start + 1]!r} at offset {error.start})",
                    hint="store the column as UTF-8 text (a string column), re-encoding it "
                    "from its real encoding (e.g. latin-1) first",
                ) from None
    return {str(key): to_json_value(value) for key, value in record.items()}


def _lone_surrogate(value: Any, path: str) -> tuple[str, str] | None:
    r"""(field path, surrogate) for the first text or key holding a lone surrogate, else None.

    >>> _lone_surrogate({"a": ["ok", "x\ud83d"]}, "")
    ('a[1]', '\ud83d')
    """
    if isinstance(value, str):
        match = _SURROGATE.search(value)
        return (path, match.group(0)) if match else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else key
            match = _SURROGATE.search(key)
            if match:
                return inner, match.group(0)
            items.append((inner, item))
    elif isinstance(value, list):
        items = [(f"{path}[{index}]", item) for index, item in enumerate(value)]
    for inner, item in items:
        found = _lone_surrogate(item, inner)
        if found is not None:
            return found
    return None


def _check_text(record: dict[str, Any], where: str) -> None:
    """Reject text that has no UTF-8 form: every run file is UTF-8."""
    found = _lone_surrogate(record, "")
    if found is not None:
        field, surrogate = found
        # the message is printed as UTF-8 too: write the field name's surrogates as escapes
        field = field.encode("utf-8", "backslashreplace").decode("utf-8")
        raise BenchmarkError(
            f"{where}: field {field!r} holds a lone UTF-16 surrogate ({surrogate!a}), "
            "half of a character that cannot be written as UTF-8",
            hint="the text was cut in the middle of a character (often an emoji); "
            "repair or remove it in the data file",
        )


def _is_dotted_copy(key: str, record: Mapping[str, Any]) -> bool:
    return (
        "." in key
        and key.split(".", 1)[0] in record
        and isinstance(record[key.split(".", 1)[0]], dict)
    )


__all__ = ["id_text", "parse_label", "records_to_examples", "to_json_value"]
