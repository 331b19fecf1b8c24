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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from harness.config import ReportConfig
from harness.config.report_names import check_report_choice
from harness.report.formatting import (
    direction_arrow,
    escape_markdown,
    format_diff,
    format_difference,
    format_number,
    format_value,
    markdown_code,
)
from harness.report.meta import MetaTable, build_meta_table, label_meta
from harness.stats.significance import (
    EXACT_MAX_N,
    largest_out_of_reach,
    smallest_holm_p,
    smallest_permutation_p,
)


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
    #: Examples the system lost for this value: failed generations, empty
    #: summaries and items its metric raised on (its mean is over the others).
    lost: int = 0


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
    #: Failed generations: those with an error and the empty summaries (no
    #: letter or digit), as `harness run`'s exit 4 and `harness check` count them.
    failures: int
    cells: dict[str, Cell]
    comparisons: dict[str, Comparison] = field(default_factory=dict)
    #: Display name (``report.labels``); ``None`` shows the system name.
    label: str | None = None

    @property
    def shown(self) -> str:
        """The display name: the label, or the system name."""
        return self.label or self.system

    @property
    def n(self) -> int:
        """The row's n: the most examples any of its values is a mean over."""
        return max((cell.n for cell in self.cells.values()), default=0)

    def fewer(self, value: str) -> int | None:
        """The n of ``value``'s mean when it is over fewer examples than the row's
        (the others have no such value: no reference, no quantity to check), else None."""
        cell = self.cells[value]
        return cell.n if cell.mean is not None and cell.n < self.n else None


#: What the †N mark says (report.md, report.html and, in words of its own, report.tex).
LOST_LEGEND = (
    "the mean leaves out N examples the system failed (failed generations, empty summaries, "
    "items its metric raised on), so it is never bold above a system scored on them."
)

#: What the (n=K) mark says (report.md and report.html; report.tex says it in LaTeX).
FEWER_LEGEND = (
    "the mean is over K examples, fewer than the row's n: the others have no such value "
    "(no reference, no quantity to check, ...)."
)


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
    #: System → the smallest Holm-adjusted p any of its comparisons can get
    #: (`smallest_holm_p` over every value results.json compared, shown or not).
    holm_floors: dict[str, float] = field(default_factory=dict)
    #: The baseline's display name (``report.labels``), also when its row is not shown.
    baseline_label: str | None = None

    @property
    def baseline_shown(self) -> str:
        """The baseline as its row shows it: its label, or its name (empty when none)."""
        row = next((row for row in self.rows if row.system == self.baseline), None)
        if row is not None:
            return row.shown
        return self.baseline_label or self.baseline or ""

    @property
    def shown_systems(self) -> dict[str, str]:
        """Each shown row's system → its display name (its label, or its name)."""
        return {row.system: row.shown for row in self.rows}

    @property
    def has_comparisons(self) -> bool:
        """Whether any row carries a comparison with the baseline."""
        return self.baseline is not None and any(row.comparisons for row in self.rows)

    @property
    def has_fewer_means(self) -> bool:
        """Whether a shown mean is over fewer examples than its row's n (an (n=K) mark)."""
        return any(row.fewer(value) is not None for row in self.rows for value in row.cells)

    @property
    def has_lost_means(self) -> bool:
        """Whether a shown mean leaves out examples its system failed (a †N mark)."""
        return any(
            cell.mean is not None and cell.lost for row in self.rows for cell in row.cells.values()
        )


def _best_mean(means: list[tuple[float, int]], higher: bool | None) -> float | None:
    """The best of a column's (mean, examples lost) among the systems that lost the
    fewest: a mean that leaves out failed generations or metric errors is over
    other examples (often the easy ones), so it is never marked best above a
    system that was scored on them.

    >>> _best_mean([(0.9, 10), (0.5, 0), (0.4, 0)], True)
    0.5
    """
    if higher is None or len(means) < 2:
        return None
    fewest = min(lost for _, lost in means)
    kept = [mean for mean, lost in means if lost == fewest]
    return max(kept) if higher else min(kept)


