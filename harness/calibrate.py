"""Fit a metric's combination to a run's human labels (``harness calibrate``).

Only ``consistency`` can be calibrated today. Its score combines parts that
the run already stored per (example, system): the uncapped ``novel_bigrams``
share and the flags, each a finding with a ``kind``
(`harness.metric.consistency.FLAG_KINDS`). So the fit needs no re-scoring:
with ``c = min(novel_bigrams, novelty_cap)`` and ``f_k`` the flags of kind
``k``, the metric's own form::

    log score = log(1 - novelty_weight * c) - sum_k kind_weight_k * f_k

enters a logistic regression of the binary label, ``P(label = 1) =
sigmoid(b + g * log score)``, fitted on the dev split by L-BFGS-B (scipy)
from a fixed start, so the same labels give the same weights. The
kind weights and the novelty weight carry an L2 penalty towards the run's own
params (a Gaussian prior centred on them), so a kind that is rare in the dev
split keeps about its old weight and one never seen keeps it exactly. The
novelty cap stays the run's: past it new word pairs are rewording, and
letting a fit raise it overfits (on SummEdits sales email, choosing it from
0.1-1 by dev loss took held-out balanced accuracy from 0.788 to 0.637).

Fitting ranks; the decision threshold is still chosen on the dev split by
`harness.meta_eval`, which also measures the result: the caller re-scores the
run with the fitted params and reports dev (in-sample) and held-out statistics.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray
from scipy.optimize import minimize

from harness.config import MetaEvalConfig
from harness.errors import BenchmarkError, ConfigError
from harness.meta_eval import correlations, meta_evaluate
from harness.metric.consistency import FLAG_KINDS, ConsistencyParams, kind_weight
from harness.records import Example, Score

FloatArray = NDArray[np.float64]

#: Metrics ``harness calibrate`` can fit.
CALIBRATABLE = ("consistency",)
#: The fewest dev examples of each label (0 and 1) a fit needs.
MIN_PER_CLASS = 10
#: The largest share of the score novelty may take away: keeps log score finite.
_MAX_NOVELTY_PENALTY = 0.99
#: Significant digits of the written params (a stable file across platforms).
_DIGITS = 4
_SCALE_BOUNDS = (1e-3, 50.0)


@dataclass(frozen=True)
class Components:
    """The stored parts of ``consistency`` for one system's labelled examples.

    Attributes:
        example_ids: One per row, in examples.jsonl order.
        labels: The 0/1 labels.
        is_dev: Whether the row's example is in the dev split.
        novel_bigrams: The uncapped novel-bigram share.
        flags: Flags per kind, columns in `FLAG_KINDS` order.
        other_flags: Flags of a kind not in `FLAG_KINDS` (weighed ``flag_weight``).
    """

    example_ids: tuple[str, ...]
    labels: FloatArray
    is_dev: NDArray[np.bool_]
    novel_bigrams: FloatArray
    flags: FloatArray
    other_flags: FloatArray


@dataclass(frozen=True)
class Fit:
    """A fitted combination.

    Attributes:
        params: The fitted ``consistency`` params (the run's ``model`` kept).
        loss: Penalised negative log-likelihood on the dev split.
        scale: ``g``, the logistic slope on log score (ranking ignores it).
        intercept: ``b``.
    """

    params: ConsistencyParams
    loss: float
    scale: float
    intercept: float


def check_metric(name: str) -> None:
    """Raise unless ``name`` is a metric this module can calibrate.

    Raises:
        ConfigError: Naming the metrics that can be calibrated.
    """
    if name not in CALIBRATABLE:
        raise ConfigError(
            f"--metric {name!r}: cannot calibrate this metric; metrics that can be "
            f"calibrated: {', '.join(CALIBRATABLE)}",
            hint="calibrate one of those (their combination of stored parts is what is fitted)",
        )


def dev_rows(examples: Sequence[Example], config: MetaEvalConfig, origin: str) -> list[bool]:
    """Per labelled example (in order), whether it is in the dev split.

    Raises:
        BenchmarkError: No example has a label, a label is not 0 or 1, or no
            labelled example is in the dev split, or none is out of it.
        ConfigError: ``meta_eval.dev_split`` is not set.
    """
    labelled = [example for example in examples if example.label is not None]
    if not labelled:
        raise BenchmarkError(
            f"{origin}: no example has a label; calibrate fits the metric to human labels",
            hint="map the benchmark's label column (benchmark.fields.label) and run again",
        )
    odd = next((ex for ex in labelled if ex.label not in (0.0, 1.0)), None)
    if odd is not None:
        raise BenchmarkError(
            f"{origin}: example {odd.id!r} has label {odd.label!r}; calibrate needs binary "
            "labels (0 = inconsistent, 1 = consistent)",
            hint="continuous labels (QAGS-style) cannot be calibrated yet; `harness run` "
            "reports their correlations",
        )
    if config.dev_split is None:
        raise ConfigError(
            f"{origin}: meta_eval.dev_split is not set, so there is no dev split to fit on "
            "(and nothing held out to test the fit)",
            hint="set meta_eval: {split_field: <field>, dev_split: <value>} in the run's "
            "config.yaml to the examples to fit on; the others are held out",
        )
    flags = [config.in_dev(example.meta) for example in labelled]
    if not any(flags):
        seen = sorted({str(ex.meta.get(config.split_field)) for ex in labelled})
        raise BenchmarkError(
            f"{origin}: no labelled example has {config.split_field} == {config.dev_split!r} "
            f"(meta_eval.dev_split); values of {config.split_field!r}: {', '.join(seen)}",
            hint="set meta_eval.split_field and meta_eval.dev_split to the dev examples",
        )
    if all(flags):
        raise BenchmarkError(
            f"{origin}: every labelled example has {config.split_field} == "
            f"{config.dev_split!r} (meta_eval.dev_split), so none is held out to test the "
            "fit: its figures would all be in-sample",
            hint="keep some labelled examples out of the dev split (a test split), or "
            "load more (a `limit` may have loaded the dev examples alone)",
        )
    return flags


def consistency_components(
    examples: Sequence[Example],
    scores: Sequence[Score],
    system: str,
    config: MetaEvalConfig,
    origin: str,
) -> Components:
    """The stored ``consistency`` parts of ``system``'s labelled examples.

    Labelled examples without a value (an empty summary, a failed generation)
    are left out.

    Raises:
        BenchmarkError: As `dev_rows`, or the dev split has fewer than
            `MIN_PER_CLASS` examples of a label.
    """
    in_dev = dev_rows(examples, config, origin)
    labelled = [example for example in examples if example.label is not None]
    found = {
        item.example_id: item
        for item in scores
        if item.system == system and item.metric == "consistency"
    }
    ids, labels, dev, novelty, flags, other = [], [], [], [], [], []
    for example, is_dev in zip(labelled, in_dev, strict=True):
        item = found.get(example.id)
        if item is None or item.values.get("novel_bigrams") is None:
            continue
        counts = dict.fromkeys(FLAG_KINDS, 0.0)
        extra = 0.0
        for finding in item.findings:
            kind = finding.get("kind")
            if kind in counts:
                counts[kind] += 1
            else:
                extra += 1
        ids.append(example.id)
        labels.append(float(example.label or 0.0))
        dev.append(is_dev)
        novelty.append(float(item.values["novel_bigrams"] or 0.0))
        flags.append([counts[kind] for kind in FLAG_KINDS])
        other.append(extra)
    parts = Components(
        example_ids=tuple(ids),
        labels=np.array(labels, dtype=np.float64),
        is_dev=np.array(dev, dtype=bool),
        novel_bigrams=np.array(novelty, dtype=np.float64),
        flags=np.array(flags, dtype=np.float64).reshape(len(ids), len(FLAG_KINDS)),
        other_flags=np.array(other, dtype=np.float64),
    )
    dev_labels = parts.labels[parts.is_dev]
    classes = {label: int((dev_labels == label).sum()) for label in (0.0, 1.0)}
    if min(classes.values()) < MIN_PER_CLASS:
        raise BenchmarkError(
            f"{origin}: the dev split ({config.split_field} == {config.dev_split!r}) has "
            f"{classes[0.0]} examples labelled 0 and {classes[1.0]} labelled 1 with a "
            f"consistency value for system {system!r}; a fit needs at least {MIN_PER_CLASS} "
            "of each",
            hint="label more examples of the rarer class, or put more of them in the dev split",
        )
    return parts


def _sig(value: float) -> float:
    return float(f"{value:.{_DIGITS}g}") + 0.0


def _fit(parts: Components, base: ConsistencyParams, l2: float) -> tuple[float, FloatArray]:
    """Minimise the penalised dev loss; returns (loss, [b, g, w_k..., nw])."""
    cap = base.novelty_cap
    dev = parts.is_dev
    y = parts.labels[dev]
    copy = np.minimum(parts.novel_bigrams[dev], cap)
    flags = parts.flags[dev]
    other = base.flag_weight * parts.other_flags[dev]
    # With novelty_cap 0 no novelty counts: its weight multiplies nothing and stays the run's.
    most_novelty = _MAX_NOVELTY_PENALTY / cap if cap > 0 else None
    prior = np.array(
        [kind_weight(base, kind) for kind in FLAG_KINDS]
        + [base.novelty_weight if most_novelty is None else min(base.novelty_weight, most_novelty)]
    )

    def loss(theta: FloatArray) -> tuple[float, FloatArray]:
        b, g, weights, nw = theta[0], theta[1], theta[2:-1], theta[-1]
        keep = 1.0 - nw * copy
        log_score = np.log(keep) - flags @ weights - other
        z = b + g * log_score
        nll = float(np.sum(np.logaddexp(0.0, z) - y * z))
        residual = 1.0 / (1.0 + np.exp(-z)) - y
        delta = theta[2:] - prior
        grad = np.concatenate(
            [
                [residual.sum(), residual @ log_score],
                -g * (flags.T @ residual),
                [-g * float(residual @ (copy / keep))],
            ]
        )
        grad[2:] += l2 * delta
        return nll + 0.5 * l2 * float(delta @ delta), grad

    start = np.concatenate([[0.0, 1.0], prior])
    bounds = [(None, None), _SCALE_BOUNDS] + [(0.0, None)] * len(FLAG_KINDS)
    bounds.append((0.0, most_novelty))
    found = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    return float(found.fun), np.asarray(found.x, dtype=np.float64)


def fit_consistency(parts: Components, base: ConsistencyParams, *, l2: float = 1.0) -> Fit:
    """Fit ``consistency``'s kind weights and novelty weight on the dev rows.

    Args:
        parts: The stored parts (`consistency_components`).
        base: The run's params: the prior centre; ``model``, ``novelty_cap``
            and ``flag_weight`` (for kinds outside `FLAG_KINDS`) are kept.
        l2: Strength of the penalty towards ``base`` (a prior of standard
            deviation ``1 / sqrt(l2)`` on each weight).

    Returns:
        The fit; ``params`` names a weight for every kind in `FLAG_KINDS`.
    """
    loss, theta = _fit(parts, base, l2)
    params = base.model_copy(
        update={
            "novelty_weight": _sig(float(theta[-1])),
            "kind_weights": {
                kind: _sig(float(weight))
                for kind, weight in zip(FLAG_KINDS, theta[2:-1], strict=True)
            },
        }
    )
    ConsistencyParams.model_validate(params.model_dump())  # still a valid config
    return Fit(params=params, loss=loss, scale=float(theta[1]), intercept=float(theta[0]))


def metrics_yaml(params: ConsistencyParams, *, header: Sequence[str] = ()) -> str:
    """The fitted params as a config's ``metrics:`` list with one entry.

    >>> print(metrics_yaml(ConsistencyParams(novelty_cap=0.3)), end="")
    metrics:
    - name: consistency
      params:
        flag_weight: 0.7
        novelty_weight: 2.0
        novelty_cap: 0.3
    """
    dumped = params.model_dump(mode="json", exclude_none=True)
    body = yaml.safe_dump(
        {"metrics": [{"name": "consistency", "params": dumped}]},
        sort_keys=False,
        default_flow_style=False,
    )
    return "".join(f"# {line}\n" for line in header) + body


def agreement(
    examples: Sequence[Example],
    scores: Sequence[Score],
    system: str,
    config: MetaEvalConfig,
    *,
    seed: int,
    resamples: int,
    confidence: float,
) -> dict[str, dict[str, Any]]:
    """Balanced accuracy, ROC-AUC and Pearson of ``consistency.score`` on dev and held-out.

    The threshold is chosen on the dev split in both rows (`harness.meta_eval`):
    the dev row is in-sample, the held-out row is the honest one.

    Returns:
        ``{"dev" | "held_out": {"n", "balanced_accuracy", "roc_auc", "pearson",
        "threshold"}}``, each statistic ``{"value", "ci_low", "ci_high"}``.
    """
    values: Mapping[str, Mapping[str, Any]] = {"consistency.score": {"higher_is_better": True}}

    def evaluate(subset: Sequence[Example], split: MetaEvalConfig) -> dict[str, Any] | None:
        return meta_evaluate(
            subset,
            scores,
            values,
            split,
            seed=seed,
            resamples=resamples,
            confidence=confidence,
            systems=[system],
        )

    labelled = [example for example in examples if example.label is not None]
    in_dev = [config.in_dev(example.meta) for example in labelled]
    dev = [example for example, flag in zip(labelled, in_dev, strict=True) if flag]
    held = [example for example, flag in zip(labelled, in_dev, strict=True) if not flag]
    # In-sample: the threshold is chosen and measured on the dev examples alone.
    on_dev = evaluate(dev, config.model_copy(update={"dev_split": None}))
    on_held = evaluate(labelled, config)
    by_id = {
        item.example_id: item.values.get("score")
        for item in scores
        if item.system == system and item.metric == "consistency"
    }
    rows: dict[str, dict[str, Any]] = {}
    for name, found, subset in (("dev", on_dev, dev), ("held_out", on_held, held)):
        entry = found["systems"][system]["consistency.score"] if found else {}
        pairs = [(by_id.get(ex.id), ex.label) for ex in subset]
        defined = [(value, label) for value, label in pairs if value is not None]
        correlation = correlations(
            np.array([value for value, _ in defined], dtype=np.float64),
            np.array([label for _, label in defined], dtype=np.float64),
            seed=seed,
            resamples=resamples,
            confidence=confidence,
        )
        rows[name] = {
            "n": len(defined),
            "balanced_accuracy": entry.get("balanced_accuracy", _empty()),
            "roc_auc": entry.get("roc_auc", _empty()),
            "pearson": {key: correlation["pearson"][key] for key in ("value", "ci_low", "ci_high")},
            "threshold": entry.get("threshold"),
        }
    return rows


def _empty() -> dict[str, float | None]:
    return {"value": None, "ci_low": None, "ci_high": None}


__all__ = [
    "CALIBRATABLE",
    "MIN_PER_CLASS",
    "Components",
    "Fit",
    "agreement",
    "check_metric",
    "consistency_components",
    "dev_rows",
    "fit_consistency",
    "metrics_yaml",
]
