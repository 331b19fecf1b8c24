"""Aggregate statistics: bootstrap confidence intervals and paired tests.

Means come with seeded percentile-bootstrap confidence intervals; two systems
scored on the same examples are compared with paired statistics: a paired
bootstrap CI of the mean difference, a sign-flip permutation test, Holm's
correction across several values, and per-example wins/ties/losses.

All functions take plain numpy arrays where ``nan`` marks an undefined value
(``null`` in scores.jsonl); undefined values are excluded and counted. Every
random draw comes from a generator seeded by the caller, so the same inputs
and seed give the same numbers.

Modules: `bootstrap` (mean and paired-difference intervals), `significance`
(permutation test, Holm, the smallest p-values reachable), `paired` (a system
against a baseline on several values); `to_array` turns a list with ``None``
holes into such an array.
"""

from __future__ import annotations

from harness.stats._arrays import to_array
from harness.stats.bootstrap import MeanCI, bootstrap_mean, paired_bootstrap
from harness.stats.paired import TIE_TOLERANCE, PairedComparison, compare_paired, win_tie_loss
from harness.stats.significance import (
    EXACT_MAX_N,
    holm,
    largest_out_of_reach,
    paired_permutation_test,
    smallest_holm_p,
    smallest_permutation_p,
)

__all__ = [
    "EXACT_MAX_N",
    "TIE_TOLERANCE",
    "MeanCI",
    "PairedComparison",
    "bootstrap_mean",
    "compare_paired",
    "holm",
    "largest_out_of_reach",
    "paired_bootstrap",
    "paired_permutation_test",
    "smallest_holm_p",
    "smallest_permutation_p",
    "to_array",
    "win_tie_loss",
]
