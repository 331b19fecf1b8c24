"""Sentence splitting shared by every backend and metric.

Uses spaCy's rule-based ``sentencizer`` on a blank English pipeline (its
tokenizer knows abbreviations such as "U.S." and "Mr."), after splitting on
line breaks, since news text puts headlines and paragraphs on their own lines.
No statistical model is needed, so this works offline and is fast.

Any length: a line longer than `STEP_CHARS` (a source with no line breaks,
as CNN/DailyMail articles are stored) is split in steps, each ending at a
space; a step's last sentence may run on past it, so it is left out and the
next step starts where it starts. The sentences are those of the whole line
(the sentencizer decides a boundary from the tokens before it and the one
after), and spaCy's ``max_length`` is never reached. Spans of recent texts
are memoised: a source is split by the backends and by several metrics.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

_LINE = re.compile(r"[^\n]+")

#: Longest stretch of a line given to the sentencizer at once (characters).
STEP_CHARS = 100_000


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
    return list(_sentence_spans(text))


@lru_cache(maxsize=256)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    nlp = _sentencizer()
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        if not line.group().strip():
            continue
        line_spans: list[tuple[int, int]] = []
        for sent_start, sent_end in _line_sentences(nlp, line.group()):
            start = line.start() + sent_start
            chunk = text[start : line.start() + sent_end]
            stripped = chunk.strip()
            if not stripped:
                continue
            start += len(chunk) - len(chunk.lstrip())
            line_spans.append((start, start + len(stripped)))
        spans += _move_openers(text, _join_before_numbers(text, line_spans))
    return tuple(spans)


#: A spaced decimal point at a sentence's end, as PTB tokenisation writes "$ 7 . 6
#: billion": the digits before it, the point, and the digit that starts the next.
_SPACED_POINT_END = re.compile(r"(?<!\S)(\d+) \.$")
#: A four-digit year before a spaced point ends a sentence ("in 2019 . 5 died").
_YEAR = re.compile(r"(?:18|19|20)\d\d")
#: Abbreviations written before a number ("No. 10 Downing St.", "approx. 5 million",
#: "Fig. 3"), which spaCy's tokenizer does not know: its sentencizer ends a sentence
#: at their dot when a digit follows.
_BEFORE_NUMBER = re.compile(
    r"(?<![^\s(])(?:No|Nos|Nr|Fig|Figs|Vol|Vols|Op|Art|Sec|Ch|Ref|approx|ca|pp|p)\.$"
)


def _join_before_numbers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join the sentences the sentencizer made of one PTB-tokenised number ("7 . 6"),
    or of an abbreviation and the number it is written before ("No. 10", "approx. 5").

    In tokenised text (the CNN/DailyMail sources of QAGS) a decimal point is a
    token of its own, and the sentencizer ends a sentence at it: lead-3 then
    extracts "... a $ 7 ." for "$ 7 . 6 billion". The numbers engine reads such a
    spaced point as a decimal point unless a year stands before it
    (`harness.text.quantities.tokens`), and the sentences follow it.

    >>> split_sentences("it cost $ 7 . 6 billion . in 2019 . 5 people died .")
    ['it cost $ 7 . 6 billion .', 'in 2019 .', '5 people died .']
    >>> split_sentences("He lives at No. 10 Downing St. in London. It cost approx. 5 million.")
    ['He lives at No. 10 Downing St. in London.', 'It cost approx. 5 million.']
    """
    if len(spans) < 2:
        return spans
    joined = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = joined[-1]
        point = _SPACED_POINT_END.search(text, last_start, last_end)
        spaced_point = point is not None and not _YEAR.fullmatch(point.group(1))
        abbreviation = _BEFORE_NUMBER.search(text, last_start, last_end) is not None
        if (spaced_point or abbreviation) and text[last_end:start] == " " and text[start].isdigit():
            joined[-1] = (last_start, end)
        else:
            joined.append((start, end))
    return joined


#: Marks that open a quotation or an aside when a space stands before them.
_OPENERS = frozenset("\"“‘'([")


def _move_openers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give an opening mark the sentencizer left at the end of a sentence to the next one.

    After a full stop spaCy's sentencizer keeps every punctuation token in the
    sentence, so in ``said. "Investors are`` the quotation mark that opens the
    next sentence ends this one, and a summary that extracts either sentence
    carries a stray or a missing mark.

    >>> text = 'He said. "Next, we go." Done.'
    >>> [text[s:e] for s, e in _move_openers(text, [(0, 10), (10, 23), (24, 29)])]
    ['He said.', '"Next, we go."', 'Done.']
    """
    moved = list(spans)
    for index in range(len(moved) - 1):
        start, end = moved[index]
        following_start, following_end = moved[index + 1]
        mark = end - 1
        if (
            mark - start >= 2
            and text[mark] in _OPENERS
            and text[mark - 1].isspace()
            and not text[end:following_start].strip()
        ):
            moved[index] = (start, start + len(text[start:mark].rstrip()))
            moved[index + 1] = (mark, following_end)
    return moved


def _line_sentences(nlp: Any, line: str) -> Iterator[tuple[int, int]]:
    """Sentence spans of one line, of any length, in steps of at most `STEP_CHARS`."""
    start = 0
    while len(line) - start > STEP_CHARS:
        window = line[start : start + STEP_CHARS]
        space = max(window.rfind(" "), window.rfind("\t"))
        step = window[: space + 1] if space > 0 else window
        sents = list(nlp(step).sents)
        # The last sentence may go on after the step: the next step starts at it
        # (unless it is the only one: a sentence longer than a step is cut there).
        last = sents.pop() if len(sents) > 1 else None
        for sent in sents:
            yield start + sent.start_char, start + sent.end_char
        start += last.start_char if last is not None else len(step)
    for sent in nlp(line[start:]).sents:
        yield start + sent.start_char, start + sent.end_char


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
