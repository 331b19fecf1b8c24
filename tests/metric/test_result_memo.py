"""The result memo `numbers` and `entities` share with `consistency`'s checks."""

from __future__ import annotations

from collections.abc import Sequence

from harness.config import MetricConfig
from harness.metric import MetricInput, MetricResult, build_metric
from harness.metric._memo import RESULTS, ResultMemo
from harness.records import Example

SOURCE = "At least 300 soldiers died in Kursk Oblast, Ukraine's intelligence service said."


def _item(summary: str, source: str = SOURCE, references: tuple[str, ...] = ()) -> MetricInput:
    return MetricInput(Example(id="x", source=source, references=references), summary)


class _Counting:
    """A metric body that records which summaries it was asked to score."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        self.calls.append([item.summary for item in items])
        return [
            MetricResult({"n": float(len(item.summary))}, [{"span": [0, 1], "text": item.summary}])
            for item in items
        ]


def test_only_the_pairs_not_remembered_are_computed_in_one_batch_in_order() -> None:
    memo, compute = ResultMemo(), _Counting()
    first = memo.score("d", [_item("a"), _item("bb")], compute)
    again = memo.score("d", [_item("ccc"), _item("a"), _item("dddd"), _item("bb")], compute)
    assert compute.calls == [["a", "bb"], ["ccc", "dddd"]]
    assert [r.values["n"] for r in again] == [3.0, 1.0, 4.0, 2.0]
    assert again[1] == first[0] and again[1] is not first[0]


def test_the_key_is_digest_summary_source_and_references() -> None:
    memo, compute = ResultMemo(), _Counting()
    memo.score("d", [_item("a")], compute)
    memo.score("other", [_item("a")], compute)
    memo.score("d", [_item("a", source="Another source.")], compute)
    memo.score("d", [_item("a", references=("A reference.",))], compute)
    memo.score("d", [_item("a")], compute)
    assert compute.calls == [["a"], ["a"], ["a"], ["a"]]


def test_a_caller_changing_its_result_does_not_change_what_others_get() -> None:
    memo, compute = ResultMemo(), _Counting()
    mine = memo.score("d", [_item("a")], compute)[0]
    mine.findings[0]["span"][0] = 99
    mine.findings.append({"kind": "extra"})
    mine.values["n"] = 0.0
    theirs = memo.score("d", [_item("a")], compute)[0]
    assert theirs.values == {"n": 1.0}
    assert theirs.findings == [{"span": [0, 1], "text": "a"}]


def test_the_memo_is_bounded() -> None:
    memo, compute = ResultMemo(size=2), _Counting()
    memo.score("d", [_item("a"), _item("b"), _item("c")], compute)
    memo.score("d", [_item("a")], compute)
    assert compute.calls == [["a", "b", "c"], ["a"]]


def test_consistency_reuses_the_checks_results_and_they_stay_equal() -> None:
    items = [
        _item("Sergei Petrov said 3,000 soldiers died in Kursk."),
        _item("At least 300 soldiers died, the service said."),
    ]
    RESULTS.cache_clear()
    _, numbers = build_metric(MetricConfig(name="numbers"), "test")
    _, entities = build_metric(MetricConfig(name="entities"), "test")
    _, consistency = build_metric(MetricConfig(name="consistency"), "test")
    with_memo = [numbers.score(items), entities.score(items), consistency.score(items)]
    RESULTS.cache_clear()
    alone = consistency.score(items)
    RESULTS.cache_clear()
    fresh = [numbers.score(items), entities.score(items)]
    assert with_memo[2] == alone
    assert with_memo[:2] == fresh
    assert alone[0].values["flags"] == 2.0  # the number and the invented person
