"""Uncased, tokenised summaries get the same number and entity findings as cased ones.

Older and smaller models write "apple 's ipad sold 3 million units in the u.s ."
for "Apple's iPad sold 3 million units in the U.S.". Over shipped data (the
first 100 SummEdits news rows and the newsbriefs references, each against its
cased source) every summary is lower-cased and PTB-tokenised here, both forms
are scored, and the findings are compared: kind, status, text (case and
spaces aside) and span, the cased span carried into the tokenised text by the
tokeniser's own alignment.

Measured agreement (findings in both runs / findings in either):
numbers 85.5% before `harness.text.restore`, 100% after; entities 63.5%
before, 96.5% after (the rest: names the source lacks, which nothing can case).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from nltk.tokenize import TreebankWordTokenizer

from harness.metric import MetricInput
from harness.metric.entities import EntitiesMetric, EntitiesParams
from harness.metric.numbers import NumbersMetric, NumbersParams
from harness.records import Example
from harness.text.sentences import sentence_spans
from tests.requires import shared

ROOT = Path(__file__).resolve().parents[2]
NEWSBRIEFS = ROOT / "benchmarks" / "newsbriefs" / "articles.jsonl"
SUMMEDITS = "data/summedits/summedits_news.json"  # under ../shared

#: Agreement each check must reach (measured: see the module docstring).
THRESHOLDS = {"numbers": 1.0, "entities": 0.96}

_TOKENIZER = TreebankWordTokenizer()
_QUOTES = re.compile(r"[\"“”]")


class Tokenised:
    """A lower-cased, PTB-tokenised copy of a text, with an offset map back to it.

    Double quotes become PTB's ```` `` ```` and ``''`` (alternating), as CNN/DM's
    tokenised summaries write them.
    """

    def __init__(self, text: str) -> None:
        pieces: list[str] = []
        self.starts: dict[int, int] = {}  # cased offset -> tokenised offset
        self.ends: dict[int, int] = {}
        length = 0
        opening = True
        for sent_start, sent_end in sentence_spans(text):
            sentence = text[sent_start:sent_end]
            for start, end in _TOKENIZER.span_tokenize(sentence):
                token = sentence[start:end].lower()
                if _QUOTES.fullmatch(token):
                    token, opening = ("``" if opening else "''"), not opening
                if pieces:
                    pieces.append(" ")
                    length += 1
                a, b = sent_start + start, sent_start + end
                if len(token) == b - a:
                    for k in range(b - a):
                        self.starts[a + k] = length + k
                        self.ends[a + k + 1] = length + k + 1
                else:
                    self.starts[a] = length
                    self.ends[b] = length + len(token)
                pieces.append(token)
                length += len(token)
        self.text = "".join(pieces)

    def span(self, span: Sequence[int]) -> tuple[int, int] | None:
        """The tokenised span of a cased span, ``None`` if it cuts a token."""
        start, end = self.starts.get(span[0]), self.ends.get(span[1])
        return None if start is None or end is None else (start, end)


def _norm(text: str) -> str:
    return re.sub(r"[\s\"“”`']", "", text.lower())


def _key(finding: dict[str, Any], span: tuple[int, int] | None) -> tuple[Any, ...]:
    return (finding["kind"], finding["status"], _norm(finding["text"]), span)


@lru_cache(maxsize=1)
def _pairs() -> tuple[tuple[str, str], ...]:
    rows = json.loads(shared(SUMMEDITS).read_text(encoding="utf-8"))[:100]
    pairs = [(row["doc"], row["summary"]) for row in rows]
    with NEWSBRIEFS.open(encoding="utf-8") as handle:
        pairs += [(row["source"], row["reference"]) for row in map(json.loads, handle)]
    return tuple(pairs)


def _score(metric: Any, pairs: Sequence[tuple[str, str]]) -> list[list[dict[str, Any]]]:
    items = [
        MetricInput(Example(id=f"r{i}", source=source), summary)
        for i, (source, summary) in enumerate(pairs)
    ]
    return [result.findings for result in metric.score(items)]


def _agreement(metric: Any) -> tuple[float, list[str]]:
    pairs = _pairs()
    tokenised = [Tokenised(summary) for _, summary in pairs]
    cased = _score(metric, pairs)
    uncased = _score(
        metric, [(source, t.text) for (source, _), t in zip(pairs, tokenised, strict=True)]
    )
    matched = total = 0
    problems: list[str] = []
    for i, (form, a, b) in enumerate(zip(tokenised, cased, uncased, strict=True)):
        for finding in b:
            span = finding["span"]
            # spans point into the summary as given
            assert _norm(form.text[span[0] : span[1]]) == _norm(finding["text"]), finding
        want = Counter(_key(f, form.span(f["span"])) for f in a)
        got = Counter(_key(f, tuple(f["span"])) for f in b)
        both = want & got
        matched += sum(both.values())
        total += sum((want | got).values())
        for key in (want - got).elements():
            problems.append(f"row {i}: cased only {key}  [{pairs[i][1][:80]!r}]")
        for key in (got - want).elements():
            problems.append(f"row {i}: uncased only {key}  [{form.text[:80]!r}]")
    return (matched / total if total else 1.0), problems


def test_tokeniser_maps_spans() -> None:
    form = Tokenised('Apple\'s iPad sold 3 million units in the U.S. "Great," he said.')
    assert form.text == "apple 's ipad sold 3 million units in the u.s. `` great , '' he said ."
    assert form.span((0, 5)) == (0, 5)  # Apple
    assert form.span((8, 12)) == (9, 13)  # iPad
    assert form.span((41, 45)) == (42, 46)  # U.S.
    assert form.span((7, 10)) is None  # cuts a token


@pytest.mark.parametrize(
    ("name", "metric"),
    [
        ("numbers", lambda: NumbersMetric(NumbersParams())),
        ("entities", lambda: EntitiesMetric(EntitiesParams())),
    ],
)
def test_uncased_tokenised_summaries_get_the_same_findings(name: str, metric: Any) -> None:
    share, problems = _agreement(metric())
    print(f"{name}: agreement {share:.1%}, {len(problems)} disagreements")
    assert share >= THRESHOLDS[name], f"{name}: {share:.1%}\n" + "\n".join(problems)
