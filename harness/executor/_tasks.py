"""What the worker pools share: a task's outcome as plain data, and each task's attempts.

Exceptions do not always unpickle, so a task that raises sends back a
`_Raised` record instead; the driver turns it back into the exception.
"""

from __future__ import annotations

import importlib
import traceback
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic

from harness.errors import HarnessError
from harness.executor.protocol import TaskFailure, TaskFn, TaskT, WorkerError
from harness.executor.workspace import Component, Workspace

#: How many times a task runs at most when the worker running it dies.
ATTEMPTS = 2


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


def prepare_components(workspace: Workspace, components: Sequence[Component]) -> None:
    """Build each component and call its ``prepare()`` if it has one (in a worker).

    Done as a run generates, so that spaCy pipelines and models load while the
    driver works. An error is left for the first task that builds or uses the
    component: it raises there, naming the component, as it would have.
    """
    for component in components:
        try:
            prepare = getattr(workspace.get(component), "prepare", None)
            if callable(prepare):
                prepare()
        except Exception:  # raised again by the first task that uses it (see above)
            continue


def task_result(answer: tuple[str, Any]) -> Any:
    """In the driver: the result of a `run_task` answer, or its exception raised again."""
    status, value = answer
    if status == "raised":
        assert isinstance(value, _Raised)
        raise value.error()
    return value


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
