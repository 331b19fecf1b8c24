"""Concrete nouns a summary brings in that its source never mentions.

An edit that swaps a thing for another ("ghee" or "margarine" for "butter",
"at the park" for "at school", "the hotel" for "the weather") leaves every
name, number and negation alone, and a faithful paraphrase of a dialogue or
an article rewords its verbs and abstract nouns ("voyage" for "trip",
"occupation" for "job") far more often than the things it talks about. So a
summary noun counts as *novel* when

* its first (most frequent) WordNet sense is a concrete thing: a food, an
  artifact, a place, a natural object, a plant, an animal or a substance
  (the lexicographer files of `tools/build_wordnet_nouns.CONCRETE`);
* no source word has its stem or its noun lemma;
* it names none of the source nouns' senses or what those generalise to
  (up to `GENERALISATION_DEPTH` hypernym steps): "dairy product" or "food"
  for "butter" is a faithful generalisation, "ghee" is not.

Which summary words are nouns is the tagger's call (spaCy's ``tagger``,
tags ``NN``/``NNS``; `noun_spans`), except a noun that heads an "of" phrase:
in "a total of 190", "a piece of", "a bag of rice" the thing is what
follows. The noun lemma, the senses and the hypernyms come from WordNet 3.1
(Miller, 1995; Fellbaum, 1998), read from the table that
`tools/build_wordnet_nouns.py` derives from it (its license:
``harness/text/data/WORDNET_LICENSE``).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The table `tools/build_wordnet_nouns.py` writes.
TABLE = Path(__file__).resolve().parent / "data" / "wordnet_nouns.tsv.gz"
#: Fine-grained tags of the common nouns the check looks at.
NOUN_TAGS = frozenset({"NN", "NNS"})
#: Hypernym steps from a source noun's senses that still count as the same thing.
GENERALISATION_DEPTH = 4
#: Regular plural endings and what replaces them (WordNet's morphy rules for nouns).
_PLURALS = (
    ("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("ses", "s"), ("xes", "x"),
    ("zes", "z"), ("men", "man"), ("s", ""),
)  # fmt: skip
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class NounTable:
    """WordNet's one-word nouns: senses, concreteness, hypernyms, irregular plurals."""

    synsets: dict[str, tuple[int, ...]]
    concrete: frozenset[str]
    hypernyms: tuple[tuple[int, ...], ...]
    plurals: dict[str, str]

    def lemma(self, word: str) -> str | None:
        """The noun lemma of lower-cased ``word`` ("beaches" -> "beach"), ``None``
        when WordNet has no such noun."""
        if word in self.plurals:
            return self.plurals[word]
        if word in self.synsets:
            return word
        for ending, replacement in _PLURALS:
            if word.endswith(ending):
                base = word[: -len(ending)] + replacement
                if base in self.synsets:
                    return base
        return None

    def covered(self, lemmas: Iterable[str]) -> set[int]:
        """The senses of ``lemmas`` and their hypernyms up to `GENERALISATION_DEPTH` steps."""
        seen = {synset for lemma in lemmas for synset in self.synsets.get(lemma, ())}
        frontier = list(seen)
        for _ in range(GENERALISATION_DEPTH):
            # a hypernym two senses share is walked once
            frontier = list(
                dict.fromkeys(h for s in frontier for h in self.hypernyms[s] if h not in seen)
            )
            seen.update(frontier)
        return seen


@lru_cache(maxsize=1)
def table_digest() -> str:
    """The first 12 hex digits of the table's SHA-256 (part of the metric's
    fingerprint, so a rebuilt table recomputes cached scores)."""
    return hashlib.sha256(TABLE.read_bytes()).hexdigest()[:12]


@lru_cache(maxsize=1)
def noun_table() -> NounTable:
    """The table, read once per process (about 0.3 s)."""
    synsets: dict[str, tuple[int, ...]] = {}
    concrete = set()
    hypernyms: list[tuple[int, ...]] = []
    plurals: dict[str, str] = {}
    with gzip.open(TABLE, "rt", encoding="ascii") as lines:
        for line in lines:
            kind, _, rest = line.rstrip("\n").partition("\t")
            if kind == "S":
                hypernyms.append(tuple(int(h) for h in rest.split(",")) if rest else ())
            elif kind == "L":
                lemma, first_concrete, senses = rest.split("\t")
                synsets[lemma] = tuple(int(s) for s in senses.split(","))
                if first_concrete == "1":
                    concrete.add(lemma)
            elif kind == "X":
                plural, lemma = rest.split("\t")
                plurals[plural] = lemma
    return NounTable(synsets, frozenset(concrete), tuple(hypernyms), plurals)


@lru_cache(maxsize=256)
def _covered_by_source(source: str) -> frozenset[int]:
    """The senses the source's nouns cover (`NounTable.covered`)."""
    table = noun_table()
    words = {word.lower() for word in _LETTERS.findall(source)}
    return frozenset(table.covered(lemma for lemma in map(table.lemma, words) if lemma))


def noun_spans(doc: Any, offset: int = 0) -> list[tuple[int, int]]:
    """The character spans (shifted by ``offset``) of the common nouns of a tagged
    spaCy ``doc`` that `novel_nouns` looks at: `NOUN_TAGS`, not before "of"."""
    spans = []
    for token in doc:
        if token.tag_ not in NOUN_TAGS:
            continue
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if following is not None and following.lower_ == "of":
            continue
        spans.append((offset + token.idx, offset + token.idx + len(token.text)))
    return spans


def novel_nouns(
    summary: str,
    nouns: Sequence[tuple[int, int]],
    source: str,
    source_stems: Container[str],
    stem: Callable[[str], str],
) -> list[dict[str, Any]]:
    """Findings for the summary nouns at ``nouns`` that are novel concrete things
    (module docstring).

    Args:
        summary: The summary.
        nouns: Character spans of the summary's nouns (`noun_spans`).
        source: The source.
        source_stems: The stems of every source word (by ``stem``).
        stem: The stemmer of ``source_stems``, applied to a lower-cased word.

    >>> source = "Ann: Darling, buy some butter. Mike: Ok."
    >>> stems = {"ann", "darl", "buy", "some", "butter", "mike", "ok"}
    >>> summary = "Ann asks Mike to buy ghee."
    >>> [f["text"] for f in novel_nouns(summary, [(21, 25)], source, stems, str)]
    ['ghee']
    >>> novel_nouns("Ann asks Mike to buy food.", [(21, 25)], source, stems, str)
    []
    """
    table = noun_table()
    covered = _covered_by_source(source)
    findings = []
    for start, end in nouns:
        text = summary[start:end]
        word = text.lower()
        if len(word) < 3 or not word.isalpha() or stem(word) in source_stems:
            continue
        lemma = table.lemma(word)
        if lemma is None or lemma not in table.concrete:
            continue
        if covered.intersection(table.synsets[lemma]):
            continue  # the source's own noun, or what one of them generalises to
        findings.append(
            {
                "kind": "novel_noun",
                "text": text,
                "span": [start, end],
                "status": "unsupported",
                "evidence": f"'{text}' ({lemma}) is a thing no source word names",
            }
        )
    return findings


__all__ = [
    "GENERALISATION_DEPTH",
    "NOUN_TAGS",
    "TABLE",
    "NounTable",
    "noun_spans",
    "noun_table",
    "novel_nouns",
    "table_digest",
]
