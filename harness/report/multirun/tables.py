"""The table over several runs as Markdown and as CSV."""

from __future__ import annotations

import csv
import io

from harness.report.multirun._text import _header_names, _legend
from harness.report.multirun.table import MISSING, MultiTable
from harness.report.table import direction_arrow, escape_markdown, format_cell, markdown_code


def to_markdown_multi(table: MultiTable) -> str:
    """The table as GitHub-flavoured Markdown (headers ``run: value``), with a legend."""
    headers = ["system"]
    for group in table.groups:
        for column, short in zip(table.columns, _header_names(table.columns), strict=True):
            headers.append(f"{group.name}: {short}{direction_arrow(column.higher_is_better)}")
    lines = [
        "| " + " | ".join(escape_markdown(h) for h in headers) + " |",
        "|" + "|".join(["---"] + ["--:"] * (len(headers) - 1)) + "|",
    ]
    for system, shown in table.systems:
        cells = [escape_markdown(shown)]
        for group in table.groups:
            for column in table.columns:
                cell = group.cell(system, column.name)
                if cell is None:
                    cells.append(MISSING)
                    continue
                text = format_cell(cell)
                if cell.mean is not None and group.significant(system, column.name):
                    text += "*"
                if cell.mean is not None and cell.lost:
                    text += f" †{cell.lost}"
                fewer = group.fewer(system, column.name)
                if fewer is not None:
                    text += f" (n={fewer})"
                cells.append(f"**{text}**" if cell.best else text)
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", _legend(table, markdown=True), ""]
    lines += [
        f"- {escape_markdown(g.name)}: {markdown_code(str(g.path))} ({g.table.n_examples} examples)"
        for g in table.groups
    ]
    return "\n".join(lines) + "\n"


def to_csv_multi(table: MultiTable) -> str:
    """One row per (run, system, value): ``run, system, value, mean, ci_low, ci_high, n,
    lost`` (examples left out by failed generations, empty summaries or metric errors).

    Names are the runs' own (not labels; a run whose name another run shares
    has its folder's name added), numbers in full precision; a system
    a run lacks has its row with empty numbers, an undefined mean an empty one.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["run", "system", "value", "mean", "ci_low", "ci_high", "n", "lost"])
    for group in table.groups:
        for system, _ in table.systems:
            for column in table.columns:
                cell = group.cell(system, column.name)
                if cell is None:
                    writer.writerow([group.key, system, column.name, "", "", "", "", ""])
                    continue
                writer.writerow(
                    [
                        group.key,
                        system,
                        column.name,
                        *("" if x is None else x for x in (cell.mean, cell.ci_low, cell.ci_high)),
                        cell.n,
                        cell.lost,
                    ]
                )
    return buffer.getvalue()
