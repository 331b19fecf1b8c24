"""Aggregation and plots split into tasks for a pool give what the driver computes alone."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from typing import Any

from harness.aggregate import aggregate, aggregate_part
from harness.config import parse_config
from harness.executor import LocalExecutor, TaskFailure, TaskFn, Workspace
from harness.executor.protocol import ResultT, TaskT
from harness.metric import METRICS
from harness.records import Example, Output
from tests.fixtures.score_table import Table, column, scores_of


class Shuffled:
    """A pool stand-in: runs the tasks here, in a shuffled order, and records them.

    Not a `LocalExecutor`, so the stages take their pool path; answers come
    back out of order as a pool's do; ``fail`` tasks come back as failures.
    """

    def __init__(self, fail: Sequence[int] = ()) -> None:
        self.description = {"kind": "process", "workers": 3}
        self.seen: list[tuple[str, int]] = []
        self.fail = set(fail)

    def start(self) -> None:
        """Nothing to start."""

    def map(
        self,
        fn: TaskFn[TaskT, ResultT],
        tasks: Sequence[TaskT],
        local: Workspace,
        placement: object = None,
    ) -> Iterator[tuple[int, ResultT | TaskFailure]]:
        """The tasks in a seeded shuffled order; those in ``fail`` as failures."""
        self.seen.append((fn.__name__, len(tasks)))
        order = list(range(len(tasks)))
        random.Random(len(tasks)).shuffle(order)
        for index in order:
            if index in self.fail:
                yield index, TaskFailure("the worker process was killed by SIGKILL")
            else:
                yield index, fn(Workspace(), tasks[index])

    def finish(self) -> None:
        """Nothing to stop."""

    def close(self) -> None:
        """Nothing to stop."""


def _inputs() -> tuple[Any, list[Any], list[Output], list[Any], list[Example]]:
    rng = random.Random(0)
    n = 40
    table: Table = {
        system: {
            "rouge.rouge1": column([rng.random() for _ in range(n)]),
            "rouge.rouge2": column([rng.random() if i % 7 else None for i in range(n)]),
            "length.words": column([float(rng.randint(5, 60)) for _ in range(n)]),
        }
        for system in ("given", "lead3", "short")
    }
    config = parse_config(
        {
            "name": "agg",
            "benchmark": {"builtin": "newsbriefs"},
            "systems": [
                {"name": "given", "backend": "precomputed"},
                {"name": "lead3", "backend": "lead"},
                {"name": "short", "backend": "lead"},
            ],
            "metrics": ["rouge", "length"],
            "meta_eval": {"split_field": "split", "dev_split": "dev"},
            "stats": {"resamples": 200},
        },
        "test",
    )
    examples = [
        Example(id=f"e{i}", source="x", label=float(i % 2), meta={"split": "dev" if i < 20 else ""})
        for i in range(n)
    ]
    outputs = [Output(example_id=e.id, system=s, summary="x") for s in table for e in examples]
    entries = [METRICS.get("rouge"), METRICS.get("length")]
    return config, entries, outputs, scores_of(table), examples


def _json(results: dict[str, Any]) -> str:
    return json.dumps(results, sort_keys=False)


def test_aggregate_on_a_pool_gives_the_same_results_json() -> None:
    config, entries, outputs, scores, examples = _inputs()
    alone = aggregate(config, entries, outputs, scores, examples)
    local = aggregate(config, entries, outputs, scores, examples, LocalExecutor())
    pool = Shuffled()
    pooled = aggregate(config, entries, outputs, scores, examples, pool)
    assert alone["meta_eval"] is not None and alone["comparisons"]
    assert _json(pooled) == _json(alone) == _json(local)
    # 6 meta-evaluation chunks (2 x 3 workers), 2 comparisons, 3 systems' means.
    assert pool.seen == [("aggregate_part", 6 + 2 + 3)]


def test_an_aggregate_part_whose_worker_died_is_computed_in_the_driver() -> None:
    config, entries, outputs, scores, examples = _inputs()
    alone = aggregate(config, entries, outputs, scores, examples)
    pooled = aggregate(config, entries, outputs, scores, examples, Shuffled(fail=[0, 7, 10]))
    assert _json(pooled) == _json(alone)


def test_aggregate_part_is_plain_data_in_and_out() -> None:
    import pickle

    from harness.aggregate import _meta_tasks

    config, _, _, scores, examples = _inputs()
    values = {"rouge.rouge1": {"metric": "rouge", "higher_is_better": True, "description": ""}}
    [task] = _meta_tasks(config, values, scores, examples, parts=1)
    shipped = pickle.loads(pickle.dumps(task))
    assert aggregate_part(Workspace(), shipped) == aggregate_part(Workspace(), task)
