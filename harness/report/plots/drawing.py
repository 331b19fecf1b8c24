"""Drawing a `PlotSpec` as a PNG with matplotlib's object API on the Agg canvas."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from harness.records import Score
from harness.report.plots.figures import distribution_spec, means_spec
from harness.report.plots.spec import Panel, PlotSpec, _label
from harness.report.reuse import KEY_NAME
from harness.report.table import ComparisonTable

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


_PANEL_WIDTH = 2.9
_HEIGHT = 3.2
_DPI = 100
_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


@contextmanager
def _names_may_lack_glyphs() -> Iterator[None]:
    # System and value names come from users' configs; a name in a script the
    # bundled DejaVu font lacks is drawn as boxes, which must not fail a report.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield


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
