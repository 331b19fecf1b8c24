"""``harness score RUN_DIR`` and ``harness report RUN_DIR``: re-score or re-render a saved run."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from harness.cli._common import stderr, stdout, user_errors
from harness.cli._executor import AddressOption, ExecutorOption, WorkersOption, executor_from_flags
from harness.cli._outcome import report_outcome

if TYPE_CHECKING:
    from harness.store import RunDir


@user_errors
def score_command(
    run_dir: Annotated[Path, typer.Argument(help="A run directory written by `harness run`.")],
    workers: WorkersOption = None,
    executor: ExecutorOption = None,
    address: AddressOption = None,
) -> None:
    """Re-score a run's saved outputs with the metrics in its config.yaml (no generation).

    Scoring runs in-process unless --workers, --executor or --address say
    otherwise; the scores are the same whatever runs them.
    """
    from harness.executor import make_executor
    from harness.report import load_table, render_reports, to_rich
    from harness.report.choice import choose
    from harness.runner import score_run
    from harness.store import RunDir

    chosen = make_executor(executor_from_flags(workers, executor, address), "--address")
    summary = score_run(RunDir(run_dir), console=stderr, render=render_reports, executor=chosen)
    stdout.print(to_rich(choose(load_table(summary.run_dir), summary.run_dir)))
    report_outcome(summary.results)


@user_errors
def report_command(
    run_dir: Annotated[Path, typer.Argument(help="A run directory written by `harness run`.")],
    values: Annotated[
        list[str] | None,
        typer.Option(
            "--values",
            help="Values to show, in order (comma-separated or repeated); "
            "overrides the config's report.values.",
        ),
    ] = None,
    systems: Annotated[
        list[str] | None,
        typer.Option("--systems", help="Systems (rows) to show, in order (report.systems)."),
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option("--label", help="NAME=TEXT display name of a value, system or metric."),
    ] = None,
    digits: Annotated[
        int | None, typer.Option("--digits", min=0, max=10, help="Decimals (report.digits).")
    ] = None,
    ci: Annotated[
        bool | None,
        typer.Option("--ci/--no-ci", help="Show CI half-widths, or means only (report.ci)."),
    ] = None,
    significance: Annotated[
        bool | None,
        typer.Option(
            "--significance/--no-significance",
            help="Show the comparisons with the baseline and their * marks (report.significance).",
        ),
    ] = None,
) -> None:
    """Re-render the reports (md, csv, tex, html, plots) from a run directory (no scoring).

    The flags choose what the reports show, over the run config's `report:`
    section, for this rendering only.
    """
    from harness.report import load_table, render_reports, to_rich
    from harness.report.choice import (
        choose,
        merge_choice,
        parse_labels,
        split_names,
        stored_choice,
    )
    from harness.runner import rerender
    from harness.store import RunDir

    directory = RunDir(run_dir)
    choice = merge_choice(
        stored_choice(directory),
        values=split_names(values),
        systems=split_names(systems),
        labels=parse_labels(label or []) or None,
        digits=digits,
        ci=ci,
        significance=significance,
    )
    final = rerender(directory, partial(render_reports, report=choice))
    _warn_stale_results(final)
    stdout.print(to_rich(choose(load_table(final), final, choice)))
    stdout.print(
        f"wrote report.md, report.csv, report.tex, report.html and plots/ in {run_dir}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _warn_stale_results(run_dir: RunDir) -> None:
    """Say so when config.yaml no longer is the config results.json was computed with
    (metrics, systems, stats, seed, baseline or meta_eval edited since): the reports
    show results.json as it was computed."""
    from harness.aggregate import scored_config_hash
    from harness.store import RESULTS_FILE

    recorded = run_dir.read_json(RESULTS_FILE).get("config_sha256")
    config = run_dir.read_run_config()
    if recorded is not None and recorded != scored_config_hash(config):
        stderr.print(
            f"[bold yellow]warning:[/] {escape(str(run_dir.file('config.yaml')))} has changed "
            "since results.json was computed (its metrics, systems, stats, seed, baseline or "
            "meta_eval): the reports show the results as computed then; run `harness score "
            f"{escape(str(run_dir.path))}` to compute them from the config as it is now",
            highlight=False,
            soft_wrap=True,
        )
