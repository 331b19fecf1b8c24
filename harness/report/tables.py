"""Render the comparison table as Markdown, CSV and a rich terminal table."""

from __future__ import annotations

import csv
import io

from rich.console import Group
from rich.table import Table
from rich.text import Text

from harness.report.formatting import format_confidence
from harness.report.meta import meta_markdown, meta_rich
from harness.report.table import (
    FEWER_LEGEND,
    LOST_LEGEND,
    Column,
    ComparisonTable,
    comparison_notes,
    direction_arrow,
    escape_markdown,
    format_cell,
    format_comparison,
    format_number,
    markdown_code,
    too_few_pairs_note,
)


def _shows_ci(table: ComparisonTable) -> bool:
    return all(cell.show_ci for row in table.rows for cell in row.cells.values())


def _n_note(table: ComparisonTable) -> str:
    level = format_confidence(table.confidence)
    what = (
        f"Mean ± half-width of the {level} bootstrap confidence interval"
        if _shows_ci(table)
        else "Mean"
    )
    return (
        f"{what} over "
        f"{table.n_examples} examples; ↑/↓ = higher/lower is better, **bold** = best in column. "
        "Values undefined for an example (e.g. no reference, failed generation) are left out; "
        "`n` counts the examples that were scored."
    )


def comparison_legend(table: ComparisonTable) -> str:
    """The sentence explaining differences from the baseline and their marker, then
    `comparison_notes` (too few pairs to reach α; a difference over one pair)."""
    alpha = f"α = {table.alpha:g}" if table.alpha is not None else "the run's α"
    text = (
        f"Paired difference from the baseline {markdown_code(table.baseline_shown)} "
        "(system − baseline, over the "
        "examples scored for both) with its "
        f"{format_confidence(table.confidence)} confidence interval in "
        f"brackets; * = significant after Holm's correction over each system's values at {alpha}. "
        "Whether a positive difference is better follows the value's arrow (↑/↓); "
        "values without an arrow are descriptive."
    )
    # the notes name systems (Holm's bound): names from the data, escaped as in the tables
    return " ".join([text, *(escape_markdown(note) for note in comparison_notes(table, "α"))])


def _markdown_comparisons(table: ComparisonTable) -> list[str]:
    header = ["system", "n"] + [
        f"{c.shown}{direction_arrow(c.higher_is_better)}" for c in table.columns
    ]
    lines = [
        "",
        f"## vs {escape_markdown(table.baseline_shown)}",
        "",
        "| " + " | ".join(escape_markdown(h) for h in header) + " |",
        "|" + "|".join(["---"] + ["--:"] * (len(header) - 1)) + "|",
    ]
    for row in table.rows:
        if row.system == table.baseline or not row.comparisons:
            continue
        n = max((comparison.n for comparison in row.comparisons.values()), default=0)
        cells = [escape_markdown(row.shown), str(n)]
        for column in table.columns:
            comparison = row.comparisons.get(column.name)
            digits = row.cells[column.name].digits
            cells.append("—" if comparison is None else format_comparison(comparison, digits))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", comparison_legend(table)]
    return lines


def to_markdown(table: ComparisonTable) -> str:
    """A GitHub-flavoured Markdown report with the table and a legend.

    When the run compared systems with a baseline, a second table ("vs
    <baseline>") follows with the paired differences and significance markers.
    """
    header = ["system", "n", "failures"] + [
        f"{c.shown}{direction_arrow(c.higher_is_better)}" for c in table.columns
    ]
    lines = [
        f"# {escape_markdown(table.name)}",
        "",
        "| " + " | ".join(escape_markdown(h) for h in header) + " |",
        "|" + "|".join(["---"] + ["--:"] * (len(header) - 1)) + "|",
    ]
    for row in table.rows:
        cells = [escape_markdown(row.shown), str(row.n), str(row.failures)]
        for column in table.columns:
            cell = row.cells[column.name]
            text = format_cell(cell) + (
                f" †{cell.lost}" if cell.mean is not None and cell.lost else ""
            )
            fewer = row.fewer(column.name)
            if fewer is not None:
                text += f" (n={fewer})"
            cells.append(f"**{text}**" if cell.best else text)
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", _n_note(table)]
    if table.has_fewer_means:
        lines[-1] += f" (n=K): {FEWER_LEGEND}"
    if table.has_lost_means:
        lines[-1] += f" †N: {LOST_LEGEND}"
    if table.has_comparisons:
        lines += _markdown_comparisons(table)
    if table.meta is not None:
        lines += meta_markdown(table.meta)
    lines += ["", "| value | description |", "|---|---|"]
    lines += [
        f"| {escape_markdown(_named(c))} | {escape_markdown(c.description)} |"
        for c in table.columns
    ]
    return "\n".join(lines) + "\n"


