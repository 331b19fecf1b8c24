"""Read a run directory as `RunScores`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.compare.scores import EMPTY_SUMMARY, RunScores, Values, registry_directions
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
        StoreError: Not a run directory, or scores.jsonl is missing or malformed.
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
        results = run_dir.read_json(RESULTS_FILE)
        for name, meta in (results.get("values") or {}).items():
            if isinstance(meta, dict) and "higher_is_better" in meta:
                directions[name] = meta["higher_is_better"]
    content: str | None = None
    metrics: dict[str, dict[str, Any]] | None = None
    if run_dir.file(MANIFEST_FILE).is_file():
        manifest = run_dir.read_json(MANIFEST_FILE)
        content = (manifest.get("benchmark") or {}).get("content_hash")
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


def metric_fingerprints(manifest: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
    """metric name → ``version``, ``params``, ``model`` of its fingerprint, as
    manifest.json records them (``None`` when it records none)."""
    recorded = (manifest.get("components") or {}).get("metrics")
    if not isinstance(recorded, dict):
        return None
    return {
        name: {key: entry.get(key) for key in ("version", "params", "model")}
        for name, entry in recorded.items()
        if isinstance(entry, dict)
    }


__all__ = ["example_fingerprint", "load_run", "metric_fingerprints"]
