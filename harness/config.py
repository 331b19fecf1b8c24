"""The run configuration: pydantic models (``extra="forbid"``) and `load_config`.

A config is YAML. Relative paths inside it resolve against the current
working directory first and, if nothing exists there, against the directory
of the config file. Every validation problem becomes one `ConfigError` that
names the config file, the line and the dotted key: a duplicate key (which
YAML would quietly resolve to its last value) gives both lines, an unknown
key a "did you mean", and numbers are strict (``seed: true`` is not 1).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

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
    limit: StrictInt | None = Field(default=None, ge=1)
    sample: StrictInt | None = Field(default=None, ge=1)

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
    batch_size: StrictInt = Field(default=16, ge=1)


class MetricConfig(_Strict):
    """One metric and its params. A bare string in ``metrics`` means no params."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class StatsConfig(_Strict):
    """Settings for confidence intervals and paired tests."""

    resamples: StrictInt = Field(default=1000, ge=100)
    confidence: float = Field(default=0.95, gt=0, lt=1, strict=True)
    alpha: float = Field(default=0.05, gt=0, lt=1, strict=True)


class GateRule(_Strict):
    """One regression rule for ``harness check``: a metric value rule or a failures rule.

    A value rule (``value`` set) fails a system when its mean is worse than
    the baseline's by more than ``max_drop`` (absolute) or
    ``max_relative_drop`` (a fraction of the baseline mean); with
    ``significant_at`` set, a drop fails only when the paired test also
    finds it significant at that level (a level the test cannot reach with
    the examples at hand spares nothing). "Worse" follows the value's
    direction (higher or lower is better). It also fails when more than
    ``max_new_nulls`` (default 0) examples have the value null in the
    candidate but defined in the baseline (failed generations aside: those
    count as failures).

    A failures rule (no ``value``: only ``max_new_failures`` and optionally
    ``systems``) lets those systems fail that many generations that did not
    fail in the baseline; without one, a system may fail none.
    """

    value: str | None = Field(default=None, min_length=3)
    systems: list[str] | None = None
    max_drop: float | None = Field(default=None, ge=0, strict=True, allow_inf_nan=False)
    max_relative_drop: float | None = Field(default=None, ge=0, strict=True, allow_inf_nan=False)
    significant_at: float | None = Field(default=None, gt=0, lt=1, strict=True, allow_inf_nan=False)
    max_new_nulls: StrictInt | None = Field(default=None, ge=0)
    max_new_failures: StrictInt | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _has_criterion(self) -> GateRule:
        drop = [
            name
            for name in ("max_drop", "max_relative_drop", "significant_at", "max_new_nulls")
            if getattr(self, name) is not None
        ]
        if self.value is None:
            if self.max_new_failures is None:
                raise ValueError(
                    "give `value` (a metric value rule) or `max_new_failures` "
                    "(a failed-generations rule)"
                )
            if drop:
                raise ValueError(f"{', '.join(drop)}: only a rule with a `value` takes these")
            return self
        if self.max_new_failures is not None:
            raise ValueError(
                "max_new_failures is a rule of its own, without `value`: "
                "{max_new_failures: N, systems: [...]}"
            )
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


class ReportConfig(_Strict):
    """What the reports (and ``harness report``) show; every key is optional.

    Names are checked against the run when its reports are rendered (and, by
    `harness.report.choice.check_report_choice`, before a run starts), with a
    "did you mean".

    Attributes:
        values: Which metric values, in this order (default: all).
        systems: Which systems (rows), in this order (default: all).
        labels: Display names of values, systems or metrics
            (``{consistency.score: Faithful, bart: BART-large}``).
        digits: Decimals of every value, or per value (``{rouge.rouge2: 2}``;
            values not named keep the default: 3, and 1 from 100 up).
        ci: Show the CI half-width (``± 0.012``); false shows means only.
        significance: Show the paired comparisons with the baseline (the
            ``*`` marks and the "vs baseline" table).
    """

    values: list[str] | None = Field(default=None, min_length=1)
    systems: list[str] | None = Field(default=None, min_length=1)
    labels: dict[str, str] = Field(default_factory=dict)
    digits: StrictInt | dict[str, StrictInt] | None = None
    ci: StrictBool = True
    significance: StrictBool = True

    @field_validator("digits")
    @classmethod
    def _digits_in_range(cls, value: int | dict[str, int] | None) -> int | dict[str, int] | None:
        given = value.values() if isinstance(value, dict) else [] if value is None else [value]
        if any(not 0 <= digits <= 10 for digits in given):
            raise ValueError("digits must be between 0 and 10")
        return value


