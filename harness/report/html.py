"""Render a run as ONE self-contained HTML page (``report.html``).

The page holds the comparison table (and the differences from the baseline,
when the run has them), sortable by clicking a column header; the plots,
embedded as base64 ``data:`` URIs; the failures; and a per-example drill-down
(source and summaries side by side, every metric value, every finding
highlighted at its span), with filters by system, by metric and "flagged only".
It makes no network request: CSS and JavaScript are inline, and a
Content-Security-Policy allows only the page's own script (by hash) and
``data:`` images.

Text that comes from data or models (sources, summaries, errors, findings,
names) is never written into the page as HTML: the tables are rendered by
Jinja2 with autoescaping on, and the per-example data travels as JSON inside
``<script type="application/json">`` (with ``<``, ``>`` and ``&`` written as
``\\u003c`` etc., so no ``</script>`` or comment can end the block early) and
is turned into DOM nodes with ``textContent`` only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from harness.records import Example, Output, Score
from harness.report.findings import OK_STATUSES, describe_finding
from harness.report.table import (
    ComparisonTable,
    direction_arrow,
    format_cell,
    format_comparison,
    format_number,
)

if TYPE_CHECKING:
    from jinja2 import Environment


def json_for_script(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` are written as JSON unicode escapes, so the text can
    contain neither ``</script>`` nor ``<!--``; ``JSON.parse`` restores them.

    >>> json_for_script({"s": "</script><b>&"})
    '{"s": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(_jsonable(value), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _jsonable(value: Any) -> Any:
    # JSON has no NaN/Infinity (JSON.parse rejects them): undefined is null.
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _css_token(status: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", status.lower()).strip("-") or "unknown"


def _span(raw: Any, length: int) -> list[int] | None:
    """A ``[start, end)`` span if it is two ints inside the text, else ``None``."""
    if not isinstance(raw, (list, tuple)) or len(raw) != 2:
        return None
    start, end = raw
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
        return None
    return [start, end] if 0 <= start < end <= length else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(_jsonable(value), ensure_ascii=False)


def normalize_finding(
    finding: Mapping[str, Any], metric: str, summary: str, source: str
) -> dict[str, Any]:
    """A finding as the page shows it: known fields as text, spans checked.

    ``sentence`` is the finding in one plain sentence (`describe_finding`),
    the text the drill-down shows; the other fields feed its hover details.

    Spans are Python string offsets (code points), which the page's script
    indexes the same way. A span that is malformed or outside its text is
    dropped (the finding is still listed) and ``span_note`` says so.

    Args:
        finding: One entry of a score's ``findings``.
        metric: The metric that reported it.
        summary: The summary its ``span`` points into.
        source: The source its ``source_span`` points into.
    """
    status = str(finding.get("status") or "unknown")
    span = _span(finding.get("span"), len(summary))
    source_span = _span(finding.get("source_span"), len(source))
    notes = []
    if finding.get("span") is not None and span is None:
        notes.append(f"summary span {finding.get('span')!r} is outside the summary")
    if finding.get("source_span") is not None and source_span is None:
        notes.append(f"source span {finding.get('source_span')!r} is outside the source")
    text = _text(finding.get("text"))
    if text is None and span is not None:
        text = summary[span[0] : span[1]]
    known = {"kind", "text", "status", "span", "source_span", "evidence", "reason"}
    extra = {key: value for key, value in finding.items() if key not in known}
    return {
        "metric": metric,
        "kind": _text(finding.get("kind")) or "",
        "text": text or "",
        "status": status,
        "css": _css_token(status),
        "flagged": status not in OK_STATUSES,
        "span": span,
        "source_span": source_span,
        "evidence": _text(finding.get("evidence")),
        "reason": _text(finding.get("reason")),
        # what the page shows: one sentence, not the metric's parse (that is
        # only in the hover title, from "evidence" and "extra")
        "sentence": describe_finding(finding),
        "extra": _text(extra) if extra else None,
        "span_note": "; ".join(notes) or None,
    }


def shown_output(output: Output) -> dict[str, Any]:
    """What the page takes of an output besides its scores: summary, error, latency.

    >>> shown_output(Output(example_id="e", system="s", summary="S.", latency_s=0.5))
    {'summary': 'S.', 'error': None, 'latency_s': 0.5}
    """
    return {"summary": output.summary, "error": output.error, "latency_s": output.latency_s}


def page_data(
    table: ComparisonTable,
    examples: Sequence[Example],
    outputs: Sequence[Output],
    scores: Sequence[Score],
) -> dict[str, Any]:
    """The data the drill-down script reads (one JSON document).

    Args:
        table: The comparison table (systems and values, in report order).
        examples: examples.jsonl.
        outputs: outputs.jsonl.
        scores: scores.jsonl.
    """
    systems = [row.system for row in table.rows]
    for output in outputs:
        if output.system not in systems:
            systems.append(output.system)
    values = [
        {
            "name": column.name,
            "metric": column.name.split(".", 1)[0],
            "higher_is_better": column.higher_is_better,
            "description": column.description,
        }
        for column in table.columns
    ]
    metrics = list(dict.fromkeys(value["metric"] for value in values))
    for score in scores:
        if score.metric not in metrics:
            metrics.append(score.metric)
    by_id: dict[str, dict[str, Any]] = {}
    for example in examples:
        by_id[example.id] = {
            "id": example.id,
            "source": example.source,
            "references": list(example.references),
            "label": example.label,
            "meta": example.meta or None,
            "outputs": {},
        }
    for output in outputs:
        entry = by_id.setdefault(
            output.example_id,
            {
                "id": output.example_id,
                "source": "",
                "references": [],
                "label": None,
                "meta": {"note": "not in examples.jsonl"},
                "outputs": {},
            },
        )
        entry["outputs"][output.system] = {
            **shown_output(output),
            "values": {},
            "reasons": {},
            "findings": [],
        }
    for score in scores:
        scored = by_id.get(score.example_id)
        if scored is None or score.system not in scored["outputs"]:
            continue
        item = scored["outputs"][score.system]
        for name, value in score.values.items():
            item["values"][f"{score.metric}.{name}"] = value
        if score.reason:
            item["reasons"][score.metric] = score.reason
        item["findings"] += [
            normalize_finding(finding, score.metric, item["summary"] or "", scored["source"])
            for finding in score.findings
            if isinstance(finding, Mapping)
        ]
    return {
        "name": table.name,
        "systems": systems,
        "baseline": table.baseline,
        "metrics": metrics,
        "values": values,
        "ok_statuses": sorted(OK_STATUSES),
        "examples": list(by_id.values()),
    }


def _cell(
    text: str, sort: str | int, *, title: str = "", css: str = "", best: bool = False
) -> dict[str, Any]:
    return {"text": text, "sort": sort, "title": title, "css": css, "best": best}


def _main_table(table: ComparisonTable) -> dict[str, Any]:
    header: list[dict[str, Any]] = [
        {"label": "system", "type": "text", "better": "", "title": "system name"},
        {
            "label": "n",
            "type": "number",
            "better": "",
            "title": "examples scored (max over values)",
        },
        {"label": "failures", "type": "number", "better": "lower", "title": "failed generations"},
    ]
    for column in table.columns:
        header.append(
            {
                "label": column.shown + direction_arrow(column.higher_is_better),
                "type": "number",
                "better": {True: "higher", False: "lower", None: ""}[column.higher_is_better],
                "title": column.description,
            }
        )
    rows = []
    for row in table.rows:
        n = max((cell.n for cell in row.cells.values()), default=0)
        cells = [
            _cell(row.shown, row.system, css="name"),
            _cell(str(n), n),
            _cell(str(row.failures), row.failures),
        ]
        for column in table.columns:
            cell = row.cells[column.name]
            title = f"n = {cell.n}, undefined = {cell.nulls}"
            if cell.ci_low is not None and cell.ci_high is not None:
                title += (
                    f"; {table.confidence:.0%} CI [{format_number(cell.ci_low)}, "
                    f"{format_number(cell.ci_high)}]"
                )
            sort = "" if cell.mean is None else repr(cell.mean)
            cells.append(_cell(format_cell(cell), sort, title=title, best=cell.best))
        rows.append(
            {"system": row.system, "baseline": row.system == table.baseline, "cells": cells}
        )
    return {"header": header, "rows": rows}


def _comparison_table(table: ComparisonTable) -> dict[str, Any] | None:
    if not table.has_comparisons:
        return None
    header: list[dict[str, Any]] = [
        {"label": "system", "type": "text", "better": "", "title": "system name"},
        {
            "label": "n",
            "type": "number",
            "better": "",
            "title": "paired examples (max over values)",
        },
    ]
    for column in table.columns:
        header.append(
            {
                "label": column.shown + direction_arrow(column.higher_is_better),
                "type": "number",
                "better": {True: "higher", False: "lower", None: ""}[column.higher_is_better],
                "title": column.description,
            }
        )
    rows = []
    for row in table.rows:
        if row.system == table.baseline or not row.comparisons:
            continue
        n = max((comparison.n for comparison in row.comparisons.values()), default=0)
        cells = [_cell(row.shown, row.system, css="name"), _cell(str(n), n)]
        for column in table.columns:
            comparison = row.comparisons.get(column.name)
            if comparison is None:
                cells.append(_cell("—", "", title="not compared"))
                continue
            css = ""
            if comparison.significant and comparison.diff is not None:
                if column.higher_is_better is None:
                    css = "sig"
                else:
                    better = (comparison.diff > 0) == column.higher_is_better
                    css = "sig-better" if better else "sig-worse"
            title = (
                f"p = {_p(comparison.p_value)}, Holm p = {_p(comparison.p_holm)}; "
                f"wins/ties/losses vs {table.baseline} = "
                f"{comparison.wins}/{comparison.ties}/{comparison.losses}; n = {comparison.n}"
            )
            sort = "" if comparison.diff is None else repr(comparison.diff)
            cells.append(_cell(format_comparison(comparison), sort, title=title, css=css))
        rows.append({"system": row.system, "baseline": False, "cells": cells})
    return {"header": header, "rows": rows}


def _p(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}"


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
    failures = [
        {"system": output.system, "example_id": output.example_id, "error": output.error}
        for output in outputs
        if output.error is not None
    ]
    template = _environment().get_template("report.html.j2")
    return template.render(
        table=table,
        main=_main_table(table),
        versus=_comparison_table(table),
        legend_alpha="" if table.alpha is None else f"{table.alpha:g}",
        plots=_plots(plots),
        failures=failures,
        has_examples=bool(examples or outputs),
        data_json=Markup(json_for_script(page_data(table, examples, outputs, scores))),
    )


__all__ = [
    "OK_STATUSES",
    "json_for_script",
    "normalize_finding",
    "page_data",
    "shown_output",
    "to_html",
]
