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

Rendering into a staged run directory (`harness.outdir`) redoes only what
changed: a text report identical to the previous run's, and a plot or page
whose content key (`harness.report.reuse`) the previous run's file carries,
are carried over unchanged instead of being drawn and written again.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from harness.config import ReportConfig
from harness.report.choice import choose
from harness.report.findings import describe_finding, flagged_findings_markdown
from harness.report.html import shown_output, to_html
from harness.report.latex import escape_latex, to_latex
from harness.report.plots import render_plots, update_plots, write_plots
from harness.report.reuse import carry_html, content_key, seal_html
from harness.report.table import ComparisonTable, build_table
from harness.report.tables import to_csv, to_markdown, to_rich
from harness.store import (
    CONFIG_FILE,
    EXAMPLES_FILE,
    OUTPUTS_FILE,
    RESULTS_FILE,
    SCORES_FILE,
    Cache,
    RunDir,
)

if TYPE_CHECKING:
    from harness.executor import Executor


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


def render_reports(
    run_dir: RunDir,
    report: ReportConfig | None = None,
    *,
    cache: Cache | None = None,
    executor: Executor | None = None,
) -> ComparisonTable:
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
        cache: The run's cache: a plot an earlier run drew (same content
            key) is taken from it instead of being drawn, and the plots
            drawn are stored in it (`update_plots`).
        executor: The run's executor: a pool's workers draw the plots side
            by side (the same bytes), its last tasks: it is then `finish`-ed,
            so its workers stop while the page is written. ``None`` draws
            them here.

    Returns:
        The comparison table the reports show (the CLI prints it).
    """
    table = choose(load_table(run_dir), run_dir, report)
    # A partial run directory (only results.json) still gets its tables and
    # mean plots, with an empty drill-down.
    scores = run_dir.read_scores() if run_dir.file(SCORES_FILE).is_file() else []
    markdown = to_markdown(table) + flagged_findings_markdown(table, scores)
    run_dir.write_file("report.md", markdown)
    run_dir.write_file("report.csv", to_csv(table))
    run_dir.write_file("report.tex", to_latex(table))
    plots = update_plots(run_dir, table, scores, cache, executor)
    if executor is not None:
        # The plots were the run's last tasks: its workers stop while the page is written.
        executor.finish()
    outputs = run_dir.read_outputs() if run_dir.file(OUTPUTS_FILE).is_file() else []
    # The page shows the table, the plots, every example, what `shown_output`
    # gives of each output, and every score; the digests of examples.jsonl and
    # scores.jsonl stand for those (examples are read only to render).
    key = content_key(
        "html",
        {
            "table": asdict(table),
            "plots": {name: hashlib.sha256(data).hexdigest() for name, data in plots.items()},
            "outputs": [[o.example_id, o.system, shown_output(o)] for o in outputs],
            "files": {name: run_dir.digest(name) for name in (EXAMPLES_FILE, SCORES_FILE)},
        },
    )
    if not carry_html(run_dir, "report.html", key):
        examples = run_dir.read_examples() if run_dir.file(EXAMPLES_FILE).is_file() else []
        html = to_html(table, examples=examples, outputs=outputs, scores=scores, plots=plots)
        run_dir.write_file("report.html", seal_html(html, key))
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
    "update_plots",
    "write_plots",
]
