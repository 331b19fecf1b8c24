"""The ``python`` backend: a user's own Python function.

``params.callable`` names a function as ``"module:function"`` (an importable
module) or ``"path/to/file.py:function"`` (a file, resolved against the CWD,
then the config's folder). The function takes a list of source strings and
returns a list of as many summary strings::

    def summarize(sources: list[str]) -> list[str]: ...

It is called as a plain function: an ``async def`` one is refused when the
backend is built (wrap it: ``return asyncio.run(summarize_async(sources))``).

The config's folder, and ``params.path`` if given, are put on ``sys.path``
so that a module next to the config imports without installing it. Python
imports a name once per process: a module (or one it imports) named like a
module already imported from another of the user's files (two systems'
folders with a ``model.py`` each) is refused, rather than run the other's code.

If the function raises for a batch of several sources, each source is retried
alone, so that only the sources that make it raise fail. The summaries must
be in the order of the sources given: a function that reorders the list it
is given (``sources.sort(key=len)``) fails its batch, as its summaries
cannot be matched to their sources. A change of working directory it makes
(``os.chdir``, at import or in a call) is undone after it, so that the run
directory and the config's other relative paths keep their meaning.

The fingerprint (the cache key) holds a SHA-256 of the module's file, of
the file that defines the function, and of each of the user's own modules
the module imports (`harness.backend._local_imports`: found in the source,
under the user's folders, not installed packages), so that editing any of
them is a cache miss.
The module's file (in both forms) runs from the very bytes hashed, never
from a ``__pycache__`` .pyc, which Python trusts while the source keeps its
size and mtime (``cp -p``, ``rsync -a``, a tar extraction). The function's
file, when another one, is imported by the module as usual; if that import
may have run other code than the file holds now (a stale .pyc, an edit since
an earlier import in this process), it is run again from its source, and the
module after it; so are the user's modules it imports. Other code (an
installed package, a model file it reads, a service) is not hashed: change
``params.version`` after changing it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.machinery
import importlib.util
import inspect
import marshal
import os
import sys
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from harness.backend._local_imports import import_root, local_imports
from harness.backend._module_names import refuse_names_taken, shadowed
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
from harness.errors import ConfigError
from harness.records import Example, Fingerprint
from harness.registry import did_you_mean

_SHAPE_HINT = "give 'module:function' or 'path/to/file.py:function'"


class PythonParams(BaseModel):
    """Params of the ``python`` backend.

    Attributes:
        callable: ``"module:function"`` or ``"path/to/file.py:function"``;
            the function may be a dotted attribute (``"mod:Class.method"``).
        path: A folder to put on ``sys.path`` before importing (resolved
            against the CWD, then the config's folder).
        version: Any string, part of the cache key: change it to force a
            fresh run after changing what the function depends on outside
            the user's own files (an installed package, a model file it reads).
    """

    model_config = ConfigDict(extra="forbid")

    callable: str
    path: str | None = None
    version: VersionParam = None

    @field_validator("callable")
    @classmethod
    def _shape(cls, value: str) -> str:
        target, sep, attribute = value.rpartition(":")
        if not sep or not target.strip() or not attribute.strip():
            raise ValueError(f"expected the form 'module:function': {_SHAPE_HINT}")
        return value


@contextlib.contextmanager
def _working_directory_kept() -> Iterator[None]:
    """Undo a change of working directory that the user's code makes (``os.chdir``
    at import or in a call): the run's relative paths (the run directory, the
    cache, files named in the config) must keep meaning what the config says."""
    cwd = os.getcwd()
    try:
        yield
    finally:
        os.chdir(cwd)


def _is_file_target(target: str) -> bool:
    return (
        target.endswith(".py")
        or os.sep in target
        or (os.altsep is not None and os.altsep in target)
    )


def _put_on_sys_path(folder: Path) -> None:
    entry = str(folder.resolve())
    if entry not in sys.path:
        sys.path.insert(0, entry)


# module -> SHA-256 of the bytes this process last ran as it (by the module object, not
# its name: a module dropped from sys.modules and imported again is another one)
_ran: weakref.WeakKeyDictionary[ModuleType, str] = weakref.WeakKeyDictionary()
# modules first imported by a module this backend ran (from their file or a .pyc, then)
_fresh: weakref.WeakSet[ModuleType] = weakref.WeakSet()


def _exec_noting_imports(module: ModuleType, source: bytes, path: Path) -> None:
    """Run ``source`` (the bytes of ``path``) in ``module``; note the modules it imported first."""
    before = set(sys.modules)
    try:
        exec(compile(source, str(path), "exec", dont_inherit=True), module.__dict__)
    finally:
        for name in set(sys.modules) - before:
            imported = sys.modules.get(name)
            if isinstance(imported, ModuleType):
                _fresh.add(imported)


def _import_file(spec_text: str, target: str, config_dir: Path) -> ModuleType:
    path = resolve_path(target, config_dir)
    if not path.is_file():
        raise ConfigError(
            f"python backend {spec_text!r}: file {target!r} not found",
            hint="relative paths resolve against the current directory, "
            f"then the config's folder ({config_dir})",
        )
    path = path.resolve()
    source = path.read_bytes()
    # A name unique to the file and its content: two files with the same stem
    # must not collide, and an edited file is imported afresh.
    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:12]
    content = hashlib.sha256(source).hexdigest()
    name = f"_harness_user_{path.stem.replace('.', '_')}_{digest}_{content[:12]}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"python backend {spec_text!r}: cannot import {str(path)!r} as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        # The bytes read above are compiled, never a __pycache__ file: Python
        # trusts a .pyc whose source has the same size and mtime second, so
        # a quick edit could run stale code under the new code's hash.
        _exec_noting_imports(module, source, path)
        _ran[module] = content
    except Exception as error:
        del sys.modules[name]
        raise ConfigError(
            f"python backend {spec_text!r}: importing {str(path)!r} raised "
            f"{type(error).__name__}: {error}",
            hint="run the file with python to see the full traceback",
        ) from None
    return module


def _run_source(module: ModuleType, path: Path) -> str:
    """Run the bytes of ``path`` in ``module``'s namespace; return their SHA-256.

    The bytes read are compiled, never a ``__pycache__`` file: Python trusts
    a .pyc whose source has the same size and mtime second, which a quick
    edit, ``cp -p``, ``rsync -a`` or a tar extraction leave unchanged; the old
    code would run under the new file's hash.
    """
    source = path.read_bytes()
    _exec_noting_imports(module, source, path)
    digest = hashlib.sha256(source).hexdigest()
    _ran[module] = digest
    return digest


def _source_path(module: ModuleType) -> Path | None:
    """The ``.py`` file ``module`` runs from, if it is a plain source module."""
    file = getattr(module, "__file__", None)
    loader = getattr(getattr(module, "__spec__", None), "loader", None)
    if (
        isinstance(file, str)
        and file.endswith(".py")
        and isinstance(loader, importlib.machinery.SourceFileLoader)
        and Path(file).is_file()
    ):
        return Path(file)
    return None


def _load_from_source(target: str) -> ModuleType:
    """Import ``target`` as `importlib.import_module` would, but run its source's bytes.

    Modules that are not plain ``.py`` files (compiled extensions, zipped or
    namespace packages) are imported the usual way.

    Raises:
        ModuleNotFoundError: ``target`` (or a package above it) does not exist.
    """
    spec = importlib.util.find_spec(target)  # imports the packages above it
    if spec is None:
        raise ModuleNotFoundError(f"No module named {target!r}", name=target)
    if not isinstance(spec.loader, importlib.machinery.SourceFileLoader) or not spec.origin:
        return importlib.import_module(target)
    module = importlib.util.module_from_spec(spec)
    sys.modules[target] = module
    try:
        _run_source(module, Path(spec.origin))
    except BaseException:
        sys.modules.pop(target, None)
        raise
    parent, _, child = target.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module


def _current(module: ModuleType) -> ModuleType:
    """``module``, run again from its source if what ran is not its file's bytes now.

    A long-lived process (a notebook) keeps the first import in
    ``sys.modules``; without this, it would run the old code under the new
    file's hash and cache the old code's summaries as the new one's. A module
    imported before by other code than this backend's is run again once (like
    ``importlib.reload``): which bytes it ran is not known.
    """
    path = _source_path(module)
    if path is None:
        return module
    if _ran.get(module) != file_sha256(path):
        _run_source(module, path)
    return module


def _ran_a_stale_pyc(path: Path) -> bool:
    """Whether importing ``path`` would have run a ``__pycache__`` .pyc of other code.

    Python runs a timestamp .pyc whose recorded size and mtime second match
    the source's (an unchecked hash .pyc always): such a one is compared,
    code object for code object, with the source's bytes compiled now.
    """
    try:
        data = Path(importlib.util.cache_from_source(str(path))).read_bytes()
        source = path.read_bytes()
        stat = path.stat()
    except (OSError, NotImplementedError, ValueError):
        return False  # no .pyc: the source itself was compiled
    if len(data) < 16 or data[:4] != importlib.util.MAGIC_NUMBER:
        return False  # another Python's: ignored on import
    flags = int.from_bytes(data[4:8], "little")
    if flags == 0:
        recorded = (int.from_bytes(data[8:12], "little"), int.from_bytes(data[12:16], "little"))
        if recorded != (int(stat.st_mtime) & 0xFFFFFFFF, stat.st_size & 0xFFFFFFFF):
            return False  # out of date by Python's own check: recompiled on import
    elif flags & 0b10:
        return False  # a checked hash .pyc: Python compares the source's hash itself
    try:
        cached = marshal.loads(data[16:])
        fresh = compile(source, str(path), "exec", dont_inherit=True)
    except (EOFError, ValueError, TypeError, SyntaxError):
        return True
    return bool(cached != fresh)


def _known_current(module: ModuleType, path: Path) -> bool:
    """Whether ``module`` is known to have run ``path``'s bytes as they are now: this
    backend ran them, or a module it ran imported it first, not from a stale .pyc
    (`_ran_a_stale_pyc`)."""
    ran = _ran.get(module)
    now = file_sha256(path)
    if ran is None and module in _fresh and not _ran_a_stale_pyc(path):
        _ran[module] = now
        return True
    return ran == now


def _refresh_helpers(
    module: ModuleType, function: Any, helpers: Sequence[tuple[str, Path]]
) -> bool:
    """Run the module that defines ``function`` (if not ``module``) and the user's
    modules ``module`` imports (``helpers``, as loaded) again from their source
    unless each is known to run its file's bytes as they are now (`_known_current`);
    then ``module`` too, which holds their old functions. Return whether anything
    was run again.

    A module imported before by other code (a notebook's cell) may hold older
    code: it is run again once. When one must run again, all do, deepest first,
    so that none keeps a name it took from an old one.
    """
    module_path = _source_path(module)
    if module_path is None:
        return False
    defining = sys.modules.get(getattr(inspect.unwrap(function), "__module__", None) or "")
    loaded: list[tuple[ModuleType, Path]] = []
    for helper in [defining, *(sys.modules.get(name) for name, _ in helpers)]:
        path = None if helper is None or helper is module else _source_path(helper)
        if helper is None or path is None or path.resolve() == module_path.resolve():
            continue
        if all(helper is not other for other, _ in loaded):
            loaded.append((helper, path))
    if all(_known_current(helper, path) for helper, path in loaded):
        return False
    for helper, path in reversed(loaded):
        _run_source(helper, path)
    _run_source(module, module_path)
    return True


def _import_module(spec_text: str, target: str, config_dir: Path) -> ModuleType:
    try:
        module = sys.modules.get(target)
        return _current(module) if module is not None else _load_from_source(target)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if target == missing or target.startswith(missing + "."):
            raise ConfigError(
                f"python backend {spec_text!r}: no module named {missing!r}",
                hint="check the spelling; the module must be installed, or sit in the "
                f"current directory, the config's folder ({config_dir}) or params.path; "
                "a file can be named directly as 'path/to/file.py:function'",
            ) from None
        raise ConfigError(
            f"python backend {spec_text!r}: importing {target!r} failed: {error}",
            hint=f"install {missing!r}, which {target!r} imports",
        ) from None
    except Exception as error:
        raise ConfigError(
            f"python backend {spec_text!r}: importing {target!r} raised "
            f"{type(error).__name__}: {error}",
            hint=f"run `python -c 'import {target}'` to see the full traceback",
        ) from None


def _source_file(function: Any) -> str | None:
    """The file that defines ``function`` (or, for a callable object, its class)."""
    for candidate in (inspect.unwrap(function), type(function)):
        try:
            found = inspect.getsourcefile(candidate)
        except TypeError:  # a builtin, or a class defined in C
            continue
        if found is not None:
            return found
    return None


def _code_hashes(
    module: ModuleType, function: Any, helpers: Sequence[tuple[str, Path]]
) -> dict[str, str]:
    """SHA-256 of the module's file, of the function's file if another, and of each
    of the user's modules it imports (``import NAME``)."""
    hashes: dict[str, str] = {}
    files: dict[str, Path] = {}
    module_file = getattr(module, "__file__", None)
    if isinstance(module_file, str):
        files["module"] = Path(module_file)
    function_file = _source_file(function)
    if function_file is not None:
        files["function"] = Path(function_file)
    files.update((f"import {name}", path) for name, path in helpers)
    seen: set[Path] = set()
    # The module's own file: the digest of the bytes that ran, not of a second read.
    ran = _ran.get(module)
    for role, file in files.items():
        # Only real files: a namespace package has none, a zipped module no plain one.
        if not file.is_file() or file.resolve() in seen:
            continue
        seen.add(file.resolve())
        hashes[role] = ran if role == "module" and ran is not None else file_sha256(file)
    return hashes


def _helpers(module: ModuleType, roots: list[Path], *, from_file: bool) -> list[tuple[str, Path]]:
    """The user's own modules ``module`` imports (`local_imports`), from the folder it
    is imported from (a named file's own folder) and ``roots`` (the config's
    folder, ``params.path``)."""
    path = _source_path(module)
    if path is None:
        return []
    root = path.parent if from_file else import_root(module.__name__, path)
    return local_imports(module, path, [root, *roots])


def _resolve(
    spec_text: str, path: str | None, config_dir: Path
) -> tuple[ModuleType, Callable[[list[str]], Any], list[tuple[str, Path]]]:
    """Import the module named by ``spec_text``; return it, the function and the user's
    modules it imports (`_helpers`)."""
    target = spec_text.rpartition(":")[0]
    _put_on_sys_path(config_dir)
    roots = [config_dir]
    if path is not None:
        folder = resolve_path(path, config_dir)
        if not folder.is_dir():
            raise ConfigError(f"python backend {spec_text!r}: path {path!r} is not a folder")
        _put_on_sys_path(folder)
        roots.append(folder)
    refuse_names_taken(spec_text, target, config_dir, roots, is_file=_is_file_target(target))
    if _is_file_target(target):
        module = _import_file(spec_text, target, config_dir)
        function = _attribute(spec_text, module)
    else:
        module = _import_module(spec_text, target, config_dir)
        try:
            function = _attribute(spec_text, module)
        except ConfigError as error:
            raise shadowed(error, spec_text, module, roots) from None
    helpers = _helpers(module, roots, from_file=_is_file_target(target))
    try:
        refreshed = _refresh_helpers(module, function, helpers)
    except Exception as error:
        raise ConfigError(
            f"python backend {spec_text!r}: running the files it imports again from their "
            f"source (so that the code that runs is the code hashed) raised "
            f"{type(error).__name__}: {error}",
            hint="run the file with python to see the full traceback",
        ) from None
    if refreshed:
        function = _attribute(spec_text, module)
    return module, function, helpers


def _attribute(spec_text: str, module: ModuleType) -> Callable[[list[str]], Any]:
    """The function that ``spec_text`` names in ``module``."""
    target, _, attribute = spec_text.rpartition(":")
    found: Any = module
    for depth, part in enumerate(attribute.split(".")):
        if not hasattr(found, part):
            owner = ".".join([target, *attribute.split(".")[:depth]])
            names = [name for name in dir(found) if not name.startswith("_")]
            raise ConfigError(
                f"python backend {spec_text!r}: {owner!r} has no attribute {part!r}."
                + did_you_mean(part, names),
                hint=_SHAPE_HINT,
            )
        found = getattr(found, part)
    if not callable(found):
        raise ConfigError(
            f"python backend {spec_text!r}: {attribute!r} is a {type(found).__name__}, "
            "not a function",
            hint="name a function that takes a list of sources and returns a list of summaries",
        )
    if inspect.iscoroutinefunction(found) or inspect.iscoroutinefunction(type(found).__call__):
        # Called, it would only return a coroutine: every example would fail with
        # "returned coroutine", and Python would warn that it was never awaited.
        raise ConfigError(
            f"python backend {spec_text!r}: {attribute!r} is an async function; the backend "
            "calls it as a plain function, which must return the list of summaries",
            hint=f"wrap it: def summarize(sources): return asyncio.run({attribute}(sources))",
        )
    function: Callable[[list[str]], Any] = found
    return function


def load_callable(spec_text: str, path: str | None, config_dir: Path) -> Callable[[list[str]], Any]:
    """Import the function named by ``spec_text``.

    Args:
        spec_text: ``"module:function"`` or ``"path/to/file.py:function"``.
        path: Extra folder for ``sys.path`` (resolved against the CWD, then
            ``config_dir``), or ``None``.
        config_dir: The config's folder; also put on ``sys.path``.

    Raises:
        ConfigError: The module cannot be imported, has no such attribute,
            or the attribute is not callable.
    """
    return _resolve(spec_text, path, config_dir)[1]


class PythonSummarizer:
    """Call a user's function on each batch of sources.

    Instances pickle by their params (the function is imported again on
    unpickling), so they can be sent to worker processes.

    Args:
        params: Validated params.
        config_dir: The config's folder.
    """

    def __init__(self, params: PythonParams, config_dir: Path) -> None:
        self._setup(params, config_dir)

    def _setup(self, params: PythonParams, config_dir: Path) -> None:
        self._params = params
        self._config_dir = config_dir
        with _working_directory_kept():
            module, self._function, helpers = _resolve(params.callable, params.path, config_dir)
        # Hashed once, when the code is imported: the code that runs is the code hashed.
        self._code = _code_hashes(module, self._function, helpers)

    def __getstate__(self) -> dict[str, Any]:
        return {"params": self._params, "config_dir": self._config_dir}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._setup(state["params"], state["config_dir"])

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version, params and ``code_sha256`` of this backend.

        ``code_sha256`` holds the SHA-256 of the module's file (``module``),
        when the function is defined in another file, of that file
        (``function``), and of each of the user's modules it imports
        (``import NAME``): editing any one is a cache miss. Other code the
        function uses is covered by ``params.version`` only.
        """
        return user_code_fingerprint("python", self._params, self._code)

    @property
    def cacheable(self) -> bool:
        """True: the function is assumed to depend only on its input."""
        return True

    def summarize(self, examples: Sequence[Example]) -> list[Generation]:
        """Call the function on the batch; on an exception, retry each example alone."""
        sources = [example.source for example in examples]
        if not sources:
            return []
        given = list(sources)
        try:
            with _working_directory_kept():
                result = self._function(given)
        except (Exception, SystemExit) as error:  # user code calling sys.exit() fails the batch
            if len(sources) == 1:
                return [Generation.raised(error)]
            return [self._alone(source) for source in sources]
        if given != sources and sorted(given) == sorted(sources):
            # It sorted (or shuffled) the list it was given in place: its summaries
            # may follow that order, and would land on other sources than their own.
            message = (
                f"python backend {self._params.callable!r} reordered the list of sources "
                "it was given (sorted it in place?), so its summaries cannot be matched to "
                "their sources; sort a copy (sorted(sources, ...)) and return the "
                "summaries in the order of the sources given"
            )
            return [Generation.failed(message) for _ in sources]
        return self._check(result, len(sources))

    def _alone(self, source: str) -> Generation:
        try:
            with _working_directory_kept():
                result = self._function([source])
        except (Exception, SystemExit) as error:
            return Generation.raised(error)
        return self._check(result, 1)[0]

    def _check(self, result: Any, expected: int) -> list[Generation]:
        name = f"python backend {self._params.callable!r}"
        if inspect.iscoroutine(result):
            result.close()  # never awaited: closed, so that Python does not warn of it
        if isinstance(result, (str, bytes)) or not isinstance(result, Sequence):
            message = (
                f"{name} returned {type(result).__name__}, "
                f"expected a list of {expected} summary strings"
            )
            return [Generation.failed(message) for _ in range(expected)]
        if len(result) != expected:
            message = f"{name} returned {len(result)} summaries for {expected} sources"
            return [Generation.failed(message) for _ in range(expected)]
        return [
            Generation(summary=item)
            if isinstance(item, str)
            else Generation.failed(
                f"{name} returned {type(item).__name__}{_keys(item)} for this source, expected str"
            )
            for item in result
        ]


def _keys(item: object) -> str:
    """`` (keys 'summary_text')`` for a dict (a Hugging Face pipeline's answer), else ``""``:
    the key to return the summary from."""
    if not isinstance(item, dict):
        return ""
    return " (keys " + ", ".join(repr(key) for key in list(item)[:5]) + ")"


@backend(
    "python",
    params=PythonParams,
    description="A Python function 'module:function' taking a list of sources, returning summaries",
)
def build_python(params: PythonParams, context: BuildContext) -> Summarizer:
    """Build the ``python`` backend by importing ``params.callable``.

    Args:
        params: Validated params.
        context: Build context; its ``config_dir`` is put on ``sys.path``.

    Raises:
        ConfigError: The callable cannot be imported or is not callable.
    """
    return PythonSummarizer(params, context.config_dir)


__all__ = ["PythonParams", "PythonSummarizer", "build_python", "load_callable"]
