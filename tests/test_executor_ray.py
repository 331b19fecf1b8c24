"""The ``ray`` executor on a real local Ray cluster (127.0.0.1), and an unreachable one."""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console

from harness.config import load_config
from harness.executor import Executor, LocalExecutor
from harness.report import render_reports
from harness.runner import run_pipeline
from harness.store import RunDir

pytestmark = pytest.mark.requires("ray", extra="ray")

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
    from harness.executor.ray import RayExecutor

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


def gpu_config(tmp_path: Path, num_gpus: float) -> Path:
    config = write_config(tmp_path)
    text = config.read_text(encoding="utf-8").replace(
        "systems:\n",
        "systems:\n  - {name: on-gpu, backend: python, batch_size: 4, "
        f'params: {{callable: "{WORKERS}:gpu_ids"}}, resources: {{num_gpus: {num_gpus}}}}}\n'
        "  - {name: on-cpu, backend: python, batch_size: 4, "
        f'params: {{callable: "{WORKERS}:gpu_ids"}}}}\n',
    )
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture
def one_gpu_cluster() -> Iterator[None]:
    """A local Ray whose node declares one (logical) GPU: Ray schedules by the count."""
    import ray

    ray.init(
        address="local",
        num_cpus=2,
        num_gpus=1,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        configure_logging=False,
    )
    try:
        yield
    finally:
        ray.shutdown()


@pytest.mark.slow
@pytest.mark.usefixtures("one_gpu_cluster")
def test_a_system_that_needs_a_gpu_runs_on_an_actor_holding_one(tmp_path: Path) -> None:
    from harness.executor.ray import RayExecutor

    config = gpu_config(tmp_path, 1)
    run_dir = run(config, RayExecutor(2, None, where="run.yaml"), tmp_path / "ray")
    by_system: dict[str, set[str]] = {}
    for output in run_dir.read_outputs():
        assert output.error is None and output.summary is not None
        by_system.setdefault(output.system, set()).add(output.summary.split()[1])
    assert by_system["on-gpu"] == {"0"}  # every batch on the actor that holds GPU 0
    assert by_system["on-cpu"] == {"none"}
    # how the run was done, not what it computed: not in config.yaml
    assert "resources" not in run_dir.file("config.yaml").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.usefixtures("one_gpu_cluster")
def test_more_gpus_than_the_cluster_has_is_a_config_error_not_a_wait(tmp_path: Path) -> None:
    from harness.errors import ConfigError
    from harness.executor.ray import RayExecutor

    config = gpu_config(tmp_path, 2)
    with pytest.raises(ConfigError, match=r"systems\[0\]: resources\.num_gpus is 2, but the Ray"):
        run(config, RayExecutor(2, None, where="run.yaml"), tmp_path / "ray")


@pytest.mark.slow
def test_a_killed_actor_costs_its_batch_one_retry_and_the_batches_queued_behind_it_none(
    harness_cli: HarnessCLI, tmp_path: Path
) -> None:
    sources = [f"Plain article {i} with some words in it." for i in range(8)]
    sources[2] = "This one says KILL and dies every time."
    sources[4] = "This one says KILLONCE and dies the first time only."
    rows = [{"id": f"e{i}", "text": text} for i, text in enumerate(sources)]
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    config = tmp_path / "run.yaml"
    config.write_text(
        f"""\
name: ray-kill
benchmark: {{path: {data}, fields: {{id: id, source: text}}}}
systems:
  - {{name: user, backend: python, batch_size: 1, params: {{callable: "{WORKERS}:first_words"}}}}
metrics: [length]
cache: off
""",
        encoding="utf-8",
    )
    # As a user runs it: the driver is a process of its own, not this test's.
    env = {
        **os.environ,
        "HARNESS_CACHE_DIR": str(tmp_path / "cache"),
        "HARNESS_TEST_BUILDS": str(tmp_path / "builds.log"),
    }
    done = harness_cli(
        "run",
        str(config),
        "--executor",
        "ray",
        "--workers",
        "2",
        "--out",
        str(tmp_path / "ray"),
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (
        "1× the Ray actor died (ActorDiedError) while running this batch, 2 times (example 'e2')"
        in (done.stderr)
    )
    run_dir = RunDir(tmp_path / "ray")
    outputs = {o.example_id: o for o in run_dir.read_outputs()}
    assert outputs["e2"].summary is None
    assert outputs["e2"].error is not None and "2 times" in outputs["e2"].error
    assert outputs["e4"].summary == "This one says KILLONCE and dies"
    # Each actor has two calls on their way; of a dying one, neither counts
    # (an answer can be lost with the actor): both run again, each alone on an
    # actor, so only the batch that kills it is ever charged (ActorCalls).
    assert {i: outputs[f"e{i}"].error for i in (0, 1, 3, 5, 6, 7)} == dict.fromkeys(
        (0, 1, 3, 5, 6, 7)
    )
    results = json.loads(run_dir.file("results.json").read_text(encoding="utf-8"))
    assert results["failures"] == {"user": 1}


@pytest.fixture
def ray_head(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A real one-CPU Ray cluster (`ray start --head` on 127.0.0.1) that wants a token.

    Yields its address and an environment that joins it (RAY_AUTH_MODE=token,
    RAY_AUTH_TOKEN); its own temp dir keeps it apart from other local Rays.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(16)}
    temp = tempfile.mkdtemp(prefix="ray-", dir="/tmp")  # short: Ray's socket paths live there
    log = tmp_path / "ray-start.log"
    argv = [str(Path(sys.executable).parent / "ray"), "start", "--head", "--block"]
    argv += ["--num-cpus", "1", "--node-ip-address", "127.0.0.1", "--port", str(port)]
    argv += ["--include-dashboard", "false", "--disable-usage-stats", f"--temp-dir={temp}"]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            argv,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while "block forever" not in log.read_text(encoding="utf-8"):
            assert process.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        yield f"127.0.0.1:{port}", env
    finally:
        # `ray start --block` may outlive SIGTERM; its whole group goes (if any is left).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(temp, ignore_errors=True)


@pytest.mark.slow
def test_a_cluster_from_ray_start_is_joined_by_host_port_with_one_actor_per_cpu(
    ray_head: tuple[str, dict[str, str]], harness_cli: HarnessCLI, tmp_path: Path
) -> None:
    address, env = ray_head
    env = {**env, "HARNESS_CACHE_DIR": str(tmp_path / "cache")}
    config = write_config(tmp_path)
    local = harness_cli("run", str(config), "--out", str(tmp_path / "local"), env=env)
    assert local.returncode == 0, local.stderr
    # Without --workers: as many actors as the cluster has CPUs (not this machine's cores).
    cluster = tmp_path / "cluster"
    done = harness_cli("run", str(config), "--address", address, "--out", str(cluster), env=env)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((cluster / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["executor"] == {"kind": "ray", "workers": 1, "address": address}
    for name in SAME_FILES:
        assert (tmp_path / "local" / name).read_bytes() == (cluster / name).read_bytes(), name
    # More actors than CPUs would wait forever for the ones that never start.
    more = harness_cli(
        "run", str(config), "--address", address, "--workers", "3", "--out", str(cluster), env=env
    )
    assert more.returncode == 2, more.stderr
    assert "executor.workers is 3, but the Ray cluster has 1 CPU(s)" in more.stderr
    assert "ask for at most 1 worker (executor.workers, or --workers)" in more.stderr
    assert "Traceback" not in more.stderr


@pytest.mark.slow
def test_joining_a_cluster_that_wants_a_token_without_one_is_exit_2_saying_how(
    ray_head: tuple[str, dict[str, str]], harness_cli: HarnessCLI, tmp_path: Path
) -> None:
    address, env = ray_head
    bare = {k: v for k, v in env.items() if k not in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN")}
    bare["HARNESS_CACHE_DIR"] = str(tmp_path / "cache")
    done = harness_cli("run", str(write_config(tmp_path)), "--address", address, env=bare)
    assert done.returncode == 2, done.stderr
    assert f"a Ray cluster answers at '{address}', but harness could not join it" in done.stderr
    assert "run harness with RAY_AUTH_MODE=token and the cluster's token" in done.stderr
    assert "Traceback" not in done.stderr
    # A token, but not the cluster's: the same error, saying to check it.
    wrong = {**bare, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(16)}
    done = harness_cli("run", str(write_config(tmp_path)), "--address", address, env=wrong)
    assert done.returncode == 2, done.stderr
    assert "harness sent a token (RAY_AUTH_MODE=token): check that it is the cluster's" in (
        done.stderr
    )


@pytest.mark.slow
def test_without_an_address_harness_starts_its_own_ray_whatever_ray_address_says(
    harness_cli: HarnessCLI, tmp_path: Path
) -> None:
    # RAY_ADDRESS (set on many cluster nodes) is what a plain ray.init() joins.
    env = {**os.environ, "RAY_ADDRESS": "127.0.0.1:1", "HARNESS_CACHE_DIR": str(tmp_path / "c")}
    done = harness_cli(
        "run", str(write_config(tmp_path)), "--executor", "ray", "--workers", "2", env=env
    )
    assert done.returncode == 0, done.stderr
