"""Pairing two runs (harness.compare), baseline.json, `harness compare`, and the
paired comparisons that runner.aggregate writes into results.json."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.compare import (
    BASELINE_FORMAT,
    INFERRED_FAILURE,
    RunScores,
    baseline_document,
    benchmark_difference,
    compare_runs,
    load_baseline_file,
    load_reference,
    load_run,
    pairing_warnings,
    write_baseline,
)
from harness.config import GateRule, parse_config
from harness.errors import ConfigError, StoreError
from harness.metric import METRICS
from harness.records import Example, Output, Score
from harness.runner import aggregate
from harness.store import RunDir

Table = dict[str, dict[str, dict[str, float | None]]]


def _config(name: str, systems: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "benchmark": {"builtin": "newsbriefs"},
        "systems": [{"name": system, "backend": "lead"} for system in systems],
        "metrics": ["rouge", "length"],
        **extra,
    }


def _scores(table: Table) -> list[Score]:
    """system → value ("rouge.rouge1") → example id → number, as Score records."""
    scores = []
    for system, per_value in table.items():
        by_example: dict[tuple[str, str], dict[str, float | None]] = {}
        for value, per_example in per_value.items():
            metric, _, short = value.partition(".")
            for example_id, number in per_example.items():
                by_example.setdefault((example_id, metric), {})[short] = number
        for (example_id, metric), values in by_example.items():
            scores.append(Score(example_id=example_id, system=system, metric=metric, values=values))
    return scores


def make_run(
    path: Path,
    table: Table,
    *,
    content_hash: str | None = "hash-1",
    source: str = "s",
    errors: dict[str, dict[str, str]] | None = None,
    **config: Any,
) -> Path:
    """Write a minimal run directory holding ``table``'s scores.

    Every example's article is ``source``; ``errors`` (system → example id →
    error) marks failed generations.
    """
    run_dir = RunDir(path)
    systems = list(table)
    run_dir.write_config(_config(config.pop("name", "test"), systems, **config))
    ids = list(dict.fromkeys(i for v in table.values() for e in v.values() for i in e))
    run_dir.write_examples([Example(id=i, source=source) for i in ids])
    failed = errors or {}
    run_dir.write_outputs(
        [
            Output(example_id=i, system=s, summary=None, error=failed[s][i])
            if i in failed.get(s, {})
            else Output(example_id=i, system=s, summary="x")
            for s in systems
            for i in ids
        ]
    )
    run_dir.write_scores(_scores(table))
    if content_hash is not None:
        run_dir.write_json("manifest.json", {"benchmark": {"content_hash": content_hash}})
    return path


def _column(values: Sequence[float | None], prefix: str = "e") -> dict[str, float | None]:
    return {f"{prefix}{index}": value for index, value in enumerate(values)}


BEFORE = [0.5, 0.4, 0.6, 0.55, 0.45, 0.5, 0.52, 0.48, 0.61, 0.39, 0.5, 0.47, 0.53, 0.44]
AFTER = [value - 0.1 for value in BEFORE]


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, Path]:
    a = make_run(
        tmp_path / "a",
        {
            "sys": {"rouge.rouge1": _column(BEFORE), "length.words": _column([50.0] * 14)},
            "old": {"rouge.rouge1": _column(BEFORE)},
        },
    )
    b = make_run(
        tmp_path / "b",
        {
            "sys": {
                "rouge.rouge1": _column([*AFTER[:-1], None]),
                "length.words": _column([40.0] * 14),
            },
            "new": {"rouge.rouge1": _column(AFTER)},
        },
        content_hash="hash-2",
        seed=3,
    )
    return a, b


# reading ------------------------------------------------------------------------
def test_load_run_reads_values_directions_and_config(runs: tuple[Path, Path]) -> None:
    run = load_run(runs[0])
    assert run.systems == ["sys", "old"]
    assert run.value_names() == ["rouge.rouge1", "length.words"]
    assert run.values["sys"]["rouge.rouge1"]["e2"] == 0.6
    # no results.json here: directions come from the registered metrics
    assert run.directions == {"rouge.rouge1": True, "length.words": None}
    assert run.content_hash == "hash-1"
    assert run.config["name"] == "test"


def test_load_run_prefers_results_json_directions(tmp_path: Path) -> None:
    path = make_run(tmp_path / "r", {"s": {"rouge.rouge1": _column([0.1, 0.2])}})
    RunDir(path).write_json(
        "results.json", {"values": {"rouge.rouge1": {"higher_is_better": False}}}
    )
    assert load_run(path).directions["rouge.rouge1"] is False


def test_baseline_json_round_trip(runs: tuple[Path, Path], tmp_path: Path) -> None:
    path = make_run(
        tmp_path / "g",
        {"s": {"rouge.rouge1": _column([0.5, None, 0.7])}},
        gate=[{"value": "rouge.rouge1", "max_drop": 0.02}, {"max_new_failures": 1}],
        stats={"resamples": 200},
        seed=4,
        errors={"s": {"e1": "timeout"}},
    )
    target, run = write_baseline(path)
    assert target == path / "baseline.json"
    document = json.loads(target.read_text())
    assert document["format"] == BASELINE_FORMAT == "harness-baseline/2"
    assert document["benchmark"]["content_hash"] == "hash-1"
    fingerprints = document["benchmark"]["examples"]
    assert list(fingerprints) == ["e0", "e1", "e2"] and len(set(fingerprints.values())) == 1
    assert document["failures"] == {"s": {"count": 1, "examples": {"e1": "timeout"}}}
    aggregate_ = document["systems"]["s"]["rouge.rouge1"]
    assert aggregate_["mean"] == pytest.approx(0.6)
    assert (aggregate_["n"], aggregate_["nulls"]) == (2, 1)
    assert aggregate_["examples"] == {"e0": 0.5, "e1": None, "e2": 0.7}
    assert document["values"] == {"rouge.rouge1": {"higher_is_better": True}}
    assert document["gate"] == [
        {"value": "rouge.rouge1", "max_drop": 0.02},
        {"max_new_failures": 1},
    ]
    loaded = load_reference(target)
    assert loaded.values == run.values
    assert loaded.directions == run.directions
    assert loaded.failures == run.failures == {"s": {"e1": "timeout"}}
    assert loaded.fingerprints == run.fingerprints
    assert loaded.gate == [
        GateRule(value="rouge.rouge1", max_drop=0.02),
        GateRule(max_new_failures=1),
    ]
    assert (loaded.seed, loaded.stats.resamples, loaded.content_hash) == (4, 200, "hash-1")
    assert baseline_document(loaded)["systems"] == document["systems"]
    other = tmp_path / "elsewhere.json"
    assert write_baseline(path, other)[0] == other and other.is_file()


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


def _baseline_with(tmp_path: Path, edit: Any) -> Path:
    path = make_run(tmp_path / "v", {"s": {"rouge.rouge1": _column([0.5, None, 0.7])}})
    target, _ = write_baseline(path)
    document = json.loads(target.read_text())
    edit(document)
    target.write_text(json.dumps(document))
    return target


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
    tmp_path: Path, path: list[str], value: Any, message: str
) -> None:
    target = _baseline_with(tmp_path, _set(path, value))
    with pytest.raises(StoreError) as error:
        load_baseline_file(target)
    assert message in error.value.message
    assert error.value.message.startswith(f"{target}: not a valid baseline file:")


def test_baseline_stats_and_rules_are_never_coerced(tmp_path: Path) -> None:
    target = _baseline_with(tmp_path, _set(["stats", "alpha"], "0.05"))
    with pytest.raises(ConfigError, match=r"stats: alpha"):
        load_baseline_file(target)
    target = _baseline_with(
        tmp_path / "g", _set(["gate"], [{"value": "rouge.rouge1", "max_drop": "1"}])
    )
    with pytest.raises(ConfigError, match=r"gate\[0\]: max_drop"):
        load_baseline_file(target)


def test_a_version_1_baseline_still_loads(tmp_path: Path) -> None:
    def downgrade(document: dict[str, Any]) -> None:
        document["format"] = "harness-baseline/1"
        del document["failures"], document["benchmark"]["examples"]

    target = _baseline_with(tmp_path, downgrade)
    old = load_baseline_file(target)
    assert old.failures is None and old.fingerprints is None and not old.failures_known
    # e1 is null in every value: taken as a failed generation
    assert old.failed("s") == {"e1": INFERRED_FAILURE}


# pairing --------------------------------------------------------------------------
def test_pairing_warnings_name_every_difference(runs: tuple[Path, Path]) -> None:
    a, b = load_run(runs[0]), load_run(runs[1])
    warnings = "\n".join(pairing_warnings(a, b))
    assert "benchmark" not in warnings  # same articles under the ids: hash-1/2 do not matter
    assert "configs differ in: systems, seed" in warnings
    assert f"1 systems only in {runs[0]} (not compared): old" in warnings
    assert f"1 systems only in {runs[1]} (not compared): new" in warnings
    assert "values" not in warnings.replace("configs differ", "")


def test_compare_runs_pairs_by_example_and_system(runs: tuple[Path, Path]) -> None:
    comparison = compare_runs(load_run(runs[0]), load_run(runs[1]))
    assert comparison.n_shared == 14
    assert [s.system for s in comparison.systems] == ["sys"]
    rouge, words = comparison.systems[0].values
    assert rouge.value == "rouge.rouge1" and rouge.higher_is_better is True
    assert rouge.result.n == 13  # e13 is null in B
    assert rouge.result.diff == pytest.approx(-0.1)  # B − A
    assert rouge.result.baseline_mean == pytest.approx(sum(BEFORE[:-1]) / 13)
    assert rouge.result.mean == pytest.approx(sum(AFTER[:-1]) / 13)
    assert (rouge.result.wins, rouge.result.losses) == (0, 13)
    assert rouge.result.significant
    assert words.result.diff == pytest.approx(-10.0)
    assert words.higher_is_better is None
    only = compare_runs(load_run(runs[0]), load_run(runs[1]), ["length.words"])
    assert [v.value for v in only.systems[0].values] == ["length.words"]


def test_examples_in_one_run_only_are_warned_and_left_out(tmp_path: Path) -> None:
    a = make_run(tmp_path / "a", {"s": {"rouge.rouge1": _column([0.1, 0.2, 0.3])}})
    b = make_run(tmp_path / "b", {"s": {"rouge.rouge1": {"e1": 0.2, "e2": 0.3, "x9": 0.9}}})
    comparison = compare_runs(load_run(a), load_run(b))
    assert comparison.n_shared == 2
    assert f"1 examples only in {a} (not compared): e0" in comparison.warnings
    assert f"1 examples only in {b} (not compared): x9" in comparison.warnings
    assert comparison.systems[0].values[0].result.diff == 0.0


def test_runs_of_different_benchmarks_are_refused_unless_allowed(tmp_path: Path) -> None:
    a = make_run(tmp_path / "a", {"s": {"rouge.rouge1": _column([0.1, 0.2, 0.3])}})
    b = make_run(tmp_path / "b", {"s": {"rouge.rouge1": _column([0.1, 0.2])}}, source="other")
    with pytest.raises(StoreError, match="not runs of the same benchmark") as error:
        compare_runs(load_run(a), load_run(b))
    assert "2 of the 2 example ids they share name a different article" in error.value.message
    assert error.value.hint is not None and "--allow-different-benchmark" in error.value.hint
    allowed = compare_runs(load_run(a), load_run(b), allow_different_benchmark=True)
    assert allowed.warnings[0].startswith("different benchmarks (allowed by")
    # the first two examples of the same benchmark: the same benchmark
    c = make_run(tmp_path / "c", {"s": {"rouge.rouge1": _column([0.1, 0.2])}}, content_hash="x")
    assert benchmark_difference(load_run(a), load_run(c)) is None


def test_a_baseline_without_fingerprints_falls_back_to_the_content_hash(tmp_path: Path) -> None:
    a = make_run(tmp_path / "a", {"s": {"rouge.rouge1": _column([0.1, 0.2])}})
    b = make_run(tmp_path / "b", {"s": {"rouge.rouge1": _column([0.1, 0.2])}}, content_hash="h2")
    old = replace(load_run(a), fingerprints=None)
    difference = benchmark_difference(old, load_run(b))
    assert difference is not None and "content hashes differ (hash-1 vs h2)" in difference
    assert benchmark_difference(old, load_run(a)) is None
    unknown = replace(old, content_hash=None)
    assert benchmark_difference(unknown, load_run(b)) is None
    assert any("cannot tell whether" in w for w in pairing_warnings(unknown, load_run(b)))


def test_compare_warns_about_failed_generations(tmp_path: Path) -> None:
    a = make_run(tmp_path / "a", {"s": {"rouge.rouge1": _column([0.1, 0.2, 0.3])}})
    b = make_run(
        tmp_path / "b",
        {"s": {"rouge.rouge1": _column([0.1, None, None])}},
        errors={"s": {"e1": "boom", "e2": "boom"}},
    )
    warnings = compare_runs(load_run(a), load_run(b)).warnings
    assert f"s: 2 failed generations in {b} (0 in {a}) of 3 shared examples" in "\n".join(warnings)


def test_no_shared_example_or_system_is_an_error(tmp_path: Path) -> None:
    a = make_run(tmp_path / "a", {"s": {"rouge.rouge1": _column([0.1, 0.2])}})
    b = make_run(tmp_path / "b", {"s": {"rouge.rouge1": _column([0.1, 0.2], prefix="z")}})
    with pytest.raises(StoreError, match="share no example id"):
        compare_runs(load_run(a), load_run(b))
    c = make_run(tmp_path / "c", {"t": {"rouge.rouge1": _column([0.1, 0.2])}})
    with pytest.raises(StoreError, match="no system name in common"):
        compare_runs(load_run(a), load_run(c))


def test_unknown_value_suggests_a_name(runs: tuple[Path, Path]) -> None:
    with pytest.raises(ConfigError, match=r"Did you mean 'rouge\.rouge1'"):
        compare_runs(load_run(runs[0]), load_run(runs[1]), ["rouge.rogue1"])


def test_run_scores_array_marks_missing_as_nan() -> None:
    run = RunScores(label="x", name="x", values={"s": {"v.a": {"e1": 1.0}}}, directions={})
    assert run.array("s", "v.a", ["e1", "e2"]).tolist()[0] == 1.0
    assert run.array("t", "v.a", ["e1"]).size == 1


# the command --------------------------------------------------------------------------
def test_compare_command_prints_tables_and_warnings(runs: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(app, ["compare", str(runs[0]), str(runs[1])])
    assert result.exit_code == 0, result.output
    for text in ("warning:", "only in", "sys", "rouge.rouge1", "-0.100", "0/0/13", "▼"):
        assert text in result.output, text


def test_compare_command_usage_errors_exit_2(runs: tuple[Path, Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["compare", str(runs[0]), str(runs[1]), "--value", "rouge.rogue1"]
    )
    assert result.exit_code == 2
    assert "rouge.rogue1" in result.output and "Did you mean" in result.output
    other = make_run(tmp_path / "z", {"sys": {"rouge.rouge1": _column([0.1, 0.2], prefix="z")}})
    result = CliRunner().invoke(app, ["compare", str(runs[0]), str(other)])
    assert result.exit_code == 2
    assert "share no example id" in result.output


# results.json comparisons (runner.aggregate) ------------------------------------------
def _aggregate(table: Table, **config: Any) -> dict[str, Any]:
    run_config = parse_config(_config("agg", list(table), **config), "test")
    ids = list(dict.fromkeys(i for v in table.values() for e in v.values() for i in e))
    outputs = [Output(example_id=i, system=s, summary="x") for s in table for i in ids]
    entries = [METRICS.get("rouge"), METRICS.get("length")]
    examples = [Example(id=i, source="x") for i in ids]
    return aggregate(run_config, entries, outputs, _scores(table), examples)


def test_aggregate_adds_paired_comparisons_with_the_baseline() -> None:
    base = [0.3 + 0.01 * i for i in range(20)]
    table: Table = {
        "lead3": {
            "rouge.rouge1": _column(base),
            "rouge.rouge2": _column([0.2] * 20),
            "length.words": _column([50.0] * 20),
        },
        "short": {
            "rouge.rouge1": _column([v - 0.05 for v in base]),
            "rouge.rouge2": _column([0.2] * 19 + [None]),
            "length.words": _column([20.0] * 19 + [60.0]),
        },
        "other": {"rouge.rouge1": _column([None] * 19 + [0.5])},
    }
    results = _aggregate(table, baseline="lead3")
    for key in ("name", "systems", "values", "results", "failures", "errors", "n_examples"):
        assert key in results
    assert results["baseline"] == "lead3"
    assert results["alpha"] == 0.05
    assert list(results["comparisons"]) == ["short", "other"]
    short = results["comparisons"]["short"]
    assert list(short) == list(results["values"])
    rouge1 = short["rouge.rouge1"]
    assert rouge1["n"] == 20
    assert rouge1["diff"] == pytest.approx(-0.05)
    assert rouge1["ci_low"] == pytest.approx(-0.05) and rouge1["ci_high"] == pytest.approx(-0.05)
    assert (rouge1["wins"], rouge1["ties"], rouge1["losses"]) == (0, 0, 20)
    assert rouge1["p_value"] == pytest.approx(1 / 1001)
    tested = [name for name, item in short.items() if item["p_value"] is not None]
    assert rouge1["p_holm"] == pytest.approx(len(tested) / 1001)
    assert rouge1["significant"] is True
    rouge2 = short["rouge.rouge2"]
    assert (rouge2["n"], rouge2["diff"], rouge2["ties"], rouge2["significant"]) == (
        19,
        0,
        19,
        False,
    )
    words = short["length.words"]  # no better side: system > baseline counts as a win
    assert (words["wins"], words["ties"], words["losses"]) == (1, 0, 19)
    sparse = results["comparisons"]["other"]["rouge.rouge1"]
    assert sparse["n"] == 1
    assert [sparse[k] for k in ("diff", "ci_low", "ci_high", "p_value", "p_holm")] == [None] * 5
    assert sparse["significant"] is False
    empty = results["comparisons"]["other"]["rouge.rougeL"]
    assert (empty["n"], empty["diff"], empty["wins"]) == (0, None, 0)
    json.dumps(results, allow_nan=False)
    assert results == _aggregate(table, baseline="lead3")


def test_aggregate_default_baseline_is_the_first_system() -> None:
    table: Table = {"a": {"rouge.rouge1": _column([0.1, 0.2])}, "b": {}}
    results = _aggregate(table)
    assert results["baseline"] == "a"
    assert list(results["comparisons"]) == ["b"]
    single = _aggregate({"a": {"rouge.rouge1": _column([0.1])}})
    assert single["comparisons"] == {}
