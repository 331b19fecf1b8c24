"""SIGTERM and SIGHUP end a run the way Ctrl-C does (issue 11, case 13).

A real ``harness run`` runs a ``command`` system whose program writes its pid
(and its own child's) to a file and sleeps; once the file exists the harness
gets the signal. It must end both processes, keep the batch that finished,
say so in one line and exit 128 + the signal's number. A signal that arrives
while the commands are still being imported ends the process with one line
too, never a traceback.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.cli._signals import terminate_like_interrupt

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]
REPO = Path(__file__).resolve().parents[2]

# Runs `python -m harness ARGS` with the signals as a terminal leaves them (a test
# runner may have started us with SIGINT or SIGHUP ignored, which Python keeps).
AS_FROM_A_TERMINAL = """
import runpy, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
signal.signal(signal.SIGHUP, signal.SIG_DFL)
sys.argv[0] = "harness"
runpy.run_module("harness", run_name="__main__", alter_sys=True)
"""

# The same, but importing harness.cli.run (start-up) stops until a signal comes.
BLOCKED_AT_START_UP = (
    """
import importlib.abc, sys, time
ready = sys.argv.pop(1)

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "harness.cli.run":
            open(ready, "w").close()
            time.sleep(60)
        return None

sys.meta_path.insert(0, Block())
"""
    + AS_FROM_A_TERMINAL
)

# The `command` program: answers at once, except for a source holding SLOW while
# HARNESS_TEST_PIDS names a file: then it starts a child, writes both pids, sleeps.
PROGRAM = """
import json, os, subprocess, sys, time
records = [json.loads(line) for line in sys.stdin if line.strip()]
with open(os.environ["HARNESS_TEST_CALLS"], "a", encoding="utf-8") as calls:
    calls.writelines(record["id"] + "\\n" for record in records)
pids = os.environ.get("HARNESS_TEST_PIDS")
if pids and any("SLOW" in record["source"] for record in records):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    with open(pids + ".tmp", "w", encoding="utf-8") as out:
        out.write(f"{os.getpid()} {child.pid}")
    os.replace(pids + ".tmp", pids)
    time.sleep(60)
for record in records:
    print(json.dumps({"id": record["id"], "summary": record["source"]}))
"""


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie that no one reaps is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:
        state = ""
    if state == "Z":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not path.exists():
        process.kill()
        _, stderr = process.communicate(timeout=30)
        pytest.fail(f"{path.name} never appeared; harness exited {process.returncode}: {stderr}")


def _setup(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    (tmp_path / "program.py").write_text(PROGRAM, encoding="utf-8")
    (tmp_path / "data.jsonl").write_text(
        '{"id": "fast", "source": "Done at once."}\n{"id": "slow", "source": "SLOW to answer."}\n',
        encoding="utf-8",
    )
    config = tmp_path / "config.yaml"
    config.write_text(
        f"name: signals\nbenchmark: {{path: {tmp_path / 'data.jsonl'}}}\n"
        "systems: [{name: prog, backend: command, batch_size: 1, "
        f"params: {{argv: [{sys.executable}, {tmp_path / 'program.py'}]}}}}]\n"
        f"metrics: [length]\nout: {tmp_path / 'run'}\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "HARNESS_CACHE_DIR": str(tmp_path / "cache"),
        "HARNESS_TEST_CALLS": str(tmp_path / "calls.txt"),
        "COLUMNS": "200",
    }
    return config, env


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["SIGTERM", "SIGHUP"]
)
def test_a_signal_ends_the_program_keeps_finished_batches_and_says_so(
    tmp_path: Path, harness_cli: HarnessCLI, signum: signal.Signals, code: int
) -> None:
    config, env = _setup(tmp_path)
    pids_file = tmp_path / "pids.txt"
    process = subprocess.Popen(
        [sys.executable, "-c", AS_FROM_A_TERMINAL, "run", str(config)],
        cwd=REPO,
        env={**env, "HARNESS_TEST_PIDS": str(pids_file)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    pids: list[int] = []
    try:
        _wait_for(pids_file, process)
        pids = [int(pid) for pid in pids_file.read_text(encoding="utf-8").split()]
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == code, stderr
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in pids if running(pid)], "the program or its child survived"
        said = [line for line in stderr.splitlines() if "terminated by" in line]
        assert said == [
            f"terminated by {signum.name}: finished batches are in the cache; "
            "run the same command again to resume"
        ], stderr
        assert "Traceback" not in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
        for pid in pids:
            if running(pid):
                os.kill(pid, signal.SIGKILL)

    # The batch that finished before the signal is served from the cache.
    done = harness_cli("run", str(config), env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["cache"]["generation"] == {"hits": 1, "misses": 1}
    calls = (tmp_path / "calls.txt").read_text(encoding="utf-8").split()
    assert calls == ["fast", "slow", "slow"]


@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [
        (signal.SIGINT, 130, "interrupted during start-up: nothing was run"),
        (signal.SIGTERM, 143, "terminated by SIGTERM during start-up: nothing was run"),
    ],
    ids=["Ctrl-C", "SIGTERM"],
)
def test_a_signal_during_start_up_is_one_line_without_traceback(
    tmp_path: Path, signum: signal.Signals, code: int, line: str
) -> None:
    ready = tmp_path / "importing"
    process = subprocess.Popen(
        [sys.executable, "-c", BLOCKED_AT_START_UP, str(ready), "list"],
        cwd=REPO,
        env={**os.environ, "HARNESS_CACHE_DIR": str(tmp_path / "cache")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(ready, process)
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
    assert process.returncode == code, stderr
    assert stderr.strip() == line
    assert stdout == ""


def test_an_ignored_signal_stays_ignored() -> None:
    # `nohup harness run ...` ignores SIGHUP; the harness must not undo that.
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with terminate_like_interrupt():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, signal.SIG_IGN)
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)
