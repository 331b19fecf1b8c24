"""The error tree: every user mistake raises a `HarnessError` subclass.

The CLI prints a `HarnessError` as one readable message (no traceback) and
exits with status 2. Messages say where (file, line/row, field), what was
expected, what was found, and how to fix it.

```
HarnessError
├── ConfigError      bad YAML, unknown key, wrong type, unknown component name
├── BenchmarkError   unreadable data file, missing column, duplicate id, ...
├── BackendError     a summarizer could not be built or failed as a whole
├── MetricError      a metric could not be built or failed as a whole
│   └── TextError    the shared text analysis (harness.text: spaCy pipeline) cannot run
├── StoreError       a run directory or cache that cannot be read or written
└── MissingDependencyError  an optional package is not installed (names the pip command)
```
"""

from __future__ import annotations


class HarnessError(Exception):
    """Base class of all errors caused by user input or environment.

    Args:
        message: What went wrong, with the location (file, line, field).
        hint: How to fix it; printed on its own line.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def at(self, where: str) -> HarnessError:
        """This error, its message starting with ``where`` (a config key) once.

        >>> str(ConfigError("model not found").at("c.yaml:4: systems[0]"))
        'c.yaml:4: systems[0]: model not found'
        """
        if not self.message.startswith(where):
            self.message = f"{where}: {self.message}"
            self.args = (self.message,)
        return self

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class ConfigError(HarnessError):
    """The run configuration is invalid."""


class BenchmarkError(HarnessError):
    """Benchmark data cannot be loaded as configured."""


class BackendError(HarnessError):
    """A summarizer backend cannot be built, or failed for a whole batch."""


class MetricError(HarnessError):
    """A metric cannot be built, or failed for a whole batch."""


class TextError(MetricError):
    """The shared text analysis (`harness.text`) cannot run, e.g. its spaCy pipeline.

    A `MetricError`: the metrics are what run text analysis, so every place
    that handles a failed metric handles this too.
    """


class StoreError(HarnessError):
    """A run directory or the cache cannot be read or written."""


class MissingDependencyError(HarnessError):
    """An optional dependency is not installed.

    Args:
        package: The importable module that is missing.
        install: The exact command that installs it.
        purpose: What needs it (e.g. "the hf benchmark format").
    """

    def __init__(self, package: str, install: str, purpose: str) -> None:
        super().__init__(
            f"{purpose} needs the Python package {package!r}, which is not installed",
            hint=f"install it with: {install}",
        )
        self.package = package
        self.install = install


__all__ = [
    "BackendError",
    "BenchmarkError",
    "ConfigError",
    "HarnessError",
    "MetricError",
    "MissingDependencyError",
    "StoreError",
    "TextError",
]
