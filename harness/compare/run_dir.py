"""Read a run directory as `RunScores`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.compare.scores import EMPTY_SUMMARY, RunScores, Values, registry_directions
from harness.errors import StoreError
from harness.records import Example, content_hash, has_words
from harness.store import MANIFEST_FILE, RESULTS_FILE, RunDir


def example_fingerprint(example: Example) -> str:
    """What a run's scores of ``example`` depend on, hashed: its article, references and
    given summary (not its label or metadata, which no backend or metric reads)."""
    return content_hash([example.source, list(example.references), example.summary])


def load_run(path: str | Path) -> RunScores:
    """Read a run directory's scores, failures, directions, config and benchmark.

    Directions come from results.json (or, when it is missing, from the
    registered metrics); failed generations from outputs.jsonl (an empty
    summary, with no letter or digit, counts as one: `EMPTY_SUMMARY`); example
    fingerprints from examples.jsonl.

    Raises:
        StoreError: Not a run directory, scores.jsonl is missing or malformed, or
            results.json or manifest.json does not hold what harness writes there.
        ConfigError: Its config.yaml does not validate.
    """
    run_dir = RunDir(path).require().check_data()
    raw_config = run_dir.read_config()
    config = run_dir.read_run_config()
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
        elif not has_words(output.summary or ""):
            # As `run` counts it (exit 4 when all are): no summary to score.
            failures.setdefault(output.system, {})[output.example_id] = EMPTY_SUMMARY
    fingerprints = {example.id: example_fingerprint(example) for example in run_dir.read_examples()}
    names = list(dict.fromkeys(name for per_value in values.values() for name in per_value))
    directions = registry_directions(names)
    if run_dir.file(RESULTS_FILE).is_file():
        directions.update(_recorded_directions(run_dir))
    content: str | None = None
    metrics: dict[str, dict[str, Any]] | None = None
    if run_dir.file(MANIFEST_FILE).is_file():
        manifest = _json_object(run_dir, MANIFEST_FILE)
        benchmark = manifest.get("benchmark")
        recorded = benchmark.get("content_hash") if isinstance(benchmark, dict) else None
        content = recorded if isinstance(recorded, str) else None
        metrics = metric_fingerprints(manifest)
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
        metrics=metrics,
    )


def _json_object(run_dir: RunDir, name: str) -> dict[str, Any]:
    """A JSON file of the run directory that must hold an object.

    Raises:
        StoreError: It is malformed or holds something else (an array, a number).
    """
    data = run_dir.read_json(name)
    if not isinstance(data, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean"}.get(type(data), "a number")
        rewrite = "harness score RUN_DIR" if name == RESULTS_FILE else "harness run CONFIG"
        raise StoreError(
            f"{run_dir.file(name)}: expected a JSON object, got {'null' if data is None else kind}",
            hint=f"harness writes this file: run `{rewrite}` to write it again",
        )
    return data


def _recorded_directions(run_dir: RunDir) -> dict[str, bool | None]:
    """value name → ``higher_is_better`` as results.json records it.

    Raises:
        StoreError: results.json is not an object, or a direction is not
            true, false or null (a string such as ``"false"`` would read as true).
    """
    results = _json_object(run_dir, RESULTS_FILE)
    values = results.get("values") or {}
    if not isinstance(values, dict):
        values = {}
    found: dict[str, bool | None] = {}
    for name, meta in values.items():
        if not isinstance(meta, dict) or "higher_is_better" not in meta:
            continue
        direction = meta["higher_is_better"]
        if direction is not None and not isinstance(direction, bool):
            raise StoreError(
                f"{run_dir.file(RESULTS_FILE)}: values[{json.dumps(name)}].higher_is_better: "
                f"expected true, false or null, got {json.dumps(direction)}",
                hint="harness writes this file: run `harness score RUN_DIR` to write it again",
            )
        found[name] = direction
    return found


def metric_fingerprints(manifest: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
    """metric name → ``version``, ``params``, ``model`` of its fingerprint, as
    manifest.json records them (``None`` when it records none)."""
    components = manifest.get("components")
    recorded = components.get("metrics") if isinstance(components, dict) else None
    if not isinstance(recorded, dict):
        return None
    return {
        name: {key: entry.get(key) for key in ("version", "params", "model")}
        for name, entry in recorded.items()
        if isinstance(entry, dict)
    }


__all__ = ["example_fingerprint", "load_run", "metric_fingerprints"]
