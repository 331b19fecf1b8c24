"""The verdict as plain lines for the terminal, Markdown (for
``$GITHUB_STEP_SUMMARY``) and JUnit XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from harness.config import GateRule
from harness.report.formatting import escape_markdown, markdown_code
from harness.report.gate.verdict import GateCheck, GateVerdict, IntegrityCheck, WorstExample

# characters XML 1.0 cannot hold, even escaped (control characters, surrogates, U+FFFE/F)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    r"""``text`` with each character XML cannot hold written as its escape (``\x1b``):
    an error message with a terminal colour code or a NUL still gives valid XML.

    >>> _xml_text("\x1b[31mCUDA\x00 <ok>")
    '\\x1b[31mCUDA\\x00 <ok>'
    """
    return _NOT_XML.sub(lambda match: ascii(match.group())[1:-1], text)


def _xml_safe(root: ET.Element) -> None:
    for element in root.iter():
        if element.text is not None:
            element.text = _xml_text(element.text)
        for key, value in element.attrib.items():
            element.set(key, _xml_text(value))


def _criteria(rule: GateRule) -> list[str]:
    parts = []
    if rule.max_drop is not None:
        parts.append(f"max_drop {rule.max_drop:g}")
    if rule.max_relative_drop is not None:
        parts.append(f"max_relative_drop {rule.max_relative_drop:g}")
    if rule.significant_at is not None:
        parts.append(f"significant_at {rule.significant_at:g}")
    if rule.max_new_nulls is not None:
        parts.append(f"max_new_nulls {rule.max_new_nulls}")
    return parts


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _signed(value: float, digits: int = 3) -> str:
    rounded = round(value, digits) + 0.0  # no "−0.000"
    return f"{'+' if rounded >= 0 else '−'}{abs(rounded):.{digits}f}"


def _p_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2g}"


def _detail(check: GateCheck) -> str:
    criteria = ", ".join(_criteria(check.rule))
    p_part = f"paired p={_p_text(check.p_value)}"
    if check.change is None:
        return f"(n=0, {criteria})"
    change = _signed(check.change)
    if check.rule.max_relative_drop is not None and check.baseline_mean:
        change += f" = {_signed(100 * check.change / abs(check.baseline_mean), 1)}%"
    return f"({change}, {criteria}; {p_part}, n={check.n})"


def check_line(check: GateCheck) -> str:
    """One verdict line, e.g. ``FAIL rouge.rouge1 lead3: 0.488 → 0.310 (−0.178, …)``."""
    status = "FAIL" if check.failed else "ok"
    line = (
        f"{status} {check.value} {check.system}: {_number(check.baseline_mean)} → "
        f"{_number(check.candidate_mean)} {_detail(check)}"
    )
    if check.failed:
        line += f" — {check.reason}"
    elif check.note:
        line += f" [{check.note}]"
    if check.missing:
        line += f" [{check.missing} examples defined in the baseline are null in the candidate]"
    return line


def integrity_line(check: IntegrityCheck) -> str:
    """One verdict line, e.g. ``FAIL failures lead3: 0 → 4 of 5 shared examples failed …``."""
    status = "FAIL" if check.failed else "ok"
    if check.kind != "failures":
        return f"{status} {check.name}: {check.reason}"
    only = (
        f", and {check.only_candidate_count} of the {check.n_only_candidate} examples only "
        "in the candidate"
        if check.n_only_candidate
        else ""
    )
    return (
        f"{status} {check.name}: {check.baseline_count} → {check.candidate_count} of "
        f"{check.n_shared} shared examples failed{only} — {check.reason}"
    )


def worst_line(example: WorstExample) -> str:
    """``nb-017: 0.612 → 0.201 (−0.411)`` (change, candidate − baseline)."""
    change = example.candidate - example.baseline
    return (
        f"{example.example_id}: {example.baseline:.3f} → {example.candidate:.3f} "
        f"({_signed(change)})"
    )


def _error_line(example_id: str, error: str) -> str:
    text = " ".join(error.split())
    return f"{example_id}: {text if len(text) <= 160 else text[:160] + '…'}"


def summary_line(verdict: GateVerdict) -> str:
    """The last line: how many checks failed."""
    total = verdict.total
    if verdict.passed:
        return f"gate passed: {total} of {total} checks ok"
    return f"gate FAILED: {verdict.n_failed} of {total} checks failed"


def header_line(verdict: GateVerdict) -> str:
    """What was compared with what, and where the rules came from."""
    return (
        f"harness check: {verdict.candidate} against baseline {verdict.baseline} "
        f"({verdict.n_shared} shared examples; rules from the {verdict.rules_from})"
    )


def to_text(verdict: GateVerdict) -> list[str]:
    """The verdict as plain text lines (warnings; one line per check, integrity checks
    first, with the new failures or worst examples under failed ones; a summary)."""
    lines = [header_line(verdict)]
    lines += [f"warning: {warning}" for warning in verdict.warnings]
    for integrity in verdict.integrity:
        lines.append(integrity_line(integrity))
        if integrity.failed:
            lines += [f"    failed {_error_line(*error)}" for error in integrity.errors]
    for check in verdict.checks:
        lines.append(check_line(check))
        lines += [f"    worst {worst_line(example)}" for example in check.worst]
    lines.append(summary_line(verdict))
    return lines


def _md(text: str) -> str:
    """A name or message from the data as Markdown text: ``|`` cannot end a table
    cell, HTML is shown as text and a line break cannot end the row or quote."""
    return escape_markdown(text)


def _code(text: str, *, in_table: bool = False) -> str:
    """``text`` as one code span whose backticks and line breaks cannot end it (in a
    table cell, whose ``|`` GitHub reads even inside a code span, escaped too)."""
    code = markdown_code(text)
    return code.replace("|", "\\|") if in_table else code


def to_markdown(verdict: GateVerdict) -> str:
    """The verdict as GitHub-flavoured Markdown (for ``$GITHUB_STEP_SUMMARY``)."""
    icon = "✅" if verdict.passed else "❌"
    lines = [
        f"### {icon} harness check: {summary_line(verdict)}",
        "",
        _md(header_line(verdict)),
        "",
    ]
    lines += [f"> ⚠️ {_md(warning)}" for warning in verdict.warnings]
    if verdict.warnings:
        lines.append("")
    for integrity in verdict.integrity:
        mark = "❌ FAIL" if integrity.failed else "✅ ok"
        lines.append(f"- {mark} {_md(integrity_line(integrity).split(' ', 1)[1])}")
        if integrity.failed:
            lines += [f"  - {_code(_error_line(*error))}" for error in integrity.errors]
    if verdict.integrity:
        lines.append("")
    if verdict.checks:
        lines += [
            "| | value | system | baseline | candidate | change | rule | paired p | n | nulls |",
            "|---|---|---|--:|--:|--:|---|--:|--:|--:|",
        ]
    for check in verdict.checks:
        change = "—" if check.change is None else _signed(check.change)
        nulls = f"{check.baseline_nulls} → {check.candidate_nulls}"
        mark = "❌ FAIL" if check.failed else "✅ ok"
        lines.append(
            f"| {mark} | {_code(check.value, in_table=True)} | {_md(check.system)} "
            f"| {_number(check.baseline_mean)} | {_number(check.candidate_mean)} | {change} "
            f"| {', '.join(_criteria(check.rule))} | {_p_text(check.p_value)} | {check.n} "
            f"| {nulls} |"
        )
    notes = [check for check in verdict.checks if check.note and not check.failed]
    if notes:
        lines.append("")
        lines += [f"> ℹ️ **{_md(check.name)}**: {_md(check.note or '')}" for check in notes]
    for check in verdict.failures:
        lines += ["", f"**{_md(check.value)} {_md(check.system)}** failed: {_md(check.reason)}."]
        if check.worst:
            lines.append("Worst examples (baseline → candidate):")
            lines += [f"- {_code(worst_line(example))}" for example in check.worst]
    return "\n".join(lines) + "\n"


def to_junit(verdict: GateVerdict) -> str:
    """The verdict as JUnit XML: one testsuite ``harness.check``, one testcase per check.

    A passed check with a note (a ``significant_at`` out of reach) carries it
    in its ``system-out``. A character XML cannot hold (a control character of
    an error message, such as a terminal colour code) is written as its escape.
    """
    root = ET.Element("testsuites")
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": "harness.check",
            "tests": str(verdict.total),
            "failures": str(verdict.n_failed),
            "errors": "0",
            "skipped": "0",
        },
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("candidate", verdict.candidate),
        ("baseline", verdict.baseline),
        ("rules_from", verdict.rules_from),
        ("shared_examples", str(verdict.n_shared)),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for integrity in verdict.integrity:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": f"harness.check.{integrity.kind}", "name": integrity.name},
        )
        if integrity.failed:
            line = integrity_line(integrity)
            failure = ET.SubElement(case, "failure", {"message": line, "type": "regression"})
            failure.text = "\n".join(
                [line, *(f"failed {_error_line(*error)}" for error in integrity.errors)]
            )
    for check in verdict.checks:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": f"harness.check.gate{check.index}", "name": check.name},
        )
        if check.failed:
            failure = ET.SubElement(
                case, "failure", {"message": check_line(check), "type": "regression"}
            )
            failure.text = "\n".join(
                [check_line(check), *(f"worst {worst_line(e)}" for e in check.worst)]
            )
        elif check.note:
            ET.SubElement(case, "system-out").text = f"note: {check.note}"
    if verdict.warnings:
        ET.SubElement(suite, "system-out").text = "\n".join(
            f"warning: {warning}" for warning in verdict.warnings
        )
    _xml_safe(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


__all__ = [
    "check_line",
    "header_line",
    "integrity_line",
    "summary_line",
    "to_junit",
    "to_markdown",
    "to_text",
    "worst_line",
]
