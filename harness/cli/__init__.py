"""The ``harness`` command line (typer). One module per command.

Exit codes: 0 success, 1 a regression gate failed, 2 usage/config/data
error (printed as one message, no traceback), 3 a bug in harness, 4 a system
produced no summary, 129/130/143 ended by SIGHUP, Ctrl-C or SIGTERM
(`harness.cli._common`).

Start-up stays cheap: each command's module holds its signature (the
options typer reads for ``--help``) and imports what the command runs
(the runner, the reports, scipy, spaCy, ...) inside the command function,
so ``harness --help`` imports none of it and ``harness list`` only the
component registries (`tests/cli/test_startup_imports.py`;
`bench/bench_startup.py` times it). The modules are imported when `main`
runs or `app` is first used, not when this package is: a Ctrl-C during that
start-up is then caught here.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from harness.cli._signals import Terminated, terminate_like_interrupt

if TYPE_CHECKING:
    import typer

    app: typer.Typer

# Equal to _common.EXIT_INTERRUPTED; not imported from there, which loads typer and rich.
_EXIT_INTERRUPTED = 130


def _build_app() -> typer.Typer:
    import typer

    from harness.cli.calibrate import calibrate_command
    from harness.cli.check import baseline_command, check_command
    from harness.cli.compare import compare_command
    from harness.cli.run import run_command
    from harness.cli.score import report_command, score_command
    from harness.cli.table import table_command
    from harness.cli.validate import list_command, validate_command
    from harness.cli.version import root_options

    about = "Evaluate summaries: numbers, entities, consistency, ROUGE; compare systems; gate CI."
    built = typer.Typer(
        name="harness",
        help=about,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # click's plain help and usage errors: typer's rich formatter
        # (typer.rich_utils, with rich's markdown) alone costs as much again as
        # `import typer`, and plain text reads the same in a terminal and a CI log
        rich_markup_mode=None,
    )
    built.callback(help=about)(root_options)
    built.command("run")(run_command)
    built.command("score")(score_command)
    built.command("report")(report_command)
    built.command("validate")(validate_command)
    built.command("list")(list_command)
    built.command("compare")(compare_command)
    built.command("check")(check_command)
    built.command("baseline")(baseline_command)
    built.command("calibrate")(calibrate_command)
    built.command("table")(table_command)
    return built


def _app() -> typer.Typer:
    built: typer.Typer | None = globals().get("app")
    if built is None:
        built = _build_app()
        globals()["app"] = built
    return built


def __getattr__(name: str) -> Any:
    # PEP 562: `from harness.cli import app` builds the app on first use.
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point.

    A Ctrl-C, SIGTERM or SIGHUP while the commands load prints one line and
    exits 130, 143 or 129, without a traceback: nothing had started.
    """
    try:
        with terminate_like_interrupt():
            application = _app()
    except Terminated as terminated:
        sys.stderr.write(f"terminated by {terminated.name} during start-up: nothing was run\n")
        sys.exit(terminated.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted during start-up: nothing was run\n")
        sys.exit(_EXIT_INTERRUPTED)
    application()


__all__ = ["app", "main"]
