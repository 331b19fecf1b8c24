"""Restore a lower-cased or tokenised summary before it is analysed.

Older and smaller models write "apple 's ipad sold 3 million units in the u.s ."
for "Apple's iPad sold 3 million units in the U.S.". Month names ("march"),
the number and unit pieces ("$ 5", "5 %") and every capital the NER and the
untagged-name check read are lost in that form. `restore` undoes it, using
the source the summary is checked against:

* detokenise (only when the text shows PTB tokenisation, `is_tokenised`):
  no space before ``, . ; : ! ? % ) ] }``, closing quotes and the clitics
  ``'s n't 're 've 'll 'd 'm``, none after ``( [ { $ £ € ¥ #`` and opening
  quotes; ```` `` ```` and ``''`` become ``"``, `` ` `` becomes ``'``, and
  ``-lrb-``/``-rrb-`` (CNN/DailyMail's brackets) become ``(``/``)``;
* truecase (only when the text has no capital letter at all, `is_uncased`):
  each word takes the source's most frequent cased form of it -- the form
  next to the same neighbouring word first ("bank of" -> "Bank of" from "the
  Bank of England ... the bank said"), then the word's own forms outside
  sentence starts (a tie keeps it lower-case); a word the source writes only at sentence starts
  keeps its case unless the source form has capitals inside it ("iPad",
  "OCHA"); words the source lacks are left as they are. Then each sentence's
  first letter is capitalised.

Text that is neither stays exactly as given (`Restored.changed` is false), so
a normal cased summary is analysed as before. Truecasing keeps every
character's position; detokenising drops spaces and shortens quote tokens,
so a `Restored` keeps, per character, the original span it came from:
`Restored.span` maps a span of the restored text back into the summary as
given, and `Restored.finding` does that for a metric finding.

>>> source = "Apple's iPad is sold in the U.S."
>>> r = restore("apple 's ipad sold 3 million units in the u.s .", source)
>>> r.text
"Apple's iPad sold 3 million units in the U.S."
>>> r.span(0, 7), r.original[0:8]
((0, 8), "apple 's")
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from harness.text.sentences import sentence_spans

#: PTB clitics that attach to the word before them.
_CLITICS = frozenset({"'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "’s", "n’t"})
#: Tokens written with no space before them.
_CLOSERS = frozenset({",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "...", "'"})
#: Tokens written with no space after them.
_OPENERS = frozenset({"(", "[", "{", "$", "£", "€", "¥", "#", "`"})
#: Tokens PTB (and CNN/DailyMail) write for brackets and quotes, and what they stand for.
_REWRITE = {
    "-lrb-": "(",
    "-rrb-": ")",
    "-lsb-": "[",
    "-rsb-": "]",
    "-lcb-": "{",
    "-rcb-": "}",
    "``": '"',
    "''": '"',
    "`": "'",
}
#: Split words PTB makes of one ("gonna" -> "gon na").
_SPLIT_WORDS = frozenset({("gon", "na"), ("wan", "na"), ("got", "ta")})
#: Marks of PTB tokenisation that normal prose does not show.
_TOKENISED = re.compile(
    r"[^\W_] (?:'s|n't|'re|'ve|'ll|'d|'m)(?=\s|$)"
    r"|[^\W_] [,.;:!?%)](?=\s|$)"
    r"|(?:^|\s)[($] (?=\w)"
    r"|``|(?:^|\s)''(?=\s|$)"
    r"|-[lr][rsc]b-",
    re.IGNORECASE,
)
#: A word for truecasing: letters/digits with inner dots, apostrophes, hyphens, ampersands.
_WORD = re.compile(r"[^\W_](?:[\w&'’.-]*[^\W_])?")
_PART = re.compile(r"[^\W_]+")
#: Characters after which a word opens a sentence-like unit.
_SENTENCE_OPENERS = frozenset(".!?\"“”‘'(:[—–•*\n")


def is_uncased(text: str) -> bool:
    """Whether ``text`` has letters but no capital letter.

    >>> is_uncased("apple 's ipad"), is_uncased("Apple's iPad"), is_uncased("3 %")
    (True, False, False)
    """
    return any(char.isalpha() for char in text) and not any(char.isupper() for char in text)


def is_tokenised(text: str) -> bool:
    """Whether ``text`` shows PTB tokenisation (" 's", " ,", "( x", "``", "-lrb-", ...).

    >>> is_tokenised("apple 's ipad"), is_tokenised("u.s ."), is_tokenised("Apple's iPad, U.S.")
    (True, True, False)
    """
    return _TOKENISED.search(text) is not None


@dataclass(frozen=True)
class Restored:
    """A summary as given and as restored for analysis.

    Attributes:
        original: The summary as given.
        text: The restored summary (``original`` itself when nothing changed).
        starts: For each character of ``text``, the start of the original span it comes from.
        ends: For each character of ``text``, the end of that span.
    """

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @property
    def changed(self) -> bool:
        """Whether the restored text differs from the original."""
        return self.text != self.original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` comes from.

        >>> restore("( x ) 5 %", "").span(4, 6)
        (6, 9)
        """
        if not self.changed:
            return (start, end)
        n = len(self.text)
        if end <= start:
            point = self.starts[start] if start < n else len(self.original)
            return (point, point)
        return (self.starts[start], self.ends[min(end, n) - 1])

    def finding(self, finding: dict[str, Any]) -> dict[str, Any]:
        """``finding`` with its ``span`` (and ``text``) moved into the original text."""
        if not self.changed or not finding.get("span"):
            return finding
        start, end = self.span(*finding["span"])
        return {**finding, "span": [start, end], "text": self.original[start:end]}


