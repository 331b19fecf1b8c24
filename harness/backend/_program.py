"""Run a program over stdin and collect its output, with a time limit on the program.

`run_program` is `subprocess.run` with three differences the ``command``
backend needs:

* the program gets its own process group, and on timeout or interruption the
  whole group is killed: a wrapper script's children (a model server, say)
  would otherwise outlive it;
* the time limit is on the program itself: once it has exited, a child it left
  running that still holds stdout or stdin open (a helper started in the
  background) gets `LEFTOVER_GRACE_S`, then the group is killed, the pipes are
  closed, and what the program wrote is kept;
* on POSIX one loop (`selectors`, non-blocking writes) feeds stdin and reads
  stdout and stderr, so no thread is left behind blocked on a pipe that a
  child outside the group (``setsid``) still holds, and every pipe is closed
  before it returns. Elsewhere `Popen.communicate` does the exchange.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
from pathlib import Path

#: Seconds the program's pipes may stay open after it exits (see the module doc).
LEFTOVER_GRACE_S = 2.0
#: How often the loop looks whether the program has exited, in seconds.
_POLL_S = 0.05
_CHUNK = 1 << 16


def _kill(process: subprocess.Popen[bytes], posix: bool) -> None:
    if posix:
        # The group id is the program's pid (start_new_session); it may be gone already.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()


def _close(process: subprocess.Popen[bytes]) -> None:
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


def _exchange(
    process: subprocess.Popen[bytes], stdin: bytes, timeout_s: float
) -> tuple[bytes, bytes, bool]:
    """Feed ``stdin`` and read stdout and stderr until both end and the program has
    exited, or it has been gone `LEFTOVER_GRACE_S` with a pipe still open, or
    ``timeout_s`` passes while it runs.

    Returns:
        stdout, stderr, and whether something the program left running held a
        pipe open past the grace.

    Raises:
        subprocess.TimeoutExpired: The program ran past ``timeout_s``.
    """
    assert process.stdin is not None and process.stdout is not None
    assert process.stderr is not None
    chunks: dict[int, list[bytes]] = {process.stdout.fileno(): [], process.stderr.fileno(): []}
    deadline = time.monotonic() + timeout_s
    exited_at: float | None = None
    offset = 0
    held = False
    view = memoryview(stdin)
    with selectors.DefaultSelector() as selector:
        for pipe in (process.stdout, process.stderr):
            os.set_blocking(pipe.fileno(), False)
            selector.register(pipe.fileno(), selectors.EVENT_READ)
        writer = process.stdin.fileno()
        if view:
            os.set_blocking(writer, False)
            selector.register(writer, selectors.EVENT_WRITE)
        else:
            process.stdin.close()
        while selector.get_map():
            now = time.monotonic()
            if exited_at is None and process.poll() is not None:
                exited_at = now
            if exited_at is None and now >= deadline:
                raise subprocess.TimeoutExpired(process.args, timeout_s)
            if exited_at is not None and now >= exited_at + LEFTOVER_GRACE_S:
                held = True  # what it left running holds a pipe open
                break
            for key, _ in selector.select(_POLL_S):
                fd = int(key.fd)
                if fd == writer:
                    try:
                        offset += os.write(fd, view[offset : offset + _CHUNK])
                    except BlockingIOError:
                        continue
                    except OSError:  # it exited or closed stdin without reading it all
                        offset = len(view)
                    if offset >= len(view):
                        selector.unregister(fd)
                        process.stdin.close()
                    continue
                try:
                    data = os.read(fd, _CHUNK)
                except BlockingIOError:
                    continue
                if data:
                    chunks[fd].append(data)
                else:
                    selector.unregister(fd)
        if not held and process.poll() is None:
            # it closed its output but runs on: the time limit still holds
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
    out, err = chunks[process.stdout.fileno()], chunks[process.stderr.fileno()]
    return b"".join(out), b"".join(err), held


def run_program(
    argv: list[str], stdin: bytes, timeout_s: float, cwd: Path | None
) -> tuple[int, bytes, str]:
    """Run ``argv`` with ``stdin``; return (exit status, stdout's bytes, stderr).

    Stdout is returned undecoded (the caller checks that it is UTF-8); stderr,
    only ever shown in messages, is decoded with replacement characters.

    Raises:
        subprocess.TimeoutExpired: The program ran past ``timeout_s`` (its group is killed).
        OSError: The program could not be started.
    """
    posix = os.name == "posix"
    # Python programs read stdin with the locale's encoding unless told otherwise.
    env = {**os.environ, "PYTHONIOENCODING": os.environ.get("PYTHONIOENCODING", "utf-8")}
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env,
        start_new_session=posix,
    )
    try:
        if posix:
            stdout, stderr, held = _exchange(process, stdin, timeout_s)
            if held:
                _kill(process, posix)  # the leftovers in its group that held a pipe
        else:
            stdout, stderr = process.communicate(stdin, timeout=timeout_s)
        status = process.wait()
    except BaseException:
        _kill(process, posix)
        process.wait()
        raise
    finally:
        _close(process)
    return status, stdout, stderr.decode("utf-8", errors="replace")


__all__ = ["LEFTOVER_GRACE_S", "run_program"]
