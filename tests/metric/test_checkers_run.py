"""configs/checkers/*.yaml through the pipeline, each with a tiny model of its architecture.

Every shipped config is loaded as ``harness run`` loads it, with ``--set``
overrides for the model (the tiny one of tests/metric/test_checkers.py), the
benchmark path (a small SummEdits-shaped file written here) and the cache;
HHEM's also through ``python -m harness run`` in a subprocess, remote code
included. The run must write nli values for every summary and meta-evaluate
them against the labels beside ``consistency``.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download in tests

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rich.console import Console

from harness.config import load_config
from harness.runner import run_pipeline
from tests.requires import require

HERE = Path(__file__).parent


def _sibling(name: str) -> ModuleType:
    """A test module next to this one (its helpers build the tiny checkers)."""
    spec = importlib.util.spec_from_file_location(f"_run_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECKERS = _sibling("test_checkers")
ROWS = [
    ("e1", "evaluation", 1, "A fire killed two people on Monday."),
    ("e2", "evaluation", 0, "A fire killed five people on Sunday."),
    ("e3", "evaluation", 1, "Officials said more aid would follow."),
    ("t1", "test", 1, "Crews fought the fire for five days."),
    ("t2", "test", 0, "The U.S. sent no aid. Crews did not fight it."),
    ("t3", "test", 0, "Two people died in a flood."),
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Any:
    require("torch", "transformers", extra="models")
    import transformers.dynamic_module_utils as modules

    cache = tmp_path_factory.mktemp("hf_modules")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(modules, "HF_MODULES_CACHE", str(cache))
        folders = CHECKERS.build_checkers(tmp_path_factory.mktemp("checkers"))
        yield {"folders": folders, "modules": cache}


@pytest.fixture(scope="module")
def benchmark(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SummEdits-shaped rows ({id, doc, summary, label, split}), both splits, both labels."""
    path = tmp_path_factory.mktemp("data") / "summedits_tiny.json"
    rows = [
        {"id": id_, "doc": CHECKERS.SHORT, "summary": summary, "label": label, "split": split}
        for id_, split, label, summary in ROWS
    ]
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def overrides(stem: str, tiny: Any, benchmark: Path, tmp_path: Path) -> list[str]:
    [index] = [
        i
        for i, entry in enumerate(CHECKERS.shipped_metrics(stem))
        if isinstance(entry, dict) and entry["name"] == "nli"
    ]
    sets = [f"benchmark.path={benchmark}", f"cache={tmp_path / 'cache'}"]
    for key, value in tiny["folders"][stem].items():
        sets.append(f"metrics.{index}.params.{key}={value}")
    return [*sets, f"metrics.{index}.params.device=cpu"]


def check_run(run: Path) -> None:
    scores = [json.loads(line) for line in (run / "scores.jsonl").read_text().splitlines()]
    nli = {row["example_id"]: row for row in scores if row["metric"] == "nli"}
    assert set(nli) == {row[0] for row in ROWS}
    for row in nli.values():
        assert isinstance(row["values"]["mean"], float) and row["findings"]
    results = json.loads((run / "results.json").read_text())
    assert "nli.mean" in json.dumps(results["meta_eval"])
    assert "consistency.score" in json.dumps(results["meta_eval"])


@pytest.mark.slow
@pytest.mark.parametrize("stem", CHECKERS.CONFIGS)
def test_each_checker_config_runs_through_the_pipeline(
    stem: str, tiny: Any, benchmark: Path, tmp_path: Path
) -> None:
    path = CHECKERS.CHECKERS / f"{stem}.yaml"
    config = load_config(path, overrides(stem, tiny, benchmark, tmp_path))
    run_pipeline(
        config,
        origin=str(path),
        config_dir=path.parent,
        out=tmp_path / "run",
        console=Console(quiet=True),
    )
    check_run(tmp_path / "run")


@pytest.mark.slow
def test_hhem_config_runs_with_harness_run(
    tiny: Any,
    benchmark: Path,
    tmp_path: Path,
    harness_cli: Callable[..., Any],
) -> None:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_MODULES_CACHE": str(tiny["modules"]),
        "COLUMNS": "120",
    }
    sets = [arg for item in overrides("hhem", tiny, benchmark, tmp_path) for arg in ("--set", item)]
    done = harness_cli(
        "run",
        "configs/checkers/hhem.yaml",
        "--out",
        str(tmp_path / "run"),
        *sets,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    check_run(tmp_path / "run")
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["devices"]["metrics"]["nli"] == "cpu"
