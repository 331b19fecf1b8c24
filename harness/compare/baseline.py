"""baseline.json: a small file that stands in for a whole run directory, written
by `write_baseline` (read back by `harness.compare.baseline_file`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from harness.compare.run_dir import load_run
from harness.compare.scores import RunScores
from harness.store import dump_json, write_atomic

#: ``format`` field of a baseline.json; bump the number when the layout changes.
#: /2 added ``failures`` and ``benchmark.examples`` (per-example fingerprints);
#: /3 added ``metrics`` (each metric's version, params and model);
#: /4 counts empty summaries (no letter or digit) among the ``failures``.
BASELINE_FORMAT = "harness-baseline/4"
#: Formats `load_baseline_file` reads (a /1 file lacks failures and fingerprints,
#: a /2 file the metrics' fingerprints, a /3 file its empty summaries).
BASELINE_FORMATS = (
    "harness-baseline/1",
    "harness-baseline/2",
    "harness-baseline/3",
    BASELINE_FORMAT,
)
BASELINE_FILE = "baseline.json"


def _aggregate(per_example: Mapping[str, float | None]) -> dict[str, Any]:
    defined = [number for number in per_example.values() if number is not None]
    return {
        "mean": rounded_mean(defined),
        "n": len(defined),
        "nulls": len(per_example) - len(defined),
        "examples": dict(per_example),
    }


def rounded_mean(defined: Sequence[float]) -> float | None:
    """The mean baseline.json stores: 12 significant digits (``None`` for no value)."""
    return float(f"{math.fsum(defined) / len(defined):.12g}") if defined else None


def baseline_document(run: RunScores) -> dict[str, Any]:
    """The baseline.json form of a run: enough to gate later runs with paired tests.

    Holds the run's name, benchmark content hash and per-example
    fingerprints, config (gate rules and stats included), value directions,
    per system its failed generations (count and example id → error), and
    per system and value the mean, ``n``, ``nulls`` and the per-example
    values keyed by example id, and each metric's version, params and model
    (so a gate can tell a changed metric from a changed system).
    """
    return {
        "format": BASELINE_FORMAT,
        "name": run.name,
        "benchmark": {
            "content_hash": run.content_hash,
            "n_examples": len(run.example_ids()),
            "examples": run.fingerprints,
        },
        "seed": run.seed,
        "stats": run.stats.model_dump(mode="json"),
        "values": {
            name: {"higher_is_better": run.directions.get(name)} for name in run.value_names()
        },
        "gate": [rule.model_dump(mode="json", exclude_none=True) for rule in run.gate],
        "failures": {
            system: {"count": len(failed), "examples": failed}
            for system in run.values
            for failed in [run.failed(system)]
        },
        "systems": {
            system: {name: _aggregate(per_example) for name, per_example in per_value.items()}
            for system, per_value in run.values.items()
        },
        "config": run.config,
        "metrics": run.metrics,
    }


def write_baseline(run_dir: str | Path, out: str | Path | None = None) -> tuple[Path, RunScores]:
    """Write a run directory's baseline.json (default: inside the run directory).

    Returns:
        The file written and the run it describes.
    """
    run = load_run(run_dir)
    target = Path(out) if out is not None else Path(run_dir) / BASELINE_FILE
    write_atomic(target, dump_json(baseline_document(run)))
    return target, run


__all__ = [
    "BASELINE_FILE",
    "BASELINE_FORMAT",
    "BASELINE_FORMATS",
    "baseline_document",
    "rounded_mean",
    "write_baseline",
]
