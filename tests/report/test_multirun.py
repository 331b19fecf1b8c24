"""One table over several runs: rows systems, column groups runs, in Markdown, CSV and LaTeX."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness.config import ReportConfig
from harness.errors import ConfigError
from harness.report.multirun import build_multi, to_csv_multi, to_latex_multi, to_markdown_multi
from tests.requires import require_tool

VALUES = ["rouge.rouge2", "numbers.precision", "entities.precision", "consistency.score"]


def _agg(mean: float | None, half: float = 0.012) -> dict[str, Any]:
    return {
        "mean": mean,
        "ci_low": None if mean is None else mean - half,
        "ci_high": None if mean is None else mean + half,
        "ci_half_width": None if mean is None else half,
        "n": 0 if mean is None else 50,
        "nulls": 50 if mean is None else 0,
    }


def write_run(
    folder: Path,
    name: str,
    means: dict[str, list[float | None]],
    *,
    consistency_version: str = "4",
    significant: str | None = None,
) -> Path:
    """A run directory with results.json and manifest.json: ``means[system]`` per VALUES."""
    folder.mkdir(parents=True)
    systems = list(means)
    results: dict[str, Any] = {
        "name": name,
        "seed": 0,
        "confidence": 0.95,
        "n_examples": 50,
        "systems": systems,
        "values": {
            value: {"higher_is_better": True, "description": value.split(".")[1]}
            for value in [*VALUES, "length.words"]
        },
        "failures": dict.fromkeys(systems, 0),
        "errors": {system: [] for system in systems},
        "results": {
            system: {
                **{value: _agg(mean) for value, mean in zip(VALUES, row, strict=True)},
                "length.words": _agg(40.0),
            }
            for system, row in means.items()
        },
        "alpha": 0.05,
        "baseline": systems[0],
        "comparisons": {},
    }
    if significant is not None:
        results["comparisons"][significant] = {
            "rouge.rouge2": {"n": 50, "diff": 0.02, "significant": True, "p_holm": 0.01}
        }
    (folder / "results.json").write_text(json.dumps(results), encoding="utf-8")
    metrics = {
        metric: {"kind": "metric", "name": metric, "version": "1", "params": {}, "model": None}
        for metric in ("rouge", "numbers", "entities", "length")
    }
    metrics["consistency"] = {
        "kind": "metric",
        "name": "consistency",
        "version": consistency_version,
        "params": {"flag_weight": 0.7},
        "model": None,
    }
    manifest = {"components": {"metrics": metrics}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture
def runs(tmp_path: Path) -> list[Path]:
    """CNN/DM and XSum with three systems each, SummEdits without pegasus."""
    return [
        write_run(
            tmp_path / "cnndm",
            "cnndm",
            {
                "lead3": [0.171, 0.95, 0.91, 0.80],
                "bart": [0.212, 0.90, 0.88, 0.70],
                "pegasus": [0.205, 0.97, 0.86, 0.75],
            },
            significant="bart",
        ),
        write_run(
            tmp_path / "xsum",
            "xsum",
            {
                "lead3": [0.016, 0.80, 0.70, 0.60],
                "bart": [0.221, 0.60, 0.65, 0.40],
                "pegasus": [0.245, 0.62, 0.64, 0.45],
            },
        ),
        write_run(
            tmp_path / "summedits",
            "summedits",
            {"lead3": [0.101, 0.99, 0.98, None], "bart": [0.150, 0.91, 0.90, 0.52]},
        ),
    ]


def _md_rows(markdown: str) -> list[list[str]]:
    lines = markdown.split("\n\n", 1)[0].splitlines()
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_rows_are_systems_and_groups_are_runs(runs: list[Path]) -> None:
    choice = ReportConfig(
        values=VALUES, systems=["bart", "pegasus", "lead3"], labels={"bart": "BART-large"}
    )
    table = build_multi(runs, choice)
    rows = _md_rows(to_markdown_multi(table))
    assert rows[0][:5] == [
        "system",
        "cnndm: rouge2 ↑",
        "cnndm: numbers.precision ↑",
        "cnndm: entities.precision ↑",
        "cnndm: consistency.score ↑",  # "score" alone could be any metric's
    ]
    assert rows[0][5] == "xsum: rouge2 ↑" and rows[0][9] == "summedits: rouge2 ↑"
    assert [row[0] for row in rows[2:]] == ["BART-large", "pegasus", "lead3"]
    bart, pegasus, lead3 = rows[2:]
    # best per column within each run; significance marks against the run's baseline
    assert bart[1] == "**0.212 ± 0.012***" and pegasus[2] == "**0.970 ± 0.012**"
    assert pegasus[5] == "**0.245 ± 0.012**" and lead3[6] == "**0.800 ± 0.012**"
    # a system a run lacks shows "–"; an undefined mean "—"
    assert pegasus[9:] == ["–"] * 4
    assert lead3[12] == "—" and bart[12] == "0.520 ± 0.012"  # alone: no best
    assert len(bart) == 13


def test_default_values_are_the_common_ones_and_digits_ci_apply(runs: list[Path]) -> None:
    table = build_multi(runs, ReportConfig(digits=2, ci=False))
    assert [c.name for c in table.columns] == [*VALUES, "length.words"]
    rows = _md_rows(to_markdown_multi(table))
    assert rows[2][1] == "0.17" and rows[3][1] == "**0.21***"


def test_csv_has_one_row_per_run_system_and_value(runs: list[Path]) -> None:
    table = build_multi(runs, ReportConfig(values=VALUES[:2]))
    records = list(csv.DictReader(io.StringIO(to_csv_multi(table))))
    header = ["run", "system", "value", "mean", "ci_low", "ci_high", "n", "lost"]
    assert list(records[0]) == header
    assert len(records) == 3 * 3 * 2
    first = records[0]
    assert (first["run"], first["system"], first["value"], first["n"]) == (
        "cnndm",
        "lead3",
        "rouge.rouge2",
        "50",
    )
    assert float(first["mean"]) == 0.171 and float(first["ci_low"]) == pytest.approx(0.159)
    missing = [r for r in records if r["run"] == "summedits" and r["system"] == "pegasus"]
    assert len(missing) == 2 and all(r["mean"] == r["n"] == "" for r in missing)


def test_a_system_that_failed_examples_is_marked_and_never_best(tmp_path: Path) -> None:
    run = write_run(tmp_path / "a", "a", {"lead3": [0.1, 0.9, 0.9, 0.8], "half": [0.3, 1, 1, 1]})
    results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    results["failures"]["half"] = 25
    (run / "results.json").write_text(json.dumps(results), encoding="utf-8")
    table = build_multi([run], ReportConfig(values=VALUES[:1]))
    markdown = to_markdown_multi(table)
    assert (
        "| half | 0.300 ± 0.012 †25 |" in markdown and "| lead3 | **0.100 ± 0.012** |" in markdown
    )
    assert "†N = the mean leaves out N examples" in markdown
    records = list(csv.DictReader(io.StringIO(to_csv_multi(table))))
    assert [(r["system"], r["lost"]) for r in records] == [("lead3", "0"), ("half", "25")]


def test_different_metric_versions_are_warned(tmp_path: Path) -> None:
    one = write_run(tmp_path / "a", "a", {"lead3": [0.1, 0.9, 0.9, 0.8]})
    two = write_run(tmp_path / "b", "b", {"lead3": [0.1, 0.9, 0.9, 0.8]}, consistency_version="5")
    table = build_multi([one, two], ReportConfig(values=VALUES))
    assert len(table.warnings) == 1
    assert table.warnings[0].startswith("metric 'consistency' differs between the runs")
    assert 'a: version 4 {"flag_weight": 0.7}; b: version 5' in table.warnings[0]
    assert not build_multi([one, two], ReportConfig(values=VALUES[:3])).warnings
    assert "% warning: metric 'consistency'" in to_latex_multi(table)


def test_same_named_runs_are_told_apart(tmp_path: Path) -> None:
    one = write_run(tmp_path / "first", "ci", {"lead3": [0.1, 0.9, 0.9, 0.8]})
    two = write_run(tmp_path / "second", "ci", {"lead3": [0.2, 0.9, 0.9, 0.8]})
    table = build_multi([one, two], ReportConfig(values=VALUES[:1]))
    assert [group.name for group in table.groups] == ["ci (first)", "ci (second)"]
    runs = {line.split(",")[0] for line in to_csv_multi(table).splitlines()[1:]}
    assert runs == {"ci (first)", "ci (second)"}


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (
            ReportConfig(values=["rouge.rogue2"]),
            "--values: 'rouge.rogue2' is not a value of any of the runs; "
            "did you mean 'rouge.rouge2'?",
        ),
        (
            ReportConfig(systems=["pegasos"]),
            "--systems: 'pegasos' is not a system of any of the runs; did you mean 'pegasus'?",
        ),
        (
            ReportConfig(labels={"xsun": "XSum"}),
            "--label: 'xsun' is not a value, system, metric or run of any of the runs; "
            "did you mean 'xsum'?",
        ),
    ],
)
def test_names_are_checked_with_did_you_mean(
    runs: list[Path], choice: ReportConfig, message: str
) -> None:
    with pytest.raises(ConfigError) as error:
        build_multi(runs, choice)
    assert message in error.value.message


def test_latex_groups_runs_under_multicolumn_headers(runs: list[Path]) -> None:
    choice = ReportConfig(values=VALUES, labels={"xsum": "XSum", "consistency.score": "Faith"})
    tex = to_latex_multi(build_multi(runs, choice))
    assert r"\begin{tabular}{lrrrrrrrrrrrr}" in tex
    assert (
        r" & \multicolumn{4}{c}{cnndm} & \multicolumn{4}{c}{XSum} & "
        r"\multicolumn{4}{c}{summedits} \\" in tex
    )
    assert r"\cmidrule(lr){2-5} \cmidrule(lr){6-9} \cmidrule(lr){10-13}" in tex
    pegasus = next(line for line in tex.splitlines() if line.startswith("pegasus &"))
    assert pegasus.endswith(r"& -- & -- & -- & -- \\")
    assert r"{\scriptsize$\pm$" in tex and r"\textbf{" in tex
    assert r"Faith$^{\uparrow}$" in tex and "$^{*}$ = differs significantly" in tex
    lead3 = next(line for line in tex.splitlines() if line.startswith("lead3 &"))
    assert lead3.endswith(r"& --- \\")  # undefined, not missing


def _compile(tmp_path: Path, tex: str, preamble: str) -> str:
    pdflatex = require_tool("pdflatex")
    (tmp_path / "table.tex").write_text(tex, encoding="utf-8")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n"
        f"{preamble}\\begin{{document}}\n\\input{{table.tex}}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "main.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    return (tmp_path / "main.log").read_text(encoding="utf-8", errors="replace")


def test_a_4_value_3_run_table_compiles_and_fits_a_one_column_article(
    runs: list[Path], tmp_path: Path
) -> None:
    labels = {
        "rouge.rouge2": "R-2",
        "numbers.precision": "Num",
        "entities.precision": "Ent",
        "consistency.score": "Faith",
    }
    tex = to_latex_multi(build_multi(runs, ReportConfig(values=VALUES, labels=labels)))
    measure = (
        "\\usepackage{graphicx}\n\\let\\harnessresize\\resizebox\n"
        "\\renewcommand{\\resizebox}[3]{\\typeout{harness-natural-width="
        "\\the\\wd\\harnesstablebox}\\harnessresize{#1}{#2}{#3}}\n"
    )
    (tmp_path / "tex").mkdir()
    log = _compile(tmp_path / "tex", tex, measure)
    assert "Overfull \\hbox" not in log
    # if it had to be shrunk at all, then by little: the type stays readable
    natural = re.search(r"harness-natural-width=([\d.]+)pt", log)
    assert natural is None or float(natural.group(1)) <= 1.15 * 345


def test_hostile_names_compile(tmp_path: Path) -> None:
    hostile = "run\n\n#1 & 100%_{x}"
    one = write_run(tmp_path / "a\nb", hostile, {"R&D_50% $x$": [0.1, 0.9, 0.9, 0.8]})
    two = write_run(tmp_path / "b", "b", {"lead3": [0.2, 0.9, 0.9, 0.8]}, consistency_version="9")
    table = build_multi([one, two], ReportConfig(values=VALUES, labels={"b": "~b^"}))
    tex = to_latex_multi(table)
    assert all(line.startswith("%") for line in tex.split("\\begin{table}")[0].splitlines())
    (tmp_path / "tex").mkdir()
    assert "Overfull \\hbox" not in _compile(tmp_path / "tex", tex, "\\usepackage{graphicx}\n")
    assert "| R&amp;D_50% $x$ |" in to_markdown_multi(table)  # escaped for Markdown


def test_a_run_given_twice_is_an_error(runs: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(runs[0].parent)
    with pytest.raises(ConfigError, match=r"given twice \(also as .*\)"):
        build_multi([runs[0], Path(runs[0].name), runs[1]], ReportConfig(values=VALUES[:1]))


def test_a_run_whose_comparisons_cannot_reach_alpha_says_so(runs: list[Path]) -> None:
    assert "smallest p-value" not in to_markdown_multi(build_multi(runs, ReportConfig()))
    results_path = runs[1] / "results.json"
    results = json.loads(results_path.read_text(encoding="utf-8"))
    results["comparisons"]["bart"] = {
        "rouge.rouge2": {"n": 4, "diff": 0.2, "significant": False, "p_value": 0.125}
    }
    results_path.write_text(json.dumps(results), encoding="utf-8")
    table = build_multi(runs, ReportConfig())
    text = to_markdown_multi(table)
    assert (
        "xsum: With 4 paired examples or fewer the permutation test's smallest p-value "
        "(0.125 at n = 4) is at or above 0.05"
    ) in text
    assert "cnndm: With" not in text
    assert "smallest p-value" in " ".join(to_latex_multi(table).split())


def test_runs_at_different_confidence_levels_are_said(tmp_path: Path) -> None:
    one = write_run(tmp_path / "a", "a", {"lead3": [0.1, 0.9, 0.9, 0.8]})
    two = write_run(tmp_path / "b", "b", {"lead3": [0.1, 0.9, 0.9, 0.8]})
    results = json.loads((two / "results.json").read_text(encoding="utf-8"))
    results["confidence"] = 0.9
    (two / "results.json").write_text(json.dumps(results), encoding="utf-8")
    table = build_multi([one, two], ReportConfig(values=VALUES[:1]))
    assert any("different confidence levels (a: 0.95, b: 0.9)" in w for w in table.warnings)
    assert "half-width of each run's (a: 95%, b: 90%) bootstrap CI" in to_markdown_multi(table)
    assert "the 95% bootstrap CI" in to_markdown_multi(build_multi([one], ReportConfig()))


def test_names_in_the_markdown_legend_are_escaped(tmp_path: Path) -> None:
    # the legend names each run and its baseline: "<b>" there would open bold text
    one = write_run(
        tmp_path / "a",
        "run<b>|1",
        {"base<i>": [0.1, 0.9, 0.9, 0.8], "x": [0.2, 0.9, 0.9, 0.8]},
        significant="x",
    )
    text = to_markdown_multi(build_multi([one], ReportConfig(values=VALUES[:1])))
    legend = text.split("\n\n")[1]
    assert "run&lt;b&gt;\\|1: base&lt;i&gt;" in legend
    assert "<b>" not in legend and "<i>" not in legend


def test_the_legend_names_systems_by_their_labels(tmp_path: Path) -> None:
    one = write_run(
        tmp_path / "a",
        "a",
        {"lead3": [0.1, 0.9, 0.9, 0.8], "bart": [0.2, 0.9, 0.9, 0.8]},
        significant="bart",
    )
    results = json.loads((one / "results.json").read_text(encoding="utf-8"))
    results["alpha"] = 0.0005  # below what Holm over 1000 resamples can reach
    (one / "results.json").write_text(json.dumps(results), encoding="utf-8")
    table = build_multi([one], ReportConfig(values=VALUES[:1], labels={"bart": "BART-large"}))
    legend = to_markdown_multi(table).split("\n\n")[1]
    assert "After Holm's correction over the values of BART-large," in legend
    assert "bart" not in legend


def test_same_named_runs_in_same_named_folders_are_told_apart(tmp_path: Path) -> None:
    one = write_run(tmp_path / "a" / "ci", "ci", {"lead3": [0.1, 0.9, 0.9, 0.8]})
    two = write_run(tmp_path / "b" / "ci", "ci", {"lead3": [0.2, 0.9, 0.9, 0.8]})
    table = build_multi([one, two], ReportConfig(values=VALUES[:1]))
    assert [group.name for group in table.groups] == [f"ci ({one})", f"ci ({two})"]
    rows = list(csv.DictReader(io.StringIO(to_csv_multi(table))))
    assert {(row["run"], row["mean"]) for row in rows} == {
        (f"ci ({one})", "0.1"),
        (f"ci ({two})", "0.2"),
    }


def test_latex_marks_a_mean_that_leaves_out_failed_examples(tmp_path: Path) -> None:
    run = write_run(tmp_path / "a", "a", {"lead3": [0.1, 0.9, 0.9, 0.8], "half": [0.3, 1, 1, 1]})
    results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    results["failures"]["half"] = 25
    (run / "results.json").write_text(json.dumps(results), encoding="utf-8")
    tex = to_latex_multi(build_multi([run], ReportConfig(values=VALUES[:1])))
    half = next(line for line in tex.splitlines() if line.startswith("half &"))
    assert r"{.300}" in half and half.endswith(r"$^{\dagger25}$ \\")
    lead3 = next(line for line in tex.splitlines() if line.startswith("lead3 &"))
    assert r"\phantom{$^{\dagger25}$}" in lead3  # its column keeps the mark's room
    assert r"$^{\dagger N}$ = the mean leaves out $N$ examples the system failed" in tex
    assert "†" not in tex
    (tmp_path / "tex").mkdir()
    assert "Overfull \\hbox" not in _compile(tmp_path / "tex", tex, "")


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ({"bart": "lead3"}, "'lead3' and 'bart' would both be shown as 'lead3'"),
        ({"xsum": "cnndm"}, "'cnndm' and 'xsum' would both be shown as 'cnndm'"),
        ({"bart": "Model", "pegasus": "Model"}, "'bart' and 'pegasus' would both be shown"),
        ({"bart": " "}, "--label 'bart' is empty"),
    ],
)
def test_labels_that_would_show_two_things_alike_are_refused(
    runs: list[Path], labels: dict[str, str], message: str
) -> None:
    # two rows named "lead3" (or two runs named "cnndm") could not be told apart
    with pytest.raises(ConfigError, match=re.escape(message)):
        build_multi(runs, ReportConfig(values=VALUES[:1], labels=labels))


def test_the_legend_says_a_dash_may_be_a_value_the_run_lacks(runs: list[Path]) -> None:
    results = json.loads((runs[2] / "results.json").read_text(encoding="utf-8"))
    del results["values"]["length.words"]
    for row in results["results"].values():
        del row["length.words"]
    (runs[2] / "results.json").write_text(json.dumps(results), encoding="utf-8")
    table = build_multi(runs, ReportConfig(values=["length.words"]))
    assert "– = the run has no such system or value;" in to_markdown_multi(table)
    # without such a value the legend stays as it was
    assert "– = the run has no such system;" in to_markdown_multi(build_multi(runs, ReportConfig()))


def test_the_legend_names_a_baseline_left_out_of_the_rows_by_its_label(runs: list[Path]) -> None:
    choice = ReportConfig(values=VALUES[:1], systems=["bart"], labels={"lead3": "Lead-3"})
    legend = to_markdown_multi(build_multi(runs, choice)).split("\n\n")[1]
    assert "(paired test, Holm-corrected; cnndm: Lead-3, xsum: Lead-3, summedits: Lead-3)" in legend


def test_a_run_path_with_backticks_or_a_line_break_stays_one_code_span(tmp_path: Path) -> None:
    run = write_run(tmp_path / "a`b\nc", "a", {"lead3": [0.1, 0.9, 0.9, 0.8]})
    last = to_markdown_multi(build_multi([run], ReportConfig(values=VALUES[:1]))).splitlines()[-1]
    assert last == f"- a: ``{tmp_path}/a`b c`` (50 examples)"


def test_a_mean_over_fewer_examples_than_its_row_is_marked(tmp_path: Path) -> None:
    # numbers.precision is defined for 20 of lead3's 50 examples (no number in the others)
    run = write_run(tmp_path / "a", "a", {"lead3": [0.1, 0.9, 0.9, 0.8], "bart": [0.2, 1, 1, 1]})
    results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    results["results"]["lead3"]["numbers.precision"] |= {"n": 20, "nulls": 30}
    (run / "results.json").write_text(json.dumps(results), encoding="utf-8")
    table = build_multi([run], ReportConfig(values=VALUES[:2]))
    markdown = to_markdown_multi(table)
    assert "| lead3 | 0.100 ± 0.012 | 0.900 ± 0.012 (n=20) |" in markdown
    assert "(n=K) = the mean is over K examples, fewer than" in markdown
    tex = to_latex_multi(table)
    lead3 = next(line for line in tex.splitlines() if line.startswith("lead3 &"))
    assert lead3.endswith(r"$^{n=20}$ \\")
    assert r"$^{n=K}$ = the mean is over $K$ examples" in tex
    (tmp_path / "tex").mkdir()
    assert "Overfull \\hbox" not in _compile(tmp_path / "tex", tex, "")
