"""``harness validate CONFIG`` and ``harness list``.

What they use is imported when they run (see `harness.cli`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harness.cli._common import stdout, user_errors


@user_errors
def validate_command(
    config: Annotated[Path, typer.Argument(help="Run config (YAML).")],
    overrides: Annotated[
        list[str] | None, typer.Option("--set", help="Override a config key (repeatable).")
    ] = None,
) -> None:
    """Check a config: schema, names and params, gate values, and that examples load.

    Also catches what would fail every example: a metric needing references
    on data without them, a precomputed system reading a column the data
    lacks or a summaries file without any of the benchmark's ids (checked on
    the first example, then on all when it lacks them).
    """
    from harness.backend import BuildContext, build_backend
    from harness.benchmark import load_benchmark
    from harness.config import load_config
    from harness.errors import ConfigError
    from harness.metric import build_metric
    from harness.preflight import check_gate_values, preflight

    run_config = load_config(config, list(overrides or []))
    context = BuildContext(config_dir=config.parent, seed=run_config.seed)
    summarizers = [
        build_backend(system, context, run_config.where(str(config), "systems", index))
        for index, system in enumerate(run_config.systems)
    ]
    entries = [
        build_metric(item, run_config.where(str(config), "metrics", index))[0]
        for index, item in enumerate(run_config.metrics)
    ]
    check_gate_values(run_config, entries, str(config))
    benchmark = load_benchmark(run_config.benchmark.model_copy(update={"limit": 1}), seed=0)
    first = benchmark.examples[0]

    def on_every_example() -> None:
        every = load_benchmark(run_config.benchmark, seed=run_config.seed).examples
        preflight(run_config, summarizers, entries, every, str(config))

    if run_config.meta_eval.dev_split is not None:
        # One stray label anywhere changes the protocol: judge the labels of every row.
        on_every_example()
    else:
        try:
            preflight(run_config, summarizers, entries, benchmark.examples, str(config))
        except ConfigError:
            # The first example alone may lack what later ones have (a reference, a
            # summary column): judge on every example, as `run` does, before failing.
            on_every_example()
    stdout.print(
        f"[green]ok[/]: {config} — {len(run_config.systems)} systems, "
        f"{len(run_config.metrics)} metrics; benchmark loads "
        f"({benchmark.info.get('n_records')} records; first id {first.id!r}, "
        f"{len(first.source.split())} source words, {len(first.references)} references)",
        highlight=False,
    )


@user_errors
def list_command() -> None:
    """List backends, metrics (with their values) and built-in benchmarks."""
    from rich.table import Table

    from harness.backend import BACKENDS
    from harness.benchmark._builtin import available_builtins
    from harness.metric import METRICS

    backends = Table(title="backends", title_justify="left")
    backends.add_column("name", style="bold")
    backends.add_column("description")
    for name, entry in BACKENDS.items():
        backends.add_row(name, entry.description)
    metrics = Table(title="metrics", title_justify="left")
    metrics.add_column("name", style="bold")
    metrics.add_column("requires")
    metrics.add_column("values (↑ higher is better, ↓ lower)")
    metrics.add_column("description")
    for name, metric_entry in METRICS.items():
        values = ", ".join(
            spec.name + {True: "↑", False: "↓", None: ""}[spec.higher_is_better]
            for spec in metric_entry.values
        )
        metrics.add_row(
            name, ", ".join(sorted(metric_entry.requires)) or "—", values, metric_entry.description
        )
    stdout.print(backends)
    stdout.print(metrics)
    stdout.print("built-in benchmarks: " + ", ".join(available_builtins()), highlight=False)
    stdout.print("benchmark formats: jsonl, json, csv, parquet, hf, briefs, builtin")
