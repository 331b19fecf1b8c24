"""Other forms of one name: without administrative words, place ↔ demonym,
acronym ↔ initials (rules ``admin-suffix``, ``demonym`` and ``acronym`` in
`harness.text.aliases`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from harness.text.aliases.lexicon import ADMIN_WORDS, DEMONYMS, FUNCTION_WORDS
from harness.text.entities import compact, fold, word_spans


def strip_admin(tokens: Sequence[str]) -> tuple[str, ...]:
    """Tokens without trailing administrative words (at least one token stays).

    >>> strip_admin(["kursk", "oblast"]), strip_admin(["region"])
    (('kursk',), ('region',))
    """
    end = len(tokens)
    while end > 1 and tokens[end - 1] in ADMIN_WORDS:
        end -= 1
    return tuple(tokens[:end])


def _place_forms_of_word(word: str) -> set[str]:
    """Places a demonym-like word may denote, and demonyms a place word may have."""
    forms: set[str] = set()
    words = {word}
    if word.endswith(("ans", "is", "ese", "s")) and len(word) > 4 and not word.endswith("ss"):
        words.add(word[:-1])
    for w in words:
        forms.update(DEMONYMS.get(w, ()))
        if w.endswith("ian"):
            forms.update({w[:-3] + "ia", w[:-3], w[:-3] + "e", w[:-3] + "y", w[:-3] + "a"})
        elif w.endswith("an"):
            forms.update({w[:-1], w[:-2], w[:-2] + "o"})
        elif w.endswith("ese"):
            forms.update({w[:-3], w[:-3] + "a", w[:-3] + "o"})
        elif w.endswith("i"):
            forms.update({w[:-1], w + "a"})
    if word.endswith(("an", "i")):
        forms.add(word + "s")  # the plural of a demonym: "Koreans", "Israelis"
    # the other direction: a place and its regular demonyms
    forms.update({word + "n", word + "ian", word + "ese", word + "i", word + "ns"})
    if word[-1:] in {"a", "e", "o", "y"}:
        stem = word[:-1]
        forms.update({stem + "an", stem + "ian", stem + "ese", stem + "ans", stem + "ians"})
    forms.update(demonym for demonym, places in DEMONYMS.items() if word in places)
    forms.discard(word)
    return {form for form in forms if len(form) >= 4}


def demonym_forms(key: str) -> set[str]:
    """Keys that name the same place as ``key`` as place ↔ demonym (last word varies).

    >>> sorted(f for f in demonym_forms("north korean") if f in {"north korea", "north koreans"})
    ['north korea', 'north koreans']
    >>> "ukraine" in demonym_forms("ukrainians"), "netherlands" in demonym_forms("dutch")
    (True, True)
    """
    return set(_demonym_forms(key))


# These forms are asked for the same few names again and again (every salient
# source entity against every summary of its article): each is worked out once.
@lru_cache(maxsize=65536)
def _demonym_forms(key: str) -> frozenset[str]:
    tokens = key.split(" ")
    head = " ".join(tokens[:-1])
    found = {f"{head} {form}" if head else form for form in _place_forms_of_word(tokens[-1])}
    for demonym, places in DEMONYMS.items():
        if key in places:
            found.add(demonym)
    found.discard(key)
    return frozenset(found)


def _raw_words(text: str) -> list[str]:
    return [word for word, _, _ in word_spans(text)]


@lru_cache(maxsize=65536)
def is_acronym(text: str) -> bool:
    """Whether a mention is written as an acronym ("NIS", "U.N.", "OPEC+").

    >>> is_acronym("IAEA"), is_acronym("U.S."), is_acronym("Gavi"), is_acronym("NGOs")
    (True, True, False, False)
    """
    words = _raw_words(text)
    if len(words) != 1:
        return False
    letters = compact(words[0])
    if not 2 <= len(letters) <= 10 or not any(char.isalpha() for char in letters):
        return False
    return all(char.isupper() or char.isdigit() for char in letters)


@lru_cache(maxsize=65536)
def acronym_of(text: str) -> str:
    """The folded acronym of a mention ("IAEA" → "iaea"; dots stay: "U.N." → "u.n.")."""
    return fold("".join(_raw_words(text)))


def initials(text: str) -> set[str]:
    """Acronyms a multi-word name may have (see ``acronym`` in `harness.text.aliases`).

    >>> sorted(initials("International Atomic Energy Agency"))
    ['aea', 'iaea']
    >>> "ocha" in initials("UN Office for the Coordination of Humanitarian Affairs")
    True
    """
    return set(_initials(text))


@lru_cache(maxsize=65536)
def _initials(text: str) -> frozenset[str]:
    words = _raw_words(text)
    if len(words) < 2:
        return frozenset()
    found: set[str] = set()
    for skip_function in (True, False):
        for whole_caps in (True, False):
            parts: list[str] = []
            for word in (compact(word) for word in words):
                folded = fold(word)
                if skip_function and folded in FUNCTION_WORDS and word.islower():
                    continue
                if whole_caps and len(word) > 1 and word.isupper() and word.isalpha():
                    parts.append(folded)
                elif word[0].isalpha():
                    parts.append(folded[0])
            for start in range(len(parts)):
                acronym = "".join(parts[start:])
                if len(acronym) >= (2 if start == 0 else 3):
                    found.add(acronym)
    return frozenset(found)


__all__ = ["acronym_of", "demonym_forms", "initials", "is_acronym", "strip_admin"]
