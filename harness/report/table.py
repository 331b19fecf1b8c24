"""The comparison table every report format renders, built from results.json.

One row per system, one column per metric value. A cell holds the mean, the
CI half-width and n; ``best`` marks the best mean of a column according to the
value's ``higher_is_better`` (descriptive values, whose direction is ``None``,
have no best).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cell:
    """One system's aggregate of one value."""

    mean: float | None
    half_width: float | None
    n: int
    nulls: int
    best: bool


@dataclass(frozen=True)
class Column:
    """One metric value, e.g. ``rouge.rouge1``."""

    name: str
    higher_is_better: bool | None
    description: str


@dataclass(frozen=True)
class Row:
    """One system."""

    system: str
    failures: int
    cells: dict[str, Cell]


@dataclass(frozen=True)
class ComparisonTable:
    """All rows and columns of a run, plus the facts a caption needs."""

    name: str
    n_examples: int
    confidence: float
    columns: list[Column]
    rows: list[Row]


def _best_mean(means: list[float], higher: bool | None) -> float | None:
    if higher is None or len(means) < 2:
        return None
    return max(means) if higher else min(means)


def build_table(results: dict[str, Any]) -> ComparisonTable:
    """Build the table from a parsed results.json."""
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
            )
        rows.append(Row(system, results["failures"].get(system, 0), cells))
    return ComparisonTable(
        name=results["name"],
        n_examples=results["n_examples"],
        confidence=results.get("confidence", 0.95),
        columns=columns,
        rows=rows,
    )


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


def format_cell(cell: Cell) -> str:
    """``mean ± half-width`` (the ± part only when a CI exists)."""
    text = format_number(cell.mean)
    if cell.mean is not None and cell.half_width is not None and cell.n > 1:
        text += f" ± {format_number(cell.half_width)}"
    return text


def direction_arrow(higher_is_better: bool | None) -> str:
    """↑ when higher is better, ↓ when lower is better, nothing otherwise."""
    return {True: " ↑", False: " ↓", None: ""}[higher_is_better]


__all__ = [
    "Cell",
    "Column",
    "ComparisonTable",
    "Row",
    "build_table",
    "direction_arrow",
    "format_cell",
    "format_number",
]
