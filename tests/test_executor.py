"""Executors: local and a real process pool give the same bytes; workers die, get stopped."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from rich.console import Console

from harness.backend import BuildContext
from harness.config import MetricConfig, RunConfig, SystemConfig, load_config
from harness.errors import ConfigError, HarnessError
from harness.executor import (
    Component,
    Executor,
    LocalExecutor,
    ProcessExecutor,
    Workspace,
    check_shippable,
)
from harness.metric import MetricInput, build_metric
from harness.records import Example
from harness.report import render_reports
from harness.runner import plan_score_tasks, run_pipeline, score_batch
from harness.store import RunDir
from tests.requires import SHARED

HarnessCLI = Callable[..., "subprocess.CompletedProcess[str]"]
REPO = Path(__file__).resolve().parents[1]

NEWS = SHARED / "data" / "summedits" / "summedits_news.json"
WORKERS = Path(__file__).parent / "fixtures" / "executor" / "workers.py"
#: What must be byte-identical whatever the executor (report.html also shows latencies).
SAME_FILES = (
    "config.yaml",
    "examples.jsonl",
    "scores.jsonl",
    "results.json",
    "report.md",
    "report.csv",
    "report.tex",
)


def run(config: RunConfig, executor: Executor, out: Path) -> RunDir:
    return run_pipeline(
        config,
        origin="run.yaml",
        config_dir=out.parent,
        out=out,
        console=Console(file=io.StringIO(), width=120),
        render=render_reports,
        executor=executor,
    ).run_dir


def summedits_config(tmp_path: Path, name: str) -> RunConfig:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"""\
name: summedits-exec
benchmark:
  path: {NEWS}
  format: json
  fields: {{id: id, source: doc, summary: summary, reference: summary, label: label}}
  limit: 24
systems:
  - {{name: given, backend: precomputed}}
  - {{name: lead3, backend: lead, batch_size: 5, params: {{sentences: 3}}}}
