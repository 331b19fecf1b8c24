"""The CI gate: check a candidate run against a baseline with the config's gate rules.

Each `GateRule` is checked for every system present in both runs (or the
rule's ``systems``) on the examples both runs share. The "drop" is the
change in the value's worse direction: ``baseline − candidate`` when higher
is better, ``candidate − baseline`` when lower is better, and ``|change|``
for descriptive values with no better side. A check fails when the drop
exceeds ``max_drop`` or ``max_relative_drop`` (of the baseline mean), and,
with ``significant_at`` set, the paired sign-flip permutation test also
finds the change significant at that level (``significant_at`` alone fails
any significant drop). A check with no example defined in both runs fails:
a candidate whose summaries all failed must not pass.

The verdict renders as plain lines for the terminal, Markdown (for
``$GITHUB_STEP_SUMMARY``) and JUnit XML.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import numpy as np

from harness.compare import RunScores, check_value_names, pairing_warnings, shared_examples
from harness.config import GateRule
from harness.errors import ConfigError, StoreError
from harness.registry import did_you_mean
from harness.stats import paired_permutation_test

#: Worst examples listed under a failed check.
WORST_SHOWN = 3
# floats that differ by less than this are equal (means summed in another order)
_EPSILON = 1e-12

GATE_HINT = (
    "add a `gate:` list to the candidate's config.yaml (or the baseline's), e.g.\n"
    "    gate:\n"
    "      - {value: rouge.rouge1, max_drop: 0.02, significant_at: 0.05}\n"
    "  (see configs/ci.yaml)"
)


@dataclass(frozen=True)
class WorstExample:
    """One example's change, for the list under a failed check."""

    example_id: str
    baseline: float
    candidate: float
    drop: float


@dataclass(frozen=True)
class GateCheck:
    """One rule checked for one system.

    Attributes:
        index: Position of the rule in the ``gate`` list.
        rule: The rule.
        system: The system checked.
        higher_is_better: The value's direction.
        n: Examples where both runs define the value.
        missing: Shared examples the baseline defines but the candidate does not.
        baseline_mean: Baseline mean over the ``n`` paired examples.
        candidate_mean: Candidate mean over the same examples.
        drop: Change in the worse direction (positive = worse).
        relative_drop: ``drop`` as a fraction of ``|baseline_mean|``.
        p_value: Two-sided paired permutation p-value (``None`` when ``n < 2``).
        failed: Whether the rule fails.
        reason: Why it fails or passes, one phrase.
        worst: The examples with the largest drop (failures only).
    """

    index: int
    rule: GateRule
    system: str
    higher_is_better: bool | None
    n: int
    missing: int
    baseline_mean: float | None
    candidate_mean: float | None
    drop: float | None
    relative_drop: float | None
    p_value: float | None
    failed: bool
    reason: str
    worst: tuple[WorstExample, ...] = ()

    @property
    def value(self) -> str:
        """The checked value name."""
        return self.rule.value

    @property
    def change(self) -> float | None:
        """``candidate_mean − baseline_mean``."""
        if self.candidate_mean is None or self.baseline_mean is None:
            return None
        return self.candidate_mean - self.baseline_mean


@dataclass(frozen=True)
class GateVerdict:
    """Every check of a candidate run against a baseline.

    Attributes:
        candidate: Label of the candidate run.
        baseline: Label of the baseline.
        rules_from: Which side's config the rules came from.
        n_shared: Examples present in both runs.
        checks: One per (rule, system).
        warnings: What differs between the runs (see `harness.compare.pairing_warnings`).
    """

    candidate: str
    baseline: str
    rules_from: str
    n_shared: int
    checks: list[GateCheck]
    warnings: list[str]

    @property
    def failures(self) -> list[GateCheck]:
        """The failed checks."""
        return [check for check in self.checks if check.failed]

    @property
    def passed(self) -> bool:
        """True when no check failed."""
        return not self.failures


# evaluation -------------------------------------------------------------------
def select_rules(candidate: RunScores, baseline: RunScores) -> tuple[list[GateRule], str]:
    """The candidate's gate rules, else the baseline's.

    Raises:
        ConfigError: Neither has rules (the hint shows how to add them).
    """
    if candidate.gate:
        return candidate.gate, f"candidate config ({candidate.label})"
    if baseline.gate:
        return baseline.gate, f"baseline ({baseline.label})"
    raise ConfigError(
        f"no gate rules: neither {candidate.label} nor {baseline.label} has a `gate:` list",
        hint=GATE_HINT,
    )


def _drop(change: float, higher_is_better: bool | None) -> float:
    if higher_is_better is None:
        return abs(change)
    return -change if higher_is_better else change


