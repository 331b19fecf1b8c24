"""Scoring: every output with every metric, batched by article, through an executor.

All of an article's pairs (every example with that source text) go into one
batch, so its source is analysed once for every system and metric. An item that
makes its metric raise is that item's error (``metric error: ...``), never
cached, never the end of the stage.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import numbers
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from rich.progress import (
    Progress,
)

from harness.code_digest import code_digest
from harness.errors import HarnessError
from harness.executor import (
    Component,
    Executor,
    LocalExecutor,
    TaskFailure,
    Workspace,
)
from harness.generation import batches, local_components
from harness.metric import Metric, MetricEntry, MetricInput, MetricResult
from harness.plugin_code import component_fingerprint
from harness.records import Example, Fingerprint, Output, Score, has_words
from harness.store import (
    Cache,
)

METRIC_BATCH = 64
#: The most pairs per metric in a task of one article with more than
#: `METRIC_BATCH` (an edit benchmark's many summaries of one source): one
#: worker analyses the source once for all of them, and a very large
#: article still spreads over several workers.
ARTICLE_TASK_PAIRS = 8 * METRIC_BATCH
#: How the reason of an item that made its metric raise begins (never cached).
METRIC_ERROR = "metric error"
#: Libraries whose versions are part of every score's cache key (what the
#: built-in metrics compute with; a model's files are in its fingerprint).
SCORING_LIBRARIES = ("spacy", "nltk", "rouge-score", "rouge-score-rs", "numpy", "scipy")


#: Letters of the Latin script: Basic Latin, Latin-1, Latin Extended-A/B and
#: Additional (accented letters included), and fullwidth Latin.
_LATIN_LETTER = re.compile(
    r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a]"
)
_LETTER = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=4096)
def mostly_latin(text: str) -> bool:
    """Whether at least half of ``text``'s letters are Latin (True when it has none:
    digits alone are read by every check).

    >>> mostly_latin("Prices rose 3%."), mostly_latin("Café crème"), mostly_latin("发射了450架")
    (True, True, False)
    """
    letters = len(_LETTER.findall(text))
    return 2 * len(_LATIN_LETTER.findall(text)) >= letters


def _not_latin(entry: MetricEntry, example: Example, summary: str) -> str | None:
    """Which text of the pair a Latin-script-only metric cannot read, if any."""
    texts = [("summary", summary)]
    if "source" in entry.requires:
        texts.append(("source", example.source))
    if "reference" in entry.requires:
        texts += [("reference", reference) for reference in example.references]
    for what, text in texts:
        if not mostly_latin(text):
            return f"{what} is not in the Latin script: {entry.name} reads English text only"
    return None


def skip_reason(entry: MetricEntry, example: Example, output: Output) -> str | None:
    """Why a pair cannot be scored by ``entry`` (its values are then null), else None."""
    if output.error is not None or output.summary is None:
        return f"generation failed: {output.error}"
    if "source" in entry.requires and not has_words(example.source):
        return "empty source" if not example.source.strip() else "source has no words"
    if not has_words(output.summary):
        if not output.summary.strip():
            return "empty summary"
        return f"summary has no words (no letter or digit): {output.summary[:40]!r}"
    if "reference" in entry.requires and not any(ref.strip() for ref in example.references):
        return "no reference"
    if entry.latin_script:
        return _not_latin(entry, example, output.summary)
    return None


class _ScoreKeys:
    """Cache keys of one metric's pairs: ``content_hash`` of their parts, computed faster.

    The key of a pair is the hash of ``[fingerprint digest + code digest,
    summary, references(, source)]`` (references always: metrics such as
    ``numbers`` use them when present without requiring them). The code
    digest (`harness.code_digest`: every harness source file, and the
    versions of `SCORING_LIBRARIES`) makes a cached score miss once harness
    or a library its metrics compute with changes, even where no metric
    version was bumped: a score is never served from code that is gone.
    Generations are keyed by their backend's fingerprint alone (they are the
    costly part, and harness's code does not write them). Every system's summary of
    an article shares its references and source, so their canonical JSON is
    written once per article, not once per pair, and the key's text is
    joined from the parts: the same text ``content_hash`` would write.
    """

    def __init__(self, entry: MetricEntry, metric: Metric) -> None:
        self.fingerprint = component_fingerprint(metric)
        digest = self.fingerprint.digest()
        self._head = _json(f"{digest}:{code_digest(SCORING_LIBRARIES)}")
        self._with_source = "source" in entry.requires
        self._articles: dict[str, str] = {}

    def key(self, item: MetricInput) -> str:
        """The cache key of one pair."""
        example = item.example
        tail = self._articles.get(example.id)
        if tail is None:
            tail = _json(list(example.references))
            if self._with_source:
                tail += "," + _json(example.source)
            self._articles[example.id] = tail
        text = f"[{self._head},{_json(item.summary)},{tail}]"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json(value: Any) -> str:
    # The canonical form `content_hash` writes (sorted, compact, UTF-8 kept).
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _item_error(error: Exception) -> MetricResult:
    return MetricResult(values={}, reason=f"{METRIC_ERROR}: {type(error).__name__}: {error}")


def _not_a_number(value: object) -> bool:
    # numbers.Real holds int, float and numpy's scalars (np.float32, np.int64)
    return value is not None and not isinstance(value, numbers.Real)


def _checked(entry: MetricEntry, result: object) -> MetricResult:
    """``result`` with its values as floats, or that item's metric error when it
    breaks the `Metric` contract, which the built-in metrics keep and a plugin's
    may not (its message names what was wrong):

    - not a `MetricResult`, values that are not a mapping, a reason that is not text;
    - a value name the metric does not declare (a typo, ``"Score"`` for
      ``"score"``, left the declared value null in silence), or a declared one
      missing from a result that gives no reason for it (null, unexplained);
    - a value that is not a number (``"0.5"``, a list: a string that does not
      read as a number ended the run with a traceback);
    - an infinite value: a mean, a CI and results.json (strict JSON has no
      Infinity) cannot hold it, and it is no score;
    - findings that are not a list of JSON objects (a span of ``np.int64``
      could be written neither to the cache nor to scores.jsonl).

    NaN is read as "not defined", null, as before; numpy's scalars are numbers.
    """
    if not isinstance(result, MetricResult):
        return _broken(f"the metric returned a {type(result).__name__}, not a MetricResult")
    if not isinstance(result.values, Mapping):
        return _broken(f"values that are a {type(result.values).__name__}, not a mapping")
    if result.reason is not None and not isinstance(result.reason, str):
        return _broken(f"a reason that is not text: {result.reason!r}")
    declared = [spec.name for spec in entry.values]
    unknown = [name for name in result.values if name not in declared]
    missing = [name for name in declared if name not in result.values]
    if unknown or (missing and result.reason is None):
        said = "values it does not declare: " + ", ".join(map(repr, unknown)) if unknown else ""
        if missing and result.reason is None:
            said += "; " if said else ""
            said += "no value for " + ", ".join(map(repr, missing))
        return _broken(f"{said} (it declares {', '.join(map(repr, declared))})")
    odd = [f"{name} = {value!r}" for name, value in result.values.items() if _not_a_number(value)]
    if odd:
        return _broken(f"a value that is not a number, {', '.join(odd)}")
    values = {
        name: None if value is None else float(value) for name, value in result.values.items()
    }
    infinite = [
        f"{name} = {value}"
        for name, value in values.items()
        if value is not None and math.isinf(value)
    ]
    if infinite:
        return _broken(f"an infinite value, {', '.join(infinite)}")
    findings = result.findings
    try:
        if not isinstance(findings, list) or not all(isinstance(f, dict) for f in findings):
            raise TypeError("not a list of mappings")
        json.dumps(findings)
    except (TypeError, ValueError) as error:
        return _broken(f"findings that are not JSON objects ({error})")
    return MetricResult(values=values, findings=findings, reason=result.reason)


def _broken(why: str) -> MetricResult:
    return MetricResult(values={}, reason=f"{METRIC_ERROR}: {why}")


def _safe_score(metric: Metric, batch: Sequence[MetricInput]) -> list[MetricResult]:
    """Score a batch; an item that makes the metric raise becomes that item's error.

    A `HarnessError` (a missing dependency, a metric that cannot run at all)
    still ends the stage: it is the same for every item. Any other exception
    is retried item by item, so the items that do not raise are scored and the
    one that does is recorded with the reason (and never cached).
    """
    try:
        results = metric.score(batch)
        if len(results) != len(batch):
            raise RuntimeError(f"metric returned {len(results)} results for {len(batch)} inputs")
        return list(results)
    except HarnessError:
        raise
    except Exception as error:
        if len(batch) == 1:
            return [_item_error(error)]
    return [result for item in batch for result in _safe_score(metric, [item])]


@dataclass(frozen=True)
class ScoreTask:
    """One scoring batch: the items of a few articles, for each metric.

    ``items[m]`` are the pairs ``metrics[m]`` scores. All pairs of an article
    (every system, every metric) are in one task, so its source is analysed
    once, by one worker, and shared through the metrics' per-process caches.
    ``fingerprints[m]``, when given, is ``metrics[m]``'s as the driver built
    it (what keys its scores): the worker checks that it built the same
    (`Workspace.check_built`).
    """

    metrics: tuple[Component, ...]
    items: tuple[tuple[MetricInput, ...], ...]
    fingerprints: tuple[Fingerprint, ...] = ()


@dataclass(frozen=True)
class ScoreDone:
    """A scoring batch's answer: ``results[m][i]`` for ``items[m][i]``; the worker's pid."""

    results: tuple[tuple[MetricResult, ...], ...]
    worker: int


def score_batch(workspace: Workspace, task: ScoreTask) -> ScoreDone:
    """Score one batch with the workspace's metrics (runs in a worker)."""
    results: list[tuple[MetricResult, ...]] = []
    expected = task.fingerprints or (None,) * len(task.metrics)
    for component, items, fingerprint in zip(task.metrics, task.items, expected, strict=True):
        found: list[MetricResult] = []
        if items:
            metric = workspace.metric(component, fingerprint)
            for batch in batches(items, METRIC_BATCH):
                found.extend(_safe_score(metric, batch))
        results.append(tuple(found))
    return ScoreDone(tuple(results), os.getpid())


