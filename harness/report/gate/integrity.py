"""The checks the gate makes whatever its value rules: every baseline system and
value still there, and no more failed generations than the failures rules allow."""

from __future__ import annotations

from collections.abc import Sequence

from harness.compare import RunScores
from harness.config import GateRule
from harness.errors import ConfigError
from harness.registry import did_you_mean
from harness.report.gate.verdict import WORST_SHOWN, IntegrityCheck, ids_text


def failure_allowances(
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


def failures_check(
    system: str,
    candidate: RunScores,
    baseline: RunScores,
    ids: list[str],
    allowance: tuple[int, int],
) -> IntegrityCheck:
    """The failed (or empty) generations of ``system`` against its allowance (allowed
    new failures, rule index or -1, from `failure_allowances`).

    A failure is new on a shared example (``ids``) where the baseline's did not
    fail, and on every example only the candidate has: nothing shows it failed
    before (a benchmark that grew, a baseline written from a ``--limit`` run).
    """
    wanted = set(ids)
    base_failed = {i for i in baseline.failed(system) if i in wanted}
    cand_errors = candidate.failed(system)
    cand_failed = [i for i in ids if i in cand_errors]
    only_candidate = [i for i in candidate.example_ids() if i not in wanted]
    only_failed = [i for i in only_candidate if i in cand_errors]
    new = tuple(i for i in cand_failed if i not in base_failed) + tuple(only_failed)
    allowed, rule_index = allowance
    failed = len(new) > allowed
    rule_text = f"max_new_failures {allowed}" + (
        f" (gate[{rule_index}])" if rule_index >= 0 else ""
    )
    what = "new failed or empty generations"
    if only_failed:
        what += f" ({len(only_failed)} on examples the baseline lacks)"
    if failed:
        reason = f"{len(new)} {what} > {rule_text}: {ids_text(new)}"
    elif new:
        reason = f"{len(new)} {what} ≤ {rule_text}: {ids_text(new)}"
    else:
        reason = "no new failed or empty generation"
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
        n_only_candidate=len(only_candidate),
        only_candidate_count=len(only_failed),
        items=new,
        errors=tuple((i, cand_errors[i]) for i in new[:WORST_SHOWN]),
    )


def presence_checks(candidate: RunScores, baseline: RunScores) -> list[IntegrityCheck]:
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
                        f"candidate: {ids_text(lacking)}"
                    ),
                    items=lacking,
                )
            )
    return checks


__all__ = ["failure_allowances", "failures_check", "presence_checks"]
