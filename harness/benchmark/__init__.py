"""Benchmark loading: local files (jsonl/json/csv/parquet), Hugging Face
datasets, the ``briefs`` text format and built-in benchmarks.

`load_benchmark` is the one entry point; it applies the field mapping, checks
ids, and applies ``limit`` / seeded ``sample``.
"""

from harness.benchmark._load import Benchmark, load_benchmark

__all__ = ["Benchmark", "load_benchmark"]
