"""Named entities: extraction with spaCy, and the normalised keys they are compared on.

`extract_entities` runs a spaCy pipeline (see `harness.text.nlp`) and keeps the
*name* entities: people, organisations, places, nationalities, facilities,
events, products, laws and works (`NAME_LABELS`). Numeric entities (dates,
times, money, percentages, quantities, ordinals, cardinals) are dropped: numbers
are the job of the number check.

Each mention is trimmed to the name itself (a leading "the", a person's leading
title "Dr" or "Mr", a trailing possessive "'s", surrounding quotes and emoji, an unclosed
"(..." tail and a unit glued on after a number, as in "650 MW Soome-Link", are
cut from its text and span) and gets a normalised *key*:
the word tokens of the name, diacritics stripped (Unicode NFKD), case-folded,
joined by single spaces. Apostrophes, hyphens, dots and other punctuation
separate tokens, so "Mwangi-Otieno" and "Mwangi Otieno" share a key; dotted
initials are one token, so "U.S." and "US" share a key.

>>> normalise_key("the Vâlcu’s")
'valcu'
>>> normalise_key("Médecins Sans Frontières")
'medecins sans frontieres'

`analyse` runs the pipeline over a batch of texts with ``nlp.pipe`` and returns
one `TextAnalysis` per text (the text and its entities; `TokenTable` gives its
folded word tokens for searching the text itself). Source texts are memoised
by (pipeline, text) in a bounded LRU (2048 texts), so an article's analysis
is computed once and shared by every system's summary. A text of any length
is analysed: long ones go through the pipeline in pieces (`harness.text.nlp.pipe`)
and their entities keep offsets into the whole text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from harness.text.nlp import load_pipeline, pipe
from harness.text.quantities import cached_quantities
from harness.text.sentences import sentence_spans

#: Entity labels kept by default (spaCy's OntoNotes name labels).
NAME_LABELS: tuple[str, ...] = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
)

#: Numeric labels, never kept by default: numbers are checked by another metric.
NUMERIC_LABELS: frozenset[str] = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
)

#: Every label an English OntoNotes pipeline predicts.
ALL_LABELS: frozenset[str] = frozenset(NAME_LABELS) | NUMERIC_LABELS | {"LANGUAGE"}

#: A word token: dotted initials ("U.S.", also "u. S." as in some detokenised
#: corpora: one token), or letters/digits (any script) with combining marks kept.
_TOKEN = re.compile(
    r"[^\W\d_]\.(?: ?[^\W\d_]\.)+(?![^\W_])"  # U.S.  u. S.  J. K.
    r"|[^\W\d_](?:\.[^\W\d_])+(?![^\W_])"  # U.S (no final dot)
    # a soft hyphen, zero-width (non-)joiner or word joiner inside a word is
    # invisible, no word boundary: "Zelen\u00adsky" is one word
    r"|(?:[^\W_]|[\u0300-\u036f])(?:[^\W_]|[\u0300-\u036f]|[\u00ad\u200c\u200d\u2060](?=[^\W_]))*",
)
#: Invisible characters that may stand inside a word and are dropped from its key.
_INVISIBLE_IN_WORDS = "\u00ad\u200c\u200d\u2060"
#: Letters that NFKD does not decompose into an ASCII base letter (and the invisible ones).
_SPECIAL = str.maketrans(
    {"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l"}
    | {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ß": "ss"}
    | dict.fromkeys(_INVISIBLE_IN_WORDS)
)
_POSSESSIVE = re.compile(r"['’`]s?$", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
#: An honorific the NER sometimes tags as part of a person's name ("Dr Müller", as
#: written without its dot); mostly it leaves it out ("Dr. Müller", "Mr Smith").
_LEADING_TITLE = re.compile(
    r"^(?:mr|mrs|ms|mx|miss|dr|prof|professor)\.?\s+(?=[^\W\d_])", re.IGNORECASE
)
#: Unit abbreviations NER sometimes glues to a following name ("650 MW Soome-Link").
_LEADING_UNIT = re.compile(
    r"(?:[kMGT]Wh?|kV|km|kg|mph|bpd|mt|bn|m|t)\s+(?=[A-Z])",
)
_AFTER_NUMBER = re.compile(r"\d[\d,.]*\s*$")
_EDGE_PUNCT = "\"'“”‘’`«»()[]{},;:!?*·–—- \t\r\n"
#: Unicode categories also trimmed from a mention's ends: symbols (emoji: "🚀 SpaceX"),
#: format characters (zero-width spaces, soft hyphens) and spaces (no-break ones).
_EDGE_CATEGORIES = frozenset({"So", "Sk", "Cf", "Zs"})


def _edge(char: str, punct: str) -> bool:
    return char in punct or char == "\ufe0f" or unicodedata.category(char) in _EDGE_CATEGORIES


def _lstrip_edges(text: str) -> str:
    i = 0
    while i < len(text) and _edge(text[i], _EDGE_PUNCT):
        i += 1
    return text[i:]


def _rstrip_edges(text: str, punct: str) -> str:
    end = len(text)
    while end > 0 and _edge(text[end - 1], punct):
        end -= 1
    return text[:end]


def fold(token: str) -> str:
    """Case-fold ``token`` and strip its diacritics and invisible soft hyphens or joiners.

    >>> fold("Kovačič"), fold("Straße"), fold("Ørsted"), fold("Zelen\u00adsky")
    ('kovacic', 'strasse', 'orsted', 'zelensky')
    """
    if token.isascii():
        return token.lower()
    decomposed = unicodedata.normalize("NFKD", token.translate(_SPECIAL))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def compact(word: str) -> str:
    """Dotted initials without their dots and spaces ("u. S." → "uS")."""
    return word.replace(".", "").replace(" ", "")


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of ``text`` as written, with their character spans.

    >>> word_spans("Zelensky’s U.S. visit")
    [('Zelensky', 0, 8), ('s', 9, 10), ('U.S.', 11, 15), ('visit', 16, 21)]
    """
    return [(match.group(), match.start(), match.end()) for match in _TOKEN.finditer(text)]


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Folded word tokens of ``text`` with their character spans (dots of initials dropped).

    >>> tokenize("Zelensky’s U.S. visit")
    [('zelensky', 0, 8), ('s', 9, 10), ('us', 11, 15), ('visit', 16, 21)]
    >>> tokenize("the u. S. court")
    [('the', 0, 3), ('us', 4, 9), ('court', 10, 15)]
    """
    return [
        (fold(compact(word) if "." in word else word), start, end)
        for word, start, end in word_spans(text)
    ]


#: British spellings of words common in names, compared in their American form
#: ("World Health Organisation" is the "World Health Organization", "Defence
#: Ministry" the "Defense Ministry"). Not "Labour"/"Labor": those name two parties.
AMERICAN_SPELLING = {
    "organisation": "organization", "organisations": "organizations",
    "defence": "defense", "centre": "center", "centres": "centers",
    "programme": "program", "programmes": "programs", "theatre": "theater",
}  # fmt: skip


def normalise_key(name: str) -> str:
    """The key two names are compared on (see the module docstring).

    >>> normalise_key("The Kestrel Orbital's"), normalise_key("U.N.")
    ('kestrel orbital', 'un')
    >>> normalise_key("World Health Organisation")
    'world health organization'
    """
    name = _POSSESSIVE.sub("", name.strip())
    tokens = [AMERICAN_SPELLING.get(token, token) for token, _, _ in tokenize(name)]
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens)


@dataclass(frozen=True)
class Entity:
    """One named-entity mention.

    Attributes:
        text: The mention as written, trimmed of a leading "the" and a
            trailing possessive.
        start: Character offset of ``text`` in the analysed text.
        end: End offset (exclusive).
        label: spaCy label, e.g. ``"PERSON"``, ``"GPE"``.
        key: `normalise_key` of ``text``.
    """

    text: str
    start: int
    end: int
    label: str
    key: str

    @property
    def span(self) -> tuple[int, int]:
        """``(start, end)``."""
        return (self.start, self.end)

    @property
    def tokens(self) -> tuple[str, ...]:
        """The key's tokens."""
        return tuple(self.key.split(" "))


