"""Mistakes a config makes that show before any work: checked by `validate` and `run`.

Each of these would otherwise run to the end and fail every example of a
system or metric (or, for a gate rule, pass a gate that checks nothing), so
they are config errors (exit 2) with the config key that is wrong:

* a gate rule whose ``value`` names no value of the configured metrics;
* a metric that needs a reference on a benchmark whose examples have none;
* a ``precomputed`` system reading a summary that no example carries (the
  benchmark's ``summary`` field is not mapped, or ``params.column`` names no
  column of the data);
* a ``report:`` section naming a value or system the run will not have.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.config import RunConfig
from harness.config.report_names import check_report_choice
from harness.errors import ConfigError
from harness.metric import MetricEntry
from harness.records import Example
from harness.registry import did_you_mean_clause


def check_gate_values(config: RunConfig, entries: Sequence[MetricEntry], origin: str) -> None:
    """Every gate rule names a value the metrics report (``rouge.rouge1``, ...)."""
    known = [f"{entry.name}.{spec.name}" for entry in entries for spec in entry.values]
    systems = [system.name for system in config.systems]
    for index, rule in enumerate(config.gate):
        if rule.value is not None and rule.value not in known:
            raise ConfigError(
                f"{origin}: gate[{index}].value: {rule.value!r} is not a value of the "
                f"configured metrics; {did_you_mean_clause(rule.value, known)}"
                f"known values: {', '.join(known)}",
                hint="name a value as <metric>.<value> (`harness list` shows each metric's "
                "values), or add its metric to `metrics`",
            )
        for name in rule.systems or []:
            if name not in systems:
                raise ConfigError(
                    f"{origin}: gate[{index}].systems: {name!r} is not a system of this "
                    f"config; {did_you_mean_clause(name, systems)}systems: {', '.join(systems)}",
                    hint="list system names exactly as `systems[].name` spells them",
                )


def check_references(
    config: RunConfig, entries: Sequence[MetricEntry], examples: Sequence[Example], origin: str
) -> None:
    """A metric that needs references runs on a benchmark that has some."""
    if not examples or any(any(ref.strip() for ref in ex.references) for ex in examples):
        return
    for index, entry in enumerate(entries):
        if "reference" in entry.requires:
            mapped = config.benchmark.fields.reference
            why = (
                "benchmark.fields.reference is not set"
                if mapped is None
                else f"the field(s) {mapped!r} mapped to `reference` are empty"
            )
            raise ConfigError(
                f"{origin}: metrics[{index}] ({entry.name!r}) compares with a reference, "
                f"but no example loaded has one: {why}",
                hint="map the reference field (benchmark.fields.reference: <column>), or "
                "drop the metric; reference-free metrics: numbers, entities, consistency, "
                "fragments, length",
            )


def check_precomputed(config: RunConfig, examples: Sequence[Example], origin: str) -> None:
    """A ``precomputed`` system reading the benchmark finds its summaries there."""
    if not examples:
        return
    columns = sorted({key for example in examples for key in example.meta})
    for index, system in enumerate(config.systems):
        if system.backend != "precomputed" or system.params.get("path"):
            continue
        column = system.params.get("column")
        if isinstance(column, str):
            if not any(column in example.meta for example in examples):
                raise ConfigError(
                    f"{origin}: systems[{index}].params.column: no example loaded has a column "
                    f"{column!r}; {did_you_mean_clause(column, columns)}"
                    f"unmapped columns: {', '.join(columns) or '(none)'}",
                    hint="name the column exactly as the data spells it",
                )
        elif all(example.summary is None for example in examples):
            mapped = config.benchmark.fields.summary
            why = (
                "benchmark.fields.summary is not set"
                if mapped is None
                else f"the field {mapped!r} mapped to `summary` is empty"
            )
            raise ConfigError(
                f"{origin}: systems[{index}] ({system.name!r}) is `precomputed` without "
                f"`path` or `column`, so it reads the benchmark's summary field, but no "
                f"example loaded has one: {why}",
                hint="map it (benchmark.fields.summary: <column>), read a column with "
                "params.column, or a file with params.path",
            )


def preflight(
    config: RunConfig, entries: Sequence[MetricEntry], examples: Sequence[Example], origin: str
) -> None:
    """Run every check above; raise the first `ConfigError` found.

    Args:
        config: The validated config.
        entries: The built metrics' entries (with their values for the params).
        examples: The examples loaded (all for `run`, the first for `validate`).
        origin: The config file, for messages.
    """
    check_gate_values(config, entries, origin)
    check_references(config, entries, examples, origin)
    check_precomputed(config, examples, origin)
    check_report_choice(
        config.report,
        [f"{entry.name}.{spec.name}" for entry in entries for spec in entry.values],
        [system.name for system in config.systems],
        origin,
    )


__all__ = ["check_gate_values", "check_precomputed", "check_references", "preflight"]
