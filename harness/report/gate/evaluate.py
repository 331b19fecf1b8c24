"""`evaluate_gate`: every check of a candidate run against a baseline."""

from __future__ import annotations

from collections.abc import Sequence

from harness.compare import (
    RunScores,
    check_same_benchmark,
    check_value_names,
    metric_differences,
    pairing_warnings,
    shared_examples,
)
from harness.config import GateRule
from harness.errors import ConfigError, StoreError
from harness.registry import did_you_mean
from harness.report.gate.integrity import failure_allowances, failures_check, presence_checks
from harness.report.gate.rules import check_value, null_counts
from harness.report.gate.verdict import GateCheck, GateVerdict, ids_text

GATE_HINT = (
    "add a `gate:` list to the candidate's config.yaml (or the baseline's), e.g.\n"
    "    gate:\n"
    "      - {value: rouge.rouge1, max_drop: 0.02, significant_at: 0.05}\n"
    "  (see configs/ci.yaml)"
)


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
            _, _, new = null_counts(candidate, baseline, system, value, ids)
            if new:
                warnings.append(
                    f"{value} {system}: null on {len(new)} examples the baseline defines "
                    f"(not gated: no rule names this value): {ids_text(new)}"
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
        StoreError: The runs share no example or no system, are of
            different benchmarks, or scored with different metrics (another
            version, params or model of a metric both have).
    """
    rules, rules_from = select_rules(candidate, baseline)
    warnings = check_same_benchmark(baseline, candidate, allow_different=allow_different_benchmark)
    changed = metric_differences(baseline, candidate)
    if changed:
        raise StoreError(
            f"{candidate.label} scored with other metrics than the baseline {baseline.label} "
            f"({'; '.join(changed)}), so their values are not comparable",
            hint="re-run the baseline's config with this harness and refresh the baseline "
            "(`harness baseline RUN_DIR --out FILE`); an upgrade of harness that changes a "
            "metric changes its version",
        )
    ids = shared_examples(baseline, candidate)
    shared_systems = [system for system in candidate.systems if system in baseline.values]
    if not shared_systems:
        raise StoreError(
            f"{candidate.label} and {baseline.label} have no system name in common",
            hint="systems are matched by name; give them the same `name` in both configs",
        )
    known_systems = list(dict.fromkeys([*baseline.systems, *candidate.systems]))
    # A system the baseline lacks has no value to compare, but its failed
    # generations are all new: they count against the failures rules too.
    new_systems = [system for system in candidate.systems if system not in baseline.values]
    checked = [*shared_systems, *new_systems]
    allowances = failure_allowances(rules, checked, known_systems, rules_from)
    integrity = presence_checks(candidate, baseline)
    integrity += [
        failures_check(system, candidate, baseline, ids, allowances[system]) for system in checked
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
            checks.append(check_value(index, rule, system, candidate, baseline, ids))
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


__all__ = ["GATE_HINT", "evaluate_gate", "select_rules"]
