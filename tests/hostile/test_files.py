"""Hostile data and run files through the CLI: strict CSV, Unicode line breaks, bad bytes, names.

Each case is run as a user would (`harness run` / `score` / `report` in a
subprocess, through the ``harness_cli`` fixture) and must end in the right
verdict: exit 2 with ``file:line`` for data harness cannot read, exit 0 with
the text kept exactly for data it can.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]

# Every character str.splitlines() breaks a line at, besides "\n" and "\r".
LINE_BREAKS = "\u2028\u2029\x85\x1c\x1d\x1e\x0b\x0c"


def _config(tmp_path: Path, data: Path, *, fmt: str | None = None, name: str = "hostile") -> Path:
    benchmark: dict[str, Any] = {
        "path": str(data),
        "fields": {"id": "id", "source": "source", "summary": "summary"},
    }
    if fmt is not None:
        benchmark["format"] = fmt
    config = {
        "name": name,
        "benchmark": benchmark,
        "systems": [{"name": "given", "backend": "precomputed"}],
        "metrics": ["length"],
        "stats": {"resamples": 100},
    }
    path = tmp_path / f"{name}.yaml"
    path.write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    return path


def _jsonl(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n") if line]


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr


# case 8: strict CSV ---------------------------------------------------------------------
def test_csv_with_an_unterminated_quote_is_exit_2_naming_the_line(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    data = tmp_path / "data.csv"
    data.write_text(
        "id,source,summary\n"
        "a,The first article. It is short.,First summary.\n"
        'b,"The second article, quoted but never closed.,Second summary.\n'
        "c,The third article.,Third summary.\n"
        "d,The fourth article.,Fourth summary.\n",
        encoding="utf-8",
    )
    done = harness_cli("run", str(_config(tmp_path, data)), "--out", str(tmp_path / "run"))
    assert done.returncode == 2, done.stdout + done.stderr
    _no_traceback(done)
    assert f"{data}:3: unterminated quote" in done.stderr
    assert not (tmp_path / "run" / "outputs.jsonl").exists()


def test_empty_csv_cells_are_empty_strings_as_in_jsonl(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    rows = [
        {"id": "a", "source": "The plant made 4,000 tonnes.", "summary": "", "note": ""},
        {"id": "b", "source": "Prices rose 3% in May.", "summary": "Prices rose.", "note": "x"},
    ]
    csv_data = tmp_path / "data.csv"
    csv_data.write_text(
        "id,source,summary,note\n"
        'a,"The plant made 4,000 tonnes.",,\n'
        "b,Prices rose 3% in May.,Prices rose.,x\n",
        encoding="utf-8",
    )
    jsonl_data = tmp_path / "data.jsonl"
    jsonl_data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")

    runs = {}
    for data in (csv_data, jsonl_data):
        out = tmp_path / f"run-{data.suffix[1:]}"
        config = _config(tmp_path, data, name=f"cells-{data.suffix[1:]}")
        done = harness_cli("run", str(config), "--out", str(out))
        assert done.returncode == 0, done.stderr
        runs[data.suffix] = out

    for name in ("examples.jsonl", "outputs.jsonl", "scores.jsonl"):
        from_csv = _jsonl(runs[".csv"] / name)
        from_jsonl = _jsonl(runs[".jsonl"] / name)
        for record in from_csv + from_jsonl:
            record.pop("latency_s", None)
        assert from_csv == from_jsonl, name
    first = _jsonl(runs[".csv"] / "outputs.jsonl")[0]
    assert (first["summary"], first["error"]) == ("", None)  # an empty summary, not a failure
    assert _jsonl(runs[".csv"] / "examples.jsonl")[0]["meta"] == {"note": ""}


# case 9: Unicode line breaks inside JSON strings ------------------------------------------
@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_raw_unicode_line_breaks_survive_run_score_and_report(
    tmp_path: Path, harness_cli: HarnessCLI, fmt: str
) -> None:
    records = [
        {
            "id": "a",
            "source": f"First line.{LINE_BREAKS}Still the first article.",
            "summary": f"A summary{LINE_BREAKS}with every line break.",
        },
        {"id": "b", "source": "The second article.", "summary": "Plain\u2028summary."},
    ]
    data = tmp_path / f"data.{fmt}"
    if fmt == "jsonl":
        text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    else:
        text = json.dumps(records, ensure_ascii=False, indent=2)
    data.write_text(text, encoding="utf-8")
    assert "\u2028" in data.read_text(encoding="utf-8")  # raw, not escaped
    out = tmp_path / "run"
    done = harness_cli("run", str(_config(tmp_path, data)), "--out", str(out))
    assert done.returncode == 0, done.stderr

    for command in ("score", "report"):
        again = harness_cli(command, str(out))
        assert again.returncode == 0, f"{command}: {again.stderr}"
    examples = _jsonl(out / "examples.jsonl")
    outputs = _jsonl(out / "outputs.jsonl")
    assert [example["source"] for example in examples] == [r["source"] for r in records]
    assert [output["summary"] for output in outputs] == [r["summary"] for r in records]
    assert len(_jsonl(out / "scores.jsonl")) == 2


def test_non_utf8_run_files_are_exit_2_naming_file_and_line(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    data = tmp_path / "data.jsonl"
    data.write_text(
        "".join(
            json.dumps({"id": str(i), "source": f"Article {i}.", "summary": f"Summary {i}."}) + "\n"
            for i in range(3)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "run"
    done = harness_cli("run", str(_config(tmp_path, data)), "--out", str(out))
    assert done.returncode == 0, done.stderr

    outputs = out / "outputs.jsonl"
    lines = outputs.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"Summary 1.", b"Summ\xe9ry 1.")  # a Latin-1 byte on line 2
    outputs.write_bytes(b"\n".join(lines))
    # ``report`` renders what results.json was computed from: the file no longer is it
    broken = harness_cli("report", str(out))
    assert broken.returncode == 2, broken.stdout + broken.stderr
    _no_traceback(broken)
    assert "outputs.jsonl has changed since results.json was computed" in broken.stderr
    # ``score`` computes from the outputs as they are: it names the byte's line
    broken = harness_cli("score", str(out))
    assert broken.returncode == 2, broken.stdout + broken.stderr
    _no_traceback(broken)
    assert "outputs.jsonl:2: not valid UTF-8" in broken.stderr

    done = harness_cli("run", str(_config(tmp_path, data)), "--out", str(out))
    assert done.returncode == 0, done.stderr
    results = out / "results.json"
    text = results.read_bytes()
    results.write_bytes(text.replace(b'"seed"', b'"s\xffeed"', 1))
    line = text[: text.index(b'"seed"')].count(b"\n") + 1
    broken = harness_cli("report", str(out))
    assert broken.returncode == 2, broken.stdout + broken.stderr
    _no_traceback(broken)
    assert f"results.json:{line}: not valid UTF-8" in broken.stderr


# case 17: names that are markup -------------------------------------------------------------
HOSTILE_SYSTEMS = [
    "a|b",
    "<script>alert(1)</script>",
    "two\nlines",
    "para\u2028sep",
    "[/bold] R&D 50% $x_1$ #2 {y} ~^\\",
]


def _cells(row: str) -> list[str]:
    """A GFM table row's cells: split at every | that is not backslash-escaped."""
    return re.split(r"(?<!\\)\|", row.strip())[1:-1]


