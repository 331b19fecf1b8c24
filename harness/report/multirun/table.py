"""The table over several runs: one column group per run, ready for every format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.report.table import Cell, Column, ComparisonTable

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

    def fewer(self, system: str, value: str) -> int | None:
        """The n of ``system``'s ``value`` when its mean is over fewer examples than its
        row's other values (`Row.fewer`), else ``None``."""
        row = next((row for row in self.table.rows if row.system == system), None)
        return None if row is None or value not in row.cells else row.fewer(value)

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
    def has_fewer_means(self) -> bool:
        """Whether a mean is over fewer examples than its row's other values (an n=K mark)."""
        return any(
            group.fewer(system, column.name) is not None
            for group in self.groups
            for system, _ in self.systems
            for column in self.columns
        )

    @property
    def has_significance(self) -> bool:
        """Whether any cell carries a significance mark."""
        return any(
            group.significant(system, column.name)
            for group in self.groups
            for system, _ in self.systems
            for column in self.columns
        )
