"""Later stages again on a saved run directory: re-score (`score_run`) and re-render (`rerender`).

Both read the run's inputs and replace only what they write, through staging
(`harness.outdir`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console

from harness.aggregate import cached_aggregate
from harness.config import RunConfig
from harness.errors import HarnessError, StoreError
from harness.executor import Component, Executor, LocalExecutor, check_shippable
from harness.manifest import StageClock, devices, now
from harness.outdir import REPORT_FILES, stage_run
from harness.plugin_code import component_fingerprint
from harness.records import Example, Output, content_hash
from harness.runner._parts import (
    RenderReports,
    _build_metrics,
    _open_cache,
    _warn_damaged,
    check_generated_from,
)
from harness.runner.pipeline import RunSummary
from harness.runner.progress import make_progress
from harness.scoring import score
from harness.store import (
    CONFIG_FILE,
    EXAMPLES_FILE,
    MANIFEST_FILE,
    OUTPUTS_FILE,
    RESULTS_FILE,
    SCORES_FILE,
    RunDir,
)

#: What a re-score or re-render reads from the run directory and keeps as it is.
RUN_INPUTS = (CONFIG_FILE, EXAMPLES_FILE, OUTPUTS_FILE)
#: What a re-score writes.
RESCORE_FILES = (SCORES_FILE, RESULTS_FILE, *REPORT_FILES)


def score_run(
    run_dir: RunDir,
    *,
    console: Console | None = None,
    render: RenderReports | None = None,
    executor: Executor | None = None,
) -> RunSummary:
    """Re-score a saved run from its config.yaml, examples.jsonl and outputs.jsonl.

    Edit the run's config.yaml (e.g. its ``metrics``) before calling this to
    score with other metrics; generation is not repeated.

    Args:
        run_dir: The run directory.
        console: Where progress goes (default: stderr).
        render: Called with the run directory (and the open cache) to write reports.
        executor: Where scoring batches run (default: in-process; this
            function closes it). Scores are the same whatever it is; the
            manifest's ``rescored.executor`` records it.
    """
    console = console or Console(stderr=True)
    executor = executor or LocalExecutor()
    try:
        run_dir.require()
        origin = str(run_dir.file("config.yaml"))
        config = run_dir.read_run_config()
        clock = StageClock()
        started = now()
        examples = run_dir.read_examples()
        outputs = run_dir.read_outputs()
        check_outputs(run_dir, config, examples, outputs)
        try:
            manifest: dict[str, Any] = run_dir.read_json(MANIFEST_FILE)
        except HarnessError:
            manifest = {}
        check_generated_from(run_dir, config, manifest)
        metrics = _build_metrics(config, origin)
        metric_parts = [
            Component(f"metrics[{index}]", item, config.where(origin, "metrics", index))
            for index, item in enumerate(config.metrics)
        ]
        if not isinstance(executor, LocalExecutor):
            check_shippable(metric_parts)
        executor.start()
    except BaseException:
        executor.close()
        raise
    staged = stage_run(run_dir.path, writes=RESCORE_FILES)
    with _open_cache(staged, executor, config.cache_path()) as cache:
        staged.link_inputs(RUN_INPUTS)
        with clock.stage("score"), make_progress(console) as progress:
            scores = score(
                examples,
                outputs,
                metrics,
                cache,
                progress,
                executor=executor,
                components=metric_parts,
            )
        staged.staging.write_scores(scores)
        with clock.stage("aggregate"):
            entries = [entry for entry, _ in metrics]
            results = cached_aggregate(
                cache, staged.staging, config, entries, outputs, scores, examples, executor
            )
        staged.staging.write_json(RESULTS_FILE, results)
        fingerprints = {
            e.name: component_fingerprint(m).model_dump(mode="json") for e, m in metrics
        }
        metric_devices = devices({e.name: m for e, m in metrics})
        manifest["rescored"] = {
            "started": started,
            "finished": now(),
            "metrics": fingerprints,
            "devices": metric_devices,
            "executor": executor.description,
            "cache": cache.stats(),
        }
        # What the scores now come from: `compare`, `check` and `baseline` read the
        # metrics' fingerprints here, and must not gate the new scores by the old ones.
        manifest.setdefault("components", {})["metrics"] = fingerprints
        manifest.setdefault("devices", {})["metrics"] = metric_devices
        manifest["seed"] = config.seed
        manifest["config_hash"] = content_hash(config.recorded())
        manifest["data_sha256"] = staged.staging.data_digests()
        if render is not None:
            with clock.stage("report"):
                render(staged.staging, cache=cache, executor=executor)
        manifest["rescored"]["timings_s"] = clock.seconds
        manifest.setdefault("harness_run", {"command": "score"})
        final = staged.commit(manifest)
        _warn_damaged(cache, console)
    return RunSummary(final, results, manifest)


def check_outputs(
    run_dir: RunDir, config: RunConfig, examples: Sequence[Example], outputs: Sequence[Output]
) -> None:
    """outputs.jsonl holds exactly one line per (example, system) of the run's config.

    A run directory that fails this was mixed or edited by hand; scoring it
    would pair summaries with the wrong articles or drop some silently.

    Raises:
        StoreError: Naming the first (example, system) missing, repeated or unknown.
    """
    expected = {(ex.id, s.name) for ex in examples for s in config.systems}
    seen: set[tuple[str, str]] = set()
    path = run_dir.file("outputs.jsonl")
    hint = "re-run `harness run` on the config to write a complete run directory"
    for line, output in enumerate(outputs, start=1):
        pair = (output.example_id, output.system)
        if pair not in expected:
            raise StoreError(
                f"{path}: output {line} is for example {pair[0]!r}, system {pair[1]!r}, "
                "which examples.jsonl and config.yaml of this run directory do not have",
                hint=hint,
            )
        if pair in seen:
            raise StoreError(
                f"{path}: output {line} repeats example {pair[0]!r}, system {pair[1]!r}",
                hint=hint,
            )
        seen.add(pair)
    missing = sorted(expected - seen)
    if missing:
        raise StoreError(
            f"{path}: {len(missing)} (example, system) pairs have no output, e.g. "
            f"example {missing[0][0]!r}, system {missing[0][1]!r}",
            hint=hint,
        )


def rerender(run_dir: RunDir, render: RenderReports) -> RunDir:
    """Re-render a run directory's reports through staging (`harness report`).

    Only the report files and plots are replaced; a plot the previous
    manifest does not list (the user's own) is left alone.
    """
    run_dir.require().check_data()
    try:
        manifest: dict[str, Any] = run_dir.read_json(MANIFEST_FILE)
    except HarnessError:
        manifest = {"harness_run": {"command": "report"}}
    staged = stage_run(run_dir.path, writes=REPORT_FILES)
    try:
        staged.link_inputs((*RUN_INPUTS, SCORES_FILE, RESULTS_FILE))
        render(staged.staging)
        return staged.commit(manifest)
    except HarnessError as error:
        staged.discard()
        # The render read the inputs through staging: name the files the user has.
        inside, outside = str(staged.staging.path), str(run_dir.path)
        error.message = error.message.replace(inside, outside)
        error.args = (error.message,)
        raise
    except BaseException:
        staged.discard()
        raise
