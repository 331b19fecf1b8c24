"""Executors: where the runner's batches run (``executor:`` in a run config).

A batch is a *task*: a plain-data value (the configs of the components it
needs and its inputs) handed to a module-level *task function*
``fn(workspace, task)`` that returns plain data. The driver (the process
that runs `harness.runner.run_pipeline`) plans the tasks, hands them to an
executor, and alone writes the cache and the run directory as results come
back, so a run that is stopped keeps every finished batch.

- ``local``: the tasks run one after another in the driver, with the
  components the driver built (what harness did before executors).
- ``process``: a pool of worker processes on this machine (`ProcessExecutor`).
- ``ray``: Ray actors on an existing or a local Ray cluster
  (`harness.executor_ray`).

Every worker keeps a `Workspace`: the components it built, by key, so that
a model or spaCy pipeline loads once per worker, not once per batch. Workers
build components from their configs (`Component`), never from pickled
objects. A worker that dies has its task run again once; a second death
records the task as failed (`TaskFailure`) with the reason.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import pickle
import signal
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any, Generic, Literal, Protocol, TypeVar

from harness.backend import BuildContext, Summarizer, build_backend
from harness.config import ExecutorConfig, MetricConfig, SystemConfig
from harness.errors import ConfigError, HarnessError
from harness.metric import Metric, build_metric

TaskT = TypeVar("TaskT")
ResultT = TypeVar("ResultT")
#: How many times a task runs at most when the worker running it dies.
ATTEMPTS = 2
#: Seconds a worker gets to end after SIGTERM before it is killed.
_STOP_GRACE_S = 5.0


@dataclass(frozen=True)
class Component:
    """A system or metric a worker builds once, from its config.

    Attributes:
        key: Unique within a run; the `Workspace` key.
        config: The system's or metric's config; ``None`` for a component
            the caller built itself, which only the ``local`` executor can run.
        where: Its place in the config file, for errors
            (``"configs/x.yaml: systems[1]"``).
        context: The build context of systems.
        num_gpus: GPUs its batches need (a system's ``resources.num_gpus``);
            only the ``ray`` executor schedules by it.
    """

    key: str
    config: SystemConfig | MetricConfig | None
    where: str
    context: BuildContext | None = None
    num_gpus: float = 0.0


class Workspace:
    """The components one worker built, by `Component.key` (each built once).

    Args:
        built: Components built already (the driver's own, for ``local``).
    """

    def __init__(self, built: dict[str, object] | None = None) -> None:
        self._built: dict[str, object] = dict(built or {})

    def get(self, component: Component) -> object:
        """The built component, building it on first use."""
        if component.key not in self._built:
            config = component.config
            if isinstance(config, SystemConfig):
                assert component.context is not None
                self._built[component.key] = build_backend(
                    config, component.context, component.where
                )
            elif isinstance(config, MetricConfig):
                self._built[component.key] = build_metric(config, component.where)[1]
            else:
                raise RuntimeError(f"{component.where}: no config to build this component from")
        return self._built[component.key]

    def summarizer(self, component: Component) -> Summarizer:
        """The built summarizer of a system component."""
        built = self.get(component)
        assert hasattr(built, "summarize")
        return built  # type: ignore[return-value]

    def metric(self, component: Component) -> Metric:
        """The built metric of a metric component."""
        built = self.get(component)
        assert hasattr(built, "score")
        return built  # type: ignore[return-value]


@dataclass(frozen=True)
class TaskFailure:
    """A task that could not run: its worker died on every attempt.

    Attributes:
        reason: What happened, for the record of every item of the task.
    """

    reason: str


class WorkerError(RuntimeError):
    """A task function raised something other than a `HarnessError` (a bug in harness)."""


TaskFn = Callable[[Workspace, TaskT], ResultT]


class Executor(Protocol):
    """Runs tasks and yields ``(index, result)`` as each completes, in any order."""

    @property
    def description(self) -> dict[str, Any]:
        """What the manifest records: kind, workers, address."""
        ...

    def start(self) -> None:
        """Start the workers now, so that they start up while the driver loads."""
        ...

    def map(
        self,
        fn: TaskFn[TaskT, ResultT],
        tasks: Sequence[TaskT],
        local: Workspace,
        placement: Sequence[Component] | None = None,
    ) -> Iterator[tuple[int, ResultT | TaskFailure]]:
        """Run ``fn`` on every task.

        Args:
            fn: A module-level function (workers import it by name).
            tasks: Plain-data tasks.
            local: The driver's workspace (used by ``local`` only).
            placement: The component each task builds, parallel to ``tasks``;
                ``ray`` runs the tasks of a component with ``num_gpus`` on an
                actor that holds them. Ignored by ``local`` and ``process``.

        Raises:
            HarnessError: A task raised it (the other tasks are stopped).
            WorkerError: A task raised any other exception.
        """
        ...

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        ...


class LocalExecutor:
    """Runs tasks in order, in this process."""

    @property
    def description(self) -> dict[str, Any]:
        """``{"kind": "local", "workers": 1}``."""
        return {"kind": "local", "workers": 1}

    def start(self) -> None:
        """Nothing to start."""

    def map(
        self,
        fn: TaskFn[TaskT, ResultT],
        tasks: Sequence[TaskT],
        local: Workspace,
        placement: Sequence[Component] | None = None,
    ) -> Iterator[tuple[int, ResultT | TaskFailure]]:
        """Run the tasks one by one with the driver's components."""
        for index, task in enumerate(tasks):
            yield index, fn(local, task)

    def close(self) -> None:
        """Nothing to stop."""


# what crosses the pipe between the driver and a worker -----------------------
@dataclass(frozen=True)
class _Raised:
    """An exception a task raised, as plain data (exceptions do not always unpickle)."""

    module: str
    name: str
    message: str
    hint: str | None
    trace: str

    @classmethod
    def of(cls, error: BaseException) -> _Raised:
        hint = error.hint if isinstance(error, HarnessError) else None
        message = error.message if isinstance(error, HarnessError) else str(error)
        trace = "".join(traceback.format_exception(error))
        return cls(type(error).__module__, type(error).__qualname__, message, hint, trace)

    def error(self) -> Exception:
        """The exception to raise in the driver: the same `HarnessError`, else `WorkerError`."""
        try:
            found = getattr(importlib.import_module(self.module), self.name, None)
        except ImportError:
            found = None
        if isinstance(found, type) and issubclass(found, HarnessError):
            error = found.__new__(found)
            HarnessError.__init__(error, self.message, hint=self.hint)
            return error
        return WorkerError(f"a worker raised {self.name}: {self.message}\n{self.trace}")


def run_task(fn: TaskFn[Any, Any], workspace: Workspace, task: Any) -> tuple[str, Any]:
    """Run one task in a worker: ``("ok", result)`` or ``("raised", _Raised)``."""
    try:
        return "ok", fn(workspace, task)
    except Exception as error:
        return "raised", _Raised.of(error)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # A KeyboardInterrupt, so that a task's own cleanup (the command backend
    # kills its program's process group) runs before the worker ends.
    raise KeyboardInterrupt


def _worker_main(conn: Connection) -> None:
    """A worker process: receive ``(fn, task)``, send the outcome, until EOF or ``None``."""
    # Ctrl-C reaches the whole process group; the driver alone decides, and
    # stops its workers with SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    # The runner's task functions, imported before the first task arrives:
    # while the driver still loads the benchmark.
    importlib.import_module("harness.runner")
    workspace = Workspace()
    try:
        while True:
            try:
                message = conn.recv()
            except EOFError:  # the driver is gone
                return
            if message is None:
                return
            fn, task = message
            conn.send(run_task(fn, workspace, task))
    except (KeyboardInterrupt, BrokenPipeError):
        return


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: int | None = None


def death_reason(exitcode: int | None) -> str:
    """How a worker process ended, in words (``exitcode`` as `multiprocessing` gives it)."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the worker process was killed by {name}"
    return f"the worker process exited with status {exitcode}"


def available_cores() -> int:
    """CPU cores this process may use (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass
class _Attempts(Generic[TaskT]):
    """Which tasks are still to run, and how often each one's worker died."""

    tasks: Sequence[TaskT]
    todo: deque[int] = field(default_factory=deque)
    deaths: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.todo.extend(range(len(self.tasks)))

    def died(self, index: int, reason: str) -> TaskFailure | None:
        """Count a death; the failure to record once it ran `ATTEMPTS` times."""
        self.deaths[index] = self.deaths.get(index, 0) + 1
        if self.deaths[index] >= ATTEMPTS:
            return TaskFailure(f"{reason} while running this batch, {ATTEMPTS} times")
        self.todo.appendleft(index)  # first, so a retry is not starved
        return None


class ProcessExecutor:
    """A pool of worker processes on this machine (``executor: {kind: process}``).

    Workers are started with ``spawn`` (a fresh interpreter: no lock or
    thread of the driver is inherited, and the CWD and ``sys.path`` are the
    driver's), on first use, and kept for the whole run so that each builds
    its components once. Each worker runs one task at a time; the driver
    knows which, so a worker that dies costs exactly that task one retry.

    Args:
        workers: How many worker processes.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._context = multiprocessing.get_context("spawn")
        self._pool: list[_Worker] = []

    @property
    def description(self) -> dict[str, Any]:
        """``{"kind": "process", "workers": N}``."""
        return {"kind": "process", "workers": self.workers}

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main, args=(theirs,), name="harness-worker", daemon=True
        )
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def start(self) -> None:
        """Start all workers (each imports harness while the driver goes on)."""
        while len(self._pool) < self.workers:
            self._pool.append(self._start())

    def map(
        self,
        fn: TaskFn[TaskT, ResultT],
        tasks: Sequence[TaskT],
        local: Workspace,
        placement: Sequence[Component] | None = None,
    ) -> Iterator[tuple[int, ResultT | TaskFailure]]:
        """Run the tasks on the pool, yielding each result as it arrives."""
        state = _Attempts(tasks)
        done = False
        try:
            while len(self._pool) < min(self.workers, len(tasks)):
                self._pool.append(self._start())
            while state.todo or any(worker.task is not None for worker in self._pool):
                for worker in self._pool:
                    if worker.task is None and state.todo:
                        if not worker.process.is_alive():  # died after its last answer
                            self._replace(worker)
                        worker.task = state.todo.popleft()
                        worker.conn.send((fn, tasks[worker.task]))
                busy = [worker for worker in self._pool if worker.task is not None]
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
                for worker in busy:
                    if worker.conn not in ready and worker.process.sentinel not in ready:
                        continue
                    index = worker.task
                    assert index is not None
                    try:
                        status, value = worker.conn.recv()
                    except (EOFError, OSError):
                        failure = state.died(index, self._replace(worker))
                        if failure is not None:
                            yield index, failure
                        continue
                    worker.task = None
                    if status == "raised":
                        assert isinstance(value, _Raised)
                        raise value.error()
                    yield index, value
            done = True
        finally:
            if not done:
                # Stopped early (Ctrl-C, SIGTERM, an error, the caller gave up):
                # the tasks in flight are abandoned with their workers.
                self.close()

    def _replace(self, worker: _Worker) -> str:
        """Reap a dead worker, start another in its place; how the dead one ended."""
        worker.process.join(_STOP_GRACE_S)
        if worker.process.is_alive():  # the pipe broke but the process lingers
            worker.process.kill()
            worker.process.join(_STOP_GRACE_S)
        reason = death_reason(worker.process.exitcode)
        worker.conn.close()
        fresh = self._start()
        worker.process, worker.conn, worker.task = fresh.process, fresh.conn, None
        return reason

    def close(self) -> None:
        """Stop every worker: ask idle ones to end, SIGTERM busy ones, kill stragglers."""
        pool, self._pool = self._pool, []
        for worker in pool:
            try:
                if worker.task is None:
                    worker.conn.send(None)
                else:
                    worker.process.terminate()
            except (OSError, ValueError):
                worker.process.terminate()
        for worker in pool:
            worker.process.join(_STOP_GRACE_S)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(_STOP_GRACE_S)
            worker.conn.close()


def check_shippable(components: Sequence[Component]) -> None:
    """Every component can be sent to a worker (its config pickles).

    Raises:
        ConfigError: Naming the first component that cannot be sent.
    """
    for component in components:
        if component.config is None:
            raise ConfigError(
                f"{component.where}: this component was built in the driver and has no "
                "config, so worker processes cannot build it",
                hint="use executor: {kind: local} for components built in Python code",
            )
        try:
            pickle.dumps(component)
        except Exception as error:
            raise ConfigError(
                f"{component.where}: its params cannot be sent to worker processes "
                f"({type(error).__name__}: {error})",
                hint="give params that are plain data (strings, numbers, lists, mappings), "
                "or use executor: {kind: local}",
            ) from None


ExecutorKind = Literal["local", "process", "ray"]


def make_executor(config: ExecutorConfig, where: str) -> Executor:
    """The executor a run config asks for.

    Args:
        config: The ``executor`` section.
        where: The config file, for errors.

    Raises:
        MissingDependencyError: ``ray`` is asked for and not installed.
        ConfigError: The Ray cluster at ``address`` cannot be reached.
    """
    workers = config.workers or available_cores()
    if config.kind == "process":
        return ProcessExecutor(workers)
    if config.kind == "ray":
        from harness.executor_ray import RayExecutor

        return RayExecutor(workers, config.address, where=where)
    return LocalExecutor()


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
