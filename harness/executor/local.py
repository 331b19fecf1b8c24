"""The ``local`` executor: tasks one after another in the driver."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from harness.executor.protocol import ResultT, TaskFailure, TaskFn, TaskT
from harness.executor.workspace import Component, Workspace


class LocalExecutor:
    """Runs tasks in order, in this process."""

    @property
    def description(self) -> dict[str, Any]:
        """``{"kind": "local", "workers": 1}``."""
        return {"kind": "local", "workers": 1}

    def start(self) -> None:
        """Nothing to start."""

    def prepare(self, components: Sequence[Component]) -> None:
        """Nothing to prepare: the driver's metrics load on their first batch."""

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

    def finish(self) -> None:
        """Nothing to stop."""

    def close(self) -> None:
        """Nothing to stop."""
