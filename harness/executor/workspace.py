"""Components a worker builds once from their configs, and the workspace that holds them.

A component is sent to a worker as its config (`check_shippable`), never as
a built object; the worker's `Workspace` builds it on first use.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass

from harness.backend import BuildContext, Summarizer, build_backend
from harness.config import MetricConfig, SystemConfig
from harness.errors import ConfigError
from harness.metric import Metric, build_metric


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
