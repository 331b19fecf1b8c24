"""A digest of a local model's files, for the fingerprints of what loads one.

A model named by a local folder or file (the ``hf`` backend; the
``embedding``, ``bertscore`` and ``nli`` metrics) is fingerprinted by what is
in it, not only by its path: a model retrained and saved again into the same
folder must be a cache miss. `model_files_sha256` reads:

- every file of the folder, at any depth (config, tokenizer files, weights,
  a GGUF file...), in sorted order of their paths relative to the folder,
  following symbolic links (a Hugging Face cache snapshot links its files);
  only hidden entries (a name starting with ``.``: ``.git``, ``.cache``) and
  ``__pycache__`` folders are left out, which no model loader reads;
- a file of up to `WHOLE_FILE_BYTES` (64 MiB) whole; a larger one (weights)
  by its size and its first and last `EDGE_BYTES` (1 MiB), so that multi-GB
  weights cost 2 MiB of reading each. A re-save changes those in practice
  (safetensors put their header, with every tensor's offsets, first; a
  retrained model's tensors differ at both ends), but an edit of the middle
  bytes of a large file that keeps its size is not seen: change the folder
  (or the component's ``version`` where it has one) after such an edit.

Nothing is memoised: a folder is read again each time a component is built
(milliseconds for a model of one large weights file).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: Files up to this size are hashed whole.
WHOLE_FILE_BYTES = 64 * 2**20
#: How much of each end of a larger file is hashed (with its size).
EDGE_BYTES = 2**20
_BLOCK = 2**20


def _skipped(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__"


def _files(folder: Path) -> list[tuple[str, Path]]:
    """Every file under ``folder`` (links followed, each real folder once) by relative path."""
    found: list[tuple[str, Path]] = []
    visited: set[str] = set()
    for root, folders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in visited:  # a link back up the tree: walk it once
            folders.clear()
            continue
        visited.add(real)
        folders[:] = [name for name in folders if not _skipped(name)]
        for name in names:
            path = Path(root, name)
            if not _skipped(name) and path.is_file():
                found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


def file_sha256(path: Path) -> str:
    """The digest of one file, as `model_files_sha256` counts it (module docstring).

    Raises:
        OSError: The file cannot be read.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= WHOLE_FILE_BYTES:
            for block in iter(lambda: handle.read(_BLOCK), b""):
                digest.update(block)
            return digest.hexdigest()
        digest.update(f"size {size}; first and last {EDGE_BYTES} bytes\0".encode())
        digest.update(handle.read(EDGE_BYTES))
        handle.seek(size - EDGE_BYTES)
        digest.update(handle.read(EDGE_BYTES))
    return digest.hexdigest()


def model_files_sha256(path: str | Path) -> str:
    """SHA-256 over a local model folder's files, or over one model file (module docstring).

    Args:
        path: A model folder, or one file (a ``.gguf``).

    Raises:
        OSError: A file cannot be read.
    """
    path = Path(path)
    files = [(path.name, path)] if path.is_file() else _files(path)
    digest = hashlib.sha256()
    for relative, file in files:
        digest.update(relative.encode("utf-8", errors="surrogateescape") + b"\0")
        digest.update(file_sha256(file).encode("ascii") + b"\0")
    return digest.hexdigest()


__all__ = ["EDGE_BYTES", "WHOLE_FILE_BYTES", "file_sha256", "model_files_sha256"]
