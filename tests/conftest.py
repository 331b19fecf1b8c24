"""Fixtures shared by the test folders."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

FAKE_OPENAI = Path(__file__).parent / "fixtures" / "backend" / "fake_openai_server.py"


@pytest.fixture(scope="session")
def fake_openai() -> ModuleType:
    """The fake OpenAI-compatible server module (tests/fixtures/backend/fake_openai_server.py)."""
    name = "_harness_test_fake_openai_server"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, FAKE_OPENAI)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def openai_server(fake_openai: ModuleType) -> Iterator[Any]:
    """A running fake server on 127.0.0.1 (stopped after the test)."""
    with fake_openai.FakeOpenAI() as running:
        yield running
