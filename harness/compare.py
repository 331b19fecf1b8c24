"""Pair two runs of the same benchmark and compare them example by example.

A run is read as `RunScores`: every system's per-example values, from a run
directory's scores.jsonl or from a ``baseline.json`` that `baseline_document`
wrote (so a small committed file can stand in for a whole run directory).
Two runs are matched by example id and system name; `compare_runs` then
gives, per shared system and value, the paired difference ``B − A`` with a
bootstrap CI, a sign-flip permutation p-value (Holm-adjusted across the
system's values) and wins/ties/losses.

What cannot be paired is reported as warnings, never dropped silently:
systems, values or examples present in one run only, a different benchmark
content hash, and top-level config keys that differ.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from harness.config import GateRule, StatsConfig, parse_config, validation_message
from harness.errors import ConfigError, StoreError
from harness.registry import did_you_mean
from harness.stats import PairedComparison, compare_paired, to_array
from harness.store import MANIFEST_FILE, RESULTS_FILE, RunDir, dump_json, write_atomic

#: ``format`` field of a baseline.json; bump the number when the layout changes.
BASELINE_FORMAT = "harness-baseline/1"
BASELINE_FILE = "baseline.json"
#: Config keys that say where a run was written, not what it computed.
_IGNORED_CONFIG_KEYS = frozenset({"out"})
_SHOWN_IDS = 5

#: system → value name → example id → number (``None`` where undefined).
Values = dict[str, dict[str, dict[str, float | None]]]


@dataclass(frozen=True)
class RunScores:
    """The per-example values of one run, as read from a run directory or baseline.json.

    Attributes:
        label: Where it was read from (for messages).
        name: The run's config ``name``.
        values: system → value name → example id → number or ``None``.
        directions: value name → ``higher_is_better``.
        content_hash: The benchmark's content hash (from manifest.json), if known.
        config: The run's config as a plain mapping (empty if unknown).
        gate: The gate rules of the run's config.
        stats: The run's statistics settings.
        seed: The run's seed.
    """

    label: str
    name: str
    values: Values
    directions: dict[str, bool | None]
    content_hash: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    gate: list[GateRule] = field(default_factory=list)
    stats: StatsConfig = field(default_factory=StatsConfig)
    seed: int = 0

    @property
    def systems(self) -> list[str]:
        """System names, in the run's order."""
        return list(self.values)

    def value_names(self) -> list[str]:
        """Every value name of any system, in first-seen order."""
        names: dict[str, None] = {}
        for per_value in self.values.values():
            names.update(dict.fromkeys(per_value))
        return list(names)

    def example_ids(self) -> list[str]:
        """Every example id of any system and value, in first-seen order."""
        ids: dict[str, None] = {}
        for per_value in self.values.values():
            for per_example in per_value.values():
                ids.update(dict.fromkeys(per_example))
        return list(ids)

    def array(self, system: str, value: str, example_ids: Sequence[str]) -> NDArray[np.float64]:
        """One system's values of ``value`` on ``example_ids`` (``nan`` where undefined)."""
        per_example = self.values.get(system, {}).get(value, {})
        return to_array([per_example.get(example_id) for example_id in example_ids])


# reading --------------------------------------------------------------------
def _registry_directions(names: Sequence[str]) -> dict[str, bool | None]:
    from harness.metric import METRICS

    found: dict[str, bool | None] = {}
    for name in names:
        metric_name, _, value = name.partition(".")
        try:
            entry = METRICS.get(metric_name)
        except ConfigError:
            found[name] = None
            continue
        specs = {spec.name: spec.higher_is_better for spec in entry.values}
        found[name] = specs.get(value)
    return found


def load_run(path: str | Path) -> RunScores:
    """Read a run directory's scores, directions, config and benchmark hash.

    Directions come from results.json (or, when it is missing, from the
    registered metrics).

    Raises:
        StoreError: Not a run directory, or scores.jsonl is missing or malformed.
        ConfigError: Its config.yaml does not validate.
    """
    run_dir = RunDir(path).require()
    raw_config = run_dir.read_config()
    config = parse_config(raw_config, str(run_dir.file("config.yaml")))
    values: Values = {system.name: {} for system in config.systems}
    for item in run_dir.read_scores():
        per_value = values.setdefault(item.system, {})
        for name, number in item.values.items():
            per_value.setdefault(f"{item.metric}.{name}", {})[item.example_id] = number
    values = {system: per_value for system, per_value in values.items() if per_value}
    names = list(dict.fromkeys(name for per_value in values.values() for name in per_value))
    directions = _registry_directions(names)
    if run_dir.file(RESULTS_FILE).is_file():
        results = run_dir.read_json(RESULTS_FILE)
        for name, meta in (results.get("values") or {}).items():
            if isinstance(meta, dict) and "higher_is_better" in meta:
                directions[name] = meta["higher_is_better"]
    content: str | None = None
    if run_dir.file(MANIFEST_FILE).is_file():
        manifest = run_dir.read_json(MANIFEST_FILE)
        content = (manifest.get("benchmark") or {}).get("content_hash")
    return RunScores(
        label=str(run_dir.path),
        name=config.name,
        values=values,
        directions=directions,
        content_hash=content,
        config=raw_config,
        gate=list(config.gate),
        stats=config.stats,
        seed=config.seed,
    )


