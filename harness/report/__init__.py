"""Reports rendered from a run directory (never recomputing a score).

`render_reports` writes, beside results.json:

* ``report.md`` — the comparison table (and, when results.json has paired
  comparisons, the differences from the baseline with significance markers),
  then the first flagged findings, each as one sentence;
* ``report.csv`` — the same numbers in full precision;
* ``report.tex`` — a booktabs table for ``\\input{}`` in a paper;
* ``plots/<metric>.png`` and ``plots/<metric>_distribution.png``;
* ``report.html`` — one self-contained page: sortable tables, the plots, the
  failures and a per-example drill-down with every finding highlighted.
"""

from __future__ import annotations

from typing import Any

from harness.config import ReportConfig
from harness.records import Example, Output, Score
from harness.report.choice import choose
from harness.report.findings import describe_finding, flagged_findings_markdown
from harness.report.html import to_html
from harness.report.latex import escape_latex, to_latex
from harness.report.plots import render_plots, write_plots
from harness.report.table import ComparisonTable, build_table
from harness.report.tables import to_csv, to_markdown, to_rich
from harness.store import (
    CONFIG_FILE,
    EXAMPLES_FILE,
    OUTPUTS_FILE,
    RESULTS_FILE,
    SCORES_FILE,
    RunDir,
    write_atomic,
)


def _config_alpha(run_dir: RunDir) -> float | None:
    # Older results.json files do not record the test level; the config does.
    if not run_dir.file(CONFIG_FILE).is_file():
        return None
    stats: Any = run_dir.read_config().get("stats")
    alpha = stats.get("alpha") if isinstance(stats, dict) else None
    return float(alpha) if isinstance(alpha, (int, float)) else None


def load_table(run_dir: RunDir) -> ComparisonTable:
    """The comparison table of a run directory's results.json."""
    return build_table(run_dir.read_json(RESULTS_FILE), alpha=_config_alpha(run_dir))


def _per_example(run_dir: RunDir) -> tuple[list[Example], list[Output], list[Score]]:
    # A run directory always has these files; a partial one (only results.json)
    # still gets its tables and mean plots, with an empty drill-down.
    examples = run_dir.read_examples() if run_dir.file(EXAMPLES_FILE).is_file() else []
    outputs = run_dir.read_outputs() if run_dir.file(OUTPUTS_FILE).is_file() else []
    scores = run_dir.read_scores() if run_dir.file(SCORES_FILE).is_file() else []
    return examples, outputs, scores


def render_reports(run_dir: RunDir, report: ReportConfig | None = None) -> ComparisonTable:
    """Write every report of ``run_dir`` from its stored files; return the table.

    Writes report.md (the table, then a "Flagged findings" section when a
    finding is neither supported nor derived), report.csv, report.tex,
    report.html and plots/ (see the module docstring). Nothing is
    recomputed: the numbers come from results.json, the per-example detail
    from examples/outputs/scores.jsonl.

    Args:
        run_dir: A run directory with at least results.json.
        report: What the reports show (values, systems, labels, digits, CIs,
            significance); ``None`` reads the run's own config.yaml `report:`.

    Returns:
        The comparison table the reports show (the CLI prints it).
    """
    table = choose(load_table(run_dir), run_dir, report)
    examples, outputs, scores = _per_example(run_dir)
    markdown = to_markdown(table) + flagged_findings_markdown(table, scores)
    write_atomic(run_dir.file("report.md"), markdown)
    write_atomic(run_dir.file("report.csv"), to_csv(table))
    write_atomic(run_dir.file("report.tex"), to_latex(table))
    plots = render_plots(table, scores)
    write_plots(run_dir, plots)
    html = to_html(table, examples=examples, outputs=outputs, scores=scores, plots=plots)
    write_atomic(run_dir.file("report.html"), html)
    return table


__all__ = [
    "ComparisonTable",
    "build_table",
    "describe_finding",
    "escape_latex",
    "flagged_findings_markdown",
    "load_table",
    "render_plots",
    "render_reports",
    "to_csv",
    "to_html",
    "to_latex",
    "to_markdown",
    "to_rich",
    "write_plots",
]