#: A task's todo entries, per metric (as `plan_score_tasks` returns them).
_Held = list[list[tuple[int, MetricInput, str]]]


def plan_score_tasks(
    order: Sequence[str],
    todo: Sequence[Sequence[tuple[int, MetricInput, str]]],
    components: Sequence[Component],
    fingerprints: Sequence[Fingerprint] = (),
) -> tuple[list[ScoreTask], list[list[list[tuple[int, MetricInput, str]]]]]:
    """Group the pairs to score into tasks by article, in benchmark order.

    An article is a source text: the examples that share one (an edit benchmark
    gives one article many summaries, each its own example) are scored
    together, so one worker analyses it once for all of them. A task takes
    whole articles while no metric gets more than `METRIC_BATCH` pairs; an
    article with more is a task of its own, split between its examples only
    past `ARTICLE_TASK_PAIRS` (an example's pairs are never split, even when it
    alone has more). The plan depends only on the inputs, never on the
    executor, so results are the same whatever runs them.

    Args:
        order: Example ids in benchmark order.
        todo: Per metric, the (output index, item, cache key) still to score.
        components: The metrics' components, parallel to ``todo``.
        fingerprints: The metrics' fingerprints as the driver built them,
            parallel to ``todo`` (`ScoreTask.fingerprints`); none: unchecked.

    Returns:
        The tasks and, per task and metric, the todo entries it holds.
    """
    per_example: dict[str, _Held] = {}
    source_of: dict[str, str] = {}
    for position, entries in enumerate(todo):
        for entry in entries:
            example = entry[1].example
            lists = per_example.setdefault(example.id, [[] for _ in todo])
            lists[position].append(entry)
            source_of[example.id] = example.source
    articles: dict[str, list[_Held]] = {}
    for example_id in order:
        if example_id in per_example:
            articles.setdefault(source_of[example_id], []).append(per_example[example_id])
    plans: list[_Held] = []
    current: _Held | None = None
    for examples in articles.values():
        whole = [[entry for held in examples for entry in held[m]] for m in range(len(todo))]
        if current is not None and _fits(current, whole, METRIC_BATCH):
            _extend(current, whole)
            continue
        # Tasks of its own; whole examples each, if it is too big for one.
        current = None
        for held in [whole] if _fits(None, whole, ARTICLE_TASK_PAIRS) else examples:
            if current is None or not _fits(current, held, ARTICLE_TASK_PAIRS):
                current = [[] for _ in todo]
                plans.append(current)
            _extend(current, held)
        if current is not None and not _fits(None, current, METRIC_BATCH):
            current = None  # full: the next article starts a task
    tasks = [
        ScoreTask(
            tuple(components),
            tuple(tuple(item for _, item, _ in held) for held in plan),
            tuple(fingerprints),
        )
        for plan in plans
    ]
    return tasks, plans


