"""`compare_runs`: run B against run A, per shared system and value, with paired
statistics (`harness.stats.compare_paired`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.compare.pairing import (
    check_same_benchmark,
    check_value_names,
    failure_warnings,
    metric_differences,
    pairing_warnings,
    shared_examples,
)
from harness.compare.scores import RunScores
from harness.config import StatsConfig
from harness.errors import StoreError
from harness.stats import PairedComparison, compare_paired, smallest_holm_p


@dataclass(frozen=True)
class ValueComparison:
    """One value of one system compared between run A and run B."""

    value: str
    higher_is_better: bool | None
    result: PairedComparison


@dataclass(frozen=True)
class SystemComparison:
    """Every compared value of one system present in both runs.

    ``holm_floor`` is the smallest Holm-adjusted p any of them can get
    (`harness.stats.smallest_holm_p` over every value tested, shown or not).
    """

    system: str
    values: list[ValueComparison]
    holm_floor: float | None = None


@dataclass(frozen=True)
class RunComparison:
    """The paired comparison of run B against run A.

    Attributes:
        a: Label of run A (before, the baseline).
        b: Label of run B (after).
        n_shared: Examples present in both runs.
        systems: One entry per system present in both runs.
        warnings: What could not be paired or differs between the runs.
        confidence: Coverage of the difference intervals.
        alpha: Level applied to the Holm-adjusted p-values.
    """

    a: str
    b: str
    n_shared: int
    systems: list[SystemComparison]
    warnings: list[str]
    confidence: float
    alpha: float


def compare_runs(
    a: RunScores,
    b: RunScores,
    values: Sequence[str] | None = None,
    *,
    stats: StatsConfig | None = None,
    seed: int | None = None,
    allow_different_benchmark: bool = False,
) -> RunComparison:
    """Compare run B with run A on the examples and systems they share.

    Args:
        a: The run before (the baseline).
        b: The run after.
        values: Only these value names (default: every value of both runs); the
            tests and their Holm correction are over every value all the same.
        stats: Resamples, confidence and alpha (default: B's).
        seed: Seed of the bootstrap and permutation draws (default: B's).
        allow_different_benchmark: Pair runs whose shared ids hold different
            examples (a warning) instead of refusing.

    Raises:
        StoreError: The runs share no example, or are of different benchmarks.
        ConfigError: A requested value is in neither run.
    """
    stats = stats or b.stats
    seed = b.seed if seed is None else seed
    warnings = check_same_benchmark(a, b, allow_different=allow_different_benchmark)
    warnings += pairing_warnings(a, b)
    warnings += [
        f"metric {change}: its values in the two runs are not comparable"
        for change in metric_differences(a, b)
    ]
    ids = shared_examples(a, b)
    warnings += failure_warnings(a, b, ids)
    known = list(dict.fromkeys([*a.value_names(), *b.value_names()]))
    if values:
        check_value_names(values, known, "--value")
    wanted = list(dict.fromkeys(values)) if values else known
    directions = {**a.directions, **b.directions}
    systems: list[SystemComparison] = []
    for system in b.systems:
        if system not in a.values:
            continue
        both = [n for n in known if n in a.values[system] and n in b.values[system]]
        names = [n for n in wanted if n in both]
        # Tested (and Holm-corrected) over every value both runs have, whatever is
        # shown: choosing fewer values must not make a difference significant.
        pairs = {name: (b.array(system, name, ids), a.array(system, name, ids)) for name in both}
        compared = compare_paired(
            pairs,
            directions,
            resamples=stats.resamples,
            confidence=stats.confidence,
            alpha=stats.alpha,
            seed=seed,
        )
        systems.append(
            SystemComparison(
                system,
                [ValueComparison(name, directions.get(name), compared[name]) for name in names],
                smallest_holm_p((item.n for item in compared.values()), resamples=stats.resamples),
            )
        )
    if not systems:
        raise StoreError(
            f"{a.label} and {b.label} have no system name in common",
            hint="systems are matched by name; give them the same `name` in both configs",
        )
    return RunComparison(
        a=a.label,
        b=b.label,
        n_shared=len(ids),
        systems=systems,
        warnings=warnings,
        confidence=stats.confidence,
        alpha=stats.alpha,
    )


__all__ = ["RunComparison", "SystemComparison", "ValueComparison", "compare_runs"]
