"""Tests of `harness.backend._program.run_program`: the time limit is on the program."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from harness.backend._program import LEFTOVER_GRACE_S, run_program

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups and setsid are POSIX")


def test_output_and_status_come_back() -> None:
    script = "import sys; data = sys.stdin.read(); print(len(data)); sys.exit(3)"
    status, stdout, stderr = run_program([sys.executable, "-c", script], b"x" * 100_000, 30, None)
    assert (status, stdout.strip(), stderr) == (3, b"100000", "")


def test_a_child_outside_the_group_holding_stdin_costs_only_the_grace() -> None:
    # The program exits at once; a child in its own session keeps stdin open, never
    # reading it, and stdin is larger than a pipe holds.
    argv = ["sh", "-c", "exec 3<&0; setsid sleep 20 <&3 >/dev/null 2>&1 & echo ans"]
    started = time.monotonic()
    status, stdout, _ = run_program(argv, b"x" * (1 << 20), 30, None)
    assert time.monotonic() - started < LEFTOVER_GRACE_S + 3
    assert (status, stdout) == (0, b"ans\n")


def test_no_reader_is_left_to_take_the_next_programs_output() -> None:
    escaped = ["sh", "-c", "setsid sh -c 'sleep 10; echo late' & echo first"]
    before = threading.active_count()
    started = time.monotonic()
    assert run_program(escaped, b"", 30, None)[1] == b"first\n"
    assert time.monotonic() - started < LEFTOVER_GRACE_S + 3
    assert threading.active_count() == before
    answers = "print('a'); print('b')"
    assert run_program([sys.executable, "-c", answers], b"", 30, None)[1] == b"a\nb\n"


def test_a_program_that_closes_its_output_but_runs_on_is_timed_out() -> None:
    argv = [sys.executable, "-c", "import os, time; os.close(1); os.close(2); time.sleep(30)"]
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        run_program(argv, b"", 1, None)
    assert time.monotonic() - started < 10