metrics: [consistency, rouge, length]
meta_eval: {{split_field: split, dev_split: evaluation}}
cache: off
""",
        encoding="utf-8",
    )
    return load_config(path)


@pytest.mark.requires(shared="data/summedits/summedits_news.json")
def test_local_and_process_pool_write_byte_identical_results(tmp_path: Path) -> None:
    local = run(summedits_config(tmp_path, "local"), LocalExecutor(), tmp_path / "local")
    pooled = run(summedits_config(tmp_path, "pool"), ProcessExecutor(2), tmp_path / "pool")
    for name in SAME_FILES:
        assert local.file(name).read_bytes() == pooled.file(name).read_bytes(), name
    # The pool's workers drew the plots and computed parts of results.json.
    plots = sorted(path.name for path in local.file("plots").glob("*.png"))
    assert plots == sorted(path.name for path in pooled.file("plots").glob("*.png"))
    assert len(plots) == 6
    for name in plots:
        assert local.file(f"plots/{name}").read_bytes() == pooled.file(f"plots/{name}").read_bytes()
    manifest = json.loads(pooled.file("manifest.json").read_text(encoding="utf-8"))
    assert manifest["executor"] == {"kind": "process", "workers": 2}
    assert "executor" not in local.file("config.yaml").read_text(encoding="utf-8")


def test_an_article_is_analysed_by_one_worker_for_every_system_and_metric() -> None:
    articles = [
        Example(id=f"a{i}", source=f"Article {i}: the dam burst on Monday. {i} villages flooded.")
        for i in range(30)
    ]
    metrics = [MetricConfig(name="consistency"), MetricConfig(name="numbers")]
    components = [Component(f"metrics[{i}]", m, f"metrics[{i}]") for i, m in enumerate(metrics)]
    # Three systems' summaries of every article, listed system by system as the runner does.
    todo = [
        [
            (index, MetricInput(example=article, summary=f"System {system} says {article.id}."), "")
            for index, (system, article) in enumerate(
                (system, article) for system in range(3) for article in articles
            )
        ]
        for _ in metrics
    ]
    tasks, _ = plan_score_tasks([a.id for a in articles], todo, components)
    pool = ProcessExecutor(2)
    try:
        done = dict(pool.map(score_batch, tasks, Workspace()))
    finally:
        pool.close()
    workers_of: dict[str, set[tuple[int, int]]] = {}
    for number, task in enumerate(tasks):
        for items in task.items:
            for item in items:
                workers_of.setdefault(item.example.id, set()).add((number, done[number].worker))
    assert sorted(workers_of) == sorted(a.id for a in articles)
    # Each article: one task (so one worker's analysis) holds all 3 systems x 2 metrics.
    assert all(len(found) == 1 for found in workers_of.values())
    assert all(
        sum(item.example.id == a.id for items in task.items for item in items) in (0, 6)
        for task in tasks
        for a in articles
    )
    local = [build_metric(m, "m")[1] for m in metrics]
    assert done[0].results[0] == tuple(local[0].score(tasks[0].items[0]))


def test_examples_that_share_a_source_are_one_article_in_one_task() -> None:
    # An edit benchmark: each summary is its own example of the same source.
    from harness.scoring import ARTICLE_TASK_PAIRS, METRIC_BATCH

    edited = [Example(id=f"edit{i}", source="The dam burst on Monday.") for i in range(40)]
    huge = [
        Example(id=f"huge{i}", source="Prices rose in May.") for i in range(ARTICLE_TASK_PAIRS + 1)
    ]
    small = [Example(id=f"s{i}", source=f"Article {i} is short.") for i in range(3)]
    examples = [edited[0], *small, *edited[1:], *huge]
    components = [Component("metrics[0]", MetricConfig(name="length"), "metrics[0]")]
    todo = [[(i, MetricInput(example=e, summary="A summary."), "") for i, e in enumerate(examples)]]
    tasks, plans = plan_score_tasks([e.id for e in examples], todo, components)
    sources = [{item.example.source for item in task.items[0]} for task in tasks]
    # 40 pairs of one source (over half a batch) and 3 small articles: one task;
    # the huge one is split between its examples, into tasks of its own.
    assert len(edited) + len(small) <= METRIC_BATCH
    assert sources[0] == {"The dam burst on Monday.", *(e.source for e in small)}
    assert [len(task.items[0]) for task in tasks] == [43, ARTICLE_TASK_PAIRS, 1]
    assert sources[1:] == [{"Prices rose in May."}] * 2
    assert sorted(i for plan in plans for i, _, _ in plan[0]) == list(range(len(examples)))


def loaded_models(workspace: Workspace, task: None) -> tuple[int, int]:
    """A task: how many stemmers and spaCy pipelines this worker has loaded."""
    from harness.metric.consistency import _stemmer
    from harness.text.nlp import load_pipeline

    return _stemmer.cache_info().currsize, load_pipeline.cache_info().currsize


def test_workers_load_the_prepared_metrics_models_before_their_first_task() -> None:
    consistency = Component("metrics[0]", MetricConfig(name="consistency"), "metrics[0]")
    loaded = {}
    for prepared in (False, True):
        pool = ProcessExecutor(1)
        try:
            if prepared:
                pool.prepare([consistency])
            [(_, loaded[prepared])] = pool.map(loaded_models, [None], Workspace())
        finally:
            pool.close()
    # A worker loads nothing until asked; prepared, it loaded the stemmer and the
    # spaCy pipelines (the entity check's NER, the noun check's tagger) before it
    # ran its first task.
    assert loaded == {False: (0, 0), True: (1, 2)}


class PrepareLog(LocalExecutor):
    """The local executor, noting what it is asked to prepare."""

    def __init__(self) -> None:
        self.prepared: list[list[str]] = []

    def prepare(self, components: Sequence[Component]) -> None:
        self.prepared.append([component.key for component in components])


def test_the_metrics_are_prepared_when_there_is_generating_to_do_not_on_a_warm_rerun(
    tmp_path: Path,
) -> None:
    config = load_config(user_config(tmp_path, "first_words", ["One article here.", "Two."]))
    cold, warm = PrepareLog(), PrepareLog()
    run(config, cold, tmp_path / "cold")
    run(config, warm, tmp_path / "warm")  # all in the cache: no model is loaded ahead
    assert (cold.prepared, warm.prepared) == ([["metrics[0]"]], [])


def test_a_component_that_fails_to_prepare_is_left_to_its_first_task() -> None:
    from harness.executor._tasks import prepare_components

    missing = MetricConfig(name="entities", params={"model": "no_such_pipeline"})
    workspace = Workspace()
    parts = [Component("metrics[0]", missing, "run.yaml: metrics[0]")]
    prepare_components(workspace, parts)  # no error here ...
    with pytest.raises(HarnessError, match="'no_such_pipeline' was not found"):
        workspace.get(parts[0])  # ... but where the task builds it


def write_rows(tmp_path: Path, sources: list[str]) -> Path:
    path = tmp_path / "data.jsonl"
    rows = [{"id": f"e{i}", "text": text} for i, text in enumerate(sources)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def user_config(tmp_path: Path, function: str, sources: list[str], extra: str = "") -> Path:
    write_rows(tmp_path, sources)
    path = tmp_path / "run.yaml"
    path.write_text(
        f"""\
name: exec-test
benchmark: {{path: {tmp_path / "data.jsonl"}, fields: {{id: id, source: text}}}}
systems:
  - {{name: user, backend: python, batch_size: 1, params: {{callable: "{WORKERS}:{function}"}}}}
