"""The `openai` backend against a real OpenAI-compatible server: ``transformers
serve`` (shipped with transformers) serving the tiny Llama built at test time,
started on 127.0.0.1 by the test.

It replaced llama-cpp-python's server, which ``make test`` had to compile for
about 9 minutes; this server needs nothing compiled. Its requirements beyond
transformers and torch (FastAPI, Uvicorn) are in the ``test`` extra; without
them the test skips with the install command.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from harness.config import parse_config
from harness.runner import run_pipeline

SERVER_MODULES = ("torch", "transformers", "fastapi", "uvicorn")

pytestmark = pytest.mark.requires(*SERVER_MODULES, extra="test")

#: The server loads the model before it answers; on a loaded 2-core machine that is seconds.
START_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served_model(
    tiny: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(base URL, model name) of a running ``transformers serve`` on 127.0.0.1."""
    port = _free_port()
    model = str(tiny["llama-long"])
    log_path = tmp_path_factory.mktemp("serve") / "server.log"
    log = log_path.open("w", encoding="utf-8")
    command = [
        sys.executable, "-c", "from transformers.cli.transformers import main; main()",
        "serve", model, "--host", "127.0.0.1", "--port", str(port), "--device", "cpu",
    ]  # fmt: skip
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1"}
    # the server logs every request: a file, not a pipe that would fill up and block it
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"transformers serve exited: {log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"transformers serve did not answer within {START_TIMEOUT_S} s")
        yield f"{url}/v1", model
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.mark.slow
def test_a_reply_a_real_local_server_cuts_at_max_tokens_is_a_failure(
    served_model: tuple[str, str], tmp_path: Path
) -> None:
    base_url, model = served_model
    config = parse_config(
        {
            "name": "transformers-serve",
            "benchmark": {"builtin": "newsbriefs", "limit": 2},
            "systems": [
                {
                    "name": "tiny-llama",
                    "backend": "openai",
                    "batch_size": 2,
                    "params": {"base_url": base_url, "model": model, "max_tokens": 12},
                }
            ],
            "metrics": ["length", "numbers"],
            "out": str(tmp_path / "run"),
            "cache": str(tmp_path / "cache"),
        },
        "test",
    )
    summary = run_pipeline(config, origin="test", config_dir=tmp_path, console=Console(quiet=True))
    outputs = summary.run_dir.read_outputs()
    # The tiny model never ends early (its end-of-text logit is zeroed), so the server
    # stops it at max_tokens and says so (finish_reason "length"): a cut reply is a
    # recorded failure with what it began with, never a summary scored as whole.
    for output in outputs:
        assert output.summary is None
        assert output.error is not None
        assert output.error.startswith(
            "the reply was cut off at the request's max_tokens (finish_reason 'length')"
        ), output.error
        began = output.error.split("It began: ", 1)[1]
        assert len(began.split()) >= 5
    # failures are not cached: a second run asks the server again
    again = run_pipeline(config, origin="test", config_dir=tmp_path, console=Console(quiet=True))
    assert again.manifest["cache"]["generation"] == {"hits": 0, "misses": 2}


def test_a_server_that_has_stopped_is_a_recorded_failure_not_a_summary(tmp_path: Path) -> None:
    """No server on the port: every generation is a recorded failure with the reason."""
    config = parse_config(
        {
            "name": "no-server",
            "benchmark": {"builtin": "newsbriefs", "limit": 1},
            "systems": [
                {
                    "name": "gone",
                    "backend": "openai",
                    "params": {
                        "base_url": f"http://127.0.0.1:{_free_port()}/v1",
                        "model": "m",
                        "max_retries": 0,
                    },
                }
            ],
            "metrics": ["length"],
            "out": str(tmp_path / "run"),
            "cache": str(tmp_path / "cache"),
        },
        "test",
    )
    summary = run_pipeline(config, origin="test", config_dir=tmp_path, console=Console(quiet=True))
    (output,) = summary.run_dir.read_outputs()
    assert output.summary is None and output.error
