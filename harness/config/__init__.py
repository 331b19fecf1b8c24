"""The run configuration: pydantic models (``extra="forbid"``) and `load_config`.

A config is YAML. Relative paths inside it resolve against the current
working directory first and, if nothing exists there, against the directory
of the config file. Every validation problem becomes one `ConfigError` that
names the config file, the line and the dotted key: a duplicate key (which
YAML would quietly resolve to its last value) gives both lines, an unknown
key a "did you mean", and numbers are strict (``seed: true`` is not 1).

The package: `models` (the pydantic models), `yaml_lines` (YAML with the
line of every key), `overrides` (``--set``), `messages` (one readable
message per validation problem); this module loads a config through them.
Every public name is importable from ``harness.config``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.config.messages import KeyLines, validation_message
from harness.config.models import (
    BenchmarkConfig,
    BenchmarkFormat,
    ExecutorConfig,
    FieldMap,
    GateRule,
    MetaEvalConfig,
    MetricConfig,
    ReportConfig,
    RunConfig,
    StatsConfig,
    SystemConfig,
)
from harness.config.overrides import apply_overrides
from harness.config.yaml_lines import read_yaml, read_yaml_lines
from harness.errors import ConfigError


def parse_config(data: dict[str, Any], origin: str, lines: KeyLines | None = None) -> RunConfig:
    """Validate a config mapping; ``origin`` (and ``lines``, if known) locate errors."""
    try:
        config = RunConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(validation_message(error, origin, lines=lines, model=RunConfig)) from None
    return config.with_lines(lines)


def load_config(path: str | Path, overrides: list[str] | None = None) -> RunConfig:
    """Load, override and validate a run config.

    Args:
        path: YAML file.
        overrides: ``key=value`` strings, as given to ``--set``.

    Raises:
        ConfigError: The file is missing, not YAML, gives a key twice, or
            does not validate (names file, line and key).
    """
    config_path = Path(path)
    data, lines = read_yaml_lines(config_path)
    data = apply_overrides(data, overrides or [], str(config_path), lines)
    config = parse_config(data, str(config_path), lines)
    return _resolve_paths(config, config_path.parent)


def resolve_path(value: str, base: Path) -> Path:
    """Resolve a config path against the CWD, then against ``base`` (the config's folder)."""
    candidate = Path(value).expanduser()
    if candidate.is_absolute() or candidate.exists():
        return candidate
    beside = base / candidate
    return beside if beside.exists() else candidate


def _resolve_paths(config: RunConfig, base: Path) -> RunConfig:
    bench = config.benchmark
    if bench.path:
        bench = bench.model_copy(update={"path": str(resolve_path(bench.path, base))})
    return config.model_copy(update={"benchmark": bench})


__all__ = [
    "BenchmarkConfig",
    "BenchmarkFormat",
    "ExecutorConfig",
    "FieldMap",
    "GateRule",
    "KeyLines",
    "MetaEvalConfig",
    "MetricConfig",
    "ReportConfig",
    "RunConfig",
    "StatsConfig",
    "SystemConfig",
    "apply_overrides",
    "load_config",
    "parse_config",
    "read_yaml",
    "read_yaml_lines",
    "resolve_path",
    "validation_message",
]
