"""The ``ray`` executor: batches run on Ray actors (``executor: {kind: ray}``).

Each of ``workers`` actors holds a `harness.executor.Workspace`, so it builds
each component once, like a worker process. With an ``address`` the driver
joins an existing cluster (``auto`` from a node of it, ``HOST:PORT`` of the
head's GCS, or ``ray://HOST:10001`` through Ray Client); without one it starts
a local Ray on 127.0.0.1 and stops it at the end of the run. The cache and the
run directory stay on the driver: actors only return plain data. An actor
that dies is replaced and the calls on their way to it run again; the death
counts against a batch only when it was the actor's one call on its way
(`harness.executor._actor_calls`).

A system whose config says ``resources: {num_gpus: G}`` has its batches run
on an actor of its own that holds G GPUs (one actor per such system, so its
model loads once, on one GPU); Ray places it on a node that has them. A
cluster with fewer GPUs than that is a `ConfigError` naming the system, not a
run that waits forever.

``ray`` is imported here only, when this executor is asked for (``pip
install 'harness[ray]'``); every node needs harness and the extras its
components use installed.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from harness.errors import ConfigError, MissingDependencyError
from harness.executor._actor_calls import ActorCalls
from harness.executor._tasks import _Attempts, prepare_components, run_task, task_result
from harness.executor.factory import available_cores
from harness.executor.protocol import TaskFailure, TaskFn, TaskT
from harness.executor.workspace import Component, Workspace

_CONNECT_TIMEOUT_S = 3.0
#: Calls on their way to each actor at once (it runs them one by one, in order);
#: a task that was on its way to an actor that died runs alone (`ActorCalls`).
_DEPTH = 2


class RayWorker:
    """A Ray actor's state: one workspace, and `run_task` on it."""

    def __init__(self) -> None:
        # The runner's task functions, imported as the actor starts: while the
        # driver still loads the benchmark (as a worker process does).
        importlib.import_module("harness.runner")
        self.workspace = Workspace()

    def prepare(self, components: Sequence[Component]) -> None:
        """Build the components and load their models (see `prepare_components`)."""
        prepare_components(self.workspace, components)

    def run(self, fn: TaskFn[Any, Any], task: Any) -> tuple[str, Any]:
        """Run one task (see `harness.executor.run_task`)."""
        return run_task(fn, self.workspace, task)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise MissingDependencyError(
            "ray", "pip install 'harness[ray]'", "executor: {kind: ray}"
        ) from None
    return ray


def _host_port(address: str) -> tuple[str, int] | None:
    """``(host, port)`` of ``HOST:PORT`` or ``ray://HOST:PORT``; None for ``auto``/others."""
    if address in ("auto", "local"):
        return None
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        return None
    if parts.hostname is None or port is None:
        return None
    return parts.hostname, port


def _unreachable(where: str, address: str, why: str) -> ConfigError:
    return ConfigError(
        f"{where}: executor.address: cannot reach a Ray cluster at {address!r} ({why})",
        hint="start the cluster (`ray start --head` on the head node) and give its address "
        "(`auto` on a node of it, HOST:6379, or ray://HOST:10001 for Ray Client), "
        "or leave `address` out to start a local Ray",
    )


def _join(ray: Any, address: str, where: str) -> None:
    """Connect to the cluster at ``address``; a `ConfigError` saying why not."""
    target = _host_port(address)
    if target is not None:
        try:
            socket.create_connection(target, timeout=_CONNECT_TIMEOUT_S).close()
        except OSError as error:
            raise _unreachable(where, address, f"{type(error).__name__}: {error}") from None
    try:
        ray.init(address=address, log_to_driver=False, configure_logging=False)
    except (ConnectionError, RuntimeError, TimeoutError) as error:
        why = f"{type(error).__name__}: {error}"
        if target is None:
            raise _unreachable(where, address, why) from None
        # Something listens there, but Ray would not let the driver in: most
        # often token authentication, which Ray (2.59 on) turns on for a
        # cluster started on this machine, and which a driver joining by
        # HOST:PORT uses only when told to (RAY_AUTH_MODE=token).
        token = (
            "harness sent a token (RAY_AUTH_MODE=token): check that it is the cluster's"
            if os.environ.get("RAY_AUTH_MODE") == "token"
            else "run harness with RAY_AUTH_MODE=token and the cluster's token"
        )
        raise ConfigError(
            f"{where}: executor.address: a Ray cluster answers at {address!r}, but harness "
            f"could not join it ({why})",
            hint=f"if the cluster uses token authentication (Ray's log above says "
            f"'InvalidAuthToken'), {token} (in ~/.ray/auth_token, RAY_AUTH_TOKEN or "
            "RAY_AUTH_TOKEN_PATH; `ray get-auth-token` on the head prints it); or give "
            "`--address auto` on a node of the cluster",
        ) from None


class RayExecutor:
    """Tasks on ``workers`` Ray actors of 1 CPU each.

    Args:
        workers: How many actors; ``None``: the cores of this machine for a
            local Ray, the cluster's CPUs for an existing one.
        address: The cluster; ``None`` starts a local Ray (``num_cpus=workers``).
        where: The config file, for errors.

    Raises:
        MissingDependencyError: ``ray`` is not installed.
        ConfigError: The cluster at ``address`` cannot be reached, or has
            fewer CPUs than ``workers`` actors of 1 CPU need.
    """

    def __init__(self, workers: int | None, address: str | None, *, where: str) -> None:
        self.address = address
        self._ray = ray = _import_ray()
        self._started = False
        self._actors: list[Any] = []
        self._gpu_actors: dict[str, Any] = {}
        self._stopping: threading.Thread | None = None
        if not ray.is_initialized():
            if address is None:
                workers = workers or available_cores()
                ray.init(
                    # "local": a Ray of its own, even when `ray start` left a
                    # cluster running here or RAY_ADDRESS is set (which a plain
                    # ray.init joins, and refuses num_cpus for).
                    address="local",
                    num_cpus=workers,
                    include_dashboard=False,
                    _node_ip_address="127.0.0.1",
                    log_to_driver=False,
                    configure_logging=False,
                )
            else:
                _join(ray, address, where)
            self._started = True
        cpus = float(ray.cluster_resources().get("CPU", 0.0))
        self.workers = workers or max(1, int(cpus))
        if self.workers > cpus:
            self.close()
            most = int(cpus)
            fewer = (
                f"ask for at most {most} worker{'' if most == 1 else 's'} (executor.workers, "
                "or --workers), or leave them out to use every CPU of the cluster; or "
                if most
                else ""
            )
            raise ConfigError(
                f"{where}: executor.workers is {self.workers}, but the Ray cluster has "
                f"{cpus:g} CPU(s): each worker is an actor holding 1 CPU, so "
                f"{self.workers - most} of them would never start and the batches sent "
                "to them would wait forever",
                hint=f"{fewer}add a node with CPUs (ray start --address HEAD:6379 on it)",
            )

    @property
    def description(self) -> dict[str, Any]:
        """``{"kind": "ray", "workers": N, "address": ...}``."""
        return {"kind": "ray", "workers": self.workers, "address": self.address}

    def start(self) -> None:
        """Create the actors now (Ray starts their processes in the background)."""
        while len(self._actors) < self.workers:
            self._actors.append(self._actor(0.0))

    def prepare(self, components: Sequence[Component]) -> None:
        """Have every CPU actor build the components first (Ray runs an actor's calls
        in order, so its tasks come after)."""
        self.start()
        for actor in self._actors:
            actor.prepare.remote(components)

    def _actor(self, num_gpus: float) -> Any:
        # A GPU actor reserves no CPU: the `workers` CPU actors may already
        # hold every core, and it must not wait for one of them to end.
        options = {"num_cpus": 0, "num_gpus": num_gpus} if num_gpus else {"num_cpus": 1}
        return self._ray.remote(**options)(RayWorker).remote()

    def _check_gpus(self, placement: Sequence[Component]) -> None:
        """Every GPU a component asks for exists in the cluster (else Ray waits forever)."""
        wanted = {part.where: part.num_gpus for part in placement if part.num_gpus}
        if not wanted:
            return
        have = float(self._ray.cluster_resources().get("GPU", 0.0))
        for where, num_gpus in wanted.items():
            if num_gpus > have:
                raise ConfigError(
                    f"{where}: resources.num_gpus is {num_gpus:g}, but the Ray cluster has "
                    f"{have:g} GPU(s)",
                    hint="add a GPU node to the cluster (ray start --num-gpus N on it), or "
                    "lower resources.num_gpus (0 runs the system on any actor)",
                )

    def map(
        self,
        fn: TaskFn[TaskT, Any],
        tasks: Sequence[TaskT],
        local: Workspace,
        placement: Sequence[Component] | None = None,
    ) -> Iterator[tuple[int, Any]]:
        """Run the tasks on the actors, yielding each result as it arrives.

        Tasks whose `Component` needs GPUs (``placement``) go to that
        component's own GPU actor; the others to the ``workers`` actors.
        """
        ray = self._ray
        state = _Attempts(tasks)
        gpus = [part.num_gpus for part in placement] if placement else [0.0] * len(tasks)
        done = False
        try:
            if placement:
                self._check_gpus(placement)
            plain = sum(1 for need in gpus if not need)
            while len(self._actors) < min(self.workers, plain):
                self._actors.append(self._actor(0.0))
            # One actor per component that needs GPUs, kept for later stages.
            for position, need in enumerate(gpus):
                if need and placement and placement[position].key not in self._gpu_actors:
                    self._gpu_actors[placement[position].key] = self._actor(need)
            # Each actor has `_DEPTH` calls on their way: the next task waits on
            # the actor while one runs, not for the driver to store an answer.
            slots: deque[tuple[Any, str | None]] = deque()
            for actor in self._actors:
                slots.extend([(actor, None)] * _DEPTH)
            for gpu_key, actor in self._gpu_actors.items():
                slots.extend([(actor, gpu_key)] * _DEPTH)

            def owner(index: int) -> str | None:
                return placement[index].key if placement and gpus[index] else None

            flying: dict[Any, tuple[Any, str | None, int]] = {}
            calls = ActorCalls()
            while state.todo or flying:
                for actor, key in list(slots):
                    if (actor, key) not in slots:  # all its slots went to a suspect
                        continue
                    chosen = next(
                        (i for i in state.todo if owner(i) == key and calls.may_take(actor, i)),
                        None,
                    )
                    if chosen is None:
                        continue
                    state.todo.remove(chosen)
                    if calls.sent(actor, chosen):  # alone: no call before or behind it
                        slots = deque(slot for slot in slots if slot[0] is not actor)
                    else:
                        slots.remove((actor, key))
                    flying[actor.run.remote(fn, tasks[chosen])] = (actor, key, chosen)
                [ready], _ = ray.wait(list(flying), num_returns=1)
                actor, key, index = flying.pop(ready)
                try:
                    answer = ray.get(ready)
                except ray.exceptions.RayActorError as error:
                    first, charged = calls.died(actor, index)
                    if first:
                        slots = deque(slot for slot in slots if slot[0] is not actor)
                        slots.extend([(self._replace(actor, key, gpus[index]), key)] * _DEPTH)
                    if not charged:
                        state.todo.appendleft(index)  # again, uncounted (see ActorCalls)
                        continue
                    reason = f"the Ray actor died ({type(error).__name__})"
                    failure: TaskFailure | None = state.died(index, reason)
                    if failure is not None:
                        calls.settled(index)
                        yield index, failure
                    continue
                freed = _DEPTH if calls.answered(actor, index) else 1
                if not calls.is_dead(actor):  # an answer can come after the news of its death
                    slots.extend([(actor, key)] * freed)
                yield index, task_result(answer)
            done = True
        finally:
            if not done:
                self.close()

    def _replace(self, dead: Any, key: str | None, num_gpus: float) -> Any:
        """A fresh actor in the place of one that died."""
        fresh = self._actor(num_gpus)
        if key is None:
            self._actors[self._actors.index(dead)] = fresh
        else:
            self._gpu_actors[key] = fresh
        return fresh

    def finish(self) -> None:
        """Kill the actors, and stop the local Ray this executor started in a thread.

        Stopping a local Ray waits about a second for its processes to end
        (raylet, GCS, ...); the driver writes the report page meanwhile.
        `close` waits for the thread.
        """
        self._kill_actors()
        if self._started and self._stopping is None:
            self._started = False
            self._stopping = threading.Thread(
                target=self._ray.shutdown, name="harness-ray-shutdown"
            )
            self._stopping.start()

    def _kill_actors(self) -> None:
        actors, self._actors = [*self._actors, *self._gpu_actors.values()], []
        self._gpu_actors = {}
        for actor in actors:
            self._ray.kill(actor)

    def close(self) -> None:
        """Kill the actors; stop Ray if this executor started it (or wait for `finish`'s stop)."""
        self._kill_actors()
        if self._stopping is not None:
            self._stopping.join()
            self._stopping = None
        if self._started:
            self._started = False
            self._ray.shutdown()


__all__ = ["RayExecutor", "RayWorker"]
