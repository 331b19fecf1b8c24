"""Contract every registered metric keeps (run over ``harness.metric.METRICS``)."""

from __future__ import annotations

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


def _entry(name: str) -> MetricEntry:
    return METRICS.get(name)


def _build(name: str) -> Metric:
    entry = _entry(name)
    return entry.factory(entry.params_model())


def test_the_built_in_metrics_are_registered() -> None:
    assert {"fragments", "length", "rouge"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_score_returns_one_declared_result_per_input(name: str) -> None:
    declared = [spec.name for spec in _entry(name).values]
    assert len(declared) == len(set(declared))
    results = _build(name).score(ITEMS)
    assert len(results) == len(ITEMS)
    for result in results:
        assert isinstance(result, MetricResult)
        assert list(result.values) == declared
        assert all(value is None or type(value) is float for value in result.values.values())
        if result.reason is not None:
            assert all(value is None for value in result.values.values())


@pytest.mark.parametrize("name", NAMES)
def test_score_is_pure_and_ordered(name: str) -> None:
    metric = _build(name)
    batch = metric.score(ITEMS)
    assert metric.score(ITEMS) == batch
    assert [metric.score([item])[0] for item in ITEMS] == batch
    assert metric.score([]) == []


@pytest.mark.parametrize("name", NAMES)
def test_fingerprint_is_stable_and_names_the_metric(name: str) -> None:
    fingerprint = _build(name).fingerprint
    assert fingerprint.kind == "metric" and fingerprint.name == name
    assert fingerprint.params == _entry(name).params_model().model_dump(mode="json")
    assert fingerprint.digest() == _build(name).fingerprint.digest()


def test_fingerprints_differ_between_metrics_and_params() -> None:
    digests = {_build(name).fingerprint.digest() for name in NAMES}
    assert len(digests) == len(NAMES)
    _, rouge = build_metric(MetricConfig(name="rouge", params={"use_stemmer": False}), "test")
    assert rouge.fingerprint.digest() != _build("rouge").fingerprint.digest()


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
