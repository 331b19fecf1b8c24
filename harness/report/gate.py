"""The CI gate: check a candidate run against a baseline with the config's gate rules.

Whatever the rules, on the examples both runs share:

- every system of the baseline must be in the candidate, with every value
  the baseline has for it (a dropped system or metric fails);
- no system may fail more generations than in the baseline, unless a
  failures rule (``{max_failures_increase: N}``) allows some.

Each value rule (`GateRule` with a ``value``) is checked for every system
present in both runs (or the rule's ``systems``). The "drop" is the change
in the value's worse direction: ``baseline − candidate`` when higher is
better, ``candidate − baseline`` when lower is better, and ``|change|`` for
descriptive values with no better side. A check fails when the drop
exceeds ``max_drop`` or ``max_relative_drop`` (of the baseline mean), and,
with ``significant_at`` set, the paired sign-flip permutation test also
finds the change significant at that level (``significant_at`` alone fails
any significant drop). When the test cannot reach the level with the
paired examples at hand (its smallest possible p is at or above it), the
level spares nothing: the check is decided on the thresholds alone (any
drop, for ``significant_at`` alone) and its line says so. A check also
fails when the value is null on more shared examples than in the baseline
beyond ``max_null_increase`` (failed generations aside: they are counted as
failures), and when no example is defined in both runs.

The verdict renders as plain lines for the terminal, Markdown (for
``$GITHUB_STEP_SUMMARY``) and JUnit XML.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from harness.compare import (
    RunScores,
    check_same_benchmark,
    check_value_names,
    pairing_warnings,
    shared_examples,
)
from harness.config import GateRule
from harness.errors import ConfigError, StoreError
from harness.registry import did_you_mean
from harness.stats import paired_permutation_test, smallest_permutation_p

#: Worst examples (or failed generations) listed under a failed check.
WORST_SHOWN = 3
#: Example ids named in one verdict line.
IDS_SHOWN = 10
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
    """One value rule checked for one system.

    Attributes:
        index: Position of the rule in the ``gate`` list.
        rule: The rule.
        system: The system checked.
        higher_is_better: The value's direction.
        n: Examples where both runs define the value.
        missing: Shared examples the baseline defines but the candidate does not
            (failed generations included).
        baseline_mean: Baseline mean over the ``n`` paired examples.
        candidate_mean: Candidate mean over the same examples.
        drop: Change in the worse direction (positive = worse).
        relative_drop: ``drop`` as a fraction of ``|baseline_mean|``.
        p_value: Two-sided paired permutation p-value (``None`` when ``n < 2``).
        failed: Whether the rule fails.
        reason: Why it fails or passes, one phrase.
        worst: The examples with the largest drop (failures only).
        baseline_nulls: Shared examples where the baseline's value is null
            although its generation did not fail.
        candidate_nulls: The same for the candidate.
        new_nulls: Ids null in the candidate (generation not failed) but
            defined in the baseline.
        note: What the reader must know about how the check was decided
            (a ``significant_at`` the test cannot reach).
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
    baseline_nulls: int = 0
    candidate_nulls: int = 0
    new_nulls: tuple[str, ...] = ()
    note: str | None = None

    @property
    def value(self) -> str:
        """The checked value name."""
        return self.rule.value or ""

    @property
    def name(self) -> str:
        """``value system``, the check's name in JUnit."""
        return f"{self.value} {self.system}"

    @property
    def change(self) -> float | None:
        """``candidate_mean − baseline_mean``."""
        if self.candidate_mean is None or self.baseline_mean is None:
            return None
        return self.candidate_mean - self.baseline_mean


IntegrityKind = Literal["system", "values", "failures"]


