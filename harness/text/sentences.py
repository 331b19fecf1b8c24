"""Sentence splitting shared by every backend and metric.

Uses spaCy's rule-based ``sentencizer`` on a blank English pipeline (its
tokenizer knows abbreviations such as "U.S." and "Mr."), after splitting on
line breaks, since news text puts headlines and paragraphs on their own lines.
No statistical model is needed, so this works offline and is fast.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_LINE = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def _sentencizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``.

    Spans exclude surrounding whitespace; blank input gives no spans.

    >>> text = "Two died. The U.S. sent aid.\\nNew line"
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['Two died.', 'The U.S. sent aid.', 'New line']
    """
    nlp = _sentencizer()
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        if not line.group().strip():
            continue
        doc = nlp(line.group())
        for sent in doc.sents:
            start = line.start() + sent.start_char
            end = line.start() + sent.end_char
            chunk = text[start:end]
            stripped = chunk.strip()
            if not stripped:
                continue
            start += len(chunk) - len(chunk.lstrip())
            spans.append((start, start + len(stripped)))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings.

    >>> split_sentences("Mr. Kim left at 5 p.m. on Monday. He returned.")
    ['Mr. Kim left at 5 p.m. on Monday.', 'He returned.']
    """
    return [text[start:end] for start, end in sentence_spans(text)]


_WORD = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """Word tokens (letters/digits, keeping inner hyphens, apostrophes and dots).

    >>> words("The five-day fire cost $4.2bn, officials' said.")
    ['The', 'five-day', 'fire', 'cost', '4.2bn', 'officials', 'said']
    """
    return _WORD.findall(text)
