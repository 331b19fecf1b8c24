"""The comparison table every report format renders, built from results.json.

One row per system, one column per metric value. A cell holds the mean, the
CI half-width and n; ``best`` marks the best mean of a column according to the
value's ``higher_is_better`` (descriptive values, whose direction is ``None``,
have no best).

When results.json carries a ``baseline`` and ``comparisons`` (paired tests of
every other system against the baseline), each row also holds one
`Comparison` per value; older runs without them give rows with none.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from harness.config import ReportConfig
from harness.errors import ConfigError

if TYPE_CHECKING:
    from harness.report.meta import MetaTable


@dataclass(frozen=True)
class Cell:
    """One system's aggregate of one value."""

    mean: float | None
    half_width: float | None
    n: int
    nulls: int
    best: bool
    ci_low: float | None = None
    ci_high: float | None = None
    #: Decimals to show (``None``: 3, and 1 from 100 up); set by `select`.
    digits: int | None = None
    #: Whether ``± half-width`` is shown; set by `select`.
    show_ci: bool = True


@dataclass(frozen=True)
class Comparison:
    """A paired comparison of one system with the baseline on one value.

    Attributes:
        n: Examples scored for both systems.
        diff: Mean paired difference, system minus baseline.
        ci_low: Lower bound of the difference's confidence interval.
        ci_high: Upper bound.
        p_value: Unadjusted p-value of the paired test.
        p_holm: Holm-adjusted p-value (over the comparisons of the run).
        significant: Whether the difference is significant after Holm at alpha.
        wins: Examples where the system beats the baseline (by the value's direction).
        ties: Examples where they are equal.
        losses: Examples where the baseline beats the system.
    """

    n: int
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    p_holm: float | None
    significant: bool
    wins: int
    ties: int
    losses: int


@dataclass(frozen=True)
class Column:
    """One metric value, e.g. ``rouge.rouge1``."""

    name: str
    higher_is_better: bool | None
    description: str
    #: Display name (``report.labels``); ``None`` shows the name.
    label: str | None = None

    @property
    def shown(self) -> str:
        """The display name: the label, or the full value name."""
        return self.label or self.name

    @property
    def short(self) -> str:
        """The name under its metric's group header: the label, or the part after the dot."""
        return self.label or (self.name.split(".", 1)[1] if "." in self.name else self.name)


@dataclass(frozen=True)
class Row:
    """One system."""

    system: str
    failures: int
    cells: dict[str, Cell]
    comparisons: dict[str, Comparison] = field(default_factory=dict)
    #: Display name (``report.labels``); ``None`` shows the system name.
    label: str | None = None

    @property
    def shown(self) -> str:
        """The display name: the label, or the system name."""
        return self.label or self.system


@dataclass(frozen=True)
class ComparisonTable:
    """All rows and columns of a run, plus the facts a caption needs."""

    name: str
    n_examples: int
    confidence: float
    columns: list[Column]
    rows: list[Row]
    baseline: str | None = None
    alpha: float | None = None
    meta: MetaTable | None = None
    #: Display names of metrics (group headers), from ``report.labels``.
    metric_labels: dict[str, str] = field(default_factory=dict)

    @property
    def has_comparisons(self) -> bool:
        """Whether any row carries a comparison with the baseline."""
        return self.baseline is not None and any(row.comparisons for row in self.rows)


def _best_mean(means: list[float], higher: bool | None) -> float | None:
    if higher is None or len(means) < 2:
        return None
    return max(means) if higher else min(means)


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _comparison(data: dict[str, Any]) -> Comparison:
    return Comparison(
        n=int(data.get("n") or 0),
        diff=_optional_float(data.get("diff")),
        ci_low=_optional_float(data.get("ci_low")),
        ci_high=_optional_float(data.get("ci_high")),
        p_value=_optional_float(data.get("p_value")),
        p_holm=_optional_float(data.get("p_holm")),
        significant=bool(data.get("significant", False)),
        wins=int(data.get("wins") or 0),
        ties=int(data.get("ties") or 0),
        losses=int(data.get("losses") or 0),
    )


