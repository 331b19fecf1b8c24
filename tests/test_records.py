"""The pipeline records of `harness.records`: frozen, strict, JSON round trips, stable hashes."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from pydantic import ValidationError

from harness.records import Example, Fingerprint, Output, Score, content_hash


def test_example_defaults() -> None:
    example = Example(id="e1", source="The source.")
    assert example.references == ()
    assert example.summary is None and example.label is None
    assert example.meta == {}


def test_example_references_become_a_tuple() -> None:
    example = Example.model_validate({"id": "e1", "source": "s", "references": ["a", "b"]})
    assert example.references == ("a", "b")


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Example, {"id": "e1", "source": "s"}),
        (Output, {"example_id": "e1", "system": "lead3", "summary": "s"}),
        (Score, {"example_id": "e1", "system": "lead3", "metric": "length", "values": {}}),
        (Fingerprint, {"kind": "metric", "name": "length", "version": "1"}),
    ],
)
def test_records_are_frozen_and_reject_unknown_fields(model: Any, fields: dict[str, Any]) -> None:
    record = model(**fields)
    first = next(iter(fields))
    with pytest.raises(ValidationError):
        setattr(record, first, "changed")
    with pytest.raises(ValidationError, match="extra"):
        model(**fields, surprise=1)


def test_example_requires_id_and_source() -> None:
    with pytest.raises(ValidationError) as caught:
        Example.model_validate({"references": ["r"]})
    missing = {error["loc"][0] for error in caught.value.errors() if error["type"] == "missing"}
    assert missing == {"id", "source"}


def test_output_summary_has_no_default() -> None:
    # A failed generation is written explicitly: summary None with the error.
    with pytest.raises(ValidationError):
        Output.model_validate({"example_id": "e1", "system": "s"})
    failed = Output(example_id="e1", system="s", summary=None, error="timed out")
    assert failed.error == "timed out" and failed.truncated_tokens is None


def test_score_values_keep_none_apart_from_zero() -> None:
    score = Score(
        example_id="e1",
        system="s",
        metric="numbers",
        values={"precision": None, "recall": 0.0},
        reason=None,
    )
    assert score.values == {"precision": None, "recall": 0.0}
    assert json.loads(score.model_dump_json())["values"] == {"precision": None, "recall": 0.0}


@pytest.mark.parametrize(
    "record",
    [
        Example(
            id="e\u20281",
            source="Line one.\nLine two \u00e9 \U0001f600",
            references=("r1", "r2"),
            summary="s",
            label=1.0,
            meta={"topic": "news", "nested": {"k": [1, 2.5, None]}},
        ),
        Output(example_id="e1", system="s", summary="x", latency_s=0.25, truncated_tokens=12),
        Score(
            example_id="e1",
            system="s",
            metric="numbers",
            values={"precision": 0.5, "recall": None},
            findings=[{"kind": "number", "text": "4,000", "status": "unsupported", "span": [3, 8]}],
            reason=None,
        ),
        Fingerprint(kind="backend", name="hf", version="2", params={"b": 1}, model="m@rev"),
    ],
)
def test_json_round_trip_is_identical(record: Any) -> None:
    line = record.model_dump_json()
    again = type(record).model_validate_json(line)
    assert again == record
    assert again.model_dump_json() == line


def test_content_hash_is_sha256_of_canonical_json() -> None:
    value = {"b": [1, 2.5, None], "a": "é"}
    canonical = '{"a":"é","b":[1,2.5,null]}'
    assert content_hash(value) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_content_hash_ignores_key_order_and_sees_every_value() -> None:
    assert content_hash({"a": 1, "b": {"x": 1, "y": 2}}) == content_hash(
        {"b": {"y": 2, "x": 1}, "a": 1}
    )
    assert content_hash({"a": 1}) != content_hash({"a": 1.5})
    assert content_hash({"a": 1}) != content_hash({"a": "1"})
    assert content_hash([1, 2]) != content_hash([2, 1])


def test_fingerprint_digest_is_stable_and_changes_with_every_field() -> None:
    base = {"kind": "metric", "name": "rouge", "version": "1", "params": {"use_stemmer": True}}
    digest = Fingerprint(**base).digest()
    assert digest == Fingerprint(**base).digest()
    assert digest == content_hash({**base, "model": None})
    assert len(digest) == 64 and int(digest, 16) >= 0
    changes: list[dict[str, Any]] = [
        {"kind": "backend"},
        {"name": "rouge2"},
        {"version": "2"},
        {"params": {"use_stemmer": False}},
        {"params": {}},
        {"model": "bert-base"},
    ]
    digests = {Fingerprint(**{**base, **change}).digest() for change in changes}
    assert digest not in digests and len(digests) == len(changes)
