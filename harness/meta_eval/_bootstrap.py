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


def without_float_noise(values: FloatArray) -> FloatArray:
    """``values`` rounded to 12 significant digits, as every statistic is written.

    Two summaries that earn the same score can get it in the last bits apart
    (``0.1 + 0.2`` and ``0.3``, sums taken in another order); ranks, thresholds
    and correlations must see a tie there, not an order: else a score that is
    the same for every summary but for that noise can read ROC-AUC 1.0.

    >>> without_float_noise(np.array([0.1 + 0.2, 0.3])).tolist()
    [0.3, 0.3]
    """
    return np.array([_round(float(value)) for value in values], dtype=np.float64)


def in_canonical_order(scores: FloatArray, labels: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The (score, label) pairs sorted by score, then label: what a bootstrap resamples,
    so that its interval does not depend on the order of the examples (a benchmark
    file reordered gives the same interval).

    >>> scores, labels = in_canonical_order(np.array([0.5, 0.1, 0.5]), np.array([1.0, 0.0, 0.0]))
    >>> scores.tolist(), labels.tolist()
    ([0.1, 0.5, 0.5], [0.0, 0.0, 1.0])
    """
    order = np.lexsort((labels, scores))
    return scores[order], labels[order]


def _index_chunks(n: int, resamples: int, seed: int) -> Iterator[IndexArray]:
    """Seeded bootstrap index rows (``resamples`` x ``n``), drawn in chunks."""
    rng = np.random.default_rng(seed)
    rows = max(1, _CHUNK_ELEMENTS // max(n, 1))
    for start in range(0, resamples, rows):
        yield rng.integers(0, n, size=(min(rows, resamples - start), n))


#: The share of resamples a statistic must be defined on for its interval: the
#: others (a resample of a small split that lacks a label, or holds one value)
#: are left out, and when many are, the interval is of the resamples that look
#: like the sample and far too narrow ("1.000 [1.000, 1.000]" for two examples).
MIN_DEFINED_SHARE = 0.9


def _interval(samples: FloatArray, confidence: float) -> tuple[float | None, float | None]:
    """The percentile interval of the defined ``samples``; ``(None, None)`` when fewer
    than ``MIN_DEFINED_SHARE`` of them are defined (see `undefined_share`)."""
    defined = samples[np.isfinite(samples)]
    if defined.size == 0 or defined.size < MIN_DEFINED_SHARE * samples.size:
        return None, None
    alpha = (1 - confidence) / 2
    low, high = np.quantile(defined, [alpha, 1 - alpha])
    return _round(float(low)), _round(float(high))


def _statistic(value: float | None, low: float | None, high: float | None) -> dict[str, Any]:
    return {"value": value, "ci_low": low, "ci_high": high}


def too_few_resamples(samples: FloatArray) -> str | None:
    """Why `_interval` gives no interval for ``samples`` although some are defined."""
    defined = int(np.isfinite(samples).sum())
    if defined == 0 or defined >= MIN_DEFINED_SHARE * samples.size:
        return None
    return (
        f"no interval: the statistic is undefined on {samples.size - defined} of "
        f"{samples.size} bootstrap resamples (too few examples)"
    )
