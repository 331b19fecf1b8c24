"""Quotations: what a summary puts in quotation marks must be the source's words.

A quotation claims the source's exact wording, so a paraphrase may reword
everything except what it quotes. `unquoted_quotations` finds the quoted
spans of a summary whose words the source never says in that order: in
double quotes (``"…"``, ``“…”``, ``„…“``, ``«…»``, ``»…«``), single quotes
(``‘…’``, ``'…'``, ``‹…›``) or the tokenized marks of Penn Treebank text. Words
are compared lower-cased, without punctuation (so case, hyphens, soft hyphens,
commas and tokenized text such as ``do n't`` for ``don't`` do not matter); an
ellipsis inside a quote marks an omission and words in square brackets the
quoter's insertion ("[Ukraine] will never surrender"), and each part must then
be in the source on its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

#: A quoted span: between straight double quotes (group 1), typographic or
#: guillemet quotes (2-5: “…”, „…“ or „…” as German and Polish write them,
#: «…», »…«), the ``...'' quotes of tokenized (Penn Treebank) text (6), or
#: single quotes, as British news writes quotations (7-9: ‘…’, '…', ‹…›); never
#: across a line break. Of any length: a cap let a long quotation go unread, and
#: its closing mark then opened a "quotation" of the text up to the next one's
#: opening mark. A single quote is also an apostrophe ("Kyiv’s", "the soldiers’
#: homes", "’90s"), so it opens only where no word precedes it and closes only
#: where no word follows (the first such mark: an apostrophe inside is skipped,
#: "‘Kyiv’s answer’"); a straight one must also touch a word on its inner side and
#: not begin an elision ("'90s", "'em", "rock 'n' roll", tokenized "he 's").
_QUOTED = re.compile(
    r'"([^"\n]+)"'
    r"|“([^“”\n]+)”|„([^„“”\n]+)[“”]|«([^«»\n]+)»|»([^«»\n]+)«"
    r"|``([^\n]+?)''"
    r"|(?<![\w‘’])‘([^‘\n]+?)’(?![\w’])"
    r"|(?<![\w'`])'(?!(?:\d\d|n'|em\b|til\b|cause\b|cos\b|bout\b|tis\b|twas\b|s\b|t\b|re\b|ve\b|ll\b|d\b|m\b))"
    r"(?=\w)((?:[^'\n]|(?<=\w)'(?=\w))*?\S)'(?![\w'])"
    r"|‹([^‹›\n]+)›",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)
#: Where a quotation leaves the source's words: an ellipsis (an omission) or words
#: in square brackets (the quoter's own, put in for clarity: "[Ukraine] will never
#: surrender"); each part between them must be the source's.
_ELLIPSIS = re.compile(r"\.\s*\.\s*\.|…|\[[^\]\n]*\]")
#: "n't", attached or tokenized apart ("don't", "do n't"), read as "not".
_NOT = re.compile(r"\s*n['’]t\b", re.IGNORECASE)


def _words(text: str) -> tuple[str, ...]:
    # a soft hyphen (U+00AD) is invisible, a place a word may break, never a word boundary
    text = _NOT.sub(" not", text.replace("\u00ad", ""))
    return tuple(word.lower() for word in _WORD.findall(text))


@lru_cache(maxsize=2048)
def _source_text(source: str) -> str:
    """The source's words joined by single spaces, padded, for phrase lookups."""
    return " " + " ".join(_words(source)) + " "


def _says(source: str, words: tuple[str, ...]) -> bool:
    return f" {' '.join(words)} " in _source_text(source)


#: What may stand right before a straight quotation mark that opens a quotation.
_OPENS_AFTER = frozenset("([{—–-/")


def _pairs(text: str, start: int, end: int) -> bool:
    """Whether the straight marks at ``start`` and ``end - 1`` can open and close a quotation."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return (before.isspace() or before in _OPENS_AFTER) and not after.isalnum()


def quotations(summary: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each quoted span's text (inside its quotation marks, stripped).

    An odd number of straight double quotes leaves them unpaired and unread, and
    so does a pair whose first mark can only close a quotation (it follows a
    word or punctuation: ``one," he said``) or whose second can only open one
    (a word follows it): such marks belong to quotations cut apart, as when
    sentences are extracted from inside a quoted passage.

    >>> text = 'They guess "pimp" and “masseuse”.'
    >>> [text[start:end] for start, end in quotations(text)]
    ['pimp', 'masseuse']
    >>> quotations('He said "yes, and left.')
    []
    >>> quotations('Not a distressed one," he said. There is room," Langat said.')
    []
    """
    spans = []
    balanced = summary.count('"') % 2 == 0
    for match in _QUOTED.finditer(summary):
        group = next(index for index in range(1, 10) if match.group(index) is not None)
        if group == 1 and not (balanced and _pairs(summary, match.start(), match.end())):
            continue
        start, end = match.start(group), match.end(group)
        inner = summary[start:end]
        start += len(inner) - len(inner.lstrip())
        end -= len(inner) - len(inner.rstrip())
        if start < end:
            spans.append((start, end))
    return spans


def unquoted_quotations(summary: str, source: str) -> list[dict[str, Any]]:
    """Findings for quoted summary spans whose words the source never says in that order.

    >>> source = "Joseph: It's a lifeguard. Gabriel: A masseuse!"
    >>> [f["text"] for f in unquoted_quotations('They guess "masseuse" and "therapist".', source)]
    ['therapist']
    >>> unquoted_quotations('He called it "a lifeguard" ... "a  Masseuse".', source)
    []
    """
    findings = []
    for start, end in quotations(summary):
        quoted = summary[start:end]
        parts = [_words(part) for part in _ELLIPSIS.split(quoted)]
        missing = [part for part in parts if part and not _says(source, part)]
        if not missing:
            continue
        findings.append(
            {
                "kind": "quote",
                "text": quoted,
                "span": [start, end],
                "status": "unsupported",
                "evidence": f"the summary quotes “{quoted}”; the source never says "
                + ("it" if len(parts) == 1 else "“" + " ".join(missing[0]) + "”"),
            }
        )
    return findings


__all__ = ["quotations", "unquoted_quotations"]
