"""A model-free metric's values change only with its version.

`harness check` refuses a baseline whose metric versions differ from the run's,
and otherwise compares the values example by example. A change in code that
several metrics share (sentence splitting, number reading, name matching)
moves values under versions nobody bumped, and the gate would read the move
as the candidate's. Each metric scores a fixed corpus (`value_corpus`); the
digest of its values must be the one recorded for its version.
"""

from __future__ import annotations

import pytest

from harness.metric._protocol import METRICS
from tests.metric.value_corpus import (
    MODEL_FREE_METRICS,
    SHARED_FILES,
    corpus_items,
    library_versions,
    recorded_digests,
    splitter_digest,
    splitting_versions,
    value_digest,
)

#: Metrics that need a model or a server: their values are checked by their own tests.
MODEL_BASED_METRICS = ("bertscore", "embedding", "evaluate", "llm_judge", "nli")

RECORD = "python tools/record_value_digests.py"


def test_every_built_in_metric_is_classified() -> None:
    built_in = [
        name for name, entry in METRICS.items() if entry.factory.__module__.startswith("harness.")
    ]
    assert sorted(built_in) == sorted(MODEL_FREE_METRICS + MODEL_BASED_METRICS)


def _needs_the_shared_files(test: object) -> object:
    for relative in SHARED_FILES:
        test = pytest.mark.requires(shared=relative)(test)
    return test


@_needs_the_shared_files
@pytest.mark.parametrize("name", MODEL_FREE_METRICS)
def test_values_change_only_with_the_version(name: str) -> None:
    recorded = recorded_digests()
    if recorded["libraries"] != library_versions():
        pytest.skip(
            f"the digests were recorded with {recorded['libraries']}, this install has "
            f"{library_versions()}: record them again with {RECORD}"
        )
    version, digest = value_digest(name, corpus_items())
    digests = recorded["metrics"].get(name, {})
    assert version in digests, (
        f"{name} version {version} has no recorded digest: record it with {RECORD}"
    )
    assert digests[version] == digest, (
        f"{name}'s values on the fixed corpus changed, but its version is still {version}: "
        f"bump the version in harness/metric/{name}.py (a baseline of the old values would "
        f"be compared with the new ones as if the candidate moved them), then {RECORD}"
    )


@_needs_the_shared_files
def test_a_change_of_the_sentence_split_bumps_the_components_that_split() -> None:
    # nli, embedding and hf need a model, so their values are not digested; the
    # sentences they are given are.
    recorded = recorded_digests()
    if recorded["libraries"] != library_versions():
        pytest.skip(f"the digests were recorded with other libraries: record them with {RECORD}")
    sentences = recorded["sentences"]
    if splitter_digest(corpus_items()) == sentences["digest"]:
        return
    kept = {
        name: version
        for name, version in splitting_versions().items()
        if sentences["versions"].get(name) == version
    }
    assert not kept, (
        "the sentence splitter's output on the fixed corpus changed, but these components "
        f"that split with it kept their versions: {kept}; bump each (its VERSION), then {RECORD}"
    )
    pytest.fail(f"the sentence splitter's output changed: record it with {RECORD}")
