"""``harness --version``: the options of ``harness`` itself, before any command."""

from __future__ import annotations

from typing import Annotated

import typer


def _print_version(requested: bool) -> None:
    if requested:
        from harness import __version__

        typer.echo(f"harness {__version__}")
        raise typer.Exit()


def root_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the harness version and exit.",
        ),
    ] = False,
) -> None:
    """Read the options given before the command (``--version`` acts on its own)."""
