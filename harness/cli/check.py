"""``harness check RUN_DIR --baseline B`` (the CI gate) and ``harness baseline RUN_DIR``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from harness.cli._common import (
    EXIT_REGRESSION,
    print_error,
    stdout,
    stdout_may_close,
    user_errors,
)
from harness.errors import StoreError

#: GitHub Actions sets this to a Markdown file shown on the job's summary page.
STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


def _style(line: str) -> str:
    if line.startswith(("FAIL", "gate FAILED", "    failed")):
        return "bold red"
    if line.startswith(("ok", "gate passed")):
        return "green"
    if line.startswith("warning:"):
        return "yellow"
    return ""


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as error:
        raise StoreError(
            f"cannot append the verdict to ${STEP_SUMMARY_ENV}={path}: {error}"
        ) from None


def _unwritten(path: Path, error: StoreError | OSError) -> StoreError:
    if isinstance(error, StoreError):
        return error
    return StoreError(
        f"cannot write {path}: {error.strerror or error}",
        hint="check that its folder exists and is writable and that the disk has room",
    )


@user_errors
def check_command(
    run_dir: Annotated[Path, typer.Argument(help="The candidate run directory.")],
    baseline: Annotated[
        Path,
        typer.Option(
            "--baseline",
            help="The baseline: a run directory or a baseline.json (`harness baseline`).",
        ),
    ],
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Also write the verdict as JUnit XML here.")
    ] = None,
    allow_different_benchmark: Annotated[
        bool,
        typer.Option(
            "--allow-different-benchmark",
            help="Gate even when example ids the runs share hold different articles "
            "(a warning instead of exit 2).",
        ),
    ] = False,
) -> None:
    """Gate a run against a baseline with the config's `gate:` rules (exit 1 on a regression).

    Rules come from the candidate's config.yaml, else from the baseline's. Each
    rule is checked per system on the examples both runs share, with a paired
    permutation test; whatever the rules, a system or value the candidate
    lacks, or a generation that newly fails, fails the gate. With
    $GITHUB_STEP_SUMMARY set, a Markdown verdict is appended to that file.
    """
    from rich.text import Text

    from harness.compare import load_reference, load_run
    from harness.report.gate import evaluate_gate, to_junit, to_markdown, to_text
    from harness.store import write_atomic

    verdict = evaluate_gate(
        load_run(run_dir),
        load_reference(baseline),
        allow_different_benchmark=allow_different_benchmark,
    )
    with stdout_may_close():
        for line in to_text(verdict):
            stdout.print(Text(line, style=_style(line)), soft_wrap=True)
    # Both outputs are tried, the JUnit file first (what the CI job was asked for);
    # one that cannot be written is an error, but a regression still exits 1.
    unwritten: list[StoreError] = []
    if junit is not None:
        try:
            write_atomic(junit, to_junit(verdict))
        except (StoreError, OSError) as failure:
            unwritten.append(_unwritten(junit, failure))
        else:
            with stdout_may_close():
                stdout.print(f"wrote {junit}", highlight=False, markup=False, soft_wrap=True)
    summary_file = os.environ.get(STEP_SUMMARY_ENV)
    if summary_file:
        try:
            _append(Path(summary_file), to_markdown(verdict))
        except StoreError as failure:
            unwritten.append(failure)
    for shown in unwritten[: -1 if verdict.passed else None]:
        print_error(shown.message, shown.hint)
    if not verdict.passed:
        raise typer.Exit(EXIT_REGRESSION)
    if unwritten:
        raise unwritten[-1]


@user_errors
def baseline_command(
    run_dir: Annotated[Path, typer.Argument(help="A run directory written by `harness run`.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write it (default: RUN_DIR/baseline.json)."),
    ] = None,
) -> None:
    """Write a baseline.json: per-example values, directions and gate rules of a run.

    Commit it and gate later runs with `harness check RUN_DIR --baseline baseline.json`.
    """
    from harness.compare import write_baseline

    target, run = write_baseline(run_dir, out)
    failed = sum(len(run.failed(system)) for system in run.systems)
    stdout.print(
        f"wrote {target}: {len(run.systems)} systems, {len(run.value_names())} values, "
        f"{len(run.example_ids())} examples, {len(run.gate)} gate rules, "
        f"{failed} failed generations",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
