"""Findings as one sentence each (report.html's drill-down, report.md's section).

The findings below are copied from real runs' scores.jsonl (`harness run
configs/quickstart.yaml`: the extractive baselines, the SmolLM2 summaries, and
the reference briefs of the earlier quickstart for the derived number).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.metric.consistency import negation_mismatches
from harness.records import Example, Output, Score
from harness.report import render_reports
from harness.report.findings import describe_finding, flagged_findings_markdown
from harness.report.table import build_table
from harness.store import RunDir
from harness.text.alignment import (
    prefix_antonyms,
    substitutions,
    unsupported_times,
    unsupported_weekdays,
)

# (finding as in scores.jsonl, the sentence a person reads)
REAL_FINDINGS: list[tuple[dict[str, Any], str]] = [
    (  # lead1 nb-001, numbers
        {
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
        },
        "480 (count) matches '480' in source sentence 1.",
    ),
    (  # reference nb-012, numbers
        {
            "kind": "number",
            "text": "May 5 and 12",
            "span": [232, 244],
            "status": "supported",
            "value": 505.0,
            "high": 512.0,
            "unit": "day",
            "quantity_kind": "date",
            "qualifier": None,
            "source_span": [603, 670],
            "source_text": "May 5 and 12 May",
            "evidence": "source gives both ends: 'May 5' and '12 May' (source sentence 5)",
        },
        "May 5 and 12 (date, day): the source gives both ends, 'May 5' and '12 May',"
        " in source sentence 5.",
    ),
    (  # reference nb-031, numbers
        {
            "kind": "number",
            "text": "£70m",
            "span": [155, 159],
            "status": "derived",
            "value": 70000000.0,
            "high": None,
            "unit": "GBP",
            "quantity_kind": "money",
            "qualifier": None,
            "source_span": [145, 180],
            "source_text": "£62m + £8m",
            "evidence": "£62m + £8m = £70m (source sentence 1)",
        },
        "£70m (money, GBP) is derived from source figures: £62m + £8m = £70m,"
        " in source sentence 1.",
    ),
    (  # lead1 nb-001, entities
        {
            "kind": "entity",
            "text": "El Fasher",
            "span": [115, 124],
            "label": "ORG",
            "status": "supported",
            "source_span": [115, 124],
            "source_text": "El Fasher",
            "rule": "exact",
            "evidence": "'El Fasher' is in the source as 'El Fasher' (ORG)",
        },
        "'El Fasher' is in the source as 'El Fasher' (ORG).",
    ),
    (  # lead1 nb-002, entities
        {
            "kind": "entity",
            "text": "Kharkiv Oblast",
            "span": [113, 127],
            "label": "NAME",
            "status": "supported",
            "source_span": [113, 127],
            "source_text": "Kharkiv Oblast",
            "rule": "source-text",
            "evidence": "'Kharkiv Oblast' occurs in the source text at 113 (the source's NER did"
            " not tag it there)",
        },
        "'Kharkiv Oblast' is in the source text (where the name tagger missed it).",
    ),
    (  # lead1 nb-008, entities
        {
            "kind": "entity",
            "text": "ANEPC",
            "span": [237, 242],
            "label": "NAME",
            "status": "supported",
            "source_span": [186, 235],
            "source_text": "National Emergency and Civil Protection Authority",
            "rule": "acronym",
            "evidence": "the source introduces 'ANEPC' as the acronym of 'National Emergency"
            " and Civil Protection Authority' (ORG)",
        },
        "'ANEPC' is backed by the source: the source introduces 'ANEPC' as the acronym of"
        " 'National Emergency and Civil Protection Authority' (ORG).",
    ),
    (  # reference nb-023, entities
        {
            "kind": "entity",
            "text": "Taras Gritsenko",
            "span": [170, 185],
            "label": "PERSON",
            "status": "supported",
            "source_span": [677, 692],
            "source_text": "Taras Hrytsenko",
            "rule": "transliteration",
            "evidence": "'Taras Gritsenko' matches the source's 'Taras Hrytsenko' (PERSON) as a"
            " spelling variant (gritsenko ~ hrytsenko)",
        },
        "'Taras Gritsenko' matches the source's 'Taras Hrytsenko' (PERSON) as a spelling"
        " variant (gritsenko ~ hrytsenko).",
    ),
    (  # smollm2 nb-006, numbers
        {
            "kind": "number",
            "text": "99",
            "span": [167, 169],
            "status": "unsupported",
            "value": 99.0,
            "high": None,
            "unit": None,
            "quantity_kind": "count",
            "qualifier": None,
            "source_span": [1886, 1889],
            "source_text": "110",
            "evidence": "no quantity of 99 (count) in the source; closest: 110 (people, killed)"
            " (source sentence 12)",
        },
        "99 (count) is in no source sentence; the closest is 110 (people, killed),"
        " in source sentence 12.",
    ),
    (  # smollm2 nb-006, numbers
        {
            "kind": "number",
            "text": "1.2 million",
            "span": [95, 106],
            "status": "context_mismatch",
            "value": 1200000.0,
            "high": None,
            "unit": None,
            "quantity_kind": "count",
            "qualifier": None,
            "source_span": [92, 103],
            "source_text": "1.2 million",
            "evidence": "source says 1.2 million affected, not displaced (source sentence 1)",
        },
        "1.2 million (count) is in the source, but for something else: source says 1.2 million"
        " affected, not displaced, in source sentence 1.",
    ),
    (  # smollm2 nb-017, numbers
        {
            "kind": "number",
            "text": "1,640",
            "span": [323, 328],
            "status": "context_mismatch",
            "value": 1640.0,
            "high": None,
            "unit": None,
            "quantity_kind": "count",
            "qualifier": None,
            "source_span": [986, 991],
            "source_text": "1,640",
            "evidence": "in the source 1,640 is the earlier value of a comparison, not the current"
            " one (source sentence 6)",
        },
        "1,640 (count) is in the source, but for something else: in the source 1,640 is the"
        " earlier value of a comparison, not the current one, in source sentence 6.",
    ),
    (  # smollm2 nb-006 as first shipped (cut off mid-name at 120 tokens), entities
        {
            "kind": "entity",
            "text": "Jogen Bar",
            "span": [510, 519],
            "label": "PERSON",
            "status": "unsupported",
            "source_span": None,
            "source_text": None,
            "rule": None,
            "evidence": "'Jogen Bar' (PERSON) is not in the source; closest source entity"
            " 'Jogen Baruah' (PERSON) differs: the summary's 'bar' has no counterpart in the"
            " source name (only 'jogen' matches)",
        },
        "'Jogen Bar' (PERSON) is in no source sentence; closest source entity 'Jogen Baruah'"
        " (PERSON) differs: the summary's 'bar' has no counterpart in the source name (only"
        " 'jogen' matches).",
    ),
    (  # smollm2 nb-004, consistency (the restated sentence shortened here)
        {
            "kind": "substitution",
            "fact": "number",
            "text": "1.5",
            "span": [170, 173],
            "status": "unsupported",
            "source_text": "14.6",
            "source_span": [327, 331],
            "evidence": "the summary says '1.5' where the source sentence it restates says"
            " '14.6': \"Ukraine's Black Sea ports handled 16.1 million tonnes of cargo ...\\n\\n"
            "Exports accounted for 14.6 million tonnes of the total and imports for 1.5 million"
            ' tonnes, USPA head Yuriy Lysenko told a briefing in Odesa."',
        },
        "The summary says '1.5' where the source sentence it restates says '14.6'.",
    ),
]


@pytest.mark.parametrize(
    ("finding", "sentence"),
    REAL_FINDINGS,
    ids=[f"{f['kind']}-{f['status']}-{f['text']}" for f, _ in REAL_FINDINGS],
)
def test_describe_real_findings(finding: dict[str, Any], sentence: str) -> None:
    assert describe_finding(finding) == sentence


@pytest.mark.parametrize(
    ("finding", "sentence"),
    [
        ({}, "This finding is unknown."),
        (
            {"kind": "entity", "text": "Germany", "status": "unsupported"},
            "'Germany' is in no source sentence.",
        ),
        ({"text": "x\n|y", "status": "odd_status", "evidence": {"n": 3}}, '{"n": 3}.'),
        ({"kind": "number", "status": "unsupported"}, "A number is not backed by the source."),
    ],
)
def test_describe_odd_findings_is_one_line(finding: dict[str, Any], sentence: str | None) -> None:
    text = describe_finding(finding)
    assert "\n" not in text and text.endswith(".")
    if sentence is not None:
        assert text == sentence


def _results(systems: list[str]) -> dict[str, Any]:
    return {
        "name": "demo",
        "n_examples": 2,
        "confidence": 0.95,
        "systems": systems,
        "values": {
            "numbers.precision": {
                "metric": "numbers",
                "higher_is_better": True,
                "description": "share of supported numbers",
            }
        },
        "failures": dict.fromkeys(systems, 0),
        "results": {
            system: {
                "numbers.precision": {
                    "mean": 1.0,
                    "ci_low": 1.0,
                    "ci_high": 1.0,
                    "ci_half_width": 0.0,
                    "n": 2,
                    "nulls": 0,
                }
            }
            for system in systems
        },
    }


def _flag(text: str, span: list[int], kind: str = "number") -> dict[str, Any]:
    return {"kind": kind, "text": text, "span": span, "status": "unsupported"}


def test_flagged_findings_markdown_lists_each_span_once() -> None:
    table = build_table(_results(["lead3", "smollm2"]))
    scores = [
        Score(example_id="e1", system="lead3", metric="numbers", values={}, findings=[]),
        Score(
            example_id="e2",
            system="smollm2",
            metric="consistency",
            values={},
            findings=[_flag("412", [5, 8]), _flag("Friday", [20, 26], kind="date")],
        ),
        Score(
            example_id="e2",
            system="smollm2",
            metric="numbers",
            values={},
            findings=[_flag("412", [5, 8]), {**_flag("480", [0, 3]), "status": "supported"}],
        ),
        Score(
            example_id="e1",
            system="smollm2",
            metric="entities",
            values={},
            findings=[_flag("Acme | Co", [0, 9], kind="entity")],
        ),
    ]
    section = flagged_findings_markdown(table, scores)
    lines = section.splitlines()
    assert lines[:2] == ["", "## Flagged findings"]
    rows = [line for line in lines if line.startswith("| smollm2")]
    assert rows == [
        "| smollm2 | e1 | 'Acme \\| Co' is in no source sentence. |",
        "| smollm2 | e2 | 412 is not backed by the source. |",
        "| smollm2 | e2 | 'Friday' (date) is not backed by the source. |",
    ]
    assert "(smollm2: 3 in 2 examples)" in section
    short = flagged_findings_markdown(table, scores, limit=1)
    assert short.rstrip().endswith("… and 2 more in report.html.")
    assert flagged_findings_markdown(table, scores[:1]) == ""


def test_render_reports_appends_flagged_findings(tmp_path: Path) -> None:
    run = RunDir(tmp_path)
    run.write_json("results.json", _results(["lead3", "smollm2"]))
    run.write_examples([Example(id="e1", source="At least 480 people died.")])
    run.write_outputs(
        [
            Output(example_id="e1", system="lead3", summary="At least 480 people died."),
            Output(example_id="e1", system="smollm2", summary="412 people died."),
        ]
    )
    finding = {
        **_flag("412", [0, 3]),
        "quantity_kind": "count",
        "evidence": "no quantity of 412 (count) in the source; closest: 480 (people, died)"
        " (source sentence 1)",
    }
    run.write_scores(
        [Score(example_id="e1", system="smollm2", metric="numbers", values={}, findings=[finding])]
    )
    render_reports(run)
    report = run.file("report.md").read_text(encoding="utf-8")
    assert "## Flagged findings" in report
    assert (
        "| smollm2 | e1 | 412 (count) is in no source sentence; the closest is 480 (people,"
        " died), in source sentence 1. |"
    ) in report
    html = run.file("report.html").read_text(encoding="utf-8")
    assert "412 (count) is in no source sentence" in html


SOURCE = (
    "The minister resigned on Monday after the vote in Paris. The train leaves at 6:55. "
    "A relatable host spoke in Paris to the crowd."
)


@pytest.mark.parametrize(
    ("check", "summary", "sentence"),
    [
        (
            negation_mismatches,
            "The minister did not resign on Monday after the vote.",
            "The summary sentence 'The minister did not resign on Monday after the vote.'"
            " negates what the closest source sentence says.",
        ),
        (
            unsupported_weekdays,
            "They met on Friday.",
            "The source never names Friday; it names Monday.",
        ),
        (unsupported_times, "The train leaves at 7:55.", "The source gives no time '7:55'."),
        (
            prefix_antonyms,
            "An unrelatable host.",
            "The source says 'relatable', never 'unrelatable'.",
        ),
        (
            substitutions,
            "The minister resigned on Monday after the vote in Berlin.",
            "The summary says 'Berlin' where the source sentence it restates says 'Paris'.",
        ),
    ],
    ids=["negation", "weekday", "time", "antonym", "substitution"],
)
def test_describe_consistency_findings(
    check: Callable[[str, str], list[dict[str, Any]]], summary: str, sentence: str
) -> None:
    # the consistency metric's own checks, run for real on a small text
    [finding] = check(summary, SOURCE)
    assert describe_finding(finding) == sentence


def test_flagged_findings_show_the_systems_labels() -> None:
    from harness.config import ReportConfig
    from harness.report.table import select

    table = build_table(_results(["lead3", "smollm2"]))
    chosen = select(table, ReportConfig(labels={"smollm2": "SmolLM2|135M"}), "config.yaml")
    scores = [
        Score(
            example_id="e2",
            system="smollm2",
            metric="numbers",
            values={},
            findings=[_flag("412", [5, 8])],
        )
    ]
    section = flagged_findings_markdown(chosen, scores)
    assert "| SmolLM2\\|135M | e2 | 412 is not backed by the source. |" in section
    assert "(SmolLM2\\|135M: 1 in 1 example)" in section
    assert "smollm2" not in section
