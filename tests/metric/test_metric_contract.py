"""Contract every registered metric keeps (run over ``harness.metric.METRICS``).

Metrics are built with their default params, except those without an offline
default (`contract_params`): ``nli`` gets a tiny random NLI model and
``evaluate`` a local module, both written at test time, and ``llm_judge`` the
fake OpenAI server on 127.0.0.1 (tests/fixtures/backend/fake_openai_server.py).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # model metrics must work offline

import pytest
from pydantic import ValidationError

from harness.config import MetricConfig
from harness.errors import ConfigError
from harness.metric import METRICS, Metric, MetricEntry, MetricInput, MetricResult, build_metric
from harness.records import Example

ITEMS = [
    MetricInput(
        example=Example(
            id="fire",
            source="A fire killed two people on Monday. Crews fought it for five days.",
            references=("Two people died in a fire on Monday.",),
        ),
        summary="A fire on Monday killed two people.",
    ),
    MetricInput(
        example=Example(
            id="aid",
            source="The U.S. sent $4.2bn in aid. Officials said more would follow.",
            references=("The U.S. sent aid.", "Officials promised $4.2bn more."),
        ),
        summary="Officials said the U.S. sent $4.2bn. More aid would follow!",
    ),
    MetricInput(
        example=Example(id="odd", source="Short source text.", references=("A reference.",)),
        summary="?! ...",
    ),
]

NAMES = METRICS.names()


def _sibling(name: str) -> ModuleType:
    """A test module next to this one (its helpers build the offline models)."""
    spec = importlib.util.spec_from_file_location(
        f"_contract_{name}", Path(__file__).parent / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def contract_params(
    tmp_path_factory: pytest.TempPathFactory, fake_openai: ModuleType
) -> Iterator[dict[str, dict[str, Any]]]:
    """Params of the metrics that have no offline default; the others use defaults."""
    folder = tmp_path_factory.mktemp("contract_models")
    nli_model = _sibling("test_nli_metric").make_tiny_nli_model(folder / "nli")
    module = _sibling("test_evaluate_adapter").write_word_ratio_module(folder / "evaluate")
    with fake_openai.FakeOpenAI() as judge:
        yield {
            "nli": {"model": str(nli_model)},
            "evaluate": {"module": str(module), "values": ["ratio", "exact_match"]},
            "llm_judge": {"base_url": judge.base_url, "model": "judge:4"},
        }


@pytest.fixture
def build(contract_params: dict[str, dict[str, Any]]) -> Any:
    """``build(name)`` → the entry for the contract params and the built metric."""

    def _build(name: str) -> tuple[MetricEntry, Metric]:
        config = MetricConfig(name=name, params=contract_params.get(name, {}))
        return build_metric(config, "contract")

    return _build


def _entry(name: str) -> MetricEntry:
    return METRICS.get(name)


def test_the_built_in_metrics_are_registered() -> None:
    model_based = {"embedding", "bertscore", "nli", "evaluate"}
    assert {"fragments", "length", "rouge"} | model_based <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_score_returns_one_declared_result_per_input(name: str, build: Any) -> None:
    entry, metric = build(name)
    declared = [spec.name for spec in entry.values]
    assert len(declared) == len(set(declared))
    results = metric.score(ITEMS)
    assert len(results) == len(ITEMS)
    for result in results:
        assert isinstance(result, MetricResult)
        assert list(result.values) == declared
        assert all(value is None or type(value) is float for value in result.values.values())
        if result.reason is not None:
            assert all(value is None for value in result.values.values())


@pytest.mark.parametrize("name", NAMES)
def test_score_is_pure_and_ordered(name: str, build: Any) -> None:
    _, metric = build(name)
    batch = metric.score(ITEMS)
    assert metric.score(ITEMS) == batch
    assert [metric.score([item])[0] for item in ITEMS] == batch
    assert metric.score([]) == []


@pytest.mark.parametrize("name", NAMES)
def test_fingerprint_is_stable_and_names_the_metric(
    name: str, build: Any, contract_params: dict[str, dict[str, Any]]
) -> None:
    entry, metric = build(name)
    fingerprint = metric.fingerprint
    assert fingerprint.kind == "metric" and fingerprint.name == name
    params = entry.params_model.model_validate(contract_params.get(name, {}))
    assert fingerprint.params == params.model_dump(mode="json")
    assert fingerprint.digest() == build(name)[1].fingerprint.digest()


def test_fingerprints_differ_between_metrics_and_params(build: Any) -> None:
    digests = {build(name)[1].fingerprint.digest() for name in NAMES}
    assert len(digests) == len(NAMES)
    _, rouge = build_metric(MetricConfig(name="rouge", params={"use_stemmer": False}), "test")
    assert rouge.fingerprint.digest() != build("rouge")[1].fingerprint.digest()


@pytest.mark.parametrize("name", NAMES)
def test_params_forbid_unknown_keys(name: str) -> None:
    with pytest.raises(ValidationError):
        _entry(name).params_model.model_validate({"no_such_param": 1})
    with pytest.raises(ConfigError):
        build_metric(MetricConfig(name=name, params={"no_such_param": 1}), "metrics[0]")


@pytest.mark.parametrize("name", NAMES)
def test_registration_is_documented(name: str) -> None:
    entry = _entry(name)
    assert entry.description
    assert all(spec.description for spec in entry.values)
    assert entry.requires <= {"source", "reference"}
