"""The run directory (read/write) and the content-addressed SQLite cache.

Run directory layout (field names are a stable contract, see the README)::

    config.yaml      the resolved config
    manifest.json    versions, git sha, fingerprints, seed, timings, cache hits
    examples.jsonl   the benchmark examples the run used (so reports and
                     re-scoring never need the original data)
    outputs.jsonl    one Output per (example, system)
    scores.jsonl     one Score per (example, system, metric)
    results.json     aggregates per system and metric value

Every file is written to a temporary name and renamed into place, so a killed
run never leaves a half-written file behind. A run directory being staged
(`harness.outdir`) knows the run it replaces: a file whose bytes are the
same as that run's is carried over (hard-linked) instead of rewritten, so an
unchanged file keeps its inode and modification time. Files are UTF-8; a JSON-lines
file ends each record with ``"\n"`` and is split on ``"\n"`` alone when read,
so the Unicode line breaks JSON allows raw inside strings (U+2028, U+2029,
U+0085) read back unchanged.

Modules: `run_dir` (`RunDir` and the file names), `cache` (`Cache` and the
schemas of its rows) and `files` (atomic writes, strict UTF-8 reads, digests).
"""

from __future__ import annotations

from harness.store.cache import CACHE_SCHEMAS, Cache, CachedGeneration, CachedScore
from harness.store.files import check_writable, dump_json, file_digest, read_utf8, write_atomic
from harness.store.run_dir import (
    CONFIG_FILE,
    EXAMPLES_FILE,
    MANIFEST_FILE,
    OUTPUTS_FILE,
    RESULTS_FILE,
    SCORES_FILE,
    RunDir,
)

__all__ = [
    "CACHE_SCHEMAS",
    "CONFIG_FILE",
    "EXAMPLES_FILE",
    "MANIFEST_FILE",
    "OUTPUTS_FILE",
    "RESULTS_FILE",
    "SCORES_FILE",
    "Cache",
    "CachedGeneration",
    "CachedScore",
    "RunDir",
    "check_writable",
    "dump_json",
    "file_digest",
    "read_utf8",
    "write_atomic",
]
