r"""One table over several runs (``harness table RUN_DIR...``): a paper's "Table 1".

Rows are systems, column groups are runs (each named by its results.json
``name``), cells are the chosen values of each run with their CIs. The best
mean of each column is bold among the systems shown of that run; a system a
run lacks shows "–". Like every report it reads run directories only (their
results.json and manifest.json) and never recomputes a score.

Three formats carry the same content: Markdown, CSV (one row per run, system
and value, with mean, CI bounds and n, for plotting) and LaTeX (booktabs,
``\multicolumn`` run headers, decimal points aligned with ``\phantom``
padding, the CI half-width under each mean, shrunk to ``\linewidth`` only
when wider than the text).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from harness.config import ReportConfig
from harness.errors import ConfigError, HarnessError
from harness.report import load_table
from harness.report.latex import SIGNIFICANT_MARK, align_numbers, escape_latex, fit_to_width
from harness.report.table import (
    Cell,
    Column,
    ComparisonTable,
    Row,
    direction_arrow,
    escape_markdown,
    format_cell,
    mark_best,
)
from harness.store import MANIFEST_FILE, RunDir

#: What a cell of a system that a run lacks shows.
MISSING = "–"


@dataclass(frozen=True)
class RunGroup:
    """One run's column group.

    Attributes:
        name: The header (the run's ``name``, or its label).
        key: The run's ``name`` (with its folder's name when two runs share
            one): what the CSV calls the run.
        path: The run directory.
        table: The run's table, with the chosen values it has and the chosen
            systems it has; best marked among those systems.
        metrics: Each metric's fingerprint from manifest.json (empty when unknown).
    """

    name: str
    key: str
    path: Path
    table: ComparisonTable
    metrics: dict[str, Any]

    def cell(self, system: str, value: str) -> Cell | None:
        """The cell of ``system`` and ``value``; ``None`` when the run lacks either."""
        row = next((row for row in self.table.rows if row.system == system), None)
        return None if row is None else row.cells.get(value)

    def significant(self, system: str, value: str) -> bool:
        """Whether ``system`` differs significantly from this run's baseline on ``value``."""
        if system == self.table.baseline:
            return False
        row = next((row for row in self.table.rows if row.system == system), None)
        comparison = None if row is None else row.comparisons.get(value)
        return comparison is not None and comparison.significant


@dataclass(frozen=True)
class MultiTable:
    """The table over several runs, ready for every format.

    Attributes:
        groups: One per run, in the order given.
        columns: The chosen values (labels applied), the same in every group.
        systems: The rows: ``(system name, shown name)``.
        warnings: Sentences about what might mislead a reader (different
            metric versions across runs, a value a run lacks).
        ci: Whether cells show the CI half-width.
    """

    groups: list[RunGroup]
    columns: list[Column]
    systems: list[tuple[str, str]]
    warnings: list[str]
    ci: bool

    @property
    def has_significance(self) -> bool:
        """Whether any cell carries a significance mark."""
        return any(
            group.significant(system, column.name)
            for group in self.groups
            for system, _ in self.systems
            for column in self.columns
        )


def _fingerprints(run_dir: RunDir) -> dict[str, Any]:
    # A re-scored run's metrics are the ones in "rescored"; older runs may lack a manifest.
    try:
        manifest: Any = run_dir.read_json(MANIFEST_FILE)
    except HarnessError:
        return {}
    if not isinstance(manifest, dict):
        return {}
    found: dict[str, Any] = {}
    for section in (manifest.get("components"), manifest.get("rescored")):
        metrics = section.get("metrics") if isinstance(section, dict) else None
        if isinstance(metrics, dict):
            found.update(metrics)
    return found


