"""harness: an evaluation harness for summary quality.

Load article–summary benchmarks, run summarizer backends, score the
summaries, and write comparison reports. See the README for the manual.
"""

from harness.errors import (
    BackendError,
    BenchmarkError,
    ConfigError,
    HarnessError,
    MetricError,
    MissingDependencyError,
    StoreError,
    TextError,
)
from harness.records import Example, Fingerprint, Output, Score

__version__ = "0.1.0"

__all__ = [
    "BackendError",
    "BenchmarkError",
    "ConfigError",
    "Example",
    "Fingerprint",
    "HarnessError",
    "MetricError",
    "MissingDependencyError",
    "Output",
    "Score",
    "StoreError",
    "TextError",
    "__version__",
]
