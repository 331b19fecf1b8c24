"""What the sentence-level model metrics (``embedding``, ``nli``) share.

Both score each summary sentence against units of the source (sentences or
chunks), keep the best-matching unit per sentence, and report one finding per
sentence they show: the same pair of "no sentence" reasons and the same
finding shape, and the split of a unit too long for the model's input
(`fit_to_tokens`), written once here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from harness.metric._protocol import MetricInput, MetricResult
from harness.text.sentences import sentence_spans

Span = tuple[int, int]
#: A text's tokens as character offsets into it (`token_offsets`).
TokenOffsets = Callable[[str], Sequence[Span]]
_WORD = re.compile(r"\S+")


def token_offsets(tokenizer: Any, text: str) -> list[Span]:
    """The tokens of ``text`` (no special tokens) as character offsets into it.

    A fast tokenizer gives its ``offset_mapping``; for a slow one each word
    (a run of non-space characters) counts as the tokens it encodes to alone,
    each with the word's offsets.
    """
    if getattr(tokenizer, "is_fast", False):
        encoded = tokenizer(
            text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        return [(int(start), int(end)) for start, end in encoded["offset_mapping"]]
    offsets: list[Span] = []
    for word in _WORD.finditer(text):
        pieces = len(tokenizer(word.group(), add_special_tokens=False, verbose=False)["input_ids"])
        offsets += [(word.start(), word.end())] * max(pieces, 1)
    return offsets


def fit_to_tokens(
    text: str, spans: Sequence[Span], offsets: TokenOffsets, budget: int
) -> list[Span]:
    """``spans`` of ``text``, each one over ``budget`` tokens split into consecutive windows.

    A model cuts an input over its length at the end, unseen: a summary of a
    long unit's end would be scored against its start only. A window ends
    before a token that starts a word (after whitespace), so that its text
    tokenizes as it did in place; a single word over ``budget`` tokens is cut
    between its tokens. Whitespace between windows is in neither.

    >>> words = lambda text: [(m.start(), m.end()) for m in _WORD.finditer(text)]
    >>> text = "one two three four five"
    >>> [text[s:e] for s, e in fit_to_tokens(text, [(0, 23)], words, 2)]
    ['one two', 'three four', 'five']
    >>> fit_to_tokens(text, [(0, 7), (8, 23)], words, 2)
    [(0, 7), (8, 18), (19, 23)]

    Args:
        text: The text the spans are of.
        spans: Character spans of its units (sentences, chunks).
        offsets: The tokens of a unit's text, as character offsets into it
            (`token_offsets`).
        budget: Most tokens per window (at least 1).
    """
    fitted: list[Span] = []
    for start, end in spans:
        unit = text[start:end]
        tokens = list(offsets(unit))
        if len(tokens) <= budget:
            fitted.append((start, end))
            continue
        first = 0
        while first < len(tokens):
            last = min(first + budget, len(tokens))  # the window is tokens[first:last]
            if last < len(tokens):
                breaks = [i for i in range(first + 1, last + 1) if _starts_word(unit, tokens, i)]
                last = breaks[-1] if breaks else last
            window = unit[tokens[first][0] : tokens[last - 1][1]]
            begin = start + tokens[first][0] + len(window) - len(window.lstrip())
            fitted.append((begin, begin + len(window.strip())))
            first = last
    return fitted


def _starts_word(text: str, tokens: Sequence[Span], index: int) -> bool:
    """Whether token ``index`` opens a word: whitespace is just before it (or in it)."""
    begin = tokens[index][0]
    if begin == tokens[index - 1][0]:  # another token of the same word (a slow tokenizer's)
        return False
    return text[begin : begin + 1].isspace() or (begin > 0 and text[begin - 1].isspace())


def summary_and_source_units(
    item: MetricInput,
    value_names: Sequence[str],
    source_units: Callable[[str], Sequence[Span]],
    summary_units: Callable[[str], Sequence[Span]] = sentence_spans,
) -> tuple[list[Span], Sequence[Span]] | MetricResult:
    """The summary's sentence spans and the source's units, or the reason there are none.

    Args:
        item: The pair to score.
        value_names: The metric's values, in the order it reports them; all
            ``None`` in the result returned when a side has no sentence.
        source_units: The source's units (sentence or chunk spans), usually memoised.
        summary_units: The summary's units (its sentences, by default).

    Returns:
        ``(summary spans, source units)``, or a result with ``None`` values and
        the reason when the summary or the source has no sentence.
    """
    empty: dict[str, float | None] = dict.fromkeys(value_names)
    spans = list(summary_units(item.summary))
    if not spans:
        return MetricResult(values=empty, reason="summary has no sentence")
    units = source_units(item.example.source)
    if not units:
        return MetricResult(values=empty, reason="source has no sentence")
    return spans, units


def sentence_finding(
    item: MetricInput, span: Span, source_span: Span, status: str, evidence: str
) -> dict[str, Any]:
    """One summary sentence's finding: its best source unit and why it got ``status``."""
    start, end = span
    source_start, source_end = source_span
    return {
        "kind": "sentence",
        "text": item.summary[start:end],
        "span": [start, end],
        "status": status,
        "source_span": [source_start, source_end],
        "source_text": item.example.source[source_start:source_end],
        "evidence": evidence,
    }


__all__ = [
    "Span",
    "TokenOffsets",
    "fit_to_tokens",
    "sentence_finding",
    "summary_and_source_units",
    "token_offsets",
]