@dataclass(frozen=True)
class IntegrityCheck:
    """A check the gate makes whatever its value rules: is everything still there?

    ``system``: a system of the baseline is missing from the candidate.
    ``values``: values the baseline has for a system are missing from the candidate.
    ``failures``: the system's failed generations on the shared examples
    (one check per shared system, passed or not).

    Attributes:
        kind: One of the above.
        system: The system.
        failed: Whether the check fails.
        reason: Why, one phrase.
        baseline_count: Failed generations in the baseline (``failures``).
        candidate_count: Failed generations in the candidate (``failures``).
        allowed: New failures allowed (``failures``).
        rule_index: The failures rule that allowed some (``None``: the default, 0).
        n_shared: Shared examples.
        items: New failures' example ids, or the missing value names.
        errors: ``(example id, error)`` of the first new failures.
    """

    kind: IntegrityKind
    system: str
    failed: bool
    reason: str
    baseline_count: int = 0
    candidate_count: int = 0
    allowed: int = 0
    rule_index: int | None = None
    n_shared: int = 0
    items: tuple[str, ...] = ()
    errors: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """``kind system``, the check's name in JUnit."""
        return f"{self.kind} {self.system}"


@dataclass(frozen=True)
class GateVerdict:
    """Every check of a candidate run against a baseline.

    Attributes:
        candidate: Label of the candidate run.
        baseline: Label of the baseline.
        rules_from: Which side's config the rules came from.
        n_shared: Examples present in both runs.
        checks: One per (value rule, system).
        warnings: What differs between the runs (see `harness.compare.pairing_warnings`)
            or what the reader must know about the baseline.
        integrity: Missing systems and values, and each shared system's failures.
    """

    candidate: str
    baseline: str
    rules_from: str
    n_shared: int
    checks: list[GateCheck]
    warnings: list[str]
    integrity: list[IntegrityCheck] = field(default_factory=list)

    @property
    def failures(self) -> list[GateCheck]:
        """The failed value checks."""
        return [check for check in self.checks if check.failed]

    @property
    def failed_integrity(self) -> list[IntegrityCheck]:
        """The failed integrity checks."""
        return [check for check in self.integrity if check.failed]

    @property
    def total(self) -> int:
        """Number of checks of either kind."""
        return len(self.checks) + len(self.integrity)

    @property
    def n_failed(self) -> int:
        """Number of failed checks of either kind."""
        return len(self.failures) + len(self.failed_integrity)

    @property
    def passed(self) -> bool:
        """True when no check failed."""
        return self.n_failed == 0


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
    if rule.max_new_nulls is not None:
        parts.append(f"max_new_nulls {rule.max_new_nulls}")
    return parts


def _unreachable(rule: GateRule, n: int, resamples: int) -> str | None:
    """Why ``rule.significant_at`` cannot be reached with ``n`` pairs, else None."""
    if rule.significant_at is None:
        return None
    smallest = smallest_permutation_p(n, resamples=resamples)
    if smallest is None:
        return (
            f"significant_at {rule.significant_at:g} is out of reach: the paired test needs "
            f"at least 2 paired examples, there {'is' if n == 1 else 'are'} {n}"
        )
    if smallest < rule.significant_at:
        return None
    return (
        f"significant_at {rule.significant_at:g} is out of reach with n={n}: the smallest "
        f"p the paired test can give is {smallest:.2g}"
    )


def _decide(
    rule: GateRule,
    drop: float,
    relative: float,
    p_value: float | None,
    word: str,
    unreachable: str | None,
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
    if unreachable is not None:
        # a test that cannot reject must not spare a drop it was meant to judge
        decided = exceeded or [f"{word} {drop:.3g} > 0"]
        return True, "; ".join([*decided, f"{unreachable}, so it spares no {word}"])
    assert p_value is not None  # reachable implies n >= 2
    if p_value >= rule.significant_at:
        return False, f"not significant (p={p_value:.2g} ≥ {rule.significant_at:g})"
    return True, "; ".join([*exceeded, f"p={p_value:.2g} < {rule.significant_at:g}"])


def _ids_text(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:IDS_SHOWN])
    return shown + (f", … ({len(ids) - IDS_SHOWN} more)" if len(ids) > IDS_SHOWN else "")


def _null_counts(
    candidate: RunScores, baseline: RunScores, system: str, value: str, ids: list[str]
) -> tuple[int, int, tuple[str, ...]]:
    """Baseline nulls, candidate nulls and the candidate's new nulls (failures aside)."""
    cand = candidate.values.get(system, {}).get(value, {})
    base = baseline.values.get(system, {}).get(value, {})
    cand_failed, base_failed = candidate.failed(system), baseline.failed(system)
    base_nulls = sum(1 for i in ids if base.get(i) is None and i not in base_failed)
    cand_null_ids = [i for i in ids if cand.get(i) is None and i not in cand_failed]
    new = tuple(i for i in cand_null_ids if base.get(i) is not None)
    return base_nulls, len(cand_null_ids), new


