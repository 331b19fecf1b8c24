"""Binary labels: ROC-AUC, a balanced-accuracy threshold, and their bootstrap intervals."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from harness.meta_eval._bootstrap import (
    BoolArray,
    FloatArray,
    _index_chunks,
    _interval,
    _round,
    _statistic,
    in_canonical_order,
    too_few_resamples,
    without_float_noise,
)
from harness.meta_eval._ranks import average_ranks


def _class_counts(labels: FloatArray) -> tuple[BoolArray, int, int] | None:
    """(positive mask, n1, n0) of 0/1 ``labels``, or ``None`` when either class is absent."""
    positive = labels == 1
    n1 = int(positive.sum())
    n0 = int(labels.size) - n1
    return None if n1 == 0 or n0 == 0 else (positive, n1, n0)


def roc_auc(scores: FloatArray, labels: FloatArray) -> float | None:
    """Area under the ROC curve of ``scores`` as a detector of label 1.

    Uses the rank (Mann–Whitney) form: with average ranks ``R`` of all scores,
    ``AUC = (sum of R over positives - n1 (n1 + 1) / 2) / (n1 n0)``, so tied
    scores count one half (Hanley & McNeil, 1982, "The meaning and use of the
    area under a receiver operating characteristic (ROC) curve", Radiology).

    Args:
        scores: Detector scores, higher meaning "more likely label 1".
        labels: 0/1 labels, same length.

    Returns:
        The AUC, or ``None`` when either class is absent.

    >>> roc_auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0.0, 0.0, 1.0, 1.0]))
    0.75
    """
    classes = _class_counts(labels)
    if classes is None:
        return None
    positive, n1, n0 = classes
    ranks = average_ranks(scores)
    return _round((float(ranks[positive].sum()) - n1 * (n1 + 1) / 2) / (n1 * n0))


def balanced_accuracy(scores: FloatArray, labels: FloatArray, threshold: float) -> float | None:
    """Mean of the true-positive and true-negative rates of ``scores >= threshold``.

    Args:
        scores: Detector scores; a score at or above ``threshold`` predicts 1.
        labels: 0/1 labels, same length.
        threshold: The decision threshold.

    Returns:
        Balanced accuracy in [0, 1], or ``None`` when either class is absent.

    >>> balanced_accuracy(np.array([0.2, 0.6, 0.7, 0.9]), np.array([0.0, 0.0, 1.0, 1.0]), 0.5)
    0.75
    """
    classes = _class_counts(labels)
    if classes is None:
        return None
    positive, n1, n0 = classes
    predicted = scores >= threshold
    tpr = int((predicted & positive).sum()) / n1
    tnr = int((~predicted & ~positive).sum()) / n0
    return _round((tpr + tnr) / 2)


def choose_threshold(scores: FloatArray, labels: FloatArray) -> float | None:
    """The threshold that maximises balanced accuracy of ``scores >= threshold``.

    Candidates are the lowest score (everything predicted 1) and the midpoints
    between consecutive distinct scores, so a threshold never sits on a score
    seen while choosing it. Ties go to the lowest candidate. Balanced accuracy
    is compared in exact integer arithmetic (``2 n1 n0 BA = TP n0 + TN n1``).

    Args:
        scores: Detector scores on the examples that choose the threshold.
        labels: Their 0/1 labels.

    Returns:
        The threshold, or ``None`` when there are no scores or a class is absent.

    >>> choose_threshold(np.array([0.1, 0.2, 0.8, 0.9]), np.array([0.0, 0.0, 1.0, 1.0]))
    0.5
    """
    classes = _class_counts(labels)
    if classes is None:
        return None
    positive, n1, n0 = classes
    distinct = np.unique(scores)
    candidates = np.concatenate([distinct[:1], (distinct[:-1] + distinct[1:]) / 2])
    pos_sorted = np.sort(scores[positive])
    neg_sorted = np.sort(scores[~positive])
    true_pos = n1 - np.searchsorted(pos_sorted, candidates, side="left")
    true_neg = np.searchsorted(neg_sorted, candidates, side="left")
    scaled = true_pos.astype(np.int64) * n0 + true_neg.astype(np.int64) * n1
    return float(candidates[int(np.argmax(scaled))])


def _auc_rows(scores: FloatArray, positive: BoolArray) -> FloatArray:
    """Row-wise AUC of a (resamples x n) score matrix; ``nan`` where a class is absent."""
    n = scores.shape[1]
    ranks = average_ranks(scores)
    n1 = positive.sum(axis=1).astype(np.float64)
    n0 = n - n1
    rank_sum = np.where(positive, ranks, 0.0).sum(axis=1)
    denominator = n1 * n0
    out = np.full(scores.shape[0], np.nan)
    np.divide(rank_sum - n1 * (n1 + 1) / 2, denominator, out=out, where=denominator > 0)
    return out


def _balanced_accuracy_rows(predicted: BoolArray, positive: BoolArray) -> FloatArray:
    """Row-wise balanced accuracy of fixed predictions; ``nan`` where a class is absent."""
    n1 = positive.sum(axis=1).astype(np.float64)
    n0 = positive.shape[1] - n1
    true_pos = (predicted & positive).sum(axis=1)
    true_neg = (~predicted & ~positive).sum(axis=1)
    out = np.full(positive.shape[0], np.nan)
    defined = (n1 > 0) & (n0 > 0)
    out[defined] = (true_pos[defined] / n1[defined] + true_neg[defined] / n0[defined]) / 2
    return out


def _binary(
    scores: FloatArray,
    labels: FloatArray,
    is_dev: BoolArray,
    *,
    threshold_on: str,
    dev_name: str,
    sign: float,
    seed: int,
    resamples: int,
    confidence: float,
    held_out: int,
) -> dict[str, Any]:
    """ROC-AUC and balanced accuracy of oriented ``scores`` (nulls already removed).

    ``sign`` (+1 or -1) turns the oriented threshold back into the value's units;
    ``held_out`` is how many labelled examples are outside the dev split, nulls included.
    """
    scores = without_float_noise(scores)
    if threshold_on == "dev":
        dev_scores, dev_labels = scores[is_dev], labels[is_dev]
        test_scores, test_labels = scores[~is_dev], labels[~is_dev]
    else:
        dev_scores, dev_labels = test_scores, test_labels = scores, labels
    test_scores, test_labels = in_canonical_order(test_scores, test_labels)
    reasons: list[str] = []
    threshold = choose_threshold(dev_scores, dev_labels)
    if threshold is None:
        reasons.append(
            f"no threshold: the {dev_name} ({dev_labels.size} with a value) "
            "do not hold both labels 0 and 1"
        )
    elif threshold_on == "dev" and np.ptp(dev_scores) == 0:
        # Every threshold ties on dev (balanced accuracy 0.5): the one kept would be
        # the tie-break's, not the dev split's, and the held-out figure would be its.
        threshold = None
        reasons.append(
            f"no threshold: the value is {_round(sign * float(dev_scores[0])) + 0.0:g} on "
            f"every one of the {dev_name} ({dev_labels.size}), so no threshold does better "
            "than another there"
        )
    auc = roc_auc(test_scores, test_labels)
    if auc is None and threshold_on == "dev" and held_out == 0:
        # a `limit` of SummEdits' first rows loads its evaluation split alone
        reasons.append(
            f"every labelled example is one of the {dev_name}, so none is held out to "
            "report on (a `limit` or `sample` may have loaded that split alone)"
        )
    elif auc is None:
        where = "other examples" if threshold_on == "dev" else "labelled examples"
        reasons.append(
            f"the {where} ({test_labels.size} with a value) do not hold both labels 0 and 1"
        )
    accuracy = None
    if threshold is not None and auc is not None:
        accuracy = balanced_accuracy(test_scores, test_labels, threshold)
    auc_ci: tuple[float | None, float | None] = (None, None)
    accuracy_ci: tuple[float | None, float | None] = (None, None)
    if auc is not None:
        positive = test_labels == 1
        predicted = test_scores >= (threshold if threshold is not None else math.inf)
        auc_samples, accuracy_samples = [], []
        for index in _index_chunks(int(test_scores.size), resamples, seed):
            auc_samples.append(_auc_rows(test_scores[index], positive[index]))
            accuracy_samples.append(_balanced_accuracy_rows(predicted[index], positive[index]))
        auc_draws = np.concatenate(auc_samples)
        auc_ci = _interval(auc_draws, confidence)
        if (why := too_few_resamples(auc_draws)) is not None:
            reasons.append(why)
        if accuracy is not None:
            accuracy_ci = _interval(np.concatenate(accuracy_samples), confidence)
    return {
        "n_dev": int(dev_scores.size),
        "n_test": int(test_scores.size),
        "threshold_on": threshold_on,
        # "+ 0.0" turns a negated 0.0 into 0.0 rather than -0.0
        "threshold": None if threshold is None else _round(sign * threshold) + 0.0,
        "predict_label_1_when": ">=" if sign > 0 else "<=",
        "roc_auc": _statistic(auc, *auc_ci),
        "balanced_accuracy": _statistic(accuracy, *accuracy_ci),
        "reason": "; ".join(reasons) or None,
    }
