"""Meta-evaluate the default ``consistency`` score on SummEdits and QAGS-CNNDM, with an ablation.

Target: one default (no params) that reaches, at once, balanced accuracy >= 63
on each SummEdits domain (news, podcast, sales_email, samsum) and Pearson
>= 0.50 on QAGS-CNNDM.

Protocols (as in ``../shared/data/README.md`` and `harness.meta_eval`):
SummEdits -- the decision threshold is chosen on the ``evaluation`` split
(`choose_threshold`) and balanced accuracy x100 is reported on ``test`` ("—"
where a value is the same on every ``evaluation`` row: it chooses no threshold);
QAGS-CNNDM -- Pearson correlation of the score with ``scores.consistency``
over all 235 rows (and, for reference, on the dev half: rows with an even
index).

The metric scores every row once (default params, batches of 64); every
table row is then computed from the values and findings of that one run:

- ``novelty_weight: 1, novelty_cap: 1`` -- the score before version 4,
  ``(1 - novel_bigrams) x exp(-0.7 flags)`` (the shipped default until then);
- ``novelty_weight: 0`` -- ``exp(-0.7 flags)`` (what the SummEdits configs set);
- the default -- the ``score`` value itself;
- the ablation: each part alone (``copy_novelty``, ``novel_bigrams``,
  ``flags``) and the score without each kind of flag.

A first table gives the development figures, read from no ``test`` row:
ROC-AUC and balanced accuracy (threshold chosen in-sample) on each
``evaluation`` split, and the Pearson correlation on the QAGS dev half.
Develop against these; read the test tables once per change.

Run from the repository root: ``.venv/bin/python bench/bench_consistency.py
[--data ../shared/data]``.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from harness.config import MetricConfig
from harness.meta_eval import balanced_accuracy, choose_threshold, roc_auc
from harness.metric import MetricInput, build_metric
from harness.metric.consistency import FLAG_KINDS, ConsistencyParams, kind_weight
from harness.records import Example

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ("news", "podcast", "sales_email", "samsum")
BATCH = 64
DEFAULTS = ConsistencyParams()
NOVELTY_WEIGHT = DEFAULTS.novelty_weight


@dataclass(frozen=True)
class Row:
    """One scored summary: its label, split, and the metric's parts."""

    label: float
    split: str
    score: float
    novel: float
    copy: float
    flags: float
    kinds: Counter[str]


def load(data: Path) -> dict[str, list[tuple[str, str, float, str]]]:
    """``(source, summary, label, split)`` per row for each data set; QAGS rows with an
    even index are the ``dev`` half, the others ``rest``."""
    sets: dict[str, list[tuple[str, str, float, str]]] = {}
    for domain in DOMAINS:
        path = data / "summedits" / f"summedits_{domain}.json"
        rows = json.loads(path.read_text(encoding="utf-8"))
        sets[domain] = [(r["doc"], r["summary"], float(r["label"]), r["split"]) for r in rows]
    rows = json.loads((data / "qags" / "qags_cnndm.json").read_text(encoding="utf-8"))
    sets["qags"] = [
        (
            r["source"],
            r["system_output"],
            float(r["scores"]["consistency"]),
            "dev" if i % 2 == 0 else "rest",
        )
        for i, r in enumerate(rows)
    ]
    return sets


def score_all(rows: Sequence[tuple[str, str, float, str]]) -> list[Row]:
    """Score ``rows`` with the default ``consistency`` metric."""
    _, metric = build_metric(MetricConfig(name="consistency"), "bench")
    items = [
        MetricInput(example=Example(id=str(i), source=source), summary=summary)
        for i, (source, summary, _, _) in enumerate(rows)
    ]
    results = [
        r
        for start in range(0, len(items), BATCH)
        for r in metric.score(items[start : start + BATCH])
    ]
    return [
        Row(
            label=label,
            split=split,
            score=float(result.values["score"] or 0.0),
            novel=float(result.values["novel_bigrams"] or 0.0),
            copy=float(result.values["copy_novelty"] or 0.0),
            flags=float(result.values["flags"] or 0.0),
            kinds=Counter(str(f["kind"]) for f in result.findings),
        )
        for (_, _, label, split), result in zip(rows, results, strict=True)
    ]


def _percent(value: float) -> str:
    """``value`` with one decimal; "—" where it is undefined (no threshold)."""
    return "—" if math.isnan(value) else f"{value:.1f}"


def summedits_ba(rows: Sequence[Row], value: Callable[[Row], float]) -> float:
    """Balanced accuracy x100 on ``test`` with the threshold chosen on ``evaluation``."""
    scores = np.array([value(r) for r in rows])
    labels = np.array([r.label for r in rows])
    dev = np.array([r.split == "evaluation" for r in rows])
    # A value the same on every dev example chooses no threshold (every one ties
    # there), as in results.json's meta_eval: the tie-break's would be reported.
    threshold = None if np.ptp(scores[dev]) == 0 else choose_threshold(scores[dev], labels[dev])
    accuracy = (
        None if threshold is None else balanced_accuracy(scores[~dev], labels[~dev], threshold)
    )
    return math.nan if accuracy is None else 100 * accuracy


