"""Executors: where the runner's batches run (``executor:`` in a run config).

A batch is a *task*: a plain-data value (the configs of the components it
needs and its inputs) handed to a module-level *task function*
``fn(workspace, task)`` that returns plain data. The driver (the process
that runs `harness.runner.run_pipeline`) plans the tasks, hands them to an
executor, and alone writes the cache and the run directory as results come
back, so a run that is stopped keeps every finished batch. Besides the
generation and scoring batches, a run's pool also computes the parts of
results.json (`harness.aggregate.aggregate_part`) and draws the plots
(`harness.report.plots.draw_plot`); `Executor.finish` then lets the workers
stop while the driver writes the report page.

- ``local``: the tasks run one after another in the driver, with the
  components the driver built (what harness did before executors).
- ``process``: a pool of worker processes on this machine (`ProcessExecutor`).
- ``ray``: Ray actors on an existing or a local Ray cluster
  (`harness.executor.ray`).

Every worker keeps a `Workspace`: the components it built, by key, so that
a model or spaCy pipeline loads once per worker, not once per batch. Workers
build components from their configs (`Component`), never from pickled
objects. A worker that dies has its task run again once; a second death
records the task as failed (`TaskFailure`) with the reason.

Modules: `workspace` (`Component`, `Workspace`), `protocol` (`Executor`),
`local`, `process` (`ProcessExecutor`), `ray` (`RayExecutor`, which imports
``ray`` only when built) and `factory` (`make_executor`).
"""

from __future__ import annotations

from harness.executor._tasks import ATTEMPTS, run_task
from harness.executor.factory import ExecutorKind, available_cores, make_executor
from harness.executor.local import LocalExecutor
from harness.executor.process import ProcessExecutor, death_reason
from harness.executor.protocol import Executor, TaskFailure, TaskFn, WorkerError
from harness.executor.workspace import Component, Workspace, check_shippable

__all__ = [
    "ATTEMPTS",
    "Component",
    "Executor",
    "ExecutorKind",
    "LocalExecutor",
    "ProcessExecutor",
    "TaskFailure",
    "TaskFn",
    "WorkerError",
    "Workspace",
    "available_cores",
    "check_shippable",
    "death_reason",
    "make_executor",
    "run_task",
]
