"""Files written atomically, read as strict UTF-8, and their digests."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from harness.errors import StoreError

_UMASK = os.umask(0)
os.umask(_UMASK)


def check_writable(path: Path) -> None:
    """Fail now, not after the work, if a file cannot be written at ``path``.

    Raises:
        StoreError: ``path`` is a folder, or a file stands where one of its folders goes.
    """
    if path.is_dir():
        raise StoreError(
            f"cannot write {path}: it is a folder, and a file is expected there",
            hint=f"give the name of a file in it (e.g. {path / 'NAME'})",
        )
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise StoreError(
            f"cannot write {path}: {folder} is a file, not a folder",
            hint="give a path whose folders are folders",
        )


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8) or bytes to ``path`` via a temporary file and an atomic rename.

    Raises:
        StoreError: ``path`` is a folder, or a file stands where one of its folders goes.
    """
    check_writable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(tmp_name, 0o666 & ~_UMASK)  # mkstemp creates 0600; use normal permissions
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def read_utf8(path: Path) -> str:
    """Read a UTF-8 text file; `StoreError` naming ``file:line`` if it is not UTF-8.

    Raises:
        FileNotFoundError: The file does not exist (callers word that themselves).
        StoreError: The file cannot be read or is not UTF-8.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as error:
        raise StoreError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise StoreError(
            f"{path}:{line}: not valid UTF-8 (byte {data[error.start : error.start + 1]!r} "
            f"at offset {error.start})",
            hint="harness writes run files as UTF-8; the file was changed by another program "
            "or damaged: restore it, or run `harness run CONFIG` again",
        ) from None


def dump_json(value: Any) -> str:
    """Readable JSON (keys in insertion order, which is deterministic; UTF-8 kept)."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or ``None`` if it does not exist."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        return None
    return digest.hexdigest()
