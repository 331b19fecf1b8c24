"""Shared CLI plumbing: consoles, exit codes and turning `HarnessError` into a message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from harness.errors import HarnessError

#: Exit codes (documented in the README): 0 ok, 1 regression found by a gate,
#: 2 usage/config/data error, 130 interrupted.
EXIT_OK = 0
EXIT_REGRESSION = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

stdout = Console()
stderr = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print a `HarnessError` as one message (no traceback) and exit 2; Ctrl-C exits 130."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except HarnessError as error:
            stderr.print(
                f"[bold red]error:[/] {escape(error.message)}", highlight=False, soft_wrap=True
            )
            if error.hint:
                stderr.print(
                    f"  [bold]hint:[/] {escape(error.hint)}", highlight=False, soft_wrap=True
                )
            raise typer.Exit(EXIT_USAGE) from None
        except KeyboardInterrupt:
            stderr.print(
                "[yellow]interrupted:[/] finished batches are in the cache; "
                "run the same command again to resume"
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper
