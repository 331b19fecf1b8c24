"""Aggregate statistics: bootstrap confidence intervals and paired tests.

Means come with seeded percentile-bootstrap confidence intervals; two systems
scored on the same examples are compared with paired statistics: a paired
bootstrap CI of the mean difference, a sign-flip permutation test, Holm's
correction across several values, and per-example wins/ties/losses.

All functions take plain numpy arrays where ``nan`` marks an undefined value
(``null`` in scores.jsonl); undefined values are excluded and counted. Every
random draw comes from a generator seeded by the caller, so the same inputs
and seed give the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
from numpy.typing import NDArray

#: Largest n for which `paired_permutation_test` enumerates all 2^n sign flips.
EXACT_MAX_N = 12
#: Two per-example values closer than this count as a tie.
TIE_TOLERANCE = 1e-12
# bounds the (resamples x n) matrices drawn at once, so memory stays small for large n
_CHUNK_ELEMENTS = 2_000_000


@dataclass(frozen=True)
class MeanCI:
    """A mean with its bootstrap confidence interval.

    Attributes:
        mean: Mean over defined values (``None`` when there are none).
        ci_low: Lower bound of the percentile-bootstrap interval.
        ci_high: Upper bound.
        n: Number of defined values.
        nulls: Number of undefined values.
    """

    mean: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    nulls: int

    @property
    def half_width(self) -> float | None:
        """Half the interval width, the "±" shown in tables."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return (self.ci_high - self.ci_low) / 2

    def to_json(self) -> dict[str, float | int | None]:
        """Plain JSON form with ``ci_half_width`` added."""
        data: dict[str, float | int | None] = dict(asdict(self))
        data["ci_half_width"] = self.half_width
        return data


def _round(value: float) -> float:
    # 12 significant digits: stable across platforms' last-bit float noise.
    return float(f"{value:.12g}")


