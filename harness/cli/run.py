"""``harness run CONFIG``: generate, score, aggregate, write the run directory and reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harness.cli._common import stderr, stdout, user_errors
from harness.cli._executor import AddressOption, ExecutorOption, WorkersOption, executor_sets
from harness.cli._outcome import report_outcome


@user_errors
def run_command(
    config: Annotated[Path, typer.Argument(help="Run config (YAML).")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Run directory (default: the config's `out`).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Use only the first N examples.")
    ] = None,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a config key, e.g. --set seed=1 (repeatable)."),
    ] = None,
    max_failures: Annotated[
        int | None,
        typer.Option(
            "--max-failures",
            min=0,
            help="Stop the run (exit 2) once more than N generations have failed; "
            "finished generations stay cached. Default: record failures and go on.",
        ),
    ] = None,
    workers: WorkersOption = None,
    executor: ExecutorOption = None,
    address: AddressOption = None,
) -> None:
    """Run a config: generate summaries, score them, write the run directory and reports.

    Exits 4 when a system produced no summary at all (every generation
    failed); the run directory is written and the reasons are printed.
    """
    from rich.markup import escape

    from harness.config import load_config
    from harness.report import load_table, render_reports, to_rich
    from harness.report.choice import choose
    from harness.runner import run_pipeline

    sets = list(overrides or [])
    if limit is not None:
        sets.append(f"benchmark.limit={limit}")
    run_config = load_config(config, [*sets, *executor_sets(workers, executor, address)])
    if executor is None and address is None and workers is not None:
        # --workers alone: a pool, unless the config already names one (ray).
        if run_config.executor.kind == "local":
            sets.append("executor.kind=process")
        run_config = load_config(config, [*sets, *executor_sets(workers, executor, address)])
    summary = run_pipeline(
        run_config,
        origin=str(config),
        config_dir=config.parent,
        out=out,
        console=stderr,
        render=render_reports,
        max_failures=max_failures,
    )
    # the terminal shows what the reports show: the config's `report:` section
    table = choose(load_table(summary.run_dir), summary.run_dir)
    stdout.print(to_rich(table))
    cache = summary.manifest["cache"]
    hits = sum(kind["hits"] for kind in cache.values() if isinstance(kind, dict))
    misses = sum(kind["misses"] for kind in cache.values() if isinstance(kind, dict))
    stdout.print(
        f"run directory: [bold]{escape(str(summary.run_dir.path))}[/]  "
        f"(cache: {hits} hits, {misses} computed)",
        highlight=False,
        soft_wrap=True,  # a long path stays one line a script can read
    )
    report_outcome(summary.results)
