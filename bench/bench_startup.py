"""Time the start-up of the light commands against ``python -c "import typer"``.

Target: ``harness --help``, ``harness list`` and ``harness validate
configs/quickstart.yaml`` each finish within 2x the wall time of a Python that
only imports typer. Every command runs as a fresh ``python`` process from the
repository root; the rounds interleave the commands, so that a change in the
machine's load hits all of them alike, and the median of each is compared.

Two reference lines show what typer itself costs on top of its import: a
two-command typer app showing its ``--help`` (plain click help, as harness
shows it: typer's rich formatter, ``typer.rich_utils``, would double the
time) and running a command (typer converts the arguments with pydantic,
which it imports then). No typer command can start faster than these: the "over
floor" column divides each command's time by its floor (``--help`` by the
bare ``--help``, ``--version`` by ``import typer``, a command by the bare
command), which is what harness itself adds. ``harness --version`` is held to
the same target.

The children may write bytecode caches (``PYTHONDONTWRITEBYTECODE`` is
dropped for them), as an installed package has them: otherwise every run
would compile harness from source. Which modules each command imports is
asserted by ``tests/cli/test_startup_imports.py``; this script only times.

Run: ``.venv/bin/python bench/bench_startup.py [--runs 15]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 2.0
BASELINE = "python -c 'import typer'"

#: The least a typer command line can do: two commands, one with a path argument.
BARE_APP = """
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, rich_markup_mode=None)


@app.command()
def show(path: Annotated[Path, typer.Argument(help="A path.")]) -> None:
    \"\"\"Print the path.\"\"\"
    print(path)


@app.command()
def other() -> None:
    \"\"\"Do nothing.\"\"\"


app()
"""

BARE_HELP = "bare typer app: --help"
BARE_RUN = "bare typer app: show PATH"
REFERENCES = {
    BASELINE: ["-c", "import typer"],
    BARE_HELP: ["-c", BARE_APP, "--help"],
    BARE_RUN: ["-c", BARE_APP, "show", "configs/quickstart.yaml"],
}
VALIDATE = "harness validate configs/quickstart.yaml"
#: The typer floor of each command: what the same kind of typer call costs bare.
FLOORS = {"harness --help": BARE_HELP, "harness --version": BASELINE}
COMMANDS = {
    "harness --help": ["-m", "harness", "--help"],
    "harness --version": ["-m", "harness", "--version"],
    "harness list": ["-m", "harness", "list"],
    VALIDATE: [
        "-m",
        "harness",
        "validate",
        "configs/quickstart.yaml",
    ],
}


def wall_time(arguments: list[str], env: dict[str, str]) -> float:
    """Seconds from starting ``python ARGUMENTS`` to its exit (which must be 0)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    """Print each command's median wall time and its ratio to ``import typer``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds (the median is used)")
    args = parser.parse_args()
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    commands = {**REFERENCES, **COMMANDS}
    for arguments in commands.values():  # warm the file-system cache, write the .pyc files
        wall_time(arguments, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, arguments in commands.items():
            times[name].append(wall_time(arguments, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor = medians[BASELINE]
    print(f"median of {args.runs} interleaved runs each; ratio = median / that of {BASELINE}")
    print("over floor = median / that of the bare typer app doing the same kind of call")
    print(f"{'command':<44} {'median s':>9} {'ratio':>6} {'over floor':>10}")
    for name in commands:
        if name in REFERENCES:
            print(f"{name:<44} {medians[name]:>9.3f} {medians[name] / floor:>6.2f}  (reference)")
            continue
        over = medians[name] / medians[FLOORS.get(name, BARE_RUN)]
        print(
            f"{name:<44} {medians[name]:>9.3f} {medians[name] / floor:>6.2f} {over:>10.2f}"
            f"  (target <= {TARGET:g})"
        )
    worst = max(medians[name] for name in COMMANDS) / floor
    print(f"worst ratio {worst:.2f}: target {'met' if worst <= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