def build_table(results: dict[str, Any], *, alpha: float | None = None) -> ComparisonTable:
    """Build the table from a parsed results.json.

    Args:
        results: The parsed results.json. Its ``baseline`` and ``comparisons``
            keys are optional (runs written before paired tests lack them).
        alpha: The significance level the comparisons were tested at, for
            legends; results.json's own ``alpha`` wins when it has one.
    """
    columns = [
        Column(name, meta.get("higher_is_better"), meta.get("description", ""))
        for name, meta in results["values"].items()
    ]
    systems: list[str] = results["systems"]
    best: dict[str, float | None] = {}
    for column in columns:
        means = [
            results["results"][system][column.name]["mean"]
            for system in systems
            if results["results"][system][column.name]["mean"] is not None
        ]
        best[column.name] = _best_mean(means, column.higher_is_better)
    baseline: str | None = results.get("baseline")
    comparisons: dict[str, Any] = (results.get("comparisons") or {}) if baseline else {}
    rows = []
    for system in systems:
        cells = {}
        for column in columns:
            agg = results["results"][system][column.name]
            cells[column.name] = Cell(
                mean=agg["mean"],
                half_width=agg["ci_half_width"],
                n=agg["n"],
                nulls=agg["nulls"],
                best=agg["mean"] is not None and agg["mean"] == best[column.name],
                ci_low=agg.get("ci_low"),
                ci_high=agg.get("ci_high"),
            )
        compared: dict[str, Any] = comparisons.get(system) or {}
        rows.append(
            Row(
                system,
                results["failures"].get(system, 0),
                cells,
                {
                    name: _comparison(data)
                    for name, data in compared.items()
                    if isinstance(data, dict) and name in cells
                },
            )
        )
    return ComparisonTable(
        name=results["name"],
        n_examples=results["n_examples"],
        confidence=results.get("confidence", 0.95),
        columns=columns,
        rows=rows,
        baseline=baseline,
        alpha=_optional_float(results.get("alpha", alpha)),
        meta=_meta_table(results),
    )


def mark_best(rows: Sequence[Row], columns: Sequence[Column]) -> list[Row]:
    """``rows`` with ``best`` set anew among themselves (after rows were chosen or added)."""
    best: dict[str, float | None] = {}
    for column in columns:
        means = [
            mean
            for row in rows
            if column.name in row.cells and (mean := row.cells[column.name].mean) is not None
        ]
        best[column.name] = _best_mean(means, column.higher_is_better)
    return [
        replace(
            row,
            cells={
                name: replace(cell, best=cell.mean is not None and cell.mean == best.get(name))
                for name, cell in row.cells.items()
            },
        )
        for row in rows
    ]


