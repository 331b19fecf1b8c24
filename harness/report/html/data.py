"""The data the page's drill-down script reads: examples, outputs, values, findings."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from harness.records import Example, Output, Score
from harness.report.findings import OK_STATUSES, describe_finding
from harness.report.html.script_json import _jsonable
from harness.report.table import ComparisonTable


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
            "shown": column.shown,
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
        # the names the tables show (report.labels), for the drill-down's headings
        "shown": table.shown_systems,
        "baseline": table.baseline,
        "metrics": metrics,
        "values": values,
        "ok_statuses": sorted(OK_STATUSES),
        "examples": list(by_id.values()),
    }