def make_entity(text: str, start: int, end: int, label: str) -> Entity | None:
    """An `Entity` for ``text[start:end]`` of some document, trimmed; ``None`` if no name is left.

    Args:
        text: The whole document text.
        start: Start offset of the mention.
        end: End offset of the mention.
        label: Its label.

    >>> make_entity("See the Abu Shouk camp", 4, 17, "FAC")
    Entity(text='Abu Shouk', start=8, end=17, label='FAC', key='abu shouk')
    """
    mention = text[start:end]
    if "(" in mention and ")" not in mention:
        mention = mention[: mention.index("(")]  # "World Health Organization (WHO"
    stripped = _lstrip_edges(mention)
    start += len(mention) - len(stripped)
    unit = _LEADING_UNIT.match(stripped)
    if unit and unit.end() < len(stripped) and _AFTER_NUMBER.search(text[:start]):
        start += unit.end()  # "650 MW Soome-Link": the unit belongs to the number
        stripped = stripped[unit.end() :]
    match = _LEADING_THE.match(stripped)
    if label == "PERSON" and match is None:
        match = _LEADING_TITLE.match(stripped)
    if match and match.end() < len(stripped):
        start += match.end()
        stripped = stripped[match.end() :]
    possessive = _POSSESSIVE.search(stripped)
    if possessive and possessive.start() > 0:
        stripped = stripped[: possessive.start()]
    stripped = _rstrip_edges(
        stripped, _EDGE_PUNCT.replace(")", "") if "(" in stripped else _EDGE_PUNCT
    )
    key = normalise_key(stripped)
    if not key or not any(char.isalpha() for char in key):
        return None
    return Entity(stripped, start, start + len(stripped), label, key)


