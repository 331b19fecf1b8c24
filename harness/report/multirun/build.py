"""Reading the runs and choosing what the table over them shows (`build_multi`).

Names given by the user are checked against the runs (with a "did you mean");
metric versions that differ between the runs become warnings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from harness.config import ReportConfig
from harness.errors import ConfigError, HarnessError
from harness.registry import did_you_mean_clause
from harness.report import load_table
from harness.report.multirun.table import MultiTable, RunGroup
from harness.report.table import Column, ComparisonTable, Row, mark_best
from harness.store import MANIFEST_FILE, RunDir


def _fingerprints(run_dir: RunDir) -> dict[str, Any]:
    # A re-scored run's metrics are the ones in "rescored"; older runs may lack a manifest.
    try:
        manifest: Any = run_dir.read_json(MANIFEST_FILE)
    except HarnessError:
        return {}
    if not isinstance(manifest, dict):
        return {}
    found: dict[str, Any] = {}
    for section in (manifest.get("components"), manifest.get("rescored")):
        metrics = section.get("metrics") if isinstance(section, dict) else None
        if isinstance(metrics, dict):
            found.update(metrics)
    return found


def _check(names: Sequence[str] | None, known: Sequence[str], flag: str, kind: str) -> None:
    seen: set[str] = set()
    for name in names or []:
        if name in seen:
            raise ConfigError(f"{flag}: {name!r} is listed twice", hint="list each name once")
        seen.add(name)
        if name not in known:
            raise ConfigError(
                f"{flag}: {name!r} is not a {kind} of any of the runs; "
                f"{did_you_mean_clause(name, known)}{kind}s: {', '.join(known)}",
                hint=f"name {kind}s as the runs' report.md shows them",
            )


def _check_labels(labels: dict[str, str], groups: Sequence[Sequence[str]]) -> None:
    """Every label names something, and no two rows, runs, values or metrics are shown alike."""
    for name, text in labels.items():
        if not text.strip():
            raise ConfigError(
                f"--label {name!r} is empty",
                hint="give it a name to show, or leave it out to show its own name",
            )
    for names in groups:
        shown: dict[str, str] = {}
        for name in names:
            text = labels.get(name, name)
            if text in shown:
                raise ConfigError(
                    f"--label: {shown[text]!r} and {name!r} would both be shown as {text!r}, "
                    "so no reader could tell them apart",
                    hint="give each a label of its own",
                )
            shown[text] = name


def _group_names(tables: Sequence[ComparisonTable], paths: Sequence[Path]) -> list[str]:
    names = [table.name for table in tables]
    # Two runs of one config share a name: tell them apart by their folders, by the
    # paths as given when the folders share a name too (a/ci and b/ci).
    folders = [
        name if names.count(name) == 1 else f"{name} ({path.name})"
        for name, path in zip(names, paths, strict=True)
    ]
    return [
        folder if folders.count(folder) == 1 else f"{name} ({path})"
        for folder, name, path in zip(folders, names, paths, strict=True)
    ]


def _describe(fingerprint: Any) -> str:
    if not isinstance(fingerprint, dict):
        return "unknown"
    text = f"version {fingerprint.get('version')}"
    if fingerprint.get("params"):
        text += f" {json.dumps(fingerprint['params'], sort_keys=True)}"
    if fingerprint.get("model"):
        text += f" model {fingerprint['model']}"
    return text


def _version_warnings(groups: Sequence[RunGroup], columns: Sequence[Column]) -> list[str]:
    warnings = []
    metrics = list(dict.fromkeys(column.name.split(".", 1)[0] for column in columns))
    for metric in metrics:
        seen = {group.name: group.metrics[metric] for group in groups if metric in group.metrics}
        if len({json.dumps(fp, sort_keys=True) for fp in seen.values()}) > 1:
            each = "; ".join(f"{name}: {_describe(fp)}" for name, fp in seen.items())
            warnings.append(
                f"metric {metric!r} differs between the runs (its fingerprint in manifest.json): "
                f"{each}; its columns are not comparable across runs"
            )
    return warnings


def _digits(choice: ReportConfig, value: str) -> int | None:
    if isinstance(choice.digits, dict):
        return choice.digits.get(value)
    return choice.digits


def _restrict(
    table: ComparisonTable, columns: Sequence[Column], systems: Sequence[str], choice: ReportConfig
) -> ComparisonTable:
    names = [column.name for column in columns]
    by_system = {row.system: row for row in table.rows}
    rows: list[Row] = []
    for system in systems:
        row = by_system.get(system)
        if row is None:
            continue
        cells = {
            name: replace(row.cells[name], digits=_digits(choice, name), show_ci=choice.ci)
            for name in names
            if name in row.cells
        }
        comparisons = (
            {name: row.comparisons[name] for name in names if name in row.comparisons}
            if choice.significance
            else {}
        )
        # the label, for what names the row outside the table (the legend's notes)
        label = choice.labels.get(system)
        rows.append(replace(row, cells=cells, comparisons=comparisons, label=label))
    kept = [column for column in table.columns if column.name in names]
    label = choice.labels.get(table.baseline or "")
    return replace(table, columns=kept, rows=mark_best(rows, kept), baseline_label=label)


def build_multi(run_dirs: Sequence[Path], choice: ReportConfig) -> MultiTable:
    """Read the runs and choose what the table shows.

    Args:
        run_dirs: Run directories, one column group each, in this order.
        choice: ``values`` (default: the values every run has, in the first
            run's order), ``systems`` (default: every system, in order of
            first appearance), ``labels`` (of values, systems, metrics or
            runs), ``digits``, ``ci`` and ``significance``.

    Raises:
        ConfigError: A run is given twice, a chosen name is in none of the
            runs, or no value is common.
        StoreError: A folder is not a run directory.
    """
    if not run_dirs:
        raise ConfigError("give at least one run directory", hint="harness table RUN_DIR...")
    seen: dict[Path, Path] = {}
    for path in run_dirs:
        first = seen.setdefault(path.resolve(), path)
        if first is not path:
            raise ConfigError(
                f"{path}: the run directory is given twice (also as {first})",
                hint="name each run once; to compare two runs of one config, give both folders",
            )
    tables = [load_table(RunDir(path)) for path in run_dirs]
    names = _group_names(tables, run_dirs)
    known_values = list(dict.fromkeys(c.name for t in tables for c in t.columns))
    known_systems = list(dict.fromkeys(r.system for t in tables for r in t.rows))
    _check(choice.values, known_values, "--values", "value")
    _check(choice.systems, known_systems, "--systems", "system")
    metrics = list(dict.fromkeys(name.split(".", 1)[0] for name in known_values))
    labelled = list(dict.fromkeys([*known_values, *known_systems, *metrics, *names]))
    for name in choice.labels:
        _check([name], labelled, "--label", "value, system, metric or run")
    _check_labels(choice.labels, [known_systems, names, known_values, metrics])
    if isinstance(choice.digits, dict):
        _check(list(choice.digits), known_values, "--digits", "value")
    values = choice.values or [
        name for name in known_values if all(name in {c.name for c in t.columns} for t in tables)
    ]
    if not values:
        raise ConfigError(
            "the runs have no metric value in common",
            hint=f"choose values with --values (the runs' values: {', '.join(known_values)})",
        )
    by_name = {c.name: c for t in tables for c in t.columns}
    columns = [replace(by_name[name], label=choice.labels.get(name)) for name in values]
    systems = choice.systems or known_systems
    warnings = []
    groups = []
    for table, name, path in zip(tables, names, run_dirs, strict=True):
        have = {column.name for column in table.columns}
        for value in values:
            if value not in have:
                warnings.append(f"run {name!r} ({path}) has no value {value!r}: its cells show –")
        groups.append(
            RunGroup(
                name=choice.labels.get(name, name),
                key=name,
                path=path,
                table=_restrict(table, columns, systems, choice),
                metrics=_fingerprints(RunDir(path)),
            )
        )
    levels = {group.name: group.table.confidence for group in groups}
    if choice.ci and len(set(levels.values())) > 1:
        warnings.append(
            "the runs' intervals are at different confidence levels ("
            + ", ".join(f"{name}: {level:.3g}" for name, level in levels.items())
            + "): the legend gives each run's"
        )
    return MultiTable(
        groups=groups,
        columns=columns,
        systems=[(system, choice.labels.get(system, system)) for system in systems],
        warnings=_version_warnings(groups, columns) + warnings,
        ci=choice.ci,
    )
