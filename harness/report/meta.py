"""The meta-evaluation table: how each metric value agrees with human labels.

Built from results.json ``meta_eval`` (see `harness.meta_eval`); rendered in
report.md and in the terminal after the comparison table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from rich.table import Table
from rich.text import Text

from harness.report.formatting import escape_markdown, format_confidence, format_number

_BINARY = (("roc_auc", "ROC-AUC"), ("balanced_accuracy", "balanced acc."))
_CONTINUOUS = (("pearson", "Pearson"), ("spearman", "Spearman"), ("kendall", "Kendall"))


@dataclass(frozen=True)
class MetaRow:
    """One (system, value) line: statistic name → formatted "value [low, high]"
    (``compact``: the same with two-decimal bounds, for the terminal), and
    results.json's ``reason`` why a statistic or an interval is missing."""

    system: str
    value: str
    n: int
    cells: dict[str, str]
    compact: dict[str, str]
    reason: str | None = None
    #: Display names (``report.labels``); ``None`` shows the name.
    system_label: str | None = None
    value_label: str | None = None

    @property
    def shown_system(self) -> str:
        """The system as the tables show it: its label, or its name."""
        return self.system_label or self.system

    @property
    def shown_value(self) -> str:
        """The value as the tables show it: its label, or its name."""
        return self.value_label or self.value


@dataclass(frozen=True)
class MetaTable:
    """All meta-evaluation lines of a run and the protocol facts for the caption."""

    kind: str
    columns: tuple[tuple[str, str], ...]
    rows: list[MetaRow]
    note: str


def _format_statistic(data: Any, digits: int = 3) -> str:
    if not isinstance(data, dict) or data.get("value") is None:
        return "—"
    text = format_number(data["value"])
    if data.get("ci_low") is not None and data.get("ci_high") is not None:
        low, high = format_number(data["ci_low"], digits), format_number(data["ci_high"], digits)
        text += f" [{low}, {high}]" if digits == 3 else f" [{low},{high}]"
    return text


def build_meta_table(results: dict[str, Any]) -> MetaTable | None:
    """The meta-evaluation table of a parsed results.json, or None without labels."""
    meta = results.get("meta_eval")
    if not isinstance(meta, dict) or not meta.get("systems"):
        return None
    binary = meta.get("kind") == "binary"
    columns = _BINARY if binary else _CONTINUOUS
    rows = []
    for system, per_value in meta["systems"].items():
        for value, stats in per_value.items():
            n = stats.get("n_test") if binary and stats.get("n_test") is not None else stats["n"]
            cells = {key: _format_statistic(stats.get(key)) for key, _ in columns}
            compact = {key: _format_statistic(stats.get(key), 2) for key, _ in columns}
            reason = stats.get("reason")
            rows.append(
                MetaRow(
                    system,
                    value,
                    int(n or 0),
                    cells,
                    compact,
                    reason if isinstance(reason, str) and reason else None,
                )
            )
    if not rows:  # systems without a value: nothing to show
        return None
    if binary:
        where = (
            f"threshold chosen on {meta.get('split_field')} == {meta.get('dev_split')!r}, "
            "both statistics reported on the other examples"
            if meta.get("threshold_on") == "dev"
            else "threshold chosen and reported on all examples (optimistic)"
        )
        note = f"Binary human labels (1 = consistent); {where}."
    else:
        note = "Continuous human labels: correlation over all labelled examples."
    confidence = meta.get("confidence", 0.95)
    note += (
        f" Brackets: {format_confidence(confidence)} bootstrap interval. Values where lower"
        " is better are"
        " negated first, so higher always means better agreement."
    )
    return MetaTable(meta.get("kind", ""), columns, rows, note)


def label_meta(table: MetaTable, labels: Mapping[str, str]) -> MetaTable:
    """``table`` with each row's system and value named by ``labels`` (``report.labels``)."""
    rows = [
        replace(row, system_label=labels.get(row.system), value_label=labels.get(row.value))
        for row in table.rows
    ]
    return replace(table, rows=rows)


def meta_markdown(table: MetaTable) -> list[str]:
    """Markdown lines: a heading, the table and its caption."""
    header = ["system", "value", "n", *(label for _, label in table.columns)]
    lines = [
        "",
        "## Meta-evaluation against human labels",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---", "---"] + ["--:"] * (len(header) - 2)) + "|",
    ]
    for row in table.rows:
        cells = [escape_markdown(row.shown_system), escape_markdown(row.shown_value), str(row.n)]
        cells += [row.cells[key] for key, _ in table.columns]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", table.note]
    lines += missing_notes(table)
    return lines


def missing_reasons(table: MetaTable) -> dict[str, list[tuple[str, str]]]:
    """Each distinct reason why a statistic is "—" or has no interval, with the
    (system, value) lines it applies to, in table order."""
    by_reason: dict[str, list[tuple[str, str]]] = {}
    for row in table.rows:
        if row.reason is not None:
            by_reason.setdefault(row.reason, []).append((row.shown_system, row.shown_value))
    return by_reason


def missing_notes(table: MetaTable) -> list[str]:
    """Markdown lines that say why a statistic is "—" or has no interval, one per
    distinct reason with the (system, value) lines it applies to; none when none is."""
    by_reason = missing_reasons(table)
    if not by_reason:
        return []
    lines = ["", "Why a statistic is missing (—) or has no interval:", ""]
    for reason, where in by_reason.items():
        shown = ", ".join(f"{escape_markdown(s)} {escape_markdown(v)}" for s, v in where)
        lines.append(f"- {shown}: {escape_markdown(reason)}")
    return lines


def meta_rich(table: MetaTable) -> Table:
    """The same table for the terminal (the system column only when there are several)."""
    several = len({row.system for row in table.rows}) > 1
    first = table.rows[0].shown_system
    rich_table = Table(
        title=Text("meta-evaluation against human labels" + ("" if several else f" ({first})")),
        title_justify="left",
        title_style="bold",
    )
    if several:
        rich_table.add_column("system")
    rich_table.add_column("value", no_wrap=True)
    rich_table.add_column("n", justify="right")
    for _, label in table.columns:
        rich_table.add_column(label, justify="right", no_wrap=True)
    for row in table.rows:
        texts = [row.shown_value, str(row.n), *(row.compact[key] for key, _ in table.columns)]
        cells = [Text(text) for text in ([row.shown_system, *texts] if several else texts)]
        rich_table.add_row(*cells)
    rich_table.caption = table.note
    if any(row.reason is not None for row in table.rows):
        rich_table.caption += " report.md says why a statistic is missing (—) or has no interval."
    return rich_table


__all__ = [
    "MetaRow",
    "MetaTable",
    "build_meta_table",
    "label_meta",
    "meta_markdown",
    "meta_rich",
    "missing_notes",
]
