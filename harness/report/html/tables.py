"""The page's sortable tables: the comparison table and the differences from the baseline."""

from __future__ import annotations

from typing import Any

from harness.report.formatting import format_confidence
from harness.report.table import (
    ComparisonTable,
    direction_arrow,
    format_cell,
    format_comparison,
    format_number,
)


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
        cells = [
            _cell(row.shown, row.system, css="name"),
            _cell(str(row.n), row.n),
            _cell(str(row.failures), row.failures),
        ]
        for column in table.columns:
            cell = row.cells[column.name]
            title = f"n = {cell.n}, undefined = {cell.nulls}"
            if cell.ci_low is not None and cell.ci_high is not None:
                title += (
                    f"; {format_confidence(table.confidence)} CI [{format_number(cell.ci_low)}, "
                    f"{format_number(cell.ci_high)}]"
                )
            text = format_cell(cell)
            if cell.mean is not None and cell.lost:
                text += f" †{cell.lost}"
                examples = "example" if cell.lost == 1 else "examples"
                title += f"; leaves out {cell.lost} {examples} the system failed"
            fewer = row.fewer(column.name)
            if fewer is not None:
                text += f" (n={fewer})"
            sort = "" if cell.mean is None else repr(cell.mean)
            cells.append(_cell(text, sort, title=title, best=cell.best))
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
            tested = (
                f"p = {_p(comparison.p_value)}, Holm p = {_p(comparison.p_holm)}"
                if comparison.n > 1
                else f"no test at n = {comparison.n}"
            )
            title = (
                f"{tested}; "
                f"wins/ties/losses vs {table.baseline_shown} = "
                f"{comparison.wins}/{comparison.ties}/{comparison.losses}; n = {comparison.n}"
            )
            sort = "" if comparison.diff is None else repr(comparison.diff)
            # report.digits applies here as in report.md's "vs baseline" table
            shown = format_comparison(comparison, row.cells[column.name].digits)
            cells.append(_cell(shown, sort, title=title, css=css))
        rows.append({"system": row.system, "baseline": False, "cells": cells})
    return {"header": header, "rows": rows}


def _p(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}"
