"""`load_benchmark` end to end: shared SummEdits data, limit, seeded sample, info."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.benchmark import Benchmark, load_benchmark
from harness.config import BenchmarkConfig, FieldMap
from harness.errors import BenchmarkError, ConfigError
from tests.requires import SHARED, shared

SUMMEDITS_NEWS = SHARED / "data" / "summedits" / "summedits_news.json"
SUMMEDITS_FIELDS = FieldMap(id="id", source="doc", summary="summary", label="label")
INFO_KEYS = {
    "format",
    "location",
    "split",
    "revision",
    "name",
    "n_records",
    "n_examples",
    "content_hash",
}


def _summedits(**changes: object) -> Benchmark:
    shared("data/summedits/summedits_news.json")
    config = BenchmarkConfig.model_validate(
        {"path": str(SUMMEDITS_NEWS), "fields": SUMMEDITS_FIELDS.model_dump(), **changes}
    )
    return load_benchmark(config, seed=0)


def _write(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "data.jsonl"
    rows = [{"id": f"e{n}", "source": f"Article {n}."} for n in range(count)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def test_summedits_news_loads() -> None:
    bench = _summedits()
    rows = json.loads(SUMMEDITS_NEWS.read_text(encoding="utf-8"))
    assert len(bench.examples) == 819
    assert [e.id for e in bench.examples] == [row["id"] for row in rows]
    assert {e.label for e in bench.examples} == {0.0, 1.0}
    assert all(e.summary for e in bench.examples)
    assert bench.examples[0].source == rows[0]["doc"]
    assert set(bench.examples[0].meta) == {"original_summary", "edit_types", "split"}
    assert set(bench.info) == INFO_KEYS
    assert bench.info["format"] == "json"
    assert bench.info["n_records"] == bench.info["n_examples"] == 819
    json.dumps(bench.info)


def test_limit_takes_the_first_examples() -> None:
    full = _summedits()
    limited = _summedits(limit=5)
    assert [e.id for e in limited.examples] == [e.id for e in full.examples[:5]]
    assert limited.info["n_records"] == 819
    assert limited.info["n_examples"] == 5
    assert limited.info["content_hash"] != full.info["content_hash"]


def test_seeded_sample(tmp_path: Path) -> None:
    path = _write(tmp_path, 50)
    order = [f"e{n}" for n in range(50)]

    def ids(seed: int, **changes: int) -> list[str]:
        config = BenchmarkConfig.model_validate({"path": str(path), **changes})
        return [e.id for e in load_benchmark(config, seed=seed).examples]

    first = ids(1, sample=10)
    assert len(first) == 10
    assert first == ids(1, sample=10)
    assert first != ids(2, sample=10)
    assert first == sorted(first, key=order.index)  # original order kept
    assert ids(1, sample=10, limit=3) == first[:3]
    assert ids(1, sample=50) == order
    with pytest.raises(ConfigError, match=r"benchmark.sample: 51 is more than the 50 examples"):
        ids(1, sample=51)


def test_info_and_content_hash_are_stable(tmp_path: Path) -> None:
    path = _write(tmp_path, 3)
    one = load_benchmark(BenchmarkConfig(path=str(path)))
    two = load_benchmark(BenchmarkConfig(path=str(path)))
    assert one.info == two.info
    assert one.info["location"] == str(path)
    assert one.info["split"] is None
    assert len(one.info["content_hash"]) == 64


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text("\n\n")
    with pytest.raises(BenchmarkError, match="no records found") as info:
        load_benchmark(BenchmarkConfig(path=str(path)))
    assert str(path) in str(info.value)


def test_unknown_suffix_needs_a_format(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot tell the format"):
        load_benchmark(BenchmarkConfig(path=str(tmp_path / "data.xlsx")))


def test_explicit_format_overrides_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text('{"id": "a", "source": "x"}\n')
    bench = load_benchmark(BenchmarkConfig(path=str(path), format="jsonl"))
    assert [e.id for e in bench.examples] == ["a"]
    assert bench.info["format"] == "jsonl"
