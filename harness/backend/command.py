"""The ``command`` backend: any program that speaks JSON lines.

The harness starts the program once per batch (``argv`` is run directly, never
through a shell), writes one JSON object per example to its stdin and closes
it::

    {"id": "ex-1", "source": "The article ..."}

The program answers with one JSON object per line on stdout, in any order::

    {"id": "ex-1", "summary": "The summary."}
    {"id": "ex-2", "error": "why this one failed"}

Anything the program writes to stderr is shown only when it exits with a
non-zero status. Every example of the batch gets exactly one `Generation`:
an answer, or a failure saying what went wrong (timeout, exit status, a
stdout line that is not an answer, or no answer at all). A non-zero exit
status fails every example of the batch, answered or not (an example the
program itself answered with an error keeps that error): a program that
says it failed may have printed half-done answers first. Stdout must be
UTF-8 (a byte order mark before the first answer is ignored): an answer
line that is not fails its example, naming the byte offset, and is never
passed on with replacement characters (nor cached). An answer
with an ``"error"`` (other than ``null``, ``false`` or ``""``) fails its
example even if it has a ``"summary"`` too: the program says it failed.

An argument that names a file or folder which does not exist in the
program's working directory but does in the config's folder is passed as
that path (``["python", "summarize.py"]`` next to the config works from
anywhere); so is the ``FILE`` of an option ``--opt=FILE`` (or ``-o=FILE``).
The fingerprint (the cache key) holds a SHA-256 of the program, of every
argument that is a file and of every such ``FILE``, and, of a ``.py``
script among them, of the user's modules it imports from its folder
(`harness.backend._local_imports.script_imports`), and of a module run
with ``python -m NAME`` with those it imports, so that editing a
script, a helper module it imports or a prompt file is a cache miss; for
other code it runs, change ``params.version``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from harness.backend._local_imports import module_imports, script_imports
from harness.backend._program import run_program
from harness.backend._protocol import (
    BuildContext,
    Generation,
    Summarizer,
    VersionParam,
    backend,
    file_sha256,
    user_code_fingerprint,
)
from harness.config import resolve_path
from harness.errors import BackendError, ConfigError
from harness.records import Example, Fingerprint, excerpt

_EXPECTED = (
    'expected one JSON object per line: {"id": ..., "summary": "..."} '
    'or {"id": ..., "error": "..."}'
)
_STDERR_LINES = 5
#: ``--opt=VALUE`` or ``-o=VALUE``: the VALUE may name a file.
_OPTION = re.compile(r"(--?[^=\s-][^=\s]*)=(.+)", re.DOTALL)


class CommandParams(BaseModel):
    """Params of the ``command`` backend.

    Attributes:
        argv: Program and arguments, e.g. ``["python", "my_summarizer.py"]``.
            Run without a shell: no quoting, globbing or pipes. A relative
            path among the arguments resolves against the program's working
            directory, then the config's folder.
        timeout_s: Seconds one batch may take before the program is killed.
        cwd: Working directory of the program (resolved against the CWD,
            then the config's folder); default: the harness's CWD.
        version: Any string, part of the cache key: change it to force a
            fresh run after editing code the program runs that is not
            itself named in ``argv`` (a module the script imports, say).
    """

    model_config = ConfigDict(extra="forbid")

    argv: list[str] = Field(min_length=1)
    timeout_s: float = Field(default=120.0, gt=0)
    cwd: str | None = None
    version: VersionParam = None


def _answer_id(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _not_an_answer(number: int, why: str, line: str) -> str:
    return (
        f"command printed a line that is not an answer: stdout line {number}: "
        f"{why}: {excerpt(line)}; {_EXPECTED}"
    )


class _Reply:
    """What the program said on stdout, matched to the batch's ids."""

    def __init__(self, stdout: bytes, ids: Sequence[str]) -> None:
        self.answers: dict[str, Generation] = {}
        self.problem: str | None = None
        wanted = set(ids)
        seen_at: dict[str, int] = {}
        offset = 0
        if stdout.startswith(b"\xef\xbb\xbf"):
            # A byte order mark (a .NET program, Python's utf-8-sig) is not part of the
            # first answer, which would otherwise be "not JSON".
            stdout, offset = stdout[3:], 3
        # Split on b"\n" rather than splitlines(): JSON strings may hold U+2028 raw.
        for number, raw in enumerate(stdout.split(b"\n"), start=1):
            start, offset = offset, offset + len(raw) + 1
            try:
                line = raw.decode("utf-8").rstrip("\r")
            except UnicodeDecodeError as error:
                self._not_utf8(raw, error, start, number, wanted, seen_at)
                continue
            if not line.strip():
                continue
            why = self._read_line(line, number, wanted, seen_at)
            if why is not None and self.problem is None:
                self.problem = _not_an_answer(number, why, line)

    def _not_utf8(
        self,
        raw: bytes,
        error: UnicodeDecodeError,
        start: int,
        number: int,
        wanted: set[str],
        seen_at: dict[str, int],
    ) -> None:
        """Fail the example that a line which is not UTF-8 answers, rather than pass it on
        mangled; a line that names no example of the batch is a problem like any non-answer.

        Args:
            raw: The line's bytes.
            error: Why they do not decode.
            start: The line's offset in stdout.
            number: The line's number.
            wanted: The batch's ids.
            seen_at: The stdout line that answered each id so far.
        """
        line = raw.decode("utf-8", errors="replace").rstrip("\r")
        why = (
            f"not UTF-8 (byte 0x{raw[error.start]:02x} at stdout byte offset {start + error.start})"
        )
        record: Any = None
        with contextlib.suppress(json.JSONDecodeError):
            record = json.loads(line)
        answer_id = _answer_id(record.get("id")) if isinstance(record, dict) else None
        if answer_id is None or answer_id not in wanted:
            if self.problem is None:
                self.problem = _not_an_answer(number, why, line)
            return
        self.answers[answer_id] = Generation.failed(_not_an_answer(number, why, line))
        seen_at.setdefault(answer_id, number)

    def _read_line(
        self, line: str, number: int, wanted: set[str], seen_at: dict[str, int]
    ) -> str | None:
        """Record the answer on ``line``; return why it is not one, else None."""
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            return "not JSON"
        if not isinstance(record, dict):
            return f"a JSON {type(record).__name__}, not an object"
        if "id" not in record:
            return 'no "id"'
        answer_id = _answer_id(record["id"])
        if answer_id is None or answer_id not in wanted:
            return f"id {record['id']!r} is not in this batch"
        if answer_id in seen_at:
            self.answers[answer_id] = Generation.failed(
                f"command answered this id twice (stdout lines {seen_at[answer_id]} and {number})"
            )
            return None
        reported = record.get("error")
        if reported is not None and reported is not False and reported != "":
            # The program says this one failed: a summary beside the error (what it
            # had when it failed, say) is not one to score.
            beside = (
                ' (the "summary" beside it is not kept)'
                if record.get("summary") is not None
                else ""
            )
            generation = Generation.failed(f"command reported: {reported}{beside}")
        elif isinstance(record.get("summary"), str):
            generation = Generation(summary=record["summary"])
        elif "error" in record and reported is not None:
            generation = Generation.failed(f"command reported: {record['error']}")
        else:
            # The line names its id, so the problem belongs to that example.
            why = (
                f'"summary" is {type(record["summary"]).__name__}, not a string'
                if "summary" in record
                else 'neither "summary" nor "error"'
            )
            generation = Generation.failed(_not_an_answer(number, why, line))
        seen_at[answer_id] = number
        self.answers[answer_id] = generation
        return None


def _json_line(example: Example) -> bytes:
    """The example as one UTF-8 JSON line for the program's stdin.

    A text that UTF-8 cannot encode (a lone surrogate) is sent \\u-escaped,
    which a JSON reader reads back as the same string.
    """
    record = {"id": example.id, "source": example.source}
    try:
        return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(record) + "\n").encode("ascii")