def summedits_dev(rows: Sequence[Row], value: Callable[[Row], float]) -> tuple[float, float]:
    """ROC-AUC x100 and balanced accuracy x100 on ``evaluation`` alone (its own threshold).

    The figures to develop against: they never read ``test``. The evaluation
    splits are small (four source documents each), so a change should raise
    the threshold-free AUC, not only the in-sample balanced accuracy.
    """
    dev = [r for r in rows if r.split == "evaluation"]
    scores = np.array([value(r) for r in dev])
    labels = np.array([r.label for r in dev])
    threshold = choose_threshold(scores, labels)
    auc = roc_auc(scores, labels)
    accuracy = None if threshold is None else balanced_accuracy(scores, labels, threshold)
    return (
        math.nan if auc is None else 100 * auc,
        math.nan if accuracy is None else 100 * accuracy,
    )


def pearson(rows: Sequence[Row], value: Callable[[Row], float], split: str | None = None) -> float:
    """Pearson correlation of ``value`` with the label (on ``split`` only, if given)."""
    chosen = [r for r in rows if split is None or r.split == split]
    scores = np.array([value(r) for r in chosen])
    if float(scores.std()) == 0.0:
        return math.nan
    return float(np.corrcoef(scores, np.array([r.label for r in chosen]))[0, 1])


def default_score(row: Row) -> float:
    """The default score (the metric's ``score`` value)."""
    return row.score


def penalty(row: Row, left_out: str | None = None) -> float:
    """The flag exponent of ``row`` under the default weights (`kind_weight`),
    without the flags of ``left_out``."""
    return sum(
        kind_weight(DEFAULTS, kind) * count for kind, count in row.kinds.items() if kind != left_out
    )


def without(kind: str) -> Callable[[Row], float]:
    """The default score with the flags of ``kind`` removed."""
    return lambda r: (1 - NOVELTY_WEIGHT * r.copy) * math.exp(-penalty(r, kind))


VARIANTS: dict[str, Callable[[Row], float]] = {
    "`novelty_weight: 1, novelty_cap: 1` (the default before)": lambda r: (
        (1 - r.novel) * math.exp(-penalty(r))
    ),
    "`novelty_weight: 0` (what configs/summedits_*.yaml set)": lambda r: math.exp(-penalty(r)),
    "**default** (2 × `copy_novelty`, novelty capped at 0.2)": default_score,
}
ABLATION: dict[str, Callable[[Row], float]] = {
    "`copy_novelty` alone": lambda r: -r.copy,
    "`novel_bigrams` alone": lambda r: -r.novel,
    "`flags` alone": lambda r: -r.flags,
    **{f"default without `{kind}` flags": without(kind) for kind in FLAG_KINDS},
}


def table(
    title: str, variants: dict[str, Callable[[Row], float]], scored: dict[str, list[Row]]
) -> None:
    """Print one markdown table: BA per SummEdits domain, QAGS Pearson (all rows, dev half)."""
    print(f"\n{title}\n")
    print(
        "| score | news BA | podcast BA | sales_email BA | samsum BA"
        " | QAGS Pearson | QAGS dev-half r |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|")
    for name, value in variants.items():
        cells = [_percent(summedits_ba(scored[d], value)) for d in DOMAINS]
        cells += [
            f"{pearson(scored['qags'], value):.3f}",
            f"{pearson(scored['qags'], value, 'dev'):.3f}",
        ]
        print(f"| {name} | {' | '.join(cells)} |")


def dev_table(variants: dict[str, Callable[[Row], float]], scored: dict[str, list[Row]]) -> None:
    """Print the development figures: per SummEdits domain AUC / BA on ``evaluation``
    (threshold chosen there), and the QAGS dev-half Pearson."""
    print("\nDevelopment figures (no test rows): evaluation-split ROC-AUC / in-sample BA x100\n")
    print("| score | news | podcast | sales_email | samsum | QAGS dev-half r |")
    print("|---|--:|--:|--:|--:|--:|")
    for name, value in variants.items():
        cells = ["{:.1f} / {:.1f}".format(*summedits_dev(scored[d], value)) for d in DOMAINS]
        cells.append(f"{pearson(scored['qags'], value, 'dev'):.3f}")
        print(f"| {name} | {' | '.join(cells)} |")


def main() -> None:
    """Score the five data sets once and print the two tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    sets = load(args.data)
    scored: dict[str, list[Row]] = {}
    started = time.perf_counter()
    for name, rows in sets.items():
        scored[name] = score_all(rows)
    elapsed = time.perf_counter() - started
    total = sum(len(rows) for rows in sets.values())
    print(f"scored {total} summaries in {elapsed:.1f} s (default consistency params)")
    counts = {name: sum((r.kinds for r in rows), Counter()) for name, rows in scored.items()}
    print("flags by kind:", json.dumps({name: dict(c) for name, c in counts.items()}))
    dev_table({**VARIANTS, **ABLATION}, scored)
    table(
        "SummEdits BA x100 on test (threshold from evaluation); QAGS-CNNDM Pearson",
        VARIANTS,
        scored,
    )
    table(
        "Ablation: each part alone (lower part = higher score), the default without each flag kind",
        ABLATION,
        scored,
    )
    met = all(summedits_ba(scored[d], default_score) >= 63 for d in DOMAINS) and (
        pearson(scored["qags"], default_score) >= 0.50
    )
    print(
        "\ntarget (every SummEdits BA >= 63 and QAGS Pearson >= 0.50):",
        "met" if met else "NOT met",
    )


if __name__ == "__main__":
    main()