def _check(
    index: int,
    rule: GateRule,
    system: str,
    candidate: RunScores,
    baseline: RunScores,
    ids: list[str],
) -> GateCheck:
    value = rule.value or ""
    direction = candidate.directions.get(value, baseline.directions.get(value))
    cand = candidate.array(system, value, ids)
    base = baseline.array(system, value, ids)
    both = ~(np.isnan(cand) | np.isnan(base))
    missing = int(np.count_nonzero(np.isnan(cand) & ~np.isnan(base)))
    n = int(np.count_nonzero(both))
    base_nulls, cand_nulls, new_nulls = _null_counts(candidate, baseline, system, value, ids)
    allowed_nulls = rule.max_new_nulls or 0
    null_reason = ""
    if len(new_nulls) > allowed_nulls:
        null_reason = (
            f"null on {len(new_nulls)} examples the baseline defines "
            f"(> max_new_nulls {allowed_nulls}): {_ids_text(new_nulls)}"
        )
    if n == 0:
        reasons = ["no example where both runs define the value", null_reason]
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
            reason="; ".join(reason for reason in reasons if reason),
            baseline_nulls=base_nulls,
            candidate_nulls=cand_nulls,
            new_nulls=new_nulls,
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
    unreachable = _unreachable(rule, n, candidate.stats.resamples)
    # a value with no better side has no "drop": any change counts
    word = "change" if direction is None else "drop"
    dropped, reason = _decide(rule, drop, relative, p_value, word, unreachable)
    failed = dropped or bool(null_reason)
    if null_reason:
        reason = f"{reason}; {null_reason}" if dropped else null_reason
    worst: tuple[WorstExample, ...] = ()
    if dropped:
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
        baseline_nulls=base_nulls,
        candidate_nulls=cand_nulls,
        new_nulls=new_nulls,
        note=unreachable,
    )


def _failure_allowances(
    rules: Sequence[GateRule], shared: Sequence[str], known: Sequence[str], rules_from: str
) -> dict[str, tuple[int, int]]:
    """system → (allowed new failures, rule index), from the failures rules.

    A rule naming the system wins over one for every system; two rules of
    the same reach for one system are an error.

    Raises:
        ConfigError: A failures rule names an unknown system, or two rules collide.
    """
    named: dict[str, tuple[int, int]] = {}
    general: tuple[int, int] | None = None
    for index, rule in enumerate(rules):
        if rule.value is not None or rule.max_new_failures is None:
            continue
        entry = (rule.max_new_failures, index)
        if rule.systems is None:
            if general is not None:
                raise ConfigError(
                    f"{rules_from}: gate[{index}]: a second failures rule for every system "
                    f"(gate[{general[1]}] is one)",
                    hint="keep one {max_new_failures: N}; name systems to set others apart",
                )
            general = entry
            continue
        for system in rule.systems:
            if system not in known:
                raise ConfigError(
                    f"{rules_from}: gate[{index}].systems: {system!r} is not a system of "
                    f"either run.{did_you_mean(system, list(known))}",
                    hint=f"systems in both runs: {', '.join(shared)}",
                )
            if system in named:
                raise ConfigError(
                    f"{rules_from}: gate[{index}].systems: {system!r} already has a failures "
                    f"rule (gate[{named[system][1]}])",
                    hint="give each system at most one {max_new_failures: N}",
                )
            named[system] = entry
    return {
        system: named.get(system, general if general is not None else (0, -1)) for system in shared
    }


