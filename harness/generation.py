"""Generation: every system over every example, in batches, through an executor.

A batch is a pure function of (system fingerprint, examples): `generate_batch`
runs in a worker, `generate` plans the batches, serves cached generations and
commits each finished batch to the cache (the driver alone writes it).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from rich.progress import (
    Progress,
)

from harness.backend import Generation, Summarizer
from harness.errors import BackendError, HarnessError
from harness.executor import (
    Component,
    Executor,
    LocalExecutor,
    TaskFailure,
    Workspace,
)
from harness.plugin_code import component_fingerprint
from harness.records import Example, Fingerprint, Output, content_hash
from harness.store import (
    Cache,
)


def batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """Consecutive slices of ``items`` of at most ``size`` (the last may be shorter)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _generation_key(digest: str, example: Example, reads_ids: bool) -> str:
    """The cache key of one generation: the system (``digest``, its fingerprint's,
    computed once per system) and what the backend sees of the example. A backend
    sees the source alone, so examples that share a source share the key (one
    generation); one that is also given each example's id (``reads_example_ids``:
    ``command``) may answer by it, so the id is part of its key."""
    return content_hash(
        [digest, example.id, example.source] if reads_ids else [digest, example.source]
    )


def reads_example_ids(summarizer: Summarizer) -> bool:
    """Whether the backend is given example ids (its ``reads_example_ids``, default False)."""
    return bool(getattr(summarizer, "reads_example_ids", False))


def _safe_summarize(summarizer: Summarizer, batch: Sequence[Example]) -> list[Generation]:
    try:
        # list(): a plugin's backend may return a generator (or None: a TypeError here).
        generations = list(summarizer.summarize(batch))
    except HarnessError:
        raise
    except Exception as error:  # a backend's own bug fails the batch, not the run
        message = f"backend failed for the whole batch: {type(error).__name__}: {error}"
        return [Generation.failed(message) for _ in batch]
    if len(generations) != len(batch):
        message = f"backend returned {len(generations)} results for {len(batch)} examples"
        return [Generation.failed(message) for _ in batch]
    return [_checked(generation) for generation in generations]


def _checked(generation: object) -> Generation:
    """``generation`` as the run records it: a summary of valid Unicode text, or an error.

    A backend may be a plugin's (user code): one that answers with something else
    (a plain string, neither a summary nor an error, a summary that is not text)
    fails that example, saying what it returned, rather than stop the run with a
    traceback or record a summary that is none; a summary beside an error is
    dropped (the backend says it failed).
    """
    if not isinstance(generation, Generation):
        return Generation.failed(
            f"backend returned {type(generation).__name__} {generation!r:.80} for this "
            "example, expected a harness.backend.Generation"
        )
    if generation.error is not None:
        if generation.summary is None and isinstance(generation.error, str):
            return generation
        return dataclasses.replace(generation, summary=None, error=str(generation.error))
    if generation.summary is None:
        return Generation.failed("backend returned neither a summary nor an error")
    if not isinstance(generation.summary, str):
        summary: object = generation.summary
        return Generation.failed(
            f"backend returned a summary of type {type(summary).__name__}, expected str: "
            f"{summary!r:.80}"
        )
    # A lone UTF-16 surrogate (a model or program that cut a character in
    # half) has no UTF-8 form: it could be written neither to the cache nor to
    # the run files. It fails that example, with the position, instead.
    try:
        generation.summary.encode("utf-8")
    except UnicodeEncodeError as error:
        return Generation.failed(
            f"the summary is not valid Unicode text: {error.reason} at character {error.start}"
        )
    return generation


@dataclass(frozen=True)
class GenerateTask:
    """One generation batch: the system to build and the examples to summarize.

    ``fingerprint`` is the system's as the driver built it, which keys the
    batch's generations in the cache: the worker checks that it built the
    same (`Workspace.check_built`).
    """

    system: Component
    examples: tuple[Example, ...]
    fingerprint: Fingerprint | None = None


@dataclass(frozen=True)
class GenerateDone:
    """A generation batch's answer: one `Generation` per example, and its seconds."""

    generations: tuple[Generation, ...]
    seconds: float


def generate_batch(workspace: Workspace, task: GenerateTask) -> GenerateDone:
    """Summarize one batch with the workspace's summarizer (runs in a worker)."""
    summarizer = workspace.summarizer(task.system, task.fingerprint)
    start = time.perf_counter()
    generations = _safe_summarize(summarizer, task.examples)
    return GenerateDone(tuple(generations), time.perf_counter() - start)


def local_components(kind: str, built: Sequence[object]) -> list[Component]:
    # Components a caller built itself, without configs: only `local` runs them.
    return [Component(f"{kind}[{index}]", None, f"{kind}[{index}]") for index in range(len(built))]


