"""The code a derived file is computed by, as one digest (part of its cache key).

A file harness derives from other files (results.json from the scores, a
plot or report.html from the results) is reused only while both its inputs
and the code that computes it are unchanged. "The code" is taken whole, not
guessed module by module: every source file of the ``harness`` package (its
``.py`` files and templates), harness's version and the versions of the
libraries named. Editing any harness file, or upgrading a library named,
therefore recomputes every derived file once.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

import harness
from harness.records import content_hash

_PACKAGE = Path(harness.__file__).resolve().parent
_SOURCE_SUFFIXES = frozenset({".py", ".j2"})


def installed_version(package: str) -> str | None:
    """The installed version of the distribution ``package``; ``None`` if it is not installed."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


@functools.cache
def sources_digest() -> str:
    """SHA-256 over harness's own source files (``.py`` and templates), path by path."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.cache
def code_digest(libraries: tuple[str, ...]) -> str:
    """SHA-256 of harness's source files, its version and ``libraries``' versions.

    Args:
        libraries: Distribution names whose installed versions also count
            (``None`` for one not installed).
    """
    return content_hash(
        {
            "harness": harness.__version__,
            "sources": sources_digest(),
            "libraries": {name: installed_version(name) for name in libraries},
        }
    )


__all__ = ["code_digest", "installed_version", "sources_digest"]