def _criteria(rule: GateRule) -> list[str]:
    parts = []
    if rule.max_drop is not None:
        parts.append(f"max_drop {rule.max_drop:g}")
    if rule.max_relative_drop is not None:
        parts.append(f"max_relative_drop {rule.max_relative_drop:g}")
    if rule.significant_at is not None:
        parts.append(f"significant_at {rule.significant_at:g}")
    return parts


def _decide(
    rule: GateRule, drop: float, relative: float, p_value: float | None, word: str
) -> tuple[bool, str]:
    exceeded = []
    if rule.max_drop is not None and drop > rule.max_drop + _EPSILON:
        exceeded.append(f"{word} {drop:.3g} > max_drop {rule.max_drop:g}")
    if rule.max_relative_drop is not None and relative > rule.max_relative_drop + _EPSILON:
        exceeded.append(f"relative {word} {relative:.1%} > {rule.max_relative_drop:.1%}")
    has_threshold = rule.max_drop is not None or rule.max_relative_drop is not None
    if has_threshold and not exceeded:
        return False, f"within the allowed {word}"
    if not has_threshold and drop <= _EPSILON:
        return False, f"no {word}"
    if rule.significant_at is None:
        return True, "; ".join(exceeded)
    if p_value is None:
        return False, "too few paired examples for the significance test"
    if p_value >= rule.significant_at:
        return False, f"not significant (p={p_value:.2g} ≥ {rule.significant_at:g})"
    return True, "; ".join([*exceeded, f"p={p_value:.2g} < {rule.significant_at:g}"])


def _check(
    index: int,
    rule: GateRule,
    system: str,
    candidate: RunScores,
    baseline: RunScores,
    ids: list[str],
) -> GateCheck:
    direction = candidate.directions.get(rule.value, baseline.directions.get(rule.value))
    cand = candidate.array(system, rule.value, ids)
    base = baseline.array(system, rule.value, ids)
    both = ~(np.isnan(cand) | np.isnan(base))
    missing = int(np.count_nonzero(np.isnan(cand) & ~np.isnan(base)))
    n = int(np.count_nonzero(both))
    if n == 0:
        return GateCheck(
            index=index,
            rule=rule,
            system=system,
            higher_is_better=direction,
            n=0,
            missing=missing,
            baseline_mean=None,
            candidate_mean=None,
            drop=None,
            relative_drop=None,
            p_value=None,
            failed=True,
            reason="no example where both runs define the value",
        )
    base_mean = float(base[both].mean())
    cand_mean = float(cand[both].mean())
    drop = _drop(cand_mean - base_mean, direction)
    if abs(base_mean) > _EPSILON:
        relative = drop / abs(base_mean)
    else:
        relative = math.inf if drop > _EPSILON else 0.0
    p_value = paired_permutation_test(
        cand, base, resamples=candidate.stats.resamples, seed=candidate.seed
    )
    # a value with no better side has no "drop": any change counts
    word = "change" if direction is None else "drop"
    failed, reason = _decide(rule, drop, relative, p_value, word)
    worst: tuple[WorstExample, ...] = ()
    if failed:
        kept = [example_id for example_id, keep in zip(ids, both, strict=True) if keep]
        drops = [_drop(c - b, direction) for c, b in zip(cand[both], base[both], strict=True)]
        order = sorted(range(len(kept)), key=lambda i: (-drops[i], kept[i]))
        worst = tuple(
            WorstExample(kept[i], float(base[both][i]), float(cand[both][i]), drops[i])
            for i in order[:WORST_SHOWN]
            if drops[i] > _EPSILON
        )
    return GateCheck(
        index=index,
        rule=rule,
        system=system,
        higher_is_better=direction,
        n=n,
        missing=missing,
        baseline_mean=base_mean,
        candidate_mean=cand_mean,
        drop=drop,
        relative_drop=relative,
        p_value=p_value,
        failed=failed,
        reason=reason,
        worst=worst,
    )


