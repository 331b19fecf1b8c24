"""Metrics: the protocol, the registry, and the built-in metrics.

Importing this package registers: ``rouge``, ``fragments``, ``length``,
``numbers``, ``entities``, ``consistency``, the model-based ``embedding``,
``bertscore``, ``nli``, the LLM-as-judge ``llm_judge``, and ``evaluate``
(the Hugging Face ``evaluate`` adapter, module `hf_evaluate`); their heavy
dependencies are imported only when one is built.
"""

from harness.metric import (
    bertscore,
    consistency,  # after numbers and entities, which it builds on
    embedding,
    entities,
    fragments,
    hf_evaluate,
    length,
    llm_judge,
    nli,
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
    "bertscore",
    "build_metric",
    "consistency",
    "embedding",
    "entities",
    "fragments",
    "hf_evaluate",
    "length",
    "llm_judge",
    "metric",
    "nli",
    "numbers",
    "rouge",
]
