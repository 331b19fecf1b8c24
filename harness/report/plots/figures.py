"""What each figure of a run shows: a `PlotSpec` per metric for the means and the distribution."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from harness.records import Score
from harness.report.formatting import format_confidence
from harness.report.plots.spec import Box, MeanPoint, Panel, PlotSpec, _label
from harness.report.table import Column, ComparisonTable, direction_arrow

PLOTS_DIR = "plots"


def plot_file_stem(metric: str) -> str:
    """A file-name-safe stem for a metric name.

    >>> plot_file_stem("rouge"), plot_file_stem("my metric/v2")
    ('rouge', 'my_metric_v2')
    """
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", metric).strip("._") or "metric"


def _metric_groups(columns: Sequence[Column]) -> dict[str, list[Column]]:
    groups: dict[str, list[Column]] = {}
    for column in columns:
        groups.setdefault(column.name.split(".", 1)[0], []).append(column)
    return groups


def _short(column: Column) -> str:
    # `short` is the report's label when `report.labels` gives one.
    return _label(column.short + direction_arrow(column.higher_is_better))


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
        title=_label(f"{title}: mean and {format_confidence(table.confidence)} bootstrap CI"),
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
