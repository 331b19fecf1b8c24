"""Edited user code is run again, never served from the cache (issue 11, case 6).

Each test runs a config twice through ``python -m harness``, editing the
user's code (or model) in between, and reads the summaries that the second run wrote.
"""

from __future__ import annotations

import json
import os
import py_compile
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]

SOURCES = ["Rain flooded Leeds. Roads closed.", "Prices rose 4%. Markets fell."]


def _benchmark(folder: Path) -> Path:
    data = folder / "data.jsonl"
    data.write_text(
        "".join(
            json.dumps({"id": f"ex-{n}", "source": source}) + "\n"
            for n, source in enumerate(SOURCES, 1)
        ),
        encoding="utf-8",
    )
    return data


def _config(folder: Path, system: str) -> Path:
    """A config in ``folder`` over two examples with one system (a YAML flow mapping)."""
    config = folder / "config.yaml"
    config.write_text(
        f"name: edited\nbenchmark: {{path: {_benchmark(folder)}}}\n"
        f"systems: [{system}]\nmetrics: [length]\nout: {folder / 'run'}\n",
        encoding="utf-8",
    )
    return config


def _run(harness_cli: HarnessCLI, config: Path, *sets: str) -> tuple[list[str | None], int]:
    """Run ``config``; return the summaries written and how many were computed afresh."""
    args = [arg for value in sets for arg in ("--set", value)]
    done = harness_cli("run", str(config), *args)
    assert done.returncode == 0, done.stderr
    run = config.parent / "run"
    outputs = [json.loads(line) for line in (run / "outputs.jsonl").read_text().splitlines()]
    assert all(row["error"] is None for row in outputs), outputs
    misses = json.loads((run / "manifest.json").read_text())["cache"]["generation"]["misses"]
    return [row["summary"] for row in outputs], misses


def _summarizer(prefix: str) -> str:
    return f"def summarize(sources):\n    return [{prefix!r} + s.split('.')[0] for s in sources]\n"


def test_an_edited_python_file_is_run_again(tmp_path: Path, harness_cli: HarnessCLI) -> None:
    code = tmp_path / "mine.py"
    code.write_text(_summarizer("one: "), encoding="utf-8")
    # Relative to the config's folder; the CLI runs from the repository root.
    config = _config(
        tmp_path, "{name: mine, backend: python, params: {callable: 'mine.py:summarize'}}"
    )
    assert _run(harness_cli, config) == (["one: Rain flooded Leeds", "one: Prices rose 4%"], 2)

    code.write_text(_summarizer("second: "), encoding="utf-8")
    assert _run(harness_cli, config) == (
        ["second: Rain flooded Leeds", "second: Prices rose 4%"],
        2,
    )
    # Unchanged code is still served from the cache.
    assert _run(harness_cli, config)[1] == 0


def test_an_edited_module_is_run_again(tmp_path: Path, harness_cli: HarnessCLI) -> None:
    module = tmp_path / "edited_user_module.py"
    module.write_text(_summarizer("one: "), encoding="utf-8")
    config = _config(
        tmp_path,
        "{name: mine, backend: python, params: {callable: 'edited_user_module:summarize'}}",
    )
    assert _run(harness_cli, config)[0] == ["one: Rain flooded Leeds", "one: Prices rose 4%"]

    module.write_text(_summarizer("second: "), encoding="utf-8")
    assert _run(harness_cli, config) == (
        ["second: Rain flooded Leeds", "second: Prices rose 4%"],
        2,
    )


