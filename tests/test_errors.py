"""The error tree of `harness.errors`: classes, messages with hints, the documented tree."""

from __future__ import annotations

import pickle

import pytest

from harness import errors
from harness.errors import (
    BackendError,
    BenchmarkError,
    ConfigError,
    HarnessError,
    MetricError,
    MissingDependencyError,
    StoreError,
    TextError,
)

LEAVES = [ConfigError, BenchmarkError, BackendError, MetricError, StoreError]


@pytest.mark.parametrize("kind", LEAVES)
def test_every_user_error_is_a_harness_error_and_no_other_kind(kind: type[HarnessError]) -> None:
    error = kind("bad")
    assert isinstance(error, HarnessError) and isinstance(error, Exception)
    assert [other for other in LEAVES if isinstance(error, other)] == [kind]


def test_text_error_is_a_metric_error() -> None:
    # Every place that handles a failed metric handles the text analysis failing too.
    assert issubclass(TextError, MetricError)
    with pytest.raises(MetricError):
        raise TextError("the spaCy pipeline is missing")


def test_message_alone_prints_as_given() -> None:
    error = ConfigError("config.yaml:3: unknown key 'sytems'")
    assert str(error) == "config.yaml:3: unknown key 'sytems'"
    assert error.message == "config.yaml:3: unknown key 'sytems'"
    assert error.hint is None


def test_hint_prints_on_its_own_line() -> None:
    error = BenchmarkError("data.jsonl:7: no column 'doc'", hint="map it with fields.source")
    assert str(error) == "data.jsonl:7: no column 'doc'\n  hint: map it with fields.source"
    assert error.args == ("data.jsonl:7: no column 'doc'",)


def test_an_empty_hint_is_no_hint() -> None:
    assert str(StoreError("cannot write", hint="")) == "cannot write"


def test_missing_dependency_names_the_package_and_the_install_command() -> None:
    error = MissingDependencyError("torch", "pip install 'harness[models]'", "the hf backend")
    assert isinstance(error, HarnessError)
    assert error.package == "torch"
    assert error.install == "pip install 'harness[models]'"
    assert (
        error.message == "the hf backend needs the Python package 'torch', which is not installed"
    )
    assert error.hint == "install it with: pip install 'harness[models]'"
    assert str(error).splitlines() == [
        error.message,
        "  hint: install it with: pip install 'harness[models]'",
    ]


@pytest.mark.parametrize("kind", [*LEAVES, TextError])
def test_errors_pickle_with_their_message_and_hint(kind: type[HarnessError]) -> None:
    error = pickle.loads(pickle.dumps(kind("bad", hint="fix it")))
    assert type(error) is kind
    assert (error.message, error.hint) == ("bad", "fix it")
    assert str(error) == "bad\n  hint: fix it"


def test_the_module_docstring_draws_every_exported_error() -> None:
    doc = errors.__doc__ or ""
    tree = doc.split("```")[1]
    assert sorted(errors.__all__) == sorted(
        name for name in errors.__all__ if isinstance(getattr(errors, name), type)
    )
    for name in errors.__all__:
        assert name in tree, f"{name} is not in the error tree of harness/errors.py"
