"""Tests for reading a run directory (`harness.compare.run_dir.load_run`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from harness.compare import load_run
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
