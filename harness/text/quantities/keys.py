"""Key quantities: what a good summary of an example keeps (the ``numbers`` recall)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from harness.records import Example
from harness.text.quantities.conflict import context_conflict
from harness.text.quantities.equivalence import equivalent
from harness.text.quantities.extract import cached_quantities
from harness.text.quantities.record import MatchSettings, Quantity


def keeps(summary: Sequence[Quantity], key: Quantity, settings: MatchSettings) -> bool:
    """Whether some summary quantity carries the key quantity ``key``."""
    return any(
        equivalent(s, key, settings)
        and (not settings.context or context_conflict(s.context, key.context, s.kind) is None)
        for s in summary
    )


def _dedup(quantities: Iterable[Quantity]) -> tuple[Quantity, ...]:
    seen: dict[tuple[Any, ...], Quantity] = {}
    for q in quantities:
        seen.setdefault((q.kind, q.unit, round(q.value, 9), q.high), q)
    return tuple(seen.values())


@lru_cache(maxsize=4096)
def salient_quantities(source: str) -> tuple[Quantity, ...]:
    """Key quantities of a source without references: its first three
    sentences' quantities plus any value stated at least twice (no ordinals).

    >>> [q.text for q in salient_quantities(
    ...     "Two died. Five were hurt. It was the first time. Later 7 fled. Again 7 fled.")]
    ['Two', 'Five', '7']
    """
    quantities = [q for q in cached_quantities(source) if q.kind != "ordinal"]
    counts: dict[tuple[Any, ...], int] = {}
    for q in quantities:
        key = (q.kind, q.unit, round(q.value, 9), q.high)
        counts[key] = counts.get(key, 0) + 1
    chosen = [
        q
        for q in quantities
        if q.sentence < 3 or counts[(q.kind, q.unit, round(q.value, 9), q.high)] > 1
    ]
    return _dedup(chosen)


def key_quantities(example: Example) -> tuple[Quantity, ...]:
    """The quantities a good summary of ``example`` keeps (for recall).

    The references' quantities when the example has a non-blank reference,
    else `salient_quantities` of the source.
    """
    references = [ref for ref in example.references if ref.strip()]
    if references:
        return _dedup(q for ref in references for q in cached_quantities(ref))
    return salient_quantities(example.source)
