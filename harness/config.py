"""The run configuration: pydantic models (``extra="forbid"``) and `load_config`.

A config is YAML. Relative paths inside it resolve against the current
working directory first and, if nothing exists there, against the directory
of the config file. Every validation problem becomes one `ConfigError` that
names the config file and the dotted key.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from harness.errors import ConfigError

BenchmarkFormat = Literal["jsonl", "json", "csv", "parquet", "hf", "briefs", "builtin"]

_SUFFIX_FORMATS: dict[str, BenchmarkFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".txt": "briefs",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldMap(_Strict):
    """Which record field feeds which `Example` attribute.

    ``id: null`` numbers the records (1-based row number) instead.
    ``reference`` may name one field or a list of fields; a field holding a
    list of strings yields several references.
    """

    id: str | None = "id"
    source: str = "source"
    reference: str | list[str] | None = None
    summary: str | None = None
    label: str | None = None


class BenchmarkConfig(_Strict):
    """Where examples come from. Exactly one of ``path``, ``hf``, ``builtin``."""

    path: str | None = None
    hf: str | None = None
    builtin: str | None = None
    format: BenchmarkFormat | None = None
    name: str | None = None
    split: str | None = None
    revision: str | None = None
    fields: FieldMap = Field(default_factory=FieldMap)
    limit: int | None = Field(default=None, ge=1)
    sample: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_source(self) -> BenchmarkConfig:
        given = [k for k in ("path", "hf", "builtin") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'path', 'hf' or 'builtin' "
                f"(got {', '.join(given) if given else 'none'})"
            )
        return self

    def resolved_format(self) -> BenchmarkFormat:
        """The explicit ``format``, else the one implied by hf/builtin/the path suffix."""
        if self.format:
            return self.format
        if self.hf:
            return "hf"
        if self.builtin:
            return "builtin"
        assert self.path is not None
        suffix = Path(self.path).suffix.lower()
        if suffix in _SUFFIX_FORMATS:
            return _SUFFIX_FORMATS[suffix]
        raise ConfigError(
            f"benchmark.path: cannot tell the format of {self.path!r} from its suffix",
            hint="set benchmark.format to one of: jsonl, json, csv, parquet, briefs",
        )


class SystemConfig(_Strict):
    """One summarizer to evaluate: a unique name, a backend and its params."""

    name: str = Field(min_length=1)
    backend: str
    params: dict[str, Any] = Field(default_factory=dict)
    batch_size: int = Field(default=16, ge=1)


class MetricConfig(_Strict):
    """One metric and its params. A bare string in ``metrics`` means no params."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class StatsConfig(_Strict):
    """Settings for confidence intervals and paired tests."""

    resamples: int = Field(default=1000, ge=100)
    confidence: float = Field(default=0.95, gt=0, lt=1)
    alpha: float = Field(default=0.05, gt=0, lt=1)


class GateRule(_Strict):
    """One regression rule for ``harness check`` on one metric value.

    A candidate fails the rule when its mean is worse than the baseline's by
    more than ``max_drop`` (absolute) or ``max_relative_drop`` (a fraction of
    the baseline mean); with ``significant_at`` set, a drop fails only when
    the paired test also finds it significant at that level. "Worse" follows
    the value's direction (higher or lower is better).
    """

    value: str = Field(min_length=3)
    systems: list[str] | None = None
    max_drop: float | None = Field(default=None, ge=0)
    max_relative_drop: float | None = Field(default=None, ge=0)
    significant_at: float | None = Field(default=None, gt=0, lt=1)

    @model_validator(mode="after")
    def _has_criterion(self) -> GateRule:
        if self.max_drop is None and self.max_relative_drop is None and self.significant_at is None:
            raise ValueError("give at least one of max_drop, max_relative_drop, significant_at")
        return self


class MetaEvalConfig(_Strict):
    """How to meta-evaluate metric values against the benchmark's human labels.

    Attributes:
        split_field: Metadata field holding each example's split.
        dev_split: Value of ``split_field`` whose examples choose decision
            thresholds; the other examples report balanced accuracy.
    """

    split_field: str = "split"
    dev_split: str | None = None


