"""Time one run through each executor, and peak memory as a run grows.

Speed (default): the 4 SummEdits domains of ``../shared/data/summedits``
(2,596 examples) in one benchmark, 2 systems (the benchmark's ``given``
summaries and ``lead3``), metrics ``consistency``, ``rouge`` (against the
given summary) and ``length``, ``cache: off`` so every run is cold. Each
executor runs the same config as a fresh ``harness run`` process (imports,
worker start-up and model loads included), ``--repeats`` times in turn; the
ratios use the fastest time of each, and the stage timings of that run are
printed (``rest``: interpreter start-up, Ray's start and stop, exit). Each
run's CPU seconds (its processes and those it waited for) are printed too:
they say what an executor adds in work, and vary less on a busy machine.
Targets on a 2-core machine: process pool >= 1.6x faster than local, Ray
(local cluster) >= 1.4x. The results files of all runs are checked to be
byte-identical.

Memory (``--memory``): a synthetic benchmark of 2.5k, 5k, 10k and 20k
examples x 3 systems (lead1, lead3, textrank) with ``length`` and
``fragments``, run locally; prints seconds and the peak RSS of the run's
process at each size, so the growth can be read (target: linear, < 4 GB).

Run: ``.venv/bin/python bench/bench_scale.py [--workers 2] [--repeats 1]
[--executors local,process,ray] [--limit N] [--memory]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SUMMEDITS = REPO.parent / "shared" / "data" / "summedits"
DOMAINS = ("news", "podcast", "sales_email", "samsum")
SAME_FILES = ("scores.jsonl", "results.json", "report.md", "report.csv", "report.tex")


def load_average() -> str:
    """The 1-minute load average and the core count, to read timings against."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} (5 min {five:.2f}) on {os.cpu_count()} cores"


def summedits_jsonl(folder: Path, limit: int | None) -> Path:
    """The 4 domains in one JSONL file, ids prefixed by domain."""
    rows = []
    for domain in DOMAINS:
        data = json.loads((SUMMEDITS / f"summedits_{domain}.json").read_text(encoding="utf-8"))
        records = data if isinstance(data, list) else next(iter(data.values()))
        for record in records:
            rows.append({**record, "id": f"{domain}-{record['id']}"})
    rows = rows[:limit] if limit else rows
    path = folder / "summedits4.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_config(folder: Path, data: Path, systems: str, metrics: str, fields: str) -> Path:
    config = folder / "bench.yaml"
    config.write_text(
        f"name: bench-scale\nbenchmark: {{path: {data}, fields: {fields}}}\n"
        f"systems:\n{systems}metrics: {metrics}\ncache: off\nseed: 0\n",
        encoding="utf-8",
    )
    return config


