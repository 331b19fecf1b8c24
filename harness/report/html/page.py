"""The page itself: the Jinja2 template rendered with the tables, plots and data (`to_html`)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup

from harness.records import Example, Output, Score, has_words
from harness.report.formatting import format_confidence
from harness.report.html.data import page_data
from harness.report.html.script_json import json_for_script
from harness.report.html.tables import _comparison_table, _main_table
from harness.report.meta import missing_reasons
from harness.report.table import FEWER_LEGEND, LOST_LEGEND, ComparisonTable, comparison_notes

if TYPE_CHECKING:
    from jinja2 import Environment

#: The error the failures table shows for an empty summary (no letter or digit).
EMPTY_SUMMARY = "empty summary (no letter or digit): its values are null"


def _meta_reasons(table: ComparisonTable) -> list[tuple[str, list[str]]]:
    """Why a meta-evaluation statistic is missing, with the (system, value) lines it
    applies to, as report.md lists them (`harness.report.meta.missing_reasons`)."""
    if table.meta is None:
        return []
    return [
        (reason, [f"{system} {value}" for system, value in where])
        for reason, where in missing_reasons(table.meta).items()
    ]


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _plots(plots: Mapping[str, bytes]) -> list[dict[str, str]]:
    items = []
    for name, data in plots.items():
        stem = name.rsplit("/", 1)[-1].removesuffix(".png")
        kind = "distribution" if stem.endswith("_distribution") else "means"
        items.append(
            {
                "name": name,
                "caption": (
                    f"{stem.removesuffix('_distribution')}: per-example values"
                    if kind == "distribution"
                    else f"{stem}: means and confidence intervals"
                ),
                "uri": "data:image/png;base64," + base64.b64encode(data).decode("ascii"),
            }
        )
    return items


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("harness.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters["csp_hash"] = _csp_hash
    return environment


def to_html(
    table: ComparisonTable,
    *,
    examples: Sequence[Example],
    outputs: Sequence[Output],
    scores: Sequence[Score],
    plots: Mapping[str, bytes],
) -> str:
    """The self-contained ``report.html`` of a run.

    Args:
        table: The comparison table.
        examples: The run's examples (examples.jsonl).
        outputs: The run's outputs (outputs.jsonl).
        scores: The run's scores (scores.jsonl).
        plots: PNGs keyed by relative path (from `harness.report.plots.render_plots`).
    """
    # An empty summary is a failed generation, as `harness run` and `check` count it.
    shown = table.shown_systems
    failures = [
        {
            "system": output.system,
            "shown": shown.get(output.system, output.system),
            "example_id": output.example_id,
            "error": output.error if output.error is not None else EMPTY_SUMMARY,
        }
        for output in outputs
        if output.error is not None or not has_words(output.summary or "")
    ]
    template = _environment().get_template("report.html.j2")
    return template.render(
        table=table,
        main=_main_table(table),
        versus=_comparison_table(table),
        # as report.md's legend: "± half-width" only when every cell shows one
        shows_ci=all(cell.show_ci for row in table.rows for cell in row.cells.values()),
        confidence=format_confidence(table.confidence),
        legend_alpha="" if table.alpha is None else f"{table.alpha:g}",
        versus_notes=comparison_notes(table, "α"),
        meta_reasons=_meta_reasons(table),
        lost_legend=LOST_LEGEND,
        fewer_legend=FEWER_LEGEND,
        plots=_plots(plots),
        failures=failures,
        has_examples=bool(examples or outputs),
        data_json=Markup(json_for_script(page_data(table, examples, outputs, scores))),
    )
