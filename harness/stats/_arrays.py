"""Arrays with ``nan`` holes, and the rounding shared by every statistic.

``nan`` marks an undefined value (``null`` in scores.jsonl); paired
statistics keep only the pairs defined on both sides.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

# bounds the (resamples x n) matrices drawn at once, so memory stays small for large n
_CHUNK_ELEMENTS = 2_000_000


def _round(value: float) -> float:
    # 12 significant digits: stable across platforms' last-bit float noise.
    return float(f"{value:.12g}")


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


def to_array(values: list[float | None]) -> NDArray[np.float64]:
    """Convert a list with ``None`` holes to a float array with ``nan``.

    >>> to_array([1, None]).tolist()
    [1.0, nan]
    """
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)
