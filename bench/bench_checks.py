"""Time the ``numbers`` + ``entities`` checks against the spaCy pass they are built on.

Target: scoring 1,000 (summary, article) pairs with both checks costs at most
1.3x running the same spaCy pipeline over the same texts, i.e. everything
beyond NER (number extraction and matching, span trimming, normalisation,
alias resolution, recall, findings) adds at most 30%.

The pairs come from the built-in ``newsbriefs`` benchmark (40 articles). So
that the per-article memo cannot cheat, every pair gets a *distinct* article
text: the k-th use of an article gets a one-line dateline "Dispatch k." in
front, so each of the 1,000 articles is analysed. Summaries cycle through
three kinds: the reference brief, the article's first two sentences, and the
reference with an invented person and place added.

The baseline is ``nlp.pipe`` over the 1,000 summaries and 1,000 articles with
the pipeline the metric loads (`harness.text.nlp.load_pipeline`: ``ner`` and
what it needs). The metric is scored in batches of 64 (the runner's
``METRIC_BATCH``) from an empty memo. Baseline and metric alternate for
``--repeats`` rounds; the ratio uses the fastest time of each.

Run: ``.venv/bin/python bench/bench_checks.py [--pairs 1000] [--repeats 2]``
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from harness.config import MetricConfig
from harness.metric import MetricInput, build_metric
from harness.metric.entities import _salient, _source_index
from harness.records import Example
from harness.text import split_sentences
from harness.text.entities import clear_memo
from harness.text.nlp import load_pipeline
from harness.text.quantities import cached_quantities

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "benchmarks" / "newsbriefs" / "articles.jsonl"
BATCH = 64


def make_pairs(n: int) -> list[MetricInput]:
    """``n`` pairs with distinct article texts (see the module docstring)."""
    with ARTICLES.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    items: list[MetricInput] = []
    for k in range(n):
        row = rows[k % len(rows)]
        source = f"Dispatch {k}.\n\n{row['source']}"
        reference = row["reference"]
        kind = k % 3
        if kind == 0:
            summary = reference
        elif kind == 1:
            summary = " ".join(split_sentences(row["source"])[:2])
        else:
            summary = f"{reference} Sergei Petrov, a spokesman in Lisbon, confirmed the figures."
        example = Example(id=f"{row['id']}-{k}", source=source, references=(reference,))
        items.append(MetricInput(example=example, summary=summary))
    return items


def time_spacy(items: list[MetricInput]) -> float:
    """Seconds for ``nlp.pipe`` over every summary and article."""
    nlp, _, _ = load_pipeline(None)
    start = time.perf_counter()
    for _ in nlp.pipe(item.summary for item in items):
        pass
    for _ in nlp.pipe(item.example.source for item in items):
        pass
    return time.perf_counter() - start


def time_metric(items: list[MetricInput]) -> tuple[float, float | None]:
    """Seconds to score every pair with numbers + entities from empty memos, and the
    mean entity precision."""
    clear_memo()
    _source_index.cache_clear()
    _salient.cache_clear()
    cached_quantities.cache_clear()
    _, numbers = build_metric(MetricConfig(name="numbers"), "bench")
    _, metric = build_metric(MetricConfig(name="entities"), "bench")
    start = time.perf_counter()
    results = []
    for i in range(0, len(items), BATCH):
        numbers.score(items[i : i + BATCH])
        results.extend(metric.score(items[i : i + BATCH]))
    elapsed = time.perf_counter() - start
    precisions = [r.values["precision"] for r in results if r.values["precision"] is not None]
    mean = sum(precisions) / len(precisions) if precisions else None
    return elapsed, mean


def main() -> None:
    """Print the timings and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    items = make_pairs(args.pairs)
    nlp, name, version = load_pipeline(None)
    list(nlp.pipe(["Warm-up text about Kyiv and the IAEA."]))
    spacy_times: list[float] = []
    metric_times: list[float] = []
    precision: float | None = None
    for _ in range(args.repeats):
        spacy_times.append(time_spacy(items))
        elapsed, precision = time_metric(items)
        metric_times.append(elapsed)
    base, full = min(spacy_times), min(metric_times)
    print(f"pipeline        {name}=={version} ({', '.join(nlp.pipe_names)})")
    distinct = len({item.example.source for item in items})
    print(f"pairs           {len(items)} (distinct articles: {distinct})")
    print(f"spaCy nlp.pipe  {base:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in spacy_times)})")
    print(f"numbers+entities {full:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in metric_times)})")
    print(f"mean precision  {precision:.3f}" if precision is not None else "mean precision  n/a")
    print(f"ratio           {full / base:.3f}  (target <= 1.3)")


if __name__ == "__main__":
    main()
