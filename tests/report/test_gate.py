"""The CI gate: rule semantics, errors, and the text / Markdown / JUnit verdicts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

import pytest

from harness.compare import RunScores
from harness.config import GateRule
from harness.errors import ConfigError, StoreError
from harness.report.gate import (
    GateVerdict,
    check_line,
    evaluate_gate,
    to_junit,
    to_markdown,
    to_text,
)

IDS = [f"ex-{index:02d}" for index in range(20)]
BASE = [0.40 + 0.01 * index for index in range(20)]
DIRECTIONS: dict[str, bool | None] = {"q.up": True, "q.down": False, "q.len": None}


def run(
    label: str,
    values: dict[str, dict[str, list[float | None]]],
    gate: list[GateRule] | None = None,
) -> RunScores:
    return RunScores(
        label=label,
        name=label,
        values={
            system: {name: dict(zip(IDS, column, strict=True)) for name, column in per.items()}
            for system, per in values.items()
        },
        directions=DIRECTIONS,
        gate=gate or [],
    )


def shifted(delta: float, column: list[float] = BASE) -> list[float | None]:
    return [value + delta for value in column]


def one_check(
    rule: GateRule, candidate: Sequence[float | None], baseline: Sequence[float] = BASE
) -> GateVerdict:
    base = run("base", {"lead3": {rule.value: list(baseline)}})
    cand = run("cand", {"lead3": {rule.value: list(candidate)}}, [rule])
    return evaluate_gate(cand, base)


# rule semantics ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rule", "delta", "failed"),
    [
        (GateRule(value="q.up", max_drop=0.02), -0.05, True),
        (GateRule(value="q.up", max_drop=0.02), -0.01, False),
        (GateRule(value="q.up", max_drop=0.02), +0.50, False),  # an improvement
        (GateRule(value="q.up", max_relative_drop=0.05), -0.05, True),  # 10% of ~0.5
        (GateRule(value="q.up", max_relative_drop=0.2), -0.05, False),
        (GateRule(value="q.down", max_drop=0.02), +0.05, True),  # lower is better
        (GateRule(value="q.down", max_drop=0.02), -0.05, False),
        (GateRule(value="q.len", max_drop=0.02), +0.05, True),  # no side: any change
        (GateRule(value="q.len", max_drop=0.02), -0.05, True),
        (GateRule(value="q.up", significant_at=0.05), -0.001, True),  # consistent drop
        (GateRule(value="q.up", significant_at=0.05), +0.05, False),
    ],
)
def test_rule_semantics(rule: GateRule, delta: float, failed: bool) -> None:
    verdict = one_check(rule, shifted(delta))
    (check,) = verdict.checks
    assert check.failed is failed, check.reason
    assert verdict.passed is not failed


def test_significant_at_spares_a_noisy_drop() -> None:
    noise = [0.2 if index % 2 else -0.2 for index in range(20)]
    candidate = [b + n - 0.03 for b, n in zip(BASE, noise, strict=True)]
    rule = GateRule(value="q.up", max_drop=0.02, significant_at=0.05)
    (check,) = one_check(rule, candidate).checks
    assert check.drop == pytest.approx(0.03)
    assert check.p_value is not None and check.p_value > 0.05
    assert not check.failed
    assert "not significant" in check.reason
    (strict,) = one_check(GateRule(value="q.up", max_drop=0.02), candidate).checks
    assert strict.failed


def test_identical_runs_pass_even_with_zero_tolerance() -> None:
    (check,) = one_check(GateRule(value="q.up", max_drop=0.0), list(BASE)).checks
    assert not check.failed
    assert check.drop == 0.0 and check.p_value == 1.0


def test_no_paired_example_fails_and_nulls_are_counted() -> None:
    rule = GateRule(value="q.up", max_drop=0.5)
    (check,) = one_check(rule, [None] * 20).checks
    assert check.failed and check.n == 0 and check.missing == 20
    assert "no example where both runs define the value" in check_line(check)
    (partial,) = one_check(rule, [*([None] * 5), *BASE[5:]]).checks
    assert not partial.failed and partial.missing == 5 and partial.n == 15
    assert "5 examples defined in the baseline are null in the candidate" in check_line(partial)


def test_worst_examples_are_the_largest_drops() -> None:
    candidate = list(BASE)
    for index, drop in ((3, 0.3), (7, 0.5), (11, 0.1), (15, 0.2)):
        candidate[index] = BASE[index] - drop
    (check,) = one_check(GateRule(value="q.up", max_drop=0.01), candidate).checks
    assert check.failed
    assert [w.example_id for w in check.worst] == ["ex-07", "ex-03", "ex-15"]
    assert check.worst[0].drop == pytest.approx(0.5)


# rule sources and systems ---------------------------------------------------------------
def test_rules_come_from_the_candidate_else_the_baseline() -> None:
    mine = GateRule(value="q.up", max_drop=0.5)
    theirs = GateRule(value="q.down", max_drop=0.5)
    values: dict[str, dict[str, list[float | None]]] = {
        "s": {"q.up": list(BASE), "q.down": list(BASE)}
    }
    verdict = evaluate_gate(run("c", values, [mine]), run("b", values, [theirs]))
    assert [c.value for c in verdict.checks] == ["q.up"]
    assert verdict.rules_from.startswith("candidate")
    verdict = evaluate_gate(run("c", values), run("b", values, [theirs]))
    assert [c.value for c in verdict.checks] == ["q.down"]
    assert verdict.rules_from.startswith("baseline")
    with pytest.raises(ConfigError, match="no gate rules") as error:
        evaluate_gate(run("c", values), run("b", values))
    assert error.value.hint is not None and "gate:" in error.value.hint


def test_rules_check_every_shared_system_or_the_named_ones() -> None:
    values: dict[str, dict[str, list[float | None]]] = {
        "a": {"q.up": list(BASE)},
        "b": {"q.up": list(BASE)},
    }
    base = run("base", {**values, "gone": {"q.up": list(BASE)}})
    rule = GateRule(value="q.up", max_drop=0.1)
    verdict = evaluate_gate(run("cand", values, [rule]), base)
    assert [c.system for c in verdict.checks] == ["a", "b"]
    assert any("gone" in warning for warning in verdict.warnings)
    named = GateRule(value="q.up", max_drop=0.1, systems=["b"])
    assert [c.system for c in evaluate_gate(run("c", values, [named]), base).checks] == ["b"]
    typo = GateRule(value="q.up", max_drop=0.1, systems=["bb"])
    with pytest.raises(ConfigError, match=r"gate\[0\]\.systems: 'bb'"):
        evaluate_gate(run("c", values, [typo]), base)


def test_unknown_or_one_sided_values_are_config_errors() -> None:
    values: dict[str, dict[str, list[float | None]]] = {"s": {"q.up": list(BASE)}}
    typo = GateRule(value="q.upp", max_drop=0.1)
    with pytest.raises(ConfigError, match=r"gate\[0\]\.value: unknown value 'q.upp'.*'q.up'"):
        evaluate_gate(run("c", values, [typo]), run("b", values))
    one_sided = GateRule(value="q.down", max_drop=0.1)
    base = run("b", {"s": {"q.up": list(BASE), "q.down": list(BASE)}})
    with pytest.raises(ConfigError, match=r"'q\.down' is not in the candidate"):
        evaluate_gate(run("c", values, [one_sided]), base)


def test_disjoint_runs_are_store_errors() -> None:
    rule = GateRule(value="q.up", max_drop=0.1)
    cand = run("c", {"s": {"q.up": list(BASE)}}, [rule])
    with pytest.raises(StoreError, match="no system name in common"):
        evaluate_gate(cand, run("b", {"t": {"q.up": list(BASE)}}))
    other = RunScores(label="b", name="b", values={"s": {"q.up": {"zz": 1.0}}}, directions={})
    with pytest.raises(StoreError, match="share no example id"):
        evaluate_gate(cand, other)


# rendering --------------------------------------------------------------------------------
def _failing_verdict() -> GateVerdict:
    rules = [
        GateRule(value="q.up", max_drop=0.02, significant_at=0.05),
        GateRule(value="q.down", max_relative_drop=0.05),
    ]
    base = run("base", {"lead3": {"q.up": list(BASE), "q.down": list(BASE)}})
    cand = run("cand", {"lead3": {"q.up": shifted(-0.178), "q.down": list(BASE)}}, rules)
    return evaluate_gate(cand, base)


def test_text_verdict_lines() -> None:
    lines = to_text(_failing_verdict())
    assert lines[0].startswith("harness check: cand against baseline base (20 shared examples")
    fail = lines[1]
    assert fail.startswith("FAIL q.up lead3: 0.495 → 0.317 (−0.178, max_drop 0.02, ")
    assert "significant_at 0.05; paired p=" in fail
    assert lines[2].startswith("    worst ex-")
    assert "→" in lines[2] and "(−0.178)" in lines[2]
    assert lines[5].startswith("ok q.down lead3: 0.495 → 0.495 (+0.000 = +0.0%, ")
    assert lines[-1] == "gate FAILED: 1 of 2 checks failed"


def test_markdown_verdict() -> None:
    text = to_markdown(_failing_verdict())
    assert text.startswith("### ❌ harness check: gate FAILED: 1 of 2 checks failed")
    assert "| ❌ FAIL | `q.up` | lead3 | 0.495 | 0.317 | −0.178 |" in text
    assert "| ✅ ok | `q.down` | lead3 |" in text
    assert "**q.up lead3** failed" in text and "Worst examples" in text


def test_junit_verdict_parses_and_counts() -> None:
    root = ET.fromstring(to_junit(_failing_verdict()))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "harness.check"
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["q.up lead3", "q.down lead3"]
    failure = cases[0].find("failure")
    assert failure is not None
    assert (failure.get("message") or "").startswith("FAIL q.up lead3")
    assert cases[1].find("failure") is None
