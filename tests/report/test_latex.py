"""report.tex: booktabs layout, escaping of nasty names, bold best, significance markers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness.report import build_table, escape_latex, to_latex
from harness.report.table import SINGLE_PAIR_NOTE, too_few_pairs_note
from tests.requires import require_tool

NASTY_SYSTEM = r"R&D_50% $cost$ #1 {x} ~y^2 \path"
NASTY_NAME = "run_#1 & 100%"
_ESCAPES = re.compile(r"\\[&%$#_{}]|\\text(?:asciitilde|asciicircum|backslash)\{\}")
_BOXES = re.compile(r"\\(h?phantom|llap|rlap)\{")


def visible(tex: str) -> str:
    """``tex`` as printed: phantoms (alignment padding) dropped, ``\\llap``/``\\rlap`` unwrapped."""
    out = []
    at = 0
    while (found := _BOXES.search(tex, at)) is not None:
        out.append(tex[at : found.start()])
        depth, end = 1, found.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(tex[end], 0)
            end += 1
        inner = tex[found.end() : end - 1]
        if found.group(1) in ("llap", "rlap"):
            out.append(visible(inner))
        at = end
    return "".join(out) + tex[at:]


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
        # TeX ligatures: not ‘v2’, an en dash, a low quote
        ("`v2'", r"\textasciigrave{}v2\textquotesingle{}"),
        ("bart--large---x", "bart-{}-large-{}-{}-x"),
        (",,x", ",{},x"),
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
    assert lines[3] == r"\begin{table}[t]"
    assert r"\begin{tabular}{lrrr}" in lines
    assert lines.index(r"\toprule") < lines.index(r"\midrule") < lines.index(r"\bottomrule")
    assert (
        r" & \multicolumn{1}{c}{rouge} & \multicolumn{1}{c}{numbers} & "
        r"\multicolumn{1}{c}{length} \\" in lines
    )
    assert r"\cmidrule(lr){2-2} \cmidrule(lr){3-3} \cmidrule(lr){4-4}" in lines
    base = visible(next(line for line in lines if line.startswith("base &")))
    nasty = visible(next(line for line in lines if line.startswith("R")))
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


def test_a_mean_that_leaves_out_failed_examples_is_marked() -> None:
    tex = to_latex(build_table(make_results(comparisons=False, failures=2)))
    nasty = next(line for line in tex.splitlines() if line.startswith("R"))
    base = next(line for line in tex.splitlines() if line.startswith("base &"))
    assert visible(nasty).count(r"$^{\dagger2}$") == 2  # rouge and numbers; length is --
    assert r"\textbf" not in visible(nasty)  # it lost examples: never bold
    # the complete system's cells keep the mark's room, so the points still line up
    assert r"$^{\dagger2}$" not in visible(base)
    assert base.count(r"\phantom{$^{\dagger2}$}") == 2  # none in length: no mark there
    assert r"$^{\dagger N}$: the mean leaves out $N$ examples the system failed" in tex
    assert "dagger" not in to_latex(build_table(make_results(comparisons=False)))


def test_a_mean_over_fewer_examples_than_the_row_is_marked() -> None:
    results = make_results(comparisons=False)
    results["results"]["base"]["rouge.rouge_1"]["n"] = 12  # 8 without a reference
    tex = to_latex(build_table(results))
    base = next(line for line in tex.splitlines() if line.startswith("base &"))
    assert r"0.300 $\pm$ 0.010$^{n=12}$ &" in visible(base)
    nasty = next(line for line in tex.splitlines() if line.startswith("R"))
    assert r"\phantom{$^{n=12}$}" in nasty  # the column's points still line up
    assert r"$^{n=K}$: the mean is over $K$ examples, fewer than the others of its row" in tex
    assert "n=" not in to_latex(build_table(make_results(comparisons=False)))


def test_significance_on_baseline_row_is_ignored() -> None:
    results = make_results()
    results["comparisons"]["base"] = {"rouge.rouge_1": {"n": 20, "diff": 0.0, "significant": True}}
    base = next(
        line for line in to_latex(build_table(results)).splitlines() if line.startswith("base")
    )
    assert "$^{*}$" not in visible(base)


def _broken_lines_results() -> dict[str, Any]:
    """make_results with line breaks and control characters in the run and system names."""
    results = make_results()
    hostile = "two\n\nlines\u2028and\x00a|b <i>\u202eevil\u200b `q' a--b"
    results["name"] = "run\n\nname\r\n"
    results["systems"] = ["base", hostile]
    for key in ("failures", "errors", "results", "comparisons"):
        results[key] = {hostile if k == NASTY_SYSTEM else k: v for k, v in results[key].items()}
    return results


def test_line_breaks_in_names_stay_on_one_row() -> None:
    tex = to_latex(build_table(_broken_lines_results()))
    body = tex.split("\\midrule\n", 1)[1].split("\\bottomrule", 1)[0].strip().split("\n")
    assert len(body) == 2
    assert body[1].startswith(r"two lines and a\textbar{}b \textless{}i\textgreater{}")
    assert r"\caption{run name : mean" in tex
    assert tex.splitlines()[0].startswith("% 'run\\n\\nname\\r\\n': ")  # repr: one comment line
    assert "\x00" not in tex and "\u2028" not in tex
    # an invisible bidi override or zero-width space stops pdflatex: shown by code point
    shown = r"\textless{}U+202E\textgreater{}evil\textless{}U+200B\textgreater{} "
    shown += r"\textasciigrave{}q\textquotesingle{} a-{}-b & "
    assert body[1].startswith(r"two lines and a\textbar{}b \textless{}i\textgreater{}" + shown)
    assert "\u202e" not in tex and "\u200b" not in tex


@pytest.mark.parametrize("hostile", [False, True])
def test_compiles_with_pdflatex(tmp_path: Path, hostile: bool) -> None:
    pdflatex = require_tool("pdflatex")
    results = _broken_lines_results() if hostile else make_results(failures=2)
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


# --- decimal alignment, the `report:` choice, fitting the page ------------------------------

_PHANTOM = re.compile(r"\\h?phantom\{((?:[^{}]|\{[^{}]*\})*)\}")


def _typeset_chars(tex: str) -> str:
    """The characters a cell takes room for: phantoms count, markup does not."""
    text = _PHANTOM.sub(lambda match: match.group(1), tex)
    text = re.sub(r"\\(textbf|llap|rlap)\{", "", text).replace("}", "")
    return text.replace("$-$", "-")


def test_numbers_line_up_at_their_decimal_point() -> None:
    from harness.report.latex import align_numbers

    cells = align_numbers([0.5, -12.25, 123.4, None], [2, 2, 2, 2], [False] * 4)
    # every number takes the room of "-123.40": sign, 3 integer digits, point, 2 decimals
    for cell in cells[:3]:
        integer, _, fraction = _typeset_chars(cell).partition(".")
        assert len(integer) == 4 and len(fraction) == 2, cell
    assert [visible(cell) for cell in cells] == ["0.50", "$-$12.25", "123.40", "--"]
    assert cells[3] == "--"


def test_beside_a_bold_number_the_others_keep_its_width() -> None:
    from harness.report.latex import align_numbers

    cells = align_numbers([0.5, -12.25], [2, 2], [False, True])
    assert cells[1] == r"\textbf{$-$12.25}"
    # the bold integer part's room, the number right-aligned in it; then the fraction's
    assert cells[0] == (
        r"\hphantom{\textbf{\phantom{0}\phantom{$-$}0}}\llap{\phantom{0}\phantom{$-$}0}"
        r"\rlap{.50}\hphantom{\textbf{.50}}"
    )


def test_cells_without_ci_or_mark_keep_their_room() -> None:
    tex = to_latex(build_table(make_results()))
    rouge = [line.split(" & ")[1] for line in tex.splitlines() if line.startswith(("base", "R"))]
    assert rouge[0].endswith(r"\phantom{$^{*}$}") and rouge[1].endswith("$^{*}$")


def test_choice_shows_labels_digits_and_no_ci_in_latex() -> None:
    from harness.config import ReportConfig
    from harness.report.table import select

    choice = ReportConfig(
        values=["numbers.unsupported", "rouge.rouge_1"],
        labels={"rouge.rouge_1": "R-1", "numbers": "Numbers", "base": "Base line"},
        digits=2,
        ci=False,
        significance=False,
    )
    tex = to_latex(select(build_table(make_results()), choice, "config.yaml"))
    assert r"\multicolumn{1}{c}{Numbers} & \multicolumn{1}{c}{rouge} \\" in tex
    assert r"System & unsupported $\downarrow$ & R-1 $\uparrow$ \\" in tex
    base = visible(next(line for line in tex.splitlines() if line.startswith("Base line")))
    assert base == r"Base line & \textbf{$-$0.25} & 0.30 \\"
    assert r"$\pm$" not in tex and "$^{*}$" not in tex
    assert r"\caption{run\_\#1 \& 100\%: mean over 20 examples." in tex


def _wide_results(values: int) -> dict[str, Any]:
    """A run with ``values`` values of 3 metrics and 4 systems: today's 19-column report.tex."""
    results = make_results(comparisons=False)
    names = [f"{('rouge', 'fragments', 'consistency')[i % 3]}.value_{i}" for i in range(values)]
    names.sort(key=lambda name: name.split(".")[0])
    systems = ["lead3", "textrank", "smollm2", "lead1"]
    results["values"] = {n: {"higher_is_better": True, "description": ""} for n in names}
    results["systems"] = systems
    results["failures"] = dict.fromkeys(systems, 0)
    results["results"] = {
        s: {n: _agg(0.1 + 0.01 * i + 0.1 * j) for i, n in enumerate(names)}
        for j, s in enumerate(systems)
    }
    return results


