"""The check that a system's summaries sit on their own articles (`harness.pairing_check`)."""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from harness.pairing_check import misplaced_summaries
from harness.records import Example, Output

REPO = Path(__file__).resolve().parent.parent
BRIEFS = REPO / "benchmarks" / "newsbriefs"
HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _briefs() -> tuple[list[Example], list[str]]:
    """The built-in articles and SmolLM2's shipped summaries of them, in order."""
    articles = {row["id"]: row for row in _rows(BRIEFS / "articles.jsonl")}
    summaries = _rows(BRIEFS / "outputs" / "smollm2_summaries.jsonl")
    examples = [Example(id=row["id"], source=articles[row["id"]]["source"]) for row in summaries]
    return examples, [row["summary"] for row in summaries]


def _outputs(examples: list[Example], summaries: list[str]) -> list[Output]:
    return [
        Output(example_id=example.id, system="mine", summary=summary)
        for example, summary in zip(examples, summaries, strict=True)
    ]


def test_summaries_on_their_own_articles_are_not_flagged() -> None:
    examples, summaries = _briefs()
    assert misplaced_summaries(examples, _outputs(examples, summaries)) == {}


def test_summaries_moved_by_one_row_are_flagged_as_shifted() -> None:
    examples, summaries = _briefs()
    moved = summaries[1:] + summaries[:1]
    found = misplaced_summaries(examples, _outputs(examples, moved))["mine"]
    assert found["kind"] == "shifted"
    assert found["count"] == found["judged"] == len(examples)
    # the summary on nb-001 is nb-002's: the article after it matches it better
    assert found["pairs"][0] == ["nb-001", "nb-002"]


def test_shuffled_summaries_are_flagged() -> None:
    examples, summaries = _briefs()
    shuffled = random.Random(0).sample(summaries, len(summaries))
    assert "mine" in misplaced_summaries(examples, _outputs(examples, shuffled))


def test_summaries_of_one_source_and_failures_are_not_judged() -> None:
    # An edit benchmark's many summaries of one article have no other article
    # beside them; failed generations and summaries of few words are left out.
    examples = [Example(id=f"e{i}", source="The dam burst on Monday.") for i in range(20)]
    summary = "Floods followed across three valleys."  # no word of its article
    outputs = [Output(example_id=e.id, system="mine", summary=summary) for e in examples]
    outputs[0] = Output(example_id="e0", system="mine", summary=None, error="timeout")
    assert misplaced_summaries(examples, outputs) == {}


@pytest.mark.slow
def test_harness_run_warns_about_a_summaries_file_whose_rows_moved(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    # A CSV slip: the summaries file's ids were written one row off.
    examples, summaries = _briefs()
    moved = tmp_path / "moved.jsonl"
    moved.write_text(
        "".join(
            json.dumps({"id": example.id, "summary": summary}) + "\n"
            for example, summary in zip(examples, summaries[1:] + summaries[:1], strict=True)
        ),
        encoding="utf-8",
    )
    config = {
        "name": "slip",
        "benchmark": {"builtin": "newsbriefs"},
        "systems": [
            {"name": "lead3", "backend": "lead", "params": {"sentences": 3}},
            {"name": "moved", "backend": "precomputed", "params": {"path": str(moved)}},
        ],
        "metrics": ["length"],
        "out": str(tmp_path / "run"),
    }
    path = tmp_path / "slip.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    done = harness_cli("run", str(path))
    assert done.returncode == 0, done.stderr
    warning = " ".join(done.stderr.split())
    assert "system 'moved': for 40 of 40 summaries an article next to its own" in warning
    assert "are they on the right articles?" in warning
    assert "'lead3'" not in warning
    results = json.loads((tmp_path / "run" / "results.json").read_text(encoding="utf-8"))
    assert set(results["misplaced"]) == {"moved"}