class RunConfig(_Strict):
    """A whole run. See the README's config reference."""

    name: str = Field(min_length=1)
    benchmark: BenchmarkConfig
    systems: list[SystemConfig] = Field(min_length=1)
    metrics: list[MetricConfig] = Field(min_length=1)
    out: str | None = None
    seed: int = 0
    cache: str | Literal[False] | None = None
    stats: StatsConfig = Field(default_factory=StatsConfig)
    baseline: str | None = None
    gate: list[GateRule] = Field(default_factory=list)
    meta_eval: MetaEvalConfig = Field(default_factory=MetaEvalConfig)

    @field_validator("metrics", mode="before")
    @classmethod
    def _bare_metric_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _unique_names(self) -> RunConfig:
        for label, names in (
            ("systems", [s.name for s in self.systems]),
            ("metrics", [m.name for m in self.metrics]),
        ):
            seen: set[str] = set()
            for index, item in enumerate(names):
                if item in seen:
                    raise ValueError(f"{label}[{index}]: name {item!r} is used twice")
                seen.add(item)
        system_names = [s.name for s in self.systems]
        if self.baseline is not None and self.baseline not in system_names:
            raise ValueError(
                f"baseline: {self.baseline!r} is not a system name "
                f"(systems: {', '.join(system_names)})"
            )
        return self

    def baseline_system(self) -> str:
        """The system others are compared with: ``baseline`` or the first system."""
        return self.baseline or self.systems[0].name

    def out_dir(self) -> Path:
        """The run directory: ``out`` or ``reports/<name>``."""
        return Path(self.out) if self.out else Path("reports") / self.name

    def cache_path(self) -> Path | None:
        """The SQLite cache file; ``cache: off`` (or ``false``) disables caching."""
        if self.cache is False or self.cache in ("off", "none", "false"):
            return None
        base = self.cache or os.environ.get("HARNESS_CACHE_DIR")
        root = Path(base).expanduser() if base else Path.home() / ".cache" / "harness"
        return root / "cache.sqlite"


def _format_location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def validation_message(error: ValidationError, origin: str) -> str:
    """One line per problem: ``origin: dotted.key: message (got value)``."""
    lines = []
    for item in error.errors():
        where = _format_location(tuple(item["loc"]))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see the README's config reference)"
        got = item.get("input")
        shown = "" if item["type"] in ("missing", "extra_forbidden") else f" (got {got!r})"
        if isinstance(got, dict):
            shown = ""
        lines.append(f"{origin}: {where}: {message}{shown}")
    return "\n".join(lines)


def _set_dotted(data: dict[str, Any], dotted: str, value: Any, origin: str) -> None:
    parts = dotted.split(".")
    node: Any = data
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ConfigError(
                    f"{origin}: --set {dotted}: {part!r} is not an index of a list "
                    f"of {len(node)} items"
                )
            if last:
                node[int(part)] = value
            else:
                node = node[int(part)]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
        else:
            raise ConfigError(
                f"{origin}: --set {dotted}: {'.'.join(parts[:index])} is not a mapping"
            )


def apply_overrides(data: dict[str, Any], overrides: list[str], origin: str) -> dict[str, Any]:
    """Apply ``key.sub=value`` overrides; the value is parsed as YAML.

    >>> apply_overrides({"seed": 0}, ["seed=3", "benchmark.limit=5"], "c.yaml")
    {'seed': 3, 'benchmark': {'limit': 5}}
    """
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(
                f"--set {item!r}: expected key=value", hint="e.g. --set benchmark.limit=10"
            )
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError as error:
            raise ConfigError(f"--set {item!r}: value is not valid YAML: {error}") from None
        _set_dotted(data, key.strip(), value, origin)
    return data


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping, raising `ConfigError` with file and line on failure."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {error.start})", hint="save the file as UTF-8"
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: expected a YAML mapping at the top level, got {type(data).__name__}",
            hint="start from configs/quickstart.yaml",
        )
    return data


def parse_config(data: dict[str, Any], origin: str) -> RunConfig:
    """Validate a config mapping; ``origin`` names it in errors."""
    try:
        return RunConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(validation_message(error, origin)) from None


def load_config(path: str | Path, overrides: list[str] | None = None) -> RunConfig:
    """Load, override and validate a run config.

    Args:
        path: YAML file.
        overrides: ``key=value`` strings, as given to ``--set``.

    Raises:
        ConfigError: The file is missing, not YAML, or does not validate.
    """
    config_path = Path(path)
    data = apply_overrides(read_yaml(config_path), overrides or [], str(config_path))
    config = parse_config(data, str(config_path))
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
    "FieldMap",
    "GateRule",
    "MetaEvalConfig",
    "MetricConfig",
    "RunConfig",
    "StatsConfig",
    "SystemConfig",
    "apply_overrides",
    "load_config",
    "parse_config",
    "read_yaml",
    "resolve_path",
    "validation_message",
]
