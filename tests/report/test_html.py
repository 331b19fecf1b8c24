"""report.html at string level: escaping, self-containment, CSP, finding spans; render_reports."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from harness.records import Example, Output, Score
from harness.report import build_table, render_reports, to_html, to_markdown
from harness.report.html import json_for_script, normalize_finding, page_data
from harness.report.table import SINGLE_PAIR_NOTE, too_few_pairs_note
from harness.store import RunDir

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PAYLOAD = f"Two died. {SCRIPT}{IMG} </script><!--<script>"
EVIL_SYSTEM = f"sys{IMG}"


def _agg(mean: float) -> dict[str, Any]:
    return {"mean": mean, "ci_low": mean - 0.1, "ci_high": mean + 0.1, "ci_half_width": 0.1}


def _results(*, comparisons: bool = True) -> dict[str, Any]:
    systems = ["base", EVIL_SYSTEM]
    results: dict[str, Any] = {
        "name": f"run {SCRIPT}",
        "confidence": 0.95,
        "n_examples": 2,
        "systems": systems,
        "values": {
            "length.words": {
                "metric": "length",
                "higher_is_better": None,
                "description": f"words {IMG}",
            }
        },
        "failures": {"base": 1, EVIL_SYSTEM: 0},
        "results": {
            "base": {"length.words": _agg(3.0) | {"n": 1, "nulls": 1}},
            EVIL_SYSTEM: {"length.words": _agg(5.0) | {"n": 2, "nulls": 0}},
        },
    }
    if comparisons:
        results |= {
            "baseline": "base",
            "alpha": 0.05,
            "comparisons": {
                EVIL_SYSTEM: {
                    "length.words": {
                        "n": 1,
                        "diff": 2.0,
                        "ci_low": 1.0,
                        "ci_high": 3.0,
                        "p_value": 0.01,
                        "p_holm": 0.01,
                        "significant": True,
                        "wins": 1,
                        "ties": 0,
                        "losses": 0,
                    }
                }
            },
        }
    return results


def _records() -> tuple[list[Example], list[Output], list[Score]]:
    source = f"Three died in the {SCRIPT} flood."
    examples = [
        Example(id=f"ex{IMG}", source=source, references=(f"ref {SCRIPT}",), meta={"k": IMG}),
        Example(id="ok", source="Nothing happened."),
    ]
    outputs = [
        Output(example_id=f"ex{IMG}", system=EVIL_SYSTEM, summary=PAYLOAD),
        Output(example_id=f"ex{IMG}", system="base", summary=None, error=f"crash {SCRIPT}"),
        Output(example_id="ok", system="base", summary="Nothing."),
        Output(example_id="ok", system=EVIL_SYSTEM, summary="Calm."),
    ]
    finding = {
        "kind": "number",
        "text": "Two",
        "status": "unsupported",
        "span": [0, 3],
        "source_span": [0, 5],
        "evidence": f"source says {IMG}",
        "reason": SCRIPT,
    }
    scores = [
        Score(
            example_id=f"ex{IMG}",
            system=EVIL_SYSTEM,
            metric="length",
            values={"words": 5.0},
            findings=[finding],
        ),
        Score(
            example_id=f"ex{IMG}",
            system="base",
            metric="length",
            values={"words": None},
            reason="generation failed",
        ),
    ]
    return examples, outputs, scores


def _html(*, comparisons: bool = True) -> str:
    examples, outputs, scores = _records()
    plots = {"plots/length.png": b"\x89PNG fake", "plots/length_distribution.png": b"\x89PNG"}
    return to_html(
        build_table(_results(comparisons=comparisons)),
        examples=examples,
        outputs=outputs,
        scores=scores,
        plots=plots,
    )


def _data_block(html: str) -> str:
    match = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', html, re.DOTALL
    )
    assert match is not None
    return match.group(1)


def test_payloads_never_appear_unescaped() -> None:
    html = _html()
    for raw in (SCRIPT, IMG, "</script><!--", "<!--<script>"):
        assert raw not in html
    # only the page's own elements: two scripts, data: images, no event-handler attributes
    assert len(re.findall(r"<script\b", html)) == 2
    tags = [re.sub(r'"[^"]*"', '""', tag) for tag in re.findall(r"<[A-Za-z][^>]*>", html)]
    assert not [tag for tag in tags if re.search(r"\son\w+\s*=", tag)]
    assert all(
        img.startswith('<img src="data:image/png;base64,')
        for img in re.findall(r"<img\b[^>]*>", html)
    )
    # outside the JSON block, data shows up only HTML-escaped (run name, system, error, ...)
    outside = html.replace(_data_block(html), "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outside
    assert "&lt;img src=x onerror=alert(1)&gt;" in outside


def test_data_block_round_trips() -> None:
    block = _data_block(_html())
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    [example, _] = data["examples"]
    assert example["id"] == f"ex{IMG}"
    output = example["outputs"][EVIL_SYSTEM]
    assert output["summary"] == PAYLOAD
    assert output["findings"][0]["evidence"] == f"source says {IMG}"
    assert output["findings"][0]["span"] == [0, 3] and output["findings"][0]["flagged"]
    assert example["outputs"]["base"]["error"] == f"crash {SCRIPT}"
    assert example["outputs"]["base"]["reasons"] == {"length": "generation failed"}


def test_json_for_script() -> None:
    text = json_for_script({"a": "</script><!-- & >", "nan": float("nan"), "t": (1, 2)})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & >", "nan": None, "t": [1, 2]}


def test_self_contained_with_strict_csp() -> None:
    html = _html()
    for attribute in re.findall(r'\b(?:src|href)="([^"]*)"', html):
        assert attribute.startswith(("data:image/png;base64,", "#")), attribute
    assert "http://" not in html and "https://" not in html and "@import" not in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert csp is not None and "default-src 'none'" in csp.group(1)
    script = re.search(r"<script>(.*?)</script>", html, re.DOTALL)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp.group(1)
    assert "innerHTML" not in script.group(1) and "insertAdjacentHTML" not in script.group(1)
    assert 'src="data:image/png;base64,' + base64.b64encode(b"\x89PNG fake").decode() in html


def test_tables_and_failures_in_page() -> None:
    html = _html()
    assert 'id="results-table"' in html and 'id="versus-table"' in html
    assert "+2.000 [1.000, 3.000]*" in html
    assert 'class="open-example"' in html and "crash &lt;script&gt;" in html
    old = _html(comparisons=False)
    assert 'id="versus-table"' not in old and 'id="results-table"' in old


def test_a_mean_that_leaves_out_failed_examples_is_marked() -> None:
    html = _html(comparisons=False)
    # base failed one generation: its mean is over 1 of the 2 examples
    assert ">3.000 †1</td>" in html
    assert "leaves out 1 example the system failed" in html
    assert "†N = the mean leaves out N examples the system failed" in html
    results = _results(comparisons=False)
    results["failures"]["base"] = 0
    page = to_html(build_table(results), examples=[], outputs=[], scores=[], plots={})
    assert "†" not in page


def test_an_empty_summary_is_a_failed_generation_in_the_table_and_the_failures_list() -> None:
    # harness run (exit 4) and harness check count an empty summary as a failed
    # generation: a page saying "No failed generations" beside its †N would not.
    results = _results(comparisons=False)
    results["failures"]["base"] = 0
    results["empty_summaries"] = {"base": ["ok"], EVIL_SYSTEM: []}
    outputs = [Output(example_id="ok", system="base", summary=" ... ")]
    page = to_html(build_table(results), examples=[], outputs=outputs, scores=[], plots={})
    assert "No failed generations." not in page
    assert "empty summary (no letter or digit)" in page
    assert "· 1 failed generation" in page
    assert build_table(results).rows[0].failures == 1


def test_a_mean_over_fewer_examples_than_the_row_says_so() -> None:
    results = _results(comparisons=False)
    results["values"]["rouge.rouge1"] = {"metric": "rouge", "higher_is_better": True}
    results["results"][EVIL_SYSTEM]["rouge.rouge1"] = _agg(0.4) | {"n": 1, "nulls": 1}
    results["results"]["base"]["rouge.rouge1"] = _agg(0.3) | {"n": 1, "nulls": 1}
    html = to_html(build_table(results), examples=[], outputs=[], scores=[], plots={})
    assert ">0.400 (n=1)</td>" in html
    assert "(n=K) = the mean is over K examples, fewer than the row&#39;s n" in html
    assert "(n=" not in to_html(
        build_table(_results(comparisons=False)), examples=[], outputs=[], scores=[], plots={}
    )


@pytest.mark.parametrize(
    ("finding", "span", "source_span", "note"),
    [
        ({"span": [0, 3], "source_span": [1, 2]}, [0, 3], [1, 2], None),
        ({"span": [0, 99]}, None, None, "summary span [0, 99] is outside the summary"),
        ({"span": [3, 3]}, None, None, "summary span [3, 3] is outside the summary"),
        ({"span": [True, 2]}, None, None, "summary span [True, 2] is outside the summary"),
        ({"span": "0:3"}, None, None, "summary span '0:3' is outside the summary"),
        ({"source_span": [-1, 2]}, None, None, "source span [-1, 2] is outside the source"),
        ({}, None, None, None),
    ],
)
def test_normalize_finding_spans(
    finding: dict[str, Any], span: Any, source_span: Any, note: str | None
) -> None:
    item = normalize_finding(finding, "numbers", "Two died.", "Three")
    assert (item["span"], item["source_span"], item["span_note"]) == (span, source_span, note)


def test_normalize_finding_fields() -> None:
    item = normalize_finding(
        {"span": [4, 8], "status": "Context Mismatch!", "evidence": {"n": 3}, "score": 0.5},
        "numbers",
        "Two died.",
        "",
    )
    assert item["text"] == "died"  # taken from the span when absent
    assert item["css"] == "context-mismatch" and item["flagged"]
    assert item["evidence"] == '{"n": 3}' and item["extra"] == '{"score": 0.5}'
    derived = normalize_finding({"status": "derived"}, "m", "", "")
    assert not derived["flagged"] and derived["status"] == "derived"
    assert normalize_finding({}, "m", "", "")["status"] == "unknown"


def test_page_data_emoji_spans_use_code_points() -> None:
    # Python offsets count code points; the page indexes Array.from(text) the same way.
    summary = "🔥 4,000 homes"
    score = Score(
        example_id="e",
        system="s",
        metric="numbers",
        values={},
        findings=[{"text": "4,000", "status": "unsupported", "span": [2, 7]}],
    )
    data = page_data(
        build_table(_results(comparisons=False)),
        [Example(id="e", source="src")],
        [Output(example_id="e", system="s", summary=summary)],
        [score],
    )
    [finding] = data["examples"][0]["outputs"]["s"]["findings"]
    assert summary[slice(*finding["span"])] == "4,000"
    assert "s" in data["systems"] and "numbers" in data["metrics"]


def test_render_reports_writes_everything(tmp_path: Path) -> None:
    run = RunDir(tmp_path)
    examples, outputs, scores = _records()
    run.write_json("results.json", _results())
    run.write_examples(examples)
    run.write_outputs(outputs)
    run.write_scores(scores)
    table = render_reports(run)
    assert table.baseline == "base"
    for name in ("report.md", "report.csv", "report.tex", "report.html"):
        assert run.file(name).stat().st_size > 0, name
    assert sorted(p.name for p in run.file("plots").iterdir()) == [
        "length.png",
        "length_distribution.png",
    ]
    html = run.file("report.html").read_text(encoding="utf-8")
    assert SCRIPT not in html and "data:image/png;base64," in html
    assert "## vs base" in run.file("report.md").read_text(encoding="utf-8")


def test_render_reports_with_only_results_json(tmp_path: Path) -> None:
    run = RunDir(tmp_path)
    run.write_json("results.json", _results(comparisons=False))
    render_reports(run)
    html = run.file("report.html").read_text(encoding="utf-8")
    assert "has no per-example data" in html
    assert "## vs" not in run.file("report.md").read_text(encoding="utf-8")


def test_findings_shown_as_one_sentence() -> None:
    # A real numbers finding (lead1, nb-001 of the quickstart run): the page shows
    # the sentence; the parse (value, unit, qualifier, ...) is only hover detail.
    finding = {
        "kind": "number",
        "text": "480",
        "span": [9, 12],
        "status": "supported",
        "value": 480.0,
        "high": None,
        "unit": None,
        "quantity_kind": "count",
        "qualifier": "at least",
        "source_span": [9, 12],
        "source_text": "480",
        "evidence": "matches '480' (source sentence 1)",
    }
    text = "At least 480 civilians have been killed."
    item = normalize_finding(finding, "numbers", text, text)
    assert item["sentence"] == "480 (count) matches '480' in source sentence 1."
    data = json.loads(_data_block(_html()))
    [flagged] = data["examples"][0]["outputs"][EVIL_SYSTEM]["findings"]
    assert flagged["sentence"] == f"Two is not backed by the source: source says {IMG}; {SCRIPT}."
    script = re.search(r"<script>(.*?)</script>", _html(), re.DOTALL)
    assert script is not None
    # the findings table's last column is the sentence, not evidence + a JSON dump
    assert '["metric", "kind", "text", "status", "span", "finding"]' in script.group(1)
    assert "f.extra, f.span_note" not in script.group(1)


def _paired(n: int, diff: float | None, *, low: float | None = None) -> dict[str, Any]:
    high = None if low is None else 2 * (diff or 0.0) - low
    p = None if n < 2 else 0.5
    return {
        "n": n,
        "diff": diff,
        "ci_low": low,
        "ci_high": high,
        "p_value": p,
        "p_holm": p,
        "significant": False,
        "wins": 1,
        "ties": 0,
        "losses": n - 1,
    }


def test_too_few_pairs_and_a_single_pair_are_said_as_in_report_md() -> None:
    results = _results()
    results["comparisons"][EVIL_SYSTEM]["length.words"] = _paired(2, 2.0, low=1.5)
    table = build_table(results)
    html = to_html(table, examples=[], outputs=[], scores=[], plots={})
    assert escape(too_few_pairs_note(2, "α")) in html  # autoescaped: ' is &#39;
    assert too_few_pairs_note(2, "α") in to_markdown(table)
    assert escape(SINGLE_PAIR_NOTE) not in html
    results["comparisons"][EVIL_SYSTEM]["length.words"] = _paired(1, 2.0)
    html = to_html(build_table(results), examples=[], outputs=[], scores=[], plots={})
    # the one pair's difference is shown, with why it has no interval and no mark
    assert 'title="no test at n = 1; wins/ties/losses' in html
    assert ">+2.000</td>" in html
    assert escape(SINGLE_PAIR_NOTE) in html and "smallest p-value" not in html


def test_digits_and_ci_choice_apply_to_both_tables_and_the_legend() -> None:
    from harness.config import ReportConfig
    from harness.report.table import select

    results = _results()
    results["comparisons"][EVIL_SYSTEM]["length.words"] |= {
        "diff": 2.123456,
        "ci_low": 1.123456,
        "ci_high": 3.123456,
    }
    chosen = select(build_table(results), ReportConfig(digits=1, ci=False), "config.yaml")
    html = to_html(chosen, examples=[], outputs=[], scores=[], plots={})
    versus = html[html.index('id="versus-table"') :]
    assert ">+2.1 [1.1, 3.1]*</td>" in versus
    assert ">+2.123" not in versus  # (data-sort keeps full precision for sorting)
    results_table = html[html.index('id="results-table"') : html.index('id="versus-table"')]
    assert ">5.0</td>" in results_table and "±" not in results_table
    # the legend says what the cells show: means only, no interval
    legend = html[html.index('<p class="legend">') :]
    assert not legend.startswith('<p class="legend">Mean ± half-width')


def test_labels_name_the_systems_in_the_failures_and_the_drill_down() -> None:
    from harness.config import ReportConfig
    from harness.report.table import select

    labels = {"base": "Base & Co", "length.words": "Words"}
    chosen = select(build_table(_results()), ReportConfig(labels=labels), "config.yaml")
    examples, outputs, scores = _records()
    html = to_html(chosen, examples=examples, outputs=outputs, scores=scores, plots={})
    failures = html[html.index('<table class="failures">') :]
    assert "<td>Base &amp; Co</td>" in failures and "<td>base</td>" not in failures
    data = json.loads(_data_block(html))
    assert data["shown"] == {"base": "Base & Co", EVIL_SYSTEM: EVIL_SYSTEM}
    assert data["values"][0]["shown"] == "Words"
    assert data["systems"] == ["base", EVIL_SYSTEM]  # the keys stay the names


def test_the_values_list_names_each_label_with_its_value() -> None:
    # as report.md's "label (name)": a reader can tell which value a labelled column is
    from harness.config import ReportConfig
    from harness.report.table import select

    labels = {"length.words": "Words <n>"}
    chosen = select(build_table(_results()), ReportConfig(labels=labels), "config.yaml")
    html = to_html(chosen, examples=[], outputs=[], scores=[], plots={})
    values = html[html.index('<h2 id="values">') :]
    assert "<td>Words &lt;n&gt; (<code>length.words</code>)</td>" in values
    plain = to_html(build_table(_results()), examples=[], outputs=[], scores=[], plots={})
    assert "<td><code>length.words</code></td>" in plain[plain.index('<h2 id="values">') :]
