"""The contract every registered backend keeps (see `harness.backend.Summarizer`).

Each backend is built with simple params and run over three examples: it
returns one `Generation` per example, in order, each with a summary or an
error; its fingerprint is stable across builds with the same params and
changes with the params. ``hf`` runs a tiny Llama built at test time and
``openai`` talks to the fake server on 127.0.0.1 (tests/conftest.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from harness.backend import BACKENDS, BuildContext, Summarizer, build_backend
from harness.config import SystemConfig
from harness.errors import HarnessError
from harness.records import Example

FIXTURES = Path(__file__).parent.parent / "fixtures" / "backend"
SCRIPT = str(FIXTURES / "fake_summarizer.py")

EXAMPLES = [
    Example(
        id="first",
        source="Rain flooded Leeds on Monday. Roads closed. Forty homes were damaged.",
        references=("Floods hit Leeds.",),
        summary="Floods hit Leeds.",
    ),
    Example(
        id="second",
        source="Prices rose 4% in May. Markets fell. Traders were worried.",
        references=("Prices rose.",),
        summary="Prices rose.",
    ),
    Example(
        id="third",
        source="The club won again. Fans celebrated. The coach stayed calm.",
        references=("The club won.",),
        summary="The club won.",
    ),
]

# name -> (simple params, other params that must change the fingerprint)
PARAMS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "lead": ({"sentences": 1}, {"sentences": 2}),
    "textrank": ({"sentences": 1}, {"sentences": 1, "damping": 0.5}),
    "precomputed": ({}, {"column": "other"}),
    "command": (
        {"argv": [sys.executable, SCRIPT, "echo"]},
        {"argv": [sys.executable, SCRIPT, "reverse"]},
    ),
    "python": (
        {"callable": "user_summarizers:first_sentence"},
        {"callable": "user_summarizers.py:first_sentence"},
    ),
}


# Backends whose params need a resource made by a fixture: the model folder or
# the server's URL goes in at run time. Their summaries are not checked for
# content (a tiny random model says random words).
RESOURCE_PARAMS: dict[str, Any] = {
    "hf": lambda tiny, server: (
        {"model": str(tiny["llama"]), "max_new_tokens": 4},
        {"model": str(tiny["llama"]), "max_new_tokens": 5},
    ),
    "openai": lambda tiny, server: (
        {"base_url": server.base_url, "model": "ok", "prompt": "{source}"},
        {"base_url": server.base_url, "model": "ok", "prompt": "Summarize:\n\n{source}"},
    ),
}


@pytest.fixture(autouse=True)
def _restore_sys_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", list(sys.path))


@pytest.fixture
def resources(request: pytest.FixtureRequest) -> tuple[Any, Any]:
    """The tiny models and a running fake server, for the backends that need them."""
    name = request.node.callspec.params["name"]
    if name not in RESOURCE_PARAMS:
        return None, None
    return request.getfixturevalue("tiny"), request.getfixturevalue("openai_server")


def build(name: str, params: dict[str, Any]) -> Summarizer:
    system = SystemConfig(name=name, backend=name, params=params)
    return build_backend(system, BuildContext(config_dir=FIXTURES), f"contract[{name}]")


def simple_params(
    name: str, resources: tuple[Any, Any]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    if name in PARAMS:
        return PARAMS[name]
    if name in RESOURCE_PARAMS:
        params: tuple[dict[str, Any], dict[str, Any]] = RESOURCE_PARAMS[name](*resources)
        return params
    return {}, None


def build_or_skip(name: str, params: dict[str, Any]) -> Summarizer:
    try:
        return build(name, params)
    except HarnessError as error:
        if name in PARAMS or name in RESOURCE_PARAMS:
            raise
        pytest.skip(f"backend {name!r} (a plugin) cannot be built with simple params: {error}")


def test_built_in_backends_are_registered() -> None:
    assert set(PARAMS) | set(RESOURCE_PARAMS) <= set(BACKENDS.names())


@pytest.mark.parametrize("name", BACKENDS.names())
def test_one_generation_per_example_in_order(name: str, resources: tuple[Any, Any]) -> None:
    params, _ = simple_params(name, resources)
    summarizer = build_or_skip(name, params)
    assert isinstance(summarizer.cacheable, bool)
    got = summarizer.summarize(EXAMPLES)
    assert len(got) == len(EXAMPLES)
    for generation in got:
        assert (generation.summary is None) != (generation.error is None)
    if name in PARAMS:
        # Every built-in backend can summarise these examples; the first
        # summary must belong to the first example (order kept).
        assert all(generation.summary for generation in got)
        assert got[0].summary is not None and "Leeds" in got[0].summary
        assert got[2].summary is not None and "club" in got[2].summary
    assert summarizer.summarize([]) == []
    assert summarizer.summarize(EXAMPLES[1:2]) == [got[1]]


@pytest.mark.parametrize("name", BACKENDS.names())
def test_fingerprint_is_stable_and_tracks_params(name: str, resources: tuple[Any, Any]) -> None:
    params, other = simple_params(name, resources)
    fingerprint = build_or_skip(name, params).fingerprint
    assert fingerprint.kind == "backend"
    assert fingerprint.name == name
    assert fingerprint.version
    assert build(name, params).fingerprint == fingerprint
    assert build(name, params).fingerprint.digest() == fingerprint.digest()
    if other is not None:
        assert build(name, other).fingerprint.digest() != fingerprint.digest()


def test_misspelt_param_suggests_the_param_meant() -> None:
    system = SystemConfig(name="lead", backend="lead", params={"sentencez": 3})
    with pytest.raises(HarnessError) as caught:
        build_backend(system, BuildContext(config_dir=FIXTURES), "c.yaml: systems[0]")
    assert caught.value.message == (
        "c.yaml: systems[0].params: sentencez: unknown key; did you mean 'sentences'?"
    )