def timed_run(config: Path, out: Path, flags: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds of one ``harness run``.

    The CPU seconds (user + system) are those of the run's process and of
    every process it waited for: its worker processes, and a local Ray's
    processes that it stops. On a busy machine they change less than the
    wall time does, and say how much work each executor adds.
    """
    import resource

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    command = [sys.executable, "-m", "harness", "run", str(config), "--out", str(out), *flags]
    before = children_cpu()
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, err = child.communicate()
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}:\n{err[-3000:]}")
    return seconds, children_cpu() - before


def stages(run: Path, seconds: float) -> str:
    """The run's stage timings (from its manifest.json), and the rest of its wall time."""
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    timings: dict[str, float] = manifest.get("timings_s", {})
    parts = [f"{name} {value:.1f}" for name, value in timings.items()]
    return ", ".join([*parts, f"rest {seconds - sum(timings.values()):.1f}"]) + " s"


FLAGS = {
    "local": lambda workers: ["--executor", "local"],
    "process": lambda workers: ["--workers", str(workers)],
    "ray": lambda workers: ["--executor", "ray", "--workers", str(workers)],
}


def speed(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        data = summedits_jsonl(folder, args.limit)
        n = sum(1 for _ in data.open(encoding="utf-8"))
        systems = (
            "  - {name: given, backend: precomputed}\n"
            "  - {name: lead3, backend: lead, params: {sentences: 3}}\n"
        )
        fields = "{id: id, source: doc, summary: summary, reference: summary, label: label}"
        config = write_config(folder, data, systems, "[consistency, rouge, length]", fields)
        kinds = args.executors.split(",")
        best: dict[str, float] = {}
        fastest: dict[str, Path] = {}
        print(f"{n} examples x 2 systems, consistency + rouge + length, cache off")
        print(f"before: {load_average()}")
        for repeat in range(args.repeats):
            for kind in kinds:
                out = folder / f"run-{kind}-{repeat}"
                seconds, cpu = timed_run(config, out, FLAGS[kind](args.workers))
                if seconds < best.get(kind, float("inf")):
                    best[kind], fastest[kind] = seconds, out
                print(
                    f"  {kind:8s} {seconds:7.1f} s  cpu {cpu:6.1f} s   ({load_average()})",
                    flush=True,
                )
        print("stages of the fastest run of each (manifest timings_s; rest: start-up, exit):")
        for kind in kinds:
            print(f"  {kind:8s} {stages(fastest[kind], best[kind])}")
        first = folder / f"run-{kinds[0]}-0"
        for kind in kinds[1:]:
            for name in SAME_FILES:
                same = (first / name).read_bytes() == (folder / f"run-{kind}-0" / name).read_bytes()
                if not same:
                    print(f"  DIFFERENT: {name} of {kind} and {kinds[0]}")
        print(f"identical {', '.join(SAME_FILES)} across {', '.join(kinds)}: checked")
        if "local" in best:
            for kind in kinds:
                if kind != "local":
                    ratio = best["local"] / best[kind]
                    print(f"speed-up {kind} ({args.workers} workers): {ratio:.2f}x")
        print(f"after: {load_average()}")


def synthetic_jsonl(folder: Path, n: int) -> Path:
    rng = random.Random(0)
    words = [
        "the",
        "council",
        "said",
        "river",
        "bridge",
        "budget",
        "plan",
        "week",
        "city",
        "police",
        "report",
        "mayor",
    ]
    path = folder / f"synthetic-{n}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for index in range(n):
            sentences = [
                " ".join(rng.choice(words) for _ in range(rng.randint(8, 16))).capitalize()
                + f" {rng.randint(2, 9000)}."
                for _ in range(rng.randint(5, 12))
            ]
            handle.write(json.dumps({"id": f"s{index}", "text": " ".join(sentences)}) + "\n")
    return path


def memory(args: argparse.Namespace) -> None:
    systems = (
        "  - {name: lead1, backend: lead, params: {sentences: 1}}\n"
        "  - {name: lead3, backend: lead, params: {sentences: 3}}\n"
        "  - {name: textrank, backend: textrank}\n"
    )
    print(f"before: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        folder = Path(tmp)
        for n in (2500, 5000, 10000, 20000):
            data = synthetic_jsonl(folder, n)
            config = write_config(
                folder, data, systems, "[length, fragments]", "{id: id, source: text}"
            )
            # A fresh interpreter per size: RUSAGE_CHILDREN keeps the largest so far.
            probe = (
                "import resource, subprocess, sys, time; s = time.perf_counter(); "
                "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
                "print(time.perf_counter() - s, "
                "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
            )
            command = [sys.executable, "-m", "harness", "run", str(config)]
            command += ["--out", str(folder / f"run-{n}"), "--executor", "local"]
            done = subprocess.run(
                [sys.executable, "-c", probe, *command],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            seconds, peak = (float(x) for x in done.stdout.split())
            print(f"  {n:6d} examples x 3 systems: {seconds:7.1f} s, peak RSS {peak:7.0f} MiB")
    print(f"after: {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--executors", default="local,process,ray")
    parser.add_argument("--limit", type=int, default=None, help="use the first N examples")
    parser.add_argument("--memory", action="store_true", help="the memory benchmark instead")
    args = parser.parse_args()
    if args.memory:
        memory(args)
    else:
        speed(args)


if __name__ == "__main__":
    main()
