"""What a finished run says about its own health: failed generations and metric errors.

A run whose summaries partly failed still has results, but they are means over
fewer examples; a system whose every generation failed has no results at all.
Neither may pass in silence: `run_outcome` turns results.json into warning
lines (the distinct reasons, how often, and which examples) and the exit code
(`EXIT_SYSTEM_FAILED` when some system produced no summary).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import typer
from rich.markup import escape

from harness.cli._common import EXIT_OK, EXIT_SYSTEM_FAILED, stderr

_SHOWN_REASONS = 3
_SHOWN_IDS = 5
_REASON_CHARS = 240


@dataclass(frozen=True)
class RunOutcome:
    """Warnings to print after a run, and the exit status it earns."""

    warnings: list[str]
    dead_systems: list[str]

    @property
    def exit_code(self) -> int:
        """`EXIT_SYSTEM_FAILED` when a system produced no summary at all, else 0."""
        return EXIT_SYSTEM_FAILED if self.dead_systems else EXIT_OK


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 1] + "…"


def _ids(ids: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:_SHOWN_IDS])
    return shown + (f" and {len(ids) - _SHOWN_IDS} more" if len(ids) > _SHOWN_IDS else "")


def _reason_line(count: int, reason: str, ids: Sequence[str]) -> str:
    """``count× reason (examples ...)``; ``ids`` may be the first of the ``count``."""
    more = count - len(ids)
    shown = _ids(ids) + (f" and {more} more" if more > 0 else "")
    return f"{count}× {reason} (example{'s' if count > 1 else ''} {shown})"


def summarize_reasons(items: Sequence[Mapping[str, str]], field: str = "error") -> list[str]:
    """One line per distinct reason, most frequent first, with the examples it hit.

    >>> summarize_reasons([{"example_id": "a", "error": "timeout"},
    ...                    {"example_id": "b", "error": "timeout"}])
    ["2× timeout (examples 'a', 'b')"]
    """
    by_reason: dict[str, list[str]] = {}
    for item in items:
        by_reason.setdefault(_short(item[field]), []).append(item["example_id"])
    counts = Counter({reason: len(ids) for reason, ids in by_reason.items()})
    lines = [
        _reason_line(count, reason, by_reason[reason])
        for reason, count in counts.most_common(_SHOWN_REASONS)
    ]
    if len(counts) > _SHOWN_REASONS:
        lines.append(f"… and {len(counts) - _SHOWN_REASONS} other reasons (see outputs.jsonl)")
    return lines


def _unscored_warnings(
    system: str, groups: Sequence[Mapping[str, Any]], n_examples: int
) -> list[str]:
    """One warning per metric that left some of ``system``'s pairs unscored (no
    reference, a text in a script it cannot read, ...): its mean is over fewer
    examples than the system's."""
    by_metric: dict[str, list[Mapping[str, Any]]] = {}
    for group in groups:
        by_metric.setdefault(str(group["metric"]), []).append(group)
    warnings = []
    for metric, mine in by_metric.items():
        total = sum(int(group["count"]) for group in mine)
        lines = [
            _reason_line(int(group["count"]), _short(str(group["reason"])), group["examples"])
            for group in sorted(mine, key=lambda group: -int(group["count"]))[:_SHOWN_REASONS]
        ]
        warnings.append(
            f"system {system!r}: metric {metric!r} left {total} of {n_examples} examples "
            "unscored (their values are null; its means are over the rest)"
            + "".join(f"\n  {line}" for line in lines)
        )
    return warnings


