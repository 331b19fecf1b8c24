"""Reports rendered from a run directory (never recomputing a score).

`render_reports` writes ``report.md`` and ``report.csv`` beside results.json.
"""

from __future__ import annotations

from harness.report.table import ComparisonTable, build_table
from harness.report.tables import to_csv, to_markdown, to_rich
from harness.store import RESULTS_FILE, RunDir, write_atomic


def load_table(run_dir: RunDir) -> ComparisonTable:
    """The comparison table of a run directory's results.json."""
    return build_table(run_dir.read_json(RESULTS_FILE))


def render_reports(run_dir: RunDir) -> ComparisonTable:
    """Write report.md and report.csv into ``run_dir``; return the table."""
    table = load_table(run_dir)
    write_atomic(run_dir.file("report.md"), to_markdown(table))
    write_atomic(run_dir.file("report.csv"), to_csv(table))
    return table


__all__ = [
    "ComparisonTable",
    "build_table",
    "load_table",
    "render_reports",
    "to_csv",
    "to_markdown",
    "to_rich",
]
