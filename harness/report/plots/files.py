"""The plots of a run written under its run directory, drawing only those that changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from harness.records import Score
from harness.report.plots.drawing import draw
from harness.report.plots.figures import PLOTS_DIR, plot_specs
from harness.report.plots.spec import PlotSpec
from harness.report.reuse import carry_png, png_key
from harness.report.table import ComparisonTable
from harness.store import Cache, RunDir


def render_plots(table: ComparisonTable, scores: Sequence[Score]) -> dict[str, bytes]:
    """Every plot of a run, drawn, keyed by its path relative to the run directory.

    Returns:
        ``{"plots/<metric>.png": png, "plots/<metric>_distribution.png": png, ...}``
        in the order of the table's metrics.
    """
    return {name: draw(spec) for name, spec in plot_specs(table, scores).items()}


def update_plots(
    run_dir: RunDir,
    table: ComparisonTable,
    scores: Sequence[Score],
    cache: Cache | None = None,
) -> dict[str, bytes]:
    """Write every plot of a run into ``run_dir``, drawing only those that changed.

    A plot whose content key the previous run's file (`RunDir.previous_file`)
    carries is carried over unchanged; else one the cache holds under its key
    (drawn by any earlier run, whole and carrying that key) is written from
    there; the others are drawn, written and stored in the cache.

    Returns:
        The PNGs, keyed as `render_plots` keys them.
    """
    plots: dict[str, bytes] = {}
    written: dict[str, bytes] = {}
    for name, spec in plot_specs(table, scores).items():
        key = spec.key()
        kept = carry_png(run_dir, name, key)
        if kept is None:
            kept = written[name] = _from_cache(cache, key) or _draw_into(cache, key, spec)
        plots[name] = kept
    write_plots(run_dir, written, keep=plots)
    return plots


def _from_cache(cache: Cache | None, key: str) -> bytes | None:
    data = cache.get_file(key) if cache is not None else None
    return data if data is not None and png_key(data) == key else None


def _draw_into(cache: Cache | None, key: str, spec: PlotSpec) -> bytes:
    data = draw(spec)
    if cache is not None:
        cache.put_file(key, data)
    return data


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
