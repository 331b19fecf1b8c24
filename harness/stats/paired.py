"""A system compared with a baseline on shared examples, value by value.

Each value gets a paired-bootstrap CI of the mean difference, a sign-flip
permutation test (Holm-adjusted across the values), and per-example
wins/ties/losses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

import numpy as np
from numpy.typing import NDArray

from harness.stats._arrays import _paired_defined, _round
from harness.stats.bootstrap import paired_bootstrap
from harness.stats.significance import holm, paired_permutation_test

#: Two per-example values closer than this count as a tie.
TIE_TOLERANCE = 1e-12


def win_tie_loss(
    a: NDArray[np.float64], b: NDArray[np.float64], higher_is_better: bool | None
) -> tuple[int, int, int]:
    """Count the examples where ``a`` beats, ties or loses to ``b``.

    Args:
        a: One system's per-example values.
        b: The other's values on the same examples; pairs with a ``nan`` are left out.
        higher_is_better: The value's direction; with ``False`` the lower
            value wins, with ``None`` (no better side) ``a > b`` counts as a win.

    Returns:
        ``(wins, ties, losses)`` of ``a``; values within `TIE_TOLERANCE` tie.

    >>> win_tie_loss(np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 1.0]), False)
    (1, 1, 1)
    """
    first, second = _paired_defined(a, b)
    diffs = first - second
    ties = int(np.count_nonzero(np.abs(diffs) <= TIE_TOLERANCE))
    above = int(np.count_nonzero(diffs > TIE_TOLERANCE))
    below = int(diffs.size) - ties - above
    if higher_is_better is False:
        return below, ties, above
    return above, ties, below


@dataclass(frozen=True)
class PairedComparison:
    """One value compared between a system and a baseline on shared examples.

    Attributes:
        n: Examples where both values are defined.
        mean: The system's mean over those examples.
        baseline_mean: The baseline's mean over those examples.
        diff: Mean of ``system - baseline`` (``None`` when ``n`` is 0).
        ci_low: Lower bound of the paired-bootstrap interval of ``diff`` (``None``
            when ``n < 2``).
        ci_high: Upper bound.
        p_value: Two-sided sign-flip permutation test of ``diff``.
        p_holm: ``p_value`` Holm-adjusted across the values compared together.
        significant: ``p_holm`` is below alpha.
        wins: Examples where the system is better (see `win_tie_loss`).
        ties: Examples where both are equal.
        losses: Examples where the baseline is better.
    """

    n: int
    mean: float | None
    baseline_mean: float | None
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    p_holm: float | None
    significant: bool
    wins: int
    ties: int
    losses: int

    def to_json(self) -> dict[str, float | int | bool | None]:
        """The results.json form: ``n, diff, ci_low, ci_high, p_value, p_holm,
        significant, wins, ties, losses``."""
        data: dict[str, float | int | bool | None] = dict(asdict(self))
        del data["mean"], data["baseline_mean"]
        return data


def compare_paired(
    pairs: Mapping[str, tuple[NDArray[np.float64], NDArray[np.float64]]],
    directions: Mapping[str, bool | None],
    *,
    resamples: int = 1000,
    confidence: float = 0.95,
    alpha: float = 0.05,
    seed: int = 0,
) -> dict[str, PairedComparison]:
    """Paired comparison of a system with a baseline on several values.

    Each value gets a paired-bootstrap CI of the mean difference, a
    sign-flip permutation test, and wins/ties/losses; the p-values of the
    values with at least 2 shared examples are Holm-adjusted together.
    Values with ``n < 2`` get ``None`` for CI and p, and are never
    significant; their diff is the one pair's difference (``None`` at ``n = 0``).

    Args:
        pairs: Value name → (system values, baseline values), aligned by
            example, ``nan`` where undefined.
        directions: Value name → ``higher_is_better`` (missing means ``None``).
        resamples: Bootstrap resamples and random sign flips.
        confidence: Coverage of the difference's interval.
        alpha: Significance level applied to the Holm-adjusted p-values.
        seed: Seed of every random draw (each value uses it afresh).

    Returns:
        Value name → `PairedComparison`, in the order of ``pairs``.
    """
    compared: dict[str, PairedComparison] = {}
    for name, (system, baseline) in pairs.items():
        first, second = _paired_defined(system, baseline)
        n = int(first.size)
        wins, ties, losses = win_tie_loss(first, second, directions.get(name))
        diff = low = high = p_value = None
        if n == 1:  # the one pair's difference; no interval, no test
            diff = _round(float(first[0] - second[0]))
        elif n >= 2:
            diff, low, high = paired_bootstrap(
                first - second, resamples=resamples, confidence=confidence, seed=seed
            )
            p_value = paired_permutation_test(first, second, resamples=resamples, seed=seed)
        compared[name] = PairedComparison(
            n=n,
            mean=_round(float(first.mean())) if n else None,
            baseline_mean=_round(float(second.mean())) if n else None,
            diff=diff,
            ci_low=low,
            ci_high=high,
            p_value=p_value,
            p_holm=None,
            significant=False,
            wins=wins,
            ties=ties,
            losses=losses,
        )
    tested = {name: item.p_value for name, item in compared.items() if item.p_value is not None}
    for name, p_holm in zip(tested, holm(list(tested.values())), strict=True):
        compared[name] = replace(compared[name], p_holm=p_holm, significant=p_holm < alpha)
    return compared
