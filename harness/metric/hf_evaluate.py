"""``evaluate``: run any Hugging Face ``evaluate`` metric module as a harness metric.

``module`` names the module as ``evaluate.load`` takes it: a local module
script (``path/to/my_metric.py``) or a folder holding ``<folder name>.py``, or
a hub name such as ``"rouge"``, ``"bleu"``, ``"meteor"`` or
``"<user>/<module>"``. Hub modules are downloaded on first use (then cached
under ``~/.cache/huggingface``) and may need their own packages (``rouge``
needs ``rouge-score``, ``meteor`` needs ``nltk``); offline only cached modules
and local scripts load (set ``HF_HUB_OFFLINE=1`` and ``HF_EVALUATE_OFFLINE=1``
to fail at once instead of retrying the connection).

Scoring is per pair: ``compute(predictions=[summary], references=[other],
**compute_args)`` is called once for every (example, summary), where
``other`` is the reference (``against: reference``) or the source
(``against: source``). A module's result for one prediction is then that
pair's value, whether the module is corpus-level (BLEU computed on one
sentence is sentence BLEU, with its known harshness on short texts) or
returns per-example lists (a one-element list is unwrapped). Per-pair calls
keep a pair's value independent of the rest of the batch, as the cache needs.

``values`` names the keys of the ``compute()`` result to report, each as
``evaluate.<key>``; a key must hold a number (or a one-element list of one).
They are declared per configuration: the ``evaluate`` entry registers
``dynamic_values`` (see `harness.metric.MetricEntry`), so a run's
``results.json`` lists exactly the configured values. ``higher_is_better``
gives each value's direction (``true`` unless listed: ``false`` for lower is
better, ``null`` for descriptive values).

Several references (``multi_reference``): ``"best"`` (default) scores each
reference separately and keeps, per value, the best by its direction (the
first reference's value for a descriptive one), like ``rouge``; ``"list"``
passes all of them at once as ``references=[[ref1, ref2, ...]]``, for modules
that take several references natively (``bleu``, ``sacrebleu``).

``compute_args`` are extra keyword arguments of ``compute()`` (scalars only,
e.g. ``{use_stemmer: true}`` for ``rouge``, ``{lang: en}`` for ``bertscore``).
``config_name`` is ``evaluate.load``'s configuration (e.g. a GLUE task).
"""

from __future__ import annotations

import importlib.metadata
import math
import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from harness.errors import MetricError
from harness.metric._models import require
from harness.metric._protocol import (
    MetricInput,
    MetricResult,
    Requirement,
    ValueSpec,
    metric,
)
from harness.records import Fingerprint

PURPOSE = "the evaluate metric"
INSTALL = "pip install 'harness[evaluate]'"
_VALUE_NAME = re.compile(r"^[A-Za-z0-9_\-]+$")


class EvaluateParams(BaseModel):
    """Parameters of ``evaluate``.

    Attributes:
        module: Local module script or folder, or hub module name.
        values: Keys of the ``compute()`` result to report (at least one).
        against: Compare the summary with the ``"reference"`` or the ``"source"``.
        higher_is_better: Direction per value (``True`` when not listed;
            ``None`` for descriptive values).
        multi_reference: ``"best"`` per value over references, or ``"list"``
            to pass all references at once.
        compute_args: Extra scalar keyword arguments of ``compute()``.
        config_name: ``evaluate.load``'s ``config_name``.
    """

    model_config = ConfigDict(extra="forbid")

    module: str = Field(min_length=1)
    values: list[str] = Field(min_length=1)
    against: Literal["reference", "source"] = "reference"
    higher_is_better: dict[str, bool | None] = Field(default_factory=dict)
    multi_reference: Literal["best", "list"] = "best"
    compute_args: dict[str, str | int | float | bool] = Field(default_factory=dict)
    config_name: str | None = None

    @field_validator("values")
    @classmethod
    def _plain_unique_names(cls, values: list[str]) -> list[str]:
        for name in values:
            if not _VALUE_NAME.match(name):
                raise ValueError(f"value name {name!r} must use letters, digits, '_' and '-' only")
        if len(set(values)) != len(values):
            raise ValueError("values must not repeat a name")
        return values

    @model_validator(mode="after")
    def _directions_name_values(self) -> EvaluateParams:
        unknown = sorted(set(self.higher_is_better) - set(self.values))
        if unknown:
            raise ValueError(f"higher_is_better names {unknown}, which are not in values")
        return self

    def direction(self, name: str) -> bool | None:
        """The direction of value ``name`` (``True`` unless configured)."""
        return self.higher_is_better.get(name, True)


def _number(module: str, key: str, raw: Any) -> float | None:
    """A compute() result entry as a float (``None`` for missing/NaN)."""
    value = raw
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        value = value.tolist()
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if value is None:
        return None
    if isinstance(value, (bool, int, float)):
        number = float(value)
        return None if math.isnan(number) else number
    raise MetricError(
        f"{PURPOSE}: module {module!r} returned {key!r} = {raw!r}, which is not a number",
        hint="list in params.values only keys whose value is a number",
    )


def _values(params: EvaluateParams) -> list[ValueSpec]:
    return [
        ValueSpec(
            name,
            params.direction(name),
            f"{name!r} of the evaluate module {params.module!r} against the {params.against}",
        )
        for name in params.values
    ]


def _requires(params: EvaluateParams) -> list[Requirement]:
    return [params.against]


@metric(
    "evaluate",
    params=EvaluateParams,
    values=[
        ValueSpec(
            "<values>",
            None,
            "the keys of the module's compute() result named in params.values",
        )
    ],
    requires=["reference"],
    dynamic_values=_values,
    dynamic_requires=_requires,
    description="Any Hugging Face evaluate module (local script or hub name), per pair,"
    " reporting the compute() keys named in params.values.",
)
class EvaluateMetric:
    """An ``evaluate`` module scored pair by pair (module docstring).

    Args:
        params: Validated parameters; the module is loaded here.

    Raises:
        MissingDependencyError: ``evaluate`` is not installed.
        MetricError: The module cannot be loaded (offline hub name, bad path,
            a missing package of the module).
    """

    def __init__(self, params: EvaluateParams) -> None:
        evaluate = require("evaluate", PURPOSE, INSTALL)
        self._params = params
        try:
            self._module: Any = evaluate.load(
                params.module, config_name=params.config_name, keep_in_memory=True
            )
        except ImportError as error:
            raise MetricError(
                f"{PURPOSE}: module {params.module!r} needs a package that is not installed: "
                f"{error}",
                hint="install the packages the module's script imports",
            ) from error
        except (OSError, ValueError, ConnectionError) as error:
            raise MetricError(
                f"{PURPOSE}: could not load evaluate module {params.module!r}: "
                f"{type(error).__name__}: {error}",
                hint="pass the path of a local module script (or its folder), or a hub name "
                "such as 'rouge' while online: hub modules are downloaded on first use and "
                "cached; offline (HF_HUB_OFFLINE=1, HF_EVALUATE_OFFLINE=1) only cached modules "
                "load",
            ) from error
        version = importlib.metadata.version("evaluate")
        module_hash = getattr(self._module, "_hash", None)  # evaluate's hash of the script
        self._model = f"{params.module} (module hash {module_hash}; evaluate=={version})"

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version, params and the module with its content hash."""
        return Fingerprint(
            kind="metric",
            name="evaluate",
            version="1",
            params=self._params.model_dump(mode="json"),
            model=self._model,
        )

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Score each pair with one ``compute()`` call per comparison text.

        Raises:
            MetricError: A configured key is missing from the module's result
                or is not a number.
        """
        return [self._score_one(item) for item in items]

    def _compute(self, summary: str, references: list[Any]) -> dict[str, float | None]:
        result = self._module.compute(
            predictions=[summary], references=references, **self._params.compute_args
        )
        if not isinstance(result, dict):
            raise MetricError(
                f"{PURPOSE}: module {self._params.module!r} returned {type(result).__name__}, "
                "not a dict"
            )
        missing = [key for key in self._params.values if key not in result]
        if missing:
            raise MetricError(
                f"{PURPOSE}: module {self._params.module!r} returned no {missing}; "
                f"its result has {sorted(result)}",
                hint="list keys of the compute() result in params.values",
            )
        return {key: _number(self._params.module, key, result[key]) for key in self._params.values}

    def _score_one(self, item: MetricInput) -> MetricResult:
        names = self._params.values
        if self._params.against == "source":
            others = [item.example.source] if item.example.source.strip() else []
        else:
            others = [ref for ref in item.example.references if ref.strip()]
        if not others:
            return MetricResult(values=dict.fromkeys(names), reason=f"no {self._params.against}")
        if self._params.multi_reference == "list" and self._params.against == "reference":
            return MetricResult(values=self._compute(item.summary, [others]))
        scored = [self._compute(item.summary, [other]) for other in others]
        values: dict[str, float | None] = {}
        for name in names:
            found = [value for row in scored if (value := row[name]) is not None]
            direction = self._params.direction(name)
            if not found:
                values[name] = None
            elif direction is None:
                values[name] = scored[0][name]
            else:
                values[name] = max(found) if direction else min(found)
        return MetricResult(values=values)


__all__ = ["EvaluateMetric", "EvaluateParams"]
