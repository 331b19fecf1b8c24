"""Writing a run directory without ever leaving it mixed, and without touching what is not ours.

A run (and a re-score or re-render) writes every file into a hidden staging
folder inside the run directory, ``.harness-staging-<pid>-<random>/``. Only
when everything is written does `StagedRun.commit` move the files into place
(renames on one file system, milliseconds), delete the files of the previous
run that the new one no longer writes, and write ``manifest.json`` last, with
``files``: the list of every file the run directory now holds for harness.

Ownership follows that list: harness overwrites or deletes only files that the
previous manifest lists (for a manifest written before ``files`` existed: the
standard run files and ``plots/*.png``). A file of the user's in the way — a
``config.yaml`` of their own beside ``out: .``, a ``report.md`` nobody's
manifest lists — stops the run before any work with exit 2, naming the file.
A run interrupted or failed before the commit leaves the previous run whole;
its staging folder is removed (or, after a kill -9, by the next run). Two runs
into one run directory at once commit one after the other (a lock on the
folder), and the files of the one that committed first are harness's to the
other: the folder ends as the last run's, whole.

A file the new run writes with the same bytes as the previous run's (or, for
a plot or report.html, with the same content key: `harness.report.reuse`) is
hard-linked from the previous run into staging instead of rewritten
(`RunDir.carry_over`); the commit's rename of a file onto itself is then a
no-op, so an unchanged file keeps its inode and modification time.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import StoreError
from harness.store import (
    CONFIG_FILE,
    EXAMPLES_FILE,
    MANIFEST_FILE,
    OUTPUTS_FILE,
    RESULTS_FILE,
    SCORES_FILE,
    RunDir,
    dump_json,
    write_atomic,
)

STAGING_PREFIX = ".harness-staging-"
REPORT_FILES = ("report.md", "report.csv", "report.tex", "report.html")
#: The files every complete run writes (plots come on top, one per metric).
RUN_FILES = (
    CONFIG_FILE,
    EXAMPLES_FILE,
    OUTPUTS_FILE,
    SCORES_FILE,
    RESULTS_FILE,
    *REPORT_FILES,
    MANIFEST_FILE,
)


def _files_under(root: Path) -> Iterator[str]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root).as_posix()


#: What to do about a folder whose manifest.json harness did not write (or cannot
#: read): `harness score` and `harness report` take no `--out`, so they cannot go elsewhere.
_NOT_OURS_HINT = (
    "run `harness run` again with another `--out` (or `out:` in the config), or move that "
    "{what} aside; `harness score` and `harness report` work only in a run directory whose "
    "manifest harness wrote"
)


def owned_files(target: Path) -> set[str]:
    """The files of ``target`` that its manifest says harness wrote (empty if none).

    Raises:
        StoreError: ``manifest.json`` exists but is not a harness manifest.
    """
    path = target / MANIFEST_FILE
    if not path.is_file():
        return set()
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StoreError(
            f"{path} is not a harness manifest ({error}); harness will not overwrite "
            "a folder it cannot tell is its own",
            hint=_NOT_OURS_HINT.format(what="folder"),
        ) from None
    if not isinstance(manifest, dict) or "harness_run" not in manifest:
        raise StoreError(
            f"{path} was not written by harness; harness will not overwrite it",
            hint=_NOT_OURS_HINT.format(what="file"),
        )
    listed = manifest.get("files")
    if isinstance(listed, list) and all(isinstance(name, str) for name in listed):
        return {
            name for name in listed if ".." not in Path(name).parts and not Path(name).is_absolute()
        }
    # A manifest from before `files` was recorded vouches for the standard names.
    plots = {f"plots/{p.name}" for p in (target / "plots").glob("*.png")}
    return {name for name in RUN_FILES if (target / name).is_file()} | plots


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_staging(target: Path) -> None:
    for folder in target.glob(f"{STAGING_PREFIX}*"):
        pid_text = folder.name[len(STAGING_PREFIX) :].split("-", 1)[0]
        if folder.is_dir() and pid_text.isdigit() and not _pid_alive(int(pid_text)):
            shutil.rmtree(folder, ignore_errors=True)


def _foreign(target: Path, names: Iterable[str], owned: set[str]) -> list[str]:
    return [name for name in names if (target / name).exists() and name not in owned]


def _refuse(target: Path, foreign: list[str]) -> StoreError:
    shown = ", ".join(str(target / name) for name in foreign[:5])
    return StoreError(
        f"{shown} {'is' if len(foreign) == 1 else 'are'} in the way: harness writes that "
        f"name in a run directory, and no harness manifest in {target} lists "
        f"{'it' if len(foreign) == 1 else 'them'}, so it is not harness's to overwrite",
        hint="give the run another `--out` (or `out:` in the config), or move the "
        "file(s) aside; finished work is in the cache",
    )


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder ``target`` (POSIX ``flock``; elsewhere none).

    Two runs into one run directory then commit one after the other, each whole:
    the folder is the last one's, never a mix of both runs' files.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: commits are not serialised
        yield
        return
    handle = os.open(target, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


#: What `_signals_held` holds back: Ctrl-C, SIGTERM, SIGHUP (where they exist).
_HELD_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait until the block has run (main thread only).

    The commit moves files one by one: a signal between two moves would end
    it with the folder half the new run's and half the old one's. Held, it
    arrives once the folder is whole (the command then ends as it asks).
    Python handlers that only note the signal stand in for the block, and the
    first signal noted is raised again after it: blocking the signals in the
    main thread (``pthread_sigmask``) would not do, as the kernel then gives
    them to another thread of the process (a progress display's, a pool's),
    and Python runs the handler in the main thread all the same.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []

    def note(signum: int, frame: object) -> None:
        noted.append(signum)

    previous = {held: signal.signal(held, note) for held in _HELD_SIGNALS}
    try:
        yield
    finally:
        for held, handler in previous.items():
            # None: a handler set outside Python, which cannot be put back
            signal.signal(held, signal.SIG_DFL if handler is None else handler)
        if noted:
            signal.raise_signal(noted[0])


@dataclass
class StagedRun:
    """A run directory being written: files go to ``staging``, `commit` swaps them in.

    Attributes:
        target: The run directory the user named.
        staging: Where this run writes (a `RunDir` inside ``target``).
        previous: Files of ``target`` written by the previous run (its manifest).
    """

    target: Path
    staging: RunDir
    previous: set[str] = field(default_factory=set)
    created_target: bool = False
    linked: set[str] = field(default_factory=set)

    def commit(self, manifest: dict[str, Any], *, keep: Iterable[str] = ()) -> RunDir:
        """Move the staged files into ``target`` and write ``manifest`` last.

        Args:
            manifest: The manifest to write; its ``files`` is set here.
            keep: Files of the previous run to keep as they are, on top of
                those linked in with `link_inputs`.

        Returns:
            The run directory ``target``.

        Ctrl-C, SIGTERM and SIGHUP received while the files move wait until
        the manifest is written (`_signals_held`), so the folder is left whole.

        Raises:
            StoreError: A staged file would overwrite a file harness does not
                own; nothing is moved then.
        """
        # The signals are held only once the lock is taken: waiting on another
        # run's commit can still be interrupted.
        with _locked(self.target), _signals_held():
            return self._commit(manifest, keep)

    def _commit(self, manifest: dict[str, Any], keep: Iterable[str]) -> RunDir:
        # Another run into the same folder may have committed since this one was
        # staged: what its manifest lists is harness's too (replaced, or deleted
        # if this run does not write it), not a user's file in the way.
        self.previous |= owned_files(self.target)
        written = [
            name
            for name in _files_under(self.staging.path)
            if name != MANIFEST_FILE and name not in self.linked
        ]
        foreign = _foreign(self.target, written, self.previous)
        if foreign:
            self.discard()
            raise _refuse(self.target, foreign)
        for name in written:
            source, destination = self.staging.path / name, self.target / name
            if name in self.staging.carried and _same_file(source, destination):
                continue  # carried over by a hard link: already in place, untouched
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, destination)
        kept = {name for name in {*keep, *self.linked} if (self.target / name).is_file()}
        for name in sorted(self.previous - set(written) - kept - {MANIFEST_FILE}):
            (self.target / name).unlink(missing_ok=True)
        manifest["files"] = sorted({*written, *kept, MANIFEST_FILE})
        write_atomic(self.target / MANIFEST_FILE, dump_json(manifest))
        shutil.rmtree(self.staging.path, ignore_errors=True)
        plots = self.target / "plots"
        if plots.is_dir() and not any(plots.iterdir()):
            plots.rmdir()
        return RunDir(self.target)

    def link_inputs(self, names: Iterable[str]) -> None:
        """Make ``names`` of the target readable in staging (a re-score or re-render reads them).

        Hard links where the file system allows (instant, no copy), copies
        elsewhere. Linked files are inputs: `commit` leaves the originals as
        they are.
        """
        for name in names:
            source = self.target / name
            if not source.is_file():
                continue
            destination = self.staging.file(name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, destination)
            except OSError:
                shutil.copy2(source, destination)
            self.linked.add(name)

    def discard(self) -> None:
        """Remove the staging folder (the previous run stays as it was)."""
        shutil.rmtree(self.staging.path, ignore_errors=True)
        if self.created_target and self.target.is_dir() and not any(self.target.iterdir()):
            self.target.rmdir()


def stage_run(target: Path, *, writes: Iterable[str] = RUN_FILES) -> StagedRun:
    """Claim ``target`` for a run that will write ``writes`` (plus plots).

    Args:
        target: The run directory (created if missing).
        writes: File names the run will write, checked for foreign files now
            so that a conflict stops the run before any work.

    Raises:
        StoreError: ``target`` is a file, holds a file of those names that no
            harness manifest lists, or has a ``manifest.json`` not written by
            harness.
    """
    if target.exists() and not target.is_dir():
        raise StoreError(
            f"the run directory {target} is a file",
            hint="give `--out` (or `out:`) a folder",
        )
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    owned = owned_files(target)
    foreign = _foreign(target, writes, owned)
    if foreign:
        raise _refuse(target, foreign)
    _remove_stale_staging(target)
    staging = target / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    run_dir = RunDir(staging, previous=target, previous_files=owned - {MANIFEST_FILE})
    return StagedRun(target=target, staging=run_dir, previous=owned, created_target=created)


__all__ = [
    "REPORT_FILES",
    "RUN_FILES",
    "STAGING_PREFIX",
    "StagedRun",
    "owned_files",
    "stage_run",
]
