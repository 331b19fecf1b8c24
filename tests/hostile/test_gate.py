"""Hostile cases of the CI gate (issue 11, "Never a wrong verdict in silence").

Each test runs the harness as a CI job would, through ``python -m harness``
(`harness_cli`): real runs on a five-article benchmark written in tmp_path,
then ``harness check`` / ``harness compare`` on them.

1. a candidate whose generations fail, or that lacks a system or value of
   the baseline, fails the gate (exit 1) and says which;
3. a ``significant_at`` that five examples cannot reach is said, never a silent "ok";
4. runs of different benchmarks with the same numbered ids are refused (exit 2)
   unless ``--allow-different-benchmark``;
5. ``harness check ... | head -c 10`` exits with the verdict's status;
11. a baseline.json value that is not a JSON number is exit 2 naming its JSON path.
"""

from __future__ import annotations

import json
import math
import os
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

# The harness_cli fixture (tests/conftest.py) runs `python -m harness` as a subprocess.
HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]
REPO = Path(__file__).resolve().parents[2]

ARTICLES = [
    "The council approved a budget of 4 million dollars. Roads will be repaired. "
    "Work starts in May.",
    "A storm closed the port on Monday. Ferries were cancelled. The port reopened on Tuesday.",
    "The museum opened a new wing. It holds 200 paintings. Entry is free for children.",
    "Shares of the bank fell 3 percent. Profits had dropped. The chief executive resigned.",
    "The school hired ten teachers. Classes will be smaller. Parents welcomed the news.",
]
OTHER_ARTICLES = [
    "A new bridge opened downtown. Traffic eased at once. The mayor cut the ribbon.",
    "The orchestra played to a full hall. Tickets sold out in a day. A tour follows.",
    "Farmers expect a record harvest. Rain came early. Prices may fall.",
    "The library extended its hours. Students asked for it. Weekends are included.",
    "A startup raised 5 million euros. It makes batteries. Hiring starts soon.",
]
# The first sentence of each article is its reference, so lead-1 matches it exactly
# and lead-3 drops ROUGE on every article. Five examples cannot reach p < 0.05 with
# the exact permutation test (its smallest p is 2/2^5 = 0.0625).
GATE: list[dict[str, Any]] = [
    {"value": "rouge.rouge1", "max_drop": 0.02, "significant_at": 0.05},
    {"value": "length.words", "max_relative_drop": 5.0, "significant_at": 0.05},
]

FAILING_SUMMARIZER = """\
import json
import sys

for line in sys.stdin:
    record = json.loads(line)
    if record["id"] == "1":
        print(json.dumps({"id": "1", "summary": record["source"].split(". ")[0] + "."}))
    else:
        print(json.dumps({"id": record["id"], "error": "model overloaded"}))
"""


def _benchmark(path: Path, articles: list[str]) -> Path:
    """A JSONL benchmark without an id column: the ids are the row numbers 1..5."""
    rows = [{"text": text, "ref": text.split(". ")[0] + "."} for text in articles]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _lead(sentences: int, name: str = "sys") -> dict[str, Any]:
    return {"name": name, "backend": "lead", "params": {"sentences": sentences}}


