"""Pass 2 of the extraction: annotate each quantity that pass 1 found.

Its qualifier ("at least"), counted word, the cue words in a window around it and
their classes (`cues.CUE_CLASSES`), the type of the counted noun, the markers
``baseline``, ``part`` and ``dated:<when>``, its frame (`frame.frame_of`) and how
many coordinated names it is stated for each of.
"""

from __future__ import annotations

from dataclasses import replace

from harness.text.quantities.cues import (
    BOUNDARY_PUNCT,
    BOUNDARY_WORDS,
    CUE_CLASSES,
    DIRECTION_VERBS,
    NOUN_TYPES,
    PART_DETERMINERS,
    PART_LEADS,
    PHRASAL,
)
from harness.text.quantities.draft import Draft
from harness.text.quantities.frame import frame_of, sentence_stems
from harness.text.quantities.lexicon import STOPWORDS
from harness.text.quantities.record import Quantity
from harness.text.quantities.stems import lemma
from harness.text.quantities.tokens import TokenDoc

_FRAME_WINDOW = 12  # words before a quantity searched for its frame
# kinds whose frame a following "to"/"from" value shares
_FRAMED_KINDS = frozenset({"count", "money", "percent", "quantity"})


def annotate(doc: TokenDoc, drafts: list[Draft]) -> list[Quantity]:
    """Pass 2: the `Quantity` of each draft, with its qualifier, counted word and context."""
    owner = [-1] * doc.n
    for index, draft in enumerate(drafts):
        for k in range(draft.first, draft.last):
            owner[k] = index
    stems = sentence_stems(doc) if drafts else []
    found = [_finish(doc, draft, owner, index, drafts, stems) for index, draft in enumerate(drafts)]
    # "revenue rose 12% to $5 billion": the second value of a change is stated of
    # what the first is (not so a part and its whole: "shot down 31 of 44 drones")
    for index, draft in enumerate(drafts):
        linked = _linked_before(doc, draft, owner, index)
        if linked is not None and found[linked].kind in _FRAMED_KINDS:
            frame = tuple(dict.fromkeys((*found[linked].frame, *found[index].frame)))
            found[index] = replace(found[index], frame=frame)
    return found


def _linked_before(doc: TokenDoc, d: Draft, owner: list[int], index: int) -> int | None:
    """The quantity right before ``d`` across "to"/"from" ("12% to $5 billion")."""
    k = doc.qualifier_start(d.first) - 1
    if doc.low(k) in ("to", "from"):
        k -= 1
    if k < 0 or owner[k] in (-1, index) or not doc.same_sentence(k, d.first):
        return None
    return owner[k]


def _finish(
    doc: TokenDoc,
    d: Draft,
    owner: list[int],
    index: int,
    drafts: list[Draft],
    stems: list[frozenset[str]],
) -> Quantity:
    """The `Quantity` of draft ``d`` (number ``index``; ``owner`` maps tokens to drafts)."""
    toks = doc.toks
    start, end = toks[d.first].start, toks[d.last - 1].end
    q_start = doc.qualifier_start(d.first)
    qualifier = " ".join(doc.low(k) for k in range(q_start, d.first)) if q_start < d.first else None
    if qualifier is not None and d.kind in ("date", "year", "ordinal"):
        qualifier = None
        q_start = d.first
    sentence = doc.tok_sent[d.first]
    left = _window(doc, q_start - 1, -1, 4, owner, index, sentence)
    right = _window(doc, d.last, 1, 6, owner, index, sentence)
    cues: list[str] = []
    classes: set[str] = set()
    for k in [*reversed(left), *right]:
        w = doc.low(k)
        if w in ("up", "down") and not _direction_particle(doc, k, d):
            continue
        if w in CUE_CLASSES:
            cues.append(w)
            classes.update(CUE_CLASSES[w])
    counted = lemma(d.hint) if d.hint else _counted(doc, right, d.last)
    if counted in NOUN_TYPES:
        classes.add(NOUN_TYPES[counted])
    if _baseline(doc, q_start, d):
        classes.add("baseline")
    if _part(doc, q_start, d):
        classes.add("part")
    anchor = _anchor(doc, d, owner, index, drafts)
    if anchor is not None:
        classes.update(("dated", f"dated:{anchor}"))
    return Quantity(
        text=doc.text[start:end],
        span=(start, end),
        value=_tidy(d.value),
        kind=d.kind,
        unit=d.unit,
        qualifier=qualifier,
        high=None if d.high is None else _tidy(d.high),
        counted=counted,
        sentence=sentence,
        number=_tidy(d.number),
        high_number=None if d.high_number is None else _tidy(d.high_number),
        step=_tidy(d.step),
        context=tuple(sorted(classes)),
        cues=tuple(dict.fromkeys(cues)),
        frame=frame_of(doc, _window(doc, q_start - 1, -1, _FRAME_WINDOW, owner, index, sentence)),
        sentence_words=stems[sentence],
        each=_each(doc, q_start, d, right),
        leads_pair=_leads_pair(doc, q_start, d),
        other_reading=d.other_reading,
    )


