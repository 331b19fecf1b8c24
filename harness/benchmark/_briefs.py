"""The ``briefs`` text format: short news briefs in one plain-text file.

Briefs are separated by a line that reads ``Read More`` (any case, surrounding
whitespace allowed). A brief also ends at a line ending in ``… Continue
reading`` (or ``... Continue reading``); the marker is removed. Each brief
becomes a record ``{"id": "<file stem>-<n>", "source": text}`` with ``n``
counting non-empty briefs from 1, zero-padded to three digits. Line and
paragraph breaks inside a brief are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from harness.benchmark._files import Located, read_text

_SEPARATOR = re.compile(r"\s*read\s+more\s*", re.IGNORECASE)
_CONTINUE = re.compile(r"\s*(?:…|\.\.\.)\s*continue\s+reading\s*$", re.IGNORECASE)


def parse_briefs(text: str, stem: str, origin: str) -> list[Located]:
    """Split briefs text into ``(location, record)`` pairs.

    Args:
        text: The whole file's text.
        stem: Prefix of the generated ids (the file name without suffix).
        origin: Name of the file, used in locations (``origin:line``).

    Returns:
        One record per non-empty brief; the location names its first line.

    >>> parse_briefs("One.\\nRead More\\nTwo.… Continue reading\\nThree.", "f", "f.txt")
    [('f.txt:1', {'id': 'f-001', 'source': 'One.'}), \
('f.txt:3', {'id': 'f-002', 'source': 'Two.'}), \
('f.txt:4', {'id': 'f-003', 'source': 'Three.'})]
    """
    records: list[Located] = []
    lines: list[str] = []
    start = 1

    def flush() -> None:
        nonlocal lines
        body = "\n".join(line.rstrip() for line in lines).strip()
        if body:
            brief_id = f"{stem}-{len(records) + 1:03d}"
            records.append((f"{origin}:{start}", {"id": brief_id, "source": body}))
        lines = []

    # split("\n"), not splitlines(): a U+2028 inside a brief is a character, not a line end.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if _SEPARATOR.fullmatch(line):
            flush()
            continue
        if not lines:
            if not line.strip():
                continue
            start = number
        marker = _CONTINUE.search(line)
        if marker:
            lines.append(line[: marker.start()])
            flush()
        else:
            lines.append(line)
    flush()
    return records


def has_brief_markers(text: str) -> bool:
    """Whether ``text`` has a ``Read More`` line or a ``… Continue reading`` ending.

    >>> has_brief_markers("One.… Continue reading"), has_brief_markers("id\\tsource")
    (True, False)
    """
    return any(
        _SEPARATOR.fullmatch(line) or _CONTINUE.search(line)
        for line in (raw.removesuffix("\r") for raw in text.split("\n"))
    )


def read_briefs(path: Path) -> Iterator[Located]:
    """Read a briefs text file.

    Args:
        path: The ``.txt`` file.

    Yields:
        ``("path:line", {"id": ..., "source": ...})`` pairs, one per brief.

    Raises:
        BenchmarkError: The file is missing or not UTF-8.
    """
    yield from parse_briefs(read_text(path), path.stem, str(path))


__all__ = ["has_brief_markers", "parse_briefs", "read_briefs"]
