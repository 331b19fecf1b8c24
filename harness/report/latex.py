"""Render the comparison table as a LaTeX booktabs table, ready for ``\\input{}``.

The output is one ``table`` float: a two-level header (metric over value
names, each with its direction arrow), one row per system with ``mean $\\pm$
CI half-width``, the best mean of each column in bold, and ``$^{*}$`` on the
cells that differ significantly from the baseline (when results.json has
comparisons). It needs only ``\\usepackage{booktabs}`` in the preamble. Every
name from the data (run, systems, metrics, values) is escaped.
"""

from __future__ import annotations

import re

from harness.report.table import Cell, Column, ComparisonTable, format_number

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # OT1-encoded fonts print these as other glyphs (¡, ¿, —) in text mode
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(char) for char in _SPECIALS))
# Line breaks would end a table row's source line (two make a paragraph, an error inside
# a tabular cell) and TeX rejects other control characters: all become one space.
_BREAKS_RE = re.compile("(?:\r\n|[\x00-\x1f\x7f-\x9f\u2028\u2029])+")

SIGNIFICANT_MARK = "$^{*}$"


def escape_latex(text: str) -> str:
    r"""Escape text for LaTeX text mode; line breaks and control characters become a space.

    >>> print(escape_latex("R&D 100% $5 #1 a_b {x} ~ ^ \\"))
    R\&D 100\% \$5 \#1 a\_b \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{}
    >>> print(escape_latex("two\n\nlines"))
    two lines
    """
    flat = _BREAKS_RE.sub(" ", text)
    return _SPECIAL_RE.sub(lambda match: _SPECIALS[match.group(0)], flat)


def _label(name: str) -> str:
    # \label keys may not contain specials; keep them readable and stable.
    return "tab:" + (re.sub(r"[^A-Za-z0-9:.-]+", "-", name).strip("-") or "results")


def _number(value: float | None) -> str:
    text = format_number(value)
    if value is None:
        return "--"
    return "$-$" + text[1:] if text.startswith("-") else text


def _arrow(higher_is_better: bool | None) -> str:
    return {True: r" $\uparrow$", False: r" $\downarrow$", None: ""}[higher_is_better]


def _cell(cell: Cell, significant: bool) -> str:
    text = _number(cell.mean)
    if cell.best:
        text = rf"\textbf{{{text}}}"
    if cell.mean is not None and cell.half_width is not None and cell.n > 1:
        text += rf" $\pm$ {_number(cell.half_width)}"
    if significant and cell.mean is not None:
        text += SIGNIFICANT_MARK
    return text


def _groups(columns: list[Column]) -> list[tuple[str, list[Column]]]:
    groups: list[tuple[str, list[Column]]] = []
    for column in columns:
        metric = column.name.split(".", 1)[0]
        if groups and groups[-1][0] == metric:
            groups[-1][1].append(column)
        else:
            groups.append((metric, [column]))
    return groups


def _caption(table: ComparisonTable) -> str:
    parts = [
        f"{escape_latex(table.name)}: mean $\\pm$ half-width of the "
        f"{table.confidence * 100:g}\\% bootstrap confidence interval over "
        f"{table.n_examples} examples.",
        r"$\uparrow$/$\downarrow$: higher/lower is better; bold: best in column.",
    ]
    if table.has_comparisons:
        alpha = f" at $\\alpha = {table.alpha:g}$" if table.alpha is not None else ""
        parts.append(
            f"{SIGNIFICANT_MARK}: differs significantly from the baseline "
            f"\\emph{{{escape_latex(table.baseline or '')}}} "
            f"(paired test, Holm-corrected{alpha})."
        )
    return " ".join(parts)


def to_latex(table: ComparisonTable) -> str:
    r"""A booktabs ``table`` float for ``\input{report.tex}``.

    Args:
        table: The comparison table of a run.

    Returns:
        LaTeX source; needs ``\usepackage{booktabs}``. A wide table can be
        wrapped in ``\resizebox{\linewidth}{!}{...}`` (graphicx) by the paper.
    """
    groups = _groups(table.columns)
    with_failures = any(row.failures for row in table.rows)
    lead = 2 if with_failures else 1
    spec = "l" + ("r" if with_failures else "") + "r" * len(table.columns)
    top = ["", *([""] if with_failures else [])]
    rules = []
    start = lead + 1
    for metric, columns in groups:
        top.append(rf"\multicolumn{{{len(columns)}}}{{c}}{{{escape_latex(metric)}}}")
        rules.append(rf"\cmidrule(lr){{{start}-{start + len(columns) - 1}}}")
        start += len(columns)
    second = ["System", *(["Fail."] if with_failures else [])]
    for column in table.columns:
        short = column.name.split(".", 1)[1] if "." in column.name else column.name
        second.append(escape_latex(short) + _arrow(column.higher_is_better))
    lines = [
        f"% {table.name!r}: comparison table written by harness from results.json.",
        r"% Needs \usepackage{booktabs}. Include with \input{report.tex}.",
        r"\begin{table}[t]",
        r"\centering",
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        " & ".join(top) + r" \\",
        " ".join(rules),
        " & ".join(second) + r" \\",
        r"\midrule",
    ]
    for row in table.rows:
        cells = [escape_latex(row.system), *([str(row.failures)] if with_failures else [])]
        for column in table.columns:
            comparison = row.comparisons.get(column.name)
            significant = (
                row.system != table.baseline and comparison is not None and comparison.significant
            )
            cells.append(_cell(row.cells[column.name], significant))
        lines.append(" & ".join(cells) + r" \\")
    lines += [
        r"\bottomrule",
        r"\end{tabular}",
        rf"\caption{{{_caption(table)}}}",
        rf"\label{{{_label(table.name)}}}",
        r"\end{table}",
    ]
    return "\n".join(lines) + "\n"


__all__ = ["SIGNIFICANT_MARK", "escape_latex", "to_latex"]
