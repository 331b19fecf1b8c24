"""Render the comparison table as a LaTeX booktabs table, ready for ``\\input{}``.

The output is one ``table`` float: a two-level header (metric over value
names, each with its direction arrow), one row per system with ``mean $\\pm$
CI half-width``, the best mean of each column in bold, and ``$^{*}$`` on the
cells that differ significantly from the baseline (when results.json has
comparisons), and ``$^{\\dagger N}$`` on a mean that leaves out N examples the
system failed. It needs only ``\\usepackage{booktabs}`` in the preamble. Every
name from the data (run, systems, metrics, values) is escaped.

Decimal points line up in every column without siunitx: numbers are padded
with ``\\phantom`` digits and signs, a bold (best) number's width is reserved
in the other cells of its column, and cells without a CI or a ``*`` keep the
room of those. A table wider than the text is shrunk to ``\\linewidth`` (with
graphicx's ``\\resizebox`` when the paper loads graphicx; a narrower one is
left at its natural size), so it never overflows the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from harness.report.table import (
    Cell,
    Column,
    ComparisonTable,
    comparison_notes,
    format_value,
    shows_ci,
)

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
    # TeX's ligatures would print a backtick or quote as a curly quote, "--" as a dash
    # and ",," as a low quote: each is kept as typed
    "`": r"\textasciigrave{}",
    "'": r"\textquotesingle{}",
}
_LIGATURE_STARTS = {"-": "-{}", ",": ",{}"}
# Invisible format characters (Unicode category Cf: bidi overrides and isolates,
# zero-width spaces and joiners, BOM, soft hyphen, tags): pdflatex stops at each one
# ("Unicode character not set up for use with LaTeX"), and a bidi override would
# reorder the text around it. Each is shown as its code point, <U+202E>.
_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_SPECIAL_RE = re.compile(
    "|".join(re.escape(char) for char in _SPECIALS) + f"|[{_INVISIBLE}]|-(?=-)|,(?=,)"
)


def _escape_one(char: str) -> str:
    special = _SPECIALS.get(char) or _LIGATURE_STARTS.get(char)
    return special if special is not None else rf"\textless{{}}U+{ord(char):04X}\textgreater{{}}"


# Line breaks would end a table row's source line (two make a paragraph, an error inside
# a tabular cell) and TeX rejects other control characters: all become one space.
_BREAKS_RE = re.compile("(?:\r\n|[\x00-\x1f\x7f-\x9f\u2028\u2029])+")

SIGNIFICANT_MARK = "$^{*}$"


def escape_latex(text: str) -> str:
    r"""Escape text for LaTeX text mode; line breaks and control characters become a space.

    An invisible format character (a bidi override, a zero-width space) is shown
    as its code point: pdflatex cannot typeset one.

    >>> print(escape_latex("R&D 100% $5 #1 a_b {x} ~ ^ \\"))
    R\&D 100\% \$5 \#1 a\_b \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{}
    >>> print(escape_latex("two\n\nlines"))
    two lines
    >>> print(escape_latex("bart--large `v2' ,,x"))
    bart-{}-large \textasciigrave{}v2\textquotesingle{} ,{},x
    >>> print(escape_latex("lead\u202eeno\u200b"))
    lead\textless{}U+202E\textgreater{}eno\textless{}U+200B\textgreater{}
    """
    flat = _BREAKS_RE.sub(" ", text)
    return _SPECIAL_RE.sub(lambda match: _escape_one(match.group(0)), flat)


def _label(name: str) -> str:
    # \label keys may not contain specials; keep them readable and stable.
    return "tab:" + (re.sub(r"[^A-Za-z0-9:.-]+", "-", name).strip("-") or "results")


def arrow(higher_is_better: bool | None) -> str:
    r"""`` $\uparrow$`` / `` $\downarrow$`` after a value's name, or nothing."""
    return {True: r" $\uparrow$", False: r" $\downarrow$", None: ""}[higher_is_better]


@dataclass(frozen=True)
class _Split:
    """A formatted number cut at its decimal point: ``-12.345`` → ``-``, ``12``, ``.345``."""

    sign: str
    integer: str
    fraction: str


def _split(text: str) -> _Split:
    sign = "-" if text.startswith("-") else ""
    integer, dot, fraction = text.removeprefix("-").partition(".")
    return _Split(sign, integer, dot + fraction)


def _phantom(text: str) -> str:
    return rf"\phantom{{{text}}}" if text else ""


