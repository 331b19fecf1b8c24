"""The meta-evaluation table in report.md and the terminal."""

from __future__ import annotations

import copy
from typing import Any

from rich.console import Console

from harness.report.meta import build_meta_table, meta_markdown, meta_rich
from harness.report.table import build_table
from harness.report.tables import to_markdown


def _results(meta: dict[str, Any] | None) -> dict[str, Any]:
    cell = {"mean": 0.5, "ci_low": 0.4, "ci_high": 0.6, "ci_half_width": 0.1, "n": 10, "nulls": 0}
    return {
        "name": "labelled",
        "n_examples": 10,
        "systems": ["given"],
        "values": {"consistency.score": {"higher_is_better": True, "description": "d"}},
        "results": {"given": {"consistency.score": cell}},
        "failures": {"given": 0},
        "meta_eval": meta,
    }


BINARY = {
    "kind": "binary",
    "split_field": "split",
    "dev_split": "evaluation",
    "threshold_on": "dev",
    "confidence": 0.95,
    "systems": {
        "given": {
            "consistency.score": {
                "n": 10,
                "n_test": 7,
                "roc_auc": {"value": 0.61234, "ci_low": 0.5, "ci_high": 0.7},
                "balanced_accuracy": {"value": None, "ci_low": None, "ci_high": None},
            }
        }
    },
}


def test_binary_meta_table_in_markdown() -> None:
    text = to_markdown(build_table(_results(BINARY)))
    assert "## Meta-evaluation against human labels" in text
    assert "| given | consistency.score | 7 | 0.612 [0.500, 0.700] | — |" in text
    assert "threshold chosen on split == 'evaluation'" in text


def test_continuous_meta_table_and_terminal() -> None:
    meta = {
        "kind": "continuous",
        "systems": {
            "given": {
                "consistency.score": {
                    "n": 9,
                    "pearson": {"value": 0.45, "ci_low": 0.3, "ci_high": 0.6},
                    "spearman": {"value": 0.5},
                    "kendall": {"value": 0.4, "ci_low": 0.2, "ci_high": 0.55},
                }
            }
        },
    }
    table = build_meta_table(_results(meta))
    assert table is not None
    lines = meta_markdown(table)
    assert (
        "| given | consistency.score | 9 | 0.450 [0.300, 0.600] | 0.500 | 0.400 [0.200, 0.550] |"
        in lines
    )
    console = Console(width=100, record=True)
    console.print(meta_rich(table))
    output = console.export_text()
    assert "0.450 [0.30,0.60]" in output and "Pearson" in output


def test_why_a_statistic_is_missing_is_said() -> None:
    # a "—" or a value without brackets, with results.json's reason beside it in report.md
    assert "Why a statistic" not in to_markdown(build_table(_results(BINARY)))
    meta = copy.deepcopy(BINARY)
    entry = meta["systems"]["given"]["consistency.score"]
    entry["reason"] = (
        "no threshold: the examples with split == 'evaluation' (3 with a value) "
        "do not hold both labels 0 and 1"
    )
    meta["systems"]["given"]["numbers.precision"] = {**entry, "n_test": 2}
    text = to_markdown(build_table(_results(meta)))
    assert "Why a statistic is missing (—) or has no interval:" in text
    assert (
        "- given consistency.score, given numbers.precision: no threshold: the examples with "
        "split == 'evaluation' (3 with a value) do not hold both labels 0 and 1"
    ) in text
    table = build_meta_table(_results(meta))
    assert table is not None
    console = Console(width=100, record=True)
    console.print(meta_rich(table))
    assert "report.md says why" in " ".join(console.export_text().split())


def test_no_labels_no_meta_section() -> None:
    assert build_meta_table(_results(None)) is None
    assert "Meta-evaluation" not in to_markdown(build_table(_results(None)))


def test_report_html_has_the_meta_table_with_its_reasons() -> None:
    # Before, the meta-evaluation was in report.md and the terminal only: a reader
    # of report.html never saw how the scores agree with the human labels.
    from harness.report.html import to_html

    meta = copy.deepcopy(BINARY)
    meta["systems"]["given"]["consistency.score"]["reason"] = "<only one class> in test"
    page = to_html(build_table(_results(meta)), examples=[], outputs=[], scores=[], plots={})
    assert '<h2 id="meta">Meta-evaluation against human labels</h2>' in page
    assert '<a href="#meta">Meta-evaluation</a>' in page
    assert "<td>0.612 [0.500, 0.700]</td><td>—</td>" in page
    assert "threshold chosen on split == &#39;evaluation&#39;" in page
    assert "<li>given consistency.score: &lt;only one class&gt; in test</li>" in page
    plain = to_html(build_table(_results(None)), examples=[], outputs=[], scores=[], plots={})
    assert 'id="meta"' not in plain


def test_labels_name_the_systems_and_values_of_the_meta_table() -> None:
    from harness.config import ReportConfig
    from harness.report import to_html
    from harness.report.table import select

    meta = copy.deepcopy(BINARY)
    meta["systems"]["given"]["consistency.score"]["reason"] = "too few labels"
    labels = {"given": "Human|edited", "consistency.score": "Faithful"}
    table = select(build_table(_results(meta)), ReportConfig(labels=labels), "config.yaml")
    text = to_markdown(table).split("## Meta-evaluation")[1].split("| value | description |")[0]
    assert "| Human\\|edited | Faithful | 7 | 0.612 [0.500, 0.700] | — |" in text
    assert "- Human\\|edited Faithful: too few labels" in text
    assert "given" not in text and "consistency.score" not in text
    console = Console(width=200, record=True)
    assert table.meta is not None
    console.print(meta_rich(table.meta))
    shown = console.export_text()
    assert "(Human|edited)" in shown and "Faithful" in shown and "consistency.score" not in shown
    page = to_html(table, examples=[], outputs=[], scores=[], plots={})
    meta_part = page[page.index('id="meta-table"') : page.index('<h2 id="examples">')]
    assert "<td>Human|edited</td><td><code>Faithful</code></td>" in meta_part
    assert "Human|edited Faithful: too few labels" in meta_part


def test_meta_systems_without_values_give_no_table() -> None:
    assert build_meta_table(_results({"kind": "binary", "systems": {"given": {}}})) is None
