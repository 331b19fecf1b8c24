"""Average ranks in numpy: what the binary meta-evaluation needs of ``scipy.stats.rankdata``.

The binary statistics (ROC-AUC and its bootstrap) need only ranks, and
importing ``scipy.stats`` for them cost a labelled run about 1.3 s, more
than the statistics themselves. The ranks are exactly scipy's
``method="average"`` ones (ties get the mean of the positions they span,
half-integers that float64 holds exactly); a test compares the two on
random arrays full of ties.
"""

from __future__ import annotations

import numpy as np

from harness.meta_eval._bootstrap import FloatArray


def average_ranks(values: FloatArray) -> FloatArray:
    """Ranks 1..n along the last axis, ties sharing their mean rank (no NaN expected).

    >>> average_ranks(np.array([0.3, 0.1, 0.3, 0.2])).tolist()
    [3.5, 1.0, 3.5, 2.0]
    >>> average_ranks(np.array([[2.0, 1.0], [5.0, 5.0]])).tolist()
    [[2.0, 1.0], [1.5, 1.5]]
    """
    n = values.shape[-1]
    order = np.argsort(values, axis=-1)  # the order within a tie does not change its mean rank
    ordered = np.take_along_axis(values, order, axis=-1)
    positions = np.broadcast_to(np.arange(n), values.shape)
    starts_group = np.ones(values.shape, dtype=bool)
    starts_group[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    ends_group = np.ones(values.shape, dtype=bool)
    ends_group[..., :-1] = starts_group[..., 1:]
    first = np.maximum.accumulate(np.where(starts_group, positions, 0), axis=-1)
    last = np.flip(
        np.minimum.accumulate(np.flip(np.where(ends_group, positions, n - 1), -1), axis=-1), -1
    )
    ranks = np.empty(values.shape, dtype=np.float64)
    np.put_along_axis(ranks, order, (first + last) / 2 + 1, axis=-1)
    return ranks


__all__ = ["average_ranks"]
