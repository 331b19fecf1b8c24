"""``harness table RUN_DIR...``: one paper table over several runs (rows systems, groups runs)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from harness.cli._common import stderr, user_errors, write_stdout


class TableFormat(str, Enum):
    """What `harness table` writes."""

    md = "md"
    tex = "tex"
    csv = "csv"


@user_errors
def table_command(
    run_dirs: Annotated[
        list[Path], typer.Argument(help="Run directories, one column group each, in this order.")
    ],
    values: Annotated[
        list[str] | None,
        typer.Option(
            "--values",
            help="Values to show, in order (comma-separated or repeated), e.g. "
            "rouge.rouge2,consistency.score. Default: the values every run has.",
        ),
    ] = None,
    systems: Annotated[
        list[str] | None,
        typer.Option("--systems", help="Systems (rows) to show, in order. Default: all."),
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option(
            "--label",
            help="NAME=TEXT: display name of a value, system, metric or run (repeatable).",
        ),
    ] = None,
    digits: Annotated[
        int | None, typer.Option("--digits", min=0, max=10, help="Decimals (default 3).")
    ] = None,
    ci: Annotated[
        bool, typer.Option("--ci/--no-ci", help="Show the CI half-width, or means only.")
    ] = True,
    significance: Annotated[
        bool,
        typer.Option(
            "--significance/--no-significance",
            help="Mark (*) differences from each run's baseline that are significant.",
        ),
    ] = True,
    output_format: Annotated[
        TableFormat, typer.Option("--format", help="md, tex (booktabs) or csv (one row per cell).")
    ] = TableFormat.md,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the table to this file (default: stdout).")
    ] = None,
) -> None:
    """One table over several runs: rows are systems, column groups are runs (by their `name`).

    Cells are the chosen values with their CIs; the best mean of each column is
    bold among the systems shown; a system a run lacks shows "–". Warns (on
    stderr) when the runs computed a metric with different versions or settings.
    """
    from harness.config import ReportConfig
    from harness.report import multirun
    from harness.report.choice import merge_choice, parse_labels, split_names
    from harness.store import write_atomic

    choice = merge_choice(
        ReportConfig(),
        values=split_names(values),
        systems=split_names(systems),
        labels=parse_labels(label or []) or None,
        digits=digits,
        ci=ci,
        significance=significance,
    )
    table = multirun.build_multi(run_dirs, choice)
    for warning in table.warnings:
        stderr.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    render = {
        TableFormat.md: multirun.to_markdown_multi,
        TableFormat.tex: multirun.to_latex_multi,
        TableFormat.csv: multirun.to_csv_multi,
    }[output_format]
    text = render(table)
    if out is None:
        write_stdout(text)
        return
    write_atomic(out, text)
    stderr.print(f"wrote {out}", highlight=False, markup=False, soft_wrap=True)