def pdflatex_log(tmp_path: Path, table_tex: str, preamble: str = "") -> str:
    """Compile ``table_tex`` in a one-column article; the log (the test fails on an error)."""
    pdflatex = require_tool("pdflatex")
    (tmp_path / "table.tex").write_text(table_tex, encoding="utf-8")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{booktabs}\n" + preamble + "\\begin{document}\n"
        "\\input{table.tex}\n\\input{table.tex}\n\\end{document}\n",
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
    return (tmp_path / "main.log").read_text(encoding="utf-8", errors="replace")


# Records the table's natural width whenever it is shrunk to the text width.
MEASURE_SHRINK = (
    "\\usepackage{graphicx}\n\\let\\harnessresize\\resizebox\n"
    "\\renewcommand{\\resizebox}[3]{\\typeout{harness-natural-width=\\the\\wd\\harnesstablebox}"
    "\\harnessresize{#1}{#2}{#3}}\n"
)


def test_a_19_column_report_fits_the_page(tmp_path: Path) -> None:
    tex = to_latex(build_table(_wide_results(17)))
    log = pdflatex_log(tmp_path, tex, MEASURE_SHRINK)
    assert "Overfull \\hbox" not in log
    assert "harness-natural-width=" in log  # it was wider than the text: shrunk, not overflowing
    # a table that fits keeps its size, and without graphicx the file still compiles
    narrow = to_latex(build_table(_wide_results(3)))
    log = pdflatex_log(tmp_path, narrow, MEASURE_SHRINK)
    assert "Overfull \\hbox" not in log and "harness-natural-width" not in log
    assert "Overfull \\hbox" not in pdflatex_log(tmp_path, narrow)


def test_too_few_pairs_and_a_single_pair_are_said_as_in_report_md(tmp_path: Path) -> None:
    results = make_results()
    comparisons = results["comparisons"][NASTY_SYSTEM]
    comparisons["rouge.rouge_1"] = {"n": 3, "diff": 0.12, "significant": False, "p_holm": 0.25}
    tex = to_latex(build_table(results))
    # the same sentence as report.md's legend, with the level written as a number
    assert escape_latex(too_few_pairs_note(3, "0.05")) in tex
    assert "smallest p-value (0.25 at n = 3) is at or above 0.05" in tex
    assert "At n = 1" not in tex
    comparisons["numbers.unsupported"] = {"n": 1, "diff": 0.35, "significant": False}
    tex = to_latex(build_table(results))
    assert escape_latex(SINGLE_PAIR_NOTE) in tex
    assert "smallest p-value" in tex
    assert "smallest p-value" not in to_latex(build_table(make_results()))
