"""Time the shipped SummEdits checks (``numbers`` + ``entities`` + ``consistency``)
against the spaCy pass they are built on.

Target (issue 16, goal 4): scoring the pairs with every metric of
``configs/summedits_news.yaml`` (the checks every ``configs/summedits_*.yaml``
ships: numbers, entities and consistency, in one run) costs at most 1.3x
running the same spaCy pipeline over the same texts, i.e. everything beyond
NER (number extraction and matching, span trimming, normalisation, alias
resolution, recall, sentence splitting, bigram novelty, the substitution,
negation and quote checks, findings) adds at most 30%.

By default the pairs come from the built-in ``newsbriefs`` benchmark (40
articles, so it runs on a fresh clone). So that the per-article memos cannot
cheat, every pair gets a *distinct* article text: the k-th use of an article
gets a one-line dateline "Dispatch k." in front, so each article is analysed.
Summaries cycle through three kinds: the reference brief, the article's first
two sentences, and the reference with an invented person and place added.

``--data CONFIG`` scores a config's own benchmark (its examples' summaries, as
its ``precomputed`` system gives them) with that config's metrics:
``configs/summedits_news.yaml`` (819 summaries of 25 articles) or
``configs/qags_cnndm.yaml`` (235 of 235), with the data under ``../shared``.
There ``--pairs`` defaults to every example; more than that repeats the
examples, the r-th copy with the dateline "Dispatch r." in front of its
articles, so 10x the pairs is 10x the articles too.

The baseline is ``nlp.pipe`` over the summaries and the distinct articles
(what a run analyses: an article once, however many summaries it has) with
the pipelines the metrics load (`harness.text.nlp.load_pipeline`: ``ner`` and
what it needs, over both; ``tagger`` and its embedding, over the summaries,
whose nouns ``consistency`` looks up). The metrics are scored as the runner scores them: batches of
`harness.scoring.METRIC_BATCH` pairs, each metric in config order over each
batch, from empty memos (every per-text memo of `harness.text` and of the
three metrics is cleared before each round; the spaCy pipelines, like a run's,
are loaded before the clock starts). Baseline and metrics alternate for
``--repeats`` rounds; the ratio uses the fastest time of each. It is printed
for wall-clock time and for the CPU time of the process (spaCy's CPU pipeline
runs on one thread), which other jobs on a shared machine disturb less.

Run (default 1,000 pairs, 10x the data, and the shipped benchmarks)::

    .venv/bin/python bench/bench_checks.py
    .venv/bin/python bench/bench_checks.py --pairs 10000 --repeats 1
    .venv/bin/python bench/bench_checks.py --data configs/summedits_news.yaml
    .venv/bin/python bench/bench_checks.py --data configs/qags_cnndm.yaml
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import harness.text
from harness.benchmark import load_benchmark
from harness.config import RunConfig, load_config
from harness.metric import Metric, MetricInput, build_metric
from harness.records import Example
from harness.scoring import METRIC_BATCH
from harness.text import split_sentences
from harness.text.entities import clear_memo
from harness.text.nlp import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "benchmarks" / "newsbriefs" / "articles.jsonl"
CONFIG = ROOT / "configs" / "summedits_news.yaml"
#: Memoised loaders, not per-text memos: a run loads them once, before scoring.
LOADERS = frozenset({"load_pipeline", "resolve_pipeline", "_sentencizer", "_stemmer"})


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


def config_pairs(config: RunConfig, n: int | None) -> list[MetricInput]:
    """The config's examples with their summaries, repeated up to ``n`` (see the module
    docstring); ``None``: each example once."""
    benchmark = load_benchmark(config.benchmark, seed=config.seed)
    examples = [e for e in benchmark.examples if e.source.strip() and (e.summary or "").strip()]
    items: list[MetricInput] = []
    for k in range(len(examples) if n is None else n):
        copy, example = divmod(k, len(examples))[0], examples[k % len(examples)]
        if copy:
            source = f"Dispatch {copy}.\n\n{example.source}"
            example = example.model_copy(update={"id": f"{example.id}-{copy}", "source": source})
        items.append(MetricInput(example=example, summary=example.summary or ""))
    return items


def _memo_modules() -> list[ModuleType]:
    """Every module of `harness.text`, the three metric modules and their result memo."""
    names = [info.name for info in pkgutil.walk_packages(harness.text.__path__, "harness.text.")]
    names += ["harness.metric._memo", "harness.metric.numbers", "harness.metric.entities"]
    names += ["harness.metric.consistency"]
    return [importlib.import_module(name) for name in names]


def clear_memos() -> int:
    """Empty every per-text memo (an ``lru_cache`` that is not a loader, the result
    memo and the analysis memo); returns how many were cleared."""
    cleared = 0
    for module in _memo_modules():
        for name, value in vars(module).items():
            # a memo imported from another module is cleared where it is defined
            defined_here = getattr(value, "__module__", None) == module.__name__
            memo = hasattr(value, "cache_clear") and not isinstance(value, type)
            if name not in LOADERS and defined_here and memo:
                value.cache_clear()
                cleared += 1
    clear_memo()
    return cleared + 1


def shipped_metrics(config: RunConfig) -> list[tuple[str, Metric]]:
    """The metrics of a shipped config, built as a run builds them."""
    built = [
        build_metric(item, where=f"bench: metrics[{i}]") for i, item in enumerate(config.metrics)
    ]
    return [(entry.name, metric) for entry, metric in built]


Timing = tuple[float, float]  # (wall-clock seconds, CPU seconds of this process)


def _clock() -> Timing:
    return time.perf_counter(), time.process_time()


def _since(start: Timing) -> Timing:
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def time_spacy(items: Sequence[MetricInput]) -> Timing:
    """Seconds for NER over every summary and distinct article, and tagging the summaries."""
    nlp, _, _ = load_pipeline(None)
    tagger, _, _ = load_pipeline(None, "tagger")
    start = _clock()
    for _ in nlp.pipe(item.summary for item in items):
        pass
    for _ in nlp.pipe(dict.fromkeys(item.example.source for item in items)):
        pass
    for _ in tagger.pipe(item.summary for item in items):
        pass
    return _since(start)


def time_metrics(
    items: Sequence[MetricInput], metrics: Sequence[tuple[str, Metric]]
) -> tuple[Timing, dict[str, float]]:
    """Seconds to score every pair with every metric from empty memos, and the mean
    of each metric's first value (a check that the work was done)."""
    clear_memos()
    firsts: dict[str, list[float]] = {name: [] for name, _ in metrics}
    start = _clock()
    for i in range(0, len(items), METRIC_BATCH):
        batch = items[i : i + METRIC_BATCH]
        for name, metric in metrics:
            for result in metric.score(batch):
                value = next(iter(result.values.values()), None)
                if value is not None:
                    firsts[name].append(value)
    elapsed = _since(start)
    return elapsed, {name: sum(v) / len(v) if v else float("nan") for name, v in firsts.items()}


