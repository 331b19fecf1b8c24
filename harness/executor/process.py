"""The ``process`` executor: a pool of worker processes on this machine."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

from harness.executor._tasks import _Attempts, prepare_components, run_task, task_result
from harness.executor.protocol import ResultT, TaskFailure, TaskFn, TaskT
from harness.executor.workspace import Component, Workspace

#: Seconds a worker gets to end after SIGTERM before it is killed.
_STOP_GRACE_S = 5.0
#: What the tasks after scoring import (the statistics of `harness.aggregate`,
#: matplotlib for the plots, about 0.3 s): a worker imports them the first
#: time it waits longer than `_IDLE_S` for a task, which is between stages,
#: instead of inside the first such task, where the driver would wait for it.
_LATER_MODULES = (
    "harness.meta_eval",
    "harness.stats",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
)
_IDLE_S = 0.05


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
    # Not before its first answer: at start-up the first tasks are on their way.
    warm: list[str] = []
    answered = False
    try:
        while True:
            if warm and not conn.poll(_IDLE_S):
                # Idle between stages (the driver writes a run file and plans
                # the next stage): import what the later tasks need now.
                for name in warm:
                    importlib.import_module(name)
                warm = []
            try:
                message = conn.recv()
            except EOFError:  # the driver is gone
                return
            if message is None:
                break
            if isinstance(message, _Prepare):
                prepare_components(workspace, message.components)
                continue
            fn, task = message
            conn.send(run_task(fn, workspace, task))
            if not answered:
                answered, warm = True, list(_LATER_MODULES)
    except (KeyboardInterrupt, BrokenPipeError):
        return
    # Asked to end after its last answer: nothing of the worker's own is left
    # to clean up, and the interpreter's teardown of what the components
    # loaded (torch, spaCy) takes about a second the driver would wait for.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None: the command was started with it closed (`>&-`)
            stream.flush()
    os._exit(0)


@dataclass(frozen=True)
class _Prepare:
    """The driver's message: build and prepare these components (no answer)."""

    components: tuple[Component, ...]


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

    def prepare(self, components: Sequence[Component]) -> None:
        """Ask every worker to build the components and load their models first."""
        self.start()
        for worker in self._pool:
            worker.conn.send(_Prepare(tuple(components)))

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
                    self._hand_out(worker, fn, tasks, state)
                busy = [worker for worker in self._pool if worker.task is not None]
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
                for worker in busy:
                    if worker.conn not in ready and worker.process.sentinel not in ready:
                        continue
                    index = worker.task
                    assert index is not None
                    try:
                        answer = worker.conn.recv()
                    except (EOFError, OSError):
                        failure = state.died(index, self._replace(worker))
                        if failure is not None:
                            yield index, failure
                        continue
                    worker.task = None
                    # The next task first: the worker computes while the
                    # caller stores this answer.
                    self._hand_out(worker, fn, tasks, state)
                    yield index, task_result(answer)
            done = True
        finally:
            if not done:
                # Stopped early (Ctrl-C, SIGTERM, an error, the caller gave up):
                # the tasks in flight are abandoned with their workers.
                self.close()

    def _hand_out(
        self,
        worker: _Worker,
        fn: TaskFn[TaskT, Any],
        tasks: Sequence[TaskT],
        state: _Attempts[TaskT],
    ) -> None:
        """Send an idle worker the next task, if one is left (a dead one is replaced first)."""
        if worker.task is not None or not state.todo:
            return
        if not worker.process.is_alive():  # died after its last answer
            self._replace(worker)
        worker.task = state.todo.popleft()
        worker.conn.send((fn, tasks[worker.task]))

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

    def finish(self) -> None:
        """Stop the workers now (`close`: idle workers end at once when asked)."""
        self.close()

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
