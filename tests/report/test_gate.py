"""The CI gate: rule semantics, errors, and the text / Markdown / JUnit verdicts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

import numpy as np
import pytest

from harness.compare import RunScores
from harness.config import GateRule, StatsConfig
from harness.errors import ConfigError, StoreError
from harness.report.gate import (
    GateVerdict,
    IntegrityCheck,
    check_line,
    evaluate_gate,
    integrity_line,
    summary_line,
    to_junit,
    to_markdown,
    to_text,
)
from harness.stats import paired_permutation_test, smallest_permutation_p

IDS = [f"ex-{index:02d}" for index in range(20)]
BASE = [0.40 + 0.01 * index for index in range(20)]
DIRECTIONS: dict[str, bool | None] = {"q.up": True, "q.down": False, "q.len": None}


def run(
    label: str,
    values: dict[str, dict[str, list[float | None]]],
    gate: list[GateRule] | None = None,
    *,
    failures: dict[str, dict[str, str]] | None = None,
    known: bool = True,
    resamples: int = 1000,
) -> RunScores:
    """A run on IDS; ``failures`` system → id → error; ``known=False``: not recorded."""
    return RunScores(
        label=label,
        name=label,
        values={
            system: {name: dict(zip(IDS, column, strict=True)) for name, column in per.items()}
            for system, per in values.items()
        },
        directions=DIRECTIONS,
        gate=gate or [],
        stats=StatsConfig(resamples=resamples),
        failures={**{system: {} for system in values}, **(failures or {})} if known else None,
        fingerprints=dict.fromkeys(IDS, "same"),
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
    assert partial.failed and partial.missing == 5 and partial.n == 15
    assert partial.new_nulls == ("ex-00", "ex-01", "ex-02", "ex-03", "ex-04")
    assert (partial.baseline_nulls, partial.candidate_nulls) == (0, 5)
    assert (
        "null on 5 examples the baseline defines (> max_new_nulls 0): ex-00, ex-01, ex-02, "
        "ex-03, ex-04" in check_line(partial)
    )
    assert "5 examples defined in the baseline are null in the candidate" in check_line(partial)
    allowed = GateRule(value="q.up", max_drop=0.5, max_new_nulls=5)
    (spared,) = one_check(allowed, [*([None] * 5), *BASE[5:]]).checks
    assert not spared.failed, spared.reason


def test_nulls_of_failed_generations_count_as_failures_not_nulls() -> None:
    rule = GateRule(value="q.up", max_drop=0.5)
    failed = {"lead3": {"ex-00": "timeout", "ex-01": "timeout"}}
    base = run("base", {"lead3": {"q.up": list(BASE)}})
    cand = run("cand", {"lead3": {"q.up": [None, None, *BASE[2:]]}}, [rule], failures=failed)
    verdict = evaluate_gate(cand, base)
    (check,) = verdict.checks
    assert not check.failed and check.new_nulls == () and check.missing == 2
    (failures,) = verdict.integrity
    assert failures.failed and failures.items == ("ex-00", "ex-01")
    assert not verdict.passed


def test_nulls_of_a_value_no_rule_names_are_a_warning() -> None:
    rule = GateRule(value="q.up", max_drop=0.5)
    base = run("base", {"lead3": {"q.up": list(BASE), "q.down": list(BASE)}})
    cand = run("cand", {"lead3": {"q.up": list(BASE), "q.down": [None, *BASE[1:]]}}, [rule])
    verdict = evaluate_gate(cand, base)
    assert verdict.passed
    assert any(
        w.startswith("q.down lead3: null on 1 examples the baseline defines (not gated")
        for w in verdict.warnings
    ), verdict.warnings


def test_worst_examples_are_the_largest_drops() -> None:
    candidate = list(BASE)
    for index, drop in ((3, 0.3), (7, 0.5), (11, 0.1), (15, 0.2)):
        candidate[index] = BASE[index] - drop
    (check,) = one_check(GateRule(value="q.up", max_drop=0.01), candidate).checks
    assert check.failed
    assert [w.example_id for w in check.worst] == ["ex-07", "ex-03", "ex-15"]
    assert check.worst[0].drop == pytest.approx(0.5)


# failed generations -------------------------------------------------------------------
def _failures_verdict(
    base_failed: dict[str, str], cand_failed: dict[str, str], *rules: GateRule
) -> IntegrityCheck:
    values: dict[str, dict[str, list[float | None]]] = {"lead3": {"q.up": list(BASE)}}
    base = run("base", values, failures={"lead3": base_failed})
    gate = [GateRule(value="q.up", max_drop=1.0), *rules]
    cand = run("cand", values, gate, failures={"lead3": cand_failed})
    (check,) = evaluate_gate(cand, base).integrity
    return check


def test_new_failed_generations_fail_by_default() -> None:
    check = _failures_verdict({}, {"ex-03": "boom", "ex-01": "timeout"})
    assert check.failed and check.items == ("ex-01", "ex-03")
    assert check.errors == (("ex-01", "timeout"), ("ex-03", "boom"))
    assert integrity_line(check) == (
        "FAIL failures lead3: 0 → 2 of 20 shared examples failed — 2 new failed "
        "or empty generations > max_new_failures 0: ex-01, ex-03"
    )
    assert not _failures_verdict({}, {}).failed
    assert not _failures_verdict({"ex-01": "x"}, {"ex-01": "x"}).failed
    # a failure that moves to another example is a new failure
    assert _failures_verdict({"ex-01": "x"}, {"ex-02": "x"}).failed


def test_a_failures_rule_allows_some_and_the_named_rule_wins() -> None:
    two = {"ex-01": "x", "ex-02": "x"}
    everyone = GateRule(max_new_failures=2)
    assert not _failures_verdict({}, two, everyone).failed
    named = GateRule(max_new_failures=1, systems=["lead3"])
    check = _failures_verdict({}, two, everyone, named)
    assert check.failed and check.rule_index == 2
    assert "max_new_failures 1 (gate[2])" in integrity_line(check)
    with pytest.raises(ConfigError, match=r"gate\[2\]: a second failures rule"):
        _failures_verdict({}, two, everyone, GateRule(max_new_failures=3))
    with pytest.raises(ConfigError, match=r"gate\[1\]\.systems: 'lead' .*'lead3'"):
        _failures_verdict({}, two, GateRule(max_new_failures=3, systems=["lead"]))


def test_the_failed_generations_of_a_system_the_baseline_lacks_are_all_new() -> None:
    rule = GateRule(value="q.up", max_drop=0.1)
    base = run("base", {"lead3": {"q.up": BASE}})
    values: dict[str, dict[str, list[float | None]]] = {
        "lead3": {"q.up": BASE},
        "newsys": {"q.up": [None] * len(IDS)},
    }
    every = {i: "model server refused: 503" for i in IDS}
    verdict = evaluate_gate(run("cand", values, [rule], failures={"newsys": every}), base)
    assert not verdict.passed, to_text(verdict)
    [check] = [c for c in verdict.integrity if c.system == "newsys"]
    assert check.failed and check.candidate_count == len(IDS) and check.baseline_count == 0
    # a failures rule naming it applies, as to any system
    allowed = GateRule(max_new_failures=len(IDS), systems=["newsys"])
    cand = run("cand", values, [rule, allowed], failures={"newsys": every})
    assert evaluate_gate(cand, base).passed
    # a new system that failed nothing passes (its values are not compared)
    fine = {"lead3": {"q.up": BASE}, "newsys": {"q.up": BASE}}
    assert evaluate_gate(run("cand", fine, [rule]), base).passed


def test_a_baseline_without_failure_records_infers_them_and_says_so() -> None:
    values: dict[str, dict[str, list[float | None]]] = {"s": {"q.up": [None, *BASE[1:]]}}
    base = run("old.json", values, known=False)
    cand = run(
        "cand", values, [GateRule(value="q.up", max_drop=0.1)], failures={"s": {"ex-00": "x"}}
    )
    verdict = evaluate_gate(cand, base)
    assert verdict.passed, to_text(verdict)
    assert any("old.json records no failed generations" in w for w in verdict.warnings)
    assert verdict.integrity[0].baseline_count == 1


# significance out of reach ---------------------------------------------------------------
def _small(rule: GateRule, delta: float, n: int = 5, resamples: int = 1000) -> GateVerdict:
    column = [*shifted(delta, BASE[:n]), *([None] * (20 - n))]
    base = run("base", {"lead3": {rule.value or "": [*BASE[:n], *([None] * (20 - n))]}})
    cand = run("cand", {"lead3": {rule.value or "": column}}, [rule], resamples=resamples)
    return evaluate_gate(cand, base)


def test_a_significance_level_out_of_reach_spares_no_drop() -> None:
    rule = GateRule(value="q.up", max_drop=0.02, significant_at=0.05)
    (check,) = _small(rule, -0.1).checks
    assert check.failed and check.p_value == 0.0625
    assert check.note == (
        "significant_at 0.05 is out of reach with n=5: the smallest p the paired test can "
        "give is 0.062"
    )
    assert check.reason.endswith("so it spares no drop")
    (within,) = _small(rule, -0.01).checks
    assert not within.failed and within.note == check.note
    assert f"[{check.note}]" in check_line(within)
    alone = GateRule(value="q.up", significant_at=0.05)
    assert _small(alone, -0.1).checks[0].failed
    assert not _small(alone, 0.0).checks[0].failed
    (one,) = _small(rule, -0.1, n=1).checks
    assert one.failed and "needs at least 2 paired examples, there is 1" in one.reason
    # reachable: 6 examples give p=1/32 < 0.05
    (six,) = _small(rule, -0.1, n=6).checks
    assert six.failed and six.note is None
    # with n > 12 the bound is 1/(resamples+1): 0.0099 with 100 resamples
    strict = GateRule(value="q.up", max_drop=0.02, significant_at=0.005)
    (many,) = _small(strict, -0.1, n=20, resamples=100).checks
    assert many.failed and many.note is not None and "0.0099" in many.note


def test_tied_pairs_do_not_make_a_level_reachable() -> None:
    # 4 of 20 summaries ruined, 16 unchanged: the paired test weighs only the 4
    # (its p is at least 2/2**4 = 0.125), so 0.05 is out of reach and spares nothing
    candidate = [b - 0.3 if index < 4 else b for index, b in enumerate(BASE)]
    alone = GateRule(value="q.up", significant_at=0.05)
    (check,) = one_check(alone, candidate).checks
    assert check.n == 20 and check.p_value is not None and check.p_value >= 0.05
    assert check.failed, check.reason
    assert check.note is not None and "only 4 paired examples differ" in check.note
    assert "smallest p it can give is 0.12" in check.note
    assert check.reason.endswith("so it spares no drop")
    within = GateRule(value="q.up", max_drop=0.1, significant_at=0.05)
    (small,) = one_check(within, candidate).checks
    assert not small.failed and small.note == check.note
    # 6 differing pairs reach it (2/64), whatever the ties
    (six,) = one_check(alone, [b - 0.3 if i < 6 else b for i, b in enumerate(BASE)]).checks
    assert six.failed and six.note is None and six.p_value is not None and six.p_value < 0.05
    # one differing pair: the test gives p=1
    (single,) = one_check(alone, [b - 0.3 if i == 0 else b for i, b in enumerate(BASE)]).checks
    assert (
        single.failed
        and single.note is not None
        and "only 1 paired example differs" in (single.note)
    )
    # identical runs: nothing to judge, no note
    (same,) = one_check(alone, list(BASE)).checks
    assert not same.failed and same.note is None


@pytest.mark.parametrize("n", [2, 3, 5, 12, 20, 30])
def test_the_smallest_p_is_what_the_test_gives_a_consistent_change(n: int) -> None:
    # every difference of one sign: the most extreme data there is
    candidate = np.arange(1.0, n + 1)
    p_value = paired_permutation_test(candidate + 1.0, candidate, resamples=200, seed=0)
    assert p_value == smallest_permutation_p(n, resamples=200)


def test_the_note_is_in_markdown_and_junit() -> None:
    rule = GateRule(value="q.up", max_drop=0.02, significant_at=0.05)
    verdict = _small(rule, -0.01)
    assert verdict.passed
    assert "> ℹ️ **q.up lead3**: significant_at 0.05 is out of reach" in to_markdown(verdict)
    root = ET.fromstring(to_junit(verdict))
    case = next(c for c in root.iter("testcase") if c.get("name") == "q.up lead3")
    out = case.find("system-out")
    assert out is not None and (out.text or "").startswith("note: significant_at 0.05")


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
    newer = GateRule(value="q.down", max_drop=0.1)
    cand = run("c", {"s": {"q.up": list(BASE), "q.down": list(BASE)}}, [newer])
    with pytest.raises(ConfigError, match=r"'q\.down' is not in the baseline"):
        evaluate_gate(cand, run("b", values))


def test_a_value_or_system_the_candidate_lacks_fails_the_gate() -> None:
    base = run("b", {"s": {"q.up": list(BASE), "q.down": list(BASE)}, "gone": {"q.up": list(BASE)}})
    rule = GateRule(value="q.down", max_drop=0.1)
    verdict = evaluate_gate(run("c", {"s": {"q.up": list(BASE)}}, [rule]), base)
    assert not verdict.passed and verdict.checks == []
    lines = [integrity_line(check) for check in verdict.failed_integrity]
    assert lines == [
        "FAIL values s: 1 values of the baseline are missing from the candidate: q.down",
        "FAIL system gone: in the baseline, missing from the candidate",
    ]
    assert summary_line(verdict) == "gate FAILED: 2 of 3 checks failed"


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
    failed: list[float | None] = [None]  # ex-19's generation failed
    cand = run(
        "cand",
        {"lead3": {"q.up": shifted(-0.178)[:19] + failed, "q.down": list(BASE)[:19] + failed}},
        rules,
        failures={"lead3": {"ex-19": "out of memory"}},
    )
    return evaluate_gate(cand, base)


def test_text_verdict_lines() -> None:
    lines = to_text(_failing_verdict())
    assert lines[0].startswith("harness check: cand against baseline base (20 shared examples")
    assert lines[1] == (
        "FAIL failures lead3: 0 → 1 of 20 shared examples failed — 1 new failed or empty "
        "generations > max_new_failures 0: ex-19"
    )
    assert lines[2] == "    failed ex-19: out of memory"
    fail = lines[3]
    assert fail.startswith("FAIL q.up lead3: 0.490 → 0.312 (−0.178, max_drop 0.02, ")
    assert "significant_at 0.05; paired p=" in fail
    assert lines[4].startswith("    worst ex-")
    assert "→" in lines[4] and "(−0.178)" in lines[4]
    assert lines[7].startswith("ok q.down lead3: 0.490 → 0.490 (+0.000 = +0.0%, ")
    assert lines[-1] == "gate FAILED: 2 of 3 checks failed"


def test_markdown_verdict() -> None:
    text = to_markdown(_failing_verdict())
    assert text.startswith("### ❌ harness check: gate FAILED: 2 of 3 checks failed")
    assert (
        "- ❌ FAIL failures lead3: 0 → 1 of 20 shared examples failed — 1 new failed "
        "or empty generations &gt; max_new_failures 0: ex-19\n  - `ex-19: out of memory`"
    ) in text
    assert "| ❌ FAIL | `q.up` | lead3 | 0.490 | 0.312 | −0.178 |" in text
    assert "| ✅ ok | `q.down` | lead3 |" in text
    assert "**q.up lead3** failed" in text and "Worst examples" in text


def test_markdown_names_and_errors_cannot_break_the_table_or_the_lists() -> None:
    # A system name with a line break ended the table row; an error with a backtick
    # ended its code span, and HTML in it was rendered by GitHub's step summary.
    systems = ["a|b\nc", "x`y"]
    rule = GateRule(value="q.up", max_drop=0.02)
    base = run("base", {system: {"q.up": list(BASE)} for system in systems})
    cand = run(
        "cand",
        {system: {"q.up": [*shifted(-0.1)[:19], None]} for system in systems},
        [rule],
        failures={system: {"ex-19": "boom `<b>` |\nsecond line"} for system in systems},
    )
    text = to_markdown(evaluate_gate(cand, base))
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + len(systems)  # the header and one row per system, none split
    assert all(row.count(" | ") == rows[0].count(" | ") for row in rows)
    assert "a\\|b<br>c" in text
    assert "  - ``ex-19: boom `<b>` | second line``" in text


def test_junit_verdict_parses_and_counts() -> None:
    root = ET.fromstring(to_junit(_failing_verdict()))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "harness.check"
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["failures lead3", "q.up lead3", "q.down lead3"]
    failed = cases[0].find("failure")
    assert failed is not None and "ex-19" in (failed.get("message") or "")
    assert "failed ex-19: out of memory" in (failed.text or "")
    failure = cases[1].find("failure")
    assert failure is not None
    assert (failure.get("message") or "").startswith("FAIL q.up lead3")
    assert cases[2].find("failure") is None


def test_junit_is_valid_xml_whatever_the_names_and_errors() -> None:
    # a backend's error with a terminal colour code and a NUL; hostile system names
    error = '\x1b[31mCUDA <out of memory> & "quoted" \x00\x07 😀\x1b[0m'
    systems = ['lead<3> & "x"', "sys\x01\x1b", "emoji 😀", "\ufffe"]
    rule = GateRule(value="q.up", max_drop=0.02)
    base = run("base", {system: {"q.up": list(BASE)} for system in systems})
    cand = run(
        "cand\x0b",
        {system: {"q.up": [*shifted(-0.1)[:19], None]} for system in systems},
        [rule],
        failures={system: {"ex-19": error} for system in systems},
    )
    verdict = evaluate_gate(cand, base)
    root = ET.fromstring(to_junit(verdict))
    (suite,) = root.findall("testsuite")
    assert suite.get("failures") == str(verdict.n_failed) == "8"
    names = [case.get("name") for case in suite.findall("testcase")]
    assert names[:3] == ['failures lead<3> & "x"', "failures sys\\x01\\x1b", "failures emoji 😀"]
    failure = suite.find("testcase/failure")
    assert failure is not None
    assert '\\x1b[31mCUDA <out of memory> & "quoted" \\x00\\x07 😀\\x1b[0m' in (failure.text or "")
