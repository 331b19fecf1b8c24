"""Cold vs warm: how much faster a rerun of an unchanged config is when everything is cached.

Two runs, each timed as a fresh ``harness run`` process (imports included),
with a fresh cache folder (``HARNESS_CACHE_DIR``) per benchmark:

* ``configs/quickstart.yaml`` (40 articles x 4 systems, 6 metrics);
* the 4 SummEdits domains of ``../shared/data/summedits`` (2,596 examples) in
  one benchmark, 2 systems (the benchmark's ``given`` summaries and
  ``lead3``), ``consistency``, ``rouge`` (against the given summary) and
  ``length`` — the run ``bench/bench_scale.py`` times, with the cache on.

Each is run cold (empty cache), then warm into the same ``--out``
(``--repeats`` times, fastest kept), then warm into a new ``--out`` (nothing
to carry over there: the plots come from the cache, report.html is rendered anew). Targets: the
SummEdits warm rerun >= 20x faster than cold; the quickstart's far more than
the 1.6-2.6x it was before reports were content-addressed. The script checks
that every warm run served every generation, score and results.json from the
cache, that its results and reports are byte-identical to the cold run's,
and that the warm run into the same ``--out`` rewrote no report file.

Run: ``.venv/bin/python bench/bench_warm.py [--only quickstart|summedits]
[--limit N] [--repeats 2] [--data ../shared/data]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import bench_scale  # noqa: E402  (the SummEdits run is built as bench_scale builds it)

#: What a warm run must write byte for byte as the cold run did (plus plots/*).
SAME_FILES = (
    "config.yaml",
    "examples.jsonl",
    "outputs.jsonl",
    "scores.jsonl",
    "results.json",
    "report.md",
    "report.csv",
    "report.tex",
    "report.html",
)
CACHED_KINDS = ("generation", "score", "results")


def timed_run(config: Path, out: Path, cache: Path) -> float:
    """Seconds of one ``harness run`` process writing into ``out``."""
    command = [sys.executable, "-m", "harness", "run", str(config), "--out", str(out)]
    env = {**os.environ, "HARNESS_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return seconds


def snapshot(run: Path) -> dict[str, tuple[bytes, int, int]]:
    """Bytes, inode and mtime of every file ``SAME_FILES`` names and every plot."""
    names = [*SAME_FILES, *(f"plots/{p.name}" for p in sorted((run / "plots").glob("*.png")))]
    found = {}
    for name in names:
        path = run / name
        if path.is_file():
            stat = path.stat()
            found[name] = (path.read_bytes(), stat.st_ino, stat.st_mtime_ns)
    return found


def check_cached(run: Path) -> str | None:
    """Why the warm run in ``run`` was not served wholly from the cache, or None."""
    cache = json.loads((run / "manifest.json").read_text(encoding="utf-8"))["cache"]
    for kind in CACHED_KINDS:
        counts = cache.get(kind, {"hits": 0, "misses": 0})
        if counts["misses"] or (kind != "generation" and not counts["hits"]):
            return f"{kind}: {counts}"
    return None


def differences(cold: dict[str, tuple[bytes, int, int]], warm: Path) -> list[str]:
    now = snapshot(warm)
    different = [name for name in cold if name not in now or now[name][0] != cold[name][0]]
    return different + [name for name in now if name not in cold]


def bench(label: str, config: Path, folder: Path, repeats: int) -> float:
    cache = folder / "cache"
    out = folder / "run"
    cold = timed_run(config, out, cache)
    first = snapshot(out)
    warm = min(timed_run(config, out, cache) for _ in range(repeats))
    problems = differences(first, out)
    after = snapshot(out)
    rewritten = [name for name, (_, *stat) in first.items() if after[name][1:] != tuple(stat)]
    fresh = timed_run(config, folder / "run-new-out", cache)
    problems += differences(first, folder / "run-new-out")
    uncached = check_cached(out) or check_cached(folder / "run-new-out")
    print(f"{label}:")
    print(f"  cold {cold:7.2f} s   warm {warm:6.2f} s   warm into a new --out {fresh:6.2f} s")
    print(f"  speed-up warm: {cold / warm:5.1f}x   (into a new --out: {cold / fresh:5.1f}x)")
    print(f"  every generation, score and results.json from the cache: {uncached or 'yes'}")
    print(f"  identical to the cold run ({len(first)} files): {', '.join(problems) or 'yes'}")
    print(f"  files rewritten by the warm run into the same --out: {len(rewritten)} {rewritten}")
    return cold / warm


def quickstart(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-warm-quickstart-") as tmp:
        config = REPO / "configs" / "quickstart.yaml"
        bench("quickstart (40 articles x 4 systems, 6 metrics)", config, Path(tmp), args.repeats)


def summedits(args: argparse.Namespace) -> None:
    bench_scale.SUMMEDITS = args.data / "summedits"
    with tempfile.TemporaryDirectory(prefix="bench-warm-summedits-") as tmp:
        folder = Path(tmp)
        data = bench_scale.summedits_jsonl(folder, args.limit)
        n = sum(1 for _ in data.open(encoding="utf-8"))
        config = folder / "summedits.yaml"
        config.write_text(
            f"name: bench-warm\n"
            f"benchmark: {{path: {data}, fields: {{id: id, source: doc, summary: summary, "
            f"reference: summary, label: label}}}}\n"
            "systems:\n"
            "  - {name: given, backend: precomputed}\n"
            "  - {name: lead3, backend: lead, params: {sentences: 3}}\n"
            "metrics: [consistency, rouge, length]\nseed: 0\n",
            encoding="utf-8",
        )
        label = f"summedits ({n} examples x 2 systems, consistency + rouge + length)"
        ratio = bench(label, config, folder, args.repeats)
        print(f"  target >= 20x: {'met' if ratio >= 20 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("quickstart", "summedits"), default=None)
    parser.add_argument("--limit", type=int, default=None, help="SummEdits: the first N examples")
    parser.add_argument("--repeats", type=int, default=2, help="warm runs; the fastest is kept")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    print(f"before: {bench_scale.load_average()}")
    if args.only in (None, "quickstart"):
        quickstart(args)
    if args.only in (None, "summedits"):
        summedits(args)
    print(f"after: {bench_scale.load_average()}")


if __name__ == "__main__":
    main()
