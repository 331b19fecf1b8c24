"""``--max-failures``: a run stops early once too many generations fail, keeping the cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from harness.config import load_config
from harness.errors import BackendError
from harness.runner import run_pipeline

REPO = Path(__file__).resolve().parents[1]
FLAKY = REPO / "tests" / "fixtures" / "runner" / "flaky.py"

# "first_words" raises for a source containing BOOM: b and d fail.
ROWS = [
    {"id": "a", "text": "The dam burst on Monday. Two villages were flooded."},
    {"id": "b", "text": "BOOM goes the first bad article."},
    {"id": "c", "text": "Prices rose four percent in May. Markets fell."},
    {"id": "d", "text": "BOOM goes the second bad article."},
    {"id": "e", "text": "The club won again. Fans celebrated."},
]


def write_config(tmp_path: Path) -> Path:
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    config = tmp_path / "run.yaml"
    config.write_text(
        f"""\
name: max-failures
benchmark:
  path: {data}
  fields: {{id: id, source: text}}
systems:
  - {{name: user, backend: python, params: {{callable: "{FLAKY}:first_words"}}, batch_size: 2}}
metrics: [length]
out: {tmp_path / "run"}
cache: {tmp_path / "cache"}
""",
        encoding="utf-8",
    )
    return config


def run(config_path: Path, max_failures: int | None) -> dict[str, object]:
    summary = run_pipeline(
        load_config(config_path),
        origin=str(config_path),
        config_dir=config_path.parent,
        console=Console(quiet=True),
        max_failures=max_failures,
    )
    return summary.manifest


def test_stops_once_more_than_n_failed_and_keeps_the_cache(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    with pytest.raises(BackendError) as raised:
        run(config, max_failures=0)
    message = str(raised.value)
    assert "stopped after 1 failed generations (max_failures=0)" in message
    assert "example 'b'" in message
    assert "cannot summarise this one" in message
    assert not (tmp_path / "run" / "outputs.jsonl").exists()
    # The first batch (a, b) finished before the stop: a's summary is cached.
    manifest = run(config, max_failures=None)
    assert manifest["cache"]["generation"] == {"hits": 1, "misses": 4}  # type: ignore[index]


def test_at_most_n_failures_lets_the_run_finish(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    run(config, max_failures=2)
    outputs = [
        json.loads(line)
        for line in (tmp_path / "run" / "outputs.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [row["example_id"] for row in outputs if row["error"]] == ["b", "d"]


def test_two_failures_over_a_limit_of_one_stop_at_the_second(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match=r"stopped after 2 failed .*example 'd'"):
        run(write_config(tmp_path), max_failures=1)


def test_cli_exits_2_with_one_message(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "harness", "run", str(config), "--max-failures", "0"],
        cwd=REPO,
        env={**os.environ, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "stopped after 1 failed generations (max_failures=0)" in done.stderr
    assert "--max-failures" in done.stderr
    assert "Traceback" not in done.stderr
