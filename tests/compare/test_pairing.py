"""Tests for what two runs share and what differs (`harness.compare.pairing`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from harness.compare import (
    benchmark_difference,
    compare_runs,
    load_run,
    metric_differences,
    pairing_warnings,
)
from harness.errors import StoreError

MakeRun = Callable[..., Path]
Column = Callable[..., dict[str, float | None]]


def test_pairing_warnings_name_every_difference(runs: tuple[Path, Path]) -> None:
    a, b = load_run(runs[0]), load_run(runs[1])
    warnings = "\n".join(pairing_warnings(a, b))
    assert "benchmark" not in warnings  # same articles under the ids: hash-1/2 do not matter
    assert "configs differ in: systems, seed" in warnings
    assert f"1 systems only in {runs[0]} (not compared): old" in warnings
    assert f"1 systems only in {runs[1]} (not compared): new" in warnings
    assert "values" not in warnings.replace("configs differ", "")


def test_examples_in_one_run_only_are_warned_and_left_out(
    tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    a = make_run(tmp_path / "a", {"s": {"rouge.rouge1": column([0.1, 0.2, 0.3])}})
    b = make_run(tmp_path / "b", {"s": {"rouge.rouge1": {"e1": 0.2, "e2": 0.3, "x9": 0.9}}})
    comparison = compare_runs(load_run(a), load_run(b))
    assert comparison.n_shared == 2
    assert f"1 examples only in {a} (not compared): e0" in comparison.warnings
    assert f"1 examples only in {b} (not compared): x9" in comparison.warnings
    assert comparison.systems[0].values[0].result.diff == 0.0


def test_runs_of_different_benchmarks_are_refused_unless_allowed(
    tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    a = make_run(tmp_path / "a", {"s": {"rouge.rouge1": column([0.1, 0.2, 0.3])}})
    b = make_run(tmp_path / "b", {"s": {"rouge.rouge1": column([0.1, 0.2])}}, source="other")
    with pytest.raises(StoreError, match="not runs of the same benchmark") as error:
        compare_runs(load_run(a), load_run(b))
    assert "2 of the 2 example ids they share name a different article" in error.value.message
    assert error.value.hint is not None and "--allow-different-benchmark" in error.value.hint
    allowed = compare_runs(load_run(a), load_run(b), allow_different_benchmark=True)
    assert allowed.warnings[0].startswith("different benchmarks (allowed by")
    # the first two examples of the same benchmark: the same benchmark
    c = make_run(tmp_path / "c", {"s": {"rouge.rouge1": column([0.1, 0.2])}}, content_hash="x")
    assert benchmark_difference(load_run(a), load_run(c)) is None


def test_a_baseline_without_fingerprints_falls_back_to_the_content_hash(
    tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    a = make_run(tmp_path / "a", {"s": {"rouge.rouge1": column([0.1, 0.2])}})
    b = make_run(tmp_path / "b", {"s": {"rouge.rouge1": column([0.1, 0.2])}}, content_hash="h2")
    old = replace(load_run(a), fingerprints=None)
    difference = benchmark_difference(old, load_run(b))
    assert difference is not None and "content hashes differ (hash-1 vs h2)" in difference
    assert benchmark_difference(old, load_run(a)) is None
    unknown = replace(old, content_hash=None)
    assert benchmark_difference(unknown, load_run(b)) is None
    assert any("cannot tell whether" in w for w in pairing_warnings(unknown, load_run(b)))


def test_compare_warns_about_failed_generations(
    tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    a = make_run(tmp_path / "a", {"s": {"rouge.rouge1": column([0.1, 0.2, 0.3])}})
    b = make_run(
        tmp_path / "b",
        {"s": {"rouge.rouge1": column([0.1, None, None])}},
        errors={"s": {"e1": "boom", "e2": "boom"}},
    )
    warnings = compare_runs(load_run(a), load_run(b)).warnings
    assert f"s: 2 failed or empty generations in {b} (0 in {a}) of 3 shared examples" in "\n".join(
        warnings
    )


def test_no_shared_example_or_system_is_an_error(
    tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    a = make_run(tmp_path / "a", {"s": {"rouge.rouge1": column([0.1, 0.2])}})
    b = make_run(tmp_path / "b", {"s": {"rouge.rouge1": column([0.1, 0.2], prefix="z")}})
    with pytest.raises(StoreError, match="share no example id"):
        compare_runs(load_run(a), load_run(b))
    c = make_run(tmp_path / "c", {"t": {"rouge.rouge1": column([0.1, 0.2])}})
    with pytest.raises(StoreError, match="no system name in common"):
        compare_runs(load_run(a), load_run(c))


def test_a_metric_scored_differently_is_named(runs: tuple[Path, Path]) -> None:
    a, b = load_run(runs[0]), load_run(runs[1])
    numbers = {"version": "6", "params": {"approx_tol": 0.05}, "model": None}
    a = replace(a, metrics={"numbers": numbers, "length": {"version": "1", "params": {}}})
    b = replace(
        b,
        metrics={"numbers": {**numbers, "version": "7", "params": {"approx_tol": 0.5}}},
    )
    assert metric_differences(a, b) == ["numbers: version 6 → 7, approx_tol 0.05 → 0.5"]
    assert metric_differences(a, replace(b, metrics=a.metrics)) == []
    assert metric_differences(a, replace(b, metrics=None)) == []  # an old baseline file
    assert any(
        "records no metric versions" in w for w in pairing_warnings(a, replace(b, metrics=None))
    )
    warnings = compare_runs(a, b).warnings
    assert "metric numbers: version 6 → 7, approx_tol 0.05 → 0.5: its values in the two " in (
        "\n".join(warnings)
    )


def test_where_a_run_was_cached_or_written_is_no_config_difference(
    tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    table = {"s": {"rouge.rouge1": column([0.1, 0.2])}}
    a = make_run(tmp_path / "a", table, cache=str(tmp_path / "c1"))
    b = make_run(tmp_path / "b", table, cache="off", seed=3)
    warnings = pairing_warnings(load_run(a), load_run(b))
    assert [w for w in warnings if "configs differ" in w] == ["the configs differ in: seed"]
