"""Warm reruns: all from the cache, byte-identical to the cold run, redrawing only what changed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console

from harness.config import load_config
from harness.report import render_reports
from harness.report.plots import files as plot_files
from harness.runner import rerender, run_pipeline
from harness.store import MANIFEST_FILE, RunDir

# "flooded" against "flood": rouge's values depend on its stemmer, length's do not.
ROWS = [
    {"id": "a", "text": "The villages flooded quickly. Rain fell.", "ref": "Villages flood."},
    {"id": "b", "text": "Markets rallied on Monday. Oil fell.", "ref": "Markets rally."},
    {"id": "c", "text": "The team won the cup. Fans cheered.", "ref": "Team wins cup."},
    {"id": "c2", "text": "The team won the cup. Fans cheered.", "ref": "Team won the cup."},
]


def write_config(tmp_path: Path, *, stemmer: bool = True) -> Path:
    data = tmp_path / "data.jsonl"
    rows = [{**row, "given": row["ref"].upper()} for row in ROWS]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    config = tmp_path / "run.yaml"
    config.write_text(
        f"""\
name: warm-test
benchmark:
  path: {data}
  fields: {{id: id, source: text, reference: ref, summary: given}}
systems:
  - {{name: given, backend: precomputed}}
  - {{name: lead1, backend: lead, params: {{sentences: 1}}}}
metrics:
  - {{name: rouge, params: {{use_stemmer: {str(stemmer).lower()}}}}}
  - length
