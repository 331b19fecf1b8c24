"""Read a baseline.json back, checking every field (`load_baseline_file`), and
`load_reference`: a run directory or a baseline.json, whichever a path is."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.compare.baseline import BASELINE_FORMATS, rounded_mean
from harness.compare.run_dir import load_run
from harness.compare.scores import (
    EMPTY_SUMMARY,
    RunScores,
    Values,
    all_null_examples,
    registry_directions,
)
from harness.config import GateRule, StatsConfig, validation_message
from harness.errors import ConfigError, StoreError

_ERRORS_SHOWN = 10


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


class _MetricInfo(_Field):
    version: str
    params: dict[str, Any] = Field(default_factory=dict)
    model: str | None = None


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
    metrics: dict[str, _MetricInfo] | None = None


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
            mean = rounded_mean(defined)
            if aggregate.mean is not None and (
                mean is None or not math.isclose(aggregate.mean, mean, rel_tol=1e-9, abs_tol=1e-9)
            ):
                problems.append(f"{where}.mean: {aggregate.mean!r}, but its examples give {mean!r}")
    fingerprints = doc.benchmark.examples
    if fingerprints is not None:
        # an id without one is paired with whatever article the candidate has there
        unknown = [
            example_id
            for example_id in dict.fromkeys(
                example_id
                for per_value in doc.systems.values()
                for aggregate in per_value.values()
                for example_id in aggregate.examples
            )
            if example_id not in fingerprints
        ]
        if unknown:
            shown = ", ".join(json.dumps(i, ensure_ascii=False) for i in unknown[:5])
            more = f", … ({len(unknown) - 5} more)" if len(unknown) > 5 else ""
            problems.append(
                f"benchmark.examples: no fingerprint for {len(unknown)} example ids the values "
                f"hold ({shown}{more}), so a changed article there would go unseen"
            )
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
    infinity), counts must be integers, means and counts must agree with
    the per-example values, and (from ``harness-baseline/2``) every example
    id of the values must have a fingerprint in ``benchmark.examples``. A
    ``harness-baseline/1`` file (no failures, no example fingerprints) still
    loads: see `RunScores.failed`.

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
    directions = registry_directions(
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
        if data["format"] in ("harness-baseline/2", "harness-baseline/3"):
            _add_empty_summaries(failures, values)
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
        metrics=None
        if doc.metrics is None
        else {name: info.model_dump() for name, info in doc.metrics.items()},
    )


def _add_empty_summaries(failures: dict[str, dict[str, str]], values: Values) -> None:
    """A /2 or /3 file recorded failed generations only: an example where every value
    of a system is null (an empty summary, as its run counted it) is taken to be
    among them, as the candidate's empty summaries count as failures now."""
    for system, per_value in values.items():
        mine = failures.setdefault(system, {})
        for example_id in all_null_examples(per_value):
            mine.setdefault(example_id, EMPTY_SUMMARY)


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


__all__ = ["json_path", "load_baseline_file", "load_reference"]
