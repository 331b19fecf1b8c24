"""The user's own modules that user code imports, found in its source.

The ``python`` backend hashes those of its module into its fingerprint, and
the ``command`` backend those of a ``.py`` script among its arguments, so
that editing a helper module the code calls (``from text_utils import
clean``) is a cache miss, as an edit of the module or script itself is.
They are found by reading, not running: every ``import`` and ``from ...
import`` statement of the module's source (at any depth: inside functions
too), then of each helper found, file to file.

A module counts as the user's own when its file is a plain ``.py`` file under
one of the user's folders (the folder the entry module is imported from, the
config's folder, ``params.path``) and not inside an installed environment
(the standard library, site-packages) or harness itself: a virtual
environment inside the project is not the project's code. Names are resolved
as the import system would (``sys.modules``, then ``sys.path``) without
importing anything; a name that is an attribute (``from m import f``) and not
a submodule resolves to nothing.
"""

from __future__ import annotations

import ast
import importlib.machinery
import site
import sys
import sysconfig
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

#: More user modules than this is not a project's helpers but a library on the
#: user's folders; the walk stops there (what it found is still hashed).
MAX_MODULES = 500


@cache
def _installed_roots() -> tuple[Path, ...]:
    """Folders that hold installed code, never the user's: the stdlib, site-packages.

    (Not the prefixes themselves: a system Python's is ``/usr``, above projects too.)"""
    found = {
        path
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (path := sysconfig.get_paths().get(key))
    }
    found |= set(site.getsitepackages()) | {site.getusersitepackages()}
    found.add(str(Path(__file__).resolve().parent.parent))  # harness's own package
    return tuple(Path(path).resolve() for path in found if path)


