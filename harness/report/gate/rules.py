"""One value rule checked for one system (`check_value`): the drop, its paired
test, the nulls, and the worst examples (see `harness.report.gate`)."""

from __future__ import annotations

import math

import numpy as np

from harness.compare import RunScores
from harness.config import GateRule
from harness.report.gate.verdict import WORST_SHOWN, GateCheck, WorstExample, ids_text
from harness.stats import paired_permutation_test, smallest_permutation_p, win_tie_loss

# floats that differ by less than this are equal (means summed in another order)
_EPSILON = 1e-12


def _drop(change: float, higher_is_better: bool | None) -> float:
    if higher_is_better is None:
        return abs(change)
    return -change if higher_is_better else change


def _unreachable(rule: GateRule, n: int, differing: int, resamples: int) -> str | None:
    """Why ``rule.significant_at`` cannot be reached with ``n`` pairs, of which
    ``differing`` have different values in the two runs, else None.

    A tied pair (the same value in both runs) weighs nothing in the sign-flip
    test: flipping a zero difference changes no mean, so the smallest p the
    test can give is that of the differing pairs alone (``2 / 2**4 = 0.125``
    when 4 of 20 pairs differ). Runs with no differing pair need no note:
    there is no change to judge.
    """
    if rule.significant_at is None:
        return None
    if n < 2:
        return (
            f"significant_at {rule.significant_at:g} is out of reach: the paired test needs "
            f"at least 2 paired examples, there {'is' if n == 1 else 'are'} {n}"
        )
    if differing == 0:
        return None
    smallest = smallest_permutation_p(differing, resamples=resamples)
    if smallest is not None and smallest < rule.significant_at:
        return None
    if differing == n:
        return (
            f"significant_at {rule.significant_at:g} is out of reach with n={n}: the smallest "
            f"p the paired test can give is {smallest:.2g}"
        )
    # one differing pair: it and its mirror image are every flip, p = 1
    bound = 1.0 if smallest is None else smallest
    return (
        f"significant_at {rule.significant_at:g} is out of reach with n={n}: only "
        f"{differing} paired {'example differs' if differing == 1 else 'examples differ'} "
        "(a tie weighs nothing in the paired test), so the smallest p it can give is "
        f"{bound:.2g}"
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


def null_counts(
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


def check_value(
    index: int,
    rule: GateRule,
    system: str,
    candidate: RunScores,
    baseline: RunScores,
    ids: list[str],
) -> GateCheck:
    """Check value rule ``rule`` (``gate[index]``) for ``system`` on the shared ``ids``."""
    value = rule.value or ""
    direction = candidate.directions.get(value, baseline.directions.get(value))
    cand = candidate.array(system, value, ids)
    base = baseline.array(system, value, ids)
    both = ~(np.isnan(cand) | np.isnan(base))
    missing = int(np.count_nonzero(np.isnan(cand) & ~np.isnan(base)))
    n = int(np.count_nonzero(both))
    base_nulls, cand_nulls, new_nulls = null_counts(candidate, baseline, system, value, ids)
    allowed_nulls = rule.max_new_nulls or 0
    null_reason = ""
    if len(new_nulls) > allowed_nulls:
        null_reason = (
            f"null on {len(new_nulls)} examples the baseline defines "
            f"(> max_new_nulls {allowed_nulls}): {ids_text(new_nulls)}"
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
    # the pairs the paired test weighs: a tie (within TIE_TOLERANCE, as W/T/L counts it)
    _, ties, _ = win_tie_loss(cand, base, None)
    differing = n - ties
    unreachable = _unreachable(rule, n, differing, candidate.stats.resamples)
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


__all__ = ["check_value", "null_counts"]