def _named(column: Column) -> str:
    return column.name if column.label is None else f"{column.label} ({column.name})"


def to_csv(table: ComparisonTable) -> str:
    """One row per system: ``system, failures`` then ``<value>``, ``<value>.ci95``, ``<value>.n``.

    ``ci95`` is the half-width of the 95% interval; the column is named after
    the run's ``stats.confidence`` (``ci90``, ``ci99.9``), so a reader never
    takes another level's interval for a 95% one.

    When the run compared systems with a baseline, ``<value>.diff`` (system −
    baseline) and ``<value>.p_holm`` follow for every value, after all the
    columns above (so older readers' column positions do not move); they are
    empty on the baseline's row. Numbers are written in full precision; empty
    cells mean undefined. A ``report:`` choice picks and orders the values and
    systems; labels and digits are for display and do not apply here (names
    stay the keys other tools join on).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["system", "failures"]
    level = f"ci{table.confidence * 100:g}"
    for column in table.columns:
        header += [column.name, f"{column.name}.{level}", f"{column.name}.n"]
    compare = table.has_comparisons
    if compare:
        for column in table.columns:
            header += [f"{column.name}.diff", f"{column.name}.p_holm"]
    writer.writerow(header)
    for row in table.rows:
        record: list[str | int | float] = [row.system, row.failures]
        for column in table.columns:
            cell = row.cells[column.name]
            record += [
                "" if cell.mean is None else cell.mean,
                "" if cell.half_width is None else cell.half_width,
                cell.n,
            ]
        if compare:
            for column in table.columns:
                comparison = row.comparisons.get(column.name)
                if comparison is None:
                    record += ["", ""]
                else:
                    record += [
                        "" if comparison.diff is None else comparison.diff,
                        "" if comparison.p_holm is None else comparison.p_holm,
                    ]
        writer.writerow(record)
    return buffer.getvalue()


def to_rich(table: ComparisonTable) -> Group:
    """The same numbers for the terminal: one small table per metric (rows are
    systems), so that wide runs stay readable in 80 columns. Best values are
    bold green."""
    by_metric: dict[str, list[Column]] = {}
    for column in table.columns:
        by_metric.setdefault(column.name.split(".", 1)[0], []).append(column)
    what = (
        f"mean ± {format_confidence(table.confidence)} CI half-width"
        if _shows_ci(table)
        else "mean"
    )
    # names from the data go in as Text, never as markup: rich's escape() doubles a
    # trailing backslash, so a name ending in one showed two
    parts: list[Table | Text] = [
        Text.assemble(
            (table.name, "bold"),
            f" — {table.n_examples} examples; {what}; ↑/↓ higher/lower is better; ",
            ("best", "bold green"),
            " per column",
        )
    ]
    for metric_name, columns in by_metric.items():
        title = Text(table.metric_labels.get(metric_name, metric_name))
        rich_table = Table(title=title, title_justify="left", title_style="bold")
        rich_table.add_column("system", style="bold")
        rich_table.add_column("n", justify="right")
        rich_table.add_column("fail", justify="right")
        for column in columns:
            label = column.short + direction_arrow(column.higher_is_better)
            rich_table.add_column(Text(label), justify="right")
        for row in table.rows:
            counts = [row.cells[column.name].n for column in columns]
            cells = [Text(row.shown), Text(str(max(counts, default=0))), Text(str(row.failures))]
            for column in columns:
                cell = row.cells[column.name]
                cells.append(Text(format_cell(cell), "bold green" if cell.best else ""))
            rich_table.add_row(*cells)
        parts.append(rich_table)
    if table.meta is not None:
        parts.append(meta_rich(table.meta))
    return Group(*parts)


__all__ = [
    "comparison_legend",
    "escape_markdown",
    "format_number",
    "to_csv",
    "to_markdown",
    "to_rich",
    "too_few_pairs_note",
]
