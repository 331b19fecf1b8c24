"""``harness compare RUN_A RUN_B``: paired comparison of two runs of the same benchmark."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from harness.cli._common import stdout, stdout_may_close, user_errors

if TYPE_CHECKING:
    from rich.console import Group
    from rich.table import Table

    from harness.compare import RunComparison, ValueComparison


def _marker(item: ValueComparison) -> Text:
    result = item.result
    if not result.significant or result.diff is None:
        return Text("")
    if item.higher_is_better is None:
        return Text("≠", style="bold yellow")
    better = (result.diff > 0) == item.higher_is_better
    return Text("▲", style="bold green") if better else Text("▼", style="bold red")


def _change(item: ValueComparison) -> str:
    from harness.report.formatting import format_difference

    result = item.result
    # the interval on a line of its own keeps the column narrow enough for 80 columns
    return format_difference(result.diff, result.ci_low, result.ci_high).replace(" [", "\n[", 1)


def comparison_to_rich(comparison: RunComparison) -> Group:
    """One table per system: A and B means, difference with CI, Holm p, W/T/L, marker."""
    from rich import box
    from rich.console import Group
    from rich.table import Table

    from harness.report.table import (
        VersusFamily,
        direction_arrow,
        format_number,
        versus_notes,
    )

    parts: list[Table | Text] = [
        Text.assemble(
            ("A ", "bold"),
            comparison.a,
            ("  →  B ", "bold"),
            comparison.b,
            f"\n{comparison.n_shared} shared examples; A, B: means over the examples where "
            f"both runs define the value; B − A [low, high] of its {comparison.confidence:.0%} "
            "paired-bootstrap interval; sign-flip permutation p, Holm-adjusted per system; "
            f"▲ better / ▼ worse / ≠ changed (no better side) when p_holm < "
            f"{comparison.alpha:g}; W/T/L = examples where B wins/ties/loses",
        )
    ]
    for system in comparison.systems:
        table = Table(
            title=system.system,
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            show_edge=False,
            collapse_padding=True,
        )
        rows = [
            (
                item.value + direction_arrow(item.higher_is_better),
                str(item.result.n),
                format_number(item.result.baseline_mean),
                format_number(item.result.mean),
                _change(item),
                "—" if item.result.p_holm is None else f"{item.result.p_holm:.2g}",
                f"{item.result.wins}/{item.result.ties}/{item.result.losses}",
                _marker(item),
            )
            for item in system.values
        ]
        table.add_column("value", style="bold", overflow="fold", min_width=6)
        for position, label in enumerate(("n", "A", "B", "B − A", "p_holm", "W/T/L"), start=1):
            # a number is never cut ("23.7…" for 23.757): on a narrow terminal or a
            # pipe (80 columns) the value names wrap instead
            widest = max(
                [
                    len(label),
                    *(len(line) for row in rows for line in str(row[position]).split("\n")),
                ]
            )
            table.add_column(label, justify="right", no_wrap=True, min_width=widest)
        table.add_column("", no_wrap=True)
        for row in rows:
            table.add_row(*row)
        parts.append(table)
    families = [
        VersusFamily(
            system.system,
            [(item.result.n, item.result.ties) for item in system.values],
            system.holm_floor,
        )
        for system in comparison.systems
    ]
    notes = versus_notes(families, comparison.alpha, f"{comparison.alpha:g}")
    parts += [Text(note) for note in notes]
    return Group(*parts)


@user_errors
def compare_command(
    run_a: Annotated[Path, typer.Argument(help="Run A (before, the baseline): a run directory.")],
    run_b: Annotated[Path, typer.Argument(help="Run B (after): a run directory.")],
    values: Annotated[
        list[str] | None,
        typer.Option("--value", help="Compare only this value, e.g. rouge.rouge1 (repeatable)."),
    ] = None,
    allow_different_benchmark: Annotated[
        bool,
        typer.Option(
            "--allow-different-benchmark",
            help="Compare even when example ids the runs share hold different articles "
            "(a warning instead of exit 2).",
        ),
    ] = False,
) -> None:
    """Compare two runs of the same benchmark example by example (B − A, paired tests).

    Run A may also be a baseline.json written by `harness baseline`. Runs whose
    shared example ids hold different articles are refused (exit 2) unless
    --allow-different-benchmark is given.
    """
    from harness.compare import compare_runs, load_reference, load_run

    comparison = compare_runs(
        load_reference(run_a),
        load_run(run_b),
        values or None,
        allow_different_benchmark=allow_different_benchmark,
    )
    with stdout_may_close():
        for warning in comparison.warnings:
            stdout.print(Text.assemble(("warning: ", "bold yellow"), warning), soft_wrap=True)
        stdout.print(comparison_to_rich(comparison))
