"""Checks that compare a summary sentence with the source sentence it restates.

A summary sentence is *aligned* to the source window (one sentence, or two
adjacent ones) whose tokens it shares most of, by `difflib.SequenceMatcher`
over lower-cased tokens. Where the summary then keeps the words around a
short stretch of the source and changes only that stretch, the change is a
*slot substitution*. It is flagged when both sides of the stretch hold the
same closed class of fact with different values:

- ``number``: "sales of $10bn in 2023" where the source says "sales of $5bn
  in 2023"; "seven" vs "six"; "millions" vs "billions" (values compared after
  `extract_quantities`, so "six" and "6" agree);
- ``weekday`` and ``month``: "said on Tuesday it would" for "said on
  Wednesday it would";
- ``name``: a capitalised word for another one ("President Biden" for
  "President Zelenskyy"), unless the two are spelling variants (Jaro–Winkler
  >= 0.85, case and diacritics aside: "Sao" is "São"), acronym and expansion, or
  demonym and place.

A slot needs at least two kept words before it and one kept token after it,
at most two changed tokens on each side, and nothing changed in it but the
fact ("87 civilians" for "19 children" is another statement, not a swapped
number); otherwise the summary is too far from the source for a word-for-word
comparison and nothing is said (a model would be needed there). Nor is a slot
flagged when the summary's words around it occur verbatim elsewhere in the
source ("a buyback of up to ¥150 billion" restating a later sentence).

Two facts need no alignment: a weekday the source never names (Friday, Fri)
and a clock time it never gives ("6:55 pm", "7am"; a whole hour is also
backed by a bare "7" in the source, as in "Let's make it 7").

`prefix_antonyms` finds the morphological negations that the word-based
negation check misses: "unrelatable" for a source that only says
"relatable", or "conventional" for a source that only says "unconventional".

Every check returns findings in the shape the metrics use (``kind``,
``text``, ``span``, ``status``, ``source_text``, ``source_span``,
``evidence``), so the ``consistency`` score is explained span by span.
"""

from __future__ import annotations

import copy
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise
from typing import Any, NamedTuple

from harness.text.aliases import acronym_of, demonym_forms, initials, is_acronym, jaro_winkler
from harness.text.entities import fold
from harness.text.quantities import cached_quantities
from harness.text.sentences import sentence_spans

#: Changed tokens a slot may have on each side.
MAX_SLOT_TOKENS = 2
#: Kept tokens needed before / after a slot.
LEFT_ANCHOR, RIGHT_ANCHOR = 2, 1
#: Source windows compared in full per summary sentence (pre-selected by shared words).
CANDIDATE_WINDOWS = 8

#: A soft hyphen or zero-width joiner inside a word ("Zelen\u00adsky") is no boundary.
_TOKEN = re.compile(
    r"[$€£¥₹]?\d[\d,.:]*\w*%?|\w+(?:[-'’\u00ad\u200c\u200d\u2060]\w+)*|[^\w\s]", re.UNICODE
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"
})  # fmt: skip
_WEEKDAY_ABBREVIATIONS = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
    "sat": 5, "sun": 6, "tgif": 4,
}  # fmt: skip
_NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "trillion", "dozen", "hundreds", "thousands",
    "millions", "billions", "trillions", "dozens", "first", "second", "third", "fourth",
    "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"
})  # fmt: skip
#: "6:55", "6:55pm", "9.30 am" (a dot only before am/pm: "9.30" alone is a number),
#: "7 pm", "10 o'clock". The minutes end at a non-digit, not a word boundary, so that
#: "10:15pm" is 10:15 pm (not "15pm").
_CLOCK = re.compile(
    r"\b(\d{1,2})(?::|\.(?=[0-5]\d\s*[ap]\.?m\b))([0-5]\d)(?!\d)(?:\s*([ap])(?:\.m\.|m\b))?"
    r"|\b(\d{1,2})\s*(?:([ap])(?:\.m\.|m\b)|o['’]clock)",
    re.IGNORECASE,
)
#: "21h", "21h30", "9h45": an hour written with "h", as French and much of Europe
#: write times; a whole hour only after "at", "from", "until", ... (a "4h drive" or
#: "in 24h" is a duration).
_H_CLOCK = re.compile(
    r"\b(?:(at|from|until|till|by|before|after|since|between)\s+)?(\d{1,2})h([0-5]\d)?\b",
    re.IGNORECASE,
)
_NOON = re.compile(r"\b(?:noon|midday|midnight)\b", re.IGNORECASE)
_BARE_HOUR = re.compile(r"(?<![\d:.,$])\b(\d{1,2})\b(?![:.,]\d)")
_PREFIXES = ("un", "non")
#: Words that begin with a negative prefix without being a negation of the rest.
_NOT_PREFIXED = frozenset({"unless", "unlike", "until", "under", "nonetheless", "none"})


