"""Module names the ``python`` backend must not mistake for the user's files.

Python imports a name once per process (`sys.modules`): a user's module
named like one imported already (by another system of the run, or by harness's
own dependencies) is never run, and its name gives the other module.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
from pathlib import Path
from types import ModuleType

from harness.backend._local_imports import imported_names, loaded_from_elsewhere
from harness.config import resolve_path
from harness.errors import ConfigError


def refuse_names_taken(
    spec_text: str, target: str, config_dir: Path, roots: list[Path], *, is_file: bool
) -> None:
    """Refuse a module (or a module it imports) that this process already imported
    under the same name from another of the user's files (`loaded_from_elsewhere`):
    two systems with a ``model.py`` each in their ``params.path``, say. Python
    imports a name once, so this system would run the other's code as its own.

    Args:
        spec_text: ``params.callable``, for messages.
        target: Its module part: a module name, or a file when ``is_file``.
        config_dir: The config's folder (a relative file resolves against it).
        roots: The config's folder, then ``params.path`` if given.
        is_file: Whether ``target`` names a file.

    Raises:
        ConfigError: Naming the module, both files and how to tell them apart.
    """
    own = [root.resolve() for root in reversed(roots)]  # params.path first, as on sys.path
    names = [target]
    entry: Path | None = None
    if is_file:
        names, entry = [], resolve_path(target, config_dir)
        own.insert(0, entry.resolve().parent)
    elif "." not in target:
        with contextlib.suppress(ImportError, ValueError):
            spec = importlib.machinery.PathFinder.find_spec(target, [str(root) for root in own])
            if spec is not None and spec.origin and spec.origin.endswith(".py"):
                entry = Path(spec.origin)
    if entry is not None and entry.is_file():
        names += imported_names(entry)
    for name, ran, mine in loaded_from_elsewhere(names, own):
        how = (
            "name the function by its file ('path/to/file.py:function'), which imports "
            "each file under its own name, or rename one of them"
            if name == target
            else "rename one of them (and the imports of it)"
        )
        raise ConfigError(
            f"python backend {spec_text!r}: the module {name!r} is already imported in this "
            f"process from {ran}, but this system's code is {mine}; Python imports a name "
            "once, so this system would run the other file's code as its own",
            hint=f"two systems' modules share the name {name!r}: {how}",
        )


def shadowed(
    error: ConfigError, spec_text: str, module: ModuleType, roots: list[Path]
) -> ConfigError:
    """``error`` (the module lacks the function), saying so when the module imported is
    not the user's file of that name: ``random.py`` beside the config, where Python
    gives the standard library's ``random``, imported already."""
    target = spec_text.rpartition(":")[0]
    ran = getattr(module, "__file__", None)
    for root in reversed(roots):
        mine = (root / Path(*target.split(".")).with_suffix(".py")).resolve()
        if mine.is_file() and (ran is None or Path(ran).resolve() != mine):
            return ConfigError(
                f"{error.message} The module {target!r} imported is {ran or 'built in'}, "
                f"not {mine}: a module of that name was imported first, and Python "
                "imports a name once",
                hint=f"name the file instead ('{mine}:{spec_text.rpartition(':')[2]}'), "
                "or rename it",
            )
    return error


__all__ = ["refuse_names_taken", "shadowed"]
