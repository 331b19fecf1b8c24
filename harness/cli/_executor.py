"""The executor flags that ``harness run`` and ``harness score`` share.

``--workers N`` alone asks for a pool of N worker processes, ``--executor``
names the kind and ``--address`` a Ray cluster (implying ``--executor ray``).
Kept free of heavy imports: ``harness --help`` reads these annotations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from harness.config import ExecutorConfig

#: The ``executor.kind`` choices of `harness.config.ExecutorConfig` (a test keeps
#: them equal); spelled out so that ``harness --help`` need not import the config.
ExecutorKind = Literal["local", "process", "ray"]

WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Run batches on N worker processes (executor: process), or N Ray "
        "actors with --executor ray. Results are the same whatever runs them.",
    ),
]
ExecutorOption = Annotated[
    ExecutorKind | None,
    typer.Option("--executor", help="Where batches run: local, process or ray."),
]
AddressOption = Annotated[
    str | None,
    typer.Option(
        "--address",
        help="The Ray cluster (auto, HOST:6379, ray://HOST:10001); implies --executor ray.",
    ),
]


def executor_sets(workers: int | None, kind: str | None, address: str | None) -> list[str]:
    """``--set`` overrides for the executor flags (validated with the config)."""
    if kind is None and address is not None:
        kind = "ray"
    sets = [] if kind is None else [f"executor.kind={kind}"]
    if workers is not None:
        sets.append(f"executor.workers={workers}")
    if address is not None:
        sets.append(f"executor.address={address}")
    return sets


def executor_from_flags(
    workers: int | None, kind: str | None, address: str | None
) -> ExecutorConfig:
    """The executor the flags ask for, where no config names one (``harness score``).

    No flag: in-process. ``--workers`` alone: a process pool.

    Raises:
        ConfigError: The flags contradict each other (``--address`` with a
            kind other than ray).
    """
    from pydantic import ValidationError

    from harness.config import ExecutorConfig
    from harness.errors import ConfigError

    if kind is None:
        kind = "ray" if address is not None else "process" if workers is not None else "local"
    try:
        return ExecutorConfig.model_validate({"kind": kind, "workers": workers, "address": address})
    except ValidationError as error:
        reason = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
        raise ConfigError(
            f"--executor/--workers/--address: {reason}",
            hint="--address is for --executor ray; leave it out for local or process",
        ) from None
