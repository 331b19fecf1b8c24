"""report.tex: booktabs layout, escaping of nasty names, bold best, significance markers."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness.report import build_table, escape_latex, to_latex

NASTY_SYSTEM = r"R&D_50% $cost$ #1 {x} ~y^2 \path"
NASTY_NAME = "run_#1 & 100%"
_ESCAPES = re.compile(r"\\[&%$#_{}]|\\text(?:asciitilde|asciicircum|backslash)\{\}")


def _agg(mean: float | None, half: float = 0.01) -> dict[str, Any]:
    return {
        "mean": mean,
        "ci_low": None if mean is None else mean - half,
        "ci_high": None if mean is None else mean + half,
        "ci_half_width": None if mean is None else half,
        "n": 0 if mean is None else 20,
        "nulls": 20 if mean is None else 0,
    }


def make_results(*, comparisons: bool = True, failures: int = 0) -> dict[str, Any]:
    """Two systems, one with a nasty name; values up, down and without direction."""
    values = {
        "rouge.rouge_1": {"metric": "rouge", "higher_is_better": True, "description": ""},
        "numbers.unsupported": {"metric": "numbers", "higher_is_better": False, "description": ""},
        "length.words": {"metric": "length", "higher_is_better": None, "description": ""},
    }
    results: dict[str, Any] = {
        "name": NASTY_NAME,
        "seed": 0,
        "confidence": 0.95,
        "n_examples": 20,
        "systems": ["base", NASTY_SYSTEM],
        "values": values,
        "failures": {"base": 0, NASTY_SYSTEM: failures},
        "errors": {"base": [], NASTY_SYSTEM: []},
        "results": {
            "base": {
                "rouge.rouge_1": _agg(0.30),
                "numbers.unsupported": _agg(-0.25),
                "length.words": _agg(40.0),
            },
            NASTY_SYSTEM: {
                "rouge.rouge_1": _agg(0.42),
                "numbers.unsupported": _agg(0.10),
                "length.words": _agg(None),
            },
        },
    }
    if comparisons:
        results |= {
            "alpha": 0.05,
            "baseline": "base",
            "comparisons": {
                NASTY_SYSTEM: {
                    "rouge.rouge_1": {"n": 20, "diff": 0.12, "significant": True, "p_holm": 0.01},
                    "numbers.unsupported": {"n": 20, "diff": 0.35, "significant": False},
                }
            },
        }
    return results


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a & b", r"a \& b"),
        ("100%", r"100\%"),
        ("$5", r"\$5"),
        ("#1", r"\#1"),
        ("snake_case", r"snake\_case"),
        ("{x}", r"\{x\}"),
        ("~", r"\textasciitilde{}"),
        ("^", r"\textasciicircum{}"),
        ("\\", r"\textbackslash{}"),
        ("\\&", r"\textbackslash{}\&"),
        ("a<b>c|d", r"a\textless{}b\textgreater{}c\textbar{}d"),
        ("plain text, 1.5", "plain text, 1.5"),
        ("two\nlines", "two lines"),
        ("para\n\ngraph\r\nend", "para graph end"),
        ("u\u2028v\u2029w\x85x\x0by\x0cz\x1c!", "u v w x y z !"),
        ("nul\x00and\x07bell\x7f", "nul and bell "),
        ("tab\there", "tab here"),
    ],
)
def test_escape_latex(text: str, expected: str) -> None:
    assert escape_latex(text) == expected


def test_nasty_names_are_escaped() -> None:
    tex = to_latex(build_table(make_results()))
    body = "\n".join(line for line in tex.splitlines() if not line.startswith("%"))
    row = next(line for line in body.splitlines() if line.startswith("R"))
    assert row.startswith(
        r"R\&D\_50\% \$cost\$ \#1 \{x\} \textasciitilde{}y\textasciicircum{}2 "
        r"\textbackslash{}path & "
    )
    assert r"rouge\_1 $\uparrow$" in body and r"unsupported $\downarrow$" in body
    assert r"\caption{run\_\#1 \& 100\%: mean" in body
    assert r"\label{tab:run-1-100}" in body
    # once the escapes are taken out, no special character is left in the names
    for name in (row.split(" & ", 1)[0], body.split(r"\caption{", 1)[1].split(":", 1)[0]):
        assert not set(_ESCAPES.sub("", name)) & set("&%$#_{}~^\\")


def test_booktabs_layout_bold_and_markers() -> None:
    tex = to_latex(build_table(make_results()))
    lines = tex.splitlines()
    assert lines[2] == r"\begin{table}[t]"
    assert r"\begin{tabular}{lrrr}" in lines
    assert lines.index(r"\toprule") < lines.index(r"\midrule") < lines.index(r"\bottomrule")
    assert (
        r" & \multicolumn{1}{c}{rouge} & \multicolumn{1}{c}{numbers} & "
        r"\multicolumn{1}{c}{length} \\" in lines
    )
    assert r"\cmidrule(lr){2-2} \cmidrule(lr){3-3} \cmidrule(lr){4-4}" in lines
    base = next(line for line in lines if line.startswith("base &"))
    nasty = next(line for line in lines if line.startswith("R"))
    # best: higher rouge (the nasty system), lower unsupported (base); none for length
    assert (
        base == r"base & 0.300 $\pm$ 0.010 & \textbf{$-$0.250} $\pm$ 0.010 & 40.000 $\pm$ 0.010 \\"
    )
    assert nasty.endswith(r" & \textbf{0.420} $\pm$ 0.010$^{*}$ & 0.100 $\pm$ 0.010 & -- \\")
    assert r"$^{*}$: differs significantly from the baseline \emph{base}" in tex
    assert r"$\alpha = 0.05$" in tex


def test_without_comparisons_no_markers_and_failures_column() -> None:
    tex = to_latex(build_table(make_results(comparisons=False, failures=2)))
    assert "$^{*}$" not in tex and "baseline" not in tex
    assert r"\begin{tabular}{lrrrr}" in tex
    assert r"System & Fail. & " in tex
    assert r"\multicolumn{1}{c}{rouge}" in tex and r"\cmidrule(lr){3-3}" in tex


def test_significance_on_baseline_row_is_ignored() -> None:
    results = make_results()
    results["comparisons"]["base"] = {"rouge.rouge_1": {"n": 20, "diff": 0.0, "significant": True}}
    base = next(
        line for line in to_latex(build_table(results)).splitlines() if line.startswith("base")
    )
    assert "$^{*}$" not in base


def _broken_lines_results() -> dict[str, Any]:
    """make_results with line breaks and control characters in the run and system names."""
    results = make_results()
    hostile = "two\n\nlines\u2028and\x00a|b <i>"
    results["name"] = "run\n\nname\r\n"
    results["systems"] = ["base", hostile]
    for key in ("failures", "errors", "results", "comparisons"):
        results[key] = {hostile if k == NASTY_SYSTEM else k: v for k, v in results[key].items()}
    return results


def test_line_breaks_in_names_stay_on_one_row() -> None:
    tex = to_latex(build_table(_broken_lines_results()))
    body = tex.split("\\midrule\n", 1)[1].split("\\bottomrule", 1)[0].strip().split("\n")
    assert len(body) == 2
    assert body[1].startswith(r"two lines and a\textbar{}b \textless{}i\textgreater{} & ")
    assert r"\caption{run name : mean" in tex
    assert tex.splitlines()[0].startswith("% 'run\\n\\nname\\r\\n': ")  # repr: one comment line
    assert "\x00" not in tex and "\u2028" not in tex


@pytest.mark.parametrize("hostile", [False, True])
def test_compiles_with_pdflatex(tmp_path: Path, hostile: bool) -> None:
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        pytest.skip("pdflatex is not on PATH (install e.g. `apt-get install texlive-latex-extra`)")
    results = _broken_lines_results() if hostile else make_results()
    (tmp_path / "report.tex").write_text(to_latex(build_table(results)), encoding="utf-8")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n"
        "\\begin{document}\n\\input{report.tex}\n\\end{document}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "main.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert (tmp_path / "main.pdf").stat().st_size > 0
