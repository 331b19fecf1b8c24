"""Frames: the content words before a quantity that say what it is stated of.

"the IMF cut its growth forecast to 2.8%" -> imf, growth, forecast (see `Quantity.frame`).
"""

from __future__ import annotations

from harness.text.quantities.cues import DIRECTION_VERBS, LINKS, REPORTING, WEEKDAYS
from harness.text.quantities.lexicon import STOPWORDS
from harness.text.quantities.stems import stem
from harness.text.quantities.tokens import TokenDoc


def frame_of(doc: TokenDoc, left: list[int]) -> tuple[str, ...]:
    """Content-word stems of the left window, in text order (see `Quantity.frame`)."""
    words = [stem(doc.lows[k]) for k in reversed(left) if frame_word(doc, k)]
    return tuple(dict.fromkeys(words))


def frame_word(doc: TokenDoc, k: int) -> bool:
    """Token ``k`` is a content word that can say what a number is stated of."""
    low = doc.lows[k]
    return (
        doc.toks[k].kind == "word"
        and len(low) > 1
        and low not in STOPWORDS
        and low not in REPORTING
        and low not in WEEKDAYS
        and low not in LINKS
        and low not in DIRECTION_VERBS
    )


def sentence_stems(doc: TokenDoc) -> list[frozenset[str]]:
    """Stems of the frame words of each sentence (`Quantity.sentence_words`)."""
    stems: list[set[str]] = [set() for _ in doc.sent_starts]
    for k, sent in enumerate(doc.tok_sent):
        if frame_word(doc, k):
            stems[sent].add(stem(doc.lows[k]))
    return [frozenset(words) for words in stems]
