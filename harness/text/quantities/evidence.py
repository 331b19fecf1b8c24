"""The sentences a person reads in a finding: where the source says what."""

from __future__ import annotations

from harness.text.quantities.conflict import axis_cues
from harness.text.quantities.record import Quantity


def sentence_label(*quantities: Quantity) -> str:
    """ "source sentence 2", "source sentences 1, 3": where the quantities are."""
    numbers = sorted({q.sentence + 1 for q in quantities})
    word = "sentence" if len(numbers) == 1 else "sentences"
    return f"source {word} {', '.join(str(n) for n in numbers)}"


def moved_evidence(c: Quantity, d: Quantity, word: str) -> str:
    """Why ``c`` does not back the summary: ``word`` ties the value to ``d`` instead."""
    return (
        f"source states {c.describe()} of something else: '{word}' goes with "
        f"{d.describe()} there ({sentence_label(c, d)})"
    )


def mismatch_evidence(s: Quantity, c: Quantity, axis: str) -> str:
    """Why ``c`` does not back ``s``: their context conflicts on ``axis``."""
    where = sentence_label(c)
    if axis == "time":
        return (
            f"in the source {c.text} is the earlier value of a comparison, "
            f"not the current one ({where})"
        )
    said, not_said = axis_cues(c, axis), axis_cues(s, axis)
    if not said or not not_said:
        return f"source says {c.describe()}, not {s.describe()} ({where})"
    return f"source says {c.text} {said}, not {not_said} ({where})"


def bound_evidence(s: Quantity, c: Quantity) -> str:
    """Why ``c`` does not back ``s``: it bounds the value the other way."""
    return (
        f"source says {c.qualifier} {c.text}, not {s.qualifier} {s.text}: "
        f"the bound is reversed ({sentence_label(c)})"
    )


def nowhere(s: Quantity) -> str:
    """The evidence of a value the source does not have."""
    label = s.kind if not s.unit else f"{s.kind}, {s.unit}"
    return f"no quantity of {s.text} ({label}) in the source"