class Token(NamedTuple):
    """A token with its character span in the text it came from.

    A named tuple, not a dataclass: a source has thousands of tokens, and a
    tuple is made several times faster (and collected faster).
    """

    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """Lower-cased, with curly apostrophes straightened."""
        return _key(self.text)


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u2060"))


def _key(text: str) -> str:
    return text.lower().replace("’", "'").translate(_INVISIBLE)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Word, number and punctuation tokens (numbers keep ``$``, ``,``, ``.``, ``:``, ``%``).

    >>> [t.text for t in tokenize("Sales hit $5bn, up 7%, on Jan. 18")]
    ['Sales', 'hit', '$5bn', ',', 'up', '7%', ',', 'on', 'Jan', '.', '18']
    """
    return [Token(*raw) for raw in _raw_tokens(text, offset)]


#: A token as a plain ``(text, start, end)`` tuple (what `_SourceTokens` keeps).
_Raw = tuple[str, int, int]


def _raw_tokens(text: str, offset: int = 0) -> list[_Raw]:
    return [
        (match.group(), match.start() + offset, match.end() + offset)
        for match in _TOKEN.finditer(text)
    ]


@dataclass(frozen=True, eq=False)
class _SourceTokens:
    """What the checks read of one source, worked out once per source (not per summary).

    It is kept for every recent source, so it holds few objects the garbage
    collector must visit again and again: tokens as plain tuples (which it
    stops tracking), not `Token`; the `Token` of a window is made when `align`
    picks it (`_window`).

    Attributes:
        sentences: The tokens of each sentence, as ``(text, start, end)``.
        sentence_keys: Their keys.
        window_keys: The keys of each window: one sentence or two adjacent
            ones (`align`), sentences first.
        window_sets: The distinct keys of each window.
        window_counts: How often each key occurs in each window, counted
            when `align` first needs it (only candidate windows are).
        weekdays: The weekdays the source names (`_weekday_of`).
        words: Key without hyphens -> first token with it, as ``(text, start,
            end)`` (`prefix_antonyms`).
        matchers: A matcher per window, made when `align` first compares with
            it: a matcher indexes its second sequence (the window) once, and
            every summary sentence is compared with the same windows.
        aligned: `align`'s choice (window, matcher) by the keys of a summary
            sentence: summaries of one article repeat sentences.
        lock: Held while `align` uses the shared matchers.
    """

    sentences: tuple[tuple[_Raw, ...], ...]
    sentence_keys: tuple[tuple[str, ...], ...]
    window_keys: tuple[tuple[str, ...], ...]
    window_sets: tuple[frozenset[str], ...]
    window_counts: list[Counter[str] | None]
    weekdays: frozenset[int]
    words: dict[str, _Raw]
    matchers: list[SequenceMatcher[str] | None]
    aligned: dict[tuple[str, ...], tuple[int, SequenceMatcher[str]]]
    lock: threading.Lock


@lru_cache(maxsize=512)
def _source_tokens(source: str) -> _SourceTokens:
    sentences = tuple(
        tuple(_raw_tokens(source[start:end], start)) for start, end in sentence_spans(source)
    )
    sentence_keys = tuple(tuple(_key(token[0]) for token in s) for s in sentences)
    window_keys = (*sentence_keys, *(a + b for a, b in pairwise(sentence_keys)))
    words: dict[str, _Raw] = {}
    weekdays: set[int] = set()
    # each token's key is worked out once, above (not per use, as `Token.key` would)
    for sentence, keys in zip(sentences, sentence_keys, strict=True):
        for token, key in zip(sentence, keys, strict=True):
            words.setdefault(key.replace("-", ""), token)
            day = _weekday_of(token[0], key)
            if day is not None:
                weekdays.add(day)
    return _SourceTokens(
        sentences=sentences,
        sentence_keys=sentence_keys,
        window_keys=window_keys,
        window_sets=tuple(frozenset(keys) for keys in window_keys),
        window_counts=[None] * len(window_keys),
        weekdays=frozenset(weekdays),
        words=words,
        matchers=[None] * len(window_keys),
        aligned={},
        lock=threading.Lock(),
    )


def _window_matcher(known: _SourceTokens, i: int) -> SequenceMatcher[str]:
    matcher = known.matchers[i]
    if matcher is None:
        matcher = SequenceMatcher(None, [], list(known.window_keys[i]), autojunk=False)
        # The index of the window's keys (key -> positions) is only read
        # (`find_longest_match` iterates it): tuples of ints, unlike lists, are
        # left alone by the garbage collector, and the matcher lives as long as
        # the source is recent.
        index = matcher.b2j  # type: ignore[attr-defined]
        matcher.b2j = {key: tuple(positions) for key, positions in index.items()}  # type: ignore[attr-defined]
        known.matchers[i] = matcher
    return matcher


def _window(known: _SourceTokens, i: int) -> tuple[Token, ...]:
    """The tokens of window ``i`` (see `_SourceTokens.window_keys`)."""
    n = len(known.sentences)
    raw = known.sentences[i] if i < n else known.sentences[i - n] + known.sentences[i - n + 1]
    return tuple(Token(*token) for token in raw)


def _window_count(known: _SourceTokens, i: int) -> Counter[str]:
    counts = known.window_counts[i]
    if counts is None:
        counts = Counter(known.window_keys[i])
        known.window_counts[i] = counts
    return counts


def align(sentence: Sequence[Token], source: str) -> tuple[tuple[Token, ...], SequenceMatcher[str]]:
    """The source window a summary sentence shares most tokens with, and the matcher.

    >>> window, matcher = align(tokenize("The bank acted on Tuesday."),
    ...                          "Markets fell. The bank acted on Wednesday. Rain fell.")
    >>> " ".join(t.text for t in window)
    'The bank acted on Wednesday .'
    """
    keys = [token.key for token in sentence]
    known = _source_tokens(source)
    with known.lock:
        seen = known.aligned.get(tuple(keys))
    if seen is not None:
        return _window(known, seen[0]), copy.copy(seen[1])
    wanted = set(keys)
    # the windows sharing most distinct words, in source order among equals (a stable sort)
    candidates = sorted(
        range(len(known.window_keys)), key=lambda i: -len(wanted & known.window_sets[i])
    )[:CANDIDATE_WINDOWS]
    counts = Counter(keys)
    # The window that matches most tokens wins, the first candidate among equals.
    # Candidates are compared most promising first (by the most tokens they can
    # match), so that fewer need a full comparison: one that cannot match more
    # than the best so far (or as many, if it comes after it) cannot win.
    best: tuple[int, int, SequenceMatcher[str]] | None = None  # matched, rank, matcher
    with known.lock:
        bounds = [_most_matched(counts, _window_count(known, i)) for i in candidates]
        for rank in sorted(range(len(candidates)), key=lambda r: -bounds[r]):
            if best is not None and (
                bounds[rank] < best[0] or (bounds[rank] == best[0] and rank > best[1])
            ):
                continue
            matcher = _window_matcher(known, candidates[rank])
            matcher.set_seq1(keys)
            matched = sum(block.size for block in matcher.get_matching_blocks())
            if best is None or matched > best[0] or (matched == best[0] and rank < best[1]):
                # the caller's own copy (the shared one is set to other sentences later)
                best = (matched, rank, copy.copy(matcher))
    if best is None:
        return (), SequenceMatcher(None, keys, [])
    window, matcher = candidates[best[1]], best[2]
    with known.lock:
        known.aligned[tuple(keys)] = (window, matcher)
    return _window(known, window), copy.copy(matcher)


def _most_matched(mine: Counter[str], theirs: Counter[str]) -> int:
    """The most tokens a matcher can pair: each key at most as often as the rarer side has it."""
    return sum(min(n, theirs[key]) for key, n in mine.items() if key in theirs)


def _token_class(token: Token, sentence_initial: bool) -> str | None:
    key = token.key
    if key in WEEKDAYS:
        return "weekday"
    if key in MONTHS and token.text[0].isupper():
        return "month"
    if token.text[0].isdigit() or token.text[0] in "$€£¥₹" or key in _NUMBER_WORDS:
        return "number"
    if token.text[0].isupper() and not sentence_initial and token.text != "I":
        return "name"
    return None


def _number_keys(text: str, span: Sequence[int]) -> set[tuple[str, float | str]]:
    """(kind, value) of the quantities of ``text`` that overlap ``span``, normalised
    (so "1,400-megawatt" and "1.4-gigawatt" agree); vague plurals ("millions") by word."""
    start, end = span
    keys: set[tuple[str, float | str]] = {
        (q.kind, q.value) for q in cached_quantities(text) if q.span[0] < end and q.span[1] > start
    }
    if not keys:
        keys = {("word", t.key) for t in tokenize(text[start:end]) if t.key in _NUMBER_WORDS}
    return keys


def _same_name(a: str, b: str) -> bool:
    # folded as the entities check compares names: "Sao" is "São", "Ｐａｒｉｓ" is "Paris"
    fa, fb = fold(a), fold(b)
    if fa in fb or fb in fa or jaro_winkler(fa, fb) >= 0.85:
        return True
    if fb in demonym_forms(fa) or fa in demonym_forms(fb):
        return True
    for short, long in ((a, b), (b, a)):
        if is_acronym(short) and acronym_of(short) in initials(long):
            return True
    return False


def _differ(
    kind: str, summary: str, summary_span: Sequence[int], source: str, source_span: Sequence[int]
) -> bool:
    said = summary[summary_span[0] : summary_span[1]]
    was = source[source_span[0] : source_span[1]]
    if kind == "number":
        mine, theirs = _number_keys(summary, summary_span), _number_keys(source, source_span)
        shared_kinds = {k for k, _ in mine} & {k for k, _ in theirs}
        return bool(shared_kinds) and not mine & theirs
    if kind == "name":
        return not _same_name(said, was)
    return said.lower() != was.lower()


def _other_words(tokens: Sequence[Token], classes: Sequence[str | None]) -> list[str]:
    """The slot's tokens that are no closed-class fact, sorted (compared across sides)."""
    return sorted(t.key for t, kind in zip(tokens, classes, strict=True) if kind is None)


