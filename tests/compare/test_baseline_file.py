"""Tests for reading a baseline.json back, field by field (`harness.compare.baseline_file`)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from harness.compare import (
    BASELINE_FORMAT,
    EMPTY_SUMMARY,
    INFERRED_FAILURE,
    load_baseline_file,
    load_reference,
    write_baseline,
)
from harness.errors import ConfigError, StoreError

MakeRun = Callable[..., Path]
Column = Callable[..., dict[str, float | None]]
BaselineWith = Callable[[Path, Any], Path]


def test_bad_baseline_files_are_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="baseline not found"):
        load_reference(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(StoreError, match="malformed JSON"):
        load_baseline_file(bad)
    bad.write_text(json.dumps({"systems": {}}))
    with pytest.raises(StoreError, match="harness-baseline/2"):
        load_baseline_file(bad)
    bad.write_text(json.dumps({"format": BASELINE_FORMAT, "systems": {"s": {"v.x": {}}}}))
    with pytest.raises(StoreError, match=r'systems\.s\["v\.x"\]\.examples: missing'):
        load_baseline_file(bad)
    bad.write_text(
        json.dumps({"format": BASELINE_FORMAT, "systems": {}, "gate": [{"value": "rouge.rouge1"}]})
    )
    with pytest.raises(ConfigError, match=r"gate\[0\]"):
        load_baseline_file(bad)


@pytest.fixture
def baseline_with(make_run: MakeRun, column: Column) -> BaselineWith:
    """Write a baseline.json under a folder, edited by a function of its document."""

    def write(root: Path, edit: Any) -> Path:
        path = make_run(root / "v", {"s": {"rouge.rouge1": column([0.5, None, 0.7])}})
        target, _ = write_baseline(path)
        document = json.loads(target.read_text())
        edit(document)
        target.write_text(json.dumps(document))
        return target

    return write


def _set(path: Sequence[str], value: Any) -> Any:
    def edit(document: dict[str, Any]) -> None:
        node = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


EXAMPLE = ["systems", "s", "rouge.rouge1", "examples", "e0"]


EXAMPLE_PATH = 'systems.s["rouge.rouge1"].examples.e0'


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (EXAMPLE, "0.9", f'{EXAMPLE_PATH}: Input should be a valid number, got "0.9" (a string)'),
        (EXAMPLE, True, f"{EXAMPLE_PATH}: Input should be a valid number, got true (a boolean)"),
        (EXAMPLE, math.nan, f"{EXAMPLE_PATH}: Input should be a finite number, got NaN"),
        (EXAMPLE, math.inf, f"{EXAMPLE_PATH}: Input should be a finite number, got Infinity"),
        (EXAMPLE, {"v": 1}, f"{EXAMPLE_PATH}: Input should be a valid number, got (a JSON object)"),
        (["systems", "s", "rouge.rouge1", "n"], 3, 'systems.s["rouge.rouge1"].n: 3, but its'),
        (["systems", "s", "rouge.rouge1", "n"], 2.0, 'rouge1"].n: Input should be a valid integer'),
        (
            ["systems", "s", "rouge.rouge1", "mean"],
            "0.6",
            '"].mean: Input should be a valid number',
        ),
        (["systems", "s", "rouge.rouge1", "mean"], 0.9, '"].mean: 0.9, but its examples give 0.6'),
        (["systems", "s", "rouge.rouge1", "extra"], 1, '"].extra: unknown key'),
        (["failures", "s", "count"], 2, "failures.s.count: 2, but it lists 0 examples"),
        (["failures", "s", "examples"], {"e0": 1}, "failures.s.examples.e0: Input should be a va"),
        (["benchmark", "examples", "e0"], 7, "benchmark.examples.e0: Input should be a valid str"),
        (["values", "rouge.rouge1", "higher_is_better"], "yes", 'values["rouge.rouge1"].higher_'),
        (["seed"], True, "seed: Input should be a valid integer, got true (a boolean)"),
    ],
)
def test_baseline_fields_are_checked_one_by_one(
    tmp_path: Path, path: list[str], value: Any, message: str, baseline_with: BaselineWith
) -> None:
    target = baseline_with(tmp_path, _set(path, value))
    with pytest.raises(StoreError) as error:
        load_baseline_file(target)
    assert message in error.value.message
    assert error.value.message.startswith(f"{target}: not a valid baseline file:")


def test_an_example_without_a_fingerprint_is_refused(
    tmp_path: Path, baseline_with: BaselineWith
) -> None:
    # before: e0's article went unchecked, so another article under that id was paired
    def forget(document: dict[str, Any]) -> None:
        del document["benchmark"]["examples"]["e0"]

    target = baseline_with(tmp_path, forget)
    with pytest.raises(StoreError) as error:
        load_baseline_file(target)
    assert (
        'benchmark.examples: no fingerprint for 1 example ids the values hold ("e0"), so a '
        "changed article there would go unseen"
    ) in error.value.message


def test_baseline_stats_and_rules_are_never_coerced(
    tmp_path: Path, baseline_with: BaselineWith
) -> None:
    target = baseline_with(tmp_path, _set(["stats", "alpha"], "0.05"))
    with pytest.raises(ConfigError, match=r"stats: alpha"):
        load_baseline_file(target)
    target = baseline_with(
        tmp_path / "g", _set(["gate"], [{"value": "rouge.rouge1", "max_drop": "1"}])
    )
    with pytest.raises(ConfigError, match=r"gate\[0\]: max_drop"):
        load_baseline_file(target)


def test_a_version_1_baseline_still_loads(tmp_path: Path, baseline_with: BaselineWith) -> None:
    def downgrade(document: dict[str, Any]) -> None:
        document["format"] = "harness-baseline/1"
        del document["failures"], document["benchmark"]["examples"]

    target = baseline_with(tmp_path, downgrade)
    old = load_baseline_file(target)
    assert old.failures is None and old.fingerprints is None and not old.failures_known
    # e1 is null in every value: taken as a failed generation
    assert old.failed("s") == {"e1": INFERRED_FAILURE}


def test_a_version_3_baseline_counts_its_all_null_examples_as_failures(
    tmp_path: Path, baseline_with: BaselineWith
) -> None:
    # A /3 file recorded failed generations only, not empty summaries: e1 (null in
    # every value, as an empty summary leaves it) is taken as one, so a candidate's
    # empty summary there is no new failure.
    def downgrade(document: dict[str, Any]) -> None:
        document["format"] = "harness-baseline/3"

    old = load_baseline_file(baseline_with(tmp_path / "a", downgrade))
    assert old.failed("s") == {"e1": EMPTY_SUMMARY}
    current = load_baseline_file(baseline_with(tmp_path / "b", lambda document: None))
    assert current.failed("s") == {}
