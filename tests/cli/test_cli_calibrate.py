"""`harness calibrate` on a real run of a small labelled benchmark written here.

Each article gives a revenue figure and a plan; a consistent summary copies
them, an inconsistent one changes the figure or negates the plan (so the
``consistency`` flags are real findings of the metric). Every fifth summary
breaks the pattern, so the labels are not a function of the flags.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

from harness.config import parse_config
from harness.runner import run_pipeline

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]
N_EXAMPLES = 60
N_DEV = 36
COMPANIES = ["Acme", "Borealis", "Cobalt", "Dunmore", "Elstree", "Fenwick"]


def _record(index: int) -> dict[str, Any]:
    company = COMPANIES[index % len(COMPANIES)]
    revenue = 10 + 3 * index
    doc = (
        f"{company} reported revenue of {revenue} million dollars for the year. "
        f"The board said {company} will open a new factory in the north. "
        "Shares rose after the announcement."
    )
    label = index % 2
    faithful = f"{company} reported revenue of {revenue} million dollars for the year."
    changed = [
        f"{company} reported revenue of {revenue + 5} million dollars for the year.",
        f"The board said {company} will not open a new factory in the north.",
    ][index // 2 % 2]
    summary = faithful if (label == 1) != (index % 5 == 0) else changed
    split = "evaluation" if index < N_DEV else "test"
    return {"id": f"r{index}", "doc": doc, "summary": summary, "label": label, "split": split}


def _config(root: Path, **meta_eval: Any) -> dict[str, Any]:
    data = root / "labelled.jsonl"
    if not data.exists():
        lines = (json.dumps(_record(index)) for index in range(N_EXAMPLES))
        data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {
        "name": "calibrate-test",
        "benchmark": {
            "path": str(data),
            "format": "jsonl",
            "fields": {"id": "id", "source": "doc", "summary": "summary", "label": "label"},
        },
        "systems": [{"name": "given", "backend": "precomputed"}],
        "metrics": ["consistency"],
        "meta_eval": meta_eval or {"split_field": "split", "dev_split": "evaluation"},
        "cache": str(root / "cache"),
        "stats": {"resamples": 200},
        "seed": 0,
    }


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("calibrate")
    out = root / "run"
    run_pipeline(
        parse_config(_config(root), "calibrate.yaml"),
        origin="calibrate.yaml",
        config_dir=root,
        out=out,
        console=Console(file=io.StringIO()),
    )
    return out


def test_calibrate_writes_a_metrics_entry_and_prints_before_and_after(
    run_dir: Path, tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    done = harness_cli("calibrate", str(run_dir), "--out", str(first))
    assert done.returncode == 0, done.stderr
    for text in ("dev (fit)", "held-out", "before", "after", "balanced acc.", "ROC-AUC"):
        assert text in done.stdout
    assert f"wrote {first}" in done.stdout
    entry = yaml.safe_load(first.read_text(encoding="utf-8"))
    assert list(entry) == ["metrics"] and len(entry["metrics"]) == 1
    assert entry["metrics"][0]["name"] == "consistency"
    params = entry["metrics"][0]["params"]
    assert set(params) == {"flag_weight", "novelty_weight", "novelty_cap", "kind_weights"}
    assert params["kind_weights"]["number"] != 0.7 or params["kind_weights"]["negation"] != 0.7

    # the same run directory gives the same file, byte for byte
    again = harness_cli("calibrate", str(run_dir), "--out", str(second))
    assert again.returncode == 0, again.stderr
    assert second.read_bytes() == first.read_bytes()

    # pasted into a config, `harness validate` accepts it
    pasted = _config(tmp_path)
    pasted["metrics"] = entry["metrics"]
    config = tmp_path / "pasted.yaml"
    config.write_text(yaml.safe_dump(pasted), encoding="utf-8")
    checked = harness_cli("validate", str(config))
    assert checked.returncode == 0, checked.stderr


def _edited(run_dir: Path, tmp_path: Path, case: str) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    if case == "no dev split":
        config = yaml.safe_load((copy / "config.yaml").read_text(encoding="utf-8"))
        config["meta_eval"]["dev_split"] = None
        (copy / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        return copy
    lines = [json.loads(line) for line in (copy / "examples.jsonl").read_text().splitlines()]
    for line in lines:
        if case == "no labels":
            line["label"] = None
        elif line["meta"]["split"] == "evaluation" and line["id"] != "r0":
            line["label"] = 1.0  # one dev example labelled 0 is left
    (copy / "examples.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    # as if the run had had these labels: its manifest records the file it was made from
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256((copy / "examples.jsonl").read_bytes()).hexdigest()
    manifest["data_sha256"]["examples.jsonl"] = digest
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no labels", "no example has a label"),
        ("no dev split", "meta_eval.dev_split is not set"),
        ("too few of a class", "has 1 examples labelled 0 and 35 labelled 1"),
    ],
)
def test_calibrate_without_usable_labels_exits_2(
    run_dir: Path, tmp_path: Path, harness_cli: HarnessCLI, case: str, message: str
) -> None:
    edited = _edited(run_dir, tmp_path, case)
    done = harness_cli("calibrate", str(edited), "--out", str(tmp_path / "out.yaml"))
    assert done.returncode == 2, done.stderr
    assert message in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_calibrate_another_metric_exits_2_naming_those_that_can(
    run_dir: Path, harness_cli: HarnessCLI
) -> None:
    done = harness_cli("calibrate", str(run_dir), "--metric", "rouge")
    assert done.returncode == 2
    assert "metrics that can be calibrated: consistency" in " ".join(done.stderr.split())


@pytest.mark.parametrize("where", ["a folder", "under a file"])
def test_an_out_that_cannot_be_written_exits_2_before_the_fit(
    run_dir: Path, tmp_path: Path, harness_cli: HarnessCLI, where: str
) -> None:
    # It was found only after the fit and the re-scoring (36 s on SummEdits news).
    blocker = tmp_path / "taken"
    if where == "a folder":
        blocker.mkdir()
        out = blocker
    else:
        blocker.write_text("a file\n", encoding="utf-8")
        out = blocker / "calibrated.yaml"
    done = harness_cli("calibrate", str(run_dir), "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert f"cannot write {out}" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr
    assert "balanced acc." not in done.stdout  # nothing was fitted or measured
