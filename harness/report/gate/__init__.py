"""The CI gate: check a candidate run against a baseline with the config's gate rules.

Whatever the rules, on the examples both runs share:

- every system of the baseline must be in the candidate, with every value
  the baseline has for it (a dropped system or metric fails);
- no system may fail more generations than in the baseline, unless a
  failures rule (``{max_new_failures: N}``) allows some.

Each value rule (`GateRule` with a ``value``) is checked for every system
present in both runs (or the rule's ``systems``). The "drop" is the change
in the value's worse direction: ``baseline − candidate`` when higher is
better, ``candidate − baseline`` when lower is better, and ``|change|`` for
descriptive values with no better side. A check fails when the drop
exceeds ``max_drop`` or ``max_relative_drop`` (of the baseline mean), and,
with ``significant_at`` set, the paired sign-flip permutation test also
finds the change significant at that level (``significant_at`` alone fails
any significant drop). When the test cannot reach the level with the
paired examples at hand (its smallest possible p is at or above it; a
tied pair, with the same value in both runs, weighs nothing in it), the
level spares nothing: the check is decided on the thresholds alone (any
drop, for ``significant_at`` alone) and its line says so. A check also
fails when the value is null on more shared examples than in the baseline
beyond ``max_new_nulls`` (failed generations aside: they are counted as
failures), and when no example is defined in both runs.

The verdict renders as plain lines for the terminal, Markdown (for
``$GITHUB_STEP_SUMMARY``) and JUnit XML.

Modules: `verdict` (what the checks found), `rules` (one value rule for one
system), `integrity` (missing systems and values, failed generations),
`evaluate` (`evaluate_gate`) and `render` (text, Markdown, JUnit).
"""

from harness.report.gate.evaluate import GATE_HINT, evaluate_gate, select_rules
from harness.report.gate.render import (
    check_line,
    header_line,
    integrity_line,
    summary_line,
    to_junit,
    to_markdown,
    to_text,
    worst_line,
)
from harness.report.gate.verdict import (
    IDS_SHOWN,
    WORST_SHOWN,
    GateCheck,
    GateVerdict,
    IntegrityCheck,
    IntegrityKind,
    WorstExample,
)

__all__ = [
    "GATE_HINT",
    "IDS_SHOWN",
    "WORST_SHOWN",
    "GateCheck",
    "GateVerdict",
    "IntegrityCheck",
    "IntegrityKind",
    "WorstExample",
    "check_line",
    "evaluate_gate",
    "header_line",
    "integrity_line",
    "select_rules",
    "summary_line",
    "to_junit",
    "to_markdown",
    "to_text",
    "worst_line",
]