def _said_elsewhere(tokens: Sequence[Token], source: str) -> bool:
    """Whether the slot with its anchors occurs word for word somewhere in the source."""
    keys = tuple(t.key for t in tokens)
    for words in _source_tokens(source).sentence_keys:
        if any(words[i : i + len(keys)] == keys for i in range(len(words) - len(keys) + 1)):
            return True
    return False


def _slot_text(tokens: Sequence[Token], text: str) -> tuple[str, list[int]]:
    start, end = tokens[0].start, tokens[-1].end
    return text[start:end], [start, end]


def substitutions(summary: str, source: str) -> list[dict[str, Any]]:
    """Findings for slot substitutions of numbers, weekdays, months and names.

    >>> source = "The Bank of Japan said on Wednesday it would buy bonds."
    >>> [(f["text"], f["source_text"]) for f in
    ...  substitutions("The Bank of Japan said on Tuesday it would buy bonds.", source)]
    [('Tuesday', 'Wednesday')]
    >>> substitutions("The Bank of Japan said on Wednesday it would buy bonds.", source)
    []
    """
    findings: list[dict[str, Any]] = []
    for start, end in sentence_spans(summary):
        sentence = tokenize(summary[start:end], start)
        window, matcher = align(sentence, source)
        opcodes = matcher.get_opcodes()
        for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
            if op != "replace" or i2 - i1 > MAX_SLOT_TOKENS or j2 - j1 > MAX_SLOT_TOKENS:
                continue
            before = opcodes[index - 1] if index > 0 else None
            after = opcodes[index + 1] if index + 1 < len(opcodes) else None
            if not (before and before[0] == "equal" and after and after[0] == "equal"):
                continue
            kept_before = [t for t in sentence[before[1] : before[2]] if t.text[0].isalnum()]
            if len(kept_before) < LEFT_ANCHOR or after[2] - after[1] < RIGHT_ANCHOR:
                continue
            mine, theirs = sentence[i1:i2], window[j1:j2]
            classes = [_token_class(t, t is sentence[0]) for t in mine]
            kinds = set(classes) & {_token_class(t, False) for t in theirs}
            if _other_words(mine, classes) != _other_words(
                theirs, [_token_class(t, False) for t in theirs]
            ):
                continue  # more than the fact changed ("87 civilians" for "19 children")
            said, said_span = _slot_text(mine, summary)
            was, was_span = _slot_text(theirs, source)
            if _said_elsewhere(sentence[i1 - LEFT_ANCHOR : i2 + RIGHT_ANCHOR], source):
                continue  # the summary may restate another source sentence here
            for kind in sorted(k for k in kinds if k):
                if not _differ(kind, summary, said_span, source, was_span):
                    continue
                first, last = window[0].start, window[-1].end
                findings.append(
                    {
                        "kind": "substitution",
                        "fact": kind,
                        "text": said,
                        "span": said_span,
                        "status": "unsupported",
                        "source_text": was,
                        "source_span": was_span,
                        "evidence": f"the summary says {said!r} where the source sentence it "
                        f"restates says {was!r}: {source[first:last]!r}",
                    }
                )
                break
    return findings


