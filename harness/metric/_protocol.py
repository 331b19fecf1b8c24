"""The Metric protocol, the metric registry and `build_metric`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from harness.config import MetricConfig, validation_message
from harness.config.strict_params import check_param_numbers
from harness.errors import ConfigError, HarnessError
from harness.records import Example, Fingerprint
from harness.registry import Registry

Requirement = Literal["source", "reference"]


@dataclass(frozen=True)
class ValueSpec:
    """One value a metric reports (``<metric>.<name>`` in results).

    Attributes:
        name: Short name, e.g. ``"rouge1"``.
        higher_is_better: Direction for "best" marking and gates; ``None``
            for descriptive values (e.g. length) that have no better side.
        description: One line for the README and reports.
    """

    name: str
    higher_is_better: bool | None
    description: str


@dataclass(frozen=True)
class MetricInput:
    """One (example, summary) pair to score. The runner only passes pairs whose
    summary is non-blank and whose required source/references are present."""

    example: Example
    summary: str


@dataclass(frozen=True)
class MetricResult:
    """Values (short name → number or ``None``) and findings for one pair."""

    values: dict[str, float | None]
    findings: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None


class Metric(Protocol):
    """What every metric builds: a fingerprint and a batch ``score``.

    ``score`` returns one `MetricResult` per input, in order, and must be a
    pure function of the inputs and the fingerprint (it is cached on them).

    A metric that runs a torch model may also have a ``runs_on`` string
    attribute (`harness.device`), which the manifest records. A metric that
    loads something on its first batch (a spaCy pipeline, a model) may also
    have a ``prepare()`` method that loads it now: a worker calls it when a
    run generates (`Executor.prepare`), so loading overlaps generation.
    """

    @property
    def fingerprint(self) -> Fingerprint: ...

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]: ...


ParamsT = TypeVar("ParamsT", bound=BaseModel)
MetricFactory = Callable[[Any], Metric]
# What @metric decorates: a metric class or a function, kept as it is.
FactoryT = TypeVar("FactoryT", bound=MetricFactory)


DynamicValues = Callable[[Any], Sequence[ValueSpec]]
DynamicRequires = Callable[[Any], Sequence[Requirement]]


@dataclass(frozen=True)
class MetricEntry:
    """A registered metric: what it reports, what it needs, and its factory.

    Most metrics declare ``values`` and ``requires`` once. A metric whose
    values or requirements depend on its params (the ``evaluate`` adapter
    reports the keys its params name; ``bertscore`` compares with the
    references or the source) also registers ``dynamic_values`` and/or
    ``dynamic_requires``; `for_params` (which `build_metric` calls) then
    returns the entry with ``values``/``requires`` for those params, so code
    that holds a built metric's entry never sees the difference.

    Attributes:
        name: The name configs use.
        factory: Builds the metric from validated params.
        params_model: Pydantic model of the params.
        values: The values it reports (for a dynamic metric: what
            ``harness list`` shows, e.g. a placeholder describing them).
        requires: What a pair must have to be scored (for a dynamic metric:
            the requirement with default params).
        description: One line for ``harness list`` and the README.
        dynamic_values: Validated params → the values reported with them.
        dynamic_requires: Validated params → the requirements with them.
        latin_script: The metric reads text in the Latin script only (its
            tokenizer, number grammar or lexicons are English): a pair whose
            summary, source or references are mostly in another script gets
            ``None`` values with a reason, not the perfect score of a check
            that found nothing it could read.
    """

    name: str
    factory: MetricFactory
    params_model: type[BaseModel]
    values: tuple[ValueSpec, ...]
    requires: frozenset[Requirement]
    description: str
    dynamic_values: DynamicValues | None = None
    dynamic_requires: DynamicRequires | None = None
    latin_script: bool = False

    def value_names(self) -> list[str]:
        """Full value names, e.g. ``["rouge.rouge1", ...]``."""
        return [f"{self.name}.{spec.name}" for spec in self.values]

    def for_params(self, params: BaseModel) -> MetricEntry:
        """This entry with the values and requirements of ``params``.

        Returns ``self`` for a metric with static values and requirements.
        """
        if self.dynamic_values is None and self.dynamic_requires is None:
            return self
        values = self.values if self.dynamic_values is None else self.dynamic_values(params)
        requires = self.requires if self.dynamic_requires is None else self.dynamic_requires(params)
        return replace(self, values=tuple(values), requires=frozenset(requires))


METRICS: Registry[MetricEntry] = Registry("metric")


def metric(
    name: str,
    *,
    params: type[ParamsT],
    values: Sequence[ValueSpec],
    requires: Sequence[Requirement],
    description: str,
    dynamic_values: Callable[[ParamsT], Sequence[ValueSpec]] | None = None,
    dynamic_requires: Callable[[ParamsT], Sequence[Requirement]] | None = None,
    latin_script: bool = False,
) -> Callable[[FactoryT], FactoryT]:
    """Register a metric: decorate its class (or a factory function).

    The decorated callable takes the validated params and returns the
    metric; a metric class whose ``__init__(params)`` does the building is
    its own factory, so most metrics need no ``build_*`` function.

    Args:
        name: The name configs use in ``metrics``.
        params: Pydantic model of the metric's params (``extra="forbid"``).
        values: The values it reports.
        requires: ``"source"`` and/or ``"reference"``; pairs lacking one get
            ``None`` values with a reason instead of being scored.
        description: One line for ``harness list`` and the README.
        dynamic_values: For a metric whose values depend on its params:
            params → values (``values`` is then what ``harness list`` shows).
        dynamic_requires: For a metric whose requirements depend on its
            params: params → requirements (``requires`` is then the
            requirement with default params).
        latin_script: It reads Latin-script text only (see `MetricEntry`).
    """

    def register(factory: FactoryT) -> FactoryT:
        METRICS.add(
            name,
            MetricEntry(
                name,
                factory,
                params,
                tuple(values),
                frozenset(requires),
                description,
                dynamic_values,
                dynamic_requires,
                latin_script,
            ),
        )
        return factory

    return register


def build_metric(config: MetricConfig, where: str) -> tuple[MetricEntry, Metric]:
    """Validate params and build a metric.

    Returns:
        The entry for these params (`MetricEntry.for_params`: the values
        and requirements this configuration reports and needs) and the metric.

    Raises:
        ConfigError: Unknown metric or invalid params.
    """
    entry = METRICS.get(config.name, where=where)
    check_param_numbers(entry.params_model, config.params, where)
    try:
        params = entry.params_model.model_validate(config.params)
    except ValidationError as error:
        raise ConfigError(
            validation_message(error, f"{where}.params", model=entry.params_model)
        ) from None
    try:
        return entry.for_params(params), entry.factory(params)
    except HarnessError as error:  # a model or file the params name: say which metric
        error.at(where)
        raise


__all__ = [
    "METRICS",
    "Metric",
    "MetricEntry",
    "MetricInput",
    "MetricResult",
    "Requirement",
    "ValueSpec",
    "build_metric",
    "metric",
]