def _failures_check(
    system: str,
    candidate: RunScores,
    baseline: RunScores,
    ids: list[str],
    allowance: tuple[int, int],
) -> IntegrityCheck:
    wanted = set(ids)
    base_failed = {i for i in baseline.failed(system) if i in wanted}
    cand_errors = candidate.failed(system)
    cand_failed = [i for i in ids if i in cand_errors]
    new = tuple(i for i in cand_failed if i not in base_failed)
    allowed, rule_index = allowance
    failed = len(new) > allowed
    rule_text = f"max_new_failures {allowed}" + (
        f" (gate[{rule_index}])" if rule_index >= 0 else ""
    )
    if failed:
        reason = f"{len(new)} new failed generations > {rule_text}: {_ids_text(new)}"
    elif new:
        reason = f"{len(new)} new failed generations ≤ {rule_text}: {_ids_text(new)}"
    else:
        reason = "no new failed generation"
    return IntegrityCheck(
        kind="failures",
        system=system,
        failed=failed,
        reason=reason,
        baseline_count=len(base_failed),
        candidate_count=len(cand_failed),
        allowed=allowed,
        rule_index=rule_index if rule_index >= 0 else None,
        n_shared=len(ids),
        items=new,
        errors=tuple((i, cand_errors[i]) for i in new[:WORST_SHOWN]),
    )


def _presence_checks(candidate: RunScores, baseline: RunScores) -> list[IntegrityCheck]:
    """A failed check per baseline system, or system's values, the candidate lacks."""
    checks = []
    for system in baseline.systems:
        if system not in candidate.values:
            checks.append(
                IntegrityCheck(
                    kind="system",
                    system=system,
                    failed=True,
                    reason="in the baseline, missing from the candidate",
                )
            )
            continue
        lacking = tuple(
            name for name in baseline.values[system] if name not in candidate.values[system]
        )
        if lacking:
            checks.append(
                IntegrityCheck(
                    kind="values",
                    system=system,
                    failed=True,
                    reason=(
                        f"{len(lacking)} values of the baseline are missing from the "
                        f"candidate: {_ids_text(lacking)}"
                    ),
                    items=lacking,
                )
            )
    return checks


def _ungated_null_warnings(
    candidate: RunScores,
    baseline: RunScores,
    ids: list[str],
    gated: set[tuple[str, str]],
    shared: Sequence[str],
) -> list[str]:
    warnings = []
    for system in shared:
        for value in baseline.values[system]:
            if (system, value) in gated or value not in candidate.values[system]:
                continue
            _, _, new = _null_counts(candidate, baseline, system, value, ids)
            if new:
                warnings.append(
                    f"{value} {system}: null on {len(new)} examples the baseline defines "
                    f"(not gated: no rule names this value): {_ids_text(new)}"
                )
    return warnings


def _inferred_warning(run: RunScores) -> list[str]:
    if run.failures_known:
        return []
    return [
        f"{run.label} records no failed generations (a baseline file of an older harness): "
        "examples where every value of a system is null are taken as its failures; "
        "refresh it with `harness baseline RUN_DIR`"
    ]


