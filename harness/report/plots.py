"""PNG plots of a run: system means with CIs, and per-example score distributions.

Two figures per metric, one panel per value of the metric (values of one
metric can live on very different scales, e.g. fragment coverage and density):

* ``plots/<metric>.png`` — each system's mean with its bootstrap CI as an
  error bar (from results.json, through the comparison table);
* ``plots/<metric>_distribution.png`` — a box plot per system of the
  per-example values (from scores.jsonl), with the values drawn as points.

Figures are drawn with matplotlib's object API on the Agg canvas, chosen
explicitly: no pyplot, so no GUI backend is ever selected, nothing is kept in a
global figure registry, and rendering works on headless machines and in
threads. File names depend only on the metric names, and the PNGs carry no
version or date metadata, so the same results give the same files.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from harness.records import Score
from harness.report.table import Column, ComparisonTable, direction_arrow
from harness.store import RunDir

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PLOTS_DIR = "plots"
_PANEL_WIDTH = 2.9
_HEIGHT = 3.2
_DPI = 100
_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def plot_file_stem(metric: str) -> str:
    """A file-name-safe stem for a metric name.

    >>> plot_file_stem("rouge"), plot_file_stem("my metric/v2")
    ('rouge', 'my_metric_v2')
    """
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", metric).strip("._") or "metric"


def _label(text: str) -> str:
    # A "$" in a name would otherwise start matplotlib's math mode (and an odd
    # number of them is a parse error).
    return text.replace("$", r"\$")


@contextmanager
def _names_may_lack_glyphs() -> Iterator[None]:
    # System and value names come from users' configs; a name in a script the
    # bundled DejaVu font lacks is drawn as boxes, which must not fail a report.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield


def _metric_groups(columns: Sequence[Column]) -> dict[str, list[Column]]:
    groups: dict[str, list[Column]] = {}
    for column in columns:
        groups.setdefault(column.name.split(".", 1)[0], []).append(column)
    return groups


def _short(column: Column) -> str:
    # `short` is the report's label when `report.labels` gives one.
    return _label(column.short + direction_arrow(column.higher_is_better))


def _figure(panels: int, systems: int) -> tuple[Figure, list[Axes]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width = max(_PANEL_WIDTH, 0.55 * systems + 1.2) * panels
    figure = Figure(figsize=(width, _HEIGHT), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, panels, squeeze=False)[0]
    return figure, list(axes)


def _style_axis(axis: Axes, systems: Sequence[str], title: str) -> None:
    axis.set_title(title, fontsize=10)
    axis.set_xticks(range(len(systems)))
    rotate = len(systems) > 3 or max((len(name) for name in systems), default=0) > 8
    axis.set_xticklabels(
        [_label(name) for name in systems],
        rotation=30 if rotate else 0,
        ha="right" if rotate else "center",
        fontsize=8,
    )
    axis.set_xlim(-0.6, len(systems) - 0.4)
    axis.tick_params(axis="y", labelsize=8)
    axis.grid(axis="y", alpha=0.3)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with _names_may_lack_glyphs():
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def plot_means(table: ComparisonTable, metric: str) -> bytes:
    """PNG of each system's mean and CI, one panel per value of ``metric``.

    Args:
        table: The comparison table of a run.
        metric: A metric name (the part of the value names before the dot).
    """
    columns = _metric_groups(table.columns)[metric]
    systems = [row.shown for row in table.rows]
    figure, axes = _figure(len(columns), len(systems))
    for axis, column in zip(axes, columns, strict=True):
        for index, row in enumerate(table.rows):
            cell = row.cells[column.name]
            if cell.mean is None:
                continue
            low = cell.mean if cell.ci_low is None else min(cell.ci_low, cell.mean)
            high = cell.mean if cell.ci_high is None else max(cell.ci_high, cell.mean)
            axis.errorbar(
                [index],
                [cell.mean],
                yerr=[[cell.mean - low], [high - cell.mean]],
                fmt="o",
                color=_COLORS[index % len(_COLORS)],
                capsize=4,
                markersize=6,
                markeredgecolor="black" if cell.best else "none",
            )
        _style_axis(axis, systems, _short(column))
    title = table.metric_labels.get(metric, metric)
    figure.suptitle(_label(f"{title}: mean and {table.confidence:.0%} bootstrap CI"), fontsize=11)
    return _png(figure)


def _values_by_system(
    scores: Sequence[Score], metric: str, columns: Sequence[Column]
) -> dict[tuple[str, str], list[float]]:
    import numpy as np

    wanted = {column.name for column in columns}
    found: dict[tuple[str, str], list[float]] = {}
    for score in scores:
        if score.metric != metric:
            continue
        for name, value in score.values.items():
            full = f"{metric}.{name}"
            if value is not None and full in wanted and np.isfinite(value):
                found.setdefault((score.system, full), []).append(float(value))
    return found


def plot_distribution(table: ComparisonTable, scores: Sequence[Score], metric: str) -> bytes:
    """PNG of the per-example values of ``metric``: a box plot per system and value.

    Args:
        table: The comparison table of a run (gives systems and values, in order).
        scores: The run's scores (scores.jsonl).
        metric: A metric name.
    """
    import numpy as np

    columns = _metric_groups(table.columns)[metric]
    systems = [row.system for row in table.rows]
    values = _values_by_system(scores, metric, columns)
    figure, axes = _figure(len(columns), len(systems))
    # Jitter only spreads points sideways for legibility; seeded, so files are stable.
    jitter = np.random.default_rng(0)
    for axis, column in zip(axes, columns, strict=True):
        present = [
            (index, values[(system, column.name)])
            for index, system in enumerate(systems)
            if values.get((system, column.name))
        ]
        if present:
            box = axis.boxplot(
                [data for _, data in present],
                positions=[index for index, _ in present],
                widths=0.55,
                showfliers=False,
                patch_artist=True,
                medianprops={"color": "black"},
            )
            for patch, (index, _) in zip(box["boxes"], present, strict=True):
                patch.set_facecolor(_COLORS[index % len(_COLORS)])
                patch.set_alpha(0.35)
            for index, data in present:
                axis.scatter(
                    index + jitter.uniform(-0.15, 0.15, len(data)),
                    data,
                    s=8,
                    color=_COLORS[index % len(_COLORS)],
                    alpha=0.7,
                    linewidths=0,
                )
        else:
            axis.text(0.5, 0.5, "no values", ha="center", va="center", transform=axis.transAxes)
        _style_axis(axis, [row.shown for row in table.rows], _short(column))
    title = table.metric_labels.get(metric, metric)
    figure.suptitle(_label(f"{title}: per-example values"), fontsize=11)
    return _png(figure)


def render_plots(table: ComparisonTable, scores: Sequence[Score]) -> dict[str, bytes]:
    """Every plot of a run, keyed by its path relative to the run directory.

    Returns:
        ``{"plots/<metric>.png": png, "plots/<metric>_distribution.png": png, ...}``
        in the order of the table's metrics.
    """
    plots: dict[str, bytes] = {}
    if not table.rows:
        return plots
    for metric in _metric_groups(table.columns):
        stem = plot_file_stem(metric)
        plots[f"{PLOTS_DIR}/{stem}.png"] = plot_means(table, metric)
        plots[f"{PLOTS_DIR}/{stem}_distribution.png"] = plot_distribution(table, scores, metric)
    return plots


def write_plots(run_dir: RunDir, plots: Mapping[str, bytes]) -> None:
    """Write ``plots`` (from `render_plots`) under the run directory.

    PNGs in ``plots/`` that no longer belong to the run (e.g. of a metric
    removed before re-scoring) are deleted, so the folder matches the report.
    """
    folder = run_dir.file(PLOTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in plots.items():
        path = run_dir.file(name)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    keep = {run_dir.file(name).name for name in plots}
    for stale in folder.glob("*.png"):
        if stale.name not in keep:
            stale.unlink()


__all__ = [
    "PLOTS_DIR",
    "plot_distribution",
    "plot_file_stem",
    "plot_means",
    "render_plots",
    "write_plots",
]
