"""What a run's reports show: the ``report:`` section of its config.yaml, and flags over it.

`choose` is the one step between the full comparison table and every report
format (md, csv, tex, html, plots): it applies `harness.report.table.select`
with the run directory's own choice, or with the one ``harness report`` flags
give. The section is read on its own (a config that later harness versions
reject elsewhere still re-renders), and its names are checked against the
run's values and systems with a "did you mean".
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.config import ReportConfig, read_yaml_lines, validation_message
from harness.errors import ConfigError
from harness.report.table import ComparisonTable, check_report_choice, select
from harness.store import CONFIG_FILE, RunDir


class _ReportSection(BaseModel):
    # Only the `report:` key is validated here; the rest of config.yaml was checked by `run`.
    model_config = ConfigDict(extra="ignore")

    report: ReportConfig = Field(default_factory=ReportConfig)


def stored_choice(run_dir: RunDir) -> ReportConfig:
    """The ``report:`` section of a run directory's config.yaml (defaults without one).

    Raises:
        ConfigError: The section is malformed (names config.yaml, line and key).
    """
    path = run_dir.file(CONFIG_FILE)
    if not path.is_file():
        return ReportConfig()
    data, lines = read_yaml_lines(path)
    if data.get("report") is None:
        return ReportConfig()
    try:
        return _ReportSection.model_validate(data).report
    except ValidationError as error:
        raise ConfigError(
            validation_message(error, str(path), lines=lines, model=_ReportSection),
            hint="see the README's config reference (`report:`)",
        ) from None


def merge_choice(base: ReportConfig, **flags: Any) -> ReportConfig:
    """``base`` with the keys the flags gave (``None``: not given) replaced.

    >>> merge_choice(ReportConfig(digits=2), values=["rouge.rouge1"], digits=None).digits
    2
    """
    given = {key: value for key, value in flags.items() if value is not None}
    if "labels" in given:
        given["labels"] = {**base.labels, **given["labels"]}
    try:
        return ReportConfig.model_validate({**base.model_dump(exclude_unset=True), **given})
    except ValidationError as error:
        raise ConfigError(
            validation_message(error, "the command's flags", model=ReportConfig),
            hint="see `harness report --help`",
        ) from None


def choose(
    table: ComparisonTable, run_dir: RunDir, choice: ReportConfig | None = None
) -> ComparisonTable:
    """``table`` as the run's ``report:`` section (or ``choice``, when given) wants it.

    Args:
        table: The run's full table (`harness.report.load_table`).
        run_dir: The run directory (its config.yaml holds the section).
        choice: The choice to apply instead (``harness report`` flags merged
            over the section with `merge_choice`).

    Raises:
        ConfigError: A name in the choice is not one of the run's.
    """
    origin = str(run_dir.file(CONFIG_FILE))
    if choice is None:
        choice = stored_choice(run_dir)
    elif choice != stored_choice(run_dir):
        origin += " with the command's flags"
    return select(table, choice, origin)


def parse_labels(items: list[str]) -> dict[str, str]:
    """``NAME=TEXT`` items (``--label`` flags) as a mapping.

    >>> parse_labels(["consistency.score=Faithful", "bart=BART-large"])
    {'consistency.score': 'Faithful', 'bart': 'BART-large'}
    """
    labels: dict[str, str] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(
                f"--label {item!r}: expected NAME=TEXT",
                hint="e.g. --label consistency.score=Faithful --label bart=BART-large",
            )
        labels[name.strip()] = text
    return labels


def split_names(items: list[str] | None) -> list[str] | None:
    """Names given as repeated flags and/or comma-separated (``--values a,b --values c``).

    >>> split_names(["rouge.rouge2, numbers.precision", "consistency.score"])
    ['rouge.rouge2', 'numbers.precision', 'consistency.score']
    >>> split_names(None) is None
    True
    """
    if not items:
        return None
    return [name.strip() for item in items for name in item.split(",") if name.strip()]


__all__ = [
    "check_report_choice",
    "choose",
    "merge_choice",
    "parse_labels",
    "split_names",
    "stored_choice",
]
