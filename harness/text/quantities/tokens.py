"""Tokens of a text, and the tokenised text the scanner reads (`TokenDoc`).

A regular-expression tokeniser: currency prefixes, digits with separators and an
attached suffix ("4.2bn", "2:03:11", "2025/26"), words, and any other character.
Phone numbers are opaque; numbers split Penn-Treebank style ("13 , 000") are rejoined,
and so are thousands grouped by spaces ("4 200"; `_merge_space_groups`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from harness.text.quantities.lexicon import (
    CURRENCY_SYMBOLS,
    MONTHS,
    ORDINAL_SUFFIXES,
    QUALIFIERS_BY_LAST,
)
from harness.text.sentences import sentence_spans

# currency prefixes; digits with separators and an attached suffix ("4.2bn", "2:03:11",
# "2025/26"); a decimal with no leading zero (".5%", "$.50"; not after a word, digit or
# dot: "v.5", "...5"); words ("U.S", "km/h"); any other character. A dot or comma joins
# digits to digits only, so "18.Japan" is "18", ".", "Japan".
_TOKEN_RE = re.compile(
    r"(?:US|HK|NZ|R|C|A|S)\$|\d+(?:[.,:/]\d+)*[^\W\d_]*|(?<![\w.])\.\d+[^\W\d_]*"
    r"|[^\W\d_]+(?:[./][^\W\d_]+)*|\S"
)
_DIGIT_RE = re.compile(r"\d")
_YEARLIKE = re.compile(r"(?:18|19|20)\d\d")
_NUM_RE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_NUMSUF_RE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?([^\W\d_]+[²³]?)")
_DECIMAL_COMMA_RE = re.compile(r"(\d{1,3}),(\d{1,2})([^\W\d_]*)")
#: Thousands grouped by dots, as much of Europe writes them: "1.234.567", "1.250,50"
#: (a decimal comma after), or "10.000" in a text that uses such grouping elsewhere
#: or groups no number with commas (three zeros after a single dot are no decimals).
_DOT_GROUPED_RE = re.compile(r"(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}))?([^\W\d_]*)")
_SURE_DOT_GROUPED = re.compile(r"\d\.\d{3}\.\d{3}(?![\d.])|\d\.\d{3},\d{1,2}(?![\d,])")
_ROUND_DOT_GROUPED = re.compile(r"\d{1,3}\.000[^\W\d_]*")
HMS_RE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
YRANGE_RE = re.compile(r"((?:18|19|20)\d{2})/(\d{2}|(?:18|19|20)\d{2})")
_PHONE_RE = re.compile(
    r"(?<![\w.])(?:\+\d[\d ()\-]{6,}\d|\(\d{2,4}\)\s?\d{3,4}[\s\-]?\d{3,4}"
    r"|\d{3}[\-.]\d{3}[\-.]\d{4}|\d{3}-\d{4})(?![\w])"
)


#: Punctuation read as its ASCII form (the token keeps its text and span): the
#: full-width and small percent signs of East Asian text ("１２％" is 12%).
_PUNCT_READ_AS = {"\uff05": "%", "\ufe6a": "%"}


class Token(NamedTuple):
    """One token: its text, lowercased form, offsets and kind (with the number it is)."""

    text: str
    lower: str
    start: int
    end: int
    kind: str  # num, numsuf, hms, yrange, word, sym, punct, opaque
    num: float = 0.0
    decimals: int = -1  # -1: not a number
    sep: bool = False
    suffix: str = ""


def tokenise(text: str) -> list[Token]:
    """The tokens of ``text`` in order."""
    phones = [m.span() for m in _PHONE_RE.finditer(text)] if _DIGIT_RE.search(text) else []
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN_RE.finditer(text):
        word = match.group()
        start, end = match.span()
        if word.isalpha():
            append(Token(word, word.lower(), start, end, "word"))
        elif phones and any(s <= start < e for s, e in phones):
            append(Token(word, word.lower(), start, end, "opaque"))
        elif word[0].isdigit():
            append(_classify_digits(word, start, end))
        elif word[0] == "." and len(word) > 1:  # ".5%": read as "0.5", spans as written
            append(_classify_digits("0" + word, start, end)._replace(text=word, lower=word.lower()))
        elif word[-1] == "$" or word in CURRENCY_SYMBOLS:
            append(Token(word, word, start, end, "sym"))
        elif word[0].isalpha():
            append(Token(word, word.lower(), start, end, "opaque"))
        else:
            append(Token(word, _PUNCT_READ_AS.get(word, word), start, end, "punct"))
    if "." in text and _DIGIT_RE.search(text):
        tokens = _dot_groups(text, tokens)
    if _GROUPED_RE.search(text):
        tokens = _merge_space_groups(text, tokens)
    return _merge_spaced_numbers(text, tokens) if " , " in text or " . " in text else tokens


# thousands grouped by a space: "4 200" (no-break, narrow no-break or thin space, or
# a plain one where nothing else can be meant)
_GROUPED_RE = re.compile(r"\d[ \u00a0\u202f\u2009]\d{3}(?!\d)")
_GROUP_SPACES = frozenset("\u00a0\u202f\u2009")
_LEAD_GROUP = re.compile(r"[1-9]\d{0,2}")
_MID_GROUP = re.compile(r"\d{3}")
_LAST_GROUP = re.compile(r"\d{3}(?:\.\d+|,\d{1,2})?[^\W\d_]*")
_COMMA_GROUPED = re.compile(r"\d,\d{3}(?!\d)")
# words after which a number with a plain space in it can only be one number ("some
# 4 200 people"); after others ("on May 5 200 people", "day 5 200 cases", "at 7 100")
# the first group may end a name, a date or a time
_PLAIN_GROUP_LEADS = frozenset(
    {
        "some", "about", "around", "approximately", "roughly", "nearly", "almost", "over",
        "than", "least", "most", "up", "of", "the", "with", "by", "for", "had",
        "has", "have", "were", "was", "are", "is", "been", "killed", "estimated", "total",
    }
)  # fmt: skip


def _dot_groups(text: str, tokens: list[Token]) -> list[Token]:
    """Numbers whose thousands are grouped by dots read as such: always where two
    groups or a decimal comma leave no other reading ("1.234.567", "1.250,50"); a
    single group ("10.000", "2.500") where the text writes such a number elsewhere,
    or three zeros ("10.000 people") where the text groups no number with commas."""
    sure = _SURE_DOT_GROUPED.search(text) is not None
    round_ok = sure or _COMMA_GROUPED.search(text) is None
    out = []
    for tok in tokens:
        m = _DOT_GROUPED_RE.fullmatch(tok.text) if tok.kind in ("num", "numsuf", "opaque") else None
        if m is not None and (
            m.group(1).count(".") > 1
            or m.group(2) is not None
            or sure
            or (round_ok and _ROUND_DOT_GROUPED.fullmatch(tok.text))
        ):
            whole, frac, suffix = m.group(1).replace(".", ""), m.group(2) or "", m.group(3)
            digits = f"{int(whole):,}" + (f".{frac}" if frac else "") + suffix
            tok = _classify_digits(digits, tok.start, tok.end)._replace(
                text=tok.text, lower=tok.lower
            )
        out.append(tok)
    return out


def _merge_space_groups(text: str, tokens: list[Token]) -> list[Token]:
    """Join a number whose thousands are grouped by spaces ("4 200" with a no-break
    space, "1 234 567") into one token. A no-break, narrow no-break or thin space
    always groups; a plain space only where the text groups no number with commas
    and either two groups follow ("1 234 567") or the number starts a sentence or
    follows a currency symbol or a word of `_PLAIN_GROUP_LEADS` ("some 4 200 people").
    """
    plain_ok = _COMMA_GROUPED.search(text) is None
    merged: list[Token] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        end = i
        if tok.kind == "num" and _LEAD_GROUP.fullmatch(tok.text):
            end, plain = _group_end(text, tokens, i)
            if plain and (not plain_ok or not (end - i >= 2 or _plain_lead(tokens, i))):
                end = i
        if end == i:
            merged.append(tok)
            i += 1
            continue
        # "4 200,5": the groups' spaces are thousands separators, a comma the decimal one
        merged.append(_joined(text, tok, tokens[end], _GROUPED_DIGITS))
        i = end + 1
    return merged


#: How `_merge_space_groups` writes a space-grouped number for `_classify_digits`.
_GROUPED_DIGITS = str.maketrans({" ": ",", "\u00a0": ",", "\u202f": ",", "\u2009": ",", ",": "."})


def _joined(text: str, first: Token, last: Token, table: Mapping[int, str | None]) -> Token:
    """One number token for ``first`` .. ``last``: their surface text, classified as
    the digits ``table`` (a `str.translate` table) makes of it."""
    surface = text[first.start : last.end]
    return _classify_digits(surface.translate(table), first.start, last.end)._replace(text=surface)


def _group_end(text: str, tokens: list[Token], i: int) -> tuple[int, bool]:
    """The last token of the groups after token ``i``, and whether a plain space
    separates any of them (``(i, False)`` when none follows)."""
    end, plain = i, False
    while end + 1 < len(tokens):
        nxt = tokens[end + 1]
        gap = text[tokens[end].end : nxt.start]
        if len(gap) != 1 or not (gap == " " or gap in _GROUP_SPACES):
            break
        if nxt.kind == "num" and _MID_GROUP.fullmatch(nxt.text):
            end, plain = end + 1, plain or gap == " "
            continue
        if nxt.kind in ("num", "numsuf") and _LAST_GROUP.fullmatch(nxt.text):
            end, plain = end + 1, plain or gap == " "
        break
    return end, plain


def _plain_lead(tokens: list[Token], i: int) -> bool:
    """Token ``i`` starts the text or a sentence, or follows a currency symbol or a
    word after which it can only start a number."""
    if i == 0:
        return True
    prev = tokens[i - 1]
    return prev.kind == "sym" or prev.text in (".", "!", "?") or prev.lower in _PLAIN_GROUP_LEADS


def _merge_spaced_numbers(text: str, tokens: list[Token]) -> list[Token]:
    """Rejoin numbers that a Penn-Treebank-style tokenisation split ("3 , 700",
    "122 . 5", as in the CNN/DailyMail sources of QAGS): a separator with a space
    on both sides never occurs inside a number in ordinary text."""
    merged: list[Token] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.kind != "num" or tok.decimals > 0:
            merged.append(tok)
            i += 1
            continue
        end = i
        thousands = tok.sep or len(tok.text) <= 3
        while end + 2 < n:
            sep, nxt = tokens[end + 1], tokens[end + 2]
            spaced = tokens[end].end < sep.start and sep.end < nxt.start
            if not spaced or nxt.kind != "num" or nxt.sep or nxt.decimals > 0:
                break
            if sep.text == "," and thousands and len(nxt.text) == 3:
                end += 2
            elif sep.text == "." and not (end == i and _YEARLIKE.fullmatch(tok.text)):
                end += 2  # "2019 . 5 people" is a sentence end, not 2019.5
                break  # a decimal part ends the number
            else:
                break
        if end == i:
            merged.append(tok)
            i += 1
            continue
        merged.append(_joined(text, tok, tokens[end], _SPACES_DROPPED))
        i = end + 1
    return merged


#: How `_merge_spaced_numbers` writes "3 , 700" for `_classify_digits`: "3,700".
_SPACES_DROPPED = str.maketrans({" ": None})


def _classify_digits(word: str, start: int, end: int) -> Token:
    lower = word.lower()
    m = _NUM_RE.fullmatch(word)
    if m:
        whole, frac = m.group(1), m.group(2)
        value = float(whole.replace(",", "") + ("." + frac if frac else ""))
        return Token(word, lower, start, end, "num", value, len(frac or ""), "," in whole)
    m = _NUMSUF_RE.fullmatch(word)
    if m:
        whole, frac, suffix = m.group(1), m.group(2), m.group(3)
        value = float(whole.replace(",", "") + ("." + frac if frac else ""))
        return Token(
            word, lower, start, end, "numsuf", value, len(frac or ""), "," in whole, suffix
        )
    if HMS_RE.fullmatch(word):
        return Token(word, lower, start, end, "hms")
    if YRANGE_RE.fullmatch(word):
        return Token(word, lower, start, end, "yrange")
    m = _DECIMAL_COMMA_RE.fullmatch(word)
    if m:  # "9,7 billion", "12,5%": a comma before one or two digits is no thousands one
        point = f"{m.group(1)}.{m.group(2)}{m.group(3)}"
        return _classify_digits(point, start, end)._replace(text=word, lower=lower)
    return Token(word, lower, start, end, "opaque")


class TokenDoc:
    """A text's tokens and sentences, with the look-ups the scanner makes.

    Attributes:
        text: The text.
        toks: Its tokens, in order; ``n`` of them.
        lows: Each token lowercased.
        sent_starts: Character offset of each sentence (`sentence_spans`).
        tok_sent: Sentence index of each token.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenise(text)
        self.n = len(self.toks)
        self.lows = [t.lower for t in self.toks]
        spans = sentence_spans(text)
        self.sent_starts = [s for s, _ in spans] or [0]
        self.tok_sent = self._token_sentences()

    def _token_sentences(self) -> list[int]:
        """Sentence index of every token (tokens and sentence starts are both sorted)."""
        starts = self.sent_starts
        result: list[int] = []
        sentence = 0
        last = len(starts) - 1
        for tok in self.toks:
            while sentence < last and starts[sentence + 1] <= tok.start:
                sentence += 1
            result.append(sentence)
        return result

    # look-ups that are safe past either end of the text
    def low(self, i: int) -> str:
        """Token ``i`` lowercased, or "" outside the text."""
        return self.lows[i] if 0 <= i < self.n else ""

    def adjacent(self, i: int, j: int) -> bool:
        """Tokens i and j (j = i + 1) touch, with no space between."""
        return 0 <= i < self.n and 0 <= j < self.n and self.toks[i].end == self.toks[j].start

    def is_word(self, i: int) -> bool:
        """Token ``i`` is a word."""
        return 0 <= i < self.n and self.toks[i].kind == "word"

    def same_sentence(self, i: int, j: int) -> bool:
        """Tokens ``i`` and ``j`` are in one sentence."""
        return 0 <= i < self.n and 0 <= j < self.n and self.tok_sent[i] == self.tok_sent[j]

    def month_at(self, i: int) -> int:
        """The month (1-12) that capitalised token ``i`` names, else 0."""
        if not self.is_word(i):
            return 0
        tok = self.toks[i]
        if not tok.text[0].isupper():
            return 0
        return MONTHS.get(tok.lower, 0)

    def day_at(self, i: int) -> int:
        """The day of the month token ``i`` can be ("7", "7th"), else 0."""
        if not (0 <= i < self.n):
            return 0
        tok = self.toks[i]
        if tok.kind == "num" and tok.decimals == 0 and not tok.sep and 1 <= tok.num <= 31:
            return int(tok.num)
        if (
            tok.kind == "numsuf"
            and tok.suffix.lower() in ORDINAL_SUFFIXES
            and tok.decimals == 0
            and 1 <= tok.num <= 31
        ):
            return int(tok.num)
        return 0

    def year_at(self, i: int) -> int:
        """The year token ``i`` can be (four bare digits, 1000-2999), else 0."""
        if not (0 <= i < self.n):
            return 0
        tok = self.toks[i]
        if tok.kind == "num" and tok.decimals == 0 and not tok.sep and 1000 <= tok.num <= 2999:
            return int(tok.num)
        return 0

    def sentence_start(self, k: int) -> bool:
        """Token ``k`` starts a sentence (or follows an opening quote)."""
        return k == 0 or self.tok_sent[k - 1] != self.tok_sent[k] or self.low(k - 1) in ('"', "“")

    def qualifier_start(self, first: int) -> int:
        """Index of the first token of the qualifier before ``first`` (or ``first``)."""
        for words in QUALIFIERS_BY_LAST.get(self.low(first - 1), ()):
            start = first - len(words)
            if start >= 0 and all(self.lows[start + o] == w for o, w in enumerate(words)):
                return start
        return first