def test_system_names_are_escaped_in_report_md_and_tex(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    config = {
        "name": "run <b>|</b>\nname",
        "benchmark": {"builtin": "newsbriefs", "limit": 3},
        "systems": [
            {"name": name, "backend": "lead", "params": {"sentences": index + 1}}
            for index, name in enumerate(HOSTILE_SYSTEMS)
        ],
        "metrics": ["length"],
        "stats": {"resamples": 100},
    }
    path = tmp_path / "names.yaml"
    path.write_text(json.dumps(config), encoding="utf-8")
    out = tmp_path / "run"
    done = harness_cli("run", str(path), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "[/bold] R&D" in done.stdout  # the terminal table did not read the name as markup

    markdown = (out / "report.md").read_text(encoding="utf-8")
    lines = markdown.split("\n")
    assert lines[0] == "# run &lt;b&gt;\\|&lt;/b&gt;<br>name"
    header = lines.index("| system | n | failures | length.words | length.sentences |")
    rows = lines[header + 2 : header + 2 + len(HOSTILE_SYSTEMS)]
    assert [_cells(row)[0].strip() for row in rows] == [
        "a\\|b",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "two<br>lines",
        "para<br>sep",
        "[/bold] R&amp;D 50% $x_1$ #2 {y} ~^\\\\",
    ]
    for row in rows:
        assert len(_cells(row)) == 5, row
    assert "<script>" not in markdown and "\u2028" not in markdown

    tex = (out / "report.tex").read_text(encoding="utf-8")
    body = tex.split("\\midrule\n", 1)[1].split("\\bottomrule", 1)[0].strip().split("\n")
    assert len(body) == len(HOSTILE_SYSTEMS)  # one source line per system: no break in a name
    assert body[0].startswith(r"a\textbar{}b & ")
    assert body[2].startswith("two lines & ")
    assert body[3].startswith("para sep & ")
    assert body[4].startswith(
        r"[/bold] R\&D 50\% \$x\_1\$ \#2 \{y\} \textasciitilde{}\textasciicircum{}"
        r"\textbackslash{} & "
    )
    for row in body:
        assert len(re.findall(r"(?<!\\)&", row)) == 2, row  # system & words & sentences