def _leads_pair(doc: TokenDoc, q_start: int, d: Draft) -> bool:
    """Whether ``d`` is the first of two values joined by "-" or "to" that are no range
    and no change: "52% to 48%", "3-1", but not "from 10 to 8" or "fell 10 to 8"."""
    if d.high is not None or doc.low(d.last) not in ("-", "\u2013", "to"):
        return False
    after = d.last + 1
    if after >= doc.n or doc.toks[after].kind not in ("num", "numsuf"):
        return False
    before = doc.low(q_start - 1)
    return before not in ("from", "by") and before not in DIRECTION_VERBS


def _anchor(
    doc: TokenDoc, d: Draft, owner: list[int], index: int, drafts: list[Draft]
) -> str | None:
    """The time a quantity is tied to by a date, year or month right after it
    ("2,310 recorded on January 28" -> "d128", "5.5 percent in August" -> "m8")."""
    for k in range(d.last, min(d.last + 5, doc.n)):
        if doc.tok_sent[k] != doc.tok_sent[d.first] or doc.lows[k] in BOUNDARY_PUNCT:
            return None
        if owner[k] not in (-1, index):
            other = drafts[owner[k]]
            if other.kind == "date":
                return f"d{int(other.value)}"
            return f"y{int(other.value)}" if other.kind == "year" else None
        if doc.month_at(k):
            return f"m{doc.month_at(k)}"
    return None


def _each(doc: TokenDoc, q_start: int, d: Draft, right: list[int]) -> int:
    """The number of coordinated names a value is stated for each of ("Ukraine
    and Russia exchanged 95 prisoners each" -> 2), else 0."""
    if d.kind not in ("count", "money", "quantity"):
        return 0
    at = next((k for k in right[:3] if doc.lows[k] in ("each", "apiece")), None)
    if at is None:
        return 0
    after = doc.toks[at + 1] if at + 1 < doc.n else None
    if after is not None and after.kind == "word" and after.lower not in STOPWORDS:
        return 0  # "each side", "each year": not distributive
    # the last coordination of capitalised names before the value in its sentence
    first = q_start - 1
    while first > 0 and doc.same_sentence(first - 1, q_start):
        first -= 1
    best = 0
    k = first
    while k < q_start:
        names, k = _coordination(doc, k, q_start)
        if names >= 2:
            best = names
    return best


def _coordination(doc: TokenDoc, k: int, stop: int) -> tuple[int, int]:
    """Count the capitalised names joined by "and"/commas from token ``k``:
    ``(names, next token)``; names < 2 means no coordination starts at ``k``."""
    names = 0
    while k < stop:
        if not (doc.is_word(k) and doc.toks[k].text[0].isupper()):
            return names, k + 1
        while k < stop and doc.is_word(k) and doc.toks[k].text[0].isupper():
            k += 1  # one name: a run of capitalised words
        names += 1
        if doc.low(k) == "," and doc.low(k + 1) == "and":
            k += 2
        elif doc.low(k) in (",", "and"):
            k += 1
        else:
            return names, k + 1
    return names, k


