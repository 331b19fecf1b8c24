"""Contrast sets: words the source's own alternative rules out.

A summary that says "Ovi disagrees" of a dialogue where he agrees, "tomorrow"
of a plan made for today, or "his sister" where the source names a brother
has swapped a word for its opposite or for another member of a small closed
set. `contrast_swaps` flags such a word when the source never says it (in any
inflection) but does say one of its alternatives, not negated.

The sets are written by hand, as the prefix antonyms of
`harness.text.alignment` are, and kept to words with one dominant sense:
pairs whose members are also common in other senses ("right", "last",
"close", "end", "like" as a preposition, "old" in "20-year-old", "fire",
"pass", "single") are left out, because a faithful paraphrase elsewhere in the
source would set them off. Role reversals a paraphrase may legitimately make
("buy"/"sell", "lend"/"borrow") are left out too. "profit"/"loss" stays in
although "loss" has other senses ("loss of life"): a summary's "profit" that the
source never says, where it does say "loss", is wrong whatever loss it means.
Words are compared after
the same stemming as the rest of ``consistency``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: Contrast sets, one per ``|``-separated group: each word rules out the others.
#: A word's irregular forms are joined to it by ``/`` ("rise/rose/risen"), so
#: that "rose" in the source backs "rise" in the summary.
CONTRAST_SETS = """
agree disagree | approve disapprove | appear disappear | honest dishonest | loyal disloyal
obey disobey | trust distrust | like dislike | accept reject | include exclude
increase decrease | rise/rose/risen fall/fell/fallen | gain lose/lost | win/won lose/lost
succeed fail | success failure | push pull | attack defend | remember forget/forgot/forgotten
love hate | praise criticize | support oppose | expand shrink/shrank/shrunk | export import
enter exit | arrive depart | good bad | better worse | best worst | happy sad
easy difficult | early late | cheap expensive | rich poor | strong weak | big small
large small | high low | hot cold | warm cold | fast slow | safe dangerous | true false
correct incorrect | correctly incorrectly | possible impossible | legal illegal
positive negative | major minor | maximum minimum | public private | alive dead
friend enemy | victory defeat | boring exciting | boring interesting | polite rude
clean dirty | wet dry | quiet loud | quiet noisy | north south | east west | male female
mother father | son daughter | brother sister | boy girl | husband wife | king queen
uncle aunt | nephew niece | grandmother grandfather | today tomorrow yesterday
morning afternoon evening | weekday weekend | summer winter | spring autumn
inside outside | above below | top bottom | accurate inaccurate | complete incomplete
consistent inconsistent | effective ineffective | formal informal | direct indirect
appropriate inappropriate | visible invisible | patient impatient | polite impolite
mature immature | perfect imperfect | proper improper | logical illogical
regular irregular | relevant irrelevant | responsible irresponsible | valid invalid
secure insecure | capable incapable | competent incompetent | convenient inconvenient
sensitive insensitive | satisfied dissatisfied | similar dissimilar
advantage disadvantage | understand/understood misunderstand/misunderstood
married divorced | employed unemployed | profit loss | surplus/surpluses deficit
"""


@dataclass(frozen=True)
class Contrast:
    """What one stemmed word of `CONTRAST_SETS` stands for and what it rules out.

    Attributes:
        forms: The stems of the word's own forms (itself included).
        rivals: The stems of every form of the other words of its set(s).
    """

    forms: frozenset[str]
    rivals: frozenset[str]


@lru_cache(maxsize=4)
def contrast_partners(stem: Callable[[str], str]) -> Mapping[str, Contrast]:
    """Each stemmed word of `CONTRAST_SETS` with its forms and its rivals.

    >>> from nltk.stem.porter import PorterStemmer
    >>> contrasts = contrast_partners(PorterStemmer().stem)
    >>> sorted(contrasts["tomorrow"].rivals), sorted(contrasts["rose"].forms)
    (['today', 'yesterday'], ['rise', 'risen', 'rose'])
    """
    forms: dict[str, set[str]] = {}
    rivals: dict[str, set[str]] = {}
    for line in CONTRAST_SETS.strip().splitlines():
        for group in line.split("|"):
            words = [frozenset(stem(form) for form in word.split("/")) for word in group.split()]
            for word in words:
                others = set().union(*(other for other in words if other is not word))
                for form in word:
                    forms.setdefault(form, set()).update(word)
                    rivals.setdefault(form, set()).update(others)
    return {
        form: Contrast(frozenset(forms[form]), frozenset(rivals[form] - forms[form]))
        for form in forms
    }


def contrast_swaps(
    summary: str,
    summary_words: Sequence[tuple[str, int, int]],
    source: str,
    source_words: Mapping[str, tuple[int, int]],
    negated: tuple[frozenset[str], frozenset[str]],
    partners: Mapping[str, Contrast],
) -> list[dict[str, Any]]:
    """Findings (kind ``antonym``) for summary words whose alternative the source says instead.

    Args:
        summary: The summary text (for the findings' ``text``).
        summary_words: Its stemmed words with character spans, in order.
        source: The source text.
        source_words: Each stem of the source and the span of its first occurrence.
        negated: The stems a negation governs in the summary and in the source
            (``governed_words``): a negated word ("did not agree") says
            nothing about its alternative, on either side.
        partners: `contrast_partners` for the stemmer the words were stemmed with.

    Returns:
        One finding per summary word (first occurrence) the source never says
        in any of its forms, while it says one of the word's rivals outside a
        negation.
    """
    summary_negated, source_negated = negated
    findings: list[dict[str, Any]] = []
    seen: set[str] = set()
    for word, start, end in summary_words:
        contrast = partners.get(word)
        if contrast is None or word in seen or word in summary_negated:
            continue
        seen.add(word)
        if any(form in source_words for form in contrast.forms):
            continue
        said = sorted(
            (source_words[other], other)
            for other in contrast.rivals
            if other in source_words and other not in source_negated
        )
        if not said:
            continue
        (other_start, other_end), _ = said[0]
        other_text = source[other_start:other_end]
        findings.append(
            {
                "kind": "antonym",
                "text": summary[start:end],
                "span": [start, end],
                "status": "unsupported",
                "source_text": other_text,
                "source_span": [other_start, other_end],
                "evidence": f"the source says {other_text!r}, never {summary[start:end]!r}",
            }
        )
    return findings
