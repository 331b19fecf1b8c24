"""Built-in benchmarks shipped with harness.

Each lives in a folder ``<name>/`` holding one data file (``.jsonl``,
``.json``, ``.csv``, ``.parquet`` or briefs ``.txt``) and a datasheet
``README.md``. In an installed wheel the folders are in
``harness/_data/benchmarks/``; in a source checkout they are in the
repository's top-level ``benchmarks/``. The package folder wins.
"""

from __future__ import annotations

from pathlib import Path

import harness
from harness.config import BenchmarkFormat, FieldMap
from harness.errors import BenchmarkError, ConfigError
from harness.registry import did_you_mean

DATA_FORMATS: dict[str, BenchmarkFormat] = {
    ".jsonl": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".txt": "briefs",
}

#: The field mapping a built-in benchmark uses when the config leaves ``fields`` at its default.
BUILTIN_FIELDS = FieldMap(id="id", source="source", reference="reference")


def builtin_roots() -> list[Path]:
    """The folders searched for built-in benchmarks, in order of preference."""
    package = Path(harness.__file__).resolve().parent
    return [package / "_data" / "benchmarks", package.parent / "benchmarks"]


def _data_files(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in DATA_FORMATS and path.name != "README.md"
    )


def _folders() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in builtin_roots():
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and folder.name not in found and _data_files(folder):
                found[folder.name] = folder
    return found


def available_builtins() -> list[str]:
    """Names of the built-in benchmarks (folders holding a data file), sorted."""
    return sorted(_folders())


def builtin_data_file(name: str) -> tuple[Path, BenchmarkFormat]:
    """The data file of built-in benchmark ``name`` and its format.

    Args:
        name: A name from `available_builtins`.

    Raises:
        ConfigError: No built-in benchmark has that name (with a suggestion).
        BenchmarkError: The benchmark's folder holds several data files.
    """
    folders = _folders()
    if name not in folders:
        names = sorted(folders)
        raise ConfigError(
            f"benchmark.builtin: unknown built-in benchmark {name!r}.{did_you_mean(name, names)}",
            hint=f"available built-in benchmarks: {', '.join(names) or '(none installed)'}",
        )
    files = _data_files(folders[name])
    if len(files) != 1:
        raise BenchmarkError(
            f"built-in benchmark {name!r}: expected one data file in {folders[name]}, "
            f"found {', '.join(path.name for path in files)}",
            hint="this is a packaging problem in harness; please report it",
        )
    return files[0], DATA_FORMATS[files[0].suffix.lower()]


def builtin_fields(fields: FieldMap) -> FieldMap:
    """The mapping to use for a built-in benchmark: ``fields`` unless left at the default."""
    return BUILTIN_FIELDS if fields == FieldMap() else fields


__all__ = [
    "BUILTIN_FIELDS",
    "DATA_FORMATS",
    "available_builtins",
    "builtin_data_file",
    "builtin_fields",
    "builtin_roots",
]