def entities_from_doc(doc: Any, labels: Iterable[str] | None = None) -> list[Entity]:
    """The name entities of a spaCy ``Doc``, in text order.

    Args:
        doc: A processed ``spacy.tokens.Doc``.
        labels: Labels to keep; default `NAME_LABELS`.

    Returns:
        Trimmed entities whose label is kept and whose key has a letter.
    """
    keep = frozenset(NAME_LABELS if labels is None else labels)
    found: list[Entity] = []
    for ent in doc.ents:
        if ent.label_ not in keep:
            continue
        entity = make_entity(doc.text, ent.start_char, ent.end_char, ent.label_)
        if entity is not None:
            found.append(entity)
    return found


@dataclass(frozen=True, eq=False)
class TokenTable:
    """The folded word tokens of a text (`tokenize`), for searching it.

    Attributes:
        tokens: Folded word tokens.
        starts: Start offset of each token.
        ends: End offset of each token.
    """

    tokens: tuple[str, ...] = field(repr=False)
    starts: tuple[int, ...] = field(repr=False)
    ends: tuple[int, ...] = field(repr=False)

    @classmethod
    def of(cls, text: str) -> TokenTable:
        """Tokenise ``text``."""
        found = tokenize(text)
        return cls(
            tuple(token for token, _, _ in found),
            tuple(start for _, start, _ in found),
            tuple(end for _, _, end in found),
        )

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Token → indices where it occurs."""
        index: dict[str, list[int]] = {}
        for i, token in enumerate(self.tokens):
            index.setdefault(token, []).append(i)
        return index

    def find(self, tokens: Sequence[str]) -> list[int]:
        """Token indices where the token sequence ``tokens`` occurs (word-bounded).

        >>> TokenTable.of("North Korea and Korea.").find(["korea"])
        [1, 3]
        """
        if not tokens:
            return []
        n = len(tokens)
        wanted = tuple(tokens)
        return [i for i in self.positions.get(tokens[0], ()) if self.tokens[i : i + n] == wanted]

    def char_span(self, first: int, n_tokens: int) -> tuple[int, int]:
        """Character span of ``n_tokens`` tokens starting at token index ``first``."""
        return (self.starts[first], self.ends[first + n_tokens - 1])


@dataclass(frozen=True, eq=False)
class TextAnalysis:
    """A text and its entities (what the memo keeps: small, no token table).

    Attributes:
        text: The analysed text.
        entities: Entities of every label the pipeline predicts (numeric
            ones too, if they contain a letter), in text order; filter them
            with `entities_with`, so one memoised analysis serves any
            ``labels`` setting.
    """

    text: str
    entities: tuple[Entity, ...]

    @classmethod
    def of(cls, text: str, entities: Sequence[Entity]) -> TextAnalysis:
        """Build an analysis from a text and its (already extracted) entities."""
        return cls(text, tuple(entities))

    def entities_with(self, labels: Iterable[str] | None = None) -> list[Entity]:
        """The entities whose label is in ``labels`` (default `NAME_LABELS`)."""
        keep = frozenset(NAME_LABELS if labels is None else labels)
        return [entity for entity in self.entities if entity.label in keep]

    def token_table(self) -> TokenTable:
        """The text's `TokenTable` (built on each call; callers keep it as long as they need)."""
        return TokenTable.of(self.text)


