"""Hugging Face ``datasets`` benchmarks: a hub id, or a local directory.

A directory written by ``Dataset.save_to_disk`` / ``DatasetDict.save_to_disk``
is read with ``load_from_disk``; any other directory or a hub id goes through
``load_dataset``. ``datasets`` is imported lazily: it is an optional extra.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness.benchmark._files import Located, parse_csv, read_text
from harness.errors import BenchmarkError, MissingDependencyError

_OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")
_TRUE_VALUES = {"1", "ON", "YES", "TRUE"}
_SAVED_MARKERS = (("dataset_dict.json",), ("state.json", "dataset_info.json"))


def offline_requested() -> bool:
    """Whether ``HF_HUB_OFFLINE`` or ``HF_DATASETS_OFFLINE`` is set to a true value."""
    return any(
        os.environ.get(name, "").strip().upper() in _TRUE_VALUES for name in _OFFLINE_VARIABLES
    )


@contextmanager
def _offline_mode(enabled: bool) -> Iterator[None]:
    """Force the hub libraries offline while loading.

    ``datasets`` and ``huggingface_hub`` read the offline variables once, at
    import time; a variable set later (in a notebook, by a test, by a caller
    that imported ``datasets`` first) would otherwise be ignored and the load
    would retry the network for tens of seconds.
    """
    if not enabled:
        yield
        return
    import datasets.config as datasets_config
    import huggingface_hub.constants as hub_constants

    targets: list[tuple[Any, str]] = [
        (datasets_config, "HF_HUB_OFFLINE"),
        (datasets_config, "HF_DATASETS_OFFLINE"),
        (hub_constants, "HF_HUB_OFFLINE"),
    ]
    saved = [
        (module, name, getattr(module, name)) for module, name in targets if hasattr(module, name)
    ]
    for module, name, _ in saved:
        setattr(module, name, True)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def is_saved_dataset(path: Path) -> bool:
    """Whether ``path`` is a directory written by ``save_to_disk``."""
    return path.is_dir() and any(
        all((path / marker).is_file() for marker in markers) for markers in _SAVED_MARKERS
    )


def _looks_local(target: str) -> bool:
    # Hub ids look like "owner/name"; these can only be paths.
    return target.startswith((".", "/", "~")) or "\\" in target


def _described(error: BaseException) -> str:
    """``Type: first line of the message`` (cut to 300 characters)."""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    detail = detail if len(detail) <= 300 else detail[:297] + "..."
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def _load_error(target: str, error: Exception, *, local: bool, offline: bool) -> BenchmarkError:
    reason = _described(error)
    if error.__cause__ is not None:
        # DatasetGenerationError says only "An error occurred while generating the
        # dataset"; what is wrong with the data ("Column(/source) was specified
        # twice in row 0", a CSV's "EOF inside string") is the error it wraps.
        reason += f", from {_described(error.__cause__)}"
    if local:
        hint = (
            "benchmark.hf names a local directory: it must hold a dataset written by "
            "save_to_disk, or data files that datasets.load_dataset can read"
        )
    elif offline:
        hint = (
            "offline mode is on (HF_HUB_OFFLINE / HF_DATASETS_OFFLINE), so only datasets "
            "already in the local Hugging Face cache can be loaded: unset the variable and "
            "connect to the network, or set benchmark.hf to a local directory written by "
            "save_to_disk"
        )
    else:
        hint = (
            "check the dataset id and benchmark.name / split / revision, and your network "
            "connection; for a gated or private dataset run `huggingface-cli login`; "
            "benchmark.hf may also be a local directory written by save_to_disk"
        )
    return BenchmarkError(f"benchmark.hf: could not load {target!r} ({reason})", hint=hint)


def _guarded(load: Callable[[], Any], target: str, *, local: bool, offline: bool) -> Any:
    try:
        with _offline_mode(offline):
            return load()
    except Exception as error:  # datasets raises many unrelated types; all mean "cannot load"
        raise _load_error(target, error, local=local, offline=offline) from error


def _pick_split(loaded: Any, split: str | None, target: str) -> tuple[Any, str | None]:
    import datasets

    if not isinstance(loaded, datasets.DatasetDict):
        return loaded, split
    names = list(loaded.keys())
    if split is None and len(names) == 1:
        return loaded[names[0]], names[0]
    if split is not None and split in loaded:
        return loaded[split], split
    problem = "has several splits" if split is None else f"has no split {split!r}"
    raise BenchmarkError(
        f"benchmark.split: {target!r} {problem}; its splits are: {', '.join(names) or '(none)'}",
        hint=f"set benchmark.split to one of: {', '.join(names)}",
    )


#: Files a dataset folder may hold beside its data (a dataset card, a loading script).
_NOT_DATA = frozenset({".md", ".txt", ".yaml", ".yml", ".py", ".lock"})


def _csv_as_text(folder: Path, datasets: Any) -> dict[str, Any]:
    """``load_dataset`` arguments that read a folder of CSV files as text, as the
    ``csv`` format reads a file: every cell a string (``"01"`` stays ``"01"``) and
    no cell taken for a missing value (``"NA"``, ``""`` stay text). pandas would
    otherwise guess types and nulls. Nothing for a folder of other files.

    Each file is first parsed as the ``csv`` format parses one (`parse_csv`):
    pandas fills a row that is short of cells with empty ones and reads
    ``"x"y`` as ``xy``, so a line break in an unquoted cell would give a cut
    summary and a fake example of its second half; such a file is an error
    naming its line instead, as it is read alone.

    Raises:
        BenchmarkError: A CSV file is not UTF-8 or `parse_csv` rejects it.
    """
    files = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and path.suffix.lower() not in _NOT_DATA
    )
    if not files or any(path.suffix.lower() != ".csv" for path in files):
        return {}
    for path in files:
        for _ in parse_csv(read_text(path), str(path)):
            pass
    with files[0].open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    if not header:
        return {}
    features = datasets.Features({column: datasets.Value("string") for column in header})
    return {"features": features, "keep_default_na": False, "na_filter": False}


def read_hf(
    target: str,
    *,
    name: str | None = None,
    split: str | None = None,
    revision: str | None = None,
) -> tuple[str | None, list[Located]]:
    """Load a Hugging Face dataset split as records.

    Args:
        target: A hub dataset id, or a local directory.
        name: The dataset configuration name (``load_dataset``'s ``name``).
        split: The split; may be omitted when there is only one.
        revision: A hub branch, tag or commit.

    Returns:
        The split that was read (``None`` for a saved single `Dataset` with
        no split given) and the ``("target [split]: row N", record)`` pairs.

    Raises:
        MissingDependencyError: ``datasets`` is not installed.
        BenchmarkError: The dataset cannot be loaded, or the split is ambiguous.
    """
    try:
        import datasets
    except ImportError:
        raise MissingDependencyError(
            "datasets", "pip install 'harness[hf]'", "the hf benchmark format"
        ) from None

    local = Path(target).expanduser()
    offline = offline_requested()
    if is_saved_dataset(local):
        loaded = _guarded(
            lambda: datasets.load_from_disk(str(local)), target, local=True, offline=offline
        )
    elif local.is_dir() or _looks_local(target):
        if not local.exists():
            raise BenchmarkError(
                f"benchmark.hf: local directory {target!r} not found "
                f"(relative to the current directory, {Path.cwd()})",
                hint="give an existing directory, or a hub dataset id such as 'owner/name'",
            )
        text_only = _csv_as_text(local, datasets)
        loaded = _guarded(
            lambda: datasets.load_dataset(
                str(local), name, split=split, revision=revision, **text_only
            ),
            target,
            local=True,
            offline=offline,
        )
    else:
        loaded = _guarded(
            lambda: datasets.load_dataset(target, name, split=split, revision=revision),
            target,
            local=False,
            offline=offline,
        )
    dataset, used = _pick_split(loaded, split, target)
    prefix = f"{target} [{used}]" if used else target
    rows = [(f"{prefix}: row {number}", dict(row)) for number, row in enumerate(dataset, start=1)]
    return used, rows


__all__ = ["is_saved_dataset", "offline_requested", "read_hf"]
