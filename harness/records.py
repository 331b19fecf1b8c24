"""The records that flow through the pipeline (see DESIGN.md, "Data flow").

``Example`` comes out of a benchmark, ``Output`` out of a backend, ``Score``
out of a metric. They are plain pydantic models so they serialise to the
run directory's JSON lines unchanged and travel between processes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

JsonScalar = str | int | float | bool | None


class Example(BaseModel):
    """One benchmark item.

    Attributes:
        id: Unique id within the benchmark (from the mapped id column).
        source: The article to summarise.
        references: Zero or more reference summaries.
        summary: A precomputed candidate summary carried by the benchmark itself.
        label: A human judgment of ``summary`` (e.g. 1 consistent / 0 not).
        meta: Every other column of the record, unchanged.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    source: str
    references: tuple[str, ...] = ()
    summary: str | None = None
    label: float | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class Output(BaseModel):
    """One system's summary of one example (a line of ``outputs.jsonl``).

    ``summary`` is ``None`` exactly when ``error`` says why generation failed.
    ``truncated_tokens`` counts the source tokens a model backend had to cut to
    fit its input limit (``None``: nothing was cut). ``cut_off`` is set when
    the summary reached the backend's output limit and was kept to its last
    whole sentence: the unfinished end that was dropped (``None``: the model
    ended the summary itself). ``served_model`` is the model an API says wrote
    the summary (the dated snapshot behind an alias such as ``gpt-4o-mini``;
    ``None`` when the backend is no API or the API does not say).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    example_id: str
    system: str
    summary: str | None
    error: str | None = None
    latency_s: float | None = None
    truncated_tokens: int | None = None
    cut_off: str | None = None
    served_model: str | None = None


class Score(BaseModel):
    """One metric's values for one (example, system) (a line of ``scores.jsonl``).

    Attributes:
        values: Short value name → number, or ``None`` when not defined for
            this pair (never 0 in that case).
        findings: Evidence a person reads, e.g. ``{"kind": "number",
            "text": "4,000", "status": "unsupported", "span": [s, e]}``.
        reason: Why every value is ``None`` (empty summary, no reference,
            generation failed, metric error), else ``None``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    example_id: str
    system: str
    metric: str
    values: dict[str, float | None]
    findings: list[dict[str, Any]] = Field(default_factory=list)
    reason: str | None = None


class Fingerprint(BaseModel):
    """What made a result: used as cache key and written to the manifest.

    Attributes:
        kind: "backend" or "metric".
        name: Registered component name.
        version: Implementation version; bump it when outputs change.
        params: Parameters that change outputs.
        model: Model id or path (with revision) if a model is involved.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    name: str
    version: str
    params: dict[str, Any] = Field(default_factory=dict)
    model: str | None = None

    def digest(self) -> str:
        """A stable hex digest of the fingerprint."""
        return content_hash(self.model_dump(mode="json"))


def content_hash(value: Any) -> str:
    """SHA-256 of the canonical JSON form of ``value`` (sorted keys).

    >>> content_hash({"b": 1, "a": 2}) == content_hash({"a": 2, "b": 1})
    True
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def has_words(text: str) -> bool:
    """Whether ``text`` has a letter or digit in any script: "...", "-", an emoji or
    a zero-width space alone is no summary, which every check would find nothing
    wrong with (a faithfulness score of 1).

    >>> has_words("Prices rose 3%."), has_words("二〇二〇"), has_words(" ...\u200b🙂")
    (True, True, False)
    """
    return any(character.isalnum() for character in text)


#: How much of a model's or program's text an error message quotes.
EXCERPT_CHARS = 200


def excerpt(text: str) -> str:
    """``repr(text)`` for an error message, cut to its first `EXCERPT_CHARS`
    characters: what a model or program wrote, quoted where it failed.

    >>> excerpt("short"), excerpt("x" * 300)[-4:]
    ("'short'", "xx…'")
    """
    return repr(text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…")


__all__ = [
    "EXCERPT_CHARS",
    "Example",
    "Fingerprint",
    "JsonScalar",
    "Output",
    "Score",
    "content_hash",
    "excerpt",
    "has_words",
]
