"""report.html in a real headless Chromium: self-contained, sortable, drill-down, no XSS.

A real run directory is made with the CLI (quickstart, 6 examples), then one
system's summary of one example is replaced by an XSS payload with a finding
that points into it, one output is turned into a failure whose error is also
a payload, and the reports are rendered again. The page is opened from a
``file://`` URL (nothing is served).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.report import render_reports
from harness.store import RunDir
from tests.requires import require_tool

REPO = Path(__file__).resolve().parents[2]
PAYLOAD = 'Two died. <script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
ERROR_PAYLOAD = '<img src=x onerror="window.__xss=3">backend crashed & burned'
TARGET_SYSTEM = "lead3"
FAILED_SYSTEM = "textrank"


def _rewrite_jsonl(path: Path, change: Any) -> None:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("".join(json.dumps(change(r)) + "\n" for r in records), encoding="utf-8")


def _fake_comparisons(results: dict[str, Any]) -> dict[str, Any]:
    # Until the runner writes paired comparisons, give the page some to show.
    baseline = results["systems"][0]
    comparisons: dict[str, Any] = {}
    for index, system in enumerate(results["systems"][1:], start=1):
        comparisons[system] = {
            name: {
                "n": agg["n"],
                "diff": agg["mean"] - results["results"][baseline][name]["mean"],
                "ci_low": -0.01 * index,
                "ci_high": 0.02 * index,
                "p_value": 0.01 * index,
                "p_holm": 0.02 * index,
                "significant": index % 2 == 1,
                "wins": 3,
                "ties": 1,
                "losses": 2,
            }
            for name, agg in results["results"][system].items()
            if agg["mean"] is not None and results["results"][baseline][name]["mean"] is not None
        }
    return {**results, "baseline": baseline, "comparisons": comparisons}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunDir, str, str]:
    """A rendered quickstart run with the payloads injected; (run dir, target id, failed id)."""
    base = tmp_path_factory.mktemp("browser")
    out = base / "run"
    env = {**os.environ, "HARNESS_CACHE_DIR": str(base / "cache")}
    command = [sys.executable, "-m", "harness", "run", "configs/quickstart.yaml"]
    done = subprocess.run(
        # only the metrics whose findings the test controls: the injected summary
        # replaces a real one, so real number/entity findings would point at
        # spans of text that is no longer there
        [
            *command,
            "--limit",
            "6",
            "--out",
            str(out),
            "--set",
            "metrics=[rouge, fragments, length]",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    run = RunDir(out)
    ids = [example.id for example in run.read_examples()]
    target, failed = ids[2], ids[4]
    source = run.read_examples()[2].source
    word = source.split()[0]

    def change_output(record: dict[str, Any]) -> dict[str, Any]:
        key = (record["example_id"], record["system"])
        if key == (target, TARGET_SYSTEM):
            record["summary"] = PAYLOAD
        if key == (failed, FAILED_SYSTEM):
            record["summary"], record["error"] = None, ERROR_PAYLOAD
        return record

    def change_score(record: dict[str, Any]) -> dict[str, Any]:
        key = (record["example_id"], record["system"], record["metric"])
        if key == (target, TARGET_SYSTEM, "length"):
            record["findings"] = [
                {
                    "kind": "number",
                    "text": "Two",
                    "status": "unsupported",
                    "span": [0, 3],
                    "source_span": [0, len(word)],
                    "evidence": "source says <b>three</b>",
                    "reason": "no such count in the source",
                },
                {"kind": "entity", "text": "died", "status": "supported", "span": [4, 8]},
            ]
        return record

    _rewrite_jsonl(run.file("outputs.jsonl"), change_output)
    _rewrite_jsonl(run.file("scores.jsonl"), change_score)
    results = run.read_json("results.json")
    if "comparisons" not in results:
        run.write_json("results.json", _fake_comparisons(results))
    render_reports(run)
    return run, target, failed


def _first_column(page: Any) -> list[str]:
    cells = page.locator("#results-table tbody tr td:first-child").all_inner_texts()
    return [text.replace("baseline", "").strip() for text in cells]


@pytest.mark.requires("playwright", extra="test")
@pytest.mark.requires(tool="chromium")
def test_report_in_chromium(run_dir: tuple[RunDir, str, str], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    run, target, failed = run_dir
    html_path = run.file("report.html").resolve()
    url = html_path.as_uri()
    console_errors: list[str] = []
    page_errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=require_tool("chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on(
                "console",
                lambda message: (
                    console_errors.append(message.text) if message.type == "error" else None
                ),
            )
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(url)
            page.wait_for_load_state("load")

            # sorting: the first value column (rouge.rouge1, higher is better)
            header = page.locator("#results-table thead th").nth(3)
            assert header.inner_text().startswith("rouge.rouge1")
            before = _first_column(page)
            header.click()
            after = _first_column(page)
            keys = page.locator("#results-table tbody tr td:nth-child(4)").evaluate_all(
                "cells => cells.map(c => parseFloat(c.dataset.sort))"
            )
            assert keys == sorted(keys, reverse=True)
            assert sorted(after) == sorted(before) and after != before
            header.click()
            assert _first_column(page) == after[::-1]
            assert page.locator("#versus-table tbody tr").count() == 3

            # drill-down of the injected example, one system
            page.select_option("#filter-system", TARGET_SYSTEM)
            page.locator(f'button.example[data-example="{target}"]').click()
            summary = page.locator(f'#detail section[data-system="{TARGET_SYSTEM}"] .summary')
            assert summary.inner_text() == PAYLOAD
            mark = summary.locator("mark.status-unsupported")
            assert mark.inner_text() == "Two"
            assert mark.is_visible()
            title = mark.get_attribute("title") or ""
            assert "unsupported" in title and "source says <b>three</b>" in title
            assert summary.locator("mark.status-supported").inner_text() == "died"
            assert page.locator("#detail .source mark.status-unsupported").count() == 1
            assert summary.locator("script, img").count() == 0
            assert page.locator("#detail").get_by_text("source says <b>three</b>").count() == 1
            # the findings table says each finding in one sentence (no JSON of the parse)
            sentences = page.locator(
                f'#detail section[data-system="{TARGET_SYSTEM}"] table.findings td.sentence'
            ).all_inner_texts()
            assert sentences == [
                "Two is not backed by the source: source says <b>three</b>; "
                "no such count in the source.",
                "'died' is backed by the source.",
            ]

            # filters: flagged only keeps exactly the injected example; another metric hides it
            page.check("#filter-flagged")
            ids = page.locator("#example-list button.example").evaluate_all(
                "buttons => buttons.map(b => b.dataset.example)"
            )
            assert ids == [target]
            page.select_option("#filter-metric", "rouge")
            assert page.locator("#example-list button.example").count() == 0
            page.select_option("#filter-metric", "__all__")
            page.uncheck("#filter-flagged")

            # the failure is listed with its error as text, and opens in the drill-down
            failure = page.locator("table.failures pre.error").first
            assert failure.inner_text() == ERROR_PAYLOAD
            page.locator(f'button.open-example[data-example="{failed}"]').click()
            assert page.locator("#detail .card.failed pre.error").inner_text() == ERROR_PAYLOAD

            # back to the injected example with every system, for the screenshot
            page.select_option("#filter-system", "__all__")
            page.locator(f'button.example[data-example="{target}"]').click()
            page.locator("#examples").scroll_into_view_if_needed()
            assert page.evaluate("typeof window.__xss") == "undefined"
            shot = page.screenshot(full_page=True)
            (tmp_path / "report.png").write_bytes(shot)
            run.file("report.png").write_bytes(shot)
        finally:
            browser.close()
    assert not page_errors, page_errors
    assert not console_errors, console_errors
    others = [u for u in requests if u != url and not u.startswith("data:")]
    assert not others, others
    assert url in requests