def align_numbers(
    values: Sequence[float | None],
    digits: Sequence[int | None],
    bold: Sequence[bool],
    *,
    drop_zero: bool = False,
) -> list[str]:
    r"""One column's numbers, padded so that their decimal points line up.

    Every number gets the column's widest integer part and fraction (padding
    is ``\phantom`` zeros and signs); in a column with a bold number, the others
    reserve the bold width on both sides of their point. ``None`` is ``--``.
    With ``drop_zero``, a column whose numbers are all below 1 leaves out the
    leading ``0`` (``.012``), as papers do for small CI half-widths.

    >>> align_numbers([0.5, -12.25, None], [1, 2, None], [False, False, False])
    ['\\phantom{0}\\phantom{$-$}0.5\\phantom{0}', '$-$12.25', '--']
    """
    texts = [None if v is None else format_value(v, d) for v, d in zip(values, digits, strict=True)]
    parts = [None if text is None else _split(text) for text in texts]
    present = [part for part in parts if part is not None]
    if drop_zero and present and all(p.integer == "0" and not p.sign for p in present):
        parts = [None if part is None else _Split("", "", part.fraction) for part in parts]
        present = [part for part in parts if part is not None]
    negative = any(part.sign for part in present)
    int_width = max((len(part.integer) for part in present), default=0)
    frac_width = max((len(part.fraction) for part in present), default=0)
    any_bold = any(b for b, part in zip(bold, parts, strict=True) if part is not None)
    out = []
    for part, is_bold in zip(parts, bold, strict=True):
        if part is None:
            out.append("--")
            continue
        sign = "$-$" if part.sign else _phantom("$-$") if negative else ""
        integer = _phantom("0" * (int_width - len(part.integer))) + sign + part.integer
        missing = frac_width - len(part.fraction)
        pad = ("." if not part.fraction else "") + "0" * (missing - (not part.fraction))
        fraction = part.fraction + _phantom(pad if missing else "")
        if is_bold:
            out.append(rf"\textbf{{{integer}{fraction}}}")
        elif any_bold:
            # The bold digits are wider: keep their room on each side of the point.
            out.append(
                rf"\hphantom{{\textbf{{{integer}}}}}\llap{{{integer}}}"
                rf"\rlap{{{fraction}}}\hphantom{{\textbf{{{fraction}}}}}"
            )
        else:
            out.append(integer + fraction)
    return out


def column_cells(
    cells: Sequence[Cell | None],
    marks: Sequence[bool],
    fewer: Sequence[int | None] | None = None,
) -> list[str]:
    r"""The LaTeX of one column's cells: aligned means, ``$\pm$`` half-widths and ``*`` marks.

    Args:
        cells: The column's cells, top to bottom (``None``: no such system, ``--``).
        marks: Whether each cell gets the significance mark.
        fewer: Each cell's n when it is over fewer examples than its row's
            (`Row.fewer`), marked ``$^{n=K}$``; ``None``: no such marks.
    """
    means = align_numbers(
        [None if c is None else c.mean for c in cells],
        [None if c is None else c.digits for c in cells],
        [c is not None and c.best for c in cells],
    )
    with_ci = [c is not None and shows_ci(c) for c in cells]
    halves = align_numbers(
        [
            c.half_width if c is not None and ci else None
            for c, ci in zip(cells, with_ci, strict=True)
        ],
        [None if c is None else c.digits for c in cells],
        [False] * len(cells),
    )
    widest_half = next((h for h, ci in zip(halves, with_ci, strict=True) if ci), None)
    marked = [m and c is not None and c.mean is not None for c, m in zip(cells, marks, strict=True)]
    lost_marks = _lost_marks(cells, fewer or [None] * len(cells))
    out: list[str] = []
    for cell, mean, half, ci, mark, lost in zip(
        cells, means, halves, with_ci, marked, lost_marks, strict=True
    ):
        if cell is None or cell.mean is None:
            out.append("--")
            continue
        text = mean
        if ci:
            text += rf" $\pm$ {half}"
        elif widest_half is not None:
            text += _phantom(rf" $\pm$ {widest_half}")
        if mark:
            text += SIGNIFICANT_MARK
        elif any(marked):
            text += _phantom(SIGNIFICANT_MARK)
        out.append(text + lost)
    return out


def lost_mark(lost: int) -> str:
    r"""The mark on a mean that leaves out ``lost`` failed examples: ``$^{\dagger N}$``."""
    return rf"$^{{\dagger{lost}}}$" if lost else ""


def _lost_marks(cells: Sequence[Cell | None], fewer: Sequence[int | None]) -> list[str]:
    """Each cell's †N and n=K marks; a cell without one keeps the room of the widest
    in its column."""
    marks = [
        lost_mark(c.lost) + (rf"$^{{n={k}}}$" if k is not None else "")
        if c is not None and c.mean is not None
        else ""
        for c, k in zip(cells, fewer, strict=True)
    ]
    widest = max(marks, key=len, default="")
    return [mark or _phantom(widest) for mark in marks]


def fit_to_width(tabular: Sequence[str]) -> list[str]:
    r"""``tabular`` (its lines) set in a box, shrunk to ``\linewidth`` only when wider.

    The shrinking needs graphicx (``\resizebox``); without it the table keeps
    its natural width. The box register is allocated once per document.
    """
    return [
        r"\ifdefined\harnesstablebox\else\newsavebox{\harnesstablebox}\fi",
        r"\sbox{\harnesstablebox}{%",
        *tabular,
        r"}%",
        r"\ifdim\wd\harnesstablebox>\linewidth",
        r"\ifdefined\resizebox\resizebox{\linewidth}{!}{\usebox{\harnesstablebox}}%",
        r"\else\usebox{\harnesstablebox}\fi",
        r"\else\usebox{\harnesstablebox}\fi",
    ]


