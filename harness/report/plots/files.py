"""The plots of a run written under its run directory, drawing only those that changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from harness.records import Score
from harness.report.plots.drawing import draw
from harness.report.plots.figures import PLOTS_DIR, plot_specs
from harness.report.plots.spec import PlotSpec
from harness.report.reuse import carry_png, png_key
from harness.report.table import ComparisonTable
from harness.store import Cache, RunDir

if TYPE_CHECKING:
    from harness.executor import Executor, Workspace


def render_plots(table: ComparisonTable, scores: Sequence[Score]) -> dict[str, bytes]:
    """Every plot of a run, drawn, keyed by its path relative to the run directory.

    Returns:
        ``{"plots/<metric>.png": png, "plots/<metric>_distribution.png": png, ...}``
        in the order of the table's metrics.
    """
    return {name: draw(spec) for name, spec in plot_specs(table, scores).items()}


def draw_plot(workspace: Workspace, spec: PlotSpec) -> bytes:
    """Draw one plot: the task function `update_plots` maps over an executor's workers.

    A pure function of the spec (``workspace`` is unused), so a worker draws
    the same bytes the driver would.
    """
    return draw(spec)


def update_plots(
    run_dir: RunDir,
    table: ComparisonTable,
    scores: Sequence[Score],
    cache: Cache | None = None,
    executor: Executor | None = None,
) -> dict[str, bytes]:
    """Write every plot of a run into ``run_dir``, drawing only those that changed.

    A plot whose content key the previous run's file (`RunDir.previous_file`)
    carries is carried over unchanged; else one the cache holds under its key
    (drawn by any earlier run, whole and carrying that key) is written from
    there; the others are drawn, written and stored in the cache.

    Args:
        run_dir: The run directory.
        table: The comparison table the plots show.
        scores: The run's scores (the distributions).
        cache: Where drawn plots are kept by content key.
        executor: Where the plots are drawn (`draw_plot`): a pool's workers
            draw them side by side; ``None`` or ``local``, one by one here.

    Returns:
        The PNGs, keyed as `render_plots` keys them.
    """
    plots: dict[str, bytes] = {}
    written: dict[str, bytes] = {}
    todo: dict[str, PlotSpec] = {}
    for name, spec in plot_specs(table, scores).items():
        key = spec.key()
        kept = carry_png(run_dir, name, key)
        if kept is None:
            kept = _from_cache(cache, key)
            if kept is None:
                todo[name] = spec
                kept = b""  # drawn below; the entry keeps the table's order
            else:
                written[name] = kept
        plots[name] = kept
    for name, data in _draw_all(todo, executor).items():
        if cache is not None:
            cache.put_file(todo[name].key(), data)
        plots[name] = written[name] = data
    write_plots(run_dir, written, keep=plots)
    return plots


def _draw_all(specs: Mapping[str, PlotSpec], executor: Executor | None) -> dict[str, bytes]:
    """Every spec drawn, by name: on ``executor``'s workers, else here one by one."""
    from harness.executor import LocalExecutor, TaskFailure, Workspace

    if executor is None or isinstance(executor, LocalExecutor) or not specs:
        return {name: draw(spec) for name, spec in specs.items()}
    names = list(specs)
    drawn: dict[str, bytes] = {}
    for index, data in executor.map(draw_plot, [specs[name] for name in names], Workspace()):
        # A plot whose worker died twice is drawn here: the report must not lack it.
        drawn[names[index]] = draw(specs[names[index]]) if isinstance(data, TaskFailure) else data
    return {name: drawn[name] for name in names}


def _from_cache(cache: Cache | None, key: str) -> bytes | None:
    data = cache.get_file(key) if cache is not None else None
    return data if data is not None and png_key(data) == key else None


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
