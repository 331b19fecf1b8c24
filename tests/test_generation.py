"""The generation stage: progress of examples that share a source; workers' builds checked."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from rich.console import Console

from harness.backend import BuildContext, Generation, build_backend
from harness.config import SystemConfig
from harness.errors import BackendError
from harness.executor import Component
from harness.generation import generate
from harness.plugin_code import component_fingerprint
from harness.records import Example, Fingerprint, content_hash
from harness.runner.progress import make_progress
from harness.store import Cache
from tests.fixtures.executor.fresh_worker import FreshWorker


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


class _PluginBackend:
    """A plugin's backend (user code) that answers every example with ``answer``."""

    def __init__(self, answer: object) -> None:
        self._answer = answer

    @property
    def fingerprint(self) -> Fingerprint:
        return Fingerprint(
            kind="backend", name="plugin", version="1", params={"a": repr(self._answer)}
        )

    @property
    def cacheable(self) -> bool:
        return True

    def summarize(self, examples: Sequence[Example]) -> list[Generation]:
        return [self._answer for _ in examples]  # type: ignore[misc]


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Generation(summary=None), "backend returned neither a summary nor an error"),
        (Generation(summary="Half a summary", error="ran out of memory"), "ran out of memory"),
        (Generation(summary=b"bytes"), "backend returned a summary of type bytes, expected str"),
        (Generation(summary=7), "backend returned a summary of type int, expected str"),  # type: ignore[arg-type]
        ("a plain string", "backend returned str 'a plain string' for this example"),
    ],
)
def test_a_plugin_backend_answer_that_is_no_summary_fails_its_example(
    tmp_path: Path, answer: object, error: str
) -> None:
    # Neither stops the run with a traceback nor is recorded (and cached) as a
    # summary, nor as an output with neither a summary nor an error.
    examples = [Example(id="a", source="The dam burst. Villages flooded.")]
    cache = Cache(tmp_path / "cache.sqlite")
    for _ in range(2):  # cold, then again: nothing was cached
        progress = make_progress(Console(file=io.StringIO()))
        [output] = generate(examples, [("plugin", _PluginBackend(answer), 4)], cache, progress)
        assert output.summary is None
        assert output.error is not None and output.error.startswith(error)


def test_a_worker_that_builds_code_edited_since_the_run_started_ends_it(
    tmp_path: Path,
) -> None:
    # The driver keys generations by the fingerprint of the system it built; a
    # worker builds its own later (its first task, or after a worker died). If
    # the module was edited in between, the worker's summaries (of the new code)
    # were cached under the old code's key, and served once the edit was undone.
    module = tmp_path / "mine.py"
    module.write_text("def summarize(sources):\n    return ['old'] * len(sources)\n")
    system = SystemConfig(name="mine", backend="python", params={"callable": f"{module}:summarize"})
    context = BuildContext(config_dir=tmp_path)
    summarizer = build_backend(system, context, "run.yaml: systems[0]")
    module.write_text("def summarize(sources):\n    return ['new'] * len(sources)\n")
    cache = Cache(tmp_path / "cache.sqlite")
    examples = [Example(id="a", source="The dam burst on Monday. Three villages flooded.")]
    progress = make_progress(Console(file=io.StringIO()))
    with pytest.raises(BackendError, match=r"systems\[0\]: a worker built this system with"):
        generate(
            examples,
            [("mine", summarizer, 8)],
            cache,
            progress,
            executor=FreshWorker(),
            components=[Component("systems[0]", system, "run.yaml: systems[0]", context)],
        )
    # Nothing of the new code is stored as the old code's.
    key = content_hash([component_fingerprint(summarizer).digest(), examples[0].source])
    assert cache.get_many("generation", [key]) == {}
