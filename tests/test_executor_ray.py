"""The ``ray`` executor on a real local Ray cluster (127.0.0.1), and an unreachable one."""

from __future__ import annotations

import io
import json
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from harness.config import load_config
from harness.executor import Executor, LocalExecutor
from harness.report import render_reports
from harness.runner import run_pipeline
from harness.store import RunDir

pytest.importorskip("ray")

HarnessCLI = Callable[..., "subprocess.CompletedProcess[str]"]
WORKERS = Path(__file__).parent / "fixtures" / "executor" / "workers.py"
SAME_FILES = ("config.yaml", "scores.jsonl", "results.json", "report.md", "report.csv")


def write_config(tmp_path: Path) -> Path:
    rows = [
        {"id": f"e{i}", "text": f"Report {i}: the dam burst on Monday. {i + 2} villages flooded."}
        for i in range(12)
    ]
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    config = tmp_path / "run.yaml"
    config.write_text(
        f"""\
name: ray-test
benchmark: {{path: {data}, fields: {{id: id, source: text}}}}
systems:
  - {{name: user, backend: python, batch_size: 4, params: {{callable: "{WORKERS}:first_words"}}}}
  - {{name: lead1, backend: lead, batch_size: 4, params: {{sentences: 1}}}}
metrics: [numbers, length]
cache: off
""",
        encoding="utf-8",
    )
    return config


def run(config: Path, executor: Executor, out: Path) -> RunDir:
    return run_pipeline(
        load_config(config),
        origin=str(config),
        config_dir=config.parent,
        out=out,
        console=Console(file=io.StringIO()),
        render=render_reports,
        executor=executor,
    ).run_dir


@pytest.mark.slow
def test_a_local_ray_cluster_writes_the_same_bytes_as_local(tmp_path: Path) -> None:
    from harness.executor_ray import RayExecutor

    config = write_config(tmp_path)
    local = run(config, LocalExecutor(), tmp_path / "local")
    # No address: RayExecutor starts a local Ray (ray.init(num_cpus=2) on 127.0.0.1)
    # and stops it when the run ends.
    ray_run = run(config, RayExecutor(2, None, where="run.yaml"), tmp_path / "ray")
    for name in SAME_FILES:
        assert local.file(name).read_bytes() == ray_run.file(name).read_bytes(), name
    manifest = json.loads(ray_run.file("manifest.json").read_text(encoding="utf-8"))
    assert manifest["executor"] == {"kind": "ray", "workers": 2, "address": None}
    import ray

    assert not ray.is_initialized()


def test_an_unreachable_ray_cluster_is_exit_2_naming_the_address(
    harness_cli: HarnessCLI,
    tmp_path: Path,
) -> None:
    with socket.socket() as probe:  # a free port: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = harness_cli("run", str(write_config(tmp_path)), "--address", f"127.0.0.1:{port}")
    assert done.returncode == 2, done.stderr
    assert f"cannot reach a Ray cluster at '127.0.0.1:{port}'" in done.stderr
    assert "ray start --head" in done.stderr
    assert "Traceback" not in done.stderr
