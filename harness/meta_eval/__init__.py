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
  which is optimistic. A value that is the same on every dev example
  chooses no threshold (every one ties there), so it has no balanced accuracy.
* **Continuous labels** (anything else), as in QAGS (Wang et al., 2020,
  "Asking and Answering Questions to Evaluate the Factual Consistency of
  Summaries", ACL): Pearson, Spearman and Kendall (tau-b) correlation over
  all labelled examples; the split is not used.

Every value is first *oriented*: a value whose ``higher_is_better`` is
``False`` is negated, so for every value a larger statistic means better
agreement (AUC above 0.5, positive correlation). Values with no direction
(``None``) are used as they are. Values (and continuous labels) are
rounded to 12 significant digits first, so two that differ only by float
noise tie. Thresholds are reported in the value's own
units together with the rule (``>=`` or ``<=``) that predicts label 1.

Each statistic carries a seeded percentile-bootstrap interval over examples
(Efron & Tibshirani, 1993, "An Introduction to the Bootstrap", ch. 13),
drawn from the (value, label) pairs sorted, so an interval does not depend on
the order of the examples.
The balanced-accuracy interval resamples the reported examples with the
threshold held fixed; resamples on which a statistic is undefined (one
class missing, constant values) are left out of the interval.

Modules: `binary` (ROC-AUC, balanced accuracy, thresholds), `correlation`
and `evaluate` (`meta_evaluate`, the entry point).
"""

from __future__ import annotations

from harness.meta_eval.binary import balanced_accuracy, choose_threshold, roc_auc
from harness.meta_eval.correlation import correlations
from harness.meta_eval.evaluate import NOTE, meta_evaluate

__all__ = [
    "NOTE",
    "balanced_accuracy",
    "choose_threshold",
    "correlations",
    "meta_evaluate",
    "roc_auc",
]
