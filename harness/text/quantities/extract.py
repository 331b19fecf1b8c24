"""Extraction: a text to its `Quantity` records, in two passes (`scan`, then `annotate`)."""

from __future__ import annotations

from functools import lru_cache

from harness.text.quantities.context import annotate
from harness.text.quantities.record import Quantity
from harness.text.quantities.scan import scan
from harness.text.quantities.tokens import TokenDoc


def extract_quantities(text: str) -> list[Quantity]:
    """The quantities in ``text``, in order of appearance.

    Args:
        text: Any text (an article, a summary).

    Returns:
        Non-overlapping `Quantity` records ordered by span.

    >>> for q in extract_quantities("Two firefighters died; $4.2bn was lost in a five-day fire."):
    ...     print(q.text, q.value, q.kind, q.unit)
    Two 2.0 count None
    $4.2bn 4200000000.0 money USD
    five-day 5.0 duration day
    >>> q = extract_quantities("at least 300 soldiers have died")[0]
    >>> (q.value, q.qualifier, q.counted, q.context)
    (300.0, 'at least', 'soldier', ('death', 'person'))
    >>> [(q.value, q.high, q.unit) for q in extract_quantities("on January 7-8, 2025")]
    [(20250107.0, 20250108.0, 'day')]
    """
    if not text.strip():
        return []
    doc = TokenDoc(text)
    return annotate(doc, scan(doc))


@lru_cache(maxsize=4096)
def cached_quantities(text: str) -> tuple[Quantity, ...]:
    """`extract_quantities`, memoised by text, as an immutable tuple.

    Use it for source documents and references, which are analysed once and
    shared by every system and metric that scores them.

    >>> cached_quantities("Two died.") is cached_quantities("Two died.")
    True
    """
    return tuple(extract_quantities(text))
