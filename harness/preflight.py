"""Mistakes a config makes that show before any work: checked by `validate` and `run`.

Each of these would otherwise run to the end and fail every example of a
system or metric (or, for a gate rule, pass a gate that checks nothing), so
they are config errors (exit 2) with the config key that is wrong:

* a gate rule whose ``value`` names no value of the configured metrics;
* a metric that needs a reference on a benchmark whose examples have none;
* a ``precomputed`` system reading a summary that no example carries (the
  benchmark's ``summary`` field is not mapped, or ``params.column`` names no
  column of the data), or a file of summaries that has none of the loaded
  examples' ids (another id scheme, or ``id_field`` naming the wrong field);
* a ``report:`` section naming a value or system the run will not have;
* a ``meta_eval.dev_split`` that no labelled example is in (a misspelt split,
  or a ``limit`` that loads none of it): every threshold would be chosen on
  nothing and every balanced accuracy would be missing; or with labels that
  are not all 0 or 1 (which would be correlated instead, the split ignored);
  or examples outside it whose split value reads as it (``"Evaluation "``,
  ``"1.0"`` for ``"1"``), which would be held out in silence.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.backend import Summarizer
from harness.backend.precomputed import PrecomputedSummarizer
from harness.config import MetaEvalConfig, RunConfig
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
            where = config.where(origin, "gate", index, "value")
            raise ConfigError(
                f"{where}: {rule.value!r} is not a value of the "
                f"configured metrics; {did_you_mean_clause(rule.value, known)}"
                f"known values: {', '.join(known)}",
                hint="name a value as <metric>.<value> (`harness list` shows each metric's "
                "values), or add its metric to `metrics`",
            )
        for name in rule.systems or []:
            if name not in systems:
                where = config.where(origin, "gate", index, "systems")
                raise ConfigError(
                    f"{where}: {name!r} is not a system of this "
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
                f"{config.where(origin, 'metrics', index)} ({entry.name!r}) compares with a "
                "reference, "
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
                where = config.where(origin, "systems", index, "params", "column")
                raise ConfigError(
                    f"{where}: no example loaded has a column {column!r}; "
                    f"{did_you_mean_clause(column, columns)}"
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
                f"{config.where(origin, 'systems', index)} ({system.name!r}) is `precomputed` "
                "without "
                f"`path` or `column`, so it reads the benchmark's summary field, but no "
                f"example loaded has one: {why}",
                hint="map it (benchmark.fields.summary: <column>), read a column with "
                "params.column, or a file with params.path",
            )


def check_precomputed_files(
    summarizers: Sequence[Summarizer], examples: Sequence[Example], origin: str
) -> None:
    """A ``precomputed`` system reading a file finds some loaded example's id there.

    Args:
        summarizers: The built systems, in the config's order.
        examples: The examples loaded.
        origin: The config file, for messages.

    Raises:
        ConfigError: A file has none of the ids (naming an id of each side).
    """
    if not examples:
        return
    for index, summarizer in enumerate(summarizers):
        if not isinstance(summarizer, PrecomputedSummarizer) or summarizer.path is None:
            continue
        file_ids = summarizer.ids
        if any(example.id in file_ids for example in examples):
            continue
        seen = f"its ids look like {min(file_ids)!r}" if file_ids else "it has no rows"
        raise ConfigError(
            f"{origin}: systems[{index}].params.path: none of the {len(examples)} examples "
            f"loaded has a summary in {summarizer.path} ({len(file_ids)} ids; {seen}; the "
            f"benchmark's look like {examples[0].id!r})",
            hint="the file's `id_field` must hold the benchmark's ids as `benchmark.fields.id` "
            "reads them; set params.id_field if they are in another field",
        )


def check_split_field(meta_eval: MetaEvalConfig, labelled: Sequence[Example], origin: str) -> None:
    """With a ``dev_split``, some labelled example has the field ``split_field``.

    Raises:
        ConfigError: None has it (naming the metadata fields they have).
    """
    if meta_eval.dev_split is None or not labelled:
        return
    if any(meta_eval.split_field in example.meta for example in labelled):
        return
    fields = sorted({key for example in labelled for key in example.meta})
    raise ConfigError(
        f"{origin + ': ' if origin else ''}meta_eval.split_field: no labelled example has a "
        f"metadata field {meta_eval.split_field!r} (dev_split is {meta_eval.dev_split!r}); "
        f"metadata fields: {', '.join(fields) or '(none)'}",
        hint="set meta_eval.split_field to the field that holds each example's split, "
        "or set meta_eval.dev_split: null to choose thresholds on all examples",
    )


def check_dev_split(meta_eval: MetaEvalConfig, examples: Sequence[Example], origin: str) -> None:
    """With a ``dev_split``, the labels are binary and some labelled example is in that split.

    (The meta-evaluation itself gives every statistic a reason instead, for a
    run directory whose config was edited afterwards.)

    Raises:
        ConfigError: A label is not 0 or 1 (naming the examples); no labelled
            example has the field ``split_field`` (`check_split_field`), or none
            has the value ``dev_split`` there (naming the values they have).
    """
    labelled = [example for example in examples if example.label is not None]
    if meta_eval.dev_split is None or not labelled:
        return
    others = [example for example in labelled if example.label not in (0.0, 1.0)]
    if others:
        # A dev split is the binary protocol; one stray label (a 2, labels coded 1/2)
        # would turn it, in silence, into correlations over every example.
        shown = ", ".join(f"{example.id!r} ({example.label:g})" for example in others[:5])
        raise ConfigError(
            f"{origin}: meta_eval.dev_split is set, so the labels must be binary (0 or 1), "
            f"but {len(others)} of the {len(labelled)} labelled examples have another "
            f"label: {shown}{' and more' if len(others) > 5 else ''}",
            hint="map the labels to 0 (inconsistent) and 1 (consistent), or set "
            "meta_eval.dev_split: null to correlate the labels as numbers over every example",
        )
    check_split_field(meta_eval, labelled, origin)
    field, dev = meta_eval.split_field, meta_eval.dev_split
    if any(meta_eval.in_dev(example.meta) for example in labelled):
        _check_near_dev(meta_eval, labelled, origin)
        return
    found = sorted({str(example.meta.get(field)) for example in labelled})
    raise ConfigError(
        f"{origin}: meta_eval.dev_split: none of the {len(labelled)} labelled examples loaded "
        f"has {field} == {dev!r}, so no threshold could be chosen; "
        f"{did_you_mean_clause(dev, found)}values of {field}: {', '.join(found)}",
        hint="spell the split as the data does; if a `limit` or `sample` loads none of it, "
        "load more, or set meta_eval.dev_split: null (thresholds on all examples)",
    )


def _reads_as(value: object, dev: str) -> bool:
    """Whether a split value that is not ``dev`` reads as it but for case, spaces or
    the way a number is written (``"Evaluation "``, ``"1.0"`` for ``"1"``, ``True``)."""
    if value is None:
        return False
    text = str(value).strip().casefold()
    if text == dev.strip().casefold():
        return True
    try:
        return float(text) == float(dev)
    except ValueError:
        return False


def _check_near_dev(meta_eval: MetaEvalConfig, labelled: Sequence[Example], origin: str) -> None:
    """No labelled example outside the dev split has a split value that reads as it.

    Such an example (a split column typed by hand, or mixing ``1`` and ``"1.0"``)
    would be held out with the test examples in silence: its dev label reported on.
    """
    field, dev = meta_eval.split_field, meta_eval.dev_split
    assert dev is not None
    near = [
        example
        for example in labelled
        if not meta_eval.in_dev(example.meta) and _reads_as(example.meta.get(field), dev)
    ]
    if not near:
        return
    values = sorted({repr(example.meta.get(field)) for example in near})
    shown = ", ".join(repr(example.id) for example in near[:5])
    raise ConfigError(
        f"{origin}: meta_eval.dev_split is {dev!r}, and {len(near)} labelled "
        f"{'example has' if len(near) == 1 else 'examples have'} {field} "
        f"{' or '.join(values)}, which is not it but reads as it ({shown}"
        f"{' and more' if len(near) > 5 else ''}): held out, they would be reported "
        "with the other examples, not used to choose thresholds",
        hint=f"write the {field} column's values one way (as {dev!r}), or give those "
        "examples a split of their own",
    )


def preflight(
    config: RunConfig,
    summarizers: Sequence[Summarizer],
    entries: Sequence[MetricEntry],
    examples: Sequence[Example],
    origin: str,
) -> None:
    """Run every check above; raise the first `ConfigError` found.

    Args:
        config: The validated config.
        summarizers: The built systems, in the config's order.
        entries: The built metrics' entries (with their values for the params).
        examples: The examples loaded (all for `run`, the first for `validate`).
        origin: The config file, for messages.
    """
    check_gate_values(config, entries, origin)
    check_references(config, entries, examples, origin)
    check_precomputed(config, examples, origin)
    check_precomputed_files(summarizers, examples, origin)
    check_dev_split(config.meta_eval, examples, origin)
    check_report_choice(
        config.report,
        [f"{entry.name}.{spec.name}" for entry in entries for spec in entry.values],
        [system.name for system in config.systems],
        origin,
    )


__all__ = [
    "check_dev_split",
    "check_gate_values",
    "check_precomputed",
    "check_precomputed_files",
    "check_references",
    "check_split_field",
    "preflight",
]
