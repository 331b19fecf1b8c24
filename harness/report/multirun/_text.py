"""Headers and the legend, shared by the Markdown and LaTeX forms."""

from __future__ import annotations

from collections.abc import Sequence

from harness.report.multirun.table import MISSING, MultiTable
from harness.report.table import Column


def _header_names(columns: Sequence[Column]) -> list[str]:
    # Under a run's header the value names need their metric only where two would read alike.
    shorts = [column.short for column in columns]
    return [
        column.short if column.label or shorts.count(column.short) == 1 else column.name
        for column in columns
    ]


def _legend(table: MultiTable, *, markdown: bool) -> str:
    confidence = table.groups[0].table.confidence
    bold = "**bold**" if markdown else "bold"
    what = f"mean ± half-width of the {confidence:.0%} bootstrap CI" if table.ci else "mean"
    text = (
        f"Rows: systems; column groups: runs. Cells: {what}; ↑/↓ = higher/lower is better; "
        f"{bold} = best in its column among the systems shown; "
        f"{MISSING} = the run has no such system; — = undefined."
    )
    if markdown and any(
        cell is not None and cell.mean is not None and cell.lost
        for group in table.groups
        for system, _ in table.systems
        for column in table.columns
        if (cell := group.cell(system, column.name)) is not None
    ):
        text += (
            " †N = the mean leaves out N examples the system failed (failed generations, "
            "empty summaries, metric errors), so it is never marked best above a complete one."
        )
    if table.has_significance:
        shown = dict(table.systems)
        baselines = ", ".join(
            f"{g.name}: {shown.get(g.table.baseline or '', g.table.baseline)}" for g in table.groups
        )
        text += (
            " * = differs significantly from the run's baseline "
            f"(paired test, Holm-corrected; {baselines})."
        )
    return text