class ExecutorConfig(_Strict):
    """Where batches run (`harness.executor`); results do not depend on it.

    Attributes:
        kind: ``local`` (in-process), ``process`` (a pool of worker processes
            on this machine) or ``ray`` (a Ray cluster).
        workers: How many workers; default: the cores available.
        address: ``ray`` only: the cluster (``auto``, ``HOST:PORT``,
            ``ray://HOST:10001``); none starts a local Ray.
    """

    kind: Literal["local", "process", "ray"] = "local"
    workers: StrictInt | None = Field(default=None, ge=1)
    address: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _address_is_for_ray(self) -> ExecutorConfig:
        if self.address is not None and self.kind != "ray":
            raise ValueError(f"address is for kind: ray (kind is {self.kind!r})")
        return self


class RunConfig(_Strict):
    """A whole run. See the README's config reference."""

    name: str = Field(min_length=1)
    benchmark: BenchmarkConfig
    systems: list[SystemConfig] = Field(min_length=1)
    metrics: list[MetricConfig] = Field(min_length=1)
    out: str | None = None
    seed: StrictInt = 0
    cache: str | Literal[False] | None = None
    stats: StatsConfig = Field(default_factory=StatsConfig)
    baseline: str | None = None
    gate: list[GateRule] = Field(default_factory=list)
    meta_eval: MetaEvalConfig = Field(default_factory=MetaEvalConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    executor: ExecutorConfig = Field(default_factory=ExecutorConfig)

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


Loc = tuple[int | str, ...]


class KeyLines:
    """Where each key and list item of a YAML config is: its 1-based line.

    Locations are pydantic-style tuples (``("systems", 0, "params")``). An
    error at a location without a line of its own (a default, a key only
    its validator adds) is reported at the closest enclosing one; keys
    changed by ``--set`` have no line.

    >>> lines = KeyLines({("systems",): 3, ("systems", 0): 4})
    >>> lines.line_of(("systems", 0, "name")), lines.line_of(("seed",))
    (4, None)
    """

    def __init__(self, lines: dict[Loc, int] | None = None) -> None:
        self.lines: dict[Loc, int] = dict(lines or {})
        self.overridden: set[Loc] = set()

    def is_overridden(self, loc: Loc) -> bool:
        """Whether ``--set`` gave ``loc`` (or a location enclosing it) its value."""
        return any(loc[: len(prefix)] == prefix for prefix in self.overridden)

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc`` or of its closest enclosing location; None if unknown."""
        if self.is_overridden(loc):
            return None
        for end in range(len(loc), 0, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return None

    def override(self, loc: Loc) -> None:
        """Forget the lines under ``loc``: its value now comes from ``--set``."""
        self.overridden.add(loc)


def _format_location(loc: Loc) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``list[M]``, ``M | None``, ...), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model whose fields are the keys at ``loc`` (None past a plain mapping)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue  # a list index: the list's item model was found with the field
        field = current.model_fields.get(part)
        current = None if field is None else _model_in(field.annotation)
    return current


def _unknown_key(loc: Loc, model: type[BaseModel] | None) -> str:
    """The message for an unknown key, with a suggestion or the keys allowed there."""
    parent = None if model is None else _model_at(model, loc[:-1])
    if parent is None or not loc:
        return "unknown key (check the spelling; see the README's config reference)"
    keys = list(parent.model_fields)
    close = difflib.get_close_matches(str(loc[-1]), keys, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean {close[0]!r}?"
    return f"unknown key; the keys allowed here are: {', '.join(keys)}"


def validation_message(
    error: ValidationError,
    origin: str,
    *,
    lines: KeyLines | None = None,
    model: type[BaseModel] | None = None,
) -> str:
    """One line per problem: ``origin:LINE: dotted.key: message (got value)``.

    Args:
        error: The pydantic error.
        origin: The config file (or ``file: systems[0].params``) named first.
        lines: Where each key is in the file; without it (or for a key that
            ``--set`` changed) the line is left out.
        model: The model that was validated, so that an unknown key gets a
            "did you mean" from the keys allowed in its place.
    """
    out = []
    for item in error.errors():
        loc = tuple(item["loc"])
        where = _format_location(loc)
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = _unknown_key(loc, model)
        got = item.get("input")
        shown = "" if item["type"] in ("missing", "extra_forbidden") else f" (got {got!r})"
        if isinstance(got, dict):
            shown = ""
        elif isinstance(got, bool) and shown:
            shown = f" (got {str(got).lower()}, a boolean)"
        line = None if lines is None else lines.line_of(loc)
        at = f"{origin}:{line}" if line is not None else origin
        if lines is not None and lines.is_overridden(loc):
            where += " (from --set)"
        out.append(f"{at}: {where}: {message}{shown}")
    return "\n".join(out)


def _override_loc(dotted: str) -> Loc:
    return tuple(int(part) if part.isdigit() else part for part in dotted.split("."))


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


def apply_overrides(
    data: dict[str, Any], overrides: list[str], origin: str, lines: KeyLines | None = None
) -> dict[str, Any]:
    """Apply ``key.sub=value`` overrides; the value is parsed as YAML.

    ``lines``, when given, forgets the file's lines of the keys overridden.

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
        if lines is not None:
            lines.override(_override_loc(key.strip()))
    return data


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _mapping_keys(
    node: yaml.MappingNode, loc: Loc, origin: str
) -> Iterator[tuple[Loc, yaml.Node, int]]:
    """(location, value node, line) of each key; `ConfigError` on a key given twice."""
    first: dict[tuple[str, str], int] = {}
    for key_node, value_node in node.value:
        # Complex keys (a mapping as key) name nothing in a config; merges (<<) are no keys.
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
            continue
        line = key_node.start_mark.line + 1
        ident = (key_node.tag, key_node.value)
        inner = (*loc, key_node.value)
        if ident in first:
            raise ConfigError(
                f"{origin}:{line}: {_format_location(inner)}: duplicate key "
                f"(first given on line {first[ident]}, again on line {line}); "
                "YAML would silently keep only the last value",
                hint="remove one of the two, or merge them into one",
            )
        first[ident] = line
        yield inner, value_node, line


def _key_lines(node: yaml.Node, origin: str) -> KeyLines:
    """Walk a composed YAML document: the line of every key and list item.

    Raises:
        ConfigError: A mapping gives the same key twice (names both lines).
    """
    lines = KeyLines()
    pending: list[tuple[yaml.Node, Loc, int]] = [(node, (), 0)]
    while pending:
        current, loc, depth = pending.pop()
        if depth > 64:  # an alias cycle (&a [*a]); nothing a config needs
            continue
        if isinstance(current, yaml.MappingNode):
            for inner, value_node, line in _mapping_keys(current, loc, origin):
                lines.lines.setdefault(inner, line)
                pending.append((value_node, inner, depth + 1))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                lines.lines.setdefault((*loc, index), item.start_mark.line + 1)
                pending.append((item, (*loc, index), depth + 1))
    return lines


def _not_utf8(path: Path, data: bytes, error: UnicodeDecodeError) -> ConfigError:
    line = data.count(b"\n", 0, error.start) + 1
    return ConfigError(
        f"{path}:{line}: not UTF-8 text (byte {data[error.start : error.start + 1]!r} "
        f"at offset {error.start})",
        hint="save the file as UTF-8",
    )


def read_yaml_lines(path: Path) -> tuple[dict[str, Any], KeyLines]:
    """Read a YAML mapping and the line of each key.

    Raises:
        ConfigError: The file is missing, not UTF-8, not YAML, gives a key
            twice, or is not a mapping (names file and line).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_utf8(path, data, error) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines = KeyLines() if node is None else _key_lines(node, str(path))
        value = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"{where}: invalid YAML: {problem}") from None
    finally:
        loader.dispose()
    if not isinstance(value, dict):
        raise ConfigError(
            f"{path}: expected a YAML mapping at the top level, got {type(value).__name__}",
            hint="start from configs/quickstart.yaml",
        )
    return value, lines


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping, raising `ConfigError` with file and line on failure."""
    return read_yaml_lines(path)[0]


def parse_config(data: dict[str, Any], origin: str, lines: KeyLines | None = None) -> RunConfig:
    """Validate a config mapping; ``origin`` (and ``lines``, if known) locate errors."""
    try:
        return RunConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(validation_message(error, origin, lines=lines, model=RunConfig)) from None


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