def test_a_module_edited_with_its_size_and_mtime_kept_is_run_again(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    # cp -p, rsync -a, a tar extraction: Python's .pyc check would run the old code.
    module = tmp_path / "kept_mtime_module.py"
    module.write_text(_summarizer("one: "), encoding="utf-8")
    py_compile.compile(str(module), doraise=True)  # as any earlier import leaves it
    config = _config(
        tmp_path,
        "{name: mine, backend: python, params: {callable: 'kept_mtime_module:summarize'}}",
    )
    assert _run(harness_cli, config) == (["one: Rain flooded Leeds", "one: Prices rose 4%"], 2)

    stat = module.stat()
    module.write_text(_summarizer("two: "), encoding="utf-8")
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _run(harness_cli, config) == (["two: Rain flooded Leeds", "two: Prices rose 4%"], 2)


def _script(prefix: str) -> str:
    return (
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    record = json.loads(line)\n"
        f"    summary = {prefix!r} + record['source'].split('.')[0]\n"
        "    print(json.dumps({'id': record['id'], 'summary': summary}))\n"
    )


def test_an_edited_command_script_is_run_again(tmp_path: Path, harness_cli: HarnessCLI) -> None:
    script = tmp_path / "summarize.py"
    script.write_text(_script("one: "), encoding="utf-8")
    # "summarize.py" is relative to the config's folder, not to the CWD (the repository).
    config = _config(
        tmp_path,
        f"{{name: mine, backend: command, params: {{argv: [{sys.executable}, summarize.py]}}}}",
    )
    assert _run(harness_cli, config) == (["one: Rain flooded Leeds", "one: Prices rose 4%"], 2)

    script.write_text(_script("second: "), encoding="utf-8")
    assert _run(harness_cli, config) == (
        ["second: Rain flooded Leeds", "second: Prices rose 4%"],
        2,
    )
    assert _run(harness_cli, config)[1] == 0


def test_an_edited_helper_module_is_run_again(tmp_path: Path, harness_cli: HarnessCLI) -> None:
    # The user's own modules the function's module imports are hashed with it.
    (tmp_path / "prefix_helper.py").write_text("PREFIX = 'one: '\n", encoding="utf-8")
    (tmp_path / "uses_helper.py").write_text(
        "import prefix_helper\n\n"
        "def summarize(sources):\n"
        "    return [prefix_helper.PREFIX + s.split('.')[0] for s in sources]\n",
        encoding="utf-8",
    )
    config = _config(
        tmp_path, "{name: mine, backend: python, params: {callable: 'uses_helper:summarize'}}"
    )
    assert _run(harness_cli, config) == (["one: Rain flooded Leeds", "one: Prices rose 4%"], 2)
    assert _run(harness_cli, config)[1] == 0

    (tmp_path / "prefix_helper.py").write_text("PREFIX = 'second: '\n", encoding="utf-8")
    assert _run(harness_cli, config) == (
        ["second: Rain flooded Leeds", "second: Prices rose 4%"],
        2,
    )


def test_the_version_param_forces_a_fresh_run(tmp_path: Path, harness_cli: HarnessCLI) -> None:
    # What is not hashed (a file the function reads, an installed package): `version` covers it.
    (tmp_path / "prefix.txt").write_text("one: ", encoding="utf-8")
    (tmp_path / "reads_prefix.py").write_text(
        "from pathlib import Path\n\n"
        "def summarize(sources):\n"
        "    prefix = (Path(__file__).parent / 'prefix.txt').read_text()\n"
        "    return [prefix + s.split('.')[0] for s in sources]\n",
        encoding="utf-8",
    )
    config = _config(
        tmp_path, "{name: mine, backend: python, params: {callable: 'reads_prefix:summarize'}}"
    )
    assert _run(harness_cli, config)[0] == ["one: Rain flooded Leeds", "one: Prices rose 4%"]

    (tmp_path / "prefix.txt").write_text("second: ", encoding="utf-8")
    assert _run(harness_cli, config)[0] == ["one: Rain flooded Leeds", "one: Prices rose 4%"]
    assert _run(harness_cli, config, "systems.0.params.version=2") == (
        ["second: Rain flooded Leeds", "second: Prices rose 4%"],
        2,
    )
    assert _run(harness_cli, config, "systems.0.params.version=2")[1] == 0


@pytest.mark.requires("torch", "transformers", extra="models")
def test_a_model_saved_again_into_its_folder_is_run_again(
    tmp_path: Path, harness_cli: HarnessCLI, tiny: dict[str, Path]
) -> None:
    # The hf backend's fingerprint holds a digest of the model folder's files, not only its path.
    from tests.backend.test_hf_backend import resave_with_other_weights

    folder = tmp_path / "model"
    shutil.copytree(tiny["bart"], folder)
    config = _config(
        tmp_path,
        f"{{name: mine, backend: hf, params: {{model: {folder}, max_new_tokens: 5}}}}",
    )
    first, misses = _run(harness_cli, config)
    assert misses == 2
    # Unchanged, the folder is served from the cache.
    assert _run(harness_cli, config) == (first, 0)
    resave_with_other_weights(folder)
    assert _run(harness_cli, config)[1] == 2
