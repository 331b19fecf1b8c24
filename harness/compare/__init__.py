"""Pair two runs of the same benchmark and compare them example by example.

A run is read as `RunScores`: every system's per-example values, from a run
directory's scores.jsonl or from a ``baseline.json`` that `baseline_document`
wrote (so a small committed file can stand in for a whole run directory).
Two runs are matched by example id and system name; `compare_runs` then
gives, per shared system and value, the paired difference ``B − A`` with a
bootstrap CI, a sign-flip permutation p-value (Holm-adjusted across the
system's values) and wins/ties/losses.

Two runs must be of the same benchmark: every example id they share must
hold the same article, references and given summary (each example's
fingerprint, from examples.jsonl or baseline.json). Runs whose shared ids
hold different content are refused (`StoreError`, exit 2) unless the caller
allows it, since pairing them would compare unrelated examples.

What cannot be paired is reported as warnings, never dropped silently:
systems, values or examples present in one run only, top-level config keys
that differ, and failed generations.

Modules: `scores` (`RunScores`), `run_dir` (read a run directory),
`baseline` (write baseline.json), `baseline_file` (read it back, field by
field), `pairing` (what two runs share and what differs) and `comparison`
(`compare_runs`).
"""

from harness.compare.baseline import (
    BASELINE_FILE,
    BASELINE_FORMAT,
    BASELINE_FORMATS,
    baseline_document,
    write_baseline,
)
from harness.compare.baseline_file import json_path, load_baseline_file, load_reference
from harness.compare.comparison import (
    RunComparison,
    SystemComparison,
    ValueComparison,
    compare_runs,
)
from harness.compare.pairing import (
    benchmark_difference,
    check_same_benchmark,
    check_value_names,
    failure_warnings,
    metric_differences,
    pairing_warnings,
    shared_examples,
)
from harness.compare.run_dir import example_fingerprint, load_run
from harness.compare.scores import EMPTY_SUMMARY, INFERRED_FAILURE, RunScores, Values

__all__ = [
    "BASELINE_FILE",
    "BASELINE_FORMAT",
    "BASELINE_FORMATS",
    "EMPTY_SUMMARY",
    "INFERRED_FAILURE",
    "RunComparison",
    "RunScores",
    "SystemComparison",
    "ValueComparison",
    "Values",
    "baseline_document",
    "benchmark_difference",
    "check_same_benchmark",
    "check_value_names",
    "compare_runs",
    "example_fingerprint",
    "failure_warnings",
    "json_path",
    "load_baseline_file",
    "load_reference",
    "load_run",
    "metric_differences",
    "pairing_warnings",
    "shared_examples",
    "write_baseline",
]
