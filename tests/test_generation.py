"""The generation stage: progress of examples that share a source."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from rich.console import Console

from harness.backend import BuildContext, build_backend
from harness.config import SystemConfig
from harness.generation import generate
from harness.records import Example
from harness.runner.progress import make_progress
from harness.store import Cache


def test_each_bar_ends_at_its_total_when_examples_share_a_source() -> None:
    # An edit benchmark: many examples, one source; lead1 generates it once
    # and copies the summary to the others.
    source = "The dam burst on Monday. Three villages flooded. Rescue teams arrived."
    examples = [Example(id=f"e{i}", source=source) for i in range(5)]
    examples.append(Example(id="other", source="A different article. It is short."))
    system = SystemConfig(name="lead1", backend="lead", params={"sentences": 1})
    summarizer = build_backend(system, BuildContext(config_dir=Path(".")), "test")
    progress = make_progress(Console(file=io.StringIO()))
    outputs = generate(examples, [("lead1", summarizer, 2)], Cache(None), progress)
    assert [o.summary for o in outputs] == ["The dam burst on Monday."] * 5 + [
        "A different article."
    ]
    [task] = progress.tasks
    assert (task.completed, task.total) == (6, 6)


def test_a_backend_given_ids_runs_on_each_example_that_shares_a_source(tmp_path: Path) -> None:
    # `command` sends {"id", "source"}: a program may answer by id, so two examples
    # with one source are two generations (and two cache entries), even cached.
    script = tmp_path / "by_id.py"
    script.write_text(
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    record = json.loads(line)\n"
        "    print(json.dumps({'id': record['id'], 'summary': 'about ' + record['id']}))\n",
        encoding="utf-8",
    )
    source = "The dam burst on Monday. Three villages flooded."
    examples = [Example(id="q1", source=source), Example(id="q2", source=source)]
    system = SystemConfig(
        name="by-id", backend="command", params={"argv": [sys.executable, str(script)]}
    )
    summarizer = build_backend(system, BuildContext(config_dir=tmp_path), "test")
    cache = Cache(tmp_path / "cache.sqlite")
    for _ in range(2):  # cold, then from the cache
        progress = make_progress(Console(file=io.StringIO()))
        outputs = generate(examples, [("by-id", summarizer, 8)], cache, progress)
        assert [o.summary for o in outputs] == ["about q1", "about q2"]
