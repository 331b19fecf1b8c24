"""Meta-evaluation: how well each metric value agrees with human labels.

A benchmark with human labels (``Example.label``) lets the harness measure the
metrics themselves. A label judges the benchmark's *own* summary
(``Example.summary``), so the statistics are meaningful for the system that
outputs exactly that summary, typically the ``precomputed`` backend; they are
computed for every system, and the caller chooses which to show.

Two protocols, chosen by the labels:

* **Binary labels** (every label is 0 or 1; 1 = consistent), as in SummEdits
  (Laban et al., 2023, "SummEdits: Measuring LLM Ability at Factual Reasoning
  Through The Lens of Summarization", EMNLP): ROC-AUC, and balanced accuracy
  of a decision threshold. With ``dev_split`` set, the threshold is chosen on
  the examples whose ``meta[split_field] == dev_split`` and both statistics are
  reported on the *other* examples (``threshold_on: "dev"``); without it, the
  threshold is chosen and reported on all examples (``threshold_on: "all"``),
  which is optimistic.
* **Continuous labels** (anything else), as in QAGS (Wang et al., 2020,
  "Asking and Answering Questions to Evaluate the Factual Consistency of
  Summaries", ACL): Pearson, Spearman and Kendall (tau-b) correlation over
  all labelled examples; the split is not used.

Every value is first *oriented*: a value whose ``higher_is_better`` is
``False`` is negated, so for every value a larger statistic means better
agreement (AUC above 0.5, positive correlation). Values with no direction
(``None``) are used as they are. Thresholds are reported in the value's own
units together with the rule (``>=`` or ``<=``) that predicts label 1.

Each statistic carries a seeded percentile-bootstrap interval over examples
(Efron & Tibshirani, 1993, "An Introduction to the Bootstrap", ch. 13).
The balanced-accuracy interval resamples the reported examples with the
threshold held fixed; resamples on which a statistic is undefined (one
class missing, constant values) are left out of the interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats as sps

from harness.config import MetaEvalConfig
from harness.errors import ConfigError
from harness.records import Example, Score

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IndexArray = NDArray[np.intp]

# Bootstrap index matrices are drawn in chunks of about this many elements.
_CHUNK_ELEMENTS = 2_000_000

NOTE = (
    "Labels judge each example's own summary; the statistics are meaningful for the "
    "system that outputs it (typically the `precomputed` one)."
)


def _round(value: float) -> float:
    # 12 significant digits, as in harness.stats: stable across platforms.
    return float(f"{value:.12g}")


def _maybe(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return _round(value)


# point statistics ---------------------------------------------------------------
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
    positive = labels == 1
    n1 = int(positive.sum())
    n0 = int(labels.size) - n1
    if n1 == 0 or n0 == 0:
        return None
    ranks = sps.rankdata(scores)
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
    positive = labels == 1
    n1 = int(positive.sum())
    n0 = int(labels.size) - n1
    if n1 == 0 or n0 == 0:
        return None
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
    positive = labels == 1
    n1 = int(positive.sum())
    n0 = int(labels.size) - n1
    if n1 == 0 or n0 == 0:
        return None
    distinct = np.unique(scores)
    candidates = np.concatenate([distinct[:1], (distinct[:-1] + distinct[1:]) / 2])
    pos_sorted = np.sort(scores[positive])
    neg_sorted = np.sort(scores[~positive])
    true_pos = n1 - np.searchsorted(pos_sorted, candidates, side="left")
    true_neg = np.searchsorted(neg_sorted, candidates, side="left")
    scaled = true_pos.astype(np.int64) * n0 + true_neg.astype(np.int64) * n1
    return float(candidates[int(np.argmax(scaled))])


# bootstrap ----------------------------------------------------------------------
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


def _auc_rows(scores: FloatArray, positive: BoolArray) -> FloatArray:
    """Row-wise AUC of a (resamples x n) score matrix; ``nan`` where a class is absent."""
    n = scores.shape[1]
    ranks = sps.rankdata(scores, axis=1)
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
    out = np.full(x.shape[0], np.nan)
    for row in range(x.shape[0]):
        if np.ptp(x[row]) > 0 and np.ptp(y[row]) > 0:
            out[row] = sps.kendalltau(x[row], y[row]).statistic
    return out


def _statistic(value: float | None, low: float | None, high: float | None) -> dict[str, Any]:
    return {"value": value, "ci_low": low, "ci_high": high}


# per-value protocols ----------------------------------------------------------
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
) -> dict[str, Any]:
    """ROC-AUC and balanced accuracy of oriented ``scores`` (nulls already removed).

    ``sign`` (+1 or -1) turns the oriented threshold back into the value's units.
    """
    if threshold_on == "dev":
        dev_scores, dev_labels = scores[is_dev], labels[is_dev]
        test_scores, test_labels = scores[~is_dev], labels[~is_dev]
    else:
        dev_scores, dev_labels = test_scores, test_labels = scores, labels
    reasons: list[str] = []
    threshold = choose_threshold(dev_scores, dev_labels)
    if threshold is None:
        reasons.append(
            f"no threshold: the {dev_name} ({dev_labels.size} with a value) "
            "do not hold both labels 0 and 1"
        )
    auc = roc_auc(test_scores, test_labels)
    if auc is None:
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
        auc_ci = _interval(np.concatenate(auc_samples), confidence)
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


# scipy.stats functions whose results carry ``statistic`` and ``pvalue``.
_CORRELATIONS = {
    "pearson": sps.pearsonr,
    "spearman": sps.spearmanr,
    "kendall": sps.kendalltau,
}


def correlations(
    scores: FloatArray, labels: FloatArray, *, seed: int, resamples: int, confidence: float
) -> dict[str, Any]:
    """Pearson, Spearman and Kendall tau-b of oriented ``scores`` with ``labels``."""
    empty = {name: {**_statistic(None, None, None), "p_value": None} for name in _CORRELATIONS}
    if scores.size < 2:
        return {**empty, "reason": f"fewer than 2 labelled examples with a value ({scores.size})"}
    if np.ptp(scores) == 0 or np.ptp(labels) == 0:
        which = "value" if np.ptp(scores) == 0 else "label"
        return {**empty, "reason": f"every {which} is the same; correlation is undefined"}
    samples: dict[str, list[FloatArray]] = {name: [] for name in _CORRELATIONS}
    for index in _index_chunks(int(scores.size), resamples, seed):
        x, y = scores[index], labels[index]
        samples["pearson"].append(_pearson_rows(x, y))
        samples["spearman"].append(_pearson_rows(sps.rankdata(x, axis=1), sps.rankdata(y, axis=1)))
        samples["kendall"].append(_kendall_rows(x, y))
    result: dict[str, Any] = {}
    for name, function in _CORRELATIONS.items():
        found = function(scores, labels)
        low, high = _interval(np.concatenate(samples[name]), confidence)
        result[name] = {
            **_statistic(_maybe(float(found.statistic)), low, high),
            "p_value": _maybe(float(found.pvalue)),
        }
    result["reason"] = None
    return result


# the entry point ----------------------------------------------------------------
def _orientation(meta: Mapping[str, Any]) -> float:
    return -1.0 if meta.get("higher_is_better") is False else 1.0


def _check_split_field(labelled: Sequence[Example], config: MetaEvalConfig) -> None:
    if any(config.split_field in example.meta for example in labelled):
        return
    fields = sorted({key for example in labelled for key in example.meta})
    raise ConfigError(
        f"meta_eval.split_field: no labelled example has a metadata field "
        f"{config.split_field!r} (dev_split is {config.dev_split!r}); "
        f"metadata fields: {', '.join(fields) or '(none)'}",
        hint="set meta_eval.split_field to the field that holds each example's split, "
        "or set meta_eval.dev_split: null to choose thresholds on all examples",
    )


def meta_evaluate(
    examples: Sequence[Example],
    scores: Sequence[Score],
    values: Mapping[str, Mapping[str, Any]],
    config: MetaEvalConfig,
    *,
    seed: int,
    resamples: int,
    confidence: float,
    systems: Sequence[str] | None = None,
) -> dict[str, Any] | None:
    """Agreement of every metric value with the benchmark's human labels.

    See the module docstring for the two protocols and the orientation of
    values. Examples without a label are left out (``n_unlabelled``); for
    each (system, value), labelled examples whose value is ``null`` or that
    have no score are left out and counted as ``nulls``.

    Args:
        examples: The benchmark examples; ``label`` is the human judgment.
        scores: Lines of scores.jsonl (per example, system and metric).
        values: results.json ``values``: ``"<metric>.<name>"`` →
            ``{"higher_is_better": bool | None, ...}``; sets which values are
            meta-evaluated and in what order.
        config: ``split_field`` and ``dev_split`` (binary labels only).
        seed: Seed of every bootstrap (each value uses it afresh).
        resamples: Bootstrap resamples.
        confidence: Interval coverage, e.g. 0.95.
        systems: Systems to meta-evaluate, in this order (default: every
            system in ``scores``, in order of first appearance).

    Returns:
        ``None`` when no example has a label, else::

            {"kind": "binary" | "continuous", "n_labelled", "n_unlabelled",
             "label_counts": {"0": n0, "1": n1},            # binary only
             "split_field", "dev_split", "threshold_on",     # "dev" | "all" | None
             "seed", "resamples", "confidence", "note",
             "systems": {system: {value name: {
                 "n", "nulls", "oriented": "as_is" | "negated",
                 # binary:
                 "n_dev", "n_test", "threshold_on", "threshold",
                 "predict_label_1_when": ">=" | "<=",
                 "roc_auc": {"value", "ci_low", "ci_high"},
                 "balanced_accuracy": {"value", "ci_low", "ci_high"},
                 # continuous:
                 "pearson" | "spearman" | "kendall":
                     {"value", "ci_low", "ci_high", "p_value"},
                 "reason": str | None}}}}

        ``reason`` says why a statistic is ``None`` (e.g. a split without
        both labels). ``threshold`` is in the value's own units.

    Raises:
        ConfigError: ``dev_split`` is set but no labelled example has the
            metadata field ``split_field``.
    """
    labelled = [example for example in examples if example.label is not None]
    if not labelled:
        return None
    labels = np.array([example.label for example in labelled], dtype=np.float64)
    binary = bool(np.isin(labels, (0.0, 1.0)).all())
    threshold_on: str | None = None
    dev_name = "labelled examples"
    is_dev = np.zeros(labels.size, dtype=bool)
    if binary:
        threshold_on = "all" if config.dev_split is None else "dev"
        if config.dev_split is not None:
            _check_split_field(labelled, config)
            dev_name = f"examples with {config.split_field} == {config.dev_split!r}"
            is_dev = np.array(
                [example.meta.get(config.split_field) == config.dev_split for example in labelled]
            )
    position = {example.id: index for index, example in enumerate(labelled)}
    table: dict[tuple[str, str], FloatArray] = {}
    order: dict[str, None] = {}
    for item in scores:
        order.setdefault(item.system)
        row = position.get(item.example_id)
        if row is None:
            continue
        for short, value in item.values.items():
            column = table.setdefault(
                (item.system, f"{item.metric}.{short}"), np.full(labels.size, np.nan)
            )
            column[row] = math.nan if value is None else float(value)
    chosen = list(order) if systems is None else list(systems)
    results: dict[str, dict[str, Any]] = {}
    for system in chosen:
        per_value: dict[str, Any] = {}
        for name, meta in values.items():
            sign = _orientation(meta)
            raw = table.get((system, name), np.full(labels.size, np.nan))
            defined = np.isfinite(raw)
            oriented = sign * raw[defined]
            entry: dict[str, Any] = {
                "n": int(defined.sum()),
                "nulls": int(labels.size - defined.sum()),
                "oriented": "negated" if sign < 0 else "as_is",
            }
            if binary:
                assert threshold_on is not None
                found = _binary(
                    oriented,
                    labels[defined],
                    is_dev[defined],
                    threshold_on=threshold_on,
                    dev_name=dev_name,
                    sign=sign,
                    seed=seed,
                    resamples=resamples,
                    confidence=confidence,
                )
                entry.update(found)
            else:
                entry.update(
                    correlations(
                        oriented,
                        labels[defined],
                        seed=seed,
                        resamples=resamples,
                        confidence=confidence,
                    )
                )
            if entry["n"] == 0:
                entry["reason"] = "no labelled example has a value (all null)"
            per_value[name] = entry
        results[system] = per_value
    summary: dict[str, Any] = {
        "kind": "binary" if binary else "continuous",
        "n_labelled": len(labelled),
        "n_unlabelled": len(examples) - len(labelled),
    }
    if binary:
        summary["label_counts"] = {
            "0": int((labels == 0).sum()),
            "1": int((labels == 1).sum()),
        }
    summary.update(
        {
            "split_field": config.split_field,
            "dev_split": config.dev_split,
            "threshold_on": threshold_on,
            "seed": seed,
            "resamples": resamples,
            "confidence": confidence,
            "note": NOTE,
            "systems": results,
        }
    )
    return summary


__all__ = [
    "NOTE",
    "balanced_accuracy",
    "choose_threshold",
    "correlations",
    "meta_evaluate",
    "roc_auc",
]
