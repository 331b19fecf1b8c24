"""What a run and a re-score both do: build the metrics, open and close the cache, render."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console
from rich.markup import escape

from harness.config import RunConfig, read_yaml_lines
from harness.errors import StoreError
from harness.executor import Executor
from harness.metric import Metric, MetricEntry, build_metric
from harness.outdir import StagedRun
from harness.records import content_hash
from harness.store import CONFIG_FILE, Cache, RunDir


class RenderReports(Protocol):
    """What writes a run directory's reports (`harness.report.render_reports`).

    ``cache`` is the run's open cache, where the plots drawn are kept by content
    key; ``harness report`` (no cache open) leaves it out. ``executor`` is the
    run's, still open: its workers may draw the plots.
    """

    def __call__(
        self, run_dir: RunDir, *, cache: Cache | None = None, executor: Executor | None = None
    ) -> object:
        """Write the reports of ``run_dir``."""


def _build_metrics(config: RunConfig, origin: str) -> list[tuple[MetricEntry, Metric]]:
    return [
        build_metric(item, where=config.where(origin, "metrics", index))
        for index, item in enumerate(config.metrics)
    ]


def generated_from(config: RunConfig) -> dict[str, Any]:
    """What a run's outputs.jsonl was generated from, as digests for its manifest.

    ``benchmark`` hashes the config's benchmark section and ``systems`` each
    system's config (its resources left out, as in config.yaml), so that a
    re-score can tell that config.yaml no longer describes the saved outputs.
    """
    recorded = config.recorded()
    return {
        "benchmark": content_hash(recorded["benchmark"]),
        "systems": {system["name"]: content_hash(system) for system in recorded["systems"]},
    }


def check_generated_from(run_dir: RunDir, config: RunConfig, manifest: dict[str, Any]) -> None:
    """Refuse to re-score outputs that config.yaml's benchmark or systems no longer describe.

    A manifest written before ``generated_from`` was recorded is not checked.

    Raises:
        StoreError: config.yaml's benchmark, or a system's config, differs from
            what the run generated its outputs with; names the file and line.
    """
    recorded = manifest.get("generated_from")
    if not isinstance(recorded, dict):
        return
    now = generated_from(config)
    path = run_dir.file(CONFIG_FILE)
    changed: tuple[tuple[str | int, ...], str] | None = None
    if recorded.get("benchmark") != now["benchmark"]:
        changed = ("benchmark",), "the benchmark"
    systems = recorded.get("systems") or {}
    for index, system in enumerate(config.systems):
        if changed is None and systems.get(system.name) != now["systems"][system.name]:
            changed = ("systems", index), f"system {system.name!r} (systems[{index}])"
    if changed is None:
        _check_generation_seed(path, config, manifest)
        return
    loc, what = changed
    line = read_yaml_lines(path)[1].line_of(loc)
    raise StoreError(
        f"{path}{f':{line}' if line else ''}: {what} is not the one this run's outputs.jsonl "
        "was generated with (config.yaml was edited since): `harness score` re-scores the "
        "saved summaries and does not generate them again, so its results would describe "
        "summaries that config.yaml does not",
        hint="run `harness run` on the edited config to generate again (unchanged systems "
        "come from the cache), or undo the edit in config.yaml; a re-score may change "
        "metrics, stats, report, baseline and meta_eval",
    )


def _seeded_by(config: RunConfig, manifest: dict[str, Any]) -> list[str]:
    """What of the saved examples and outputs the run's seed drew: the sample of
    the benchmark, and each system whose fingerprint holds the seed (a sampling
    ``hf`` model, an ``openai`` model at ``temperature > 0``)."""
    drawn = ["benchmark.sample"] if config.benchmark.sample is not None else []
    systems = (manifest.get("components") or {}).get("systems") or {}
    for name, fingerprint in systems.items():
        params = fingerprint.get("params") if isinstance(fingerprint, dict) else None
        if isinstance(params, dict) and "seed" in params:
            drawn.append(f"system {name!r}")
    return drawn


def _check_generation_seed(path: Path, config: RunConfig, manifest: dict[str, Any]) -> None:
    """Refuse a config.yaml whose seed was edited when the saved examples or
    outputs were drawn with the old one: the manifest would record a seed that
    did not make them, and `harness run` on that config.yaml would draw others."""
    recorded = manifest.get("seed")
    if not isinstance(recorded, int) or isinstance(recorded, bool) or recorded == config.seed:
        return
    drawn = _seeded_by(config, manifest)
    if not drawn:
        return
    line = read_yaml_lines(path)[1].line_of(("seed",))
    raise StoreError(
        f"{path}{f':{line}' if line else ''}: seed is {config.seed}, but this run's "
        f"{' and '.join(drawn)} drew with seed {recorded} (config.yaml was edited since): "
        "`harness score` does not draw again, so its results would record a seed that did "
        "not make the saved examples and summaries",
        hint=f"set seed back to {recorded} to re-score, or `harness run` the edited config "
        "to draw again with the new seed",
    )


def _warn_damaged(cache: Cache, console: Console) -> None:
    for message in cache.warnings():
        console.print(f"[bold yellow]warning:[/] {escape(message)}", highlight=False)


@contextmanager
def _open_cache(staged: StagedRun, executor: Executor, cache_path: Path | None) -> Iterator[Cache]:
    """The run's cache, open for the ``with`` body; on any error the staged run is
    discarded (the run directory keeps what it had); always, the executor and the
    cache are closed."""
    cache: Cache | None = None
    try:
        cache = Cache(cache_path)
        yield cache
    except BaseException:
        staged.discard()
        raise
    finally:
        executor.close()
        if cache is not None:
            cache.close()