def _is_best(cell: Cell, best: float | None, fewest: int | None) -> bool:
    return cell.mean is not None and cell.mean == best and cell.lost == fewest


def _failed_generations(results: dict[str, Any], system: str) -> int:
    """``system``'s generations that failed or gave an empty summary (results.json's
    ``failures`` counts the first, ``empty_summaries`` lists the second)."""
    return int((results.get("failures") or {}).get(system, 0)) + len(
        (results.get("empty_summaries") or {}).get(system) or []
    )


def _lost(results: dict[str, Any], system: str, metric: str) -> int:
    """Examples ``system`` has no ``metric`` value for by a failure (see `Cell.lost`)."""
    errors = (results.get("metric_errors") or {}).get(system) or []
    return _failed_generations(results, system) + sum(
        1 for item in errors if item.get("metric") == metric
    )


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
    baseline: str | None = results.get("baseline")
    comparisons: dict[str, Any] = (results.get("comparisons") or {}) if baseline else {}
    rows = []
    for system in systems:
        cells = {}
        for column in columns:
            agg = results["results"][system][column.name]
            metric = results["values"][column.name].get("metric") or column.name.split(".")[0]
            cells[column.name] = Cell(
                mean=agg["mean"],
                half_width=agg["ci_half_width"],
                n=agg["n"],
                nulls=agg["nulls"],
                best=False,
                ci_low=agg.get("ci_low"),
                ci_high=agg.get("ci_high"),
                lost=_lost(results, system, metric),
            )
        compared: dict[str, Any] = comparisons.get(system) or {}
        rows.append(
            Row(
                system,
                _failed_generations(results, system),
                cells,
                {
                    name: _comparison(data)
                    for name, data in compared.items()
                    if isinstance(data, dict) and name in cells
                },
            )
        )
    rows = mark_best(rows, columns)
    resamples = int(results.get("resamples") or 1000)
    floors = {
        system: floor
        for system, compared in comparisons.items()
        if isinstance(compared, dict)
        and (
            floor := smallest_holm_p(
                (int(data.get("n") or 0) for data in compared.values() if isinstance(data, dict)),
                resamples=resamples,
            )
        )
        is not None
    }
    return ComparisonTable(
        name=results["name"],
        n_examples=results["n_examples"],
        confidence=results.get("confidence", 0.95),
        columns=columns,
        rows=rows,
        baseline=baseline,
        alpha=_optional_float(results.get("alpha", alpha)),
        meta=build_meta_table(results),
        holm_floors=floors,
    )


def mark_best(rows: Sequence[Row], columns: Sequence[Column]) -> list[Row]:
    """``rows`` with ``best`` set anew among themselves (after rows were chosen or added)."""
    best: dict[str, tuple[float | None, int | None]] = {}
    for column in columns:
        means = [
            (mean, row.cells[column.name].lost)
            for row in rows
            if column.name in row.cells and (mean := row.cells[column.name].mean) is not None
        ]
        fewest = min((lost for _, lost in means), default=None)
        best[column.name] = (_best_mean(means, column.higher_is_better), fewest)
    return [
        replace(
            row,
            cells={
                name: replace(cell, best=_is_best(cell, *best.get(name, (None, None))))
                for name, cell in row.cells.items()
            },
        )
        for row in rows
    ]


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
        meta=None if table.meta is None else label_meta(table.meta, choice.labels),
        baseline_label=choice.labels.get(table.baseline or ""),
        columns=columns,
        rows=mark_best(rows, columns),
        metric_labels={m: text for m, text in choice.labels.items() if m in metrics},
    )


def shows_ci(cell: Cell) -> bool:
    """Whether the cell shows ``± half-width``: a CI exists and the report wants it."""
    return cell.show_ci and cell.mean is not None and cell.half_width is not None and cell.n > 1