class CommandSummarizer:
    """Run ``argv`` once per batch over JSON lines.

    Args:
        params: Validated params.
        argv: ``params.argv`` as it will be run: the program as a resolved
            path, arguments that are paths resolved (see `_resolve_arguments`).
        cwd: The program's working directory, or ``None`` for the harness's.
    """

    def __init__(self, params: CommandParams, argv: list[str], cwd: Path | None) -> None:
        self._params = params
        self._argv = argv
        self._cwd = cwd
        # Hashed once, when the backend is built: a run uses the code as it was then.
        self._code = _code_hashes(argv, cwd)

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version, params (including ``argv``) and ``code_sha256`` of this backend.

        ``code_sha256`` maps ``argv[i]`` to the SHA-256 of the file it names:
        the program (``argv[0]``, symlinks followed) and every argument that
        is a file, so that editing the script is a cache miss; and
        ``argv[i] import NAME`` to that of a module a ``.py`` script imports
        from its folder.
        """
        return user_code_fingerprint("command", self._params, self._code)

    @property
    def cacheable(self) -> bool:
        """True: the program is assumed to depend only on its input and ``argv``."""
        return True

    @property
    def reads_example_ids(self) -> bool:
        """True: the program is sent each example's id beside its source and may answer
        by it, so examples that share a source are generated (and cached) one by one."""
        return True

    def summarize(self, examples: Sequence[Example]) -> list[Generation]:
        """Run the program once over the batch; one `Generation` per example."""
        if not examples:
            return []
        stdin = b"".join(_json_line(example) for example in examples)
        shown_argv = shlex.join(self._params.argv)
        try:
            status, stdout, stderr = run_program(
                self._argv, stdin, self._params.timeout_s, self._cwd
            )
        except subprocess.TimeoutExpired:
            message = f"command timed out after {self._params.timeout_s:g} s: {shown_argv}"
            return [Generation.failed(message) for _ in examples]
        except OSError as error:
            message = f"command could not be started: {shown_argv}: {error}"
            return [Generation.failed(message) for _ in examples]
        reply = _Reply(stdout, [example.id for example in examples])
        crashed = self._exit_problem(status, stderr, answered=bool(reply.answers))
        if crashed is not None:
            # The program says it failed: an answer it printed first may be
            # half-done (a crash mid-batch, a model that ran out of memory).
            return [
                answer
                if (answer := reply.answers.get(example.id)) is not None and answer.error
                else Generation.failed(crashed)
                for example in examples
            ]
        fallback = reply.problem or "command gave no output for this id"
        if not reply.answers and _stderr_tail(stderr):
            # It answered nothing and said why on stderr (a usage message, a caught
            # traceback) while exiting 0: that is the reason to show.
            fallback += f" (it answered no id; the end of its stderr: {_stderr_tail(stderr)})"
        return [
            reply.answers.get(example.id) or Generation.failed(fallback) for example in examples
        ]

    @staticmethod
    def _exit_problem(status: int, stderr: str, *, answered: bool) -> str | None:
        if status == 0:
            return None
        shown = _stderr_tail(stderr) or "(nothing on stderr)"
        after = " after answering (answers not kept)" if answered else ""
        if status < 0:
            return f"command was killed by signal {-status}{after}: {shown}"
        return f"command exited with status {status}{after}: {shown}"


def _stderr_tail(stderr: str) -> str:
    """The last `_STDERR_LINES` non-blank lines of ``stderr`` ("" if none)."""
    return "\n".join([line for line in stderr.splitlines() if line.strip()][-_STDERR_LINES:])


def _names_path(path: Path, *, file: bool = False) -> bool:
    """Whether ``path`` exists (is a file); False for strings no path can be."""
    try:
        return path.is_file() if file else path.exists()
    except (OSError, ValueError):  # e.g. a long prompt: "File name too long"; a NUL byte
        return False


def _resolve_arguments(arguments: list[str], cwd: Path | None, base: Path) -> list[str]:
    """``arguments`` with each relative path that exists only in ``base`` made absolute.

    A path the program would find in its own working directory (``cwd``, or
    the harness's) is left as written; one found in the config's folder
    instead is passed as that folder's path, as the README promises for
    relative paths. The same goes for the ``FILE`` of ``--opt=FILE``.
    Anything else is passed unchanged.
    """
    workdir = cwd or Path.cwd()
    resolved: list[str] = []
    for argument in arguments:
        option, value = _option_value(argument)
        if value and not (_names_path(workdir / argument) or _names_path(base / argument)):
            # "--prompt=prompt.txt": the path is what follows "=".
            argument = f"{option}={_resolve_path(value, workdir, base)}"
        else:
            argument = _resolve_path(argument, workdir, base)
        resolved.append(argument)
    return resolved


def _resolve_path(argument: str, workdir: Path, base: Path) -> str:
    """``argument`` made absolute if, relative, it exists in ``base`` but not ``workdir``."""
    path = Path(argument)
    if argument and not path.is_absolute() and not _names_path(workdir / path):
        beside = base / path
        if _names_path(beside):
            return str(beside.resolve())
    return argument


def _option_value(argument: str) -> tuple[str, str]:
    """``("--opt", "VALUE")`` for an argument ``--opt=VALUE`` or ``-o=VALUE``, else ``("", "")``.

    >>> _option_value("--prompt=prompt.txt"), _option_value("prompt.txt")
    (('--prompt', 'prompt.txt'), ('', ''))
    """
    match = _OPTION.fullmatch(argument)
    return (match[1], match[2]) if match else ("", "")


def _code_hashes(argv: list[str], cwd: Path | None) -> dict[str, str]:
    """SHA-256 of the program and of every argument that names a file.

    An option ``--opt=FILE`` (or ``-o=FILE``) whose ``FILE`` exists counts as
    naming ``FILE`` (a prompt file, say), keyed by its ``argv[i]`` too.
    A file that cannot be read (a program installed execute-only) is keyed by
    its size and modification time instead, which an edit changes too.
    A module that a Python interpreter runs (``python -m NAME``) counts as
    naming its file, found as that program finds it (from its working
    directory), with the user's modules it imports.
    """
    hashes: dict[str, str] = {}
    for index, argument in enumerate(argv):
        # The program was found from the harness's CWD; its arguments are read from ``cwd``.
        workdir = Path.cwd() if index == 0 or cwd is None else cwd
        path = workdir / argument  # an absolute argument replaces workdir
        if index > 0 and argument and not _names_path(path, file=True):
            value = _option_value(argument)[1]  # "--prompt=prompt.txt": the file after "="
            path = workdir / value
            argument = value
        if not argument or not _names_path(path, file=True):
            continue
        path = path.resolve()
        try:
            hashes[f"argv[{index}]"] = file_sha256(path)
        except OSError:
            stat = path.stat()
            hashes[f"argv[{index}]"] = f"unreadable: {stat.st_size} bytes, mtime {stat.st_mtime_ns}"
            continue
        if path.suffix == ".py":
            for name, helper in script_imports(path):
                with contextlib.suppress(OSError):  # gone since: the script fails, not this
                    hashes[f"argv[{index}] import {name}"] = file_sha256(helper)
    run = _python_module(argv)
    found = module_imports(run[1], cwd or Path.cwd()) if run is not None else None
    if run is not None and found is not None:
        for role, file in [("", found[0]), *((f" import {n}", f) for n, f in found[1])]:
            with contextlib.suppress(OSError):  # gone since: the program fails, not this
                hashes[f"argv[{run[0]}]{role}"] = file_sha256(file)
    return hashes


#: Options of the Python interpreter that take the next argument as their value.
_PYTHON_VALUE_OPTIONS = frozenset({"-X", "-W", "--check-hash-based-pycs"})


def _python_module(argv: list[str]) -> tuple[int, str] | None:
    """``(i, NAME)`` when ``argv`` runs a Python interpreter with ``-m NAME`` (``argv[i]``).

    >>> _python_module(["/usr/bin/python3", "-u", "-m", "pkg.summarize"])
    (3, 'pkg.summarize')
    >>> _python_module(["python", "script.py", "-m", "x"]) is None  # the script's own option
    True
    """
    if not Path(argv[0]).name.lower().startswith("python"):
        return None
    index = 1
    while index < len(argv):
        argument = argv[index]
        if argument == "-m":
            return (index + 1, argv[index + 1]) if index + 1 < len(argv) else None
        if argument.startswith("-m") and not argument.startswith("--"):
            return index, argument[2:]
        if not argument.startswith("-") or argument in ("-", "-c", "--"):
            return None  # a script, a command or stdin: no module
        index += 2 if argument in _PYTHON_VALUE_OPTIONS else 1
    return None


def _find_program(program: str, base: Path) -> str:
    has_folder = os.sep in program or (os.altsep is not None and os.altsep in program)
    if has_folder:
        path = resolve_path(program, base)
        if path.is_file():
            if not os.access(path, os.X_OK):
                raise BackendError(
                    f"command: {str(path)!r} is not executable",
                    hint=f"run `chmod +x {path}`, or name its interpreter first, "
                    f'e.g. argv: ["python", "{program}"]',
                )
            return str(path.resolve())
    else:
        found = shutil.which(program)
        if found is not None:
            return found
    raise BackendError(
        f"command: program {program!r} not found"
        + (" (no such file)" if has_folder else " on PATH"),
        hint="give the program's full path, or add its folder to PATH; for a script, "
        'name its interpreter first, e.g. argv: ["python", "path/to/script.py"]',
    )


@backend(
    "command",
    params=CommandParams,
    description="Any program: JSON lines {id, source} on stdin, {id, summary} on stdout",
)
def build_command(params: CommandParams, context: BuildContext) -> Summarizer:
    """Build the ``command`` backend, checking that the program exists.

    Args:
        params: Validated params.
        context: Build context; ``cwd``, a relative program path and relative
            paths among the arguments resolve against its ``config_dir`` when
            they do not exist in the CWD (the arguments: in ``cwd``).

    Raises:
        BackendError: The program does not exist or is not executable.
        ConfigError: ``cwd`` is not a folder.
    """
    cwd: Path | None = None
    if params.cwd is not None:
        cwd = resolve_path(params.cwd, context.config_dir)
        if not cwd.is_dir():
            raise ConfigError(f"command: cwd {params.cwd!r} is not a folder")
    program = _find_program(params.argv[0], context.config_dir)
    arguments = _resolve_arguments(params.argv[1:], cwd, context.config_dir)
    return CommandSummarizer(params, [program, *arguments], cwd)


__all__ = ["CommandParams", "CommandSummarizer", "build_command"]
