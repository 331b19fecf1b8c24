"""Array types, rounding and the seeded percentile bootstrap shared by both protocols.

Resamples on which a statistic is undefined (``nan``) are left out of its interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IndexArray = NDArray[np.intp]

# Bootstrap index matrices are drawn in chunks of about this many elements.
_CHUNK_ELEMENTS = 2_000_000


def _round(value: float) -> float:
    # 12 significant digits, as in harness.stats: stable across platforms.
    return float(f"{value:.12g}")


def _maybe(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return _round(value)


def _index_chunks(n: int, resamples: int, seed: int) -> Iterator[IndexArray]:
    """Seeded bootstrap index rows (``resamples`` x ``n``), drawn in chunks."""
    rng = np.random.default_rng(seed)
    rows = max(1, _CHUNK_ELEMENTS // max(n, 1))
    for start in range(0, resamples, rows):
        yield rng.integers(0, n, size=(min(rows, resamples - start), n))


def _interval(samples: FloatArray, confidence: float) -> tuple[float | None, float | None]:
    defined = samples[np.isfinite(samples)]
    if defined.size == 0:
        return None, None
    alpha = (1 - confidence) / 2
    low, high = np.quantile(defined, [alpha, 1 - alpha])
    return _round(float(low)), _round(float(high))


def _statistic(value: float | None, low: float | None, high: float | None) -> dict[str, Any]:
    return {"value": value, "ci_low": low, "ci_high": high}
