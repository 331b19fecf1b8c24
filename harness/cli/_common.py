"""Shared CLI plumbing: consoles, exit codes and turning `HarnessError` into a message."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from harness.cli._signals import Terminated, terminate_like_interrupt
from harness.errors import HarnessError

#: Exit codes (documented in the README): 0 ok, 1 regression found by a gate,
#: 2 usage/config/data/file error, 3 a bug in harness, 4 a run that finished
#: but in which some system produced no summary at all (every generation
#: failed; the run directory is still written), 129/130/143 ended by SIGHUP,
#: Ctrl-C (SIGINT) or SIGTERM.
EXIT_OK = 0
EXIT_REGRESSION = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_SYSTEM_FAILED = 4
EXIT_HANGUP = 129
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
_SIGNAL_EXITS = {"SIGHUP": EXIT_HANGUP, "SIGTERM": EXIT_TERMINATED}


def _silence_stdout() -> None:
    """Point file descriptor 1 at the null device, so later writes and the flush at exit
    succeed after the reader of a pipe has gone."""
    try:
        fileno = sys.stdout.fileno()
    except (OSError, ValueError):  # captured output (tests): nothing to redirect
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fileno)
    finally:
        os.close(devnull)


class PipeConsole(Console):
    """A stdout console whose reader may stop reading (``| head -c 10``).

    Rich's default answer to a broken pipe is ``SystemExit(1)``, the exit
    code of a regression; a verdict must keep its own. Here the output just
    stops (the rest goes to the null device) and the command goes on.
    """

    def on_broken_pipe(self) -> None:
        """Silence the console and stdout; do not exit."""
        self.quiet = True
        _silence_stdout()


#: Where every command prints its results (never exits on a broken pipe).
stdout = PipeConsole()


@contextmanager
def stdout_may_close() -> Iterator[None]:
    """Within the block, a reader that stops reading ends the output only.

    The command goes on (writing its JUnit and Markdown files) and exits with
    its own status, never with a broken-pipe error or traceback: a CI step
    ``harness check ... | head`` must see the verdict's exit code. Output that
    Python itself buffered is flushed here, so that its broken pipe is met here
    too and not at exit.
    """
    try:
        yield
        _flush_stdout()
    except BrokenPipeError:
        stdout.on_broken_pipe()


stderr = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def write_stdout(text: str) -> None:
    """Write ``text`` to stdout as it is (no console markup or wrapping)."""
    if sys.stdout is not None:  # None: started with stdout closed (`>&-`), nothing to write to
        sys.stdout.write(text)


def _flush_stdout() -> None:
    # What Python buffered meets its broken pipe here, not at exit (exit 120).
    if sys.stdout is None:  # started with stdout closed (`>&-`): nothing was buffered
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        stdout.on_broken_pipe()


def print_error(message: str, hint: str | None) -> None:
    """One error (and its hint) on stderr, as every command prints a user error."""
    stderr.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    if hint:
        stderr.print(f"  [bold]hint:[/] {escape(hint)}", highlight=False, soft_wrap=True)


def _loaded_classes(*names: str) -> tuple[type[BaseException], ...]:
    """The exception classes ``module:Class`` of the modules imported so far.

    An exception of a class can be raised only once its module is imported,
    so the command line catches sqlite3's and click's without importing them
    at start-up. A name that a module lacks (click's classes in typer
    versions that bundle their own) is skipped.
    """
    found: list[type[BaseException]] = []
    for name in names:
        module_name, _, attribute = name.partition(":")
        module = sys.modules.get(module_name)
        kind = getattr(module, attribute, None)
        if isinstance(kind, type) and issubclass(kind, BaseException):
            found.append(kind)
    return tuple(found)


#: Exit codes and usage errors that the commands and typer chose: passed on.
_CHOSEN_EXITS = (
    "typer:Exit",
    "typer:Abort",
    "typer:TyperException",
    "click.exceptions:Exit",
    "click:ClickException",
)


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn failures into one message and an exit code that never reads as a regression.

    A `HarnessError`, a file-system error (``OSError``: a path that is a file
    where a folder is needed, no permission, a full disk) and a cache failure
    (``sqlite3.Error``: a corrupt or locked cache) print one message and exit
    2; Ctrl-C exits 130, SIGTERM 143 and SIGHUP 129 (`harness.cli._signals`
    makes the latter two raise like Ctrl-C, so the same cleanup ends the
    command's child processes; finished batches stay cached); any other
    exception is a bug in harness: its traceback is printed and the exit
    status is 3, so that a CI gate never takes a crash for a regression (1).
    """

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with terminate_like_interrupt():
                try:
                    return command(*args, **kwargs)
                finally:
                    _flush_stdout()
        except HarnessError as error:
            print_error(error.message, error.hint)
            raise typer.Exit(EXIT_USAGE) from None
        except OSError as error:
            where = f" {error.filename}" if error.filename else ""
            print_error(
                f"cannot read or write{where}: {error.strerror or error}",
                "check that the path exists, that a folder is given where one is needed, "
                "that it is writable and that the disk has room; finished batches are in the cache",
            )
            raise typer.Exit(EXIT_USAGE) from None
        except Terminated as terminated:
            stderr.print(
                f"[yellow]terminated by {terminated.name}:[/] finished batches are in the cache; "
                "run the same command again to resume"
            )
            raise typer.Exit(_SIGNAL_EXITS.get(terminated.name, EXIT_INTERRUPTED)) from None
        except KeyboardInterrupt:
            stderr.print(
                "[yellow]interrupted:[/] finished batches are in the cache; "
                "run the same command again to resume"
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as error:
            if isinstance(error, _loaded_classes(*_CHOSEN_EXITS)):
                raise
            if isinstance(error, _loaded_classes("sqlite3:Error")):
                print_error(
                    f"the cache failed: {type(error).__name__}: {error}",
                    "a corrupt cache can be moved aside (it is only a cache: the next run "
                    "rebuilds it); a locked one is in use by a stuck process; or set cache: off",
                )
                raise typer.Exit(EXIT_USAGE) from None
            stderr.print(traceback.format_exc(), highlight=False, markup=False)
            print_error(
                "harness failed unexpectedly (a bug, not a regression)",
                "please report it with the traceback above",
            )
            raise typer.Exit(EXIT_BUG) from None

    return wrapper