def _harness(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m harness ARGS`` as the `harness_cli` fixture runs it (for module fixtures)."""
    env = {**os.environ, "HARNESS_CACHE_DIR": str(root / "cache"), "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _run(
    root: Path,
    label: str,
    systems: list[dict[str, Any]],
    *,
    metrics: list[str] | None = None,
    gate: list[dict[str, Any]] | None = None,
    data: str = "news.jsonl",
) -> Path:
    """Write a config and run it with ``harness run``; return the run directory."""
    config = {
        "name": label,
        "benchmark": {
            "path": str(root / data),
            "fields": {"id": None, "source": "text", "reference": "ref"},
        },
        "systems": systems,
        "metrics": metrics or ["rouge", "length"],
        "gate": GATE if gate is None else gate,
        "stats": {"resamples": 200},
    }
    config_file = root / f"{label}.yaml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    out = root / label
    done = _harness(root, "run", str(config_file), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every run the cases need, made once with ``harness run`` (and ``harness baseline``)."""
    root = tmp_path_factory.mktemp("gate")
    _benchmark(root / "news.jsonl", ARTICLES)
    _benchmark(root / "other.jsonl", OTHER_ARTICLES)
    # the first three articles of news.jsonl: a subset of the same benchmark
    _benchmark(root / "subset.jsonl", ARTICLES[:3])
    script = root / "flaky_summarizer.py"
    script.write_text(FAILING_SUMMARIZER, encoding="utf-8")
    flaky = {"name": "sys", "backend": "command", "params": {"argv": [sys.executable, str(script)]}}
    made = {
        "base": _run(root, "base", [_lead(1)]),
        "worse": _run(root, "worse", [_lead(3)]),
        "flaky": _run(root, "flaky", [flaky]),
        "flaky-allowed": _run(
            root, "flaky-allowed", [flaky], gate=[*GATE, {"max_new_failures": 4}]
        ),
        "two": _run(root, "two", [_lead(1), _lead(3, "other")]),
        "fewer": _run(root, "fewer", [_lead(1)], metrics=["rouge"], gate=GATE[:1]),
        "other": _run(root, "other", [_lead(1)], data="other.jsonl"),
        "subset": _run(root, "subset", [_lead(1)], data="subset.jsonl"),
    }
    made["base.json"] = root / "base.json"
    done = _harness(root, "baseline", str(made["base"]), "--out", str(made["base.json"]))
    assert done.returncode == 0, done.stdout + done.stderr
    return made


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stdout + done.stderr


def _testcases(junit: Path) -> dict[str | None, ET.Element]:
    return {case.get("name"): case for case in ET.parse(junit).iter("testcase")}


# 1 ------------------------------------------------------------------------------------
def test_case1_failed_generations_fail_the_gate(
    harness_cli: HarnessCLI, runs: dict[str, Path], tmp_path: Path
) -> None:
    junit = tmp_path / "junit.xml"
    for reference in (runs["base"], runs["base.json"]):
        argv = ["check", str(runs["flaky"]), "--baseline", str(reference), "--junit", str(junit)]
        done = harness_cli(*argv)
        assert done.returncode == 1, done.stdout + done.stderr
        assert (
            "FAIL failures sys: 0 → 4 of 5 shared examples failed — 4 new failed or empty "
            "generations > max_new_failures 0: 2, 3, 4, 5"
        ) in done.stdout
        assert "    failed 2: command reported: model overloaded" in done.stdout
        assert "gate FAILED" in done.stdout
        failure = _testcases(junit)["failures sys"].find("failure")
        assert failure is not None and "2, 3, 4, 5" in (failure.get("message") or "")
    # a failures rule may allow some: four new failures against an allowance of four
    done = harness_cli("check", str(runs["flaky-allowed"]), "--baseline", str(runs["base"]))
    assert "ok failures sys: 0 → 4 of 5 shared examples failed" in done.stdout, done.stdout


GROWN_SUMMARIZER = """\
import json
import sys

for line in sys.stdin:
    record = json.loads(line)
    if record["id"] == "2":
        print(json.dumps({"id": "2", "summary": " ... "}))
    elif int(record["id"]) > 3:
        print(json.dumps({"id": record["id"], "error": "context too long"}))
    else:
        print(json.dumps({"id": record["id"], "summary": record["source"].split(". ")[0] + "."}))
"""


def test_case1_empty_summaries_and_failures_on_examples_the_baseline_lacks_fail(
    harness_cli: HarnessCLI, runs: dict[str, Path], tmp_path: Path
) -> None:
    # The baseline covers articles 1-3 (a --limit run, a benchmark since grown); the
    # candidate returns nothing for article 2 and fails the two new ones.
    script = tmp_path / "grown.py"
    script.write_text(GROWN_SUMMARIZER, encoding="utf-8")
    system = {
        "name": "sys",
        "backend": "command",
        "params": {"argv": [sys.executable, str(script)]},
    }
    _benchmark(tmp_path / "news.jsonl", ARTICLES)
    candidate = _run(tmp_path, "grown", [system], gate=[{"max_new_failures": 0}])
    baseline = tmp_path / "subset.json"
    done = harness_cli("baseline", str(runs["subset"]), "--out", str(baseline))
    assert done.returncode == 0, done.stdout + done.stderr
    done = harness_cli("check", str(candidate), "--baseline", str(baseline))
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "FAIL failures sys: 0 → 1 of 3 shared examples failed, and 2 of the 2 examples only "
        "in the candidate — 3 new failed or empty generations (2 on examples the baseline "
        "lacks) > max_new_failures 0 (gate[0]): 2, 4, 5"
    ) in done.stdout
    assert "failed 2: empty summary (no letter or digit)" in done.stdout
    assert "failed 4: command reported: context too long" in done.stdout


def test_case1_a_system_or_value_the_candidate_lacks_fails(
    harness_cli: HarnessCLI, runs: dict[str, Path]
) -> None:
    done = harness_cli("check", str(runs["fewer"]), "--baseline", str(runs["two"]))
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "FAIL values sys: 2 values of the baseline are missing from the candidate: "
        "length.words, length.sentences"
    ) in done.stdout
    assert "FAIL system other: in the baseline, missing from the candidate" in done.stdout
    assert "ok rouge.rouge1 sys" in done.stdout
    assert "gate FAILED: 2 of 4 checks failed" in done.stdout


