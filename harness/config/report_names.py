"""The names a ``report:`` section gives, checked against a run's values and systems.

Every unknown name fails with a "did you mean" and the names the run has; a
name listed twice fails too. `harness.report.table.select` and
`harness.preflight` (before a run starts) share the check, which is why it
lives with the config and not in `harness.report`.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.config.models import ReportConfig
from harness.errors import ConfigError
from harness.registry import did_you_mean_clause


def _check_names(
    names: Sequence[str] | None, known: Sequence[str], where: str, kind: str, hint: str
) -> None:
    seen: set[str] = set()
    for index, name in enumerate(names or []):
        if name in seen:
            raise ConfigError(f"{where}[{index}]: {name!r} is listed twice", hint=hint)
        seen.add(name)
        if name not in known:
            raise ConfigError(
                f"{where}[{index}]: {name!r} is not a {kind} of this run; "
                f"{did_you_mean_clause(name, known)}{kind}s: {', '.join(known)}",
                hint=hint,
            )


def check_report_choice(
    choice: ReportConfig, values: Sequence[str], systems: Sequence[str], origin: str
) -> None:
    """Every name in ``choice`` is one of the run's values, systems or metrics.

    Args:
        choice: The ``report:`` section (and/or ``harness report`` flags).
        values: The run's value names (``rouge.rouge1``, ...).
        systems: The run's system names.
        origin: What the names came from, e.g. ``reports/ci/config.yaml``;
            messages name ``<origin>: report.<key>[i]``.

    Raises:
        ConfigError: A name is unknown (with a "did you mean") or listed twice;
            a label is empty or would show two systems, values or metrics
            under one name.
    """
    value_hint = (
        "name values as <metric>.<value>, as report.md's columns (and `harness list`) show them"
    )
    _check_names(choice.values, values, f"{origin}: report.values", "value", value_hint)
    _check_names(
        choice.systems,
        systems,
        f"{origin}: report.systems",
        "system",
        "list system names exactly as `systems[].name` spells them",
    )
    metrics = list(dict.fromkeys(name.split(".", 1)[0] for name in values))
    labelled = [*values, *systems, *(m for m in metrics if m not in values and m not in systems)]
    for name in choice.labels:
        if name not in labelled:
            raise ConfigError(
                f"{origin}: report.labels: {name!r} is not a value, system or metric of this "
                f"run; {did_you_mean_clause(name, labelled)}known: {', '.join(labelled)}",
                hint="labels map a value (rouge.rouge2), a system or a metric (rouge) to the "
                "name the tables show",
            )
    for name, text in choice.labels.items():
        if not text.strip():
            raise ConfigError(
                f"{origin}: report.labels: {name!r} has an empty label",
                hint="give it a name to show, or leave it out to show its own name",
            )
    for group in (systems, values, metrics):
        shown: dict[str, str] = {}
        for name in group:
            text = choice.labels.get(name, name)
            if text in shown:
                raise ConfigError(
                    f"{origin}: report.labels: {shown[text]!r} and {name!r} would both be "
                    f"shown as {text!r}, so no reader could tell them apart",
                    hint="give each a label of its own",
                )
            shown[text] = name
    if isinstance(choice.digits, dict):
        for name in choice.digits:
            if name not in values:
                raise ConfigError(
                    f"{origin}: report.digits: {name!r} is not a value of this run; "
                    f"{did_you_mean_clause(name, values)}values: {', '.join(values)}",
                    hint="give one number for all values (digits: 3) or one per value "
                    "({rouge.rouge2: 2})",
                )


__all__ = ["check_report_choice"]