def _identity(text: str) -> Restored:
    return Restored(text, text, (), ())


def detokenise(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Undo PTB tokenisation; also return each output character's original span.

    >>> detokenise("he ca n't pay $ 5 , or 5 % ( of it )")[0]
    "he can't pay $5, or 5% (of it)"
    >>> detokenise("`` great , '' he said in the u.s .")[0]
    '"great," he said in the u.s.'
    >>> detokenise("a $ 100 , 000 deal and $ 7 . 6 billion in 2019 . 5 died")[0]
    'a $100,000 deal and $7.6 billion in 2019. 5 died'
    """
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    previous: str | None = None
    previous_end = 0
    quotes = 0
    inside_numbers = _spaced_number_parts(text)
    for match in re.finditer(r"\S+", text):
        raw = match.group()
        token = _REWRITE.get(raw.lower(), raw)
        opening = closing = False
        if raw == '"':
            opening, quotes = quotes % 2 == 0, quotes + 1
            closing = not opening
        elif raw in ("``", "`"):
            opening = True
        elif raw == "''":
            closing = True
        if previous is not None:
            glued = (
                closing
                or token in _CLOSERS
                or raw.lower() in _CLITICS
                or previous in _OPENERS
                or previous == "\x00open"
                or (previous.lower(), raw.lower()) in _SPLIT_WORDS
                or match.start() in inside_numbers
            )
            if not glued:
                # keep a line break: sentences are split on lines too
                out.append("\n" if "\n" in text[previous_end : match.start()] else " ")
                spans.append((match.start() - 1, match.start()))
        if len(token) == len(raw):
            out.append(token)
            spans.extend((match.start() + k, match.start() + k + 1) for k in range(len(raw)))
        else:
            out.append(token)
            spans.extend((match.start(), match.end()) for _ in token)
        previous = "\x00open" if opening else token
        previous_end = match.end()
    return "".join(out), spans


def _spaced_number_parts(text: str) -> frozenset[int]:
    """Where the parts of a number split PTB style ("13 , 000", "7 . 6") begin after its
    first, as the numbers engine rejoins them in a source (`harness.text.quantities`):
    detokenised alone, "$ 100 , 000" would be "$100, 000", two numbers, in a summary
    copied from a source where it is one."""
    if " , " not in text and " . " not in text:
        return frozenset()
    from harness.text.quantities.tokens import tokenise

    starts: set[int] = set()
    for token in tokenise(text):
        if token.kind == "num" and (" , " in token.text or " . " in token.text):
            starts.update(
                token.start + part.start()
                for part in re.finditer(r"\S+", token.text)
                if part.start() > 0
            )
    return frozenset(starts)


def _initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_OPENERS


@dataclass(frozen=True)
class _Casing:
    """How a source writes its words: forms outside sentence starts, and beside neighbours."""

    words: dict[str, Counter[str]]
    initial: dict[str, Counter[str]]
    after: dict[tuple[str, str], Counter[str]]  # (previous, word) -> forms of word
    before: dict[tuple[str, str], Counter[str]]  # (word, next) -> forms of word


@lru_cache(maxsize=256)
def _casing(source: str) -> _Casing:
    words: dict[str, Counter[str]] = {}
    initial: dict[str, Counter[str]] = {}
    after: dict[tuple[str, str], Counter[str]] = {}
    before: dict[tuple[str, str], Counter[str]] = {}
    found = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(source)]
    for i, (form, start, end) in enumerate(found):
        low = form.lower()
        opens = _initial(source, start)
        (initial if opens else words).setdefault(low, Counter())[form] += 1
        if i and source[found[i - 1][2] : start] == " ":
            after.setdefault((found[i - 1][0].lower(), low), Counter())[form] += 1
        # at a sentence start only capitals inside a word tell ("DR Congo", not "The")
        informative = not opens or any(char.isupper() for char in form[1:])
        if informative and i + 1 < len(found) and source[end : found[i + 1][1]] == " ":
            before.setdefault((low, found[i + 1][0].lower()), Counter())[form] += 1
    return _Casing(words, initial, after, before)


def _choice(forms: Counter[str] | None, low: str) -> str | None:
    """The most frequent form, ``None`` on a tie with another form (or with none)."""
    if not forms:
        return None
    ranked = forms.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return low if low in forms else None
    return ranked[0][0]


def _form_of(low: str, casing: _Casing, prev: str | None, nxt: str | None) -> str | None:
    for forms in (
        casing.after.get((prev, low)) if prev else None,
        casing.before.get((low, nxt)) if nxt else None,
        casing.words.get(low),
    ):
        form = _choice(forms, low)
        if form is not None:
            return form
    form = _choice(casing.initial.get(low), low)
    if form is not None and any(char.isupper() for char in form[1:]):
        return form  # "iPad", "OCHA": capitals inside are no sentence start
    return None


def _apply(word: str, form: str | None) -> str:
    """``word`` in the case of ``form`` when they are the same word, else unchanged."""
    if form is None or len(form) != len(word) or form.lower() != word:
        return word
    return form


def truecase(text: str, source: str) -> str:
    """Case the words of lower-cased ``text`` as ``source`` writes them (module docstring).

    Every character keeps its position (a form that changes length is not used).

    >>> truecase("the bank of england met in march. it said no.", "In March the Bank of England")
    'The Bank of England met in March. It said no.'
    """
    casing = _casing(source)
    chars = list(text)
    found = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    for i, (word, start, end) in enumerate(found):
        prev = found[i - 1][0] if i and text[found[i - 1][2] : start] == " " else None
        nxt = found[i + 1][0] if i + 1 < len(found) and text[end : found[i + 1][1]] == " " else None
        whole = _form_of(word, casing, prev, nxt)
        cased = _apply(word, whole)
        if whole is None and any(char in word for char in "-'’&"):
            # "ndiaye-sow", "apple's": case the parts ("s" of "'s" stays as it is)
            pieces = list(word)
            for part in _PART.finditer(word):
                if len(part.group()) > 1:
                    form = _form_of(part.group(), casing, None, None)
                    pieces[part.start() : part.end()] = _apply(part.group(), form)
            cased = "".join(pieces)
        chars[start:end] = cased
    for start, _ in sentence_spans(text):
        for k in range(start, len(chars)):
            if chars[k].isalnum():
                if chars[k].islower() and len(chars[k].upper()) == 1:
                    chars[k] = chars[k].upper()
                break
    return "".join(chars)


@lru_cache(maxsize=4096)
def restore(summary: str, source: str) -> Restored:
    """``summary`` detokenised (if tokenised) and truecased from ``source`` (if uncased).

    Args:
        summary: The summary as the system wrote it.
        source: The text it is checked against (casing is taken from it).

    Returns:
        The restored text and its offset map; ``Restored.changed`` is false for
        normal cased prose.
    """
    tokenised, uncased = is_tokenised(summary), is_uncased(summary)
    if not tokenised and not uncased:
        return _identity(summary)
    if tokenised:
        text, spans = detokenise(summary)
    else:
        text, spans = summary, [(k, k + 1) for k in range(len(summary))]
    if uncased:
        text = truecase(text, source)
    if text == summary:
        return _identity(summary)
    return Restored(
        summary, text, tuple(start for start, _ in spans), tuple(end for _, end in spans)
    )


__all__ = ["Restored", "detokenise", "is_tokenised", "is_uncased", "restore", "truecase"]
