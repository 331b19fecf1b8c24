"""What a run and a re-score both do: build the metrics, open and close the cache, render."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.markup import escape

from harness.config import RunConfig
from harness.executor import Executor
from harness.metric import Metric, MetricEntry, build_metric
from harness.outdir import StagedRun
from harness.store import Cache, RunDir


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
        build_metric(item, where=f"{origin}: metrics[{index}]")
        for index, item in enumerate(config.metrics)
    ]


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
