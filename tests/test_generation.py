"""The generation stage: progress of examples that share a source."""

from __future__ import annotations

import io
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
