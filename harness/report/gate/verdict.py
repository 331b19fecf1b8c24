"""What the gate found: one `GateCheck` per (value rule, system), the
`IntegrityCheck` of each system, and the `GateVerdict` that holds them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from harness.config import GateRule

#: Worst examples (or failed generations) listed under a failed check.
WORST_SHOWN = 3
#: Example ids named in one verdict line.
IDS_SHOWN = 10


@dataclass(frozen=True)
class WorstExample:
    """One example's change, for the list under a failed check."""

    example_id: str
    baseline: float
    candidate: float
    drop: float


@dataclass(frozen=True)
class GateCheck:
    """One value rule checked for one system.

    Attributes:
        index: Position of the rule in the ``gate`` list.
        rule: The rule.
        system: The system checked.
        higher_is_better: The value's direction.
        n: Examples where both runs define the value.
        missing: Shared examples the baseline defines but the candidate does not
            (failed generations included).
        baseline_mean: Baseline mean over the ``n`` paired examples.
        candidate_mean: Candidate mean over the same examples.
        drop: Change in the worse direction (positive = worse).
        relative_drop: ``drop`` as a fraction of ``|baseline_mean|``.
        p_value: Two-sided paired permutation p-value (``None`` when ``n < 2``).
        failed: Whether the rule fails.
        reason: Why it fails or passes, one phrase.
        worst: The examples with the largest drop (failures only).
        baseline_nulls: Shared examples where the baseline's value is null
            although its generation did not fail.
        candidate_nulls: The same for the candidate.
        new_nulls: Ids null in the candidate (generation not failed) but
            defined in the baseline.
        note: What the reader must know about how the check was decided
            (a ``significant_at`` the test cannot reach).
    """

    index: int
    rule: GateRule
    system: str
    higher_is_better: bool | None
    n: int
    missing: int
    baseline_mean: float | None
    candidate_mean: float | None
    drop: float | None
    relative_drop: float | None
    p_value: float | None
    failed: bool
    reason: str
    worst: tuple[WorstExample, ...] = ()
    baseline_nulls: int = 0
    candidate_nulls: int = 0
    new_nulls: tuple[str, ...] = ()
    note: str | None = None

    @property
    def value(self) -> str:
        """The checked value name."""
        return self.rule.value or ""

    @property
    def name(self) -> str:
        """``value system``, the check's name in JUnit."""
        return f"{self.value} {self.system}"

    @property
    def change(self) -> float | None:
        """``candidate_mean − baseline_mean``."""
        if self.candidate_mean is None or self.baseline_mean is None:
            return None
        return self.candidate_mean - self.baseline_mean


IntegrityKind = Literal["system", "values", "failures"]


@dataclass(frozen=True)
class IntegrityCheck:
    """A check the gate makes whatever its value rules: is everything still there?

    ``system``: a system of the baseline is missing from the candidate.
    ``values``: values the baseline has for a system are missing from the candidate.
    ``failures``: the system's failed (or empty) generations: new on a shared
    example when the baseline's did not fail there, and new on every example
    only the candidate has (one check per system of the candidate, passed or not).

    Attributes:
        kind: One of the above.
        system: The system.
        failed: Whether the check fails.
        reason: Why, one phrase.
        baseline_count: Failed generations in the baseline (``failures``).
        candidate_count: Failed generations in the candidate (``failures``).
        allowed: New failures allowed (``failures``).
        rule_index: The failures rule that allowed some (``None``: the default, 0).
        n_shared: Shared examples.
        n_only_candidate: Examples only the candidate has (``failures``).
        only_candidate_count: Of those, the failed ones (all new; ``failures``).
        items: New failures' example ids, or the missing value names.
        errors: ``(example id, error)`` of the first new failures.
    """

    kind: IntegrityKind
    system: str
    failed: bool
    reason: str
    baseline_count: int = 0
    candidate_count: int = 0
    allowed: int = 0
    rule_index: int | None = None
    n_shared: int = 0
    n_only_candidate: int = 0
    only_candidate_count: int = 0
    items: tuple[str, ...] = ()
    errors: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """``kind system``, the check's name in JUnit."""
        return f"{self.kind} {self.system}"


@dataclass(frozen=True)
class GateVerdict:
    """Every check of a candidate run against a baseline.

    Attributes:
        candidate: Label of the candidate run.
        baseline: Label of the baseline.
        rules_from: Which side's config the rules came from.
        n_shared: Examples present in both runs.
        checks: One per (value rule, system).
        warnings: What differs between the runs (see `harness.compare.pairing_warnings`)
            or what the reader must know about the baseline.
        integrity: Missing systems and values, and each shared system's failures.
    """

    candidate: str
    baseline: str
    rules_from: str
    n_shared: int
    checks: list[GateCheck]
    warnings: list[str]
    integrity: list[IntegrityCheck] = field(default_factory=list)

    @property
    def failures(self) -> list[GateCheck]:
        """The failed value checks."""
        return [check for check in self.checks if check.failed]

    @property
    def failed_integrity(self) -> list[IntegrityCheck]:
        """The failed integrity checks."""
        return [check for check in self.integrity if check.failed]

    @property
    def total(self) -> int:
        """Number of checks of either kind."""
        return len(self.checks) + len(self.integrity)

    @property
    def n_failed(self) -> int:
        """Number of failed checks of either kind."""
        return len(self.failures) + len(self.failed_integrity)

    @property
    def passed(self) -> bool:
        """True when no check failed."""
        return self.n_failed == 0


def ids_text(ids: Sequence[str]) -> str:
    """The first `IDS_SHOWN` ids, and how many more."""
    shown = ", ".join(ids[:IDS_SHOWN])
    return shown + (f", … ({len(ids) - IDS_SHOWN} more)" if len(ids) > IDS_SHOWN else "")


__all__ = [
    "IDS_SHOWN",
    "WORST_SHOWN",
    "GateCheck",
    "GateVerdict",
    "IntegrityCheck",
    "IntegrityKind",
    "WorstExample",
    "ids_text",
]