def _did_you_mean(name: str, known: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? " if close else ""


def _check(names: Sequence[str] | None, known: Sequence[str], flag: str, kind: str) -> None:
    seen: set[str] = set()
    for name in names or []:
        if name in seen:
            raise ConfigError(f"{flag}: {name!r} is listed twice", hint="list each name once")
        seen.add(name)
        if name not in known:
            raise ConfigError(
                f"{flag}: {name!r} is not a {kind} of any of the runs; "
                f"{_did_you_mean(name, known)}{kind}s: {', '.join(known)}",
                hint=f"name {kind}s as the runs' report.md shows them",
            )


def _group_names(tables: Sequence[ComparisonTable], paths: Sequence[Path]) -> list[str]:
    names = [table.name for table in tables]
    # Two runs of one config share a name: tell them apart by their folders.
    return [
        name if names.count(name) == 1 else f"{name} ({path.name})"
        for name, path in zip(names, paths, strict=True)
    ]


def _describe(fingerprint: Any) -> str:
    if not isinstance(fingerprint, dict):
        return "unknown"
    text = f"version {fingerprint.get('version')}"
    if fingerprint.get("params"):
        text += f" {json.dumps(fingerprint['params'], sort_keys=True)}"
    if fingerprint.get("model"):
        text += f" model {fingerprint['model']}"
    return text


def _version_warnings(groups: Sequence[RunGroup], columns: Sequence[Column]) -> list[str]:
    warnings = []
    metrics = list(dict.fromkeys(column.name.split(".", 1)[0] for column in columns))
    for metric in metrics:
        seen = {group.name: group.metrics[metric] for group in groups if metric in group.metrics}
        if len({json.dumps(fp, sort_keys=True) for fp in seen.values()}) > 1:
            each = "; ".join(f"{name}: {_describe(fp)}" for name, fp in seen.items())
            warnings.append(
                f"metric {metric!r} differs between the runs (its fingerprint in manifest.json): "
                f"{each}; its columns are not comparable across runs"
            )
    return warnings


def _digits(choice: ReportConfig, value: str) -> int | None:
    if isinstance(choice.digits, dict):
        return choice.digits.get(value)
    return choice.digits


def _restrict(
    table: ComparisonTable, columns: Sequence[Column], systems: Sequence[str], choice: ReportConfig
) -> ComparisonTable:
    names = [column.name for column in columns]
    by_system = {row.system: row for row in table.rows}
    rows: list[Row] = []
    for system in systems:
        row = by_system.get(system)
        if row is None:
            continue
        cells = {
            name: replace(row.cells[name], digits=_digits(choice, name), show_ci=choice.ci)
            for name in names
            if name in row.cells
        }
        comparisons = (
            {name: row.comparisons[name] for name in names if name in row.comparisons}
            if choice.significance
            else {}
        )
        rows.append(replace(row, cells=cells, comparisons=comparisons))
    kept = [column for column in table.columns if column.name in names]
    return replace(table, columns=kept, rows=mark_best(rows, kept))


def build_multi(run_dirs: Sequence[Path], choice: ReportConfig) -> MultiTable:
    """Read the runs and choose what the table shows.

    Args:
        run_dirs: Run directories, one column group each, in this order.
        choice: ``values`` (default: the values every run has, in the first
            run's order), ``systems`` (default: every system, in order of
            first appearance), ``labels`` (of values, systems, metrics or
            runs), ``digits``, ``ci`` and ``significance``.

    Raises:
        ConfigError: A chosen name is in none of the runs, or no value is common.
        StoreError: A folder is not a run directory.
    """
    if not run_dirs:
        raise ConfigError("give at least one run directory", hint="harness table RUN_DIR...")
    tables = [load_table(RunDir(path)) for path in run_dirs]
    names = _group_names(tables, run_dirs)
    known_values = list(dict.fromkeys(c.name for t in tables for c in t.columns))
    known_systems = list(dict.fromkeys(r.system for t in tables for r in t.rows))
    _check(choice.values, known_values, "--values", "value")
    _check(choice.systems, known_systems, "--systems", "system")
    metrics = list(dict.fromkeys(name.split(".", 1)[0] for name in known_values))
    labelled = list(dict.fromkeys([*known_values, *known_systems, *metrics, *names]))
    for name in choice.labels:
        _check([name], labelled, "--label", "value, system, metric or run")
    if isinstance(choice.digits, dict):
        _check(list(choice.digits), known_values, "--digits", "value")
    values = choice.values or [
        name for name in known_values if all(name in {c.name for c in t.columns} for t in tables)
    ]
    if not values:
        raise ConfigError(
            "the runs have no metric value in common",
            hint=f"choose values with --values (the runs' values: {', '.join(known_values)})",
        )
    by_name = {c.name: c for t in tables for c in t.columns}
    columns = [replace(by_name[name], label=choice.labels.get(name)) for name in values]
    systems = choice.systems or known_systems
    warnings = []
    groups = []
    for table, name, path in zip(tables, names, run_dirs, strict=True):
        have = {column.name for column in table.columns}
        for value in values:
            if value not in have:
                warnings.append(f"run {name!r} ({path}) has no value {value!r}: its cells show –")
        groups.append(
            RunGroup(
                name=choice.labels.get(name, name),
                key=name,
                path=path,
                table=_restrict(table, columns, systems, choice),
                metrics=_fingerprints(RunDir(path)),
            )
        )
    return MultiTable(
        groups=groups,
        columns=columns,
        systems=[(system, choice.labels.get(system, system)) for system in systems],
        warnings=_version_warnings(groups, columns) + warnings,
        ci=choice.ci,
    )


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
                cells.append(f"**{text}**" if cell.best else text)
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", _legend(table, markdown=True), ""]
    lines += [
        f"- {escape_markdown(g.name)}: `{g.path}` ({g.table.n_examples} examples)"
        for g in table.groups
    ]
    return "\n".join(lines) + "\n"


def to_csv_multi(table: MultiTable) -> str:
    """One row per (run, system, value): ``run, system, value, mean, ci_low, ci_high, n``.

    Names are the runs' own (not labels; a run whose name another run shares
    has its folder's name added), numbers in full precision; a system
    a run lacks has its row with empty numbers, an undefined mean an empty one.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["run", "system", "value", "mean", "ci_low", "ci_high", "n"])
    for group in table.groups:
        for system, _ in table.systems:
            for column in table.columns:
                cell = group.cell(system, column.name)
                if cell is None:
                    writer.writerow([group.key, system, column.name, "", "", "", ""])
                    continue
                writer.writerow(
                    [
                        group.key,
                        system,
                        column.name,
                        *("" if x is None else x for x in (cell.mean, cell.ci_low, cell.ci_high)),
                        cell.n,
                    ]
                )
    return buffer.getvalue()


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
    mean_line, ci_line = [], []
    for cell, mean, half, mark in zip(cells, means, halves, marks, strict=True):
        if cell is None:
            mean_line.append(MISSING.replace("–", "--"))
            ci_line.append("")
            continue
        pad = SIGNIFICANT_MARK if mark else rf"\phantom{{{SIGNIFICANT_MARK}}}" if any(marks) else ""
        mean_line.append("---" if cell.mean is None else mean + pad)
        ci_line.append("" if half == "--" else rf"{{\scriptsize$\pm${half}}}" + _pad_mark(marks))
    return mean_line, ci_line


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


__all__ = [
    "MISSING",
    "MultiTable",
    "RunGroup",
    "build_multi",
    "to_csv_multi",
    "to_latex_multi",
    "to_markdown_multi",
]