def generate(
    examples: Sequence[Example],
    systems: Sequence[tuple[str, Summarizer, int]],
    cache: Cache,
    progress: Progress,
    *,
    max_failures: int | None = None,
    executor: Executor | None = None,
    components: Sequence[Component] | None = None,
    prepare: Sequence[Component] = (),
) -> list[Output]:
    """Run every system over every example, reusing cached generations.

    A cacheable system generates each distinct source once per run: examples
    that share a source (hence a cache key) share that generation, latency
    included, exactly as a rerun would serve them from the cache.

    Args:
        examples: The benchmark examples.
        systems: (system name, summarizer, batch size) triples.
        cache: Generation cache; each finished batch is committed at once.
        progress: Progress display.
        max_failures: Stop once more than this many generations (all systems
            together) have failed in this run; ``None`` never stops.
        executor: Where batches run (default: `LocalExecutor`); the batches
            of all systems are handed over together, so independent systems
            run concurrently on a pool.
        components: The systems' `Component` (configs a worker builds them
            from), parallel to ``systems``; needed by every executor but local.
        prepare: The components the next stage needs (the run's metrics):
            when this stage has batches to run, the workers prepare them
            first (`Executor.prepare`), so that their models load while the
            driver waits on generation, not at the start of scoring. A stage
            that is all cached prepares nothing: a warm rerun does not load
            models it may not use.

    Returns:
        One `Output` per (system, example), systems in config order.

    Raises:
        BackendError: More than ``max_failures`` generations failed. The
            batches finished before that stay in the cache. Or a worker built
            a system with another fingerprint than the driver's: a file it
            hashes was edited during the run (`Workspace.check_built`).
    """
    executor = executor or LocalExecutor()
    components = list(components or local_components("systems", systems))
    workspace = Workspace({c.key: s for c, (_, s, _) in zip(components, systems, strict=True)})
    by_id: list[dict[str, Output]] = [{} for _ in systems]
    fingerprints = [component_fingerprint(summarizer) for _, summarizer, _ in systems]
    digests = [fingerprint.digest() for fingerprint in fingerprints]
    by_ids = [reads_example_ids(summarizer) for _, summarizer, _ in systems]
    keys = [
        [_generation_key(digest, ex, by_ids[position]) for ex in examples]
        if summarizer.cacheable
        else []
        for position, (digest, (_, summarizer, _)) in enumerate(zip(digests, systems, strict=True))
    ]
    # One lookup for the whole stage: every cacheable system's keys together.
    wanted = [key for system_keys in keys for key in system_keys]
    cached = cache.get_many("generation", wanted) if wanted else {}
    # Examples whose cacheable generation equals an earlier one's (same key),
    # per system: leader example id -> the examples that copy its output.
    copies: list[dict[str, list[Example]]] = [{} for _ in systems]
    tasks: list[GenerateTask] = []
    owner: list[int] = []
    bars = []
    for position, ((name, _, batch_size), component) in enumerate(
        zip(systems, components, strict=True)
    ):
        todo: list[Example] = []
        leaders: dict[str, Example] = {}
        for index, example in enumerate(examples):
            key = keys[position][index] if keys[position] else None
            hit = cached.get(key) if key is not None else None
            if hit is not None:
                by_id[position][example.id] = Output(
                    example_id=example.id,
                    system=name,
                    summary=hit["summary"],
                    latency_s=hit["latency_s"],
                    truncated_tokens=hit.get("truncated_tokens"),
                    cut_off=hit.get("cut_off"),
                    served_model=hit.get("served_model"),
                )
            elif key is not None and key in leaders:
                # Same system, same source: generated once, as a warm run serves it.
                copies[position].setdefault(leaders[key].id, []).append(example)
            else:
                if key is not None:
                    leaders[key] = example
                todo.append(example)
        bar = progress.add_task(f"generate {escape(name)}", total=len(examples))
        # The cache hits; a copy advances the bar with its leader's batch.
        copied = sum(len(more) for more in copies[position].values())
        progress.advance(bar, len(examples) - len(todo) - copied)
        bars.append(bar)
        for batch in batches(todo, batch_size):
            tasks.append(GenerateTask(component, tuple(batch), fingerprints[position]))
            owner.append(position)
    if tasks and prepare:
        executor.prepare(prepare)
    failed = 0
    placement = [task.system for task in tasks]
    for index, done in executor.map(generate_batch, tasks, workspace, placement):
        position = owner[index]
        name, summarizer, _ = systems[position]
        batch = tasks[index].examples
        if isinstance(done, TaskFailure):
            done = GenerateDone(tuple(Generation.failed(done.reason) for _ in batch), 0.0)
        # A backend that is not cached only reads summaries that already exist
        # (`precomputed`): that is not generating them, and timing it would
        # only record noise that differs on every run.
        latency = round(done.seconds / len(batch), 6) if summarizer.cacheable else None
        fresh: dict[str, Any] = {}
        for example, generation in zip(batch, done.generations, strict=True):
            output = Output(
                example_id=example.id,
                system=name,
                summary=generation.summary,
                error=generation.error,
                latency_s=latency,
                truncated_tokens=generation.truncated_tokens,
                cut_off=generation.cut_off,
                served_model=generation.served_model,
            )
            by_id[position][example.id] = output
            for copy in copies[position].get(example.id, ()):
                by_id[position][copy.id] = output.model_copy(update={"example_id": copy.id})
                failed += generation.error is not None
            if generation.error is None and summarizer.cacheable:
                fresh[_generation_key(digests[position], example, by_ids[position])] = {
                    "summary": generation.summary,
                    "latency_s": latency,
                    "truncated_tokens": generation.truncated_tokens,
                    "cut_off": generation.cut_off,
                    "served_model": generation.served_model,
                }
        cache.put_many("generation", fresh)
        progress.advance(
            bars[position], len(batch) + sum(len(copies[position].get(ex.id, ())) for ex in batch)
        )
        failed += sum(generation.error is not None for generation in done.generations)
        if max_failures is not None and failed > max_failures:
            last = next(
                by_id[position][ex.id] for ex in reversed(batch) if by_id[position][ex.id].error
            )
            raise BackendError(
                f"stopped after {failed} failed generations (max_failures={max_failures}); "
                f"last error: system {name!r}, example {last.example_id!r}: {last.error}",
                hint="fix the cause and run again (finished generations are cached), "
                "or raise --max-failures",
            )
    return [found[example.id] for found in by_id for example in examples]
