"""The executor a run config asks for (`make_executor`)."""

from __future__ import annotations

import os
from typing import Literal

from harness.config import ExecutorConfig
from harness.executor.local import LocalExecutor
from harness.executor.process import ProcessExecutor
from harness.executor.protocol import Executor


def available_cores() -> int:
    """CPU cores this process may use (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


ExecutorKind = Literal["local", "process", "ray"]


def make_executor(config: ExecutorConfig, where: str) -> Executor:
    """The executor a run config asks for.

    Args:
        config: The ``executor`` section.
        where: The config file, for errors.

    Raises:
        MissingDependencyError: ``ray`` is asked for and not installed.
        ConfigError: The Ray cluster at ``address`` cannot be reached, or has
            fewer CPUs than ``workers``.
    """
    if config.kind == "process":
        return ProcessExecutor(config.workers or available_cores())
    if config.kind == "ray":
        from harness.executor.ray import RayExecutor

        # Without `workers`, a cluster's own CPUs (not this machine's cores).
        return RayExecutor(config.workers, config.address, where=where)
    return LocalExecutor()
