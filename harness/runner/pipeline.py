"""The whole pipeline: load → generate → score → aggregate → store → report (`run_pipeline`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from harness.aggregate import cached_aggregate
from harness.backend import BuildContext, build_backend
from harness.benchmark import load_benchmark
from harness.config import RunConfig
from harness.executor import Component, Executor, LocalExecutor, check_shippable, make_executor
from harness.generation import generate
from harness.manifest import StageClock, devices, environment, now, served_models
from harness.outdir import stage_run
from harness.plugin_code import component_fingerprint
from harness.preflight import preflight
from harness.records import content_hash
from harness.runner._parts import (
    RenderReports,
    _build_metrics,
    _open_cache,
    _warn_damaged,
    generated_from,
)
from harness.runner.progress import make_progress
from harness.scoring import score
from harness.store import RESULTS_FILE, RunDir


@dataclass
class RunSummary:
    """What a finished run produced."""

    run_dir: RunDir
    results: dict[str, Any]
    manifest: dict[str, Any]


def run_pipeline(
    config: RunConfig,
    *,
    origin: str,
    config_dir: Path,
    out: Path | None = None,
    console: Console | None = None,
    render: RenderReports | None = None,
    max_failures: int | None = None,
    executor: Executor | None = None,
) -> RunSummary:
    """Run generate → score → aggregate and write the run directory.

    Args:
        config: The validated config (``--set`` and ``--limit`` already applied).
        origin: The config's file name, for error messages.
        config_dir: Folder that relative paths in backend params resolve against.
        out: Run directory (default: ``config.out_dir()``).
        console: Where progress goes (default: stderr).
        render: Called with the run directory (and the open cache) to write reports.
        max_failures: Stop (`BackendError`) once more than this many
            generations have failed; ``None`` records failures and goes on.
        executor: Where batches run (default: the one ``config.executor``
            names; this function closes it). Results are the same whatever
            it is; the manifest records it.
    """
    console = console or Console(stderr=True)
    clock = StageClock()
    started = now()
    target = Path(out) if out is not None else config.out_dir()
    context = BuildContext(config_dir=config_dir, seed=config.seed)
    # First: a Ray cluster that cannot be reached ends the run before any load.
    if executor is None:
        executor = make_executor(config.executor, origin)
    try:
        executor.start()
        with clock.stage("load"):
            benchmark = load_benchmark(config.benchmark, seed=config.seed)
            systems = [
                (
                    system.name,
                    build_backend(system, context, config.where(origin, "systems", index)),
                    system.batch_size,
                )
                for index, system in enumerate(config.systems)
            ]
            metrics = _build_metrics(config, origin)
            preflight(
                config,
                [summarizer for _, summarizer, _ in systems],
                [entry for entry, _ in metrics],
                benchmark.examples,
                origin,
            )
            system_parts = [
                Component(
                    f"systems[{index}]",
                    system,
                    config.where(origin, "systems", index),
                    context,
                    num_gpus=system.resources.num_gpus,
                )
                for index, system in enumerate(config.systems)
            ]
            metric_parts = [
                Component(f"metrics[{index}]", item, config.where(origin, "metrics", index))
                for index, item in enumerate(config.metrics)
            ]
        if not isinstance(executor, LocalExecutor):
            check_shippable([*system_parts, *metric_parts])
        staged = stage_run(target)
    except BaseException:
        executor.close()
        raise
    recorded = config.recorded()
    with _open_cache(staged, executor, config.cache_path()) as cache:
        run_dir = staged.staging
        run_dir.write_config(recorded)
        run_dir.write_examples(benchmark.examples)
        with make_progress(console) as progress:
            with clock.stage("generate"):
                outputs = generate(
                    benchmark.examples,
                    systems,
                    cache,
                    progress,
                    max_failures=max_failures,
                    executor=executor,
                    components=system_parts,
                    prepare=metric_parts,
                )
            run_dir.write_outputs(outputs)
            with clock.stage("score"):
                scores = score(
                    benchmark.examples,
                    outputs,
                    metrics,
                    cache,
                    progress,
                    executor=executor,
                    components=metric_parts,
                )
        run_dir.write_scores(scores)
        with clock.stage("aggregate"):
            results = cached_aggregate(
                cache,
                run_dir,
                config,
                [entry for entry, _ in metrics],
                outputs,
                scores,
                benchmark.examples,
                executor,
            )
        run_dir.write_json(RESULTS_FILE, results)
        manifest = {
            "harness_run": {"started": started, "finished": now(), "command": "run"},
            "environment": environment(),
            "seed": config.seed,
            "config_hash": content_hash(recorded),
            "generated_from": generated_from(config),
            "executor": executor.description,
            "benchmark": benchmark.info,
            "components": {
                "systems": {
                    name: component_fingerprint(s).model_dump(mode="json") for name, s, _ in systems
                },
                "metrics": {
                    e.name: component_fingerprint(m).model_dump(mode="json") for e, m in metrics
                },
            },
            "served_models": served_models(outputs),
            "devices": {
                "systems": devices({name: s for name, s, _ in systems}),
                "metrics": devices({e.name: m for e, m in metrics}),
            },
            "cache": {"path": str(cache.path) if cache.path else None, **cache.stats()},
            "timings_s": clock.seconds,
            "data_sha256": run_dir.data_digests(),
        }
        if render is not None:
            with clock.stage("report"):
                render(run_dir, cache=cache, executor=executor)
        manifest["timings_s"] = clock.seconds
        final = staged.commit(manifest)
        _warn_damaged(cache, console)
    return RunSummary(final, results, manifest)
