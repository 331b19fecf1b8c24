"""Builders shared by the compare tests: minimal run directories holding given scores."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.records import Example, Output
from harness.store import RunDir
from tests.fixtures.score_table import Table, column, scores_of


def _config_data(name: str, systems: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "benchmark": {"builtin": "newsbriefs"},
        "systems": [{"name": system, "backend": "lead"} for system in systems],
        "metrics": ["rouge", "length"],
        **extra,
    }


def write_run(
    path: Path,
    table: Table,
    *,
    content_hash: str | None = "hash-1",
    source: str = "s",
    errors: dict[str, dict[str, str]] | None = None,
    **config: Any,
) -> Path:
    """Write a minimal run directory holding ``table``'s scores.

    Every example's article is ``source``; ``errors`` (system → example id →
    error) marks failed generations.
    """
    run_dir = RunDir(path)
    systems = list(table)
    run_dir.write_config(_config_data(config.pop("name", "test"), systems, **config))
    ids = list(dict.fromkeys(i for v in table.values() for e in v.values() for i in e))
    run_dir.write_examples([Example(id=i, source=source) for i in ids])
    failed = errors or {}
    run_dir.write_outputs(
        [
            Output(example_id=i, system=s, summary=None, error=failed[s][i])
            if i in failed.get(s, {})
            else Output(example_id=i, system=s, summary="x")
            for s in systems
            for i in ids
        ]
    )
    run_dir.write_scores(scores_of(table))
    if content_hash is not None:
        run_dir.write_json("manifest.json", {"benchmark": {"content_hash": content_hash}})
    return path


BEFORE = [0.5, 0.4, 0.6, 0.55, 0.45, 0.5, 0.52, 0.48, 0.61, 0.39, 0.5, 0.47, 0.53, 0.44]
AFTER = [value - 0.1 for value in BEFORE]


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, Path]:
    """Run A (systems sys, old) and run B (sys 0.1 lower, its last example null; new)."""
    a = write_run(
        tmp_path / "a",
        {
            "sys": {"rouge.rouge1": column(BEFORE), "length.words": column([50.0] * 14)},
            "old": {"rouge.rouge1": column(BEFORE)},
        },
    )
    b = write_run(
        tmp_path / "b",
        {
            "sys": {
                "rouge.rouge1": column([*AFTER[:-1], None]),
                "length.words": column([40.0] * 14),
            },
            "new": {"rouge.rouge1": column(AFTER)},
        },
        content_hash="hash-2",
        seed=3,
    )
    return a, b


@pytest.fixture
def make_run() -> Callable[..., Path]:
    """`write_run`."""
    return write_run


@pytest.fixture(name="column")
def column_fixture() -> Callable[..., dict[str, float | None]]:
    """`column`."""
    return column