def _aggregate(per_example: Mapping[str, float | None]) -> dict[str, Any]:
    defined = [number for number in per_example.values() if number is not None]
    mean = float(f"{math.fsum(defined) / len(defined):.12g}") if defined else None
    return {
        "mean": mean,
        "n": len(defined),
        "nulls": len(per_example) - len(defined),
        "examples": dict(per_example),
    }


def baseline_document(run: RunScores) -> dict[str, Any]:
    """The baseline.json form of a run: enough to gate later runs with paired tests.

    Holds the run's name, benchmark content hash, config (gate rules and
    stats included), value directions, and per system and value the mean,
    ``n``, ``nulls`` and the per-example values keyed by example id.
    """
    return {
        "format": BASELINE_FORMAT,
        "name": run.name,
        "benchmark": {"content_hash": run.content_hash, "n_examples": len(run.example_ids())},
        "seed": run.seed,
        "stats": run.stats.model_dump(mode="json"),
        "values": {
            name: {"higher_is_better": run.directions.get(name)} for name in run.value_names()
        },
        "gate": [rule.model_dump(mode="json", exclude_none=True) for rule in run.gate],
        "systems": {
            system: {name: _aggregate(per_example) for name, per_example in per_value.items()}
            for system, per_value in run.values.items()
        },
        "config": run.config,
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


def _baseline_error(path: Path, problem: str) -> StoreError:
    return StoreError(
        f"{path}: not a baseline file: {problem}",
        hint="write one with `harness baseline RUN_DIR`, or pass a run directory",
    )


def load_baseline_file(path: str | Path) -> RunScores:
    """Read a baseline.json written by `baseline_document`.

    Raises:
        StoreError: The file is missing, not JSON, or not a baseline file.
        ConfigError: Its gate rules do not validate.
    """
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"baseline not found: {file}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _baseline_error(file, f"malformed JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != BASELINE_FORMAT:
        got = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise _baseline_error(file, f"expected format {BASELINE_FORMAT!r}, got {got!r}")
    systems = data.get("systems")
    if not isinstance(systems, dict):
        raise _baseline_error(file, "'systems' must map system names to values")
    values: Values = {}
    for system, per_value in systems.items():
        if not isinstance(per_value, dict):
            raise _baseline_error(file, f"systems.{system} must map value names to aggregates")
        values[system] = {}
        for name, aggregate in per_value.items():
            examples = aggregate.get("examples") if isinstance(aggregate, dict) else None
            if not isinstance(examples, dict):
                raise _baseline_error(file, f"systems.{system}.{name}.examples is missing")
            values[system][name] = {
                str(key): None if number is None else float(number)
                for key, number in examples.items()
            }
    directions = _registry_directions(
        list(dict.fromkeys(name for per_value in values.values() for name in per_value))
    )
    for name, meta in (data.get("values") or {}).items():
        if isinstance(meta, dict) and "higher_is_better" in meta:
            directions[name] = meta["higher_is_better"]
    gate: list[GateRule] = []
    for index, rule in enumerate(data.get("gate") or []):
        try:
            gate.append(GateRule.model_validate(rule))
        except ValidationError as error:
            raise ConfigError(validation_message(error, f"{file}: gate[{index}]")) from None
    try:
        stats = StatsConfig.model_validate(data.get("stats") or {})
    except ValidationError as error:
        raise ConfigError(validation_message(error, f"{file}: stats")) from None
    config = data.get("config")
    return RunScores(
        label=str(file),
        name=str(data.get("name", file.stem)),
        values=values,
        directions=directions,
        content_hash=(data.get("benchmark") or {}).get("content_hash"),
        config=config if isinstance(config, dict) else {},
        gate=gate,
        stats=stats,
        seed=int(data.get("seed", 0)),
    )


def load_reference(path: str | Path) -> RunScores:
    """A run directory or a baseline.json file, whichever ``path`` is."""
    target = Path(path)
    if target.is_dir():
        return load_run(target)
    if target.is_file():
        return load_baseline_file(target)
    raise StoreError(
        f"baseline not found: {target}",
        hint="give a run directory or a baseline.json written by `harness baseline RUN_DIR`",
    )


# pairing --------------------------------------------------------------------
def _ids_note(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_SHOWN_IDS])
    more = f", … ({len(ids) - _SHOWN_IDS} more)" if len(ids) > _SHOWN_IDS else ""
    return f"{shown}{more}"