def _runs(times: Sequence[Timing], which: int) -> str:
    return ", ".join(f"{t[which]:.2f}" for t in times)


def main() -> None:
    """Print the timings and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=None, help="default: 1000, or all of --data")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--data", type=Path, default=None, help="a config whose data to score")
    args = parser.parse_args()
    config_path = args.data or CONFIG
    config = load_config(config_path)
    if args.data is None:
        items = make_pairs(args.pairs or 1000)
        data = "newsbriefs (built in)"
    else:
        items = config_pairs(config, args.pairs)
        data = f"{config_path} ({config.benchmark.path})"
    metrics = shipped_metrics(config)
    nlp, name, version = load_pipeline(None)
    # warm-up: the pipelines and word tables a run loads before its first score
    for _, metric in metrics:
        metric.score(make_pairs(1))
    spacy_times: list[Timing] = []
    metric_times: list[Timing] = []
    means: dict[str, float] = {}
    for _ in range(args.repeats):
        spacy_times.append(time_spacy(items))
        elapsed, means = time_metrics(items, metrics)
        metric_times.append(elapsed)
    checks = "+".join(metric_name for metric_name, _ in metrics)
    shown = config_path.relative_to(ROOT) if config_path == CONFIG else config_path
    print(f"metrics         {shown} ({checks})")
    print(f"data            {data}")
    tagger, _, _ = load_pipeline(None, "tagger")
    components = f"{', '.join(nlp.pipe_names)}; summaries also {', '.join(tagger.pipe_names)}"
    print(f"pipeline        {name}=={version} ({components})")
    distinct = len({item.example.source for item in items})
    print(f"pairs           {len(items)} (distinct articles: {distinct}, batch {METRIC_BATCH})")
    for which, clock in enumerate(("wall", "CPU")):
        base = min(t[which] for t in spacy_times)
        full = min(t[which] for t in metric_times)
        print(f"{clock:<5} spaCy    {base:.2f} s  (runs: {_runs(spacy_times, which)})")
        print(f"{clock:<5} checks   {full:.2f} s  (runs: {_runs(metric_times, which)})")
        print(f"{clock:<5} ratio    {full / base:.3f}  (target <= 1.3)")
    print("means           " + ", ".join(f"{key}={value:.4f}" for key, value in means.items()))


if __name__ == "__main__":
    main()
