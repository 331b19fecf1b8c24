"""`harness.device`: ``auto`` picks what torch sees, explicit devices are checked before
any work, and the manifest records where each model-based component ran."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download in tests

from tests.requires import require

require("torch", extra="models")  # the whole module: `auto` asks torch what it sees
import torch  # noqa: E402

from harness.device import describe_device, resolve_device  # noqa: E402
from harness.errors import ConfigError  # noqa: E402

# The harness_cli fixture (tests/conftest.py) runs `python -m harness` as a subprocess.
HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]
HAS_CUDA = bool(torch.cuda.is_available())


def one_gpu_torch() -> Any:
    """torch as a machine with one CUDA GPU shows it (for the index check and the name)."""
    cuda = SimpleNamespace(
        is_available=lambda: True,
        device_count=lambda: 1,
        current_device=lambda: 0,
        get_device_name=lambda index: f"Test GPU {index}",
    )
    return SimpleNamespace(
        __version__=torch.__version__, cuda=cuda, device=torch.device, backends=torch.backends
    )


def test_auto_is_cuda_exactly_when_torch_sees_it() -> None:
    assert resolve_device(torch, "auto", "x") == ("cuda" if HAS_CUDA else "cpu")
    assert resolve_device(one_gpu_torch(), "auto", "x") == "cuda"
    assert resolve_device(torch, "cpu", "x") == "cpu"


@pytest.mark.skipif(HAS_CUDA, reason="this machine has a CUDA device")
@pytest.mark.parametrize("device", ["cuda", "cuda:0", "cuda:1"])
def test_cuda_without_a_gpu_is_a_config_error(device: str) -> None:
    with pytest.raises(ConfigError) as raised:
        resolve_device(torch, device, "the nli metric")
    message = str(raised.value)
    assert f"the nli metric: params.device is '{device}'" in message
    assert f"torch {torch.__version__} sees no CUDA device" in message
    assert "use device: auto" in message


def test_a_gpu_index_past_the_last_one_names_those_there_are() -> None:
    fake = one_gpu_torch()
    assert resolve_device(fake, "cuda:0", "x") == "cuda:0"
    with pytest.raises(ConfigError, match=r"sees 1 CUDA device\(s\): cuda:0 to cuda:0"):
        resolve_device(fake, "cuda:1", "the hf backend")


def test_a_string_that_is_no_device_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="'tpu', which is not a torch device"):
        resolve_device(torch, "tpu", "the embedding metric")


@pytest.mark.skipif(torch.backends.mps.is_available(), reason="this machine has MPS")
def test_mps_without_apple_silicon_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="sees no Apple MPS device"):
        resolve_device(torch, "mps", "the bertscore metric")


def test_the_description_names_the_gpu() -> None:
    fake = one_gpu_torch()
    assert describe_device(fake, "cuda") == "cuda (Test GPU 0)"
    assert describe_device(fake, "cuda:0") == "cuda:0 (Test GPU 0)"
    assert describe_device(torch, "cpu") == "cpu"


# as a user runs it --------------------------------------------------------------
def _write_config(folder: Path, device: str) -> Path:
    config = folder / f"run_{device.replace(':', '_')}.yaml"
    config.write_text(
        "name: devices\n"
        "benchmark: {builtin: newsbriefs, limit: 2}\n"
        "systems: [{name: lead1, backend: lead, params: {sentences: 1}}]\n"
        f"metrics: [length, {{name: embedding, params: {{device: '{device}'}}}}]\n",
        encoding="utf-8",
    )
    return config


def test_the_manifest_records_where_a_model_metric_ran(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    out = tmp_path / "run"
    done = harness_cli("run", str(_write_config(tmp_path, "auto")), "--out", str(out))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    expected = f"cuda ({torch.cuda.get_device_name(0)})" if HAS_CUDA else "cpu"
    assert manifest["devices"] == {"systems": {}, "metrics": {"embedding": expected}}
    assert manifest["environment"]["packages"]["torch"] == torch.__version__


@pytest.mark.skipif(HAS_CUDA, reason="this machine has a CUDA device")
def test_asking_for_a_missing_gpu_stops_the_run_before_any_work(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    out = tmp_path / "run"
    done = harness_cli("run", str(_write_config(tmp_path, "cuda")), "--out", str(out))
    assert done.returncode == 2
    assert "the embedding metric: params.device is 'cuda'" in done.stderr
    assert "sees no CUDA device" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (out / "outputs.jsonl").exists()
