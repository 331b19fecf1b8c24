"""Seeded percentile-bootstrap confidence intervals of a mean and of a paired difference.

Every random draw comes from a generator seeded by the caller, so the same
inputs and seed give the same interval. The values are sorted before they
are resampled, so an interval does not depend on the order of the rows they
came in (a benchmark file reordered, scores.jsonl written in another order).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

from harness.stats._arrays import _CHUNK_ELEMENTS, _round


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
        """Half the interval width, the "±" shown in tables (12 significant digits, as
        the bounds: their difference would carry float noise, 0.0275955607180000**12**)."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return _round((self.ci_high - self.ci_low) / 2)

    def to_json(self) -> dict[str, float | int | None]:
        """Plain JSON form with ``ci_half_width`` added."""
        data: dict[str, float | int | None] = dict(asdict(self))
        data["ci_half_width"] = self.half_width
        return data


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
    # sorted: the interval is of the values, whatever order their rows came in
    defined = np.sort(values[~np.isnan(values)])
    n = int(defined.size)
    nulls = int(values.size - n)
    if n == 0:
        return MeanCI(None, None, None, 0, nulls)
    mean = float(defined.mean())
    if n == 1:  # one value says nothing about its spread: no interval, not [mean, mean]
        return MeanCI(_round(mean), None, None, 1, nulls)
    low, high = _percentile_ci(defined, resamples, confidence, seed)
    return MeanCI(_round(mean), _round(low), _round(high), n, nulls)


def _percentile_ci(
    defined: NDArray[np.float64], resamples: int, confidence: float, seed: int
) -> tuple[float, float]:
    # the (resamples x n) index matrix is drawn in chunks of rows: whole, it takes
    # 16 bytes per resample and value (1.6 GB for 100,000 examples)
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
    defined = np.sort(defined[~np.isnan(defined)])  # order-free, as in `bootstrap_mean`
    if defined.size == 0:
        return None, None, None
    mean = _round(float(defined.mean()))
    if defined.size == 1:
        return mean, mean, mean
    low, high = _percentile_ci(defined, resamples, confidence, seed)
    return mean, _round(low), _round(high)
