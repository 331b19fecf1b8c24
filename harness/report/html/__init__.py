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

Modules: `page` (`to_html`), `tables`, `data` (`page_data`, `normalize_finding`)
and `script_json` (`json_for_script`); the template is
harness/report/templates/report.html.j2.
"""

from __future__ import annotations

from harness.report.findings import OK_STATUSES
from harness.report.html.data import normalize_finding, page_data, shown_output
from harness.report.html.page import to_html
from harness.report.html.script_json import json_for_script

__all__ = [
    "OK_STATUSES",
    "json_for_script",
    "normalize_finding",
    "page_data",
    "shown_output",
    "to_html",
]