def run_outcome(results: Mapping[str, Any]) -> RunOutcome:
    """Read failures and metric errors out of a results.json document."""
    n_examples = int(results.get("n_examples") or 0)
    failures: Mapping[str, int] = results.get("failures") or {}
    errors: Mapping[str, list[dict[str, str]]] = results.get("errors") or {}
    metric_errors: Mapping[str, list[dict[str, str]]] = results.get("metric_errors") or {}
    empty_summaries: Mapping[str, list[str]] = results.get("empty_summaries") or {}
    not_scored: Mapping[str, list[dict[str, Any]]] = results.get("not_scored") or {}
    truncated: Mapping[str, int] = results.get("truncated") or {}
    cut_off: Mapping[str, int] = results.get("cut_off") or {}
    warnings: list[str] = []
    dead: list[str] = []
    for system in results.get("systems") or []:
        failed = int(failures.get(system, 0))
        empty = list(empty_summaries.get(system, []))
        if n_examples and failed + len(empty) >= n_examples and (failed or empty):
            dead.append(system)
        if failed:
            if n_examples and failed >= n_examples:
                head = f"system {system!r} produced no summary: all {failed} generations failed"
            else:
                head = f"system {system!r}: {failed} of {n_examples} generations failed"
            reasons = summarize_reasons(errors.get(system, []))
            warnings.append(head + "".join(f"\n  {line}" for line in reasons))
        cut = int(truncated.get(system, 0))
        if cut:
            warnings.append(
                f"system {system!r}: {cut} of {n_examples} sources were cut to fit the "
                "model's input limit (max_input_tokens, else its context): those summaries "
                "saw only the start of the article (truncated_tokens in outputs.jsonl)"
            )
        kept = int(cut_off.get(system, 0))
        if kept:
            warnings.append(
                f"system {system!r}: {kept} of {n_examples} summaries reached max_new_tokens "
                "and were kept to their last whole sentence (cut_off: whole_sentences; what "
                "was dropped is cut_off in outputs.jsonl)"
            )
        if empty:
            what = "is" if len(empty) == 1 else "are"
            warnings.append(
                f"system {system!r}: {len(empty)} of {n_examples} summaries {what} empty (no "
                f"letter or digit; their values are null): examples {_ids(empty)}"
            )
        broken = metric_errors.get(system, [])
        for metric in dict.fromkeys(item["metric"] for item in broken):
            mine = [item for item in broken if item["metric"] == metric]
            reasons = summarize_reasons(mine)
            warnings.append(
                f"system {system!r}: metric {metric!r} raised on {len(mine)} examples "
                "(their values are null)" + "".join(f"\n  {line}" for line in reasons)
            )
        warnings += _unscored_warnings(system, not_scored.get(system, []), n_examples)
    warnings += _unjudged_labels(results.get("meta_eval"))
    warnings += _misplaced_warnings(results.get("misplaced"), n_examples)
    return RunOutcome(warnings=warnings, dead_systems=dead)


def _misplaced_warnings(misplaced: Any, n_examples: int) -> list[str]:
    """A warning per system whose summaries look paired with the wrong articles."""
    if not isinstance(misplaced, Mapping):
        return []
    warnings = []
    for system, found in misplaced.items():
        if found.get("kind") == "shifted":
            pairs = ", ".join(f"{mine!r} -> {other!r}" for mine, other in found["pairs"])
            head = (
                f"system {system!r}: for {found['count']} of {found['judged']} summaries an "
                "article next to its own shares more of its words than its own (summary -> "
                f"the article it matches better: {pairs}, ...)"
            )
        else:
            head = (
                f"system {system!r}: its summaries share no more of their words with their "
                f"own articles ({found['own_share']:.0%} on average) than with others "
                f"({found['other_share']:.0%})"
            )
        warnings.append(
            head + ": are they on the right articles? An id or row slip (a summaries file "
            "keyed by another order, a CSV whose rows moved) scores each summary against "
            "another article (results.json: misplaced)"
        )
    return warnings


def _unjudged_labels(meta: Any) -> list[str]:
    """A warning when the benchmark has labels but no system they judge: no meta-evaluation."""
    if not isinstance(meta, Mapping) or meta.get("systems") or not meta.get("n_labelled"):
        return []
    return [
        f"the benchmark's labels ({meta['n_labelled']} labelled examples) judge its own "
        "summaries (benchmark.fields.summary), which no system reads: there is no "
        "meta-evaluation. Add a system {name: given, backend: precomputed} (no path, no "
        "column) to measure how each value agrees with the labels; they say nothing of "
        "the other systems' summaries"
    ]


def report_outcome(results: Mapping[str, Any]) -> None:
    """Print the run's warnings to stderr; exit 4 when a system produced no summary.

    Raises:
        typer.Exit: With `EXIT_SYSTEM_FAILED` (the run directory is already written).
    """
    outcome = run_outcome(results)
    for line in outcome.warnings:
        stderr.print(f"[bold yellow]warning:[/] {escape(line)}", highlight=False, soft_wrap=True)
    if outcome.dead_systems:
        names = ", ".join(repr(name) for name in outcome.dead_systems)
        stderr.print(
            f"[bold red]error:[/] {escape(names)} produced no summary (every generation "
            f"failed or is empty; reasons above and in outputs.jsonl); exit {EXIT_SYSTEM_FAILED}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(outcome.exit_code)


__all__ = ["RunOutcome", "report_outcome", "run_outcome", "summarize_reasons"]
