"""Tests for reading a run directory (`harness.compare.run_dir.load_run`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.compare import load_run
from harness.errors import StoreError
from harness.store import RunDir

MakeRun = Callable[..., Path]
Column = Callable[..., dict[str, float | None]]


def test_load_run_reads_values_directions_and_config(runs: tuple[Path, Path]) -> None:
    run = load_run(runs[0])
    assert run.systems == ["sys", "old"]
    assert run.value_names() == ["rouge.rouge1", "length.words"]
    assert run.values["sys"]["rouge.rouge1"]["e2"] == 0.6
    # no results.json here: directions come from the registered metrics
    assert run.directions == {"rouge.rouge1": True, "length.words": None}
    assert run.content_hash == "hash-1"
    assert run.config["name"] == "test"


def test_load_run_prefers_results_json_directions(
    tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    path = make_run(tmp_path / "r", {"s": {"rouge.rouge1": column([0.1, 0.2])}})
    RunDir(path).write_json(
        "results.json", {"values": {"rouge.rouge1": {"higher_is_better": False}}}
    )
    assert load_run(path).directions["rouge.rouge1"] is False


@pytest.mark.parametrize(
    ("name", "document", "message"),
    [
        ("results.json", [], "results.json: expected a JSON object, got an array"),
        ("manifest.json", 7, "manifest.json: expected a JSON object, got a number"),
        (
            "results.json",
            {"values": {"rouge.rouge1": {"higher_is_better": "false"}}},
            'results.json: values["rouge.rouge1"].higher_is_better: expected true, false or '
            'null, got "false"',
        ),
    ],
)
def test_a_damaged_results_or_manifest_file_is_a_store_error(
    tmp_path: Path, make_run: MakeRun, column: Column, name: str, document: object, message: str
) -> None:
    # before: an AttributeError (exit 3), or "false" read as higher-is-better
    path = make_run(tmp_path / "r", {"s": {"rouge.rouge1": column([0.1, 0.2])}})
    RunDir(path).write_json(name, document)
    with pytest.raises(StoreError, match="^" + re.escape(str(path / message))):
        load_run(path)


def test_a_manifest_of_other_shapes_records_no_hash_or_metrics(
    tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    path = make_run(tmp_path / "r", {"s": {"rouge.rouge1": column([0.1, 0.2])}})
    RunDir(path).write_json("manifest.json", {"benchmark": "newsbriefs", "components": []})
    run = load_run(path)
    assert run.content_hash is None and run.metrics is None