def pairing_warnings(a: RunScores, b: RunScores) -> list[str]:
    """What differs between two runs beyond their scores (A = before, B = after).

    Reports a different benchmark content hash, top-level config keys that
    differ (``out`` aside), and systems, values and examples present in one
    run only.
    """
    warnings: list[str] = []
    if a.content_hash and b.content_hash and a.content_hash != b.content_hash:
        warnings.append(
            f"the benchmarks differ (content hash {a.content_hash[:12]} vs "
            f"{b.content_hash[:12]}): only examples with the same id are paired"
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


@dataclass(frozen=True)
class ValueComparison:
    """One value of one system compared between run A and run B."""

    value: str
    higher_is_better: bool | None
    result: PairedComparison


@dataclass(frozen=True)
class SystemComparison:
    """Every compared value of one system present in both runs."""

    system: str
    values: list[ValueComparison]


@dataclass(frozen=True)
class RunComparison:
    """The paired comparison of run B against run A.

    Attributes:
        a: Label of run A (before, the baseline).
        b: Label of run B (after).
        n_shared: Examples present in both runs.
        systems: One entry per system present in both runs.
        warnings: What could not be paired or differs between the runs.
        confidence: Coverage of the difference intervals.
        alpha: Level applied to the Holm-adjusted p-values.
    """

    a: str
    b: str
    n_shared: int
    systems: list[SystemComparison]
    warnings: list[str]
    confidence: float
    alpha: float


def compare_runs(
    a: RunScores,
    b: RunScores,
    values: Sequence[str] | None = None,
    *,
    stats: StatsConfig | None = None,
    seed: int | None = None,
) -> RunComparison:
    """Compare run B with run A on the examples and systems they share.

    Args:
        a: The run before (the baseline).
        b: The run after.
        values: Only these value names (default: every value of both runs).
        stats: Resamples, confidence and alpha (default: B's).
        seed: Seed of the bootstrap and permutation draws (default: B's).

    Raises:
        StoreError: The runs share no example.
        ConfigError: A requested value is in neither run.
    """
    stats = stats or b.stats
    seed = b.seed if seed is None else seed
    warnings = pairing_warnings(a, b)
    ids = shared_examples(a, b)
    known = list(dict.fromkeys([*a.value_names(), *b.value_names()]))
    if values:
        check_value_names(values, known, "--value")
    wanted = list(dict.fromkeys(values)) if values else known
    directions = {**a.directions, **b.directions}
    systems: list[SystemComparison] = []
    for system in b.systems:
        if system not in a.values:
            continue
        names = [n for n in wanted if n in a.values[system] and n in b.values[system]]
        pairs = {name: (b.array(system, name, ids), a.array(system, name, ids)) for name in names}
        compared = compare_paired(
            pairs,
            directions,
            resamples=stats.resamples,
            confidence=stats.confidence,
            alpha=stats.alpha,
            seed=seed,
        )
        systems.append(
            SystemComparison(
                system,
                [ValueComparison(name, directions.get(name), compared[name]) for name in names],
            )
        )
    if not systems:
        raise StoreError(
            f"{a.label} and {b.label} have no system name in common",
            hint="systems are matched by name; give them the same `name` in both configs",
        )
    return RunComparison(
        a=a.label,
        b=b.label,
        n_shared=len(ids),
        systems=systems,
        warnings=warnings,
        confidence=stats.confidence,
        alpha=stats.alpha,
    )


__all__ = [
    "BASELINE_FILE",
    "BASELINE_FORMAT",
    "RunComparison",
    "RunScores",
    "SystemComparison",
    "ValueComparison",
    "Values",
    "baseline_document",
    "check_value_names",
    "compare_runs",
    "load_baseline_file",
    "load_reference",
    "load_run",
    "pairing_warnings",
    "shared_examples",
    "write_baseline",
]