def _part(doc: TokenDoc, q_start: int, d: Draft) -> bool:
    """ "31 of 44 drones", "14 of them", "including three firefighters": a part of a
    larger quantity in the same sentence."""
    if d.kind not in ("count", "money", "quantity"):
        return False
    if doc.low(d.last) == "of" and doc.same_sentence(d.first, d.last):
        after = doc.toks[d.last + 1] if d.last + 1 < doc.n else None
        if after is not None and (
            after.lower in PART_DETERMINERS or after.kind in ("num", "numsuf")
        ):
            return True
    before = (doc.low(q_start - 2), doc.low(q_start - 1))
    return before[1] == "including" or before in PART_LEADS


def _baseline(doc: TokenDoc, q_start: int, d: Draft) -> bool:
    """ "up from 12.4 million", "fell to 4.1% from 4.6%", "from 60 to 64",
    "compared with 640": an earlier value to compare with (not "from eight allies")."""
    prev = doc.low(q_start - 1)
    if prev in ("versus", "vs") or (prev in ("with", "to") and doc.low(q_start - 2) == "compared"):
        return True
    if prev != "from":
        return False
    if doc.low(d.last) == "to" or doc.low(q_start - 2) in DIRECTION_VERBS:
        return True
    # a direction verb earlier in the clause: "eased to 4.1% in January from 4.6%"
    for k in range(q_start - 2, max(q_start - 20, -1), -1):
        if doc.lows[k] in BOUNDARY_PUNCT or doc.tok_sent[k] != doc.tok_sent[q_start]:
            break
        if doc.lows[k] in DIRECTION_VERBS and doc.lows[k] not in ("up", "down"):
            return True
    return False


def _counted(doc: TokenDoc, right: list[int], end: int) -> str | None:
    """The head noun after a quantity: the last word of the noun phrase right after
    it ("18 mobile gas turbine units" -> "unit"), else the first content word
    after function words ("2,700 have been wounded" -> "wounded")."""
    phrase: list[str] = []
    for k in right:
        tok = doc.toks[k]
        if tok.lower in STOPWORDS:
            if phrase:
                break
            continue
        if tok.text[0].isupper():
            if phrase:
                break
            continue
        if phrase and tok.lower.endswith(("ing", "ed")):
            break
        phrase.append(tok.lower)
        if k > end and not _adjacent_words(doc, k, right, phrase):
            break
    return lemma(phrase[-1]) if phrase else None


def _adjacent_words(doc: TokenDoc, k: int, right: list[int], phrase: list[str]) -> bool:
    """Whether the next word token continues the phrase (no function word between)."""
    position = right.index(k)
    if position + 1 >= len(right):
        return False
    nxt = right[position + 1]
    between = doc.lows[k + 1 : nxt]
    return all(t in ("-", "'", "’") for t in between) and doc.lows[nxt] not in STOPWORDS


def _direction_particle(doc: TokenDoc, k: int, d: Draft) -> bool:
    """ "up 21%", "down from 4.6%", "shares down 9.4%" -- not "set up", "up to", "start-up"."""
    if doc.low(k + 1) == "to" or doc.low(k - 1) == "-" or doc.low(k - 1) in PHRASAL:
        return False
    near = k == d.first - 1 or k == d.last or doc.qualifier_start(d.first) == k + 1
    return near or doc.low(k + 1) == "from"


def _window(
    doc: TokenDoc, k: int, direction: int, limit: int, owner: list[int], index: int, sentence: int
) -> list[int]:
    """Word tokens next to a quantity, up to a clause boundary or another quantity."""
    found: list[int] = []
    while 0 <= k < doc.n and len(found) < limit:
        tok = doc.toks[k]
        if doc.tok_sent[k] != sentence or (owner[k] != -1 and owner[k] != index):
            break
        if tok.kind == "punct" and tok.text in BOUNDARY_PUNCT:
            break
        if tok.kind == "word":
            if tok.lower in BOUNDARY_WORDS:
                break
            found.append(k)
        k += direction
    return found


def _tidy(value: float) -> float:
    """Drop floating-point noise: 16.1 * 1e6 is 16100000.000000002."""
    return float(f"{value:.12g}")