out: {tmp_path / "run"}
cache: {tmp_path / "cache"}
""",
        encoding="utf-8",
    )
    return config


def run(config_path: Path) -> tuple[RunDir, dict[str, object]]:
    summary = run_pipeline(
        load_config(config_path),
        origin=str(config_path),
        config_dir=config_path.parent,
        console=Console(quiet=True),
        render=render_reports,
    )
    return summary.run_dir, summary.manifest


def snapshot(run_dir: RunDir) -> dict[str, tuple[bytes, int]]:
    """Bytes and inode of every file of the run but the manifest."""
    return {
        path.relative_to(run_dir.path).as_posix(): (path.read_bytes(), path.stat().st_ino)
        for path in sorted(run_dir.path.rglob("*"))
        if path.is_file() and path.name != MANIFEST_FILE
    }


def test_warm_rerun_is_all_cached_byte_identical_and_rewrites_nothing(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    run_dir, _ = run(config)
    cold = snapshot(run_dir)
    assert {"results.json", "scores.jsonl", "report.html", "plots/rouge.png"} <= set(cold)
    _, manifest = run(config)
    warm = snapshot(run_dir)
    assert {name: data for name, (data, _) in warm.items()} == {
        name: data for name, (data, _) in cold.items()
    }
    rewritten = [name for name in cold if warm[name][1] != cold[name][1]]
    assert rewritten == []
    cache = manifest["cache"]
    assert isinstance(cache, dict)
    assert cache["generation"]["misses"] == 0 and cache["score"]["misses"] == 0
    assert cache["results"] == {"hits": 1, "misses": 0}
    # Carried-over plots are the run's own: listed in the manifest.
    assert set(cold) | {MANIFEST_FILE} == set(manifest["files"])  # type: ignore[arg-type]


def test_a_cacheable_system_generates_a_repeated_source_once(tmp_path: Path) -> None:
    run_dir, _ = run(write_config(tmp_path))
    lead = {o.example_id: o for o in run_dir.read_outputs() if o.system == "lead1"}
    assert lead["c"].summary == lead["c2"].summary
    assert lead["c"].latency_s == lead["c2"].latency_s
    given = [o for o in run_dir.read_outputs() if o.system == "given"]
    assert all(o.latency_s is None for o in given)  # read, not generated: no noise to record


def test_changed_metric_redraws_exactly_its_plots(tmp_path: Path) -> None:
    run_dir, _ = run(write_config(tmp_path, stemmer=True))
    before = snapshot(run_dir)
    _, manifest = run(write_config(tmp_path, stemmer=False))
    after = snapshot(run_dir)
    redrawn = sorted(n for n in after if n.startswith("plots/") and after[n][1] != before[n][1])
    assert redrawn == ["plots/rouge.png", "plots/rouge_distribution.png"]
    assert after["plots/rouge_distribution.png"][0] != before["plots/rouge_distribution.png"][0]
    assert after["report.html"][0] != before["report.html"][0]
    assert manifest["cache"]["results"] == {"hits": 0, "misses": 1}  # type: ignore[index]
    # Going back serves the old results and redraws the old plots, byte for byte.
    run(write_config(tmp_path, stemmer=True))
    again = snapshot(run_dir)
    assert {n: d for n, (d, _) in again.items()} == {n: d for n, (d, _) in before.items()}


def test_changed_per_example_values_redraw_only_the_distribution(tmp_path: Path) -> None:
    run_dir, _ = run(write_config(tmp_path))
    before = snapshot(run_dir)
    scores = run_dir.file("scores.jsonl")
    lines = scores.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = [json.loads(line) for line in lines]
    target = next(s for s in edited if s["metric"] == "length" and s["values"]["words"])
    target["values"]["words"] += 7  # results.json (the means) left as it was
    scores.write_text("".join(json.dumps(s) + "\n" for s in edited), encoding="utf-8")
    # as if the run had written these scores: the manifest records the file's digest
    manifest = json.loads(run_dir.file("manifest.json").read_text(encoding="utf-8"))
    manifest["data_sha256"]["scores.jsonl"] = run_dir.digest("scores.jsonl")
    run_dir.file("manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    rerender(run_dir, render_reports)
    after = snapshot(run_dir)
    redrawn = sorted(n for n in after if n.startswith("plots/") and after[n][1] != before[n][1])
    assert redrawn == ["plots/length_distribution.png"]
    assert after["report.html"][0] != before["report.html"][0]


def test_deleted_or_damaged_report_files_are_drawn_again(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    run_dir, _ = run(config)
    cold = snapshot(run_dir)
    run_dir.file("plots/rouge.png").unlink()
    damaged = run_dir.file("plots/length.png")
    damaged.write_bytes(damaged.read_bytes()[:-20])  # truncated: its key chunk still there
    page = run_dir.file("report.html")
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("<title>", "<title>edited "), encoding="utf-8")
    _, manifest = run(config)
    warm = snapshot(run_dir)
    assert {n: d for n, (d, _) in warm.items()} == {n: d for n, (d, _) in cold.items()}
    assert "plots/rouge.png" in manifest["files"]  # type: ignore[operator]
    redone = {"plots/length.png", "plots/rouge.png", "report.html"}
    assert all(warm[n][1] != cold[n][1] for n in redone - {"plots/rouge.png"})
    assert all(warm[n][1] == cold[n][1] for n in set(cold) - redone)


def _run_into(config_path: Path, out: Path) -> RunDir:
    summary = run_pipeline(
        load_config(config_path),
        origin=str(config_path),
        config_dir=config_path.parent,
        out=out,
        console=Console(quiet=True),
        render=render_reports,
    )
    return summary.run_dir


def _plots(run_dir: RunDir) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(run_dir.file("plots").glob("*.png"))}


def test_a_run_into_a_new_out_takes_the_plots_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(tmp_path)
    cold, _ = run(config)

    def no_drawing(spec: object) -> bytes:
        raise AssertionError("a plot the cache holds was drawn again")

    monkeypatch.setattr(plot_files, "draw", no_drawing)
    fresh = _run_into(config, tmp_path / "elsewhere")
    assert _plots(fresh) == _plots(cold) and len(_plots(cold)) == 4
    assert fresh.file("report.html").read_bytes() == cold.file("report.html").read_bytes()


def test_a_damaged_plot_in_the_cache_is_drawn_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(tmp_path)
    cold, _ = run(config)
    with sqlite3.connect(tmp_path / "cache" / "cache.sqlite") as db:
        db.execute("UPDATE files SET data = substr(data, 1, length(data) - 20)")
    drawn: list[object] = []
    draw = plot_files.draw
    monkeypatch.setattr(plot_files, "draw", lambda spec: drawn.append(spec) or draw(spec))
    fresh = _run_into(config, tmp_path / "elsewhere")
    assert len(drawn) == 4
    assert _plots(fresh) == _plots(cold)
