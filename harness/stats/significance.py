"""Significance of a paired difference: sign-flip permutation test and Holm's correction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from harness.stats._arrays import _CHUNK_ELEMENTS, _paired_defined, _round

#: Largest n for which `paired_permutation_test` enumerates all 2^n sign flips.
EXACT_MAX_N = 12


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

    Pairs where either value is ``nan`` are left out. The p-value depends on
    the pairs, not on their order (the differences are sorted first).

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
    # sorted: the random flips fall on the same differences whatever the row order
    diffs = np.sort(first - second)
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


def largest_out_of_reach(ns: Iterable[int], alpha: float) -> int | None:
    """The largest of the pair counts ``ns`` at which the exact test can never reach
    ``alpha`` (its smallest p, `smallest_permutation_p`, is at or above it), else None.

    >>> largest_out_of_reach([2, 5, 40], 0.05), largest_out_of_reach([6, 40], 0.05)
    (5, None)
    """
    found = [
        n
        for n in ns
        if n <= EXACT_MAX_N and (bound := smallest_permutation_p(n)) is not None and bound >= alpha
    ]
    return max(found, default=None)


def smallest_holm_p(ns: Iterable[int], *, resamples: int = 1000) -> float | None:
    """The smallest Holm-adjusted p-value any value of one family can get, whatever the data.

    ``ns`` are the pair counts of the family's values (those with ``n >= 2`` are
    tested and adjusted together). Holm multiplies the smallest of ``m`` p-values
    by ``m``, so no adjusted p falls below ``m`` times the smallest p the test can
    return at any of those ``n`` (`smallest_permutation_p`): with 19 values and
    1000 random flips that is 19/1001 = 0.019, so at ``alpha = 0.01`` nothing can
    be significant, however large the difference.

    Returns:
        The bound (at most 1), or ``None`` when no value is tested.

    >>> smallest_holm_p([40] * 19, resamples=1000)
    0.018981018981
    >>> smallest_holm_p([8, 8, 1]), smallest_holm_p([1]) is None
    (0.015625, True)
    """
    bounds = [bound for n in ns if (bound := smallest_permutation_p(n, resamples=resamples))]
    if not bounds:
        return None
    return _round(min(1.0, len(bounds) * min(bounds)))


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
