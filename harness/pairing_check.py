"""Whether a system's summaries sit on their own articles: a check for id and row slips.

A summary scored against another article than its own gives numbers that
look like a model's and mean nothing: a precomputed file keyed by row numbers
of another ordering, a CSV whose rows moved by one, a program that answered
ids out of step. No metric says so: each one scores the pair it is given. The
check compares each summary's words with those of its own article and of
other articles of the benchmark:

- *neighbours*: the articles just before and after it in the benchmark (a
  slip by a row or two). When, for at least half of a system's summaries, a
  neighbour shares more of the summary's words than its own article does, the
  summaries are likely shifted;
- *chance*: the article half the benchmark away (a stand-in for a random
  one). When a system's summaries share, on average, no more of their words
  with their own articles than with those, they are no better matched than
  at random (a shuffle, or summaries of another benchmark).

Words are `harness.text.words` of four letters or more, compared without
case; a summary with fewer than three of them, or whose neighbours and far
article repeat its own text (an edit benchmark's many summaries of one
source), is not judged by them. A system with fewer than `MIN_SUMMARIES`
judged summaries is not checked. Only warnings come of it (`harness run` and
`harness score` print them; results.json's ``misplaced`` holds them): a
benchmark of very abstract summaries could in principle trip it, and a run is
never refused for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.records import Example, Output
from harness.text import words

#: The fewest judged summaries of a system for the check to speak.
MIN_SUMMARIES = 10
#: The share of summaries a neighbour matches better that signals a shift.
SHIFTED_SHARE = 0.5
#: How much more of its words a summary must share with its own article, on average,
#: than with a far one, for the pairing to count as better than chance.
CHANCE_MARGIN = 0.05
#: Pairs named in results.json per flagged system.
SHOWN_PAIRS = 5


def content_words(text: str) -> frozenset[str]:
    """The words of four letters or more of ``text``, case folded.

    >>> sorted(content_words("The dam at Kariba burst on Monday."))
    ['burst', 'kariba', 'monday']
    """
    return frozenset(word.casefold() for word in words(text) if len(word) >= 4)


def _share(summary: frozenset[str], source: frozenset[str]) -> float:
    return len(summary & source) / len(summary)


def misplaced_summaries(
    examples: Sequence[Example], outputs: Sequence[Output]
) -> dict[str, dict[str, Any]]:
    """Per system whose summaries look paired with the wrong articles, what shows it.

    Returns:
        ``{system: {"kind": "shifted" | "chance", "count", "judged",
        "own_share", "other_share", "pairs": [[example id, other example id], ...]}}``;
        empty when every system's summaries match their own articles best.
        ``count`` is the summaries a neighbour matched better (for
        ``shifted``); the shares are the mean fractions of a summary's words
        found in its own article and in the far one.
    """
    position = {example.id: index for index, example in enumerate(examples)}
    sources: dict[str, frozenset[str]] = {}

    def source_words(index: int) -> frozenset[str]:
        text = examples[index].source
        if text not in sources:
            sources[text] = content_words(text)
        return sources[text]

    by_system: dict[str, list[tuple[int, frozenset[str]]]] = {}
    for output in outputs:
        index = position.get(output.example_id)
        if index is None or output.error is not None or output.summary is None:
            continue
        summary = content_words(output.summary)
        if len(summary) >= 3:
            by_system.setdefault(output.system, []).append((index, summary))
    found: dict[str, dict[str, Any]] = {}
    n = len(examples)
    for system, items in by_system.items():
        shifted: list[list[str]] = []
        judged = 0
        own_shares: list[float] = []
        far_shares: list[float] = []
        for index, summary in items:
            own_text = examples[index].source
            own = _share(summary, source_words(index))
            neighbours = [j for j in (index - 1, index + 1) if 0 <= j < n]
            neighbours = [j for j in neighbours if examples[j].source != own_text]
            if neighbours:
                judged += 1
                better = [j for j in neighbours if _share(summary, source_words(j)) > own]
                if better:
                    shifted.append([examples[index].id, examples[better[0]].id])
            far = (index + n // 2) % n
            if examples[far].source != own_text:
                own_shares.append(own)
                far_shares.append(_share(summary, source_words(far)))
        if judged >= MIN_SUMMARIES and len(shifted) >= SHIFTED_SHARE * judged:
            kind = "shifted"
        elif len(own_shares) >= MIN_SUMMARIES and sum(own_shares) <= sum(far_shares) + (
            CHANCE_MARGIN * len(own_shares)
        ):
            kind = "chance"
        else:
            continue
        found[system] = {
            "kind": kind,
            "count": len(shifted),
            "judged": judged,
            "own_share": round(sum(own_shares) / len(own_shares), 3) if own_shares else None,
            "other_share": round(sum(far_shares) / len(far_shares), 3) if far_shares else None,
            "pairs": shifted[:SHOWN_PAIRS],
        }
    return found


__all__ = ["content_words", "misplaced_summaries"]