def _groups(columns: list[Column]) -> list[tuple[str, list[Column]]]:
    groups: list[tuple[str, list[Column]]] = []
    for column in columns:
        metric = column.name.split(".", 1)[0]
        if groups and groups[-1][0] == metric:
            groups[-1][1].append(column)
        else:
            groups.append((metric, [column]))
    return groups


def _shows_ci(table: ComparisonTable) -> bool:
    return any(shows_ci(cell) for row in table.rows for cell in row.cells.values())


def _caption(table: ComparisonTable) -> str:
    what = (
        f"mean $\\pm$ half-width of the {table.confidence * 100:g}\\% bootstrap confidence interval"
        if _shows_ci(table)
        else "mean"
    )
    parts = [
        f"{escape_latex(table.name)}: {what} over {table.n_examples} examples.",
        r"$\uparrow$/$\downarrow$: higher/lower is better; bold: best in column.",
    ]
    if table.has_lost_means:
        parts.append(
            r"$^{\dagger N}$: the mean leaves out $N$ examples the system failed (failed "
            "generations, empty summaries, items its metric raised on), so it is never bold "
            "above a system scored on them."
        )
    if table.has_fewer_means:
        parts.append(
            r"$^{n=K}$: the mean is over $K$ examples, fewer than the others of its row: "
            "the rest have no such value (no reference, no quantity to check)."
        )
    if table.has_comparisons:
        alpha = f" at $\\alpha = {table.alpha:g}$" if table.alpha is not None else ""
        parts.append(
            f"{SIGNIFICANT_MARK}: differs significantly from the baseline "
            f"\\emph{{{escape_latex(table.baseline_shown)}}} "
            f"(paired test, Holm-corrected{alpha})."
        )
        # the level as a number: the notes then need no math mode (nor a Unicode α)
        level = "" if table.alpha is None else f"{table.alpha:g}"
        parts += [escape_latex(note) for note in comparison_notes(table, level)]
    return " ".join(parts)


def to_latex(table: ComparisonTable) -> str:
    r"""A booktabs ``table`` float for ``\input{report.tex}``.

    Args:
        table: The comparison table of a run (after `harness.report.table.select`,
            its labels, digits and CI choice show).

    Returns:
        LaTeX source; needs ``\usepackage{booktabs}``. With graphicx loaded, a
        table wider than the text is shrunk to ``\linewidth``.
    """
    groups = _groups(table.columns)
    with_failures = any(row.failures for row in table.rows)
    lead = 2 if with_failures else 1
    spec = "l" + ("r" if with_failures else "") + "r" * len(table.columns)
    top = ["", *([""] if with_failures else [])]
    rules = []
    start = lead + 1
    for metric, columns in groups:
        title = escape_latex(table.metric_labels.get(metric, metric))
        top.append(rf"\multicolumn{{{len(columns)}}}{{c}}{{{title}}}")
        rules.append(rf"\cmidrule(lr){{{start}-{start + len(columns) - 1}}}")
        start += len(columns)
    second = ["System", *(["Fail."] if with_failures else [])]
    second += [
        escape_latex(column.short) + arrow(column.higher_is_better) for column in table.columns
    ]
    by_column = []
    for column in table.columns:
        marks = []
        for row in table.rows:
            comparison = row.comparisons.get(column.name)
            marks.append(
                row.system != table.baseline and comparison is not None and comparison.significant
            )
        by_column.append(
            column_cells(
                [row.cells[column.name] for row in table.rows],
                marks,
                [row.fewer(column.name) for row in table.rows],
            )
        )
    tabular = [
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        " & ".join(top) + r" \\",
        " ".join(rules),
        " & ".join(second) + r" \\",
        r"\midrule",
    ]
    for index, row in enumerate(table.rows):
        cells = [escape_latex(row.shown), *([str(row.failures)] if with_failures else [])]
        cells += [column[index] for column in by_column]
        tabular.append(" & ".join(cells) + r" \\")
    tabular += [r"\bottomrule", r"\end{tabular}"]
    lines = [
        f"% {table.name!r}: comparison table written by harness from results.json.",
        r"% Needs \usepackage{booktabs} (and graphicx to shrink a table wider than the text).",
        r"% Include with \input{report.tex}.",
        r"\begin{table}[t]",
        r"\centering",
        *fit_to_width(tabular),
        rf"\caption{{{_caption(table)}}}",
        rf"\label{{{_label(table.name)}}}",
        r"\end{table}",
    ]
    return "\n".join(lines) + "\n"


__all__ = [
    "SIGNIFICANT_MARK",
    "align_numbers",
    "arrow",
    "column_cells",
    "escape_latex",
    "fit_to_width",
    "to_latex",
]