def _weekday_of(text: str, key: str) -> int | None:
    """The weekday (0 = Monday) a token (its text and key) names, if any."""
    if key in WEEKDAYS:
        return WEEKDAYS.index(key)
    abbreviation = key.rstrip(".")
    if abbreviation in _WEEKDAY_ABBREVIATIONS and text[0].isupper():  # "Fri", "TGIF"
        return _WEEKDAY_ABBREVIATIONS[abbreviation]
    return None


def unsupported_weekdays(summary: str, source: str) -> list[dict[str, Any]]:
    """Findings for weekdays the source never names (abbreviations count as named).

    >>> [f["text"] for f in unsupported_weekdays("They meet on Friday.", "See you Fri!")]
    []
    >>> [f["text"] for f in unsupported_weekdays("They meet on Friday.", "See you Monday!")]
    ['Friday']
    """
    named = _source_tokens(source).weekdays
    names = ", ".join(WEEKDAYS[day].title() for day in sorted(named))
    return [
        {
            "kind": "date",
            "text": token.text,
            "span": [token.start, token.end],
            "status": "unsupported",
            "evidence": f"the source never names {token.text}"
            + (f"; it names {names}" if named else ""),
        }
        for token in tokenize(summary)
        if token.key in WEEKDAYS and WEEKDAYS.index(token.key) not in named
    ]


