"""Metrics: the protocol, the registry, and the built-in metrics.

Importing this package registers: ``rouge``, ``fragments``, ``length``,
``numbers``, ``entities``, ``consistency``.
"""

from harness.metric import (
    consistency,  # after numbers and entities, which it builds on
    entities,
    fragments,
    length,
    numbers,
    rouge,
)
from harness.metric._protocol import (
    METRICS,
    Metric,
    MetricEntry,
    MetricInput,
    MetricResult,
    Requirement,
    ValueSpec,
    build_metric,
    metric,
)

__all__ = [
    "METRICS",
    "Metric",
    "MetricEntry",
    "MetricInput",
    "MetricResult",
    "Requirement",
    "ValueSpec",
    "build_metric",
    "consistency",
    "entities",
    "fragments",
    "length",
    "metric",
    "numbers",
    "rouge",
]
