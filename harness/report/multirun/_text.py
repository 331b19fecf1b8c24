"""Headers and the legend, shared by the Markdown and LaTeX forms."""

from __future__ import annotations

from collections.abc import Sequence

from harness.report.formatting import format_confidence
from harness.report.multirun.table import MISSING, MultiTable
from harness.report.table import SINGLE_PAIR_NOTE, Column, comparison_notes, escape_markdown


def _shared_value_names() -> set[str]:
    """Value names that more than one registered metric has ("precision", "score")."""
    from harness.metric import METRICS

    seen: dict[str, int] = {}
    for _, entry in METRICS.items():
        for spec in entry.values:
            seen[spec.name] = seen.get(spec.name, 0) + 1
    return {name for name, count in seen.items() if count > 1}


def _header_names(columns: Sequence[Column]) -> list[str]:
    # Under a run's header a value name keeps its metric where two would read alike,
    # in this table or in general: "precision" alone is no metric's ("words" is length's).
    shorts = [column.short for column in columns]
    shared = _shared_value_names()
    return [
        column.short
        if column.label or (shorts.count(column.short) == 1 and column.short not in shared)
        else column.name
        for column in columns
    ]


def _or_value(table: MultiTable) -> str:
    """`` or value`` when some run lacks a chosen value (its cells show – too)."""
    lacks = any(
        column.name not in row.cells
        for group in table.groups
        for row in group.table.rows
        for column in table.columns
    )
    return " or value" if lacks else ""


def _legend(table: MultiTable, *, markdown: bool) -> str:
    def named(text: str) -> str:
        # names from the data (runs, systems): a cell's escaping in Markdown; the
        # LaTeX form escapes the whole legend
        return escape_markdown(text) if markdown else text

    levels = [group.table.confidence for group in table.groups]
    if len(set(levels)) == 1:
        level = f"the {format_confidence(levels[0])}"
    else:  # each run's own: one caption level would mislabel the others
        level = (
            "each run's ("
            + ", ".join(
                f"{named(group.name)}: {format_confidence(group.table.confidence)}"
                for group in table.groups
            )
            + ")"
        )
    bold = "**bold**" if markdown else "bold"

    what = f"mean ± half-width of {level} bootstrap CI" if table.ci else "mean"
    text = (
        f"Rows: systems; column groups: runs. Cells: {what}; ↑/↓ = higher/lower is better; "
        f"{bold} = best in its column among the systems shown; "
        f"{MISSING} = the run has no such system{_or_value(table)}; — = undefined."
    )
    if any(
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
    if table.has_fewer_means:
        text += (
            " (n=K) = the mean is over K examples, fewer than the row's other values of its "
            "run: the others have no such value (no reference, no quantity to check, ...)."
        )
    if table.has_significance:
        baselines = ", ".join(
            f"{named(g.name)}: {named(g.table.baseline_shown)}" for g in table.groups
        )
        text += (
            " * = differs significantly from the run's baseline "
            f"(paired test, Holm-corrected; {baselines})."
        )
    # a run whose comparisons cannot reach its alpha shows no * however far apart
    # its means are: say so, as its own report.md does (the one-pair note is about
    # differences, which this table does not show)
    for group in table.groups:
        if group.table.alpha is None:
            continue
        for note in comparison_notes(group.table, f"{group.table.alpha:g}"):
            if note != SINGLE_PAIR_NOTE:
                text += f" {named(group.name)}: {named(note)}"
    return text
