"""Markdown and CSV reports, with and without paired comparisons against a baseline."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from rich.console import Console

from harness.config import ReportConfig
from harness.report import build_table, to_csv, to_markdown, to_rich
from harness.report.table import (
    SINGLE_PAIR_NOTE,
    Comparison,
    escape_markdown,
    format_comparison,
    format_diff,
    markdown_code,
    select,
)


def _agg(mean: float | None, half: float | None = 0.01, n: int = 10) -> dict[str, Any]:
    return {
        "mean": mean,
        "ci_low": None if mean is None or half is None else mean - half,
        "ci_high": None if mean is None or half is None else mean + half,
        "ci_half_width": half,
        "n": n if mean is not None else 0,
        "nulls": 0 if mean is not None else n,
    }


def _comparison(diff: float, significant: bool, p_holm: float = 0.01) -> dict[str, Any]:
    return {
        "n": 10,
        "diff": diff,
        "ci_low": diff - 0.03,
        "ci_high": diff + 0.03,
        "p_value": p_holm / 2,
        "p_holm": p_holm,
        "significant": significant,
        "wins": 6,
        "ties": 1,
        "losses": 3,
    }


def make_results(*, comparisons: bool = True) -> dict[str, Any]:
    """results.json of a small run: 3 systems, 2 values (one with direction, one without)."""
    results: dict[str, Any] = {
        "name": "demo",
        "seed": 0,
        "confidence": 0.95,
        "n_examples": 10,
        "systems": ["base", "cand", "other"],
        "values": {
            "rouge.rouge1": {"metric": "rouge", "higher_is_better": True, "description": "R1"},
            "length.words": {"metric": "length", "higher_is_better": None, "description": "w"},
        },
        "failures": {"base": 0, "cand": 1, "other": 0},
        "errors": {"base": [], "cand": [{"example_id": "x", "error": "boom"}], "other": []},
        "results": {
            "base": {"rouge.rouge1": _agg(0.40), "length.words": _agg(30.0, 2.0)},
            "cand": {"rouge.rouge1": _agg(0.441), "length.words": _agg(31.0, 2.0)},
            "other": {"rouge.rouge1": _agg(0.35), "length.words": _agg(None)},
        },
    }
    if comparisons:
        results["alpha"] = 0.05
        results["baseline"] = "base"
        results["comparisons"] = {
            "cand": {
                "rouge.rouge1": _comparison(0.0412, True, 0.004),
                "length.words": _comparison(1.0, False, 0.5),
            },
            "other": {"rouge.rouge1": _comparison(-0.05, True, 0.02)},
        }
    return results


def test_markdown_without_comparisons_has_one_table() -> None:
    text = to_markdown(build_table(make_results(comparisons=False)))
    assert "## vs" not in text and ".diff" not in text
    # cand's mean is higher, but it failed a generation: its mean leaves an example
    # out, so the best of the systems scored on every example is bold
    assert "| base | 10 | 0 | **0.400 ± 0.010** | 30.000 ± 2.000 |" in text
    assert "| cand | 10 | 1 | 0.441 ± 0.010 †1 | 31.000 ± 2.000 †1 |" in text
    assert "†N: the mean leaves out N examples the system failed" in text


def test_too_few_paired_examples_for_significance_are_said() -> None:
    # n = 10 can reach α = 0.05 (smallest p 2/2^10): the legend says nothing more
    assert "smallest p-value" not in to_markdown(build_table(make_results()))
    results = make_results()
    for comparisons in results["comparisons"].values():
        for comparison in comparisons.values():
            comparison["n"] = 2  # smallest p 2/2^2 = 0.5: never significant
    text = to_markdown(build_table(results))
    assert (
        "With 2 paired examples or fewer the permutation test's smallest p-value "
        "(0.5 at n = 2) is at or above α: no difference there can be marked significant"
    ) in text


def test_too_few_differing_pairs_for_significance_are_said() -> None:
    # 20 pairs, 16 of them tied: the paired test weighs the 4 that differ, whose
    # smallest p is 2/2^4 = 0.125, so a big difference there is never marked; the
    # legend said nothing, as 20 pairs could reach 0.05.
    results = make_results()
    for comparisons in results["comparisons"].values():
        for comparison in comparisons.values():
            comparison.update(n=20, wins=1, ties=16, losses=3, significant=False)
    text = to_markdown(build_table(results))
    assert (
        "Where 4 paired examples or fewer differ (a tie weighs nothing in the paired test), "
        "its smallest p-value (0.125 at 4) is at or above α"
    ) in text
    assert "smallest p-value" not in to_markdown(build_table(make_results()))


def test_holm_keeping_a_system_from_alpha_is_said() -> None:
    assert "After Holm" not in to_markdown(build_table(make_results()))
    results = make_results()
    # n = 10: the test alone reaches 2/2^10 = 0.00195 < 0.003, but Holm over cand's two
    # values doubles it to 0.0039; other has one value and can still reach 0.003
    results["alpha"] = 0.003
    text = to_markdown(build_table(results))
    assert (
        "After Holm's correction over the values of cand, no p-value can fall below 0.0039, "
        "which is at or above α: none of these differences can be marked significant"
    ) in text
    assert "values of cand, other" not in text
    # the bound is over every value compared, also those a report leaves out
    shown = select(build_table(results), ReportConfig(values=["rouge.rouge1"]), "test")
    assert "values of cand, no p-value can fall below 0.0039" in to_markdown(shown)
    # the baseline's row (here last) has no comparisons: the other notes stay
    last = make_results()
    last["systems"] = ["cand", "other", "base"]
    last["comparisons"]["cand"]["rouge.rouge1"] = {**_comparison(0.04, False), "n": 1}
    assert SINGLE_PAIR_NOTE in to_markdown(build_table(last))


def test_a_mean_over_fewer_examples_than_the_row_says_so() -> None:
    results = make_results(comparisons=False)
    results["results"]["base"]["rouge.rouge1"] = _agg(0.40, n=4)  # 6 without a reference
    text = to_markdown(build_table(results))
    assert "| base | 10 | 0 | **0.400 ± 0.010 (n=4)** | 30.000 ± 2.000 |" in text
    assert "(n=K): the mean is over K examples, fewer than the row's n" in text
    assert "(n=" not in to_markdown(build_table(make_results(comparisons=False)))


def test_a_mean_that_leaves_out_failed_or_errored_examples_is_never_best() -> None:
    results = make_results(comparisons=False)
    results["failures"]["cand"] = 0
    assert build_table(results).rows[1].cells["rouge.rouge1"].best  # cand: complete, highest
    results["empty_summaries"] = {"cand": ["x"]}
    assert not build_table(results).rows[1].cells["rouge.rouge1"].best
    del results["empty_summaries"]
    results["metric_errors"] = {"cand": [{"example_id": "x", "metric": "rouge", "error": "e"}]}
    table = build_table(results)
    assert not table.rows[1].cells["rouge.rouge1"].best and table.rows[0].cells["rouge.rouge1"].best
    results["metric_errors"] = {"cand": [{"example_id": "x", "metric": "length", "error": "e"}]}
    assert build_table(results).rows[1].cells["rouge.rouge1"].best  # another metric's error


def test_the_failures_column_counts_empty_summaries() -> None:
    # As `harness run`'s exit 4 and `harness check` count them: a column of 0 beside
    # a †19 mean would say the system failed nothing.
    results = make_results(comparisons=False)
    results["empty_summaries"] = {"cand": ["y", "z"]}
    table = build_table(results)
    assert [row.failures for row in table.rows] == [0, 3, 0]
    assert "| cand | 10 | 3 | 0.441 ± 0.010 †3 |" in to_markdown(table)
    rows = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert [row["failures"] for row in rows] == ["0", "3", "0"]


def test_markdown_keeps_first_table_and_adds_differences() -> None:
    plain = to_markdown(build_table(make_results(comparisons=False)))
    text = to_markdown(build_table(make_results()))
    first_table = plain.split("\n\n")[1]
    assert first_table in text
    section = text.split("## vs base\n", 1)[1]
    lines = section.strip().splitlines()
    assert lines[0] == "| system | n | rouge.rouge1 ↑ | length.words |"
    assert lines[2] == "| cand | 10 | +0.041 [0.011, 0.071]* | +1.000 [0.970, 1.030] |"
    assert lines[3] == "| other | 10 | -0.050 [-0.080, -0.020]* | — |"
    assert not any(line.startswith("| base |") for line in lines)
    legend = next(line for line in lines if line.startswith("Paired difference"))
    assert "`base`" in legend and "Holm" in legend and "α = 0.05" in legend
    # the value descriptions still close the report
    assert text.rstrip().endswith("| length.words | w |")


def test_csv_without_comparisons_is_unchanged() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(build_table(make_results(comparisons=False))))))
    assert rows[0] == [
        "system",
        "failures",
        "rouge.rouge1",
        "rouge.rouge1.ci95",
        "rouge.rouge1.n",
        "length.words",
        "length.words.ci95",
        "length.words.n",
    ]


@pytest.mark.parametrize(("confidence", "name"), [(0.5, "ci50"), (0.9, "ci90"), (0.999, "ci99.9")])
def test_csv_names_the_interval_after_its_level(confidence: float, name: str) -> None:
    results = make_results(comparisons=False) | {"confidence": confidence}
    header = next(csv.reader(io.StringIO(to_csv(build_table(results)))))
    assert header[3] == f"rouge.rouge1.{name}" and not any("ci95" in h for h in header)


def test_csv_gains_diff_and_holm_columns() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(build_table(make_results())))))
    header = list(rows[0])
    assert header[:8] == [
        "system",
        "failures",
        "rouge.rouge1",
        "rouge.rouge1.ci95",
        "rouge.rouge1.n",
        "length.words",
        "length.words.ci95",
        "length.words.n",
    ]
    assert header[8:] == [
        "rouge.rouge1.diff",
        "rouge.rouge1.p_holm",
        "length.words.diff",
        "length.words.p_holm",
    ]
    by_system = {row["system"]: row for row in rows}
    assert by_system["base"]["rouge.rouge1.diff"] == ""
    assert float(by_system["cand"]["rouge.rouge1.diff"]) == pytest.approx(0.0412)
    assert float(by_system["cand"]["rouge.rouge1.p_holm"]) == pytest.approx(0.004)
    assert by_system["other"]["length.words.diff"] == ""
    assert by_system["other"]["length.words"] == ""


def test_build_table_reads_comparisons_and_tolerates_missing_keys() -> None:
    results = make_results()
    results["comparisons"]["cand"]["rouge.rouge1"] = {"n": 3, "diff": None}
    results["comparisons"]["cand"]["no.such.value"] = _comparison(1.0, True)
    table = build_table(results)
    assert table.baseline == "base" and table.alpha == 0.05 and table.has_comparisons
    cand = next(row for row in table.rows if row.system == "cand")
    assert set(cand.comparisons) == {"rouge.rouge1", "length.words"}
    assert cand.comparisons["rouge.rouge1"] == Comparison(
        3, None, None, None, None, None, False, 0, 0, 0
    )
    assert "—" in to_markdown(table)


def test_alpha_falls_back_to_argument() -> None:
    results = make_results()
    del results["alpha"]
    assert build_table(results, alpha=0.01).alpha == 0.01
    assert "α = 0.01" in to_markdown(build_table(results, alpha=0.01))
    assert "the run's α" in to_markdown(build_table(results))


@pytest.mark.parametrize(
    ("diff", "significant", "expected"),
    [
        (0.0412, True, "+0.041 [0.011, 0.071]*"),
        (-0.2, False, "-0.200 [-0.230, -0.170]"),
        (0.0, False, "+0.000 [-0.030, 0.030]"),
        (-0.0, False, "+0.000 [-0.030, 0.030]"),
        (250.0, True, "+250.0 [250.0, 250.0]*"),
    ],
)
def test_format_comparison(diff: float, significant: bool, expected: str) -> None:
    comparison = Comparison(5, diff, diff - 0.03, diff + 0.03, 0.1, 0.1, significant, 1, 1, 1)
    assert format_comparison(comparison) == expected


def test_format_diff_none() -> None:
    assert format_diff(None) == "—"


# names from the data are escaped ----------------------------------------------------------
HOSTILE = [
    "a|b",
    "<img src=x onerror=alert(1)>",
    "two\nlines",
    "cr\r\nlf",
    "ls\u2028ps\u2029nel\x85",
    "back\\|slash",
    "[/]",
    "[red]x",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a|b", "a\\|b"),
        ("<b>&amp;</b>", "&lt;b&gt;&amp;amp;&lt;/b&gt;"),
        ("two\nlines\r\nand\rmore", "two<br>lines<br>and<br>more"),
        ("a\u2028b\u2029c\x85d\x0be\x0cf\x1cg", "a<br>b<br>c<br>d<br>e<br>f<br>g"),
        ("back\\|slash", "back\\\\\\|slash"),
        ("plain name_1 *x*", "plain name_1 *x*"),
    ],
)
def test_escape_markdown(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


def _hostile_results() -> dict[str, Any]:
    results = make_results()
    renames = dict(zip(["base", "cand", "other"], HOSTILE[:3], strict=True))
    results["name"] = "run <b>|</b>\nname"
    results["systems"] = [renames[name] for name in results["systems"]] + HOSTILE[3:]
    for key in ("failures", "errors", "results", "comparisons"):
        results[key] = {renames.get(name, name): value for name, value in results[key].items()}
    for name in HOSTILE[3:]:
        results["failures"][name] = 0
        results["results"][name] = results["results"][HOSTILE[0]]
    results["baseline"] = HOSTILE[0]
    return results


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def test_markdown_escapes_hostile_names() -> None:
    text = to_markdown(build_table(_hostile_results()))
    lines = text.split("\n")
    assert lines[0] == "# run &lt;b&gt;\\|&lt;/b&gt;<br>name"
    rows = [line for line in lines if line.startswith("| ") and "±" in line]
    assert [_cells(row)[0] for row in rows] == [escape_markdown(name) for name in HOSTILE]
    assert all(len(_cells(row)) == 5 for row in rows)
    differences = text.split("## vs a\\|b\n", 1)[1]
    assert "| &lt;img src=x onerror=alert(1)&gt; | 10 | +0.041" in differences
    assert "Paired difference from the baseline `a|b` " in differences
    assert "<img" not in text and "\u2028" not in text and "\r" not in text


def test_markdown_code_span_survives_backticks_and_breaks() -> None:
    assert markdown_code("x") == "`x`"
    assert markdown_code("a``b\nc") == "```a``b c```"
    assert markdown_code("`edge`") == "`` `edge` ``"


def test_terminal_table_shows_names_that_look_like_markup() -> None:
    console = Console(width=200, record=True, color_system=None)
    console.print(to_rich(build_table(_hostile_results())))
    shown = console.export_text()
    assert "[/]" in shown and "[red]x" in shown
    assert "run <b>|</b>" in shown


def test_terminal_table_shows_a_trailing_backslash_once() -> None:
    # rich's markup escape() doubled it: a name ending in one backslash showed two
    results = make_results()
    results["name"] = "run\\"
    results["systems"] = ["base\\", *results["systems"][1:]]
    for key in ("failures", "errors", "results", "comparisons"):
        results[key] = {("base\\" if k == "base" else k): v for k, v in results[key].items()}
    results["baseline"] = "base\\"
    console = Console(width=200, record=True, color_system=None)
    console.print(to_rich(build_table(results)))
    shown = console.export_text()
    assert "run\\ — " in shown and "base\\ " in shown
    assert "\\\\" not in shown


# --- what a table shows: the `report:` choice (`select`) ---------------------------------


def _choose(**keys: Any) -> Any:
    from harness.config import ReportConfig
    from harness.report.table import select

    return select(build_table(make_results()), ReportConfig(**keys), "run/config.yaml")


def test_a_labelled_baseline_is_named_by_its_label() -> None:
    # "vs base" over rows that show only "Base line": no row named what the text names
    from harness.report import to_latex

    table = _choose(labels={"base": "Base line"})
    markdown = to_markdown(table)
    assert "## vs Base line\n" in markdown
    assert "Paired difference from the baseline `Base line` " in markdown
    assert r"the baseline \emph{Base line} " in to_latex(table)


def _markdown_rows(markdown: str) -> list[list[str]]:
    table = markdown.split("\n\n", 2)[1]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]


def test_choice_picks_and_orders_values_and_systems() -> None:
    table = _choose(values=["length.words", "rouge.rouge1"], systems=["other", "base"])
    assert [column.name for column in table.columns] == ["length.words", "rouge.rouge1"]
    assert [row.system for row in table.rows] == ["other", "base"]
    rows = _markdown_rows(to_markdown(table))
    assert rows[0] == ["system", "n", "failures", "length.words", "rouge.rouge1 ↑"]
    # cand (the best rouge of the run) is not shown: bold goes to the best of the rows shown
    assert rows[2][0] == "other" and rows[3][0] == "base"
    assert rows[3][4] == "**0.400 ± 0.010**" and rows[2][4] == "0.350 ± 0.010"
    assert [line.split(",")[0] for line in to_csv(table).splitlines()] == [
        "system",
        "other",
        "base",
    ]
    assert to_csv(table).splitlines()[0].startswith("system,failures,length.words,")


def test_choice_labels_digits_and_means_only() -> None:
    table = _choose(
        labels={"rouge.rouge1": "R-1", "cand": "Candidate", "rouge": "ROUGE"},
        digits={"rouge.rouge1": 2},
        ci=False,
    )
    markdown = to_markdown(table)
    rows = _markdown_rows(markdown)
    assert rows[0] == ["system", "n", "failures", "R-1 ↑", "length.words"]
    assert rows[3] == ["Candidate", "10", "1", "0.44 †1", "31.000 †1"]  # a failure: never best
    assert markdown.split("\n\n", 3)[2].startswith("Mean over 10 examples")
    assert "| R-1 (rouge.rouge1) | R1 |" in markdown
    # the differences from the baseline follow the value's digits
    assert "| Candidate | 10 | +0.04 [0.01, 0.07]* | +1.000 [0.970, 1.030] |" in markdown
    # the CSV keeps the names other tools join on, and full precision
    assert to_csv(table).splitlines()[2].startswith("cand,1,0.441,0.01,10,")
    assert table.metric_labels == {"rouge": "ROUGE"}


def test_choice_without_significance_drops_the_comparisons() -> None:
    table = _choose(significance=False)
    assert not table.has_comparisons
    markdown = to_markdown(table)
    assert "## vs" not in markdown and "*" not in markdown.replace("**", "")
    assert ".p_holm" not in to_csv(table)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (
            {"values": ["rouge.rouge2"]},
            "run/config.yaml: report.values[0]: 'rouge.rouge2' is not a value of this run; "
            "did you mean 'rouge.rouge1'? values: rouge.rouge1, length.words",
        ),
        (
            {"systems": ["base", "cnad"]},
            "run/config.yaml: report.systems[1]: 'cnad' is not a system of this run; "
            "did you mean 'cand'?",
        ),
        ({"systems": ["base", "base"]}, "report.systems[1]: 'base' is listed twice"),
        (
            {"labels": {"rouge.rogue1": "R-1"}},
            "report.labels: 'rouge.rogue1' is not a value, system or metric of this run; "
            "did you mean 'rouge.rouge1'?",
        ),
        (
            {"digits": {"lenght.words": 1}},
            "report.digits: 'lenght.words' is not a value of this run; "
            "did you mean 'length.words'?",
        ),
        (
            {"labels": {"base": "cand"}},
            "report.labels: 'base' and 'cand' would both be shown as 'cand'",
        ),
        (
            {"labels": {"rouge.rouge1": "Score", "length.words": "Score"}},
            "report.labels: 'rouge.rouge1' and 'length.words' would both be shown as 'Score'",
        ),
        ({"labels": {"base": " "}}, "report.labels: 'base' has an empty label"),
    ],
)
def test_choice_names_are_checked_with_did_you_mean(keys: dict[str, Any], message: str) -> None:
    from harness.errors import ConfigError

    with pytest.raises(ConfigError) as error:
        _choose(**keys)
    assert message in error.value.message


def test_report_config_rejects_bad_digits_and_unknown_keys() -> None:
    from pydantic import ValidationError

    from harness.config import ReportConfig

    with pytest.raises(ValidationError, match="between 0 and 10"):
        ReportConfig(digits={"rouge.rouge1": 11})
    with pytest.raises(ValidationError, match="Extra inputs"):
        ReportConfig.model_validate({"colums": ["rouge.rouge1"]})
    with pytest.raises(ValidationError):
        ReportConfig.model_validate({"ci": "yes"})


def test_terminal_table_shows_labels_and_chosen_digits() -> None:
    console = Console(width=120, record=True)
    console.print(to_rich(_choose(labels={"rouge.rouge1": "R-1", "rouge": "ROUGE"}, digits=1)))
    text = console.export_text()
    assert "ROUGE" in text and "R-1 ↑" in text and "0.4 ± 0.0" in text and "0.400" not in text


def test_a_difference_over_one_pair_is_shown_and_said_to_have_no_test() -> None:
    results = make_results()
    for comparisons in results["comparisons"].values():
        for comparison in comparisons.values():
            comparison |= {
                "n": 1,
                "ci_low": None,
                "ci_high": None,
                "p_value": None,
                "p_holm": None,
                "significant": False,
            }
    text = to_markdown(build_table(results))
    diff = results["comparisons"]["cand"]["rouge.rouge1"]["diff"]
    assert f"| cand | 1 | {format_diff(diff)} |" in text
    assert SINGLE_PAIR_NOTE in text and "smallest p-value" not in text


def test_names_in_the_legend_notes_are_escaped() -> None:
    # the Holm note names a system: "<b>" from its name would open bold text
    results = make_results()
    results["alpha"] = 0.003
    evil = "c<b>x</b>|\\"
    results["systems"] = ["base", evil, "other"]
    results["results"][evil] = results["results"].pop("cand")
    results["comparisons"][evil] = results["comparisons"].pop("cand")
    results["failures"][evil] = results["failures"].pop("cand")
    legend = to_markdown(build_table(results)).split("## vs base")[1].split("| value |")[0]
    assert f"values of {escape_markdown(evil)}, no p-value" in legend
    assert "<b>" not in legend


@pytest.mark.parametrize(("confidence", "shown"), [(0.999, "99.9%"), (0.975, "97.5%")])
def test_legends_name_the_confidence_level_as_it_is(confidence: float, shown: str) -> None:
    # ".0%" wrote 0.999 as "100%" and 0.975 as "97%", beside the CSV's ci99.9 column
    from harness.report import to_html

    results = make_results() | {"confidence": confidence}
    table = build_table(results)
    markdown = to_markdown(table)
    assert f"half-width of the {shown} bootstrap" in markdown
    assert f"with its {shown} confidence interval" in markdown
    console = Console(width=200, record=True)
    console.print(to_rich(table))
    assert f"mean ± {shown} CI half-width" in console.export_text()
    html = to_html(table, examples=[], outputs=[], scores=[], plots={})
    assert f"half-width of the {shown} bootstrap" in html
    assert f"with its {shown} confidence interval" in html
    assert "100% " not in markdown + html


def test_a_labelled_baseline_left_out_of_the_rows_is_named_by_its_label() -> None:
    from harness.report import to_html, to_latex

    table = _choose(labels={"base": "Base line"}, systems=["cand", "other"])
    markdown = to_markdown(table)
    assert "## vs Base line\n" in markdown and "`Base line`" in markdown
    assert r"the baseline \emph{Base line} " in to_latex(table)
    html = to_html(table, examples=[], outputs=[], scores=[], plots={})
    assert "vs Base line" in html and "vs base" not in html
