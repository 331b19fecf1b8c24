"""The run config's pydantic models (``extra="forbid"``): benchmark, systems, metrics, ...."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from harness.config.messages import KeyLines, format_location
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
    reference: str | list[str] | None = Field(
        default=None, min_length=1, description="a field name, or a list of field names"
    )
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

    @field_validator("name", "split", "revision")
    @classmethod
    def _hf_only(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Beside a file they were ignored: `split: test` evaluated every row while
        # the manifest recorded the split as "test".
        if value is None or info.data.get("hf") or info.data.get("format") == "hf":
            return value
        hint = ""
        if info.field_name == "split":
            hint = (
                " (a data file is loaded whole: write the split to a file of its own, or "
                "choose thresholds on one split with meta_eval: {split_field: <column>, "
                "dev_split: <value>})"
            )
        raise ValueError(
            f"only a Hugging Face dataset (benchmark.hf, or format: hf) has a "
            f"{info.field_name}, so {value!r} would select nothing; remove it{hint}"
        )

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


class ResourcesConfig(_Strict):
    """What a system's batches need from the machine that runs them.

    Only the ``ray`` executor schedules by it (a Ray actor holding that many
    GPUs generates the system's batches); ``local`` and ``process`` run on
    this machine, where the backend's own ``device`` decides. It says how a
    run is done, not what it computes: no fingerprint or cache key holds it.

    Attributes:
        num_gpus: GPUs per batch (fractions share one GPU).
    """

    num_gpus: float = Field(default=0.0, ge=0, strict=True, allow_inf_nan=False)


class SystemConfig(_Strict):
    """One summarizer to evaluate: a unique name, a backend, its params and resources."""

    name: str = Field(min_length=1)
    backend: str
    params: dict[str, Any] = Field(default_factory=dict)
    batch_size: StrictInt = Field(default=16, ge=1)
    resources: ResourcesConfig = Field(default_factory=ResourcesConfig)


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

    @field_validator("systems")
    @classmethod
    def _names_some_system(cls, value: list[str] | None) -> list[str] | None:
        if value == []:
            # A rule that gates no system is a gate that always passes.
            raise ValueError("an empty list gates no system; leave `systems` out to gate every one")
        twice = [name for index, name in enumerate(value or []) if name in (value or [])[:index]]
        if twice:
            # a value rule would check it twice; a failures rule would collide with itself
            raise ValueError(f"{twice[0]!r} is listed twice; name each system once")
        return value

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

    def in_dev(self, meta: dict[str, Any]) -> bool:
        """Whether an example with metadata ``meta`` is in the dev split. A split
        column of numbers matches as written: ``dev_split: "0"`` takes the value 0.

        >>> config = MetaEvalConfig(dev_split="0")
        >>> config.in_dev({"split": 0}), config.in_dev({"split": 0.0}), config.in_dev({})
        (True, True, False)
        """
        value = meta.get(self.split_field)
        if self.dev_split is None or value is None:
            return False
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a parquet or pandas column of ints with a gap: 1.0 is 1
        return value == self.dev_split or str(value) == self.dev_split


class ReportConfig(_Strict):
    """What the reports (and ``harness report``) show; every key is optional.

    Names are checked against the run when its reports are rendered (and, by
    `harness.config.report_names.check_report_choice`, before a run starts), with a
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
    digits: StrictInt | dict[str, StrictInt] | None = Field(
        default=None, description="an integer, or a mapping of value names to integers"
    )
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
        workers: How many workers; default: the cores available (for ``ray``
            with an ``address``: the cluster's CPUs).
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
    cache: str | Literal[False] | None = Field(
        default=None, description="a cache folder, or off to cache nothing"
    )
    stats: StatsConfig = Field(default_factory=StatsConfig)
    baseline: str | None = None
    gate: list[GateRule] = Field(default_factory=list)
    meta_eval: MetaEvalConfig = Field(default_factory=MetaEvalConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    executor: ExecutorConfig = Field(default_factory=ExecutorConfig)
    #: The line of each key in the config file it was read from (`where`).
    _lines: KeyLines | None = PrivateAttr(default=None)

    @field_validator("name")
    @classmethod
    def _name_stays_in_reports(cls, value: str) -> str:
        # Without `out`, the run directory is reports/<name>: "../x" or "/x" would put
        # it (and the replace-on-rerun of an existing one) outside reports/.
        if Path(value).is_absolute() or ".." in Path(value).parts:
            raise ValueError(
                "a run name may not start with '/' or contain '..' (the run directory "
                "is reports/<name>); to write the run elsewhere, set `out:` to its directory"
            )
        return value

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

    def where(self, origin: str, *loc: int | str) -> str:
        """A config key for a message: ``origin:LINE: systems[1]``.

        The line is the key's in the file the config was read from; a key
        that ``--set`` gave (or changed inside) has none, but names the ``--set``
        keys; a config not read from a file has none.
        """
        if self._lines is None:
            return f"{origin}: {format_location(loc)}"
        given = self._lines.overrides_at(loc)
        if given:  # the value there is not (all) the file's: name the --set keys instead
            keys = ", ".join(format_location(key) for key in given)
            return f"{origin} (--set {keys}): {format_location(loc)}"
        line = self._lines.line_of(loc)
        at = origin if line is None else f"{origin}:{line}"
        return f"{at}: {format_location(loc)}"

    def with_lines(self, lines: KeyLines | None) -> RunConfig:
        """This config, knowing the line of each key (for `where`)."""
        self._lines = lines
        return self

    def recorded(self) -> dict[str, Any]:
        """The config as a run's config.yaml records it and ``config_hash`` hashes it.

        The executor and the systems' resources are how a run is done, not what it
        computes: left out, so that both are the same whatever runs it.
        """
        return self.model_dump(
            mode="json", exclude={"executor": True, "systems": {"__all__": {"resources"}}}
        )

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


__all__ = [
    "BenchmarkConfig",
    "BenchmarkFormat",
    "ExecutorConfig",
    "FieldMap",
    "GateRule",
    "MetaEvalConfig",
    "MetricConfig",
    "ReportConfig",
    "RunConfig",
    "StatsConfig",
    "SystemConfig",
]