def format_cell(cell: Cell) -> str:
    """``mean ± half-width`` (the ± part only when a CI exists and is wanted)."""
    text = format_value(cell.mean, cell.digits)
    if shows_ci(cell):
        text += f" ± {format_value(cell.half_width, cell.digits)}"
    return text


def format_comparison(comparison: Comparison, digits: int | None = None) -> str:
    """``+diff [low, high]`` plus ``*`` when significant after Holm.

    >>> format_comparison(Comparison(40, 0.0412, 0.01, 0.07, 0.01, 0.02, True, 30, 2, 8))
    '+0.041 [0.010, 0.070]*'
    >>> format_comparison(Comparison(40, 0.0412, 0.01, 0.07, 0.01, 0.02, False, 30, 2, 8), 2)
    '+0.04 [0.01, 0.07]'
    """
    text = format_difference(comparison.diff, comparison.ci_low, comparison.ci_high, digits)
    return text + ("*" if comparison.significant else "")


def too_few_pairs_note(n: int, alpha: str) -> str:
    """What a reader must know when ``n`` paired examples (or fewer) cannot reach the
    level ``alpha`` (written as shown): an interval may read decisive, yet no mark."""
    return (
        f"With {n} paired examples or fewer the permutation test's smallest p-value "
        f"({smallest_permutation_p(n):g} at n = {n}) is at or above {alpha}: no difference "
        "there can be marked significant, however its interval reads."
    )


def ties_out_of_reach(pairs: Iterable[tuple[int, int]], alpha: float) -> int | None:
    """The largest count of differing pairs at which the test cannot reach ``alpha``,
    among comparisons whose pair count alone could (``pairs``: ``(n, ties)`` each).

    The paired test weighs only the pairs that differ: a tie flips to itself, so
    with 4 of 20 pairs apart its smallest p is that of 4 pairs (``2 / 2**4``), and
    one differing pair gives p = 1. Comparisons with no differing pair (the same
    values) are left out: there is no difference to mark.

    >>> ties_out_of_reach([(20, 16), (40, 0)], 0.05), ties_out_of_reach([(20, 2)], 0.05)
    (4, None)
    """
    found = []
    for n, ties in pairs:
        differing = n - ties
        if n < 2 or differing < 1 or differing == n or largest_out_of_reach([n], alpha):
            continue
        bound = smallest_permutation_p(differing)
        if differing == 1 or (bound is not None and bound >= alpha):
            found.append(differing)
    return max(found, default=None)


def ties_note(differing: int, alpha: str) -> str:
    """What a reader must know when comparisons have only ``differing`` (or fewer)
    pairs apart (`ties_out_of_reach`): ties leave the test too few to reach ``alpha``."""
    bound = smallest_permutation_p(differing) if differing > 1 else 1.0
    return (
        f"Where {differing} paired examples or fewer differ (a tie weighs nothing in the "
        f"paired test), its smallest p-value ({bound:g} at {differing}) is at or above "
        f"{alpha}: no such difference can be marked significant, however its interval reads."
    )


def holm_keeps_out_of_reach(ns: Iterable[int], floor: float | None, alpha: float) -> bool:
    """Whether `holm_out_of_reach_note` is due for a system: its Holm bound ``floor``
    is at or above ``alpha``, and some of its comparisons (pair counts ``ns``) are
    not already explained by n (a single pair, or `too_few_pairs_note`).

    >>> holm_keeps_out_of_reach([40, 40], 0.06, 0.05), holm_keeps_out_of_reach([3, 3], 0.5, 0.05)
    (True, False)
    """
    if floor is None or floor < alpha:
        return False
    return any(
        n > EXACT_MAX_N or (bound is not None and bound < alpha)
        for n in ns
        if (bound := smallest_permutation_p(n)) is not None
    )


