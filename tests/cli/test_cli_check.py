"""`harness check` and `harness baseline` on real runs of the built-in benchmark.

Three real pipeline runs on the first 20 newsbriefs articles, all with one
system named ``candidate``: lead-3 (the baseline), lead-3 again (an identical
run) and lead-1 (the candidate's summaries truncated to one sentence).

Note what the truncation does on this benchmark: the reference briefs are 1–2
sentences, so lead-1 has a *higher* ROUGE F1 than lead-3 (0.554 vs 0.482 on
these 20 articles). The gate (the rules of configs/ci.yaml) catches the
truncation through its ``length.words`` rule, and the reverse change (lead-1
baseline, lead-3 candidate) fails its ROUGE rules.
"""

from __future__ import annotations

import io
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from harness.cli import app
from harness.compare import BASELINE_FORMAT, load_baseline_file
from harness.config import parse_config
from harness.runner import run_pipeline

REPO = Path(__file__).resolve().parents[2]
GATE = yaml.safe_load((REPO / "configs" / "ci.yaml").read_text(encoding="utf-8"))["gate"]


def _run(root: Path, label: str, sentences: int) -> Path:
    data: dict[str, Any] = {
        "name": f"check-{label}",
        "benchmark": {"builtin": "newsbriefs", "limit": 20},
        "systems": [{"name": "candidate", "backend": "lead", "params": {"sentences": sentences}}],
        "metrics": ["rouge", "length"],
        "gate": GATE,
        "cache": str(root / "cache"),
    }
    out = root / label
    run_pipeline(
        parse_config(data, label),
        origin=label,
        config_dir=root,
        out=out,
        console=Console(file=io.StringIO()),
    )
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("check")
    return {
        "lead3": _run(root, "lead3", 3),
        "same": _run(root, "same", 3),
        "lead1": _run(root, "lead1", 1),
    }


