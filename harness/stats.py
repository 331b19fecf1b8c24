"""Aggregate statistics: means with seeded percentile-bootstrap confidence intervals.

All functions take plain numpy arrays where ``nan`` marks an undefined value
(``null`` in scores.jsonl); undefined values are excluded and counted.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray


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


def to_array(values: list[float | None]) -> NDArray[np.float64]:
    """Convert a list with ``None`` holes to a float array with ``nan``.

    >>> to_array([1, None]).tolist()
    [1.0, nan]
    """
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


__all__ = ["MeanCI", "bootstrap_mean", "to_array"]
