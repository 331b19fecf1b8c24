"""Findings as sentences a person reads, for report.html and report.md.

A finding in ``scores.jsonl`` is the metric's parse of one summary span: the
numbers check writes the value, unit, kind and qualifier it read, the entities
check the label and matching rule, and each writes an ``evidence`` phrase.
`describe_finding` turns one finding into ONE plain sentence, whatever its
kind and status::

    480 (count) matches '480' in source sentence 1.
    5,000 (count) is in no source sentence; the closest is 480 (civilians, killed),
        in source sentence 1.
    'Germany' (GPE) is in no source sentence.

`flagged_findings_markdown` lists the flagged ones (neither supported nor
derived) as a short Markdown section for report.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from harness.records import Score
from harness.report.table import ComparisonTable, escape_markdown

#: Finding statuses that do not make an example "flagged".
OK_STATUSES = frozenset({"supported", "derived"})

#: Metrics whose findings come first when one summary span is reported twice
#: (the consistency metric repeats the numbers and entities findings).
_PRIMARY_METRICS = ("numbers", "entities")

# "(source sentence 3)" / "(source sentences 1, 4)" closing a numbers evidence phrase.
_WHERE = re.compile(r"\s*\((source sentences? \d+(?:, \d+)*)\)\s*$")
# The numbers check's "no quantity of 5,000 (count) in the source" lead.
_NOWHERE = re.compile(r"^no quantity of .*? in the source(?:;\s*|$)")
_CLOSEST = re.compile(r"^closest: ")
_SPACES = re.compile(r"\s+")
_BOTH_ENDS = "source gives both ends: "
_UNTAGGED = re.compile(
    r"occurs in the source text at \d+ \(the source's NER did not tag it there\)"
)
_UNTAGGED_WORDS = "is in the source text (where the name tagger missed it)"

_STATUS_WORDS = {
    "supported": "is backed by the source",
    "derived": "is derived from source figures",
    "context_mismatch": "is in the source, but for something else",
    "unsupported": "is not backed by the source",
}


def _plain(value: Any) -> str:
    """A field as one line of text (strings as they are, anything else as JSON)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return _SPACES.sub(" ", text).strip()


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    # (a closing quote after its own full stop ends the sentence too: "... Paris.'")
    done = text[-1] in ".!?" or (text[-1] in "'\"”’" and text[-2:-1] in (".", "!", "?"))
    return text if done else text + "."


def _status_words(status: str) -> str:
    return _STATUS_WORDS.get(status, f"is {status.replace('_', ' ')}")


def _quoted(text: str, limit: int = 80) -> str:
    short = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return f"'{short}'"


def _number_subject(finding: Mapping[str, Any]) -> str:
    text = _plain(finding.get("text")) or "a number"
    what = [_plain(finding.get(key)) for key in ("quantity_kind", "unit")]
    what = [word for word in what if word]
    return f"{text} ({', '.join(what)})" if what else text


def _describe_number(finding: Mapping[str, Any], status: str, evidence: str) -> str:
    subject = _number_subject(finding)
    body, where = evidence, ""
    match = _WHERE.search(body)
    if match:
        body, where = body[: match.start()], f"in {match.group(1)}"
    if status == "unsupported" and _NOWHERE.match(body):
        rest = _CLOSEST.sub("the closest is ", _NOWHERE.sub("", body, count=1))
        parts = [f"{subject} is in no source sentence", rest]
        text = "; ".join(part for part in parts if part)
        return f"{text}, {where}" if where and rest else text
    if status == "supported" and body.startswith("matches "):
        return " ".join(part for part in (subject, body, where) if part)
    if body.startswith(_BOTH_ENDS):
        text = f"{subject}: the source gives both ends, {body[len(_BOTH_ENDS) :]}"
        return f"{text}, {where}" if where else text
    if not body:
        return " ".join(part for part in (subject, _status_words(status), where) if part)
    text = f"{subject} {_status_words(status)}: {body}"
    return f"{text}, {where}" if where else text


def _describe_entity(finding: Mapping[str, Any], status: str, evidence: str) -> str:
    if evidence.startswith("'"):
        # The entities check writes a sentence about the mention already
        # ("'Kharkiv' is in the source as 'Kharkiv Oblast' (GPE)"); only its
        # character offsets are no reading matter.
        evidence = _UNTAGGED.sub(_UNTAGGED_WORDS, evidence)
        return evidence.replace(" is not in the source", " is in no source sentence", 1)
    label = _plain(finding.get("label"))
    label = "" if label == "NAME" else label  # (the check's word for "untagged text")
    subject = _quoted(_plain(finding.get("text")) or "a name") + (f" ({label})" if label else "")
    if status == "unsupported" and not evidence:
        return f"{subject} is in no source sentence"
    text = f"{subject} {_status_words(status)}"
    return f"{text}: {evidence}" if evidence else text


