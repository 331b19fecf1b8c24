"""The table over several runs as a booktabs LaTeX float."""

from __future__ import annotations

from collections.abc import Sequence

from harness.report.latex import (
    SIGNIFICANT_MARK,
    align_numbers,
    escape_latex,
    fit_to_width,
    lost_mark,
)
from harness.report.multirun._text import _header_names, _legend
from harness.report.multirun.table import MISSING, MultiTable, RunGroup
from harness.report.table import Column


def _latex_column(
    table: MultiTable, group: RunGroup, column: Column
) -> tuple[list[str], list[str]]:
    """One column's mean line and CI line per system, decimal points aligned."""
    cells = [group.cell(system, column.name) for system, _ in table.systems]
    means = align_numbers(
        [None if c is None else c.mean for c in cells],
        [None if c is None else c.digits for c in cells],
        [c is not None and c.best for c in cells],
    )
    marks = [
        c is not None and c.mean is not None and group.significant(system, column.name)
        for c, (system, _) in zip(cells, table.systems, strict=True)
    ]
    halves = align_numbers(
        [None if c is None or c.n < 2 or c.mean is None else c.half_width for c in cells],
        [None if c is None else c.digits for c in cells],
        [False] * len(cells),
        drop_zero=True,  # "±.012": the CI line is then no wider than the mean above it
    )
    # a mean that leaves out failed examples says so (as report.tex does); the other
    # cells of the column, and the CI lines, keep the widest mark's room
    lost = [
        lost_mark(c.lost) + (rf"$^{{n={k}}}$" if k is not None else "")
        if c is not None and c.mean is not None
        else ""
        for c, k in zip(
            cells, [group.fewer(system, column.name) for system, _ in table.systems], strict=True
        )
    ]
    widest = _phantom(max(lost, key=len, default=""))
    mean_line, ci_line = [], []
    for cell, mean, half, mark, dagger in zip(cells, means, halves, marks, lost, strict=True):
        if cell is None:
            mean_line.append(MISSING.replace("–", "--"))
            ci_line.append("")
            continue
        pad = SIGNIFICANT_MARK if mark else rf"\phantom{{{SIGNIFICANT_MARK}}}" if any(marks) else ""
        mean_line.append("---" if cell.mean is None else mean + pad + (dagger or widest))
        ci_line.append(
            "" if half == "--" else rf"{{\scriptsize$\pm${half}}}" + _pad_mark(marks) + widest
        )
    return mean_line, ci_line


def _phantom(text: str) -> str:
    return rf"\phantom{{{text}}}" if text else ""


def _comment(text: str) -> str:
    # A line break in a name or path would end the comment and leave the rest as LaTeX.
    return "% " + " ".join(text.splitlines())


def _raised_arrow(higher_is_better: bool | None) -> str:
    # Headers are the widest part of a column of numbers: a raised arrow takes half the room.
    return {True: r"$^{\uparrow}$", False: r"$^{\downarrow}$", None: ""}[higher_is_better]


def _pad_mark(marks: Sequence[bool]) -> str:
    # The CI line keeps the mark's room too, so the two lines' points stay one above the other.
    return rf"\phantom{{{SIGNIFICANT_MARK}}}" if any(marks) else ""


def to_latex_multi(table: MultiTable) -> str:
    r"""A booktabs ``table`` float: one ``\multicolumn`` header per run, the CI under each mean.

    Needs ``\usepackage{booktabs}``; with graphicx loaded, a table wider than
    the text is shrunk to ``\linewidth`` (a narrower one keeps its size).
    """
    width = len(table.columns)
    spec = "l" + "r" * width * len(table.groups)
    top, rules = [""], []
    for index, group in enumerate(table.groups):
        first = 2 + index * width
        top.append(rf"\multicolumn{{{width}}}{{c}}{{{escape_latex(group.name)}}}")
        rules.append(rf"\cmidrule(lr){{{first}-{first + width - 1}}}")
    second = ["System"]
    for _ in table.groups:
        second += [
            escape_latex(name) + _raised_arrow(column.higher_is_better)
            for column, name in zip(table.columns, _header_names(table.columns), strict=True)
        ]
    columns = [_latex_column(table, g, c) for g in table.groups for c in table.columns]
    tabular = [
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        " & ".join(top) + r" \\",
        " ".join(rules),
        " & ".join(second) + r" \\",
        r"\midrule",
    ]
    for index, (_, shown) in enumerate(table.systems):
        tabular.append(" & ".join([escape_latex(shown), *(c[0][index] for c in columns)]) + r" \\")
        if table.ci and any(c[1][index] for c in columns):
            tabular.append(" & ".join(["", *(c[1][index] for c in columns)]) + r" \\[2pt]")
    tabular += [r"\bottomrule", r"\end{tabular}"]
    legend = escape_latex(_legend(table, markdown=False))
    legend = legend.replace("↑/↓", r"$\uparrow$/$\downarrow$").replace("±", r"$\pm$")
    legend = legend.replace("†N", r"$^{\dagger N}$").replace(" N examples", " $N$ examples")
    legend = legend.replace("(n=K)", r"$^{n=K}$").replace(" K examples", " $K$ examples")
    legend = legend.replace(" * =", f" {SIGNIFICANT_MARK} =").replace("–", "--").replace("—", "---")
    lines = [
        "% Table over several runs written by harness (`harness table`) from their results.json:",
        *(_comment(f"  {group.name!r}: {group.path}") for group in table.groups),
        *(_comment(f"warning: {warning}") for warning in table.warnings),
        r"% Needs \usepackage{booktabs} (and graphicx to shrink a table wider than the text).",
        r"\begin{table}[t]",
        r"\centering",
        # Twelve number columns (4 values, 3 runs) fit a one-column article at this size.
        r"\footnotesize",
        r"\setlength{\tabcolsep}{3pt}",
        *fit_to_width(tabular),
        rf"\caption{{{legend}}}",
        r"\label{tab:harness-runs}",
        r"\end{table}",
    ]
    return "\n".join(lines) + "\n"