def bootstrap_mean(
    values: NDArray[np.float64], *, resamples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> MeanCI:
    """Mean and percentile-bootstrap CI of the defined (non-nan) values.

    Args:
        values: Scores, ``nan`` where undefined.
        resamples: Number of bootstrap resamples.
        confidence: Interval coverage, e.g. 0.95.
        seed: Seed of the resampling generator; same seed, same interval.

    >>> ci = bootstrap_mean(np.array([1.0, 2.0, 3.0, np.nan]))
    >>> ci.mean, ci.n, ci.nulls
    (2.0, 3, 1)
    >>> 1.0 <= ci.ci_low <= 2.0 <= ci.ci_high <= 3.0
    True
    """
    defined = values[~np.isnan(values)]
    n = int(defined.size)
    nulls = int(values.size - n)
    if n == 0:
        return MeanCI(None, None, None, 0, nulls)
    mean = float(defined.mean())
    if n == 1:
        return MeanCI(_round(mean), _round(mean), _round(mean), 1, nulls)
    rng = np.random.default_rng(seed)
    index = rng.integers(0, n, size=(resamples, n))
    means = defined[index].mean(axis=1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return MeanCI(_round(mean), _round(float(low)), _round(float(high)), n, nulls)


def _percentile_ci(
    defined: NDArray[np.float64], resamples: int, confidence: float, seed: int
) -> tuple[float, float]:
    n = int(defined.size)
    rng = np.random.default_rng(seed)
    rows = max(1, _CHUNK_ELEMENTS // n)
    means = np.empty(resamples, dtype=np.float64)
    for start in range(0, resamples, rows):
        stop = min(resamples, start + rows)
        index = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = defined[index].mean(axis=1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return float(low), float(high)


def paired_bootstrap(
    diffs: NDArray[np.float64],
    *,
    resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float | None, float | None, float | None]:
    """Mean of paired differences and its percentile-bootstrap CI.

    The examples (pairs) are resampled with replacement, so the interval
    accounts for the correlation between two systems scored on the same
    examples. ``nan`` differences (a value undefined on either side) are left
    out.

    Args:
        diffs: Per-example differences, e.g. ``system - baseline``.
        resamples: Number of bootstrap resamples.
        confidence: Interval coverage, e.g. 0.95.
        seed: Seed of the resampling generator.

    Returns:
        ``(mean, ci_low, ci_high)``; all ``None`` when no difference is
        defined, and ``(d, d, d)`` for a single difference ``d``.

    >>> mean, low, high = paired_bootstrap(np.array([0.1, 0.2, 0.3, np.nan]))
    >>> round(mean, 6), 0.1 <= low <= mean <= high <= 0.3
    (0.2, True)
    """
    defined = np.asarray(diffs, dtype=np.float64)
    defined = defined[~np.isnan(defined)]
    if defined.size == 0:
        return None, None, None
    mean = _round(float(defined.mean()))
    if defined.size == 1:
        return mean, mean, mean
    low, high = _percentile_ci(defined, resamples, confidence, seed)
    return mean, _round(low), _round(high)


def _paired_defined(
    a: NDArray[np.float64], b: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    first = np.asarray(a, dtype=np.float64)
    second = np.asarray(b, dtype=np.float64)
    if first.shape != second.shape or first.ndim != 1:
        raise ValueError(
            f"paired arrays must be 1-d and of equal length (got {first.shape} and {second.shape})"
        )
    keep = ~(np.isnan(first) | np.isnan(second))
    return first[keep], second[keep]


def paired_permutation_test(
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    *,
    resamples: int = 1000,
    seed: int = 0,
) -> float | None:
    """Two-sided sign-flip permutation test of the mean paired difference ``a - b``.

    Under the null hypothesis that the two systems are exchangeable on every
    example, each difference is as likely to have either sign. For ``n <=
    EXACT_MAX_N`` pairs the p-value is exact: the share of all ``2**n`` sign
    flips whose mean is at least as far from 0 as the observed mean. For
    larger ``n`` it is estimated from ``resamples`` random flips as
    ``(count(|flipped mean| >= |observed|) + 1) / (resamples + 1)``, which is
    never 0 and keeps the test valid (Phipson & Smyth, 2010, "Permutation
    P-values Should Never Be Zero", SAGMB).

    Pairs where either value is ``nan`` are left out.

    Args:
        a: One system's per-example values.
        b: The other system's values on the same examples, in the same order.
        resamples: Random sign flips drawn when ``n > EXACT_MAX_N``.
        seed: Seed of the generator of those flips.

    Returns:
        The p-value, or ``None`` when fewer than 2 pairs are defined.

    >>> paired_permutation_test(np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.0, 0.0]))
    0.25
    """
    first, second = _paired_defined(a, b)
    diffs = first - second
    n = int(diffs.size)
    if n < 2:
        return None
    observed = abs(float(diffs.mean()))
    # float sums of the same numbers in another order differ in the last bits;
    # a flip that ties the observed mean must count as "at least as extreme"
    threshold = observed - 1e-12 * max(1.0, observed)
    if n <= EXACT_MAX_N:
        bits = (np.arange(2**n)[:, None] >> np.arange(n)) & 1
        signs = 1.0 - 2.0 * bits
        flipped = np.abs(signs @ diffs) / n
        return _round(float(np.count_nonzero(flipped >= threshold)) / 2**n)
    rng = np.random.default_rng(seed)
    rows = max(1, _CHUNK_ELEMENTS // n)
    count = 0
    for start in range(0, resamples, rows):
        size = min(rows, resamples - start)
        signs = rng.choice(np.array([-1.0, 1.0]), size=(size, n))
        count += int(np.count_nonzero(np.abs(signs @ diffs) / n >= threshold))
    return _round((count + 1) / (resamples + 1))


def smallest_permutation_p(n: int, *, resamples: int = 1000) -> float | None:
    """The smallest p-value `paired_permutation_test` can return for ``n`` pairs.

    A level at or below it can never be reached, whatever the data: with
    ``n <= EXACT_MAX_N`` the exact test counts at least the observed flip
    and its mirror image among the ``2**n`` (``2 / 2**n``); above that the
    estimate is at least ``1 / (resamples + 1)``.

    Returns:
        The bound, or ``None`` when ``n < 2`` (the test returns no p-value).

    >>> smallest_permutation_p(5)
    0.0625
    >>> smallest_permutation_p(40, resamples=999)
    0.001
    """
    if n < 2:
        return None
    if n <= EXACT_MAX_N:
        return _round(2.0 / 2**n)
    return _round(1.0 / (resamples + 1))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm–Bonferroni step-down adjustment of several p-values.

    The i-th smallest of m p-values is multiplied by ``m - i + 1``; the
    adjusted values are made monotone (a larger raw p never gets a smaller
    adjusted p) and capped at 1. Rejecting where the adjusted p is below
    alpha controls the family-wise error rate at alpha (Holm, 1979, "A Simple
    Sequentially Rejective Multiple Test Procedure", Scand. J. Statist.).

    Args:
        p_values: Raw p-values, in any order.

    Returns:
        Adjusted p-values in the order given.

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda index: p_values[index])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = _round(running)
    return adjusted


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
        diff: Mean of ``system - baseline`` (``None`` when ``n < 2``).
        ci_low: Lower bound of the paired-bootstrap interval of ``diff``.
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
    Values with ``n < 2`` get ``None`` for diff, CI and p, and are never
    significant.

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
        if n >= 2:
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


def to_array(values: list[float | None]) -> NDArray[np.float64]:
    """Convert a list with ``None`` holes to a float array with ``nan``.

    >>> to_array([1, None]).tolist()
    [1.0, nan]
    """
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


__all__ = [
    "EXACT_MAX_N",
    "TIE_TOLERANCE",
    "MeanCI",
    "PairedComparison",
    "bootstrap_mean",
    "compare_paired",
    "holm",
    "paired_bootstrap",
    "paired_permutation_test",
    "smallest_permutation_p",
    "to_array",
    "win_tie_loss",
]