def _describe_other(finding: Mapping[str, Any], status: str, evidence: str) -> str:
    kind = _plain(finding.get("kind"))
    text = _plain(finding.get("text"))
    source_text = _plain(finding.get("source_text"))
    if kind == "substitution" and text and source_text:
        # (its evidence ends with the whole restated source sentence, as a repr)
        return (
            f"the summary says {_quoted(text)} where the source sentence it restates"
            f" says {_quoted(source_text)}"
        )
    if kind == "negation" and evidence:
        # The evidence names "the summary sentence"; say which one.
        return evidence.replace("the summary sentence", f"the summary sentence {_quoted(text)}", 1)
    if evidence:
        return evidence
    subject = _quoted(text) if text else "This finding"
    label = f" ({kind})" if kind and text else ""
    return f"{subject}{label} {_status_words(status)}"


def describe_finding(finding: Mapping[str, Any]) -> str:
    """One plain sentence saying what a finding means.

    Works for every metric's findings: ``number`` findings (the numbers
    check, also repeated by consistency), ``entity`` findings (entities),
    the consistency checks' ``substitution``, ``date``, ``time``, ``antonym``
    and ``negation`` findings, and any other metric's, from its ``text``,
    ``status``, ``evidence`` and ``reason``. Never raises on odd input.

    >>> describe_finding({"kind": "number", "text": "480", "status": "supported",
    ...     "quantity_kind": "count", "evidence": "matches '480' (source sentence 1)"})
    "480 (count) matches '480' in source sentence 1."
    >>> describe_finding({"kind": "entity", "text": "Germany", "status": "unsupported"})
    "'Germany' is in no source sentence."

    Args:
        finding: One entry of a score's ``findings``.

    Returns:
        The sentence, starting with a capital letter and ending with a full stop.
    """
    status = _plain(finding.get("status")) or "unknown"
    evidence = _plain(finding.get("evidence"))
    kind = _plain(finding.get("kind"))
    if kind == "number":
        text = _describe_number(finding, status, evidence)
    elif kind == "entity":
        text = _describe_entity(finding, status, evidence)
    else:
        text = _describe_other(finding, status, evidence)
    reason = _plain(finding.get("reason"))
    if reason and reason not in text:
        text = f"{text.rstrip('.')}; {reason}"
    return _sentence(text)


def _flagged(scores: Sequence[Score]) -> list[tuple[str, str, str]]:
    """(system, example id, sentence) of each flagged finding, each span once."""
    order = {metric: index for index, metric in enumerate(_PRIMARY_METRICS)}
    ranked = sorted(scores, key=lambda score: order.get(score.metric, len(order)))
    seen: set[tuple[Any, ...]] = set()
    found: list[tuple[str, str, str]] = []
    for score in ranked:
        for finding in score.findings:
            if not isinstance(finding, Mapping) or finding.get("status") in OK_STATUSES:
                continue
            span = finding.get("span")
            where = _plain(span) if span is not None else _plain(finding.get("text"))
            sentence = describe_finding(finding)
            keys = [
                (score.system, score.example_id, _plain(finding.get("kind")), where),
                # (the same wrong number written twice reads as one finding)
                (score.system, score.example_id, sentence),
            ]
            if any(key in seen for key in keys):
                continue
            seen.update(keys)
            found.append((score.system, score.example_id, sentence))
    return found


def flagged_findings_markdown(
    table: ComparisonTable, scores: Sequence[Score], *, limit: int = 10
) -> str:
    """report.md's "Flagged findings" section, or ``""`` when nothing is flagged.

    Lists, per system in the table's order and then by example id, the first
    ``limit`` findings that are neither supported nor derived (each summary
    span once, though numbers, entities and consistency may all report it),
    one table row each: system, example id, and the finding as a sentence.

    Args:
        table: The comparison table (gives the systems' order).
        scores: The run's scores (scores.jsonl).
        limit: At most this many rows; a last line says how many were left out.

    Returns:
        Markdown starting with a blank line and ending with a newline, or ``""``.
    """
    found = _flagged(scores)
    if not found:
        return ""
    rank = {row.system: index for index, row in enumerate(table.rows)}
    found.sort(key=lambda item: (rank.get(item[0], len(rank)), item[0], item[1]))
    counts: dict[str, int] = {}
    examples: dict[str, set[str]] = {}
    for system, example, _ in found:
        counts[system] = counts.get(system, 0) + 1
        examples.setdefault(system, set()).add(example)
    # each system as the tables show it: its label (report.labels), else its name
    shown = table.shown_systems
    per_system = "; ".join(
        f"{escape_markdown(shown.get(system, system))}: {n} in {len(examples[system])} "
        f"example{'' if len(examples[system]) == 1 else 's'}"
        for system, n in counts.items()
    )
    lines = [
        "",
        "## Flagged findings",
        "",
        f"Numbers, names and facts the source does not back ({per_system}); "
        "report.html shows each one highlighted in its summary.",
        "",
        "| system | example | finding |",
        "|---|---|---|",
    ]
    lines += [
        f"| {escape_markdown(shown.get(system, system))} | {escape_markdown(example)} "
        f"| {escape_markdown(text)} |"
        for system, example, text in found[:limit]
    ]
    if len(found) > limit:
        lines += ["", f"… and {len(found) - limit} more in report.html."]
    return "\n".join(lines) + "\n"


__all__ = ["OK_STATUSES", "describe_finding", "flagged_findings_markdown"]
