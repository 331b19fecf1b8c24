"""A per-process memo of metric results, shared by every instance of one metric.

The shipped checker configs score ``numbers`` and ``entities`` and then
``consistency``, which runs the same two checks underneath: without the memo,
consistency repeats the NER pass over every summary, the number extraction
and all the matching the top-level metrics have just done for the same
pairs. A metric's result is a pure function of its fingerprint and the
pair's text (the `harness.metric.Metric` contract), so the key is the
fingerprint's digest with the pair's summary, source and references; a hit
returns a copy of the stored result, so no caller can change what another
one gets.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from harness.metric._protocol import MetricInput, MetricResult

#: Results kept (a few scoring batches of every memoised metric).
MEMO_SIZE = 4096

_Key = tuple[str, str, str, tuple[str, ...]]


#: Immutable values a copy may share.
_ATOMS: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def _copy_value(value: Any) -> Any:
    """A deep copy of JSON-shaped data (what findings hold), much cheaper than
    `copy.deepcopy`, which keeps a memo of every object it visits."""
    kind = type(value)
    if kind is dict:
        return {key: _copy_value(item) for key, item in value.items()}
    if kind is list:
        return [_copy_value(item) for item in value]
    if kind in _ATOMS:
        return value
    if kind is tuple:
        return tuple(_copy_value(item) for item in value)
    return copy.deepcopy(value)


def _copy(result: MetricResult) -> MetricResult:
    return MetricResult(
        dict(result.values), [_copy_value(finding) for finding in result.findings], result.reason
    )


class ResultMemo:
    """A bounded LRU of results keyed by (fingerprint digest, summary, source, references).

    Args:
        size: How many results to keep.
    """

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self._size = size
        self._results: OrderedDict[_Key, MetricResult] = OrderedDict()
        self._lock = threading.Lock()

    def score(
        self,
        digest: str,
        items: Sequence[MetricInput],
        compute: Callable[[Sequence[MetricInput]], list[MetricResult]],
    ) -> list[MetricResult]:
        """The results of ``items``: remembered ones, and ``compute`` over the rest in one batch.

        Args:
            digest: The metric's fingerprint digest.
            items: The pairs to score.
            compute: The metric's own batch scoring (called once, on the pairs
                not remembered, in their order; not at all if every pair is).

        Returns:
            One result per item, in order.
        """
        keys = [
            (digest, item.summary, item.example.source, tuple(item.example.references))
            for item in items
        ]
        results: list[MetricResult | None] = []
        with self._lock:
            for key in keys:
                hit = self._results.get(key)
                if hit is not None:
                    self._results.move_to_end(key)
                    hit = _copy(hit)
                results.append(hit)
        missing = [i for i, hit in enumerate(results) if hit is None]
        if missing:
            computed = compute([items[i] for i in missing])
            with self._lock:
                for i, result in zip(missing, computed, strict=True):
                    self._results[keys[i]] = _copy(result)
                    results[i] = result
                while len(self._results) > self._size:
                    self._results.popitem(last=False)
        return [result for result in results if result is not None]

    def cache_clear(self) -> None:
        """Forget every result (for tests and benchmarks)."""
        with self._lock:
            self._results.clear()


#: The memo `numbers` and `entities` (and so `consistency`'s checks) share.
RESULTS = ResultMemo()
