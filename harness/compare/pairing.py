"""What two runs share, and what differs between them beyond their scores: the
same benchmark or not, systems, values and examples in one run only, config
keys, failed generations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.compare.scores import RunScores
from harness.errors import ConfigError, StoreError
from harness.registry import did_you_mean

#: Config keys that say where a run was written or cached, not what it computed.
_IGNORED_CONFIG_KEYS = frozenset({"out", "cache"})
_SHOWN_IDS = 5


def _ids_note(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_SHOWN_IDS])
    more = f", … ({len(ids) - _SHOWN_IDS} more)" if len(ids) > _SHOWN_IDS else ""
    return f"{shown}{more}"


def benchmark_difference(a: RunScores, b: RunScores) -> str | None:
    """Why ``a`` and ``b`` are not runs of the same benchmark, or ``None``.

    Compares the fingerprints of the example ids both runs hold (so a run of
    the first 10 examples matches one of all 40); without fingerprints on
    both sides, the benchmarks' content hashes.
    """
    if a.fingerprints is not None and b.fingerprints is not None:
        differ = [
            example_id
            for example_id, fingerprint in a.fingerprints.items()
            if example_id in b.fingerprints and b.fingerprints[example_id] != fingerprint
        ]
        if not differ:
            return None
        shared = sum(1 for example_id in a.fingerprints if example_id in b.fingerprints)
        return (
            f"{len(differ)} of the {shared} example ids they share name a different article, "
            f"references or given summary: {_ids_note(differ)}"
        )
    if a.content_hash and b.content_hash and a.content_hash != b.content_hash:
        older = a.label if a.fingerprints is None else b.label
        return (
            f"their benchmark content hashes differ ({a.content_hash[:12]} vs "
            f"{b.content_hash[:12]}), and {older} records no per-example fingerprints "
            "that could show one to be a subset of the other"
        )
    return None


def check_same_benchmark(a: RunScores, b: RunScores, *, allow_different: bool) -> list[str]:
    """Refuse to pair runs of different benchmarks, unless ``allow_different``.

    Returns:
        A warning to show when the benchmarks differ and that is allowed
        (else nothing).

    Raises:
        StoreError: The benchmarks differ (see `benchmark_difference`).
    """
    difference = benchmark_difference(a, b)
    if difference is None:
        return []
    if allow_different:
        return [
            f"different benchmarks (allowed by --allow-different-benchmark): {difference}; "
            "examples are paired by id all the same"
        ]
    raise StoreError(
        f"{a.label} and {b.label} are not runs of the same benchmark: {difference}",
        hint="pair runs of one benchmark; if the ids do name the same examples (an article "
        "was corrected, a field remapped) pass --allow-different-benchmark; a baseline file "
        "without fingerprints is refreshed with `harness baseline RUN_DIR`",
    )


def _changes(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What differs between two fingerprints of one metric, one phrase."""
    parts = []
    if before.get("version") != after.get("version"):
        parts.append(f"version {before.get('version')} → {after.get('version')}")
    if before.get("model") != after.get("model"):
        parts.append(f"model {before.get('model')} → {after.get('model')}")
    old, new = before.get("params") or {}, after.get("params") or {}
    for key in dict.fromkeys([*old, *new]):
        if old.get(key) != new.get(key):
            parts.append(f"{key} {old.get(key)!r} → {new.get(key)!r}")
    return ", ".join(parts)


def metric_differences(a: RunScores, b: RunScores) -> list[str]:
    """The metrics both runs scored with, that computed their values differently
    (another version, params or model): one line each, A → B. Nothing when
    either run does not record its metrics' fingerprints."""
    if a.metrics is None or b.metrics is None:
        return []
    return [
        f"{name}: {_changes(a.metrics[name], b.metrics[name])}"
        for name in a.metrics
        if name in b.metrics and a.metrics[name] != b.metrics[name]
    ]


def pairing_warnings(a: RunScores, b: RunScores) -> list[str]:
    """What differs between two runs beyond their scores (A = before, B = after).

    Reports top-level config keys that differ (``out`` and ``cache`` aside), systems,
    values and examples present in one run only, and when there is no way
    to tell whether the benchmarks, or the metrics, are the same.
    """
    warnings: list[str] = []
    unknown = [run.label for run in (a, b) if run.fingerprints is None and not run.content_hash]
    if unknown:
        warnings.append(
            f"{' and '.join(unknown)} record{'' if len(unknown) > 1 else 's'} no benchmark "
            "fingerprint: cannot tell whether "
            "both runs are of the same benchmark"
        )
    unrecorded = [run.label for run in (a, b) if run.metrics is None]
    if len(unrecorded) == 1:
        warnings.append(
            f"{unrecorded[0]} records no metric versions: cannot tell whether "
            "both runs scored with the same metrics (refresh a baseline file with "
            "`harness baseline RUN_DIR`)"
        )
    if a.config and b.config:
        keys = [
            key
            for key in dict.fromkeys([*a.config, *b.config])
            if key not in _IGNORED_CONFIG_KEYS and a.config.get(key) != b.config.get(key)
        ]
        if keys:
            warnings.append(f"the configs differ in: {', '.join(keys)}")
    for kind, first, second in (
        ("systems", a.systems, b.systems),
        ("values", a.value_names(), b.value_names()),
        ("examples", a.example_ids(), b.example_ids()),
    ):
        second_set, first_set = set(second), set(first)
        only_a = [item for item in first if item not in second_set]
        only_b = [item for item in second if item not in first_set]
        for label, only in ((a.label, only_a), (b.label, only_b)):
            if only:
                warnings.append(
                    f"{len(only)} {kind} only in {label} (not compared): {_ids_note(only)}"
                )
    return warnings


def failure_warnings(a: RunScores, b: RunScores, ids: Sequence[str]) -> list[str]:
    """Failed (or empty) generations on the shared examples ``ids``, per system both runs have."""
    warnings = []
    wanted = set(ids)
    for system in b.systems:
        if system not in a.values:
            continue
        before = [i for i in a.failed(system) if i in wanted]
        after = [i for i in b.failed(system) if i in wanted]
        if before or after:
            warnings.append(
                f"{system}: {len(after)} failed or empty generations in {b.label} "
                f"({len(before)} in {a.label}) of {len(ids)} shared examples; their values "
                f"are null and left out of the pairs: {_ids_note(after or before)}"
            )
    return warnings


def shared_examples(a: RunScores, b: RunScores) -> list[str]:
    """Example ids present in both runs, in A's order.

    Raises:
        StoreError: The runs share no example id.
    """
    in_b = set(b.example_ids())
    shared = [example_id for example_id in a.example_ids() if example_id in in_b]
    if not shared:
        raise StoreError(
            f"{a.label} and {b.label} share no example id, so nothing can be paired",
            hint="compare two runs of the same benchmark (same ids); check benchmark.fields.id",
        )
    return shared


def check_value_names(requested: Sequence[str], known: Sequence[str], where: str) -> None:
    """Raise `ConfigError` (with a suggestion) for a value name not in ``known``."""
    for name in requested:
        if name not in known:
            raise ConfigError(
                f"{where}: unknown value {name!r}.{did_you_mean(name, list(known))}",
                hint=f"values of these runs: {', '.join(known)}",
            )


__all__ = [
    "benchmark_difference",
    "check_same_benchmark",
    "check_value_names",
    "failure_warnings",
    "metric_differences",
    "pairing_warnings",
    "shared_examples",
]