def _fits(
    held: Sequence[Sequence[object]] | None, more: Sequence[Sequence[object]], limit: int
) -> bool:
    """Whether ``more`` joins the task ``held`` (``None``: a new one) with no metric
    over ``limit`` pairs."""
    if held is None:
        return all(len(b) <= limit for b in more)
    return all(len(a) + len(b) <= limit for a, b in zip(held, more, strict=True))


def _extend(held: _Held, more: Sequence[Sequence[tuple[int, MetricInput, str]]]) -> None:
    for into, entries in zip(held, more, strict=True):
        into.extend(entries)


def score(
    examples: Sequence[Example],
    outputs: Sequence[Output],
    metrics: Sequence[tuple[MetricEntry, Metric]],
    cache: Cache,
    progress: Progress,
    *,
    executor: Executor | None = None,
    components: Sequence[Component] | None = None,
) -> list[Score]:
    """Score every output with every metric, reusing cached scores.

    Args:
        examples: The examples the outputs are for.
        outputs: The outputs to score.
        metrics: (entry, metric) pairs.
        cache: Score cache; each finished batch is committed at once.
        progress: Progress display (one bar per metric).
        executor: Where batches run (default: `LocalExecutor`).
        components: The metrics' `Component`, parallel to ``metrics``;
            needed by every executor but local.

    Returns:
        One `Score` per (metric, output), in metric then output order.

    Raises:
        MetricError: A worker built a metric with another fingerprint than
            the driver's: a file it hashes was edited during the run
            (`Workspace.check_built`). The batches finished before stay cached.
    """
    executor = executor or LocalExecutor()
    components = list(components or local_components("metrics", metrics))
    workspace = Workspace({c.key: m for c, (_, m) in zip(components, metrics, strict=True)})
    by_id = {example.id: example for example in examples}
    results: list[list[MetricResult | None]] = []
    pendings: list[list[tuple[int, MetricInput, str]]] = []
    fingerprints: list[Fingerprint] = []
    for entry, metric in metrics:
        found: list[MetricResult | None] = [None] * len(outputs)
        pending: list[tuple[int, MetricInput, str]] = []
        keys = _ScoreKeys(entry, metric)
        fingerprints.append(keys.fingerprint)
        for index, output in enumerate(outputs):
            example = by_id[output.example_id]
            reason = skip_reason(entry, example, output)
            if reason is not None:
                found[index] = MetricResult(values={}, reason=reason)
                continue
            assert output.summary is not None
            item = MetricInput(example=example, summary=output.summary)
            pending.append((index, item, keys.key(item)))
        results.append(found)
        pendings.append(pending)
    # One lookup for the whole stage: every metric's keys together.
    cached = cache.get_many("score", [key for pending in pendings for _, _, key in pending])
    todos: list[list[tuple[int, MetricInput, str]]] = []
    bars = []
    for (entry, _), found, pending in zip(metrics, results, pendings, strict=True):
        todo = []
        for index, item, key in pending:
            hit = cached.get(key)
            if hit is not None:
                found[index] = MetricResult(hit["values"], hit["findings"], hit["reason"])
            else:
                todo.append((index, item, key))
        bar = progress.add_task(f"score {escape(entry.name)}", total=len(outputs))
        progress.advance(bar, len(outputs) - len(todo))
        todos.append(todo)
        bars.append(bar)
    tasks, plans = plan_score_tasks(
        [example.id for example in examples], todos, components, fingerprints
    )
    for number, done in executor.map(score_batch, tasks, workspace):
        fresh: dict[str, Any] = {}
        for position, held in enumerate(plans[number]):
            if isinstance(done, TaskFailure):
                computed: Sequence[MetricResult] = [
                    MetricResult(values={}, reason=f"{METRIC_ERROR}: {done.reason}") for _ in held
                ]
            else:
                computed = done.results[position]
            for (index, _, key), found_result in zip(held, computed, strict=True):
                result = _checked(metrics[position][0], found_result)
                results[position][index] = result
                if result.reason is None or not result.reason.startswith(METRIC_ERROR):
                    fresh[key] = {
                        "values": result.values,
                        "findings": result.findings,
                        "reason": result.reason,
                    }
            if held:
                progress.advance(bars[position], len(held))
        cache.put_many("score", fresh)
    scores: list[Score] = []
    for (entry, _), found in zip(metrics, results, strict=True):
        names = [spec.name for spec in entry.values]
        for output, maybe in zip(outputs, found, strict=True):
            assert maybe is not None
            scores.append(
                Score(
                    example_id=output.example_id,
                    system=output.system,
                    metric=entry.name,
                    values={name: _clean(maybe.values.get(name)) for name in names},
                    findings=maybe.findings,
                    reason=maybe.reason,
                )
            )
    return scores


def _clean(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if number != number else number  # nan → null
