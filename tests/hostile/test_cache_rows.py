"""Damaged rows in the SQLite cache: never a crash, never served; recomputed and counted.

A run fills the cache; the test then damages rows with sqlite3 as a crashed
disk, a hand edit or another program would (``{}``, text that is not JSON,
values of the wrong type) and runs again. The second run must exit 0 with the
same summaries and scores as the first, count the damaged rows in the
manifest, and leave a cache that the third run serves whole.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]

CONFIG = {
    "name": "cache-rows",
    "benchmark": {"builtin": "newsbriefs", "limit": 4},
    "systems": [
        {"name": "lead1", "backend": "lead", "params": {"sentences": 1}},
        {"name": "lead2", "backend": "lead", "params": {"sentences": 2}},
    ],
    "metrics": ["length"],
    "stats": {"resamples": 100},
}

# Each damage replaces one row's value. The wrong-typed ones are JSON objects
# that a lax reader would have served: true as 1.0, a count of "3".
GENERATION_DAMAGE = [
    "{}",
    '{"summary": "half-written',
    '{"summary": 42, "latency_s": 0.1}',
    '{"summary": "Served?", "latency_s": true}',
]
SCORE_DAMAGE = [
    "{}",
    "not json at all",
    '{"values": {"words": true, "sentences": true}, "findings": [], "reason": null}',
    '{"values": {"words": "3", "sentences": 1}, "findings": [], "reason": null}',
    '{"values": [], "findings": [], "reason": null}',
    '{"values": {"words": 1, "sentences": 1}, "findings": "none", "reason": null}',
]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def _damage(cache: Path, kind: str, values: list[str]) -> None:
    with sqlite3.connect(cache) as db:
        rowids = [
            row[0]
            for row in db.execute(
                "SELECT rowid FROM entries WHERE kind = ? ORDER BY rowid LIMIT ?",
                (kind, len(values)),
            )
        ]
        assert len(rowids) == len(values)
        for rowid, value in zip(rowids, values, strict=True):
            db.execute("UPDATE entries SET value = ? WHERE rowid = ?", (value, rowid))
    sqlite3.connect(cache).close()


def test_damaged_cache_rows_are_recomputed_not_served(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps(CONFIG), encoding="utf-8")
    out = tmp_path / "run"
    first = harness_cli("run", str(config), "--out", str(out))
    assert first.returncode == 0, first.stderr
    summaries = [(o["system"], o["summary"]) for o in _jsonl(out / "outputs.jsonl")]
    values = [(s["system"], s["values"]) for s in _jsonl(out / "scores.jsonl")]

    cache = tmp_path / "cache" / "cache.sqlite"  # harness_cli's HARNESS_CACHE_DIR
    _damage(cache, "generation", GENERATION_DAMAGE)
    _damage(cache, "score", SCORE_DAMAGE)

    second = harness_cli("run", str(config), "--out", str(out))
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Traceback" not in second.stderr
    assert [(o["system"], o["summary"]) for o in _jsonl(out / "outputs.jsonl")] == summaries
    assert [(s["system"], s["values"]) for s in _jsonl(out / "scores.jsonl")] == values
    counts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["cache"]
    assert counts["generation"] == {
        "hits": 8 - len(GENERATION_DAMAGE),
        "misses": len(GENERATION_DAMAGE),
        "invalid": len(GENERATION_DAMAGE),
    }
    assert counts["score"]["invalid"] == len(SCORE_DAMAGE)
    assert counts["score"]["misses"] == len(SCORE_DAMAGE)

    # the recomputed rows replaced the damaged ones
    third = harness_cli("run", str(config), "--out", str(out))
    assert third.returncode == 0, third.stderr
    counts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["cache"]
    assert counts["generation"] == {"hits": 8, "misses": 0}
    assert counts["score"] == {"hits": 8, "misses": 0}
