"""``harness score RUN_DIR`` and ``harness report RUN_DIR``: re-score or re-render a saved run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harness.cli._common import stderr, stdout, user_errors
from harness.cli._outcome import report_outcome
from harness.report import load_table, render_reports, to_rich
from harness.runner import rerender, score_run
from harness.store import RunDir


@user_errors
def score_command(
    run_dir: Annotated[Path, typer.Argument(help="A run directory written by `harness run`.")],
) -> None:
    """Re-score a run's saved outputs with the metrics in its config.yaml (no generation)."""
    summary = score_run(RunDir(run_dir), console=stderr, render=render_reports)
    stdout.print(to_rich(load_table(summary.run_dir)))
    report_outcome(summary.results)


@user_errors
def report_command(
    run_dir: Annotated[Path, typer.Argument(help="A run directory written by `harness run`.")],
) -> None:
    """Re-render the reports (md, csv, tex, html, plots) from a run directory (no scoring)."""
    final = rerender(RunDir(run_dir), render_reports)
    stdout.print(to_rich(load_table(final)))
    stdout.print(
        f"wrote report.md, report.csv, report.tex, report.html and plots/ in {run_dir}",
        highlight=False,
    )