def evaluate_gate(
    candidate: RunScores, baseline: RunScores, *, allow_different_benchmark: bool = False
) -> GateVerdict:
    """Check ``candidate`` against ``baseline`` with the gate rules (see the module doc).

    The permutation test uses the candidate's ``stats.resamples`` and seed.

    Args:
        candidate: The run to gate.
        baseline: The run (or baseline.json) it is held to.
        allow_different_benchmark: Pair runs whose shared ids hold different
            examples (a warning) instead of refusing.

    Raises:
        ConfigError: No rules; a rule names a value or system that is not in
            both runs (with a suggestion), except one of the baseline that the
            candidate lacks (that fails the gate).
        StoreError: The runs share no example or no system, or are of
            different benchmarks.
    """
    rules, rules_from = select_rules(candidate, baseline)
    warnings = check_same_benchmark(baseline, candidate, allow_different=allow_different_benchmark)
    ids = shared_examples(baseline, candidate)
    shared_systems = [system for system in candidate.systems if system in baseline.values]
    if not shared_systems:
        raise StoreError(
            f"{candidate.label} and {baseline.label} have no system name in common",
            hint="systems are matched by name; give them the same `name` in both configs",
        )
    known_systems = list(dict.fromkeys([*baseline.systems, *candidate.systems]))
    allowances = _failure_allowances(rules, shared_systems, known_systems, rules_from)
    integrity = _presence_checks(candidate, baseline)
    integrity += [
        _failures_check(system, candidate, baseline, ids, allowances[system])
        for system in shared_systems
    ]
    known = list(dict.fromkeys([*candidate.value_names(), *baseline.value_names()]))
    checks: list[GateCheck] = []
    gated: set[tuple[str, str]] = set()
    for index, rule in enumerate(rules):
        if rule.value is None:
            continue
        where = f"{rules_from}: gate[{index}].value"
        check_value_names([rule.value], known, where)
        if rule.value not in baseline.value_names():
            raise ConfigError(
                f"{where}: {rule.value!r} is not in the baseline {baseline.label}",
                hint="add its metric to the baseline's config, re-run it and refresh the "
                "baseline (`harness baseline RUN_DIR`)",
            )
        for system in rule.systems or shared_systems:
            if system not in known_systems:
                raise ConfigError(
                    f"{rules_from}: gate[{index}].systems: {system!r} is not a system of "
                    f"either run.{did_you_mean(system, known_systems)}",
                    hint=f"systems in both runs: {', '.join(shared_systems)}",
                )
            if system not in baseline.values:
                raise ConfigError(
                    f"{rules_from}: gate[{index}].systems: {system!r} is not in the baseline "
                    f"{baseline.label}",
                    hint="run it in the baseline too and refresh the baseline, or drop it "
                    "from the rule",
                )
            if system not in candidate.values or rule.value not in candidate.values[system]:
                continue  # a failed integrity check already says it is missing
            if rule.value not in baseline.values[system]:
                if rule.systems:
                    raise ConfigError(
                        f"{where}: {rule.value!r} is not a value of {system!r} in the "
                        f"baseline {baseline.label}",
                        hint="score the system with that metric in the baseline too",
                    )
                warnings.append(
                    f"gate[{index}] {rule.value}: {system} has no such value in the "
                    "baseline, so it is not checked"
                )
                continue
            gated.add((system, rule.value))
            checks.append(_check(index, rule, system, candidate, baseline, ids))
    warnings += pairing_warnings(baseline, candidate)
    warnings += _inferred_warning(baseline)
    warnings += _ungated_null_warnings(candidate, baseline, ids, gated, shared_systems)
    return GateVerdict(
        candidate=candidate.label,
        baseline=baseline.label,
        rules_from=rules_from,
        n_shared=len(ids),
        checks=checks,
        warnings=warnings,
        integrity=integrity,
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
    return (
        f"{status} {check.name}: {check.baseline_count} → {check.candidate_count} of "
        f"{check.n_shared} shared examples failed — {check.reason}"
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
    for integrity in verdict.integrity:
        mark = "❌ FAIL" if integrity.failed else "✅ ok"
        lines.append(f"- {mark} {_md(integrity_line(integrity).split(' ', 1)[1])}")
        if integrity.failed:
            lines += [f"  - `{_md(_error_line(*error))}`" for error in integrity.errors]
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
        lines.append(
            f"| {'❌ FAIL' if check.failed else '✅ ok'} | `{check.value}` | {_md(check.system)} "
            f"| {_number(check.baseline_mean)} | {_number(check.candidate_mean)} | {change} "
            f"| {', '.join(_criteria(check.rule))} | {_p_text(check.p_value)} | {check.n} "
            f"| {nulls} |"
        )
    notes = [check for check in verdict.checks if check.note and not check.failed]
    if notes:
        lines.append("")
        lines += [f"> ℹ️ **{_md(check.name)}**: {_md(check.note or '')}" for check in notes]
    for check in verdict.failures:
        lines += ["", f"**{check.value} {_md(check.system)}** failed: {_md(check.reason)}."]
        if check.worst:
            lines.append("Worst examples (baseline → candidate):")
            lines += [f"- `{_md(worst_line(example))}`" for example in check.worst]
    return "\n".join(lines) + "\n"


def to_junit(verdict: GateVerdict) -> str:
    """The verdict as JUnit XML: one testsuite ``harness.check``, one testcase per check.

    A passed check with a note (a ``significant_at`` out of reach) carries it
    in its ``system-out``.
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
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


__all__ = [
    "GATE_HINT",
    "IDS_SHOWN",
    "WORST_SHOWN",
    "GateCheck",
    "GateVerdict",
    "IntegrityCheck",
    "IntegrityKind",
    "WorstExample",
    "check_line",
    "evaluate_gate",
    "header_line",
    "integrity_line",
    "select_rules",
    "summary_line",
    "to_junit",
    "to_markdown",
    "to_text",
    "worst_line",
]
