"""harness: an evaluation harness for summary quality.

Load article–summary benchmarks, run summarizer backends, score the
summaries, and write comparison reports. See the README for the manual.

The records (`Example`, `Output`, `Score`, `Fingerprint`) are pydantic models:
they are imported on first use (``harness.Example``), not with the package, so
that ``harness --help`` does not pay for pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from harness.records import Example, Fingerprint, Output, Score

__version__ = "0.1.0"

_RECORDS = ("Example", "Fingerprint", "Output", "Score")


def __getattr__(name: str) -> Any:
    # PEP 562: `from harness import Example` imports harness.records then.
    if name in _RECORDS:
        from harness import records

        return getattr(records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