def _did_you_mean(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? " if close else ""


def _check_names(
    names: Sequence[str] | None, known: Sequence[str], where: str, kind: str, hint: str
) -> None:
    seen: set[str] = set()
    for index, name in enumerate(names or []):
        if name in seen:
            raise ConfigError(f"{where}[{index}]: {name!r} is listed twice", hint=hint)
        seen.add(name)
        if name not in known:
            raise ConfigError(
                f"{where}[{index}]: {name!r} is not a {kind} of this run; "
                f"{_did_you_mean(name, known)}{kind}s: {', '.join(known)}",
                hint=hint,
            )


def check_report_choice(
    choice: ReportConfig, values: Sequence[str], systems: Sequence[str], origin: str
) -> None:
    """Every name in ``choice`` is one of the run's values, systems or metrics.

    Args:
        choice: The ``report:`` section (and/or ``harness report`` flags).
        values: The run's value names (``rouge.rouge1``, ...).
        systems: The run's system names.
        origin: What the names came from, e.g. ``reports/ci/config.yaml``;
            messages name ``<origin>: report.<key>[i]``.

    Raises:
        ConfigError: A name is unknown (with a "did you mean") or listed twice.
    """
    value_hint = (
        "name values as <metric>.<value>, as report.md's columns (and `harness list`) show them"
    )
    _check_names(choice.values, values, f"{origin}: report.values", "value", value_hint)
    _check_names(
        choice.systems,
        systems,
        f"{origin}: report.systems",
        "system",
        "list system names exactly as `systems[].name` spells them",
    )
    metrics = list(dict.fromkeys(name.split(".", 1)[0] for name in values))
    labelled = [*values, *systems, *(m for m in metrics if m not in values and m not in systems)]
    for name in choice.labels:
        if name not in labelled:
            raise ConfigError(
                f"{origin}: report.labels: {name!r} is not a value, system or metric of this "
                f"run; {_did_you_mean(name, labelled)}known: {', '.join(labelled)}",
                hint="labels map a value (rouge.rouge2), a system or a metric (rouge) to the "
                "name the tables show",
            )
    if isinstance(choice.digits, dict):
        for name in choice.digits:
            if name not in values:
                raise ConfigError(
                    f"{origin}: report.digits: {name!r} is not a value of this run; "
                    f"{_did_you_mean(name, values)}values: {', '.join(values)}",
                    hint="give one number for all values (digits: 3) or one per value "
                    "({rouge.rouge2: 2})",
                )


def _digits(choice: ReportConfig, value: str) -> int | None:
    if isinstance(choice.digits, dict):
        return choice.digits.get(value)
    return choice.digits


def select(table: ComparisonTable, choice: ReportConfig, origin: str) -> ComparisonTable:
    """The table as ``choice`` (the ``report:`` section) wants it shown.

    Keeps the chosen values and systems in the chosen order, marks the best
    mean anew among the rows kept, attaches labels, digits and whether CIs
    show, and drops the comparisons with the baseline when ``significance``
    is false. Nothing is recomputed: the numbers are results.json's.

    Args:
        table: The full table (`build_table`).
        choice: What to show.
        origin: Where ``choice`` came from, for messages (see `check_report_choice`).

    Raises:
        ConfigError: ``choice`` names a value, system or label the run lacks.
    """
    names = [column.name for column in table.columns]
    systems = [row.system for row in table.rows]
    check_report_choice(choice, names, systems, origin)
    by_name = {column.name: column for column in table.columns}
    columns = [
        replace(by_name[name], label=choice.labels.get(name)) for name in choice.values or names
    ]
    by_system = {row.system: row for row in table.rows}
    rows = []
    for system in choice.systems or systems:
        row = by_system[system]
        cells = {
            column.name: replace(
                row.cells[column.name], digits=_digits(choice, column.name), show_ci=choice.ci
            )
            for column in columns
        }
        comparisons = (
            {c.name: row.comparisons[c.name] for c in columns if c.name in row.comparisons}
            if choice.significance
            else {}
        )
        rows.append(
            replace(row, cells=cells, comparisons=comparisons, label=choice.labels.get(system))
        )
    metrics = {name.split(".", 1)[0] for name in names}
    return replace(
        table,
        columns=columns,
        rows=mark_best(rows, columns),
        metric_labels={m: text for m, text in choice.labels.items() if m in metrics},
    )


def _meta_table(results: dict[str, Any]) -> MetaTable | None:
    from harness.report.meta import build_meta_table

    return build_meta_table(results)


def format_number(value: float | None, digits: int = 3) -> str:
    """Format a table number; ``None`` shows as an em dash.

    >>> format_number(0.41234), format_number(None), format_number(123.456)
    ('0.412', '—', '123.5')
    """
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:.1f}"
    return f"{value:.{digits}f}"


def format_value(value: float | None, digits: int | None) -> str:
    """A number with ``digits`` decimals; ``None`` digits: `format_number`'s default.

    >>> format_value(0.41234, 2), format_value(123.456, 3), format_value(123.456, None)
    ('0.41', '123.456', '123.5')
    """
    if digits is None or value is None:
        return format_number(value)
    return f"{value:.{digits}f}"


