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

Modules: `spec` (`PlotSpec`), `figures` (the specs of a run), `drawing`
(`draw`) and `files` (`render_plots`, `update_plots`, `write_plots`, and
`draw_plot`, the task that draws a plot on an executor's worker).
"""

from __future__ import annotations

from harness.report.plots.drawing import draw, plot_distribution, plot_means
from harness.report.plots.figures import (
    PLOTS_DIR,
    distribution_spec,
    means_spec,
    plot_file_stem,
    plot_specs,
)
from harness.report.plots.files import draw_plot, render_plots, update_plots, write_plots
from harness.report.plots.spec import Box, MeanPoint, Panel, PlotSpec

__all__ = [
    "PLOTS_DIR",
    "Box",
    "MeanPoint",
    "Panel",
    "PlotSpec",
    "distribution_spec",
    "draw",
    "draw_plot",
    "means_spec",
    "plot_distribution",
    "plot_file_stem",
    "plot_means",
    "plot_specs",
    "render_plots",
    "update_plots",
    "write_plots",
]