_MEMO_SIZE = 2048
_memo: OrderedDict[tuple[str, str], TextAnalysis] = OrderedDict()
_memo_lock = threading.Lock()


def _run(nlp: Any, texts: Sequence[str]) -> list[TextAnalysis]:
    # `pipe` cuts long texts into pieces (bounded memory, never spaCy's max_length);
    # each piece's offset shifts its entities back into the whole text.
    found: list[list[Entity]] = [[] for _ in texts]
    for i, offset, doc in pipe(nlp, texts):
        for ent in doc.ents:
            entity = make_entity(
                texts[i], offset + ent.start_char, offset + ent.end_char, ent.label_
            )
            if entity is not None:
                found[i].append(entity)
    return [TextAnalysis.of(text, entities) for text, entities in zip(texts, found, strict=True)]


def analyse(
    texts: Sequence[str], model: str | None = None, *, memo: bool = True
) -> list[TextAnalysis]:
    """Analyse a batch of texts with one ``nlp.pipe`` pass over those not yet known.

    Args:
        texts: Texts to analyse (duplicates are analysed once).
        model: spaCy pipeline name (see `harness.text.nlp.resolve_pipeline`).
        memo: Look texts up in, and add them to, the process-wide LRU memo
            (for sources and references, which every system shares); pass
            ``False`` for one-off texts such as summaries.

    Returns:
        One analysis per text, in order.

    Raises:
        TextError: The configured pipeline cannot be found or loaded.
        MissingDependencyError: No spaCy English pipeline is installed.
    """
    if not texts:
        return []
    nlp, name, version = load_pipeline(model)
    model_id = f"{name}=={version}"
    known: dict[str, TextAnalysis] = {}
    if memo:
        with _memo_lock:
            for text in texts:
                hit = _memo.get((model_id, text))
                if hit is not None:
                    _memo.move_to_end((model_id, text))
                    known[text] = hit
    missing = list(dict.fromkeys(text for text in texts if text not in known))
    if missing:
        for text, analysis in zip(missing, _run(nlp, missing), strict=True):
            known[text] = analysis
        if memo:
            with _memo_lock:
                for text in missing:
                    _memo[(model_id, text)] = known[text]
                while len(_memo) > _MEMO_SIZE:
                    _memo.popitem(last=False)
    return [known[text] for text in texts]


