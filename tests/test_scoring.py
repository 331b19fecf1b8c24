"""Scoring: a score is never served from code that is gone, nor stored under the
key of another metric than the one that computed it, and a result that breaks the
metric contract is that item's metric error, never a silent null or a traceback."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest
from pydantic import BaseModel
from rich.console import Console
from rich.progress import Progress

from harness.config import MetricConfig
from harness.errors import MetricError
from harness.executor import Component
from harness.metric import MetricEntry, MetricInput, MetricResult, ValueSpec, build_metric
from harness.records import Example, Fingerprint, Output, Score
from harness.runner.progress import make_progress
from harness.scoring import METRIC_ERROR, score
from harness.store import Cache
from tests.fixtures.executor.fresh_worker import FreshWorker

REPO = Path(__file__).resolve().parent.parent

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]


def _run(harness_cli: HarnessCLI, tree: Path, cache: Path, out: Path) -> tuple[float, str]:
    """``harness run configs/ci.yaml --limit 3`` (length only) with ``tree``'s harness."""
    env = {**os.environ, "PYTHONPATH": str(tree), "HARNESS_CACHE_DIR": str(cache)}
    args = ["configs/ci.yaml", "--limit", "3", "--set", "metrics=[length]", "--set", "gate=[]"]
    done = harness_cli("run", *args, "--out", str(out), cwd=tree, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return results["results"]["lead3"]["length.words"]["mean"], done.stdout + done.stderr


def test_an_edited_metric_is_scored_anew_not_served_from_the_cache(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    tree = tmp_path / "tree"
    for folder in ("harness", "benchmarks", "configs"):
        shutil.copytree(REPO / folder, tree / folder, ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "cache"
    before, _ = _run(harness_cli, tree, cache, tmp_path / "before")
    length = tree / "harness" / "metric" / "length.py"
    code = length.read_text(encoding="utf-8")
    edited = code.replace('"words": float(len(', '"words": 1000.0 + float(len(', 1)
    assert edited != code
    length.write_text(edited, encoding="utf-8")
    after, log = _run(harness_cli, tree, cache, tmp_path / "after")
    assert after == before + 1000.0, log


class _Returns:
    """A plugin-like metric whose every result is ``made(item)``: what a careless one returns."""

    fingerprint = Fingerprint(kind="metric", name="careless", version="1")

    def __init__(self, made: Callable[[MetricInput], object]) -> None:
        self._made = made

    def score(self, items: Sequence[MetricInput]) -> list[object]:
        return [self._made(item) for item in items]


class _NoParams(BaseModel):
    pass


_CARELESS = MetricEntry(
    "careless",
    lambda params: _Returns(lambda item: None),
    _NoParams,
    (ValueSpec("score", True, "a score"), ValueSpec("hits", True, "a count")),
    frozenset({"source"}),
    "returns what it is given",
)


def _score_with(made: Callable[[MetricInput], object], cache_dir: Path) -> list[Score]:
    examples = [Example(id=f"e{i}", source=f"The source of article {i}.") for i in range(3)]
    outputs = [Output(example_id=e.id, system="s", summary="A summary.") for e in examples]
    cache = Cache(cache_dir / "cache.sqlite")
    try:
        with Progress(disable=True) as progress:
            return score(examples, outputs, [(_CARELESS, _Returns(made))], cache, progress)
    finally:
        cache.close()


@pytest.mark.parametrize(
    ("returned", "error"),
    [
        # a typo in a value name: the declared value was null, with no reason
        (
            MetricResult(values={"Score": 0.5, "hits": 1.0}),
            "values it does not declare: 'Score'; no value for 'score'",
        ),
        (MetricResult(values={"score": 0.5}), "no value for 'hits'"),
        # a string that does not read as a number ended the run with a traceback
        (MetricResult(values={"score": "high", "hits": 1.0}), "not a number, score = 'high'"),
        (MetricResult(values={"score": "0.5", "hits": 1.0}), "not a number, score = '0.5'"),
        (MetricResult(values={"score": [0.5], "hits": 1.0}), "not a number, score = [0.5]"),
        # numpy's infinity is infinite too (it passed as a score)
        (
            MetricResult(values={"score": np.float32("inf"), "hits": 1.0}),
            "an infinite value, score = inf",
        ),
        # a numpy span could be written neither to the cache nor to scores.jsonl (traceback)
        (
            MetricResult(values={"score": 0.5, "hits": 1.0}, findings=[{"span": np.arange(2)}]),
            "findings that are not JSON objects",
        ),
        ({"score": 0.5, "hits": 1.0}, "returned a dict, not a MetricResult"),
        # a reason that is not text ended the run in aggregate (reason.startswith)
        (MetricResult(values={}, reason=404), "a reason that is not text: 404"),  # type: ignore[arg-type]
    ],
)
def test_a_result_that_breaks_the_metric_contract_is_that_items_metric_error(
    tmp_path: Path, returned: object, error: str
) -> None:
    scores = _score_with(lambda item: returned, tmp_path)
    assert len(scores) == 3
    for item in scores:
        assert item.values == {"score": None, "hits": None}
        assert item.reason is not None and item.reason.startswith(f"{METRIC_ERROR}: ")
        assert error in item.reason
    # never cached: the same (fixed) metric is asked again
    again = _score_with(lambda item: MetricResult(values={"score": 0.25, "hits": 2.0}), tmp_path)
    assert [item.values for item in again] == [{"score": 0.25, "hits": 2.0}] * 3


def test_numpy_numbers_and_a_reasoned_null_keep_the_metric_contract(tmp_path: Path) -> None:
    def made(item: MetricInput) -> MetricResult:
        if item.example.id == "e2":
            return MetricResult(values={}, reason="no sentence to read")
        span = [int(np.int64(0)), 3]
        return MetricResult(
            values={"score": np.float32(0.5), "hits": np.int64(2)}, findings=[{"span": span}]
        )

    scores = _score_with(made, tmp_path)
    assert [(item.values, item.reason) for item in scores] == [
        ({"score": 0.5, "hits": 2.0}, None),
        ({"score": 0.5, "hits": 2.0}, None),
        ({"score": None, "hits": None}, "no sentence to read"),
    ]
    assert all(type(value) is float for value in scores[0].values.values())
    json.dumps([item.model_dump(mode="json") for item in scores], allow_nan=False)


def test_a_worker_that_builds_another_metric_than_the_driver_keys_ends_the_stage(
    tmp_path: Path,
) -> None:
    # Scores are keyed by the metric the driver built; a worker builds its own
    # from the config. Here what it builds differs (as a plugin metric's file
    # edited between the two builds would): its scores must not be cached under
    # the driver's key.
    driver = MetricConfig(name="rouge", params={"use_stemmer": True})
    worker = MetricConfig(name="rouge", params={"use_stemmer": False})
    entry, metric = build_metric(driver, where="run.yaml: metrics[0]")
    example = Example(id="a", source="Runners ran far.", references=["The runners ran."])
    output = Output(example_id="a", system="s", summary="A runner running.")
    cache = Cache(tmp_path / "cache.sqlite")
    progress = make_progress(Console(file=io.StringIO()))
    with pytest.raises(MetricError, match=r"params\.use_stemmer: True at the start, False now"):
        score(
            [example],
            [output],
            [(entry, metric)],
            cache,
            progress,
            executor=FreshWorker(),
            components=[Component("metrics[0]", worker, "run.yaml: metrics[0]")],
        )
    cache.close()
    with closing(sqlite3.connect(tmp_path / "cache.sqlite")) as db:
        assert db.execute("SELECT count(*) FROM entries WHERE kind = 'score'").fetchone() == (0,)
