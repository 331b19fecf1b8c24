"""Fixtures shared by the test folders."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.requires import check_marker, require

REPO = Path(__file__).resolve().parents[1]
BACKEND_FIXTURES = Path(__file__).parent / "fixtures" / "backend"
HarnessCLI = Callable[..., "subprocess.CompletedProcess[str]"]


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``requires`` marker (tests/requires.py)."""
    config.addinivalue_line(
        "markers",
        "requires(*modules, extra=None, tool=None, shared=None): what the test needs beyond "
        "the light install; skipped naming it if missing (failed under CI=true or "
        "HARNESS_REQUIRE_ALL=1)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Check every ``requires`` marker of ``item`` before its fixtures run."""
    for marker in item.iter_markers("requires"):
        check_marker(marker)


@pytest.fixture
def harness_cli(tmp_path: Path) -> HarnessCLI:
    """Run ``python -m harness ARGS`` as a user would: a subprocess, from the repository root.

    The returned callable takes the arguments and ``cwd``, ``env`` and
    ``timeout`` (seconds) keywords. Without ``env`` the cache goes to a fresh
    folder under ``tmp_path`` and tables are 120 columns wide.
    """
    default_env = {**os.environ, "HARNESS_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "120"}

    def run(
        *args: str, cwd: Path = REPO, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "harness", *args],
            cwd=cwd,
            env=default_env if env is None else env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


def _fixture_module(file_name: str) -> ModuleType:
    """Import a helper module from tests/fixtures/backend (once per session)."""
    name = f"_harness_test_{Path(file_name).stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BACKEND_FIXTURES / file_name)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def fake_openai() -> ModuleType:
    """The fake OpenAI-compatible server module (tests/fixtures/backend/fake_openai_server.py)."""
    return _fixture_module("fake_openai_server.py")


@pytest.fixture(scope="session")
def tiny_models() -> ModuleType:
    """The tiny-model builder module (tests/fixtures/backend/tiny_models.py)."""
    require("torch", "transformers", extra="models")
    return _fixture_module("tiny_models.py")


@pytest.fixture(scope="session")
def tiny(tiny_models: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Folders with a tiny BART, a tiny Llama with a chat template, and one without."""
    folders: dict[str, Path] = tiny_models.build_tiny_models(tmp_path_factory.mktemp("tiny"))
    return folders


@pytest.fixture
def openai_server(fake_openai: ModuleType) -> Iterator[Any]:
    """A running fake server on 127.0.0.1 (stopped after the test)."""
    with fake_openai.FakeOpenAI() as running:
        yield running