#: Label of a capitalised name the NER did not tag (`untagged_names`).
UNTAGGED_LABEL = "NAME"


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Capitalised words that are not names on their own: function words, pronouns,
#: weekdays, months, titles and honorifics (a title is not a name: "Prime Minister").
_NOT_NAMES: frozenset[str] = _word_set(
    """a an the this that these those it its he she they we i you his her their our my your
    him them us me there here and or but nor so yet if as of in on at to for by with from
    into onto over under about after before since during despite although though while
    when where which who whom whose what why how all any both each every some many most
    more no not one other another such only also however meanwhile then thus hence still
    according among between against without within per via than until unless because
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug
    sep sept oct nov dec mon tue tues wed thu thur thurs fri sat mr mrs ms miss dr prof sir
    dame lord lady st mt president
    vice prime minister ministers secretary governor mayor senator congressman
    congresswoman representative rep sen gov chancellor premier king queen prince princess
    pope sheikh emir sultan general gen colonel col major maj captain capt lieutenant lt
    sergeant sgt admiral commander chief executive officer director chairman chairwoman
    chair spokesman spokeswoman spokesperson judge justice attorney ambassador envoy
    commissioner deputy mp mep head leader founder ceo cfo coo cto"""
)
#: Characters after which a word starts a sentence-like unit (quotes, colons, brackets).
_OPENERS = frozenset("\"“‘'(:[—–-•*")


@dataclass(frozen=True)
class Candidate:
    """A capitalised span the NER did not tag that may be a name.

    Attributes:
        entity: The span as an `Entity` labelled `UNTAGGED_LABEL`.
        initial: Whether it opens a sentence (or a quote), where any word is
            capitalised: it is a name only if the source uses it as one.
        rest: For an ``initial`` span of several words, the span without its
            first word ("Panamax" of "Average Panamax waiting times ..."), else
            ``None``.
    """

    entity: Entity
    initial: bool
    rest: Entity | None = None


def opens_sentence(text: str, start: int, starts: Sequence[int] | None = None) -> bool:
    """Whether the word at ``start`` opens a sentence, a quote or a bracket.

    Args:
        text: The text.
        start: Offset of the word.
        starts: Sentence start offsets (`sentence_spans`), if already known.

    >>> opens_sentence("He left. Mercer stayed.", 9), opens_sentence("He met Mercer.", 7)
    (True, False)
    """
    starts = [a for a, _ in sentence_spans(text)] if starts is None else starts
    if start in starts:
        return True
    before = text[:start].rstrip()
    return not before or before[-1] in _OPENERS


