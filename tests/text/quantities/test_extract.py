"""Tests for `extract_quantities` as a whole: spans, sentences, caching, real articles."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

from harness.text.quantities import cached_quantities, extract_quantities

ROOT = Path(__file__).resolve().parents[3]
NEWSBRIEFS = ROOT / "benchmarks" / "newsbriefs" / "articles.jsonl"


def test_sentence_indices_and_spans_follow_the_text() -> None:
    text = "Two died on Monday.\n\nThe fire burned 300 hectares. Crews spent $4.2bn."
    got = extract_quantities(text)
    assert [(q.text, q.sentence) for q in got] == [
        ("Two", 0),
        ("300 hectares", 1),
        ("$4.2bn", 2),
    ]
    for q in got:
        assert text[q.span[0] : q.span[1]] == q.text


def test_blank_text_has_no_quantities() -> None:
    assert extract_quantities("") == []
    assert extract_quantities("   \n ") == []
    assert extract_quantities("No numbers here at all.") == []


def test_cached_quantities_reuses_one_analysis_per_text() -> None:
    text = "The cached text has 4,870 cases."
    assert cached_quantities(text) is cached_quantities(text)
    assert list(cached_quantities(text)) == extract_quantities(text)


def _newsbriefs_sources() -> list[str]:
    with NEWSBRIEFS.open(encoding="utf-8") as handle:
        return [json.loads(line)["source"] for line in handle]


def test_newsbriefs_sources_yield_sane_quantities() -> None:
    for source in _newsbriefs_sources():
        got = extract_quantities(source)
        assert len(got) >= 15
        ends = [q.span for q in got]
        assert ends == sorted(ends)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends)), "overlap"
        assert all(source[s:e] == q.text for q, (s, e) in zip(got, ends, strict=True))


def test_extraction_is_fast() -> None:
    # 200 news articles of ~300 words; the full 1,000-article timing is in the
    # docstring of harness.text.quantities. Generous bound so a slow CI machine does not flake.
    sources = _newsbriefs_sources()
    docs = [f"{source} Update {i}." for i in range(5) for source in sources]
    start = time.perf_counter()
    for doc in docs:
        extract_quantities(doc)
    assert time.perf_counter() - start < 5.0