def _is_under(path: Path, roots: Sequence[Path]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def _source_file(spec: importlib.machinery.ModuleSpec | None) -> Path | None:
    if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
        return None
    origin = spec.origin
    return Path(origin).resolve() if origin and origin.endswith(".py") else None


def _find(name: str, first: Sequence[str] = ()) -> tuple[Path | None, bool]:
    """The source file of the module ``name`` and whether it is a package, found as
    the import system would, importing nothing; ``(None, False)`` if not a source module.

    ``first``: folders searched for a top-level name before anything else (a
    script's own folder, which is ``sys.path[0]`` of the program it runs in).
    """
    spec: importlib.machinery.ModuleSpec | None = None
    parts = name.split(".")
    for depth in range(1, len(parts) + 1):
        prefix = ".".join(parts[:depth])
        if depth == 1 and first:
            try:
                spec = importlib.machinery.PathFinder.find_spec(prefix, list(first))
            except (ImportError, ValueError):
                spec = None
            if spec is not None:
                continue
        loaded = sys.modules.get(prefix)
        if loaded is not None:
            spec = getattr(loaded, "__spec__", None)
        else:
            if depth == 1:
                search = None
            elif spec is not None and spec.submodule_search_locations is not None:
                search = list(spec.submodule_search_locations)
            else:
                return None, False
            try:
                spec = importlib.machinery.PathFinder.find_spec(prefix, search)
            except (ImportError, ValueError):
                return None, False
        if spec is None:
            return None, False
    assert spec is not None
    return _source_file(spec), spec.submodule_search_locations is not None


def _imported_names(source: bytes, path: Path, package: str) -> list[str]:
    """Every module name the source may import: ``a.b`` of ``import a.b``, and ``m``
    plus ``m.x`` of ``from m import x`` (``x`` may be a submodule); relative
    imports are resolved against ``package``."""
    try:
        tree = ast.parse(source, filename=str(path))
    except (SyntaxError, ValueError):
        return []
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                if node.level - 1 > len(parts) or not parts:
                    continue
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            if not base:
                continue
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"]
    return names


def local_imports(
    module: ModuleType, source_path: Path, user_roots: Sequence[Path]
) -> list[tuple[str, Path]]:
    """The user's own modules that ``module`` imports, directly or through one another.

    Args:
        module: The entry module (its ``__package__`` resolves relative imports).
        source_path: Its source file.
        user_roots: The user's folders (see the module docstring).

    Returns:
        ``(module name, source file)`` pairs, nearest first (breadth first),
        without ``source_path`` itself; at most `MAX_MODULES`.
    """
    return _walk(source_path, getattr(module, "__package__", None) or "", user_roots, ())


def script_imports(script: Path) -> list[tuple[str, Path]]:
    """The user's own modules a Python script imports, as ``python SCRIPT`` would find them.

    The script's folder is searched first (it is ``sys.path[0]`` of that
    program) and is the one user folder: a helper next to the script, or in a
    package beside it, counts.

    Returns:
        ``(module name, source file)`` pairs, as `local_imports` gives them.
    """
    folder = script.resolve().parent
    return _walk(script, "", [folder], (str(folder),))


def module_imports(name: str, folder: Path) -> tuple[Path, list[tuple[str, Path]]] | None:
    """The file ``python -m NAME`` runs in ``folder`` (its ``sys.path[0]``) and the user's
    modules it imports, or ``None`` if that is not a source file of the user's there.

    ``folder`` is the one user folder: a module of an installed package is its
    package's code, not the user's. A package runs its ``__main__.py``.

    Returns:
        The file run, and ``(module name, source file)`` pairs as `local_imports`
        gives them.
    """
    file, is_package = _find(name, (str(folder),))
    if file is None:
        return None
    package = name if is_package else name.rpartition(".")[0]
    if is_package:
        file = file.parent / "__main__.py"
    root = folder.resolve()
    if not file.is_file() or not _is_under(file, [root]) or _is_under(file, _installed_roots()):
        return None
    return file, _walk(file, package, [root], (str(root),))


def _walk(
    source_path: Path, package: str, user_roots: Sequence[Path], first: Sequence[str]
) -> list[tuple[str, Path]]:
    roots = [root.resolve() for root in user_roots]
    installed = _installed_roots()
    start = source_path.resolve()
    seen: set[Path] = {start}
    found: list[tuple[str, Path]] = []
    queue: list[tuple[Path, str]] = [(start, package)]
    while queue and len(found) < MAX_MODULES:
        path, package = queue.pop(0)
        try:
            source = path.read_bytes()
        except OSError:
            continue
        for name in dict.fromkeys(_imported_names(source, path, package)):
            file, is_package = _find(name, first)
            if file is None or file in seen:
                continue
            if not _is_under(file, roots) or _is_under(file, installed):
                continue
            seen.add(file)
            found.append((name, file))
            queue.append((file, name if is_package else name.rpartition(".")[0]))
    return found[:MAX_MODULES]


def loaded_from_elsewhere(
    names: Sequence[str], own_folders: Sequence[Path]
) -> list[tuple[str, Path, Path]]:
    """The user's modules among ``names`` that this process already imported from
    another file than the one ``own_folders`` hold.

    Python imports a name once per process: when two systems' folders each hold
    a ``model.py`` (or a ``helpers.py`` their code imports), the second system
    would run the first one's code, under its own name. A module imported from
    an installed environment (the standard library, site-packages) is not
    counted: a file of the user's named like one is shadowed by it anyway.

    Args:
        names: Module names (of a package's module, its top-level package counts).
        own_folders: The folders that hold this system's code, nearest first.

    Returns:
        ``(name, the file it was imported from, the file in own_folders)`` triples.
    """
    folders = [str(folder) for folder in own_folders]
    installed = _installed_roots()
    found: list[tuple[str, Path, Path]] = []
    for top in dict.fromkeys(name.partition(".")[0] for name in names):
        loaded = sys.modules.get(top)
        if loaded is None or not top:
            continue
        ran = _source_file(getattr(loaded, "__spec__", None))
        try:
            own = _source_file(importlib.machinery.PathFinder.find_spec(top, folders))
        except (ImportError, ValueError):
            continue
        if ran is None or own is None or ran == own or _is_under(ran, installed):
            continue
        found.append((top, ran, own))
    return found


def imported_names(source_path: Path, package: str = "") -> list[str]:
    """Every module name the source file may import (`_imported_names`); none if unreadable."""
    try:
        source = source_path.read_bytes()
    except OSError:
        return []
    return _imported_names(source, source_path, package)


def import_root(name: str, source_path: Path) -> Path:
    """The ``sys.path`` folder a module named ``name`` with this file is imported from.

    >>> import_root("pkg.sub.mod", Path("/p/pkg/sub/mod.py")).as_posix()
    '/p'
    >>> import_root("pkg", Path("/p/pkg/__init__.py")).as_posix()
    '/p'
    """
    levels = name.count(".") + (1 if source_path.name == "__init__.py" else 0)
    return source_path.parents[levels]


__all__ = [
    "MAX_MODULES",
    "import_root",
    "imported_names",
    "loaded_from_elsewhere",
    "local_imports",
    "module_imports",
    "script_imports",
]
