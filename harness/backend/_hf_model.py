"""Where an ``hf`` model is (`locate_model`) and loading it once per process (`load_model`).

Heavy packages (``torch``, ``transformers``, ``gguf``) are imported inside
the functions that need them."""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.backend._hf_params import HFParams
from harness.clients.model_files import model_files_sha256
from harness.config import resolve_path
from harness.errors import BackendError, ConfigError, MissingDependencyError

PACKAGE_PREFIX = "pkg:"
_INSTALL = "pip install 'harness[models]'"
_PURPOSE = "the hf backend"
# Tokenizers that know no limit report int(1e30); anything this large means "none".
_NO_LIMIT = 10_000_000


@dataclass(frozen=True)
class ModelLocation:
    """Where ``from_pretrained`` loads from.

    Attributes:
        target: A local folder or a hub id.
        gguf_file: A GGUF file name inside ``target``, or ``None``.
        local: Whether ``target`` is a local folder.
        label: The model's name for fingerprints and messages.
        files_sha256: For a local model, the digest of its files
            (`harness.clients.model_files.model_files_sha256`: the folder's
            files, or the GGUF file alone when it was named by its path);
            ``None`` for a hub id. Part of the fingerprint, and of the key
            of `load_model`'s memo, so a model saved again into the same
            folder is neither served from the cache nor from memory.
    """

    target: str
    gguf_file: str | None
    local: bool
    label: str
    files_sha256: str | None = None


def _looks_local(model: str) -> bool:
    # Hub ids are "name" or "owner/name"; anything else can only be a path.
    return model.startswith((".", "/", "~")) or "\\" in model or model.count("/") > 1


def _package_folder(model: str) -> tuple[Path, str]:
    """The folder of the package named by ``pkg:<module>`` and a label with its version."""
    module = model[len(PACKAGE_PREFIX) :].strip()
    try:
        spec = importlib.util.find_spec(module) if module else None
    except (ImportError, ValueError):
        spec = None
    if spec is None or not (spec.submodule_search_locations or spec.origin):
        raise ConfigError(
            f"hf: model {model!r}: no installed Python package {module!r}",
            hint="install the package that ships the model, or give the model's folder or file",
        )
    locations = list(spec.submodule_search_locations or [])
    folder = Path(locations[0]) if locations else Path(str(spec.origin)).parent
    label = f"{PACKAGE_PREFIX}{module}"
    distributions = importlib.metadata.packages_distributions().get(module.split(".")[0], [])
    if distributions:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            dist = distributions[0]
            label += f" ({dist} {importlib.metadata.version(dist)})"
    return folder, label


def _gguf_names(folder: Path) -> str:
    names = sorted(path.name for path in folder.glob("*.gguf"))
    return ", ".join(names) if names else "none"


def _local(target: Path, gguf_file: str | None, label: str, hashed: Path) -> ModelLocation:
    """A local model's location, with the digest of ``hashed`` (its folder, or its file)."""
    try:
        digest = model_files_sha256(hashed)
    except OSError as error:
        raise ConfigError(
            f"hf: cannot read the model's files in {str(hashed)!r}: {error}",
            hint="the fingerprint hashes a local model's files: make them readable",
        ) from None
    return ModelLocation(str(target), gguf_file, True, label, digest)


def locate_model(params: HFParams, config_dir: Path) -> ModelLocation:
    """Find the model named by ``params`` and check that local files exist.

    Args:
        params: Validated params.
        config_dir: The config's folder (relative paths resolve against the
            CWD, then it).

    Returns:
        Where to load from, with the digest of a local model's files (a
        folder's, or a GGUF file's alone when named by its path). Hub ids are
        not checked here (that needs the network).

    Raises:
        ConfigError: A local folder, file or package does not exist, or a
            folder holds neither ``config.json`` nor the named GGUF file.
    """
    revision = f"@{params.revision}" if params.revision else ""
    if params.model is None:
        assert params.gguf_file is not None
        path = Path(params.gguf_file).expanduser()
        if not path.is_file():
            raise ConfigError(f"hf: gguf_file {params.gguf_file!r} not found")
        return _local(path.parent, path.name, params.gguf_file, path)
    if params.model.startswith(PACKAGE_PREFIX):
        folder, label = _package_folder(params.model)
    elif _looks_local(params.model) or resolve_path(params.model, config_dir).exists():
        folder = resolve_path(params.model, config_dir)
        label = params.model
        if not folder.exists():
            raise ConfigError(
                f"hf: model path {params.model!r} not found",
                hint="relative paths resolve against the current directory, "
                f"then the config's folder ({config_dir})",
            )
    else:
        return ModelLocation(params.model, params.gguf_file, False, params.model + revision)
    if folder.is_file():
        if params.gguf_file is not None or folder.suffix.lower() != ".gguf":
            raise ConfigError(
                f"hf: model {params.model!r} is a file; give the model's folder "
                "(with gguf_file naming a GGUF file inside it) or a .gguf file"
            )
        return _local(folder.parent, folder.name, label + revision, folder)
    if params.gguf_file is not None:
        if not (folder / params.gguf_file).is_file():
            raise ConfigError(
                f"hf: gguf_file {params.gguf_file!r} not found in {str(folder)!r}",
                hint=f"GGUF files there: {_gguf_names(folder)}",
            )
        return _local(folder, params.gguf_file, label + revision, folder)
    if not (folder / "config.json").is_file():
        raise ConfigError(
            f"hf: {str(folder)!r} has no config.json, so it is not a saved transformers model",
            hint="save the model with save_pretrained(), or name a GGUF file with gguf_file "
            f"(GGUF files there: {_gguf_names(folder)})",
        )
    return _local(folder, None, label + revision, folder)


