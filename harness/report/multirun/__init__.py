r"""One table over several runs (``harness table RUN_DIR...``): a paper's "Table 1".

Rows are systems, column groups are runs (each named by its results.json
``name``), cells are the chosen values of each run with their CIs. The best
mean of each column is bold among the systems shown of that run; a system a
run lacks shows "–". Like every report it reads run directories only (their
results.json and manifest.json) and never recomputes a score.

Three formats carry the same content: Markdown, CSV (one row per run, system
and value, with mean, CI bounds and n, for plotting) and LaTeX (booktabs,
``\multicolumn`` run headers, decimal points aligned with ``\phantom``
padding, the CI half-width under each mean, shrunk to ``\linewidth`` only
when wider than the text).

Modules: `table` (the model: `MultiTable`, `RunGroup`), `build` (reading the
runs, `build_multi`), `tables` (Markdown, CSV) and `latex`.
"""

from __future__ import annotations

from harness.report.multirun.build import build_multi
from harness.report.multirun.latex import to_latex_multi
from harness.report.multirun.table import MISSING, MultiTable, RunGroup
from harness.report.multirun.tables import to_csv_multi, to_markdown_multi

__all__ = [
    "MISSING",
    "MultiTable",
    "RunGroup",
    "build_multi",
    "to_csv_multi",
    "to_latex_multi",
    "to_markdown_multi",
]