def evaluate_gate(candidate: RunScores, baseline: RunScores) -> GateVerdict:
    """Check ``candidate`` against ``baseline`` with the gate rules (see the module doc).

    The permutation test uses the candidate's ``stats.resamples`` and seed.

    Raises:
        ConfigError: No rules; a rule names a value or system that is not in
            both runs (with a suggestion).
        StoreError: The runs share no example or no system.
    """
    rules, rules_from = select_rules(candidate, baseline)
    ids = shared_examples(baseline, candidate)
    shared_systems = [system for system in candidate.systems if system in baseline.values]
    if not shared_systems:
        raise StoreError(
            f"{candidate.label} and {baseline.label} have no system name in common",
            hint="systems are matched by name; give them the same `name` in both configs",
        )
    known = list(dict.fromkeys([*candidate.value_names(), *baseline.value_names()]))
    checks: list[GateCheck] = []
    for index, rule in enumerate(rules):
        where = f"{rules_from}: gate[{index}].value"
        check_value_names([rule.value], known, where)
        for label, run in (("candidate", candidate), ("baseline", baseline)):
            if rule.value not in run.value_names():
                raise ConfigError(
                    f"{where}: {rule.value!r} is not in the {label} {run.label}",
                    hint=f"add its metric to the {label}'s config and re-run it",
                )
        for system in rule.systems or shared_systems:
            if system not in shared_systems:
                raise ConfigError(
                    f"{rules_from}: gate[{index}].systems: {system!r} is not a system of "
                    f"both runs.{did_you_mean(system, shared_systems)}",
                    hint=f"systems in both runs: {', '.join(shared_systems)}",
                )
            checks.append(_check(index, rule, system, candidate, baseline, ids))
    return GateVerdict(
        candidate=candidate.label,
        baseline=baseline.label,
        rules_from=rules_from,
        n_shared=len(ids),
        checks=checks,
        warnings=pairing_warnings(baseline, candidate),
    )


# rendering --------------------------------------------------------------------
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
    if check.missing:
        line += f" [{check.missing} examples defined in the baseline are null in the candidate]"
    return line


def worst_line(example: WorstExample) -> str:
    """``nb-017: 0.612 → 0.201 (−0.411)`` (change, candidate − baseline)."""
    change = example.candidate - example.baseline
    return (
        f"{example.example_id}: {example.baseline:.3f} → {example.candidate:.3f} "
        f"({_signed(change)})"
    )


def summary_line(verdict: GateVerdict) -> str:
    """The last line: how many checks failed."""
    total = len(verdict.checks)
    if verdict.passed:
        return f"gate passed: {total} of {total} checks ok"
    return f"gate FAILED: {len(verdict.failures)} of {total} checks failed"


def header_line(verdict: GateVerdict) -> str:
    """What was compared with what, and where the rules came from."""
    return (
        f"harness check: {verdict.candidate} against baseline {verdict.baseline} "
        f"({verdict.n_shared} shared examples; rules from the {verdict.rules_from})"
    )


def to_text(verdict: GateVerdict) -> list[str]:
    """The verdict as plain text lines (warnings, one line per check with the
    worst examples under failures, and a summary)."""
    lines = [header_line(verdict)]
    lines += [f"warning: {warning}" for warning in verdict.warnings]
    for check in verdict.checks:
        lines.append(check_line(check))
        lines += [f"    worst {worst_line(example)}" for example in check.worst]
    lines.append(summary_line(verdict))
    return lines


def _md(text: str) -> str:
    return text.replace("|", "\\|")


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
    lines += [
        "| | value | system | baseline | candidate | change | rule | paired p | n |",
        "|---|---|---|--:|--:|--:|---|--:|--:|",
    ]
    for check in verdict.checks:
        change = "—" if check.change is None else _signed(check.change)
        lines.append(
            f"| {'❌ FAIL' if check.failed else '✅ ok'} | `{check.value}` | {_md(check.system)} "
            f"| {_number(check.baseline_mean)} | {_number(check.candidate_mean)} | {change} "
            f"| {', '.join(_criteria(check.rule))} | {_p_text(check.p_value)} | {check.n} |"
        )
    for check in verdict.failures:
        lines += ["", f"**{check.value} {_md(check.system)}** failed: {_md(check.reason)}."]
        if check.worst:
            lines.append("Worst examples (baseline → candidate):")
            lines += [f"- `{_md(worst_line(example))}`" for example in check.worst]
    return "\n".join(lines) + "\n"


def to_junit(verdict: GateVerdict) -> str:
    """The verdict as JUnit XML: one testsuite ``harness.check``, one testcase per check."""
    root = ET.Element("testsuites")
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": "harness.check",
            "tests": str(len(verdict.checks)),
            "failures": str(len(verdict.failures)),
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
    for check in verdict.checks:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"harness.check.gate{check.index}",
                "name": f"{check.value} {check.system}",
            },
        )
        if check.failed:
            failure = ET.SubElement(
                case, "failure", {"message": check_line(check), "type": "regression"}
            )
            failure.text = "\n".join(
                [check_line(check), *(f"worst {worst_line(e)}" for e in check.worst)]
            )
    if verdict.warnings:
        ET.SubElement(suite, "system-out").text = "\n".join(
            f"warning: {warning}" for warning in verdict.warnings
        )
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


__all__ = [
    "GATE_HINT",
    "WORST_SHOWN",
    "GateCheck",
    "GateVerdict",
    "WorstExample",
    "check_line",
    "evaluate_gate",
    "header_line",
    "select_rules",
    "summary_line",
    "to_junit",
    "to_markdown",
    "to_text",
    "worst_line",
]
