"""Bootstrap means: known answers, null handling, reproducibility."""

from __future__ import annotations

import tracemalloc

import numpy as np

from harness.stats import MeanCI, bootstrap_mean, paired_bootstrap, to_array


def test_mean_and_counts_skip_nulls() -> None:
    summary = bootstrap_mean(to_array([1.0, None, 3.0, 5.0]))
    assert summary.mean == 3.0
    assert summary.n == 3
    assert summary.nulls == 1
    assert summary.ci_low is not None and summary.ci_high is not None
    assert 1.0 <= summary.ci_low < 3.0 < summary.ci_high <= 5.0


def test_same_seed_same_interval_other_seed_differs() -> None:
    values = np.random.default_rng(1).normal(size=200)
    first = bootstrap_mean(values, seed=4)
    assert first == bootstrap_mean(values, seed=4)
    assert first.ci_low != bootstrap_mean(values, seed=5).ci_low


def test_interval_matches_normal_approximation_for_large_sample() -> None:
    values = np.random.default_rng(0).normal(loc=2.0, scale=1.0, size=2000)
    summary = bootstrap_mean(values, resamples=2000)
    expected = 1.96 * values.std(ddof=1) / np.sqrt(values.size)
    assert summary.half_width is not None
    assert abs(summary.half_width - expected) / expected < 0.1


def test_all_null_and_single_value() -> None:
    empty = bootstrap_mean(to_array([None, None]))
    assert (empty.mean, empty.n, empty.nulls, empty.half_width) == (None, 0, 2, None)
    single = bootstrap_mean(to_array([0.5]))
    assert (single.mean, single.ci_low, single.half_width) == (0.5, None, None)  # no spread


def test_interval_does_not_depend_on_the_order_of_the_values() -> None:
    rng = np.random.default_rng(7)
    values = np.round(rng.normal(size=80), 2)
    values[::9] = np.nan
    first = bootstrap_mean(values, resamples=500, seed=3)
    for _ in range(3):
        assert bootstrap_mean(rng.permutation(values), resamples=500, seed=3) == first


def test_a_large_sample_is_resampled_in_chunks() -> None:
    values = np.random.default_rng(8).uniform(size=20_000)
    tracemalloc.start()
    try:
        summary = bootstrap_mean(values, resamples=1000, seed=1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # whole, the 1000 x 20,000 resamples take 320 MB; a chunk takes 32 MB
    assert peak < 100_000_000
    assert (summary.mean, summary.ci_low, summary.ci_high) == paired_bootstrap(values, seed=1)


def test_half_width_carries_no_float_noise() -> None:
    # (0.17 - 0.0833333333333) / 2 is 0.04333333333335001 in floats
    summary = MeanCI(mean=0.12, ci_low=0.0833333333333, ci_high=0.17, n=10, nulls=0)
    assert summary.half_width == 0.0433333333334
    assert MeanCI(0.2, 0.1, 0.3, 5, 0).to_json()["ci_half_width"] == 0.1  # not 0.09999999999999999
