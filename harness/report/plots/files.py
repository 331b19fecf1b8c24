"""The plots of a run written under its run directory, drawing only those that changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from harness.records import Score
from harness.report.plots.drawing import draw
from harness.report.plots.figures import PLOTS_DIR, plot_specs
from harness.report.reuse import carry_png
from harness.report.table import ComparisonTable
from harness.store import RunDir


def render_plots(table: ComparisonTable, scores: Sequence[Score]) -> dict[str, bytes]:
    """Every plot of a run, drawn, keyed by its path relative to the run directory.

    Returns:
        ``{"plots/<metric>.png": png, "plots/<metric>_distribution.png": png, ...}``
        in the order of the table's metrics.
    """
    return {name: draw(spec) for name, spec in plot_specs(table, scores).items()}


def update_plots(
    run_dir: RunDir, table: ComparisonTable, scores: Sequence[Score]
) -> dict[str, bytes]:
    """Write every plot of a run into ``run_dir``, drawing only those that changed.

    A plot whose content key the previous run's file (`RunDir.previous_file`)
    carries is carried over unchanged; the others are drawn and written.

    Returns:
        The PNGs, keyed as `render_plots` keys them.
    """
    plots: dict[str, bytes] = {}
    drawn: dict[str, bytes] = {}
    for name, spec in plot_specs(table, scores).items():
        kept = carry_png(run_dir, name, spec.key())
        if kept is None:
            kept = drawn[name] = draw(spec)
        plots[name] = kept
    write_plots(run_dir, drawn, keep=plots)
    return plots


def write_plots(
    run_dir: RunDir, plots: Mapping[str, bytes], *, keep: Mapping[str, bytes] | None = None
) -> None:
    """Write ``plots`` (from `render_plots`) under the run directory.

    PNGs in ``plots/`` that belong to neither ``plots`` nor ``keep`` (e.g. of a
    metric removed before re-scoring) are deleted, so the folder matches the report.
    """
    folder = run_dir.file(PLOTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in plots.items():
        run_dir.write_file(name, data)
    wanted = {run_dir.file(name).name for name in [*plots, *(keep or {})]}
    for stale in folder.glob("*.png"):
        if stale.name not in wanted:
            stale.unlink()