def untagged_names(analysis: TextAnalysis, trailing: Iterable[str] = ()) -> list[Candidate]:
    """Capitalised spans of a text that its NER did not tag but that look like names.

    A span is a run of capitalised words (acronyms included) joined by spaces
    or hyphens, with lower-case function words inside ("Bank of England", not
    "and": two names are two spans), outside every entity the NER found (of
    any label, so dates and numbers are skipped too) and every quantity
    (`extract_quantities`: "Rs 4,200 crore", "NOK 6.8 billion"), without
    leading or trailing words that are not names on their own (`_NOT_NAMES`:
    "The", "President", "Monday"), plus
    one following lower-case word of ``trailing`` ("the Donetsk region" with
    administrative words). A span right next to a name entity is left out:
    it is a piece of a name the NER cut short ("Oblast" after "Chernihiv"). A
    span at the start of a sentence or quote is marked ``initial`` unless it
    is an acronym.

    Args:
        analysis: The text's analysis (its entities mark what is tagged).
        trailing: Lower-case words that extend a span ("region", "province").

    Returns:
        Candidates in text order.

    >>> from harness.text.entities import TextAnalysis
    >>> found = untagged_names(TextAnalysis.of("Mercer met IAEA staff in the Donetsk region.", []),
    ...                        trailing={"region"})
    >>> [(c.entity.text, c.initial) for c in found]
    [('Mercer', True), ('IAEA', False), ('Donetsk region', False)]
    """
    text = analysis.text
    words = word_spans(text)
    tagged = [(entity.start, entity.end) for entity in analysis.entities]
    names = [(e.start, e.end) for e in analysis.entities if e.label in NAME_LABELS]
    # "Rs 4,200 crore", "NOK 6.8 billion"; memoised, as the numbers check reads them too
    tagged += [q.span for q in cached_quantities(text)]
    starts = [a for a, _ in sentence_spans(text)]
    suffixes = frozenset(trailing)

    def free(i: int) -> bool:
        _, a, b = words[i]
        return not any(start < b and a < end for start, end in tagged)

    def capital(i: int) -> bool:
        word = words[i][0]
        return word[:1].isupper() and free(i)

    def name_word(i: int) -> bool:
        return capital(i) and fold(words[i][0]) not in _NOT_NAMES

    found: list[Candidate] = []
    i, n = 0, len(words)
    while i < n:
        if not name_word(i):
            i += 1
            continue
        last = j = i
        while j + 1 < n:
            gap = text[words[j][2] : words[j + 1][1]]
            if gap not in {" ", "-"}:
                break
            if capital(j + 1):
                j += 1
                if name_word(j):
                    last = j
            elif fold(words[j + 1][0]) in _INNER_WORDS and j + 2 < n and capital(j + 2):
                j += 1
            else:
                break
        end = words[last][2]
        nxt = last + 1
        if nxt < n and text[end : words[nxt][1]] == " " and words[nxt][0] in suffixes and free(nxt):
            end = words[nxt][2]
        start = words[i][1]
        entity = make_entity(text, start, end, UNTAGGED_LABEL)
        if entity is not None and not any(
            text[b:start] in {" ", "-"} or text[end:a] in {" ", "-"} for a, b in names
        ):
            acronym = len(entity.tokens) == 1 and entity.text.isupper() and len(entity.text) > 1
            initial = opens_sentence(text, start, starts) and not acronym
            rest = None
            if initial:
                second = next((k for k in range(i + 1, last + 1) if name_word(k)), None)
                if second is not None:
                    rest = make_entity(text, words[second][1], end, UNTAGGED_LABEL)
            found.append(Candidate(entity, initial, rest))
        i = last + 1
    return found


#: Lower-case words allowed inside a capitalised name ("Bank of England").
_INNER_WORDS = frozenset({"of", "the", "for", "de", "del", "da", "van", "von", "al", "bin"})


def clear_memo() -> None:
    """Forget every memoised analysis (for tests and benchmarks)."""
    with _memo_lock:
        _memo.clear()


def extract_entities(
    doc_or_text: Any, labels: Iterable[str] | None = None, model: str | None = None
) -> list[Entity]:
    """The name entities of a text or of a processed spaCy ``Doc``.

    Args:
        doc_or_text: A string (analysed with the pipeline ``model``) or a ``Doc``.
        labels: Labels to keep; default `NAME_LABELS` (no numeric labels).
        model: spaCy pipeline for strings (see `harness.text.nlp`).

    Returns:
        Trimmed entities in text order.
    """
    if isinstance(doc_or_text, str):
        return analyse([doc_or_text], model, memo=False)[0].entities_with(labels)
    return entities_from_doc(doc_or_text, labels)


__all__ = [
    "ALL_LABELS",
    "NAME_LABELS",
    "NUMERIC_LABELS",
    "UNTAGGED_LABEL",
    "Candidate",
    "Entity",
    "TextAnalysis",
    "TokenTable",
    "analyse",
    "clear_memo",
    "compact",
    "entities_from_doc",
    "extract_entities",
    "fold",
    "make_entity",
    "normalise_key",
    "opens_sentence",
    "tokenize",
    "untagged_names",
    "word_spans",
]
