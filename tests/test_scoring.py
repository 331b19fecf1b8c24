"""Scoring's cache keys: a score is never served from code that is gone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]


def _run(harness_cli: HarnessCLI, tree: Path, cache: Path, out: Path) -> tuple[float, str]:
    """``harness run configs/ci.yaml --limit 3`` (length only) with ``tree``'s harness."""
    env = {**os.environ, "PYTHONPATH": str(tree), "HARNESS_CACHE_DIR": str(cache)}
    args = ["configs/ci.yaml", "--limit", "3", "--set", "metrics=[length]", "--set", "gate=[]"]
    done = harness_cli("run", *args, "--out", str(out), cwd=tree, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return results["results"]["lead3"]["length.words"]["mean"], done.stdout + done.stderr


def test_an_edited_metric_is_scored_anew_not_served_from_the_cache(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    tree = tmp_path / "tree"
    for folder in ("harness", "benchmarks", "configs"):
        shutil.copytree(REPO / folder, tree / folder, ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "cache"
    before, _ = _run(harness_cli, tree, cache, tmp_path / "before")
    length = tree / "harness" / "metric" / "length.py"
    code = length.read_text(encoding="utf-8")
    edited = code.replace('"words": float(len(', '"words": 1000.0 + float(len(', 1)
    assert edited != code
    length.write_text(edited, encoding="utf-8")
    after, log = _run(harness_cli, tree, cache, tmp_path / "after")
    assert after == before + 1000.0, log