metrics: [length]
cache: {tmp_path / "cache"}
out: {tmp_path / "run"}
{extra}""",
        encoding="utf-8",
    )
    return path


def test_killed_worker_batch_is_retried_once_then_recorded_as_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = tmp_path / "builds.log"
    monkeypatch.setenv("HARNESS_TEST_BUILDS", str(builds))
    sources = [f"Plain article {i} with some words in it." for i in range(6)]
    sources[2] = "This one says KILL and dies every time."
    sources[4] = "This one says KILLONCE and dies the first time only."
    config = load_config(user_config(tmp_path, "first_words", sources))
    run_dir = run(config, ProcessExecutor(2), tmp_path / "run")
    outputs = {o.example_id: o for o in run_dir.read_outputs()}
    assert outputs["e2"].summary is None
    assert outputs["e2"].error is not None
    assert "killed by SIGKILL" in outputs["e2"].error and "2 times" in outputs["e2"].error
    assert outputs["e4"].summary == "This one says KILLONCE and dies"
    assert all(outputs[f"e{i}"].error is None for i in (0, 1, 3, 5))
    results = json.loads(run_dir.file("results.json").read_text(encoding="utf-8"))
    assert results["failures"] == {"user": 1}
    # Each process (the driver, each worker and each replacement) built the system once,
    # although the pool ran 6 batches.
    pids = builds.read_text(encoding="utf-8").split()
    assert len(pids) == len(set(pids)) <= 1 + 2 + 3


def test_sigterm_stops_every_worker_and_keeps_the_finished_batches(tmp_path: Path) -> None:
    folder = tmp_path / "trace"
    folder.mkdir()
    config = user_config(tmp_path, "slow", [f"Article {i} has words." for i in range(40)])
    env = {**os.environ, "HARNESS_TEST_DIR": str(folder), "HARNESS_CACHE_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "harness", "run", str(config), "--workers", "2"]
    driver = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 180
    while len(list(folder.glob("done-*"))) < 6 and time.monotonic() < deadline:
        assert driver.poll() is None, driver.communicate()
        time.sleep(0.2)
    driver.send_signal(signal.SIGTERM)
    _, err = driver.communicate(timeout=60)
    assert driver.returncode == 143, err
    workers = [int(path.name.split("-")[1]) for path in folder.glob("pid-*")]
    assert len(workers) == 2
    for pid in workers:
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"worker {pid} still runs after the driver ended")
    again = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    # At least the batches committed before SIGTERM came from the cache.
    assert manifest["cache"]["generation"]["hits"] >= 6 - 2


def test_a_component_that_cannot_be_shipped_is_a_config_error_naming_it() -> None:
    system = SystemConfig(name="odd", backend="lead", params={"sentences": lambda: 3})
    component = Component("systems[1]", system, "run.yaml: systems[1]", BuildContext(Path(".")))
    with pytest.raises(ConfigError, match=r"run\.yaml: systems\[1\]: its params cannot be sent"):
        check_shippable([component])


def test_address_without_ray_is_a_config_error(harness_cli: HarnessCLI, tmp_path: Path) -> None:
    config = user_config(tmp_path, "first_words", ["One article."])
    done = harness_cli("run", str(config), "--executor", "process", "--address", "10.0.0.1:6379")
    assert done.returncode == 2, done.stderr
    assert "run.yaml: executor: address is for kind: ray (kind is 'process')" in done.stderr


@pytest.mark.requires(shared="data/summedits/summedits_news.json")
def test_harness_score_with_workers_rescored_the_same_bytes(
    harness_cli: HarnessCLI, tmp_path: Path
) -> None:
    first = run(summedits_config(tmp_path, "local"), LocalExecutor(), tmp_path / "local")
    rescored = harness_cli("score", str(first.path), "--workers", "2", timeout=300)
    assert rescored.returncode == 0, rescored.stderr
    fresh = run(summedits_config(tmp_path, "again"), LocalExecutor(), tmp_path / "again")
    for name in ("scores.jsonl", "results.json", "report.md", "report.csv"):
        assert first.file(name).read_bytes() == fresh.file(name).read_bytes(), name
    manifest = json.loads(first.file("manifest.json").read_text(encoding="utf-8"))
    assert manifest["rescored"]["executor"] == {"kind": "process", "workers": 2}


def test_harness_score_address_without_ray_is_one_clear_error(
    harness_cli: HarnessCLI, tmp_path: Path
) -> None:
    config = user_config(tmp_path, "first_words", ["One article."])
    assert harness_cli("run", str(config)).returncode == 0
    done = harness_cli(
        "score", str(tmp_path / "run"), "--executor", "process", "--address", "10.0.0.1:6379"
    )
    assert done.returncode == 2, done.stderr
    assert "--executor/--workers/--address: address is for kind: ray (kind is 'process')" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr
