"""Components a worker builds once from their configs, and the workspace that holds them.

A component is sent to a worker as its config (`check_shippable`), never as
a built object; the worker's `Workspace` builds it on first use.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.backend import BuildContext, Summarizer, build_backend
from harness.config import MetricConfig, SystemConfig
from harness.errors import BackendError, ConfigError, MetricError
from harness.metric import Metric, build_metric
from harness.plugin_code import component_fingerprint
from harness.records import Fingerprint


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
        self._checked: set[str] = set()

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

    def summarizer(self, component: Component, expected: Fingerprint | None = None) -> Summarizer:
        """The built summarizer of a system component (checked against ``expected``,
        the fingerprint the driver keys its results by: `check_built`)."""
        built = self.get(component)
        assert hasattr(built, "summarize")
        self.check_built(component, expected)
        return built  # type: ignore[return-value]

    def metric(self, component: Component, expected: Fingerprint | None = None) -> Metric:
        """The built metric of a metric component (checked as `summarizer` is)."""
        built = self.get(component)
        assert hasattr(built, "score")
        self.check_built(component, expected)
        return built  # type: ignore[return-value]

    def check_built(self, component: Component, expected: Fingerprint | None) -> None:
        """The component as built here has the fingerprint ``expected`` (once per build).

        The driver keys what a task computes by the fingerprint of the
        component it built itself. A worker builds its own from the config,
        later (when its first task comes, or again after a worker died): if
        a file it hashes was edited in between (the ``python`` backend's
        module, a plugin's code, a local model's files), or differs on the
        worker's machine, the worker computes with other code than the key
        says, and the cache would serve those results as the old code's.

        Raises:
            BackendError: A system built with another fingerprint.
            MetricError: A metric built with another fingerprint.
        """
        if expected is None or component.key in self._checked:
            return
        found = component_fingerprint(self.get(component))  # type: ignore[arg-type]
        if found.digest() != expected.digest():
            system = isinstance(component.config, SystemConfig)
            error = BackendError if system else MetricError
            changed = ", ".join(_differences(expected.model_dump(), found.model_dump())[:3])
            raise error(
                f"{component.where}: a worker built this {'system' if system else 'metric'} "
                f"with another fingerprint than the run started with ({changed}): a file it "
                "hashes (its code, a module it imports, a model's files) was edited after "
                "the run started, or differs where the worker runs; its results would be "
                "cached under a key that does not describe them",
                hint="run again once the files are as they should be (the batches finished "
                "before the change are in the cache); for an `hf` model on a GPU worker, "
                "set `dtype`, which otherwise follows the device",
            )
        self._checked.add(component.key)


def _differences(expected: Any, found: Any, path: str = "") -> list[str]:
    """Where two fingerprints (as dicts) differ, as dotted paths with both values."""
    if isinstance(expected, dict) and isinstance(found, dict):
        return [
            difference
            for key in sorted({*expected, *found}, key=str)
            for difference in _differences(
                expected.get(key), found.get(key), f"{path}.{key}" if path else str(key)
            )
        ]
    if expected == found:
        return []
    return [f"{path or 'fingerprint'}: {_shown(expected)} at the start, {_shown(found)} now"]


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 24 else f"{text[:12]}…{text[-8:]}"


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
