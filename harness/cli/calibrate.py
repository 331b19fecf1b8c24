"""``harness calibrate RUN_DIR``: fit a metric's combination to the run's labels."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from harness.cli._common import stderr, stdout, user_errors
from harness.errors import ConfigError, StoreError

if TYPE_CHECKING:
    from rich.table import Table

    from harness.config import RunConfig
    from harness.metric.consistency import ConsistencyParams
    from harness.records import Score
    from harness.store import RunDir

#: Where the fitted entry goes without ``--out`` (inside the run directory).
DEFAULT_OUT = "calibrated.yaml"


def _run_params(config: RunConfig, metric: str, origin: str) -> ConsistencyParams:
    from harness.metric.consistency import ConsistencyParams

    entry = next((item for item in config.metrics if item.name == metric), None)
    if entry is None:
        raise StoreError(
            f"{origin}: the run has no {metric!r} metric (metrics: "
            f"{', '.join(item.name for item in config.metrics)}), so no stored parts to fit",
            hint=f"add {metric} to the run's config.yaml metrics and run `harness score` on it",
        )
    return ConsistencyParams.model_validate(entry.params)


def _labelled_system(config: RunConfig, origin: str) -> str:
    from harness.aggregate import labelled_systems

    systems = labelled_systems(config)
    if not systems:
        raise ConfigError(
            f"{origin}: no system outputs the benchmark's own summaries, the ones the labels "
            "judge (a `precomputed` system without `path` or `column`)",
            hint="add `- {name: given, backend: precomputed}` to the systems and run again",
        )
    return systems[0]


def _cell(statistic: dict[str, Any]) -> str:
    value, low, high = statistic["value"], statistic["ci_low"], statistic["ci_high"]
    if value is None:
        return "—"
    if low is None or high is None:
        return f"{value:.3f}"
    return f"{value:.3f} [{low:.3f}, {high:.3f}]"


def _table(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], confidence: float
) -> Table:
    from rich.table import Table

    from harness.report.formatting import format_confidence

    table = Table(
        title=f"consistency.score vs labels ({format_confidence(confidence)} bootstrap CIs; "
        "threshold chosen on dev)"
    )
    for column in ("split", "n", "", "balanced acc.", "ROC-AUC", "Pearson"):
        table.add_column(column)
    for split, label in (("dev", "dev (fit)"), ("held_out", "held-out")):
        for which, rows in (("before", before), ("after", after)):
            row = rows[split]
            table.add_row(
                label if which == "before" else "",
                str(row["n"]) if which == "before" else "",
                which,
                _cell(row["balanced_accuracy"]),
                _cell(row["roc_auc"]),
                _cell(row["pearson"]),
            )
    return table


def _rescore(
    run: RunDir, config: RunConfig, params: ConsistencyParams, system: str, origin: str
) -> list[Score]:
    """Score the labelled system's outputs with ``params``: the measured "after"."""
    from harness.config import MetricConfig
    from harness.metric import build_metric
    from harness.runner import make_progress
    from harness.scoring import score
    from harness.store import Cache

    entry, metric = build_metric(
        MetricConfig(name="consistency", params=params.model_dump(mode="json", exclude_none=True)),
        f"{origin}: calibrated consistency",
    )
    examples = run.read_examples()
    outputs = [output for output in run.read_outputs() if output.system == system]
    cache = Cache(config.cache_path())
    try:
        with make_progress(stderr) as progress:
            return score(examples, outputs, [(entry, metric)], cache, progress)
    finally:
        cache.close()


@user_errors
def calibrate_command(
    run_dir: Annotated[Path, typer.Argument(help="A run directory written by `harness run`.")],
    metric: Annotated[
        str, typer.Option("--metric", help="The metric to fit (only `consistency` for now).")
    ] = "consistency",
    out: Annotated[
        Path | None,
        typer.Option("--out", help=f"YAML file to write (default: RUN_DIR/{DEFAULT_OUT})."),
    ] = None,
    l2: Annotated[
        float,
        typer.Option("--l2", min=0.0, help="Pull of the fitted weights towards the run's own."),
    ] = 1.0,
) -> None:
    """Fit a metric's weights to the run's labels on its dev split; write a `metrics:` entry.

    The dev split is the config's meta_eval.dev_split; the other labelled
    examples are held out. Prints balanced accuracy, ROC-AUC and Pearson
    correlation with the labels, before and after, both measured by scoring.
    """
    from harness.calibrate import (
        agreement,
        check_metric,
        consistency_components,
        fit_consistency,
        metrics_yaml,
    )
    from harness.store import RunDir, check_writable, write_atomic

    check_metric(metric)
    run = RunDir(run_dir).require().check_data()
    target = out if out is not None else run.path / DEFAULT_OUT
    check_writable(target)  # before the fit and the re-scoring, not after them
    origin = str(run.file("config.yaml"))
    config = run.read_run_config()
    base = _run_params(config, metric, origin)
    system = _labelled_system(config, origin)
    examples = run.read_examples()
    scores = run.read_scores()
    meta = config.meta_eval
    parts = consistency_components(examples, scores, system, meta, str(run.file("examples.jsonl")))
    fit = fit_consistency(parts, base, l2=l2)
    stats: dict[str, Any] = {
        "seed": config.seed,
        "resamples": config.stats.resamples,
        "confidence": config.stats.confidence,
    }
    before = agreement(examples, scores, system, meta, **stats)
    after = agreement(
        examples, _rescore(run, config, fit.params, system, origin), system, meta, **stats
    )
    stdout.print(_table(before, after, config.stats.confidence))
    n_dev = int(parts.is_dev.sum())
    held_ba = [rows["held_out"]["balanced_accuracy"]["value"] for rows in (before, after)]
    header = [
        f"{metric} fitted by `harness calibrate` to the labels of run {config.name!r}:",
        f"{n_dev} examples with {meta.split_field} == {meta.dev_split!r} (system "
        f"{system!r}), l2 = {l2:g}.",
        "held-out balanced accuracy: "
        + " -> ".join("n/a" if value is None else f"{value:.3f}" for value in held_ba)
        + f" ({len(parts.example_ids) - n_dev} examples).",
        "Paste the entry into a config's `metrics:` list in place of the metric.",
    ]
    write_atomic(target, metrics_yaml(fit.params, header=header))
    stdout.print(metrics_yaml(fit.params), end="", highlight=False, markup=False)
    stdout.print(f"wrote {target}", highlight=False, markup=False, soft_wrap=True)
