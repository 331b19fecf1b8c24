"""The command line as a user runs it: real subprocesses, exit codes, messages, files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.requires import SHARED

# The harness_cli fixture (tests/conftest.py) runs `python -m harness` as a subprocess.
HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]

REPO = Path(__file__).resolve().parents[2]

FIXTURES = REPO / "tests" / "fixtures" / "runner"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = dict(os.environ)
    values["HARNESS_CACHE_DIR"] = str(tmp_path / "cache")
    values["COLUMNS"] = "120"
    return values


@pytest.mark.slow
def test_quickstart_run_score_report(
    tmp_path: Path, env: dict[str, str], harness_cli: HarnessCLI
) -> None:
    # longer than the 120 columns and with brackets: the run directory line must stay whole
    out = tmp_path / ("a-folder-with-a-long-name-" * 4) / "quick [v2]"
    done = harness_cli("run", "configs/quickstart.yaml", "--limit", "5", "--out", str(out), env=env)
    assert done.returncode == 0, done.stderr
    assert f"run directory: {out}  (cache: " in done.stdout
    for name in ("lead1", "lead3", "textrank", "smollm2", "rouge1", "coverage", "words"):
        assert name in done.stdout
    assert "reference" not in done.stdout  # no more references scored against themselves
    for name in (
        "config.yaml",
        "manifest.json",
        "examples.jsonl",
        "outputs.jsonl",
        "scores.jsonl",
        "results.json",
        "report.md",
        "report.csv",
    ):
        assert (out / name).is_file(), name
    outputs = [json.loads(line) for line in (out / "outputs.jsonl").read_text().splitlines()]
    assert len(outputs) == 5 * 4
    assert set(outputs[0]) == {
        "example_id",
        "system",
        "summary",
        "error",
        "latency_s",
        "truncated_tokens",
        "cut_off",
        "served_model",
    }
    scores = [json.loads(line) for line in (out / "scores.jsonl").read_text().splitlines()]
    assert len(scores) == 5 * 4 * 6
    assert {"example_id", "system", "metric", "values", "findings"} <= set(scores[0])
    results = json.loads((out / "results.json").read_text())
    assert results["systems"] == ["lead1", "lead3", "textrank", "smollm2"]
    assert results["results"]["lead3"]["length.sentences"]["mean"] == 3.0
    # The shipped SmolLM2 summaries make real errors that the fact checks catch:
    # at least one number or name the source does not back, flagged in the
    # scores and listed, as a sentence, in report.md.
    flagged = [
        finding
        for score in scores
        if score["system"] == "smollm2" and score["metric"] in ("numbers", "entities")
        for finding in score["findings"]
        if finding["status"] in ("unsupported", "context_mismatch")
    ]
    assert flagged
    unsupported = [
        results["results"]["smollm2"][f"{metric}.unsupported"]["mean"]
        for metric in ("numbers", "entities")
    ]
    assert max(unsupported) > 0
    for system in ("lead1", "lead3", "textrank"):
        assert results["results"][system]["numbers.unsupported"]["mean"] == 0
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Flagged findings" in report and "| smollm2 | nb-00" in report
    csv_header = (out / "report.csv").read_text().splitlines()[0]
    assert csv_header.startswith("system,failures,rouge.rouge1,rouge.rouge1.ci95,rouge.rouge1.n")

    again = harness_cli(
        "run", "configs/quickstart.yaml", "--limit", "5", "--out", str(out), env=env
    )
    assert again.returncode == 0, again.stderr
    assert f"run directory: {out}  (cache: 136 hits, 0 computed)" in again.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["cache"]["generation"]["misses"] == 0
    assert manifest["cache"]["score"]["misses"] == 0

    (out / "report.md").unlink()
    reported = harness_cli("report", str(out), env=env)
    assert reported.returncode == 0
    assert "has changed since results.json was computed" not in reported.stderr
    assert (out / "report.md").is_file()
    rescored = harness_cli("score", str(out), env=env)
    assert rescored.returncode == 0, rescored.stderr
    assert json.loads((out / "results.json").read_text()) == results
    # config.yaml edited since: the reports show results.json as computed, and say so
    config_text = (out / "config.yaml").read_text(encoding="utf-8")
    (out / "config.yaml").write_text(config_text.replace("seed: 0", "seed: 3"), "utf-8")
    stale = harness_cli("report", str(out), env=env)
    assert stale.returncode == 0, stale.stderr
    assert "has changed since results.json was computed" in " ".join(stale.stderr.split())
    assert harness_cli("score", str(out), env=env).returncode == 0
    assert "has changed since" not in harness_cli("report", str(out), env=env).stderr


def test_python_module_and_list(env: dict[str, str], harness_cli: HarnessCLI) -> None:
    done = harness_cli("list", env=env)
    assert done.returncode == 0
    for name in ("lead", "textrank", "precomputed", "command", "python", "rouge", "newsbriefs"):
        assert name in done.stdout


def test_validate_ok_and_errors_without_traceback(
    tmp_path: Path, env: dict[str, str], harness_cli: HarnessCLI
) -> None:
    ok = harness_cli("validate", "configs/quickstart.yaml", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "ok" in ok.stdout and "nb-001" in ok.stdout

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nbenchmark: {builtin: newsbriefs}\n"
        "systems: [{name: a, backend: leed}]\nmetrics: [rouge]\nlimt: 3\n",
        encoding="utf-8",
    )
    done = harness_cli("validate", str(bad), env=env)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{bad}:5: limt: unknown key" in done.stderr

    bad.write_text(
        "name: x\nbenchmark: {builtin: newsbriefs}\n"
        "systems: [{name: a, backend: leed}]\nmetrics: [rouge]\n",
        encoding="utf-8",
    )
    done = harness_cli("validate", str(bad), env=env)
    assert done.returncode == 2
    assert "systems[0].backend: unknown backend 'leed'. Did you mean 'lead'?" in done.stderr

    bad.write_text(
        "name: x\nbenchmark: {builtin: newsbriefs}\n"
        "systems: [{name: a, backend: lead, params: {sentences: many}}]\nmetrics: [rouge]\n",
        encoding="utf-8",
    )
    done = harness_cli("validate", str(bad), env=env)
    assert done.returncode == 2
    assert "systems[0].params: sentences:" in done.stderr and "'many'" in done.stderr


def test_malformed_benchmark_line_is_one_clear_error(
    tmp_path: Path, env: dict[str, str], harness_cli: HarnessCLI
) -> None:
    data = tmp_path / "data.jsonl"
    data.write_text('{"id": 1, "source": "A."}\n{"id": 2, "source": "B."\n', encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(
        f"name: x\nbenchmark: {{path: {data}}}\nsystems: [{{name: a, backend: lead}}]\n"
        f"metrics: [length]\nout: {tmp_path / 'run'}\n",
        encoding="utf-8",
    )
    done = harness_cli("run", str(config), env=env)
    assert done.returncode == 2
    assert f"{data}:2" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.requires(shared="seed/000_96fdd32d9fc88bea.txt")
@pytest.mark.requires(shared="data/summedits/summedits_news.json")
def test_seed_briefs_and_summedits_configs(
    tmp_path: Path, env: dict[str, str], harness_cli: HarnessCLI
) -> None:
    seed_out = tmp_path / "seed"
    done = harness_cli("run", "configs/seed_briefs.yaml", "--out", str(seed_out), env=env)
    assert done.returncode == 0, done.stderr
    outputs = [json.loads(line) for line in (seed_out / "outputs.jsonl").read_text().splitlines()]
    assert {o["example_id"] for o in outputs} == {
        f"000_96fdd32d9fc88bea-{n:03d}" for n in range(1, 11)
    }

    news_out = tmp_path / "news"
    done = harness_cli(
        "run", "configs/summedits_news.yaml", "--limit", "30", "--out", str(news_out), env=env
    )
    assert done.returncode == 0, done.stderr
    examples = [json.loads(line) for line in (news_out / "examples.jsonl").read_text().splitlines()]
    source = json.loads((SHARED / "data/summedits/summedits_news.json").read_text())
    assert [e["id"] for e in examples] == [row["id"] for row in source[:30]]
    given = [
        json.loads(line)
        for line in (news_out / "outputs.jsonl").read_text().splitlines()
        if json.loads(line)["system"] == "given"
    ]
    assert [g["summary"] for g in given] == [row["summary"] for row in source[:30]]


def test_killed_run_resumes_from_cache(
    tmp_path: Path, env: dict[str, str], harness_cli: HarnessCLI
) -> None:
    calls = tmp_path / "calls.txt"
    env["HARNESS_TEST_CALLS"] = str(calls)
    config = tmp_path / "slow.yaml"
    config.write_text(
        "name: slow\nbenchmark: {builtin: newsbriefs, limit: 8}\n"
        f"systems: [{{name: slow, backend: python, batch_size: 1, "
        f'params: {{callable: "{FIXTURES / "flaky.py"}:slow_counted"}}}}]\n'
        f"metrics: [length]\nout: {tmp_path / 'run'}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "harness", "run", str(config)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if calls.exists() and len(calls.read_text().splitlines()) >= 4:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    first_calls = len(calls.read_text().splitlines())
    assert 4 <= first_calls < 8

    done = harness_cli("run", str(config), env=env)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    hits = manifest["cache"]["generation"]["hits"]
    assert hits >= first_calls - 1  # at most the in-flight batch is lost
    assert len(calls.read_text().splitlines()) == first_calls + (8 - hits)


@pytest.mark.slow
def test_two_runs_sharing_one_cache_at_once(
    tmp_path: Path, env: dict[str, str], harness_cli: HarnessCLI
) -> None:
    args = ["configs/quickstart.yaml", "--limit", "8", "--set", "metrics=[rouge, length]"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "harness", "run", *args, "--out", str(tmp_path / name)],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=180)
        assert process.returncode == 0, stderr
    first = json.loads((tmp_path / "a" / "results.json").read_text())
    assert json.loads((tmp_path / "b" / "results.json").read_text())["results"] == first["results"]
    done = harness_cli("run", *args, "--out", str(tmp_path / "c"), env=env)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["cache"]["generation"]["misses"] == 0
    assert manifest["cache"]["score"]["misses"] == 0


def test_a_file_where_the_run_folder_should_be_is_a_clean_error(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder", encoding="utf-8")
    done = harness_cli("run", "configs/ci.yaml", "--limit", "2", "--out", str(blocker))
    assert done.returncode == 2, done.stderr
    assert f"the run directory {blocker} is a file" in done.stderr
    assert "Traceback" not in done.stderr


def test_user_code_calling_sys_exit_fails_its_examples_not_the_run(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    (tmp_path / "exiting.py").write_text(
        "import sys\n\n"
        "def summarize(sources):\n"
        "    if any('e' in s for s in sources):\n"
        "        sys.exit(0)\n"
        "    return sources\n",
        encoding="utf-8",
    )
    config = tmp_path / "exiting.yaml"
    config.write_text(
        "name: exiting\n"
        "benchmark: {builtin: newsbriefs, limit: 2}\n"
        "systems: [{name: mine, backend: python, params: {callable: "
        f"'{tmp_path}/exiting.py:summarize'}}}}]\n"
        "metrics: [length]\n",
        encoding="utf-8",
    )
    out = tmp_path / "run"
    done = harness_cli("run", str(config), "--out", str(out))
    # Every generation failed: exit 4 (not the 0 of the user's sys.exit), run directory written.
    assert done.returncode == 4, done.stderr
    assert "'mine' produced no summary" in done.stderr
    outputs = [json.loads(line) for line in (out / "outputs.jsonl").read_text().splitlines()]
    assert len(outputs) == 2
    assert all(row["error"].startswith("SystemExit") for row in outputs)
    results = json.loads((out / "results.json").read_text())
    assert results["failures"]["mine"] == 2


def test_the_printed_table_follows_the_report_section(
    tmp_path: Path, env: dict[str, str], harness_cli: HarnessCLI
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "name: chosen\n"
        "benchmark: {builtin: newsbriefs, limit: 2}\n"
        "systems:\n"
        "  - {name: lead1, backend: lead, params: {sentences: 1}}\n"
        "  - {name: lead2, backend: lead, params: {sentences: 2}}\n"
        "metrics: [length, fragments]\n"
        f"out: {tmp_path / 'run'}\n"
        "report:\n"
        "  values: [length.words]\n"
        "  systems: [lead2]\n"
        "  labels: {lead2: Lead-Two, length: Size}\n"
        "  digits: 1\n"
        "  ci: false\n",
        encoding="utf-8",
    )
    done = harness_cli("run", str(config), env=env)
    assert done.returncode == 0, done.stderr
    table = done.stdout.split("run directory:")[0]
    assert "Lead-Two" in table and "Size" in table
    for hidden in ("lead1", "lead2", "coverage", "sentences", "±"):
        assert hidden not in table, hidden
    words = json.loads((tmp_path / "run" / "results.json").read_text())["results"]["lead2"]
    assert f"{words['length.words']['mean']:.1f}" in table
