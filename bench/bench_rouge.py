"""Time the ``rouge`` metric against rouge-score on long document-vs-summary pairs.

Target: the harness's ROUGE (rouge1/2/L/Lsum, Porter stemmer on) is at least
30x faster than Google's ``rouge-score`` on the same 300 pairs, with equal
values (the script checks every value for float equality and stops if one
differs).

Pairs come from the shared data (``../shared/data``): each summary is scored
against its whole document as the reference, the document-vs-summary setting
where ROUGE is slowest. Two sets are timed:

* ``longest``: the 300 SummEdits/QAGS rows with the longest documents (podcast
  transcripts first, about 1,000 words). Several summaries share a document,
  as in SummEdits and in any run of several systems on one benchmark.
* ``distinct``: 300 rows with 300 different documents (one row for each of the
  89 SummEdits documents and the longest QAGS sources), so no sentence split is
  reused: the harness's cost here includes splitting every document with spaCy.

rouge-score is timed on texts already split into sentences, one per line (what
its ``rougeLsum`` needs), so the split is charged to the harness only. The
harness is timed through `RougeMetric.score` in batches of 64 (the runner's
``METRIC_BATCH``) from an empty sentence memo; the spaCy vocabulary is warm
(the baseline's inputs are split first), as it is after any earlier metric.
With ``--repeats`` the fastest time of each is used.

Run: ``.venv/bin/python bench/bench_rouge.py [--pairs 300] [--repeats 1]``
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer

from harness.metric import MetricInput
from harness.metric.rouge import ROUGE_TYPES, RougeMetric, RougeParams, one_sentence_per_line
from harness.records import Example
from harness.text import sentences

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BATCH = 64
TARGET = 30.0


def load_rows() -> list[tuple[str, str, str]]:
    """Every shared (id, document, summary) row: SummEdits doc/summary, QAGS
    source/system_output."""
    rows: list[tuple[str, str, str]] = []
    for path in sorted((DATA / "summedits").glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8")):
            rows.append((f"{path.stem}:{row['id']}", row["doc"], row["summary"]))
    qags = DATA / "qags" / "qags_cnndm.json"
    for k, row in enumerate(json.loads(qags.read_text(encoding="utf-8"))):
        rows.append((f"qags:{k}", row["source"], row["system_output"]))
    return rows


def longest(rows: list[tuple[str, str, str]], n: int) -> list[tuple[str, str, str]]:
    """The ``n`` rows with the longest documents (stable order among equals)."""
    return sorted(rows, key=lambda row: -len(row[1]))[:n]


def distinct(rows: list[tuple[str, str, str]], n: int) -> list[tuple[str, str, str]]:
    """``n`` rows with different documents, longest documents first."""
    by_doc: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        by_doc.setdefault(row[1], row)
    return longest(list(by_doc.values()), n)


def time_harness(items: list[MetricInput]) -> tuple[float, list[dict[str, float | None]]]:
    """Seconds for `RougeMetric.score` over ``items`` in batches, from an empty memo."""
    metric = RougeMetric(RougeParams())
    sentences._sentence_spans.cache_clear()
    start = time.perf_counter()
    results = []
    for i in range(0, len(items), BATCH):
        results.extend(metric.score(items[i : i + BATCH]))
    seconds = time.perf_counter() - start
    return seconds, [result.values for result in results]


def time_rouge_score(pairs: list[tuple[str, str]]) -> tuple[float, list[dict[str, float]]]:
    """Seconds for rouge-score over (document, summary) texts already one sentence a line."""
    scorer: Any = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    start = time.perf_counter()
    scores = [scorer.score_multi([doc], summary) for doc, summary in pairs]
    seconds = time.perf_counter() - start
    values = [{name: float(score[name].fmeasure) for name in ROUGE_TYPES} for score in scores]
    return seconds, values


def bench(name: str, rows: list[tuple[str, str, str]], repeats: int) -> float:
    """Print one line for ``rows`` and return the speed ratio."""
    items = [
        MetricInput(example=Example(id=key, source=doc, references=(doc,)), summary=summary)
        for key, doc, summary in rows
    ]
    pairs = [
        (one_sentence_per_line(doc), one_sentence_per_line(summary)) for _, doc, summary in rows
    ]
    harness_s = baseline_s = float("inf")
    for _ in range(repeats):
        seconds, ours = time_harness(items)
        harness_s = min(harness_s, seconds)
        seconds, theirs = time_rouge_score(pairs)
        baseline_s = min(baseline_s, seconds)
        differ = [row[0] for row, a, b in zip(rows, ours, theirs, strict=True) if a != b]
        if differ:
            raise SystemExit(f"{name}: values differ from rouge-score on {differ[:5]}")
    words = sum(len(doc.split()) for _, doc, _ in rows) / len(rows)
    docs = len({doc for _, doc, _ in rows})
    ratio = baseline_s / harness_s
    print(
        f"{name:9} {len(rows)} pairs, {docs} documents of {words:.0f} words on average: "
        f"rouge-score {baseline_s:.2f} s, harness {harness_s:.3f} s — ratio {ratio:.1f}x "
        f"(target ≥ {TARGET:.0f}x: {'ok' if ratio >= TARGET else 'MISSED'}); "
        f"{4 * len(rows)} values equal"
    )
    return ratio


def main() -> None:
    """Parse arguments and print one line per pair set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"shared data not found at {DATA}")
    rows = load_rows()
    threads = os.environ.get("RAYON_NUM_THREADS", f"all {os.cpu_count()}")
    print(f"rouge-score-rs threads: {threads} (set RAYON_NUM_THREADS to change)")
    bench("longest", longest(rows, args.pairs), args.repeats)
    bench("distinct", distinct(rows, args.pairs), args.repeats)


if __name__ == "__main__":
    main()
