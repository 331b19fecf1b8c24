"""PNG plots of a run: system means with CIs, and per-example score distributions.

Two figures per metric, one panel per value of the metric (values of one
metric can live on very different scales, e.g. fragment coverage and density):

* ``plots/<metric>.png`` — each system's mean with its bootstrap CI as an
  error bar (from results.json, through the comparison table);
* ``plots/<metric>_distribution.png`` — a box plot per system of the
  per-example values (from scores.jsonl), with the values drawn as points.

Each figure is first described as a `PlotSpec` (plain data: titles, tick
labels, the points or values of each panel) and then drawn from that spec
alone, so the spec is exactly what the figure shows. Its content key
(`harness.report.reuse`) is written into the PNG; `update_plots` draws only
the plots whose key the previous run's file does not carry and carries the
others over unchanged.

Figures are drawn with matplotlib's object API on the Agg canvas, chosen
explicitly: no pyplot, so no GUI backend is ever selected, nothing is kept in a
global figure registry, and rendering works on headless machines and in
threads. They use matplotlib's default style whatever a matplotlibrc says, so
a file depends only on its spec and the renderer. File names depend only on
the metric names, and the PNGs carry no version or date metadata, so the same
results give the same files. matplotlib is imported only to draw.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Literal

from harness.records import Score
from harness.report.reuse import KEY_NAME, carry_png, content_key
from harness.report.table import Column, ComparisonTable, direction_arrow
from harness.store import RunDir

if TYPE_CHECKING:
    import numpy as np
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


@dataclass(frozen=True)
class MeanPoint:
    """One system's mean in a panel: its x position, mean, CI bounds and whether it is best."""

    position: int
    mean: float
    low: float
    high: float
    best: bool


@dataclass(frozen=True)
class Box:
    """One system's per-example values in a panel, at x position ``position``."""

    position: int
    values: tuple[float, ...]


@dataclass(frozen=True)
class Panel:
    """One value of the metric: its title and its points (means) or boxes (distribution)."""

    title: str
    points: tuple[MeanPoint, ...] = ()
    boxes: tuple[Box, ...] = ()


@dataclass(frozen=True)
class PlotSpec:
    """Everything one figure shows; `draw` draws it from this alone.

    Attributes:
        kind: ``"means"`` (error bars) or ``"distribution"`` (box plots).
        title: The figure's title.
        systems: The x tick labels, one per system, in order.
        panels: One per value of the metric.
    """

    kind: Literal["means", "distribution"]
    title: str
    systems: tuple[str, ...]
    panels: tuple[Panel, ...]

    def key(self) -> str:
        """The content key of the PNG this spec draws (of every field, recursively)."""
        return content_key("plot", _plain(self))


def _plain(value: object) -> object:
    # `dataclasses.asdict` without its per-float deep copies (a distribution
    # holds every example's value): a dataclass becomes the list of its fields.
    if is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, item.name)) for item in fields(value)]
    if isinstance(value, tuple):
        return [_plain(item) for item in value] if value and is_dataclass(value[0]) else value
    return value


def _metric_groups(columns: Sequence[Column]) -> dict[str, list[Column]]:
    groups: dict[str, list[Column]] = {}
    for column in columns:
        groups.setdefault(column.name.split(".", 1)[0], []).append(column)
    return groups


def _short(column: Column) -> str:
    # `short` is the report's label when `report.labels` gives one.
    return _label(column.short + direction_arrow(column.higher_is_better))


# what each figure shows ---------------------------------------------------------
def means_spec(table: ComparisonTable, metric: str) -> PlotSpec:
    """What the means figure of ``metric`` shows: each system's mean and CI per value.

    Args:
        table: The comparison table of a run.
        metric: A metric name (the part of the value names before the dot).
    """
    panels = []
    for column in _metric_groups(table.columns)[metric]:
        points = []
        for index, row in enumerate(table.rows):
            cell = row.cells[column.name]
            if cell.mean is None:
                continue
            low = cell.mean if cell.ci_low is None else min(cell.ci_low, cell.mean)
            high = cell.mean if cell.ci_high is None else max(cell.ci_high, cell.mean)
            points.append(MeanPoint(index, cell.mean, low, high, cell.best))
        panels.append(Panel(_short(column), points=tuple(points)))
    title = table.metric_labels.get(metric, metric)
    return PlotSpec(
        kind="means",
        title=_label(f"{title}: mean and {table.confidence:.0%} bootstrap CI"),
        systems=tuple(row.shown for row in table.rows),
        panels=tuple(panels),
    )


def _values_by_system(
    scores: Sequence[Score], metric: str, columns: Sequence[Column]
) -> dict[tuple[str, str], list[float]]:
    wanted = {column.name for column in columns}
    found: dict[tuple[str, str], list[float]] = {}
    for score in scores:
        if score.metric != metric:
            continue
        for name, value in score.values.items():
            full = f"{metric}.{name}"
            if value is not None and full in wanted and math.isfinite(value):
                found.setdefault((score.system, full), []).append(float(value))
    return found


