"""`load_benchmark`: config → `Benchmark`.

Reads the records (file, Hugging Face dataset, briefs text or built-in
benchmark), maps them to examples, checks ids, then applies the seeded
``sample`` and ``limit``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.benchmark._briefs import has_brief_markers, read_briefs
from harness.benchmark._builtin import builtin_data_file, builtin_fields
from harness.benchmark._files import FILE_READERS, Located, read_text
from harness.benchmark._hf import read_hf
from harness.benchmark._records import records_to_examples
from harness.config import BenchmarkConfig, BenchmarkFormat, FieldMap
from harness.errors import BenchmarkError, ConfigError
from harness.records import Example, content_hash


@dataclass(frozen=True)
class Benchmark:
    """Loaded examples plus a description for the manifest.

    Attributes:
        examples: The selected examples, in a deterministic order.
        info: Plain-JSON description: ``format``, ``location`` (path, hub id
            or builtin name), ``split``/``revision`` if any, ``n_records``
            (before limit/sample), ``n_examples``, ``content_hash`` (of
            the selected examples).
    """

    examples: list[Example]
    info: dict[str, Any] = field(default_factory=dict)


def _read_file(path: Path, fmt: BenchmarkFormat) -> list[Located]:
    if fmt == "briefs":
        return list(read_briefs(path))
    return list(FILE_READERS[fmt](path))


def _check_briefs_guess(path: Path) -> None:
    """A ``.txt`` file read as briefs by its suffix alone, that is one brief: no
    ``Read More`` line nor ``Continue reading`` marker, which a briefs file has.
    It is more likely another format (a TSV, notes) that would become one example
    holding the whole file."""
    if has_brief_markers(read_text(path)):
        return
    raise BenchmarkError(
        f"{path}: read as `briefs` (the format of a .txt file), but it has no `Read More` "
        "line or `… Continue reading` marker, so the whole file would be one example",
        hint="for one brief, set benchmark.format: briefs; for a table, save it as .csv "
        "(or .jsonl) instead",
    )


def _check_source(config: BenchmarkConfig, fmt: BenchmarkFormat) -> None:
    """Reject a ``format`` that contradicts the kind of source given."""
    if config.builtin and fmt != "builtin":
        raise ConfigError(
            f"benchmark.format: {fmt!r} cannot be combined with benchmark.builtin",
            hint="remove benchmark.format; a built-in benchmark knows its own format",
        )
    if config.hf and fmt != "hf":
        raise ConfigError(
            f"benchmark.format: {fmt!r} cannot be combined with benchmark.hf",
            hint="remove benchmark.format, or use benchmark.path for a local file",
        )
    if config.path and fmt == "builtin":
        raise ConfigError(
            "benchmark.format: 'builtin' needs benchmark.builtin, not benchmark.path",
            hint="write benchmark: {builtin: NAME}, or set the format of the file",
        )


def select(
    examples: list[Example], *, sample: int | None, limit: int | None, seed: int
) -> list[Example]:
    """Apply a seeded ``sample`` and then ``limit`` to ``examples``.

    The sample keeps the chosen examples in their original order; a sample
    larger than the data keeps everything.

    >>> ids = [e.id for e in select([Example(id=str(i), source="") for i in range(5)],
    ...                            sample=None, limit=2, seed=0)]
    >>> ids
    ['0', '1']
    """
    chosen = examples
    if sample is not None and sample < len(chosen):
        indices = sorted(random.Random(seed).sample(range(len(chosen)), sample))
        chosen = [chosen[index] for index in indices]
    if limit is not None:
        chosen = chosen[:limit]
    return chosen


def load_benchmark(config: BenchmarkConfig, seed: int = 0) -> Benchmark:
    """Load the benchmark described by ``config``.

    Args:
        config: The ``benchmark`` section of a run config; ``path`` is used as
            given (`harness.config.load_config` has already resolved it).
        seed: Seed of the ``sample`` selection.

    Returns:
        The selected examples and an ``info`` mapping for the manifest.

    Raises:
        ConfigError: The format contradicts the source, the built-in name is
            unknown, or ``sample`` is larger than the data.
        BenchmarkError: The data cannot be read or mapped, or holds no examples.
        MissingDependencyError: ``hf`` is used without the ``datasets`` package.
    """
    fmt = config.resolved_format()
    _check_source(config, fmt)
    fields: FieldMap = config.fields
    split = config.split
    data_format: BenchmarkFormat = fmt
    if config.builtin:
        location = config.builtin
        path, data_format = builtin_data_file(config.builtin)
        records = _read_file(path, data_format)
        fields = builtin_fields(config.fields)
    elif fmt == "hf":
        location = config.hf or config.path or ""
        split, records = read_hf(
            location, name=config.name, split=config.split, revision=config.revision
        )
    else:
        assert config.path is not None  # guaranteed by _check_source and the config validator
        location = config.path
        records = _read_file(Path(config.path), fmt)
        if fmt == "briefs" and config.format is None and len(records) == 1:
            _check_briefs_guess(Path(config.path))

    examples = records_to_examples(records, fields, location)
    if not examples:
        raise BenchmarkError(
            f"{location}: no records found (format {data_format})",
            hint="check that the data is not empty and that benchmark.format matches it",
        )
    if config.sample is not None and config.sample > len(examples):
        raise ConfigError(
            f"benchmark.sample: {config.sample} is more than the {len(examples)} examples "
            f"{location} holds, so no random sample of that size exists",
            hint=f"set benchmark.sample to at most {len(examples)}, or drop it to use them all",
        )
    selected = select(examples, sample=config.sample, limit=config.limit, seed=seed)
    info: dict[str, Any] = {
        "format": fmt,
        "location": location,
        "split": split,
        "revision": config.revision,
        "name": config.name,
        "n_records": len(records),
        "n_examples": len(selected),
        "content_hash": content_hash([example.model_dump(mode="json") for example in selected]),
    }
    return Benchmark(examples=selected, info=info)


__all__ = ["Benchmark", "load_benchmark", "select"]