def shows_ci(cell: Cell) -> bool:
    """Whether the cell shows ``± half-width``: a CI exists and the report wants it."""
    return cell.show_ci and cell.mean is not None and cell.half_width is not None and cell.n > 1


def format_cell(cell: Cell) -> str:
    """``mean ± half-width`` (the ± part only when a CI exists and is wanted)."""
    text = format_value(cell.mean, cell.digits)
    if shows_ci(cell):
        text += f" ± {format_value(cell.half_width, cell.digits)}"
    return text


def format_diff(value: float | None, digits: int = 3) -> str:
    """A signed difference; ``None`` shows as an em dash.

    >>> format_diff(0.0412), format_diff(-0.2), format_diff(None)
    ('+0.041', '-0.200', '—')
    """
    if value is None:
        return "—"
    value += 0.0  # -0.0 -> 0.0, so a zero difference never prints as "+-0.000"
    return ("+" if value >= 0 else "") + format_number(value, digits)


def format_comparison(comparison: Comparison, digits: int | None = None) -> str:
    """``+diff [low, high]`` plus ``*`` when significant after Holm.

    >>> format_comparison(Comparison(40, 0.0412, 0.01, 0.07, 0.01, 0.02, True, 30, 2, 8))
    '+0.041 [0.010, 0.070]*'
    >>> format_comparison(Comparison(40, 0.0412, 0.01, 0.07, 0.01, 0.02, False, 30, 2, 8), 2)
    '+0.04 [0.01, 0.07]'
    """
    text = format_diff(comparison.diff) if digits is None else _signed(comparison.diff, digits)
    if comparison.diff is not None and comparison.ci_low is not None:
        low = format_value(comparison.ci_low, digits)
        text += f" [{low}, {format_value(comparison.ci_high, digits)}]"
    return text + ("*" if comparison.significant else "")


def _signed(value: float | None, digits: int) -> str:
    if value is None:
        return "—"
    value += 0.0  # -0.0 -> 0.0
    return f"{value:+.{digits}f}"


# Every line break str.splitlines knows (U+2028, U+0085, ... included): each would end
# a table row early in some renderer.
_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_MD_SPECIAL = {"\\": "\\\\", "|": "\\|", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_SPECIAL_RE = re.compile("[\\\\|&<>]")


def escape_markdown(text: str) -> str:
    r"""Escape a name from the data for one GitHub-flavoured Markdown table cell or heading.

    ``|`` cannot end the cell, HTML is shown as text, and a line break becomes
    ``<br>`` instead of ending the table row.

    >>> print(escape_markdown("a|b <i>x</i> & c\nd"))
    a\|b &lt;i&gt;x&lt;/i&gt; &amp; c<br>d
    """
    escaped = _MD_SPECIAL_RE.sub(lambda match: _MD_SPECIAL[match.group(0)], text)
    return _LINE_BREAK.sub("<br>", escaped)


def markdown_code(text: str) -> str:
    r"""``text`` as one Markdown code span, whatever backticks or line breaks it holds.

    >>> print(markdown_code("lead3"), markdown_code("a`b"), markdown_code("x\ny"))
    `lead3` ``a`b`` `x y`
    """
    flat = _LINE_BREAK.sub(" ", text)
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def direction_arrow(higher_is_better: bool | None) -> str:
    """↑ when higher is better, ↓ when lower is better, nothing otherwise."""
    return {True: " ↑", False: " ↓", None: ""}[higher_is_better]


__all__ = [
    "Cell",
    "Column",
    "Comparison",
    "ComparisonTable",
    "Row",
    "build_table",
    "check_report_choice",
    "direction_arrow",
    "escape_markdown",
    "format_cell",
    "format_comparison",
    "format_diff",
    "format_number",
    "format_value",
    "mark_best",
    "markdown_code",
    "select",
    "shows_ci",
]
