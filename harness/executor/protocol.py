"""The `Executor` protocol: tasks in, ``(index, result)`` out, in any order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from harness.executor.workspace import Component, Workspace

TaskT = TypeVar("TaskT")
ResultT = TypeVar("ResultT")


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

    def prepare(self, components: Sequence[Component]) -> None:
        """Have every worker build these components and load their models now.

        A run's metrics, when its generation stage has batches to run: each
        worker prepares them (`prepare_components`) before its next task, so
        that loading overlaps generation instead of opening the score stage.
        ``local`` builds nothing ahead.
        """
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

    def finish(self) -> None:
        """No more tasks will come: let the workers stop without waiting for them.

        The driver goes on with its own work (writing the report page) while
        they stop; `close` still waits for them. No `map` after this.
        """
        ...

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        ...
