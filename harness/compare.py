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
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.config import GateRule, StatsConfig, parse_config, validation_message
from harness.errors import ConfigError, StoreError
from harness.records import Example, content_hash
from harness.registry import did_you_mean
from harness.stats import PairedComparison, compare_paired, to_array
from harness.store import MANIFEST_FILE, RESULTS_FILE, RunDir, dump_json, write_atomic

#: ``format`` field of a baseline.json; bump the number when the layout changes.
#: /2 added ``failures`` and ``benchmark.examples`` (per-example fingerprints).
BASELINE_FORMAT = "harness-baseline/2"
#: Formats `load_baseline_file` reads (a /1 file lacks failures and fingerprints).
BASELINE_FORMATS = ("harness-baseline/1", BASELINE_FORMAT)
BASELINE_FILE = "baseline.json"
#: What a failure inferred for a baseline without failure records says.
INFERRED_FAILURE = "every value null (the baseline file records no failures)"
_ERRORS_SHOWN = 10
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
        failures: system → example id → error of each failed generation
            (``None``: not recorded, see `failed`).
        fingerprints: example id → `example_fingerprint` (``None``: unknown).
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
    failures: dict[str, dict[str, str]] | None = None
    fingerprints: dict[str, str] | None = None

    @property
    def failures_known(self) -> bool:
        """Whether the run records its failed generations (a /1 baseline.json does not)."""
        return self.failures is not None

    def failed(self, system: str) -> dict[str, str]:
        """``system``'s failed generations: example id → error message.

        When the run records none (a baseline.json written by an older
        harness), the examples where every value of the system is null stand
        in for them, with `INFERRED_FAILURE` as the message.
        """
        if self.failures is not None:
            return dict(self.failures.get(system, {}))
        per_value = self.values.get(system, {})
        ids = dict.fromkeys(i for per_example in per_value.values() for i in per_example)
        return {
            example_id: INFERRED_FAILURE
            for example_id in ids
            if all(per_example.get(example_id) is None for per_example in per_value.values())
        }

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


def example_fingerprint(example: Example) -> str:
    """What a run's scores of ``example`` depend on, hashed: its article, references and
    given summary (not its label or metadata, which no backend or metric reads)."""
    return content_hash([example.source, list(example.references), example.summary])


def load_run(path: str | Path) -> RunScores:
    """Read a run directory's scores, failures, directions, config and benchmark.

    Directions come from results.json (or, when it is missing, from the
    registered metrics); failed generations from outputs.jsonl; example
    fingerprints from examples.jsonl.

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
    failures: dict[str, dict[str, str]] = {system: {} for system in values}
    for output in run_dir.read_outputs():
        if output.error is not None:
            failures.setdefault(output.system, {})[output.example_id] = output.error
    fingerprints = {example.id: example_fingerprint(example) for example in run_dir.read_examples()}
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
        failures=failures,
        fingerprints=fingerprints,
    )


def _aggregate(per_example: Mapping[str, float | None]) -> dict[str, Any]:
    defined = [number for number in per_example.values() if number is not None]
    return {
        "mean": _mean(defined),
        "n": len(defined),
        "nulls": len(per_example) - len(defined),
        "examples": dict(per_example),
    }


def _mean(defined: Sequence[float]) -> float | None:
    return float(f"{math.fsum(defined) / len(defined):.12g}") if defined else None


def baseline_document(run: RunScores) -> dict[str, Any]:
    """The baseline.json form of a run: enough to gate later runs with paired tests.

    Holds the run's name, benchmark content hash and per-example
    fingerprints, config (gate rules and stats included), value directions,
    per system its failed generations (count and example id → error), and
    per system and value the mean, ``n``, ``nulls`` and the per-example
    values keyed by example id.
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


# baseline.json, validated field by field: strict types (no "0.9" for 0.9, no
# true for 1), finite numbers, no unknown keys.
class _Field(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class _BenchmarkInfo(_Field):
    content_hash: str | None = None
    n_examples: int | None = Field(default=None, ge=0)
    examples: dict[str, str] | None = None


class _ValueInfo(_Field):
    higher_is_better: bool | None = None


class _Aggregate(_Field):
    mean: float | None = None
    n: int | None = Field(default=None, ge=0)
    nulls: int | None = Field(default=None, ge=0)
    examples: dict[str, float | None]


class _Failures(_Field):
    count: int = Field(ge=0)
    examples: dict[str, str]


class _BaselineDoc(_Field):
    format: str
    name: str | None = None
    benchmark: _BenchmarkInfo = Field(default_factory=_BenchmarkInfo)
    seed: int = 0
    stats: dict[str, Any] = Field(default_factory=dict)
    values: dict[str, _ValueInfo] = Field(default_factory=dict)
    gate: list[dict[str, Any]] = Field(default_factory=list)
    failures: dict[str, _Failures] | None = None
    systems: dict[str, dict[str, _Aggregate]]
    config: dict[str, Any] = Field(default_factory=dict)


def json_path(location: Sequence[str | int]) -> str:
    """A JSON path such as ``systems.lead3["rouge.rouge1"].examples["nb-001"]``.

    >>> json_path(["systems", "lead3", "rouge.rouge1", "examples", "nb-001"])
    'systems.lead3["rouge.rouge1"].examples["nb-001"]'
    >>> json_path(["gate", 0, "max_drop"])
    'gate[0].max_drop'
    """
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text or "$"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, float) and not math.isfinite(value):
        return "not a finite number"
    if isinstance(value, int | float):
        return "a number"
    return f"a JSON {'object' if isinstance(value, dict) else 'array'}"


def _field_problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        where = json_path(tuple(item["loc"]))
        if item["type"] == "extra_forbidden":
            problems.append(f"{where}: unknown key")
        elif item["type"] == "missing":
            problems.append(f"{where}: missing")
        else:
            got = item.get("input")
            shown = "" if isinstance(got, dict | list) else f" {json.dumps(got)}"
            problems.append(f"{where}: {item['msg']}, got{shown} ({_kind(got)})")
    return problems


def _listed(problems: Sequence[str]) -> str:
    shown = [*problems[:_ERRORS_SHOWN]]
    if len(problems) > _ERRORS_SHOWN:
        shown.append(f"… ({len(problems) - _ERRORS_SHOWN} more)")
    return "".join(f"\n  {problem}" for problem in shown)


def _baseline_error(path: Path, problem: str) -> StoreError:
    return StoreError(
        f"{path}: not a valid baseline file: {problem}",
        hint="write one with `harness baseline RUN_DIR` (do not edit it by hand), "
        "or pass a run directory",
    )


def _consistency_problems(doc: _BaselineDoc) -> list[str]:
    """Aggregates and counts that disagree with the per-example values they summarise."""
    problems = []
    for system, per_value in doc.systems.items():
        for name, aggregate in per_value.items():
            where = json_path(["systems", system, name])
            defined = [number for number in aggregate.examples.values() if number is not None]
            expected: dict[str, Any] = {
                "n": len(defined),
                "nulls": len(aggregate.examples) - len(defined),
            }
            for key, want in expected.items():
                got = getattr(aggregate, key)
                if got is not None and got != want:
                    problems.append(f"{where}.{key}: {got}, but its examples give {want}")
            mean = _mean(defined)
            if aggregate.mean is not None and (
                mean is None or not math.isclose(aggregate.mean, mean, rel_tol=1e-9, abs_tol=1e-9)
            ):
                problems.append(f"{where}.mean: {aggregate.mean!r}, but its examples give {mean!r}")
    for system, record in (doc.failures or {}).items():
        if record.count != len(record.examples):
            problems.append(
                f"{json_path(['failures', system, 'count'])}: {record.count}, "
                f"but it lists {len(record.examples)} examples"
            )
    return problems


def load_baseline_file(path: str | Path) -> RunScores:
    """Read a baseline.json written by `baseline_document`, checking every field.

    A value must be a JSON number or null (never a string, boolean, NaN or
    infinity), counts must be integers, and means and counts must agree with
    the per-example values. A ``harness-baseline/1`` file (no failures, no
    example fingerprints) still loads: see `RunScores.failed`.

    Raises:
        StoreError: The file is missing, not JSON, not a baseline file, or a
            field is invalid (the message names its JSON path).
        ConfigError: Its gate rules or stats do not validate.
    """
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"baseline not found: {file}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _baseline_error(file, f"malformed JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") not in BASELINE_FORMATS:
        got = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise _baseline_error(
            file, f"format: expected one of {', '.join(map(repr, BASELINE_FORMATS))}, got {got!r}"
        )
    try:
        doc = _BaselineDoc.model_validate(data)
    except ValidationError as error:
        raise _baseline_error(file, _listed(_field_problems(error))) from None
    problems = _consistency_problems(doc)
    if problems:
        raise _baseline_error(file, _listed(problems))
    values: Values = {
        system: {name: dict(aggregate.examples) for name, aggregate in per_value.items()}
        for system, per_value in doc.systems.items()
    }
    directions = _registry_directions(
        list(dict.fromkeys(name for per_value in values.values() for name in per_value))
    )
    directions.update({name: meta.higher_is_better for name, meta in doc.values.items()})
    gate: list[GateRule] = []
    for index, rule in enumerate(doc.gate):
        try:
            gate.append(GateRule.model_validate(rule, strict=True))
        except ValidationError as error:
            raise ConfigError(validation_message(error, f"{file}: gate[{index}]")) from None
    try:
        stats = StatsConfig.model_validate(doc.stats, strict=True)
    except ValidationError as error:
        raise ConfigError(validation_message(error, f"{file}: stats")) from None
    failures = None
    if doc.failures is not None:
        failures = {system: dict(record.examples) for system, record in doc.failures.items()}
    return RunScores(
        label=str(file),
        name=doc.name if doc.name is not None else file.stem,
        values=values,
        directions=directions,
        content_hash=doc.benchmark.content_hash,
        config=doc.config,
        gate=gate,
        stats=stats,
        seed=doc.seed,
        failures=failures,
        fingerprints=doc.benchmark.examples,
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


def pairing_warnings(a: RunScores, b: RunScores) -> list[str]:
    """What differs between two runs beyond their scores (A = before, B = after).

    Reports top-level config keys that differ (``out`` aside), systems,
    values and examples present in one run only, and when there is no way
    to tell whether the benchmarks are the same.
    """
    warnings: list[str] = []
    unknown = [run.label for run in (a, b) if run.fingerprints is None and not run.content_hash]
    if unknown:
        warnings.append(
            f"{' and '.join(unknown)} record no benchmark fingerprint: cannot tell whether "
            "both runs are of the same benchmark"
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
    """Failed generations on the shared examples ``ids``, per system both runs have."""
    warnings = []
    wanted = set(ids)
    for system in b.systems:
        if system not in a.values:
            continue
        before = [i for i in a.failed(system) if i in wanted]
        after = [i for i in b.failed(system) if i in wanted]
        if before or after:
            warnings.append(
                f"{system}: {len(after)} failed generations in {b.label} "
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
    allow_different_benchmark: bool = False,
) -> RunComparison:
    """Compare run B with run A on the examples and systems they share.

    Args:
        a: The run before (the baseline).
        b: The run after.
        values: Only these value names (default: every value of both runs).
        stats: Resamples, confidence and alpha (default: B's).
        seed: Seed of the bootstrap and permutation draws (default: B's).
        allow_different_benchmark: Pair runs whose shared ids hold different
            examples (a warning) instead of refusing.

    Raises:
        StoreError: The runs share no example, or are of different benchmarks.
        ConfigError: A requested value is in neither run.
    """
    stats = stats or b.stats
    seed = b.seed if seed is None else seed
    warnings = check_same_benchmark(a, b, allow_different=allow_different_benchmark)
    warnings += pairing_warnings(a, b)
    ids = shared_examples(a, b)
    warnings += failure_warnings(a, b, ids)
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
    "BASELINE_FORMATS",
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
    "pairing_warnings",
    "shared_examples",
    "write_baseline",
]
