"""SIGTERM and SIGHUP end a command the way Ctrl-C does.

Python turns only SIGINT into an exception; SIGTERM (``kill``, a CI job's
timeout, ``docker stop``) and SIGHUP (a closed terminal) kill the process at
once by default, so the ``command`` backend's cleanup never runs and its
program is left running, re-parented to PID 1. Inside
`terminate_like_interrupt` they raise `Terminated`, a `KeyboardInterrupt`, so
every cleanup path written for Ctrl-C (killing a child's process group,
closing the cache) runs for them too.

The handlers are installed by the CLI only, never on import of the library.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

#: Signals that end a command like Ctrl-C; SIGHUP does not exist on Windows.
SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM or SIGHUP.

    A `KeyboardInterrupt` so that code which cleans up after Ctrl-C cleans up
    after it too; ``except KeyboardInterrupt`` clauses that must tell them
    apart catch `Terminated` first.

    Args:
        signum: The signal's number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        """The signal's name, e.g. ``"SIGTERM"``."""
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """``128 + signum``, what a shell reports for a process ended by the signal."""
        return 128 + self.signum


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextmanager
def terminate_like_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise `Terminated` in the main thread.

    Handlers are restored on exit, so blocks nest. A signal that is ignored
    when the block starts (``nohup`` ignores SIGHUP) stays ignored, and
    outside the main thread, where Python cannot set handlers, nothing
    changes.
    """
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in SIGNALS:
            if signal.getsignal(signum) is signal.SIG_IGN:
                continue
            previous[signum] = signal.signal(signum, _raise_terminated)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            # None: a handler set outside Python; the default is the best stand-in.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


__all__ = ["SIGNALS", "Terminated", "terminate_like_interrupt"]
