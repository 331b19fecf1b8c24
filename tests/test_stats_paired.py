"""Paired statistics: known answers (hand-computed, scipy), nulls, seeds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats as scipy_stats

from harness.stats import (
    EXACT_MAX_N,
    PairedComparison,
    bootstrap_mean,
    compare_paired,
    holm,
    paired_bootstrap,
    paired_permutation_test,
    smallest_holm_p,
    to_array,
    win_tie_loss,
)


def _zeros(n: int) -> np.ndarray:
    return np.zeros(n, dtype=np.float64)


# permutation test ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("diffs", "expected"),
    [
        # signed sums of ±1±2±3: 6, 4, 2, 0, 0, -2, -4, -6 → |sum| >= 6 twice of 8
        ([1.0, 2.0, 3.0], 2 / 8),
        # ±1±2±3±4: only all-plus and all-minus reach |sum| = 10 → 2 of 16
        ([1.0, 2.0, 3.0, 4.0], 2 / 16),
        # 3-1+2 = 4; |sums| of ±3±1±2: 6,4,2,0,0,2,4,6 → >= 4 in 4 of 8
        ([3.0, -1.0, 2.0], 4 / 8),
        # no difference at all: every flip ties the observed 0
        ([0.0, 0.0, 0.0, 0.0], 1.0),
    ],
)
def test_exact_sign_flip_by_hand(diffs: list[float], expected: float) -> None:
    diff = np.array(diffs)
    assert paired_permutation_test(diff, _zeros(diff.size)) == pytest.approx(expected)


@pytest.mark.parametrize("n", [3, 7, EXACT_MAX_N])
def test_exact_test_matches_scipy_permutation_test(n: int) -> None:
    rng = np.random.default_rng(n)
    a = rng.normal(size=n)
    b = a + rng.normal(0.4, 1.0, size=n)
    expected = scipy_stats.permutation_test(
        (a, b),
        lambda x, y, axis: np.mean(x - y, axis=axis),
        permutation_type="samples",
        vectorized=True,
        n_resamples=10**6,  # more than 2**n: scipy enumerates exactly
    ).pvalue
    assert paired_permutation_test(a, b) == pytest.approx(expected, abs=1e-12)


def test_exact_test_equals_exact_wilcoxon_when_magnitudes_are_ranks() -> None:
    # with |d| = 1..n the mean of signed d is an affine function of the
    # signed-rank statistic, so both exact tests give the same p-value
    diffs = np.array([1.0, -2.0, 3.0, 4.0, -5.0, 6.0, 7.0, 8.0, 9.0])
    expected = scipy_stats.wilcoxon(diffs, method="exact").pvalue
    assert paired_permutation_test(diffs, _zeros(diffs.size)) == pytest.approx(expected)


def test_monte_carlo_test_is_close_to_scipy_and_seeded() -> None:
    rng = np.random.default_rng(7)
    a = rng.normal(size=40)
    b = a + rng.normal(0.35, 1.0, size=40)
    expected = scipy_stats.permutation_test(
        (a, b),
        lambda x, y, axis: np.mean(x - y, axis=axis),
        permutation_type="samples",
        vectorized=True,
        n_resamples=20000,
        random_state=1,
    ).pvalue
    first = paired_permutation_test(a, b, resamples=20000, seed=3)
    assert first is not None
    assert first == pytest.approx(expected, abs=0.01)
    assert first == paired_permutation_test(a, b, resamples=20000, seed=3)
    assert first != paired_permutation_test(a, b, resamples=20000, seed=4)


def test_monte_carlo_p_value_is_never_zero() -> None:
    a = np.arange(30, dtype=np.float64) + 10
    p_value = paired_permutation_test(a, _zeros(30), resamples=999)
    assert p_value == pytest.approx(1 / 1000)


def test_permutation_test_skips_nan_pairs_and_needs_two() -> None:
    a = to_array([1.0, None, 3.0, 2.0])
    b = to_array([0.0, 5.0, None, 1.0])
    # pairs (1, 0) and (2, 1): diffs 1, 1 → flipped sums 2, 0, 0, -2 → p = 2/4
    assert paired_permutation_test(a, b) == 0.5
    assert paired_permutation_test(to_array([1.0, None]), to_array([0.0, 1.0])) is None
    with pytest.raises(ValueError, match="equal length"):
        paired_permutation_test(np.ones(3), np.ones(4))


# Holm ---------------------------------------------------------------------------
def test_holm_by_hand() -> None:
    # m = 4; sorted 0.005, 0.01, 0.03, 0.04 → ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04;
    # step-down keeps the running maximum → 0.02, 0.03, 0.06, 0.06 (what
    # statsmodels.stats.multitest.multipletests(method="holm") returns)
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_holm_caps_at_one_and_handles_edges() -> None:
    assert holm([0.5, 0.6]) == [1.0, 1.0]
    assert holm([]) == []
    assert holm([0.2]) == [0.2]


def test_holm_is_monotone_in_raw_order() -> None:
    raw = np.random.default_rng(0).uniform(size=15).tolist()
    adjusted = holm(raw)
    pairs = sorted(zip(raw, adjusted, strict=True))
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(pairs))
    assert all(adj >= p for p, adj in zip(raw, adjusted, strict=True))


# wins / ties / losses -------------------------------------------------------------
@pytest.mark.parametrize(
    ("direction", "expected"),
    [(True, (2, 1, 1)), (None, (2, 1, 1)), (False, (1, 1, 2))],
)
def test_win_tie_loss_follows_direction(direction: bool | None, expected: tuple[int, ...]) -> None:
    a = to_array([3.0, 2.0, 1.0, 5.0, None])
    b = to_array([1.0, 2.0, 2.0, 4.0, 1.0])
    assert win_tie_loss(a, b, direction) == expected


# paired bootstrap -------------------------------------------------------------------
def test_paired_bootstrap_is_the_bootstrap_of_the_differences() -> None:
    diffs = np.random.default_rng(2).normal(0.1, 1.0, size=3000)  # several chunks
    mean, low, high = paired_bootstrap(diffs, resamples=1000, seed=5)
    same = bootstrap_mean(diffs, resamples=1000, seed=5)
    assert (mean, low, high) == (same.mean, same.ci_low, same.ci_high)
    assert low is not None and high is not None and mean is not None
    assert low < mean < high
    assert paired_bootstrap(diffs, seed=6)[1] != low


@pytest.mark.parametrize("n", [8, 60])  # an exact test, then random sign flips
def test_paired_statistics_do_not_depend_on_the_order_of_the_pairs(n: int) -> None:
    rng = np.random.default_rng(12)
    baseline = np.round(rng.uniform(size=n), 2)
    system = np.round(baseline + rng.normal(0.05, 0.2, size=n), 2)
    system[::7] = np.nan
    first = compare_paired({"v": (system, baseline)}, {"v": True}, resamples=400, seed=2)
    for _ in range(3):
        order = rng.permutation(n)
        again = compare_paired(
            {"v": (system[order], baseline[order])}, {"v": True}, resamples=400, seed=2
        )
        assert again == first
        assert paired_permutation_test(
            system[order], baseline[order], resamples=400, seed=2
        ) == paired_permutation_test(system, baseline, resamples=400, seed=2)


def test_paired_bootstrap_edges() -> None:
    assert paired_bootstrap(to_array([None, None])) == (None, None, None)
    assert paired_bootstrap(to_array([0.25, None])) == (0.25, 0.25, 0.25)


# compare_paired -----------------------------------------------------------------------
def test_compare_paired_values_holm_and_nulls() -> None:
    rng = np.random.default_rng(11)
    base = rng.uniform(size=30)
    pairs = {
        "m.better": (base + 0.3, base),
        "m.same": (base.copy(), base),
        "m.lower": (base + 0.3, base),
        "m.sparse": (to_array([1.0] + [None] * 29), base),
    }
    directions = {"m.better": True, "m.same": True, "m.lower": False}
    result = compare_paired(pairs, directions, resamples=500, seed=1)
    better = result["m.better"]
    assert better.n == 30
    assert better.diff == pytest.approx(0.3)
    assert better.ci_low == pytest.approx(0.3) and better.ci_high == pytest.approx(0.3)
    assert (better.wins, better.ties, better.losses) == (30, 0, 0)
    assert result["m.lower"].wins == 0 and result["m.lower"].losses == 30
    # three values tested → the smallest p is multiplied by 3
    assert better.p_value == pytest.approx(1 / 501)
    assert better.p_holm == pytest.approx(3 / 501)
    assert better.significant
    same = result["m.same"]
    assert (same.diff, same.p_value, same.p_holm, same.significant) == (0.0, 1.0, 1.0, False)
    assert same.ties == 30
    sparse = result["m.sparse"]
    assert sparse.n == 1
    # one pair: its difference, but no interval and no test
    assert sparse.diff == pytest.approx(1.0 - float(base[0]))
    assert (sparse.ci_low, sparse.p_value, sparse.p_holm) == (None,) * 3
    assert not sparse.significant
    assert set(better.to_json()) == {
        "n",
        "diff",
        "ci_low",
        "ci_high",
        "p_value",
        "p_holm",
        "significant",
        "wins",
        "ties",
        "losses",
    }


def test_compare_paired_is_deterministic() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=50), rng.normal(size=50)
    first = compare_paired({"x.y": (a, b)}, {}, seed=9)
    assert first == compare_paired({"x.y": (a, b)}, {}, seed=9)
    assert isinstance(first["x.y"], PairedComparison)


def test_one_pair_gives_its_difference_without_interval_or_test() -> None:
    compared = compare_paired({"v": (to_array([0.75, None]), to_array([0.5, 0.1]))}, {"v": True})
    item = compared["v"]
    assert (item.n, item.diff, item.ci_low, item.p_value, item.significant) == (
        1,
        0.25,
        None,
        None,
        False,
    )


def test_smallest_holm_p_bounds_every_adjusted_p() -> None:
    rng = np.random.default_rng(21)
    for n, values in ((40, 19), (9, 5), (60, 3)):
        base = rng.uniform(size=n)
        pairs = {f"m.v{i}": (base - 0.5 - 0.01 * i, base) for i in range(values)}
        pairs["m.one"] = (np.array([0.0] + [np.nan] * (n - 1)), np.zeros(n))  # n = 1: untested
        compared = compare_paired(pairs, {}, resamples=1000, alpha=0.05, seed=0)
        ns = [item.n for item in compared.values()]
        floor = smallest_holm_p(ns, resamples=1000)
        # every difference is as extreme as can be, so the smallest p_holm is the bound
        assert floor == min(item.p_holm for item in compared.values() if item.p_holm is not None)
        assert any(item.significant for item in compared.values()) == (floor < 0.05)
    assert smallest_holm_p([1, 0]) is None
    assert smallest_holm_p([2] * 3) == 1.0  # capped
