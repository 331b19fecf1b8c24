"""`RunScores`: the per-example values of one run, however it was read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from harness.config import GateRule, StatsConfig
from harness.errors import ConfigError
from harness.stats import to_array

#: The failure a generation that returned no words (no letter or digit) counts as.
EMPTY_SUMMARY = "empty summary (no letter or digit)"

#: What a failure inferred for a baseline without failure records says.
INFERRED_FAILURE = "every value null (the baseline file records no failures)"

#: system → value name → example id → number (``None`` where undefined).
Values = dict[str, dict[str, dict[str, float | None]]]


def all_null_examples(per_value: dict[str, dict[str, float | None]]) -> list[str]:
    """The example ids where every value of one system (value name → id → number) is
    null: what a failed generation or an empty summary leaves, in first-seen order."""
    ids = dict.fromkeys(i for per_example in per_value.values() for i in per_example)
    return [
        example_id
        for example_id in ids
        if all(per_example.get(example_id) is None for per_example in per_value.values())
    ]


@dataclass(frozen=True)
class RunScores:
    """The per-example values of one run, as read from a run directory or baseline.json.

    Attributes:
        label: Where it was read from (for messages).
        name: The run's config ``name``.
        values: system → value name → example id → number or ``None``.
        directions: value name → ``higher_is_better``.
        content_hash: The benchmark's content hash (from manifest.json), if known.
        config: The run's config as a plain mapping (empty if unknown).
        gate: The gate rules of the run's config.
        stats: The run's statistics settings.
        seed: The run's seed.
        failures: system → example id → error of each failed generation
            (``None``: not recorded, see `failed`).
        fingerprints: example id → `example_fingerprint` (``None``: unknown).
        metrics: metric name → its fingerprint's ``version``, ``params`` and
            ``model`` (from manifest.json; ``None``: not recorded).
    """

    label: str
    name: str
    values: Values
    directions: dict[str, bool | None]
    content_hash: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    gate: list[GateRule] = field(default_factory=list)
    stats: StatsConfig = field(default_factory=StatsConfig)
    seed: int = 0
    failures: dict[str, dict[str, str]] | None = None
    fingerprints: dict[str, str] | None = None
    metrics: dict[str, dict[str, Any]] | None = None

    @property
    def failures_known(self) -> bool:
        """Whether the run records its failed generations (a /1 baseline.json does not)."""
        return self.failures is not None

    def failed(self, system: str) -> dict[str, str]:
        """``system``'s failed generations: example id → error message.

        When the run records none (a baseline.json written by an older
        harness), the examples where every value of the system is null stand
        in for them, with `INFERRED_FAILURE` as the message.
        """
        if self.failures is not None:
            return dict(self.failures.get(system, {}))
        return dict.fromkeys(all_null_examples(self.values.get(system, {})), INFERRED_FAILURE)

    @property
    def systems(self) -> list[str]:
        """System names, in the run's order."""
        return list(self.values)

    def value_names(self) -> list[str]:
        """Every value name of any system, in first-seen order."""
        names: dict[str, None] = {}
        for per_value in self.values.values():
            names.update(dict.fromkeys(per_value))
        return list(names)

    def example_ids(self) -> list[str]:
        """Every example id of any system and value, in first-seen order."""
        ids: dict[str, None] = {}
        for per_value in self.values.values():
            for per_example in per_value.values():
                ids.update(dict.fromkeys(per_example))
        return list(ids)

    def array(self, system: str, value: str, example_ids: Sequence[str]) -> NDArray[np.float64]:
        """One system's values of ``value`` on ``example_ids`` (``nan`` where undefined)."""
        per_example = self.values.get(system, {}).get(value, {})
        return to_array([per_example.get(example_id) for example_id in example_ids])


def registry_directions(names: Sequence[str]) -> dict[str, bool | None]:
    """value name → ``higher_is_better`` of the registered metric (``None``: unknown)."""
    from harness.metric import METRICS

    found: dict[str, bool | None] = {}
    for name in names:
        metric_name, _, value = name.partition(".")
        try:
            entry = METRICS.get(metric_name)
        except ConfigError:
            found[name] = None
            continue
        specs = {spec.name: spec.higher_is_better for spec in entry.values}
        found[name] = specs.get(value)
    return found


__all__ = ["INFERRED_FAILURE", "RunScores", "Values", "registry_directions"]
