"""Built-in benchmarks."""

from __future__ import annotations

import pytest

from harness.benchmark import load_benchmark
from harness.benchmark._builtin import available_builtins, builtin_roots
from harness.config import BenchmarkConfig, FieldMap
from harness.errors import ConfigError


def test_roots_prefer_the_package_folder() -> None:
    package_root, repo_root = builtin_roots()
    assert package_root.parts[-3:] == ("harness", "_data", "benchmarks")
    assert repo_root.name == "benchmarks"
    assert (repo_root.parent / "harness").is_dir()


def test_newsbriefs_is_available_and_loads() -> None:
    assert "newsbriefs" in available_builtins()
    bench = load_benchmark(BenchmarkConfig(builtin="newsbriefs"))
    assert len(bench.examples) >= 40
    for example in bench.examples:
        assert example.source.strip()
        assert example.references and all(ref.strip() for ref in example.references)
    assert bench.info["format"] == "builtin"
    assert bench.info["location"] == "newsbriefs"
    assert len({example.id for example in bench.examples}) == len(bench.examples)


def test_builtin_fields_can_be_overridden() -> None:
    numbered = load_benchmark(BenchmarkConfig(builtin="newsbriefs", fields=FieldMap(id=None)))
    assert numbered.examples[0].id == "1"
    assert numbered.examples[0].references == ()
    titled = load_benchmark(
        BenchmarkConfig(builtin="newsbriefs", fields=FieldMap(reference="title"))
    )
    first = titled.examples[0]
    assert len(first.references) == 1
    assert "title" not in first.meta
    assert "reference" in first.meta


def test_unknown_builtin_suggests_a_name() -> None:
    with pytest.raises(ConfigError) as info:
        load_benchmark(BenchmarkConfig(builtin="newsbrief"))
    assert "unknown built-in benchmark 'newsbrief'" in str(info.value)
    assert "Did you mean 'newsbriefs'?" in str(info.value)
    assert info.value.hint is not None and "newsbriefs" in info.value.hint


def test_format_cannot_contradict_builtin() -> None:
    with pytest.raises(ConfigError, match=r"benchmark\.builtin"):
        load_benchmark(BenchmarkConfig(builtin="newsbriefs", format="csv"))
