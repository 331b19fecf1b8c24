"""The ``harness`` command line (typer). One module per command.

Exit codes: 0 success, 1 a regression gate failed, 2 usage/config/data
error (printed as one message, no traceback), 130 interrupted.
"""

from __future__ import annotations

import typer

from harness.cli.check import baseline_command, check_command
from harness.cli.compare import compare_command
from harness.cli.run import run_command
from harness.cli.score import report_command, score_command
from harness.cli.validate import list_command, validate_command

app = typer.Typer(
    name="harness",
    help="Evaluate summaries: numbers, entities, consistency, ROUGE; compare systems; gate CI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("run")(run_command)
app.command("score")(score_command)
app.command("report")(report_command)
app.command("validate")(validate_command)
app.command("list")(list_command)
app.command("compare")(compare_command)
app.command("check")(check_command)
app.command("baseline")(baseline_command)


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
