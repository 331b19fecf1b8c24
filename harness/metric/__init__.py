"""Metrics: the protocol, the registry, and the built-in metrics.

Importing this package registers: ``rouge``, ``fragments``, ``length``.
"""

from harness.metric import fragments, length, rouge
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
    "fragments",
    "length",
    "metric",
    "rouge",
]