# 3 ------------------------------------------------------------------------------------
def test_case3_unreachable_significance_is_said(
    harness_cli: HarnessCLI, runs: dict[str, Path], tmp_path: Path
) -> None:
    junit = tmp_path / "junit.xml"
    argv = ["check", str(runs["worse"]), "--baseline", str(runs["base"]), "--junit", str(junit)]
    done = harness_cli(*argv)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    unreachable = (
        "significant_at 0.05 is out of reach with n=5: the smallest p the paired test "
        "can give is 0.062"
    )
    rouge = next(line for line in lines if "rouge.rouge1 sys" in line)
    assert rouge.startswith("FAIL rouge.rouge1 sys:"), done.stdout
    assert unreachable in rouge and "so it spares no drop" in rouge
    words = next(line for line in lines if "length.words sys" in line)
    assert words.startswith("ok length.words sys:") and unreachable in words
    cases = _testcases(junit)
    failure = cases["rouge.rouge1 sys"].find("failure")
    assert failure is not None and unreachable in (failure.get("message") or "")
    note = cases["length.words sys"].find("system-out")
    assert note is not None and unreachable in (note.text or "")


# 4 ------------------------------------------------------------------------------------
def test_case4_different_benchmarks_are_refused(
    harness_cli: HarnessCLI, runs: dict[str, Path]
) -> None:
    for argv in (
        ["compare", str(runs["base"]), str(runs["other"])],
        ["check", str(runs["other"]), "--baseline", str(runs["base.json"])],
    ):
        done = harness_cli(*argv)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "are not runs of the same benchmark" in done.stderr
        assert "5 of the 5 example ids they share name a different article" in done.stderr
        assert "--allow-different-benchmark" in done.stderr
        _no_traceback(done)
        allowed = harness_cli(*argv, "--allow-different-benchmark")
        assert allowed.returncode in (0, 1), allowed.stdout + allowed.stderr
        assert "warning: different benchmarks (allowed by --allow-different-benchmark)" in (
            allowed.stdout
        )
    # the first three articles of the same benchmark are the same benchmark
    done = harness_cli("check", str(runs["subset"]), "--baseline", str(runs["base.json"]))
    assert done.returncode == 0, done.stdout + done.stderr


# 5 ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reader", "candidate", "expected"),
    [("head -c 10", "base", 0), ("head -c 10", "worse", 1), ("head -c 0", "worse", 1)],
)
def test_case5_a_closed_pipe_keeps_the_verdicts_exit_code(
    runs: dict[str, Path], tmp_path: Path, reader: str, candidate: str, expected: int
) -> None:
    junit = tmp_path / "junit.xml"
    harness = shlex.join(
        [
            sys.executable,
            *("-m", "harness", "check", str(runs[candidate])),
            *("--baseline", str(runs["base"]), "--junit", str(junit)),
        ]
    )
    # `head -c 0` exits at once, so harness meets a closed pipe whenever it writes
    script = f'set -o pipefail; {harness} | {reader}; echo " rc=${{PIPESTATUS[0]}}"'
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=REPO,
        env={**os.environ, "HARNESS_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.endswith(f" rc={expected}\n"), done.stdout + done.stderr
    assert done.stderr == "", done.stderr
    assert ET.parse(junit).getroot().find("testsuite") is not None  # written all the same


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check", "worse", "--baseline", "base"], 1),
        (["check", "base", "--baseline", "base"], 0),
        (["table", "base"], 0),
        (["validate", "no-such-config.yaml"], 2),
    ],
)
def test_case5_a_closed_stdout_keeps_the_exit_code(
    runs: dict[str, Path], tmp_path: Path, argv: list[str], expected: int
) -> None:
    # `>&-` starts harness with no stdout at all (sys.stdout is None): the final
    # flush raised AttributeError, and a regression (1) read as a bug (3).
    args = [str(runs.get(arg, arg)) for arg in argv]
    harness = shlex.join([sys.executable, "-m", "harness", *args])
    done = subprocess.run(
        ["bash", "-c", f'{harness} >&-; echo "rc=$?" >&2'],
        cwd=REPO,
        env={**os.environ, "HARNESS_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stderr.endswith(f"rc={expected}\n"), done.stderr
    assert "Traceback" not in done.stderr, done.stderr


# 11 -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("0.9", 'examples["2"]: Input should be a valid number, got "0.9" (a string)'),
        (True, 'examples["2"]: Input should be a valid number, got true (a boolean)'),
        (math.nan, 'examples["2"]: Input should be a finite number, got NaN'),
        ([0.5], 'examples["2"]: Input should be a valid number, got (a JSON array)'),
    ],
)
def test_case11_baseline_json_is_validated_field_by_field(
    harness_cli: HarnessCLI, runs: dict[str, Path], tmp_path: Path, bad: Any, message: str
) -> None:
    document = json.loads(runs["base.json"].read_text(encoding="utf-8"))
    document["systems"]["sys"]["rouge.rouge1"]["examples"]["2"] = bad
    file = tmp_path / "baseline.json"
    file.write_text(json.dumps(document), encoding="utf-8")  # NaN as the JSON literal NaN
    done = harness_cli("check", str(runs["base"]), "--baseline", str(file))
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{file}: not a valid baseline file:" in done.stderr
    assert f'systems.sys["rouge.rouge1"].{message}' in done.stderr, done.stderr
    _no_traceback(done)