def distribution_spec(table: ComparisonTable, scores: Sequence[Score], metric: str) -> PlotSpec:
    """What the distribution figure of ``metric`` shows: the per-example values per system.

    Args:
        table: The comparison table of a run (gives systems and values, in order).
        scores: The run's scores (scores.jsonl).
        metric: A metric name.
    """
    columns = _metric_groups(table.columns)[metric]
    values = _values_by_system(scores, metric, columns)
    panels = []
    for column in columns:
        boxes = tuple(
            Box(index, tuple(values[(row.system, column.name)]))
            for index, row in enumerate(table.rows)
            if values.get((row.system, column.name))
        )
        panels.append(Panel(_short(column), boxes=boxes))
    title = table.metric_labels.get(metric, metric)
    return PlotSpec(
        kind="distribution",
        title=_label(f"{title}: per-example values"),
        systems=tuple(row.shown for row in table.rows),
        panels=tuple(panels),
    )


def plot_specs(table: ComparisonTable, scores: Sequence[Score]) -> dict[str, PlotSpec]:
    """Every figure of a run, keyed by its path relative to the run directory.

    Returns:
        ``{"plots/<metric>.png": spec, "plots/<metric>_distribution.png": spec, ...}``
        in the order of the table's metrics (none when the table has no rows).
    """
    specs: dict[str, PlotSpec] = {}
    if not table.rows:
        return specs
    for metric in _metric_groups(table.columns):
        stem = plot_file_stem(metric)
        specs[f"{PLOTS_DIR}/{stem}.png"] = means_spec(table, metric)
        specs[f"{PLOTS_DIR}/{stem}_distribution.png"] = distribution_spec(table, scores, metric)
    return specs


# drawing ------------------------------------------------------------------------
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


def _draw_means(axis: Axes, panel: Panel) -> None:
    for point in panel.points:
        axis.errorbar(
            [point.position],
            [point.mean],
            yerr=[[point.mean - point.low], [point.high - point.mean]],
            fmt="o",
            color=_COLORS[point.position % len(_COLORS)],
            capsize=4,
            markersize=6,
            markeredgecolor="black" if point.best else "none",
        )


def _draw_boxes(axis: Axes, panel: Panel, jitter: np.random.Generator) -> None:
    if not panel.boxes:
        axis.text(0.5, 0.5, "no values", ha="center", va="center", transform=axis.transAxes)
        return
    drawn = axis.boxplot(
        [list(box.values) for box in panel.boxes],
        positions=[box.position for box in panel.boxes],
        widths=0.55,
        showfliers=False,
        patch_artist=True,
        medianprops={"color": "black"},
    )
    for patch, box in zip(drawn["boxes"], panel.boxes, strict=True):
        patch.set_facecolor(_COLORS[box.position % len(_COLORS)])
        patch.set_alpha(0.35)
    for box in panel.boxes:
        axis.scatter(
            box.position + jitter.uniform(-0.15, 0.15, len(box.values)),
            list(box.values),
            s=8,
            color=_COLORS[box.position % len(_COLORS)],
            alpha=0.7,
            linewidths=0,
        )


def draw(spec: PlotSpec) -> bytes:
    """The PNG of ``spec``, carrying its content key (and no version or date)."""
    import matplotlib.style
    import numpy as np

    with matplotlib.style.context("default"):
        figure, axes = _figure(len(spec.panels), len(spec.systems))
        # Jitter only spreads points sideways for legibility; seeded, so files are stable.
        jitter = np.random.default_rng(0)
        for axis, panel in zip(axes, spec.panels, strict=True):
            if spec.kind == "means":
                _draw_means(axis, panel)
            else:
                _draw_boxes(axis, panel, jitter)
            _style_axis(axis, spec.systems, panel.title)
        figure.suptitle(spec.title, fontsize=11)
        buffer = io.BytesIO()
        with _names_may_lack_glyphs():
            figure.savefig(buffer, format="png", metadata={"Software": None, KEY_NAME: spec.key()})
    return buffer.getvalue()


def plot_means(table: ComparisonTable, metric: str) -> bytes:
    """PNG of each system's mean and CI, one panel per value of ``metric`` (`means_spec`)."""
    return draw(means_spec(table, metric))


def plot_distribution(table: ComparisonTable, scores: Sequence[Score], metric: str) -> bytes:
    """PNG of the per-example values of ``metric`` per system and value (`distribution_spec`)."""
    return draw(distribution_spec(table, scores, metric))


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


__all__ = [
    "PLOTS_DIR",
    "Box",
    "MeanPoint",
    "Panel",
    "PlotSpec",
    "distribution_spec",
    "draw",
    "means_spec",
    "plot_distribution",
    "plot_file_stem",
    "plot_means",
    "plot_specs",
    "render_plots",
    "update_plots",
    "write_plots",
]
