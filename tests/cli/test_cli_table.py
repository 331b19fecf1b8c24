"""`harness table RUN_DIR...` and `harness report RUN_DIR --values ...`, run as a user would.

Three small real runs (lead-3 and TextRank, ROUGE and length, on three slices of the
newsbriefs articles as three "benchmarks") are made once with `harness run`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
HarnessCLI = Any  # tests/conftest.py's harness_cli: runs `python -m harness ARGS`
ARTICLES = REPO / "benchmarks" / "newsbriefs" / "articles.jsonl"
LEAD3 = {"name": "lead3", "backend": "lead", "params": {"sentences": 3}}
TEXTRANK = {"name": "textrank", "backend": "textrank", "params": {"sentences": 3}}


def _config(folder: Path, name: str, lines: list[str], **keys: Any) -> Path:
    data = folder / f"{name}.jsonl"
    data.write_text("".join(lines), encoding="utf-8")
    config: dict[str, Any] = {
        "name": name,
        "benchmark": {"path": str(data), "fields": {"reference": "reference"}},
        "systems": [LEAD3, TEXTRANK],
        "metrics": ["rouge", "length"],
        "out": str(folder / "runs" / name),
        "stats": {"resamples": 100},
        **keys,
    }
    path = folder / f"{name}.yaml"
    path.write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    return path


def _harness(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """news-a and news-b with both systems; news-c with lead-3 only and ROUGE without stemming."""
    folder = tmp_path_factory.mktemp("runs")
    env = {**os.environ, "HARNESS_CACHE_DIR": str(folder / "cache"), "COLUMNS": "120"}
    lines = ARTICLES.read_text(encoding="utf-8").splitlines(keepends=True)
    configs = [
        _config(folder, "news-a", lines[0:6]),
        _config(folder, "news-b", lines[6:12]),
        _config(
            folder,
            "news-c",
            lines[12:18],
            systems=[LEAD3],
            metrics=[{"name": "rouge", "params": {"use_stemmer": False}}, "length"],
        ),
    ]
    out = []
    for config in configs:
        done = _harness("run", str(config), env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        out.append(folder / "runs" / config.stem)
    return out


def _md_rows(markdown: str) -> list[list[str]]:
    lines = markdown.split("\n\n", 1)[0].splitlines()
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_table_over_three_runs(harness_cli: HarnessCLI, runs: list[Path]) -> None:
    done = harness_cli(
        "table",
        *map(str, runs),
        "--values",
        "rouge.rouge2,length.words",
        "--label",
        "length.words=Words",
        "--label",
        "lead3=Lead-3",
    )
    assert done.returncode == 0, done.stderr
    rows = _md_rows(done.stdout)
    assert rows[0] == [
        "system",
        "news-a: rouge2 ↑",
        "news-a: Words",
        "news-b: rouge2 ↑",
        "news-b: Words",
        "news-c: rouge2 ↑",
        "news-c: Words",
    ]
    assert [row[0] for row in rows[2:]] == ["Lead-3", "textrank"]
    assert rows[3][5:] == ["–", "–"]  # news-c has no textrank
    assert all(" ± " in cell for cell in rows[2][1:])
    assert sum(cell.startswith("**") for row in rows[2:] for cell in row[1:3]) == 1
    # news-c computed ROUGE without stemming: a warning, on stderr
    assert "warning: metric 'rouge' differs between the runs" in done.stderr
    assert '"use_stemmer": false' in done.stderr


def test_table_as_csv_and_latex_files(
    harness_cli: HarnessCLI, runs: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "paper" / "table1.csv"
    done = harness_cli(
        "table", *map(str, runs), "--values", "rouge.rouge1", "--format", "csv", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}" in done.stderr and done.stdout == ""
    records = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["run"], r["system"]) for r in records] == [
        ("news-a", "lead3"),
        ("news-a", "textrank"),
        ("news-b", "lead3"),
        ("news-b", "textrank"),
        ("news-c", "lead3"),
        ("news-c", "textrank"),
    ]
    assert float(records[0]["ci_low"]) <= float(records[0]["mean"]) <= float(records[0]["ci_high"])
    assert records[0]["n"] == "6" and records[5]["mean"] == ""

    tex = tmp_path / "table1.tex"
    done = harness_cli(
        "table",
        *map(str, runs),
        "--values",
        "rouge.rouge1,rouge.rouge2",
        "--no-ci",
        "--digits",
        "2",
        "--format",
        "tex",
        "--out",
        str(tex),
    )
    assert done.returncode == 0, done.stderr
    text = tex.read_text(encoding="utf-8")
    assert r"\multicolumn{2}{c}{news-a} & \multicolumn{2}{c}{news-b}" in text
    assert r"$\pm$" not in text.split(r"\caption")[0]
    if shutil.which("pdflatex"):
        (tmp_path / "main.tex").write_text(
            "\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage{graphicx}\n"
            "\\begin{document}\n\\input{table1.tex}\n\\end{document}\n",
            encoding="utf-8",
        )
        compiled = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "main.tex"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert compiled.returncode == 0, compiled.stdout[-2000:]
        assert "Overfull \\hbox" not in (tmp_path / "main.log").read_text(errors="replace")


def test_table_unknown_value_is_a_usage_error(harness_cli: HarnessCLI, runs: list[Path]) -> None:
    done = harness_cli("table", *map(str, runs), "--values", "rouge.rouge_2")
    assert done.returncode == 2
    assert "did you mean 'rouge.rouge2'?" in done.stderr and "Traceback" not in done.stderr
    done = harness_cli("table", str(runs[0]), str(runs[0].parent / "nope"))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_report_flags_choose_what_every_report_shows(
    harness_cli: HarnessCLI, runs: list[Path], tmp_path: Path
) -> None:
    run = tmp_path / "news-a"
    shutil.copytree(runs[0], run)
    done = harness_cli(
        "report",
        str(run),
        "--values",
        "length.words,rouge.rouge2",
        "--systems",
        "textrank,lead3",
        "--label",
        "rouge.rouge2=R-2",
        "--digits",
        "2",
        "--no-ci",
    )
    assert done.returncode == 0, done.stderr
    md = (run / "report.md").read_text(encoding="utf-8")
    rows = _md_rows(md.split("\n\n", 1)[1])
    assert rows[0] == ["system", "n", "failures", "length.words", "R-2 ↑"]
    assert [row[0] for row in rows[2:4]] == ["textrank", "lead3"]
    assert " ± " not in rows[2][3] and len(rows[2][4].strip("*").split(".")[1]) == 2
    header = (run / "report.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("system,failures,length.words,length.words.ci95,length.words.n,")
    assert "rouge.rouge1" not in header
    assert "R-2" in (run / "report.tex").read_text(encoding="utf-8")
    assert sorted(p.name for p in (run / "plots").glob("*.png")) == [
        "length.png",
        "length_distribution.png",
        "rouge.png",
        "rouge_distribution.png",
    ]
    assert "rouge1" not in (run / "report.html").read_text(encoding="utf-8").split("<table")[1]

    done = harness_cli("report", str(run), "--systems", "lead3,textrnak")
    assert done.returncode == 2
    assert "report.systems[1]: 'textrnak' is not a system" in done.stderr
    assert "did you mean 'textrank'?" in done.stderr


def test_report_section_of_the_config(
    harness_cli: HarnessCLI, runs: list[Path], tmp_path: Path
) -> None:
    lines = ARTICLES.read_text(encoding="utf-8").splitlines(keepends=True)[:4]
    config = _config(
        tmp_path,
        "chosen",
        lines,
        report={
            "values": ["rouge.rougeL"],
            "labels": {"textrank": "TextRank"},
            "digits": 1,
        },
    )
    done = harness_cli("run", str(config))
    assert done.returncode == 0, done.stderr
    md = (tmp_path / "runs" / "chosen" / "report.md").read_text(encoding="utf-8")
    rows = _md_rows(md.split("\n\n", 1)[1])
    assert rows[0] == ["system", "n", "failures", "rouge.rougeL ↑"]
    assert rows[3][0] == "TextRank" and len(rows[3][3].strip("*").split(" ± ")[0]) == 3

    typo = _config(tmp_path, "typo", lines, report={"values": ["rouge.rougeLsun"]})
    done = harness_cli("run", str(typo))
    assert done.returncode == 2
    assert "report.values[0]: 'rouge.rougeLsun' is not a value" in done.stderr
    assert "did you mean 'rouge.rougeLsum'?" in done.stderr
    assert not (tmp_path / "runs" / "typo").exists()  # refused before any work