def clock_times(text: str) -> list[tuple[int, int, int, int, str]]:
    """``(start, end, hour % 12, minute, half)`` of the clock times in ``text``;
    ``half`` is ``"a"`` or ``"p"`` where the text says am or pm (or writes an hour
    of 13 to 23), else ``""``.

    >>> [t[2:] for t in clock_times("Train at 6:55 PM, back by 9am or 10 o'clock, 15:30")]
    [(6, 55, 'p'), (9, 0, 'a'), (10, 0, ''), (3, 30, 'p')]
    >>> [t[2:] for t in clock_times("A curfew from 21h, a 4h drive, in 24h, Mass at 9h45")]
    [(9, 0, 'p'), (9, 45, '')]
    """
    found = []
    for match in _H_CLOCK.finditer(text):
        hour = int(match.group(2))
        if hour <= 23 and (match.group(1) or match.group(3)):
            minute = int(match.group(3) or 0)
            half = "p" if 13 <= hour <= 23 else ""
            found.append((match.start(2), match.end(), hour % 12, minute, half))
    for match in _CLOCK.finditer(text):
        if match.group(1):
            hour, minute, half = int(match.group(1)), int(match.group(2)), match.group(3)
        else:
            hour, minute, half = int(match.group(4)), 0, match.group(5)
        if hour <= 24:
            # the 24-hour clock says pm as clearly as "pm" does
            half = (half or ("p" if 13 <= hour <= 23 else "")).lower()
            found.append((match.start(), match.end(), hour % 12, minute, half))
    return sorted(found)


