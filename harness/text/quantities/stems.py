"""Crude lemmas and stems: how counted nouns and frame words are compared."""

from __future__ import annotations

from functools import lru_cache

_IRREGULAR = {
    "children": "child",
    "people": "people",
    "women": "woman",
    "men": "man",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "lives": "life",
    "data": "data",
    "media": "media",
    "news": "news",
    "series": "series",
    "species": "species",
}


# Both are asked for every word of every text with a number: memoised by word.
@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A crude noun lemma: plural -s/-es/-ies removed.

    >>> [lemma(w) for w in ("soldiers", "casualties", "buses", "children", "wounded", "gas")]
    ['soldier', 'casualty', 'bus', 'child', 'wounded', 'gas']
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes", "uses", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem for comparing frame words: inflections and a final "e" removed.

    >>> [stem(w) for w in ("reduced", "reducing", "reduce", "forecasts", "took", "sales")]
    ['reduc', 'reduc', 'reduc', 'forecast', 'took', 'sal']
    """
    word = lemma(word)
    for suffix in ("ing", "ed", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