def require_packages(gguf: bool) -> tuple[Any, Any]:
    """Import torch and transformers (and check gguf); return (torch, transformers)."""
    try:
        import torch
    except ImportError:
        raise MissingDependencyError("torch", _INSTALL, _PURPOSE) from None
    try:
        import transformers
    except ImportError:
        raise MissingDependencyError("transformers", _INSTALL, _PURPOSE) from None
    if gguf and importlib.util.find_spec("gguf") is None:
        raise MissingDependencyError("gguf", _INSTALL, "loading GGUF files in the hf backend")
    return torch, transformers


@dataclass(frozen=True)
class LoadedModel:
    """A model and tokenizer ready to generate.

    Attributes:
        model: The transformers model (in eval mode, on its device).
        tokenizer: Its tokenizer (left padding for causal models; truncation
            on the right, cutting an input's end).
        seq2seq: Encoder-decoder (True) or causal (False).
        context: The model's input limit in tokens, if it has a known one.
        prefix: Text put before a seq2seq model's input (e.g. ``"summarize: "``).
    """

    model: Any
    tokenizer: Any
    seq2seq: bool
    context: int | None
    prefix: str


@contextlib.contextmanager
def _quiet_progress(transformers: Any) -> Iterator[None]:
    """Hide transformers' own progress bars: they would break the run's display."""
    logging = transformers.utils.logging
    was_enabled = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            logging.enable_progress_bar()


def _model_context(config: Any, tokenizer: Any) -> int | None:
    limits: list[int] = []
    for name in ("max_position_embeddings", "n_positions", "max_sequence_length"):
        value = getattr(config, name, None)
        if isinstance(value, int) and 0 < value < _NO_LIMIT:
            limits.append(value)
    tokenizer_limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(tokenizer_limit, int) and 0 < tokenizer_limit < _NO_LIMIT:
        limits.append(tokenizer_limit)
    return min(limits) if limits else None


def _summarization_prefix(config: Any) -> str:
    task_params = getattr(config, "task_specific_params", None) or {}
    summarization = task_params.get("summarization") or {}
    prefix = summarization.get("prefix")
    return prefix if isinstance(prefix, str) else ""


@functools.lru_cache(maxsize=2)
def load_model(
    location: ModelLocation, revision: str | None, kind: str, dtype: str, device: str
) -> LoadedModel:
    """Load (once per process, two models at most) a model and its tokenizer.

    Args:
        location: Where the model is.
        revision: Hub revision, or ``None``.
        kind: ``auto``, ``seq2seq`` or ``causal``.
        dtype: ``float32``, ``float16``, ``bfloat16`` or ``auto``.
        device: A torch device (``cpu``, ``cuda``...).

    Raises:
        BackendError: The model cannot be loaded, or is not of the given kind.
    """
    torch, transformers = require_packages(location.gguf_file is not None)
    where = {"revision": revision, "gguf_file": location.gguf_file}
    try:
        with _quiet_progress(transformers):
            config = transformers.AutoConfig.from_pretrained(location.target, **where)
            seq2seq = bool(getattr(config, "is_encoder_decoder", False))
            if kind != "auto" and seq2seq != (kind == "seq2seq"):
                actual = "an encoder-decoder" if seq2seq else "a decoder-only"
                raise BackendError(
                    f"hf: {location.label} is {actual} model ({type(config).__name__}), not {kind}",
                    hint=f"set kind: {'seq2seq' if seq2seq else 'causal'} or kind: auto",
                )
            tokenizer = transformers.AutoTokenizer.from_pretrained(location.target, **where)
            auto_class = (
                transformers.AutoModelForSeq2SeqLM if seq2seq else transformers.AutoModelForCausalLM
            )
            model = auto_class.from_pretrained(
                location.target,
                config=config,
                dtype=dtype if dtype == "auto" else getattr(torch, dtype),
                **where,
            )
    except BackendError:
        raise
    except Exception as error:
        first_line = (str(error).strip().splitlines() or [""])[0][:300]
        hint = (
            "check that the folder holds a complete saved model"
            if location.local
            else "check the hub id and revision, and that you are online or the model is "
            "in the Hugging Face cache; a local folder must start with ./ or /"
        )
        raise BackendError(
            f"hf: could not load {location.label}: {type(error).__name__}: {first_line}",
            hint=hint,
        ) from None
    model.to(device)
    model.eval()
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    # An input over the limit loses the article's end (news puts the important part
    # first), whatever truncation_side the checkpoint's tokenizer was saved with: a
    # "left" one cut a seq2seq model's input at its start (and T5's "summarize: ").
    tokenizer.truncation_side = "right"
    if not seq2seq:
        # Decoder-only models continue the last token: pad on the left.
        tokenizer.padding_side = "left"
    return LoadedModel(
        model=model,
        tokenizer=tokenizer,
        seq2seq=seq2seq,
        context=_model_context(config, tokenizer),
        prefix=_summarization_prefix(config) if seq2seq else "",
    )


__all__ = [
    "PACKAGE_PREFIX",
    "LoadedModel",
    "ModelLocation",
    "load_model",
    "locate_model",
    "require_packages",
]