@lru_cache(maxsize=512)
def _given_times(source: str) -> frozenset[tuple[int, int, str]]:
    """(hour % 12, minute, half) of the source's clock times, bare hours (half "") and
    noon or midnight, once per source."""
    times = clock_times(source)
    given = {(hour, minute, half) for _, _, hour, minute, half in times}
    for match in _BARE_HOUR.finditer(source):
        # the "7" of "7 pm" is that time, not a bare hour that backs "7 am"
        inside = any(start <= match.start() < end for start, end, *_ in times)
        if int(match.group(1)) <= 24 and not inside:
            given.add((int(match.group(1)) % 12, 0, ""))
    # "noon" and "midnight" give 12 pm and 12 am
    for match in _NOON.finditer(source):
        given.add((0, 0, "a" if match.group().lower() == "midnight" else "p"))
    return frozenset(given)


def _time_given(given: frozenset[tuple[int, int, str]], hour: int, minute: int, half: str) -> bool:
    """Whether the source gives the time: the same hour and minute, and the same half
    of the day where both sides say it ("3:30 am" is not "3:30 pm"; "7 pm" is "7")."""
    if (hour, minute, half) in given or (hour, minute, "") in given:
        return True
    return not half and any((hour, minute, h) in given for h in ("a", "p"))


def unsupported_times(summary: str, source: str) -> list[dict[str, Any]]:
    """Findings for clock times the source does not give (12-hour clock, with am and
    pm compared where both sides say them; a whole hour is also backed by that number
    standing alone in the source).

    >>> [f["text"] for f in unsupported_times("They meet at 7 pm.", "Let's make it 7.")]
    []
    >>> [f["text"] for f in unsupported_times("The train leaves at 7:55.", "Train at 6:55")]
    ['7:55']
    >>> [f["text"] for f in unsupported_times("It landed at 3:30 am.", "It landed at 3:30 pm.")]
    ['3:30 am']
    """
    given = _given_times(source)
    return [
        {
            "kind": "time",
            "text": summary[start:end],
            "span": [start, end],
            "status": "unsupported",
            "evidence": f"the source gives no time {summary[start:end]!r}",
        }
        for start, end, hour, minute, half in clock_times(summary)
        if not _time_given(given, hour, minute, half)
    ]


def _says_prefixed(source: str, prefix: str, stem: str) -> bool:
    """Whether the source writes ``prefix`` + ``stem`` split by a hyphen or spaces."""
    pattern = rf"\b{prefix}\s*-?\s+{re.escape(stem)}\b|\b{prefix}\s+-?\s*{re.escape(stem)}\b"
    return re.search(pattern, source, re.IGNORECASE) is not None


def prefix_antonyms(summary: str, source: str) -> list[dict[str, Any]]:
    """Findings for words whose negative prefix ("un", "non") the source does not share.

    "unX" in the summary where the source says "X" and never "unX"; or "X"
    where the source says "unX" and never "X".

    >>> [f["text"] for f in prefix_antonyms("An unrelatable host.", "A relatable host.")]
    ['unrelatable']
    >>> [f["text"] for f in prefix_antonyms("A conventional show.", "An unconventional show.")]
    ['conventional']
    >>> prefix_antonyms("It is unclear.", "It is unclear, not clear.")
    []
    >>> prefix_antonyms("A non-binary actor.", "a non - binary actor")  # tokenised source
    []
    """
    source_words = _source_tokens(source).words
    findings = []
    for token in tokenize(summary):
        word = token.key.replace("-", "")
        if word in source_words or word in _NOT_PREFIXED or not word.isalpha():
            continue
        for prefix in _PREFIXES:
            if prefix + word in _NOT_PREFIXED:
                continue
            stem = word[len(prefix) :]
            if word.startswith(prefix) and len(stem) >= 4 and stem in source_words:
                other = Token(*source_words[stem])
                if _says_prefixed(source, prefix, stem):
                    continue
            elif len(word) >= 4 and prefix + word in source_words:
                other = Token(*source_words[prefix + word])
            else:
                continue
            findings.append(
                {
                    "kind": "antonym",
                    "text": token.text,
                    "span": [token.start, token.end],
                    "status": "unsupported",
                    "source_text": other.text,
                    "source_span": [other.start, other.end],
                    "evidence": f"the source says {other.text!r}, never {token.text!r}",
                }
            )
            break
    return findings
