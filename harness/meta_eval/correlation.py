"""Continuous labels: Pearson, Spearman and Kendall (tau-b) correlation with bootstrap intervals."""

from __future__ import annotations

from typing import Any

import numpy as np

from harness.meta_eval._bootstrap import (
    FloatArray,
    _index_chunks,
    _interval,
    _maybe,
    _statistic,
    in_canonical_order,
    too_few_resamples,
    without_float_noise,
)
from harness.meta_eval._ranks import average_ranks


def _pearson_rows(x: FloatArray, y: FloatArray) -> FloatArray:
    """Row-wise Pearson correlation; ``nan`` where a row is constant."""
    xc = x - x.mean(axis=1, keepdims=True)
    yc = y - y.mean(axis=1, keepdims=True)
    denominator = np.sqrt((xc * xc).sum(axis=1) * (yc * yc).sum(axis=1))
    # a constant row's mean may differ from its value in the last bit; test it exactly
    varies = (np.ptp(x, axis=1) > 0) & (np.ptp(y, axis=1) > 0) & (denominator > 0)
    out = np.full(x.shape[0], np.nan)
    np.divide((xc * yc).sum(axis=1), denominator, out=out, where=varies)
    np.clip(out, -1.0, 1.0, out=out)
    return out


def _kendall_rows(x: FloatArray, y: FloatArray) -> FloatArray:
    from scipy import stats as sps

    out = np.full(x.shape[0], np.nan)
    for row in range(x.shape[0]):
        if np.ptp(x[row]) > 0 and np.ptp(y[row]) > 0:
            out[row] = sps.kendalltau(x[row], y[row]).statistic
    return out


# The scipy.stats functions (results with ``statistic`` and ``pvalue``), by name;
# scipy.stats is imported only where labels are continuous (it takes about 1.3 s).
_CORRELATIONS = {"pearson": "pearsonr", "spearman": "spearmanr", "kendall": "kendalltau"}


def correlations(
    scores: FloatArray, labels: FloatArray, *, seed: int, resamples: int, confidence: float
) -> dict[str, Any]:
    """Pearson, Spearman and Kendall tau-b of oriented ``scores`` with ``labels``."""
    from scipy import stats as sps

    scores, labels = without_float_noise(scores), without_float_noise(labels)
    empty = {name: {**_statistic(None, None, None), "p_value": None} for name in _CORRELATIONS}
    if scores.size < 2:
        return {**empty, "reason": f"fewer than 2 labelled examples with a value ({scores.size})"}
    if np.ptp(scores) == 0 or np.ptp(labels) == 0:
        which = "value" if np.ptp(scores) == 0 else "label"
        return {**empty, "reason": f"every {which} is the same; correlation is undefined"}
    scores, labels = in_canonical_order(scores, labels)
    samples: dict[str, list[FloatArray]] = {name: [] for name in _CORRELATIONS}
    for index in _index_chunks(int(scores.size), resamples, seed):
        x, y = scores[index], labels[index]
        samples["pearson"].append(_pearson_rows(x, y))
        samples["spearman"].append(_pearson_rows(average_ranks(x), average_ranks(y)))
        samples["kendall"].append(_kendall_rows(x, y))
    result: dict[str, Any] = {}
    reasons: list[str] = []
    for name, function in _CORRELATIONS.items():
        found = getattr(sps, function)(scores, labels)
        draws = np.concatenate(samples[name])
        low, high = _interval(draws, confidence)
        if (why := too_few_resamples(draws)) is not None and why not in reasons:
            reasons.append(why)
        result[name] = {
            **_statistic(_maybe(float(found.statistic)), low, high),
            "p_value": _maybe(float(found.pvalue)),
        }
    result["reason"] = "; ".join(reasons) or None
    return result