def holm_out_of_reach_note(systems: Sequence[str], floor: float, alpha: str) -> str:
    """What a reader must know when Holm's correction over a system's values keeps
    every p_holm at or above ``alpha`` (the bound ``floor``, `smallest_holm_p`),
    although the test alone could reach it at their n."""
    names = ", ".join(systems)
    return (
        f"After Holm's correction over the values of {names}, no p-value can fall below "
        f"{floor:.2g}, which is at or above {alpha}: none of these differences can be marked "
        "significant, however their intervals read (more examples, more stats.resamples "
        "or fewer values lower that bound)."
    )


SINGLE_PAIR_NOTE = (
    "At n = 1 the difference is that one paired example's: no interval and no test "
    "are possible there, so it is never marked significant."
)


def comparison_notes(table: ComparisonTable, alpha: str) -> list[str]:
    """The sentences every format adds to its "vs baseline" legend, in this order: that
    some comparisons have too few pairs to reach α (`too_few_pairs_note`), or too
    few that differ (`ties_note`), that Holm's correction keeps a system's from
    reaching it (`holm_out_of_reach_note`), and that some rest on one pair
    (`SINGLE_PAIR_NOTE`). Empty without such comparisons.

    Args:
        table: The comparison table (after `select`: only the comparisons shown count).
        alpha: The significance level as the format writes it (``"α"``, ``"0.05"``).
    """
    families = [
        VersusFamily(
            row.shown,
            [(item.n, item.ties) for item in row.comparisons.values()],
            table.holm_floors.get(row.system),
        )
        for row in table.rows
        if row.system != table.baseline
    ]
    return versus_notes(families, table.alpha, alpha)


@dataclass(frozen=True)
class VersusFamily:
    """One system's comparisons with the baseline, as the legend's notes need them.

    Attributes:
        shown: The system's display name.
        pairs: ``(n, ties)`` of each comparison shown.
        holm_floor: The smallest Holm-adjusted p any of its comparisons can get
            (`smallest_holm_p` over every value compared), if any is tested.
    """

    shown: str
    pairs: list[tuple[int, int]]
    holm_floor: float | None


def versus_notes(families: Sequence[VersusFamily], alpha: float | None, shown: str) -> list[str]:
    """The notes of a "vs baseline" legend (`comparison_notes`), for the reports and
    `harness compare` alike: ``alpha`` is the level, ``shown`` how the text writes it."""
    ns = [n for family in families for n, _ in family.pairs]
    notes = []
    if alpha is not None:
        few = largest_out_of_reach(ns, alpha)
        if few is not None:
            notes.append(too_few_pairs_note(few, shown))
        pairs = [pair for family in families for pair in family.pairs]
        tied = ties_out_of_reach(pairs, alpha)
        if tied is not None:
            notes.append(ties_note(tied, shown))
        by_floor: dict[float, list[str]] = {}
        for family in families:
            family_ns = [n for n, _ in family.pairs]
            floor = family.holm_floor
            if floor is not None and holm_keeps_out_of_reach(family_ns, floor, alpha):
                by_floor.setdefault(floor, []).append(family.shown)
        notes += [holm_out_of_reach_note(names, floor, shown) for floor, names in by_floor.items()]
    if 1 in ns:
        notes.append(SINGLE_PAIR_NOTE)
    return notes


__all__ = [
    "FEWER_LEGEND",
    "LOST_LEGEND",
    "SINGLE_PAIR_NOTE",
    "Cell",
    "Column",
    "Comparison",
    "ComparisonTable",
    "Row",
    "VersusFamily",
    "build_table",
    "check_report_choice",
    "comparison_notes",
    "direction_arrow",
    "escape_markdown",
    "format_cell",
    "format_comparison",
    "format_diff",
    "format_number",
    "format_value",
    "holm_keeps_out_of_reach",
    "holm_out_of_reach_note",
    "mark_best",
    "markdown_code",
    "select",
    "shows_ci",
    "ties_note",
    "ties_out_of_reach",
    "too_few_pairs_note",
    "versus_notes",
]