def check(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", *map(str, args)], env=env)
    return result.exit_code, result.output


def test_truncated_candidate_fails_against_a_run_dir(runs: dict[str, Path], tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    code, out = check(
        runs["lead1"],
        "--baseline",
        runs["lead3"],
        "--junit",
        junit,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert code == 1, out
    assert "rouge" in out and "candidate" in out
    assert "FAIL length.words candidate: 91.150 → 38.900 (−52.250 = −57.3%" in out
    assert "ok rouge.rouge1 candidate: 0.482 → 0.554" in out
    assert "    worst nb-008: 134.000 → 39.000 (−95.000)" in out
    assert "ok failures candidate: 0 → 0 of 20 shared examples failed" in out
    assert "gate FAILED: 1 of 4 checks failed" in out
    markdown = summary.read_text(encoding="utf-8")
    assert markdown.startswith("earlier step\n### ❌ harness check")
    assert "| ❌ FAIL | `length.words` | candidate |" in markdown
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("name") == "harness.check"
    assert (suite.get("tests"), suite.get("failures")) == ("4", "1")
    names = [case.get("name") for case in suite.iter("testcase")]
    assert names == [
        "failures candidate",
        "rouge.rouge1 candidate",
        "rouge.rougeL candidate",
        "length.words candidate",
    ]
    assert [case.find("failure") is not None for case in suite.iter("testcase")] == [
        False,
        False,
        False,
        True,
    ]


def test_a_step_summary_that_cannot_be_written_keeps_the_junit_file_and_exit_code(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    # Before, a $GITHUB_STEP_SUMMARY that could not be appended to (a folder, no
    # permission) ended the command first: no junit.xml, and a regression read exit 2.
    junit = tmp_path / "junit.xml"
    folder = tmp_path / "summary-folder"
    folder.mkdir()
    env = {"GITHUB_STEP_SUMMARY": str(folder)}
    code, out = check(runs["lead1"], "--baseline", runs["lead3"], "--junit", junit, env=env)
    assert code == 1, out
    assert junit.is_file() and "cannot append the verdict to $GITHUB_STEP_SUMMARY" in out
    junit.unlink()
    code, out = check(runs["same"], "--baseline", runs["lead3"], "--junit", junit, env=env)
    assert code == 2, out  # the gate passed, but an output asked for is missing
    assert junit.is_file() and "cannot append the verdict to $GITHUB_STEP_SUMMARY" in out


def test_rouge_regression_names_the_metric(runs: dict[str, Path]) -> None:
    code, out = check(runs["lead3"], "--baseline", runs["lead1"])
    assert code == 1, out
    assert "FAIL rouge.rouge1 candidate: 0.554 → 0.482 (−0.072, max_drop 0.02" in out
    assert "FAIL rouge.rougeL candidate:" in out


def test_identical_run_passes(runs: dict[str, Path], tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    code, out = check(
        runs["same"], "--baseline", runs["lead3"], env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert code == 0, out
    assert "ok rouge.rouge1 candidate: 0.482 → 0.482 (+0.000" in out
    assert "gate passed: 4 of 4 checks ok" in out
    assert summary.read_text(encoding="utf-8").startswith("### ✅ harness check")


def test_baseline_json_gates_like_the_run_dir(runs: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "baselines" / "ci.json"
    result = CliRunner().invoke(app, ["baseline", str(runs["lead3"]), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert (
        f"wrote {target}: 1 systems, 6 values, 20 examples, 3 gate rules, 0 failed generations"
    ) in result.output
    code, out = check(runs["lead1"], "--baseline", target)
    assert code == 1, out
    assert "FAIL length.words candidate" in out
    code, out = check(runs["same"], "--baseline", target)
    assert code == 0, out
    # the default location is inside the run directory
    default = CliRunner().invoke(app, ["baseline", str(runs["same"])])
    assert default.exit_code == 0 and (runs["same"] / "baseline.json").is_file()


def test_paths_with_brackets_are_printed_as_they_are(runs: dict[str, Path], tmp_path: Path) -> None:
    # "[/]" and "[ci]" read as console markup: a crash (exit 3) or a path cut short
    target = tmp_path / "baselines[/]" / "ci[ci].json"
    result = CliRunner().invoke(app, ["baseline", str(runs["lead3"]), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}: 1 systems" in result.output
    junit = tmp_path / "reports[/]" / "junit[ci].xml"
    code, out = check(runs["lead1"], "--baseline", target, "--junit", junit)
    assert code == 1, out
    assert f"wrote {junit}" in out
    ET.parse(junit)


def _copy_with_gate(run_dir: Path, dest: Path, gate: list[dict[str, Any]]) -> Path:
    shutil.copytree(run_dir, dest)
    config = yaml.safe_load((dest / "config.yaml").read_text(encoding="utf-8"))
    config["gate"] = gate
    (dest / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (dest / "baseline.json").unlink(missing_ok=True)
    return dest


def test_rules_fall_back_to_the_baseline_then_error(runs: dict[str, Path], tmp_path: Path) -> None:
    bare = _copy_with_gate(runs["lead1"], tmp_path / "bare", [])
    code, out = check(bare, "--baseline", runs["lead3"])
    assert code == 1, out
    assert "rules from the baseline" in out
    bare_base = _copy_with_gate(runs["lead3"], tmp_path / "bare-base", [])
    code, out = check(bare, "--baseline", bare_base)
    assert code == 2
    assert "no gate rules" in out and "gate:" in out


def test_unknown_value_in_a_rule_exits_2(runs: dict[str, Path], tmp_path: Path) -> None:
    typo = _copy_with_gate(
        runs["same"], tmp_path / "typo", [{"value": "rouge.rogue1", "max_drop": 0.1}]
    )
    code, out = check(typo, "--baseline", runs["lead3"])
    assert code == 2
    assert "rouge.rogue1" in out and "Did you mean 'rouge.rouge1'?" in out
    code, out = check(runs["same"], "--baseline", tmp_path / "nowhere")
    assert code == 2 and "baseline not found" in out


def test_exit_codes_through_python_m_harness(runs: dict[str, Path], harness_cli: Any) -> None:
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_STEP_SUMMARY"}
    for candidate, expected in (("same", 0), ("lead1", 1)):
        argv = ["check", str(runs[candidate]), "--baseline", str(runs["lead3"])]
        done = harness_cli(*argv, env=env, timeout=60)
        assert done.returncode == expected, done.stdout + done.stderr
        assert "length.words candidate" in done.stdout


def test_the_committed_baseline_records_failures_and_fingerprints() -> None:
    file = REPO / "baselines" / "ci.json"
    assert yaml.safe_load(file.read_text(encoding="utf-8"))["format"] == BASELINE_FORMAT
    baseline = load_baseline_file(file)
    assert baseline.failures == {"lead3": {}, "textrank": {}}
    assert baseline.fingerprints is not None and len(baseline.fingerprints) == 40


def test_a_baseline_scored_with_another_metric_version_is_refused(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    import json

    target = tmp_path / "old.json"
    assert (
        CliRunner().invoke(app, ["baseline", str(runs["lead3"]), "--out", str(target)]).exit_code
        == 0
    )
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["metrics"]["rouge"]["version"] == "1"
    # as an older harness would have written it: another rouge
    document["metrics"]["rouge"]["version"] = "0"
    target.write_text(json.dumps(document), encoding="utf-8")
    code, out = check(runs["same"], "--baseline", target)
    assert code == 2, out
    assert "scored with other metrics than the baseline" in out
    assert "rouge: version 0 → 1" in out and "harness baseline RUN_DIR" in out
    # a baseline file from before metric versions were recorded still gates, with a warning
    del document["metrics"]
    document["format"] = "harness-baseline/2"
    target.write_text(json.dumps(document), encoding="utf-8")
    code, out = check(runs["same"], "--baseline", target)
    assert code == 0, out
    assert "records no metric versions" in out
