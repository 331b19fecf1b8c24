"""Content keys of report files: draw a plot or render report.html only when what it shows changed.

A file's content key is a SHA-256 of everything that decides its bytes: the
data it shows (a plot's `harness.report.plots.PlotSpec`; for report.html the
table, the plots and what it shows of every example, output and score) and
the code that renders it (`harness.code_digest`: all of harness's source and
the versions of the libraries that draw). The file itself says what it shows:
a plot carries its key in a PNG text chunk, report.html in a closing comment
that also holds the SHA-256 of the page above it. A render that computes the
key the previous run's file carries, in a file that is whole (every PNG
chunk's CRC right, through IEND; the page's bytes matching their digest),
takes that file over unchanged (`harness.store.RunDir.carry_over`: a hard
link, no rewrite) instead of drawing it again; a damaged, edited or deleted
file is drawn anew. The text reports (md, csv, tex) are cheap to render and
are compared byte for byte instead.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from typing import Any

from harness.code_digest import code_digest
from harness.records import content_hash
from harness.store import RunDir

#: The PNG text keyword and the report.html comment a file's content key goes under.
KEY_NAME = "harness-content-key"
_LIBRARIES = ("matplotlib", "numpy", "jinja2", "markupsafe")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_HTML_SEAL = re.compile(
    rb"<!-- " + KEY_NAME.encode() + rb" ([0-9a-f]{64}) sha256 ([0-9a-f]{64}) -->\n\Z"
)


def content_key(kind: str, shown: Any) -> str:
    """The content key of a report file of ``kind`` showing ``shown`` (JSON-able).

    >>> content_key("plot", {"x": 1}) == content_key("plot", {"x": 1})
    True
    >>> content_key("plot", {"x": 1}) == content_key("plot", {"x": 2})
    False
    """
    return content_hash({"renderer": code_digest(_LIBRARIES), "kind": kind, "shown": shown})


def png_key(data: bytes) -> str | None:
    """The content key of a whole PNG (``None`` if it has none, or is damaged or no PNG).

    Every chunk's CRC is checked and the file must end with its IEND chunk,
    so a truncated or altered file gives ``None`` (and is then drawn again).
    """
    if not data.startswith(_PNG_SIGNATURE):
        return None
    key = None
    offset = len(_PNG_SIGNATURE)
    while offset + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        end = offset + 8 + length
        if end + 4 > len(data):
            return None
        (crc,) = struct.unpack(">I", data[end : end + 4])
        if zlib.crc32(data[offset + 4 : end]) != crc:
            return None
        if kind == b"tEXt":
            keyword, _, text = data[offset + 8 : end].partition(b"\0")
            if keyword == KEY_NAME.encode("latin-1"):
                key = text.decode("latin-1")
        if kind == b"IEND":
            return key if end + 4 == len(data) else None
        offset = end + 4
    return None


def seal_html(page: str, key: str) -> str:
    """``page`` with its closing comment: its content key and the SHA-256 of the page."""
    digest = hashlib.sha256(page.encode("utf-8")).hexdigest()
    return f"{page}<!-- {KEY_NAME} {key} sha256 {digest} -->\n"


def html_key(data: bytes) -> str | None:
    """The content key of a sealed report.html whose page is whole, else ``None``."""
    start = data.rfind(b"<!-- " + KEY_NAME.encode())
    found = _HTML_SEAL.match(data, start) if start >= 0 else None
    if found is None or hashlib.sha256(data[:start]).hexdigest() != found.group(2).decode():
        return None
    return found.group(1).decode()


def carry_png(run_dir: RunDir, name: str, key: str) -> bytes | None:
    """Carry the previous run's plot ``name`` over if it is whole and carries ``key``.

    Returns:
        The PNG's bytes if it was carried over, else ``None``.
    """
    previous = run_dir.previous_file(name)
    if previous is None:
        return None
    data = previous.read_bytes()
    if png_key(data) != key:
        return None
    run_dir.carry_over(name)
    return data


def carry_html(run_dir: RunDir, name: str, key: str) -> bool:
    """Carry the previous run's report.html ``name`` over if it is whole and carries ``key``."""
    previous = run_dir.previous_file(name)
    if previous is None or html_key(previous.read_bytes()) != key:
        return False
    run_dir.carry_over(name)
    return True


__all__ = [
    "KEY_NAME",
    "carry_html",
    "carry_png",
    "content_key",
    "html_key",
    "png_key",
    "seal_html",
]
