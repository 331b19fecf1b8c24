"""Tests for `harness.compare.comparison.compare_runs`, also through `harness compare`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.compare import compare_runs, load_run
from harness.errors import ConfigError

MakeRun = Callable[..., Path]
Column = Callable[..., dict[str, float | None]]


def test_compare_runs_pairs_by_example_and_system(runs: tuple[Path, Path]) -> None:
    a, b = load_run(runs[0]), load_run(runs[1])
    before = [v for v in a.values["sys"]["rouge.rouge1"].values() if v is not None]
    after = [v for v in b.values["sys"]["rouge.rouge1"].values() if v is not None]
    comparison = compare_runs(a, b)
    assert comparison.n_shared == 14
    assert [s.system for s in comparison.systems] == ["sys"]
    rouge, words = comparison.systems[0].values
    assert rouge.value == "rouge.rouge1" and rouge.higher_is_better is True
    assert rouge.result.n == 13  # e13 is null in B
    assert rouge.result.diff == pytest.approx(-0.1)  # B − A
    assert rouge.result.baseline_mean == pytest.approx(sum(before[:-1]) / 13)
    assert rouge.result.mean == pytest.approx(sum(after) / 13)
    assert (rouge.result.wins, rouge.result.losses) == (0, 13)
    assert rouge.result.significant
    assert words.result.diff == pytest.approx(-10.0)
    assert words.higher_is_better is None
    only = compare_runs(load_run(runs[0]), load_run(runs[1]), ["length.words"])
    assert [v.value for v in only.systems[0].values] == ["length.words"]
    # showing fewer values tests (and Holm-corrects) the same family: the same result
    assert only.systems[0].values[0].result == words.result


def test_unknown_value_suggests_a_name(runs: tuple[Path, Path]) -> None:
    with pytest.raises(ConfigError, match=r"Did you mean 'rouge\.rouge1'"):
        compare_runs(load_run(runs[0]), load_run(runs[1]), ["rouge.rogue1"])


def test_compare_command_prints_tables_and_warnings(runs: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(app, ["compare", str(runs[0]), str(runs[1])])
    assert result.exit_code == 0, result.output
    for text in ("warning:", "only in", "sys", "rouge.rouge1", "-0.100", "0/0/13", "▼"):
        assert text in result.output, text
    assert "smallest p-value" not in result.output  # 13 pairs can reach 0.05


def test_compare_says_when_too_few_pairs_can_reach_alpha(
    tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    a = make_run(tmp_path / "a", {"sys": {"length.words": column([10.0, 20.0])}})
    b = make_run(tmp_path / "b", {"sys": {"length.words": column([15.0, 26.0])}})
    result = CliRunner().invoke(app, ["compare", str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert "smallest p-value (0.5 at n = 2) is at or above 0.05" in " ".join(result.output.split())


def test_compare_says_when_holm_keeps_every_difference_from_alpha(
    tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    # 40 losses of 40 on both values: p = 1/1001 each, p_holm = 2/1001 = 0.002 at best,
    # so at alpha 0.001 nothing can be significant, which the test alone could reach
    before = [0.5 + 0.01 * i for i in range(40)]
    values = {"rouge.rouge1": before, "rouge.rouge2": before}
    a = make_run(tmp_path / "a", {"sys": {k: column(v) for k, v in values.items()}})
    b = make_run(
        tmp_path / "b",
        {"sys": {k: column([x - 0.1 for x in v]) for k, v in values.items()}},
        stats={"alpha": 0.001},
    )
    comparison = compare_runs(load_run(a), load_run(b))
    floor = comparison.systems[0].holm_floor
    assert floor == min(item.result.p_holm or 1 for item in comparison.systems[0].values)
    assert not any(item.result.significant for item in comparison.systems[0].values)
    result = CliRunner().invoke(app, ["compare", str(a), str(b)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "After Holm's correction over the values of sys, no p-value can fall below 0.002" in said
    assert "which is at or above 0.001" in said
    plain = make_run(
        tmp_path / "c", {"sys": {k: column([x - 0.1 for x in v]) for k, v in values.items()}}
    )
    result = CliRunner().invoke(app, ["compare", str(a), str(plain)])  # alpha 0.05: reachable
    assert result.exit_code == 0 and "After Holm" not in result.output


def test_compare_writes_the_interval_as_the_reports_do(runs: tuple[Path, Path]) -> None:
    # "B − A ± half-width" of an asymmetric bootstrap interval gave bounds the reports'
    # "[low, high]" (from the same numbers) do not: both now write the interval's bounds
    rouge = compare_runs(load_run(runs[0]), load_run(runs[1])).systems[0].values[0].result
    assert rouge.diff is not None and rouge.ci_low is not None and rouge.ci_high is not None
    args = ["compare", str(runs[0]), str(runs[1])]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("rouge.rouge1"))
    assert lines[row].split()[-4] == f"{rouge.diff:+.3f}"
    assert f"[{rouge.ci_low:.3f}, {rouge.ci_high:.3f}]" in lines[row + 1]
    assert "±" not in result.output


def test_compare_command_usage_errors_exit_2(
    runs: tuple[Path, Path], tmp_path: Path, make_run: MakeRun, column: Column
) -> None:
    result = CliRunner().invoke(
        app, ["compare", str(runs[0]), str(runs[1]), "--value", "rouge.rogue1"]
    )
    assert result.exit_code == 2
    assert "rouge.rogue1" in result.output and "Did you mean" in result.output
    other = make_run(tmp_path / "z", {"sys": {"rouge.rouge1": column([0.1, 0.2], prefix="z")}})
    result = CliRunner().invoke(app, ["compare", str(runs[0]), str(other)])
    assert result.exit_code == 2
    assert "share no example id" in result.output


def test_compare_never_cuts_a_number_on_a_narrow_terminal(
    runs: tuple[Path, Path], harness_cli: Callable[..., Any]
) -> None:
    # "23.7…" for 23.757, or a column dropped, would misreport A and B: the names wrap
    env = {**os.environ, "COLUMNS": "64"}
    done = harness_cli("compare", str(runs[0]), str(runs[1]), env=env)
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("value "))
    assert header.split() == ["value", "n", "A", "B", "B", "−", "A", "p_holm", "W/T/L"]
    rows = [line for line in done.stdout.splitlines() if "[" in line]
    assert rows and not any("…" in line for line in rows)
