"""The light commands import only what they use (issue 16, goal 2).

``harness --help``, ``harness list`` and ``harness validate`` run as a user
runs them, in a fresh ``python`` process from the repository root; at exit
the process reports which modules it imported. The heavy libraries (and, for
``--help``, the whole pipeline) must not be among them. How long start-up
takes is printed by ``bench/bench_startup.py``, never asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import get_args

import pytest

REPO = Path(__file__).resolve().parents[2]

# Runs `python -m harness ARGS`; at exit writes the names in sys.modules to $MODULES_FILE.
LAUNCHER = """
import atexit, json, os, runpy, sys

def report():
    with open(os.environ["MODULES_FILE"], "w", encoding="utf-8") as out:
        json.dump(sorted(sys.modules), out)

atexit.register(report)
sys.argv[0] = "harness"
runpy.run_module("harness", run_name="__main__", alter_sys=True)
"""

#: Imported by no light command: the libraries that cost seconds or load models.
HEAVY = (
    "scipy",
    "spacy",
    "torch",
    "transformers",
    "matplotlib",
    "nltk",
    "ray",
    "rouge_score",
    "numpy",
    "sklearn",
    "pandas",
    "jinja2",
)
#: The pipeline: generation, scoring, aggregation and statistics. No light command runs it.
PIPELINE = (
    "harness.runner",
    "harness.generation",
    "harness.scoring",
    "harness.aggregate",
    "harness.meta_eval",
    "harness.stats",
    "harness.executor",
    "harness.compare",
    "harness.calibrate",
)
#: What `--help` does not need beyond that: the config, components and reports.
NOT_FOR_HELP = (
    "yaml",
    "harness.config",
    "harness.records",
    "harness.backend",
    "harness.metric",
    "harness.benchmark",
    "harness.text",
    "harness.report",
    "harness.store",
    "harness.preflight",
)


def _imported(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    modules_file = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *args],
        cwd=REPO,
        env={
            **os.environ,
            "MODULES_FILE": str(modules_file),
            "HARNESS_CACHE_DIR": str(tmp_path / "cache"),
            "COLUMNS": "120",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done, set(json.loads(modules_file.read_text(encoding="utf-8")))


def _found(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The ``packages`` that ``modules`` holds, themselves or by a submodule."""
    return [
        package
        for package in packages
        if any(name == package or name.startswith(package + ".") for name in modules)
    ]


def test_help_imports_only_the_command_line(tmp_path: Path) -> None:
    done, modules = _imported(tmp_path, "--help")
    assert "validate" in done.stdout and "calibrate" in done.stdout
    assert "harness.cli.run" in modules  # the commands' signatures were read
    assert _found(modules, HEAVY + PIPELINE + NOT_FOR_HELP + ("pydantic",)) == []
    assert _found(modules, ("typer.rich_utils", "rich.markdown")) == []  # plain click help


def test_version_prints_the_package_version_and_imports_nothing_heavy(tmp_path: Path) -> None:
    import harness

    done, modules = _imported(tmp_path, "--version")
    assert done.stdout == f"harness {harness.__version__}\n"
    assert harness.__version__ == version("harness")  # the installed distribution's
    assert _found(modules, HEAVY + PIPELINE + NOT_FOR_HELP + ("pydantic",)) == []


def test_command_help_imports_only_the_command_line(tmp_path: Path) -> None:
    # typer itself imports pydantic here (to convert the options), so it is allowed.
    done, modules = _imported(tmp_path, "run", "--help")
    assert "--executor" in done.stdout
    assert _found(modules, HEAVY + PIPELINE + NOT_FOR_HELP) == []


def test_list_shows_every_component_without_the_heavy_code(tmp_path: Path) -> None:
    from harness.backend import BACKENDS
    from harness.metric import METRICS

    done, modules = _imported(tmp_path, "list")
    for name in [*BACKENDS.names(), *METRICS.names(), "rouge1", "unsupported↓", "newsbriefs"]:
        assert name in done.stdout
    assert _found(modules, HEAVY + PIPELINE + ("harness.report", "harness.store")) == []


def test_validate_builds_the_components_without_the_heavy_code(tmp_path: Path) -> None:
    done, modules = _imported(tmp_path, "validate", "configs/quickstart.yaml")
    assert "ok" in done.stdout and "nb-001" in done.stdout
    assert {"harness.metric.consistency", "harness.backend.textrank"} <= modules
    assert _found(modules, HEAVY + PIPELINE) == []


def test_importing_harness_leaves_pydantic_for_the_records() -> None:
    code = (
        "import sys, harness\n"
        "assert 'pydantic' not in sys.modules, 'import harness loaded pydantic'\n"
        "from harness import Example, records\n"
        "assert Example is records.Example\n"
        "assert all(hasattr(harness, name) for name in harness.__all__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_an_unknown_package_attribute_is_an_attribute_error() -> None:
    import harness

    with pytest.raises(AttributeError, match="no attribute 'Exampel'"):
        _ = harness.Exampel  # type: ignore[attr-defined]


def test_run_executor_choices_are_the_configs() -> None:
    from harness import executor
    from harness.cli._executor import ExecutorKind
    from harness.config import ExecutorConfig

    assert get_args(ExecutorKind) == get_args(ExecutorConfig.model_fields["kind"].annotation)
    assert get_args(ExecutorKind) == get_args(executor.ExecutorKind)


def test_errors_of_modules_not_imported_at_start_up_are_still_caught(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The CLI no longer imports sqlite3 or click to name their exceptions.
    import sqlite3

    import typer

    from harness.cli._common import EXIT_USAGE, user_errors

    @user_errors
    def fails(error: Exception) -> None:
        raise error

    with pytest.raises(typer.Exit) as exited:
        fails(sqlite3.DatabaseError("file is not a database"))
    assert exited.value.exit_code == EXIT_USAGE
    assert "the cache failed: DatabaseError" in capsys.readouterr().err
    with pytest.raises(typer.BadParameter):  # a usage error typer prints itself
        fails(typer.BadParameter("no"))


def test_nested_record_values_are_converted_without_importing_numpy() -> None:
    # validate reads records; a nested field must not make it import numpy.
    code = (
        "import sys\n"
        "from harness.benchmark._records import to_json_value\n"
        "value = to_json_value({'a': (1, {'b': float('inf')}), 2: b'x'})\n"
        "assert value == {'a': [1, {'b': None}], '2': 'x'}, value\n"
        "assert 'numpy' not in sys.modules, 'to_json_value imported numpy'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
