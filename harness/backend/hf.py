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
``truncated_tokens``. A summary that ends without the model's end-of-sequence
token (it reached ``max_new_tokens``) fails its example, with what it began
with, rather than be scored as whole; with ``cut_off: whole_sentences`` it is
kept to its whole sentences instead (`whole_sentences`), what was dropped
recorded as the `Generation`'s ``cut_off``. With ``do_sample: false`` (the default) generation is
greedy or beam search and deterministic; with sampling, each source is
generated alone, torch seeded with the run's seed and the source, so a sample
does not depend on its batch.

The model is loaded on first use, not when the backend is built: a run whose
generations are all cached never loads it. Loaded models are kept (two at
most) for the life of the process, so several systems that share a model with
different prompts load it once. Heavy packages (``torch``, ``transformers``,
``gguf``) are imported inside the factory.

The params live in `harness.backend._hf_params`, locating and loading the
model in `harness.backend._hf_model`; their public names are importable from
here.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Iterator, Sequence
from typing import Any

from harness.backend._hf_model import (
    PACKAGE_PREFIX,
    LoadedModel,
    ModelLocation,
    load_model,
    locate_model,
    require_packages,
)
from harness.backend._hf_params import DEFAULT_PROMPT, HFParams
from harness.backend._protocol import BuildContext, Generation, Summarizer, backend
from harness.device import describe_device, resolve_device
from harness.errors import BackendError, HarnessError
from harness.records import Example, Fingerprint, content_hash, excerpt
from harness.text.reasoning import answer_after_thinking, prompt_opens_thinking
from harness.text.sentences import sentence_spans

#: The fingerprint's version: bump it when outputs can change, including through
#: harness's sentence splitter (tests/metric/test_metric_versions.py checks that).
VERSION = "5"

_TRUNCATION_ATTEMPTS = 4
_SAMPLING_FLAGS = ("temperature", "top_p", "top_k", "min_p", "typical_p")
#: How a whole sentence ends: a full stop, question or exclamation mark (or an
#: ellipsis), then perhaps closing quotation marks or brackets.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def whole_sentences(text: str) -> str | None:
    """``text`` (stripped) up to the end of its last whole sentence, else ``None``.

    For a summary cut off mid-sentence: the sentences are `sentence_spans`'s,
    and the last one is dropped unless it ends as a sentence does (``.``,
    ``!``, ``?`` or ``…``, perhaps inside closing quotes or brackets). The
    text kept is a prefix of ``text``, unchanged.

    >>> whole_sentences("Two died. The U.S. sent aid. The UN")
    'Two died. The U.S. sent aid.'
    >>> whole_sentences("It rained."), whole_sentences("The UN")
    ('It rained.', None)
    """
    text = text.strip()
    spans = sentence_spans(text)
    if spans and not _SENTENCE_END.search(text[spans[-1][0] : spans[-1][1]]):
        spans = spans[:-1]
    return text[: spans[-1][1]] if spans else None


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

        A local model's files are in as ``model_files_sha256``
        (`ModelLocation.files_sha256`): saving another model into the same
        folder is a cache miss. Not the device or threads: they do not change
        what the model says (weights in another precision can, so the dtype is in).
        Version 2: a summary cut off at ``max_new_tokens`` fails, or is kept
        to its whole sentences (``cut_off``, in the params; version 1 cached
        it as whole), and a sample is drawn per source, not per batch.
        Version 3: a reasoning model's ``<think>…</think>`` block is not part
        of the summary (version 2 cached it with the answer). Version 4: nor
        is the reasoning of a model whose chat template opens the block
        (DeepSeek-R1, QwQ: the reply has only its ``</think>``), which
        version 3 cached as the summary. Version 5: an input over the limit
        loses its end even from a tokenizer saved with ``truncation_side:
        left`` (version 4 cut a seq2seq input's start).
        """
        params = self._params.model_dump(mode="json", exclude={"device", "threads"})
        params["dtype"] = self.dtype
        if self._location.files_sha256 is not None:
            params["model_files_sha256"] = self._location.files_sha256
        if self._params.do_sample:
            params["seed"] = self._seed
        return Fingerprint(
            kind="backend", name="hf", version=VERSION, params=params, model=self._location.label
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

        with _torch_threads(torch, self._params.threads):
            if not self._params.do_sample:
                return self._generate_with(torch, loaded, sources)
            # A sample is drawn for each source alone, seeded by the run's seed and the
            # source: it does not depend on the batch it is in (nor on batch_size), so
            # a cached sample is the one a cold run draws.
            generated: list[Generation] = []
            for source in sources:
                torch.manual_seed(int(content_hash([self._seed, source])[:15], 16))
                generated += self._generate_with(torch, loaded, [source])
            return generated

    def _generate_with(
        self, torch: Any, loaded: LoadedModel, sources: list[str]
    ) -> list[Generation]:
        thinking = [False] * len(sources)
        if loaded.seq2seq:
            encoded, cut = self._encode_seq2seq(loaded, sources)
        else:
            encoded, cut, thinking = self._encode_causal(loaded, sources)
        encoded = encoded.to(self.device)
        config = self._generation_config(loaded)
        with torch.inference_mode():
            output = loaded.model.generate(**encoded, generation_config=config)
        # Only the new tokens: after the prompt (causal), after the decoder's start token (seq2seq).
        output = output[:, 1 if loaded.seq2seq else encoded["input_ids"].shape[1] :]
        texts = loaded.tokenizer.batch_decode(output, skip_special_tokens=True)
        # A chat template that opens the <think> block itself (DeepSeek-R1, QwQ): the
        # reply is reasoning up to its </think>, then the answer.
        texts = [
            f"<think>{text}" if opened else text
            for text, opened in zip(texts, thinking, strict=True)
        ]
        ended = _ended(config, loaded.tokenizer, output.tolist())
        return [
            _answer(text, tokens) if whole else self._cut_off(text, tokens)
            for whole, text, tokens in zip(ended, texts, cut, strict=True)
        ]

    def _cut_off(self, text: str, truncated: int) -> Generation:
        # No end-of-sequence token among the new ones: generation stopped because it
        # reached max_new_tokens, mid-summary. A half-written summary is never scored:
        # it fails, or (cut_off: whole_sentences) keeps its whole sentences, on record.
        answer, thought = answer_after_thinking(text)
        if answer is None:  # cut off while thinking: no sentence of it is the summary
            return Generation.failed(
                f"{thought} (cut off at max_new_tokens {self._params.max_new_tokens})"
            )
        began = answer
        kept = whole_sentences(began) if self._params.cut_off == "whole_sentences" else None
        if kept is not None:
            return Generation(
                summary=kept,
                truncated_tokens=truncated or None,
                cut_off=began[len(kept) :].strip(),
            )
        none_whole = (
            "; it has no whole sentence to keep (cut_off: whole_sentences)"
            if self._params.cut_off == "whole_sentences"
            else ""
        )
        return Generation(
            summary=None,
            error=f"the summary was cut off at max_new_tokens ({self._params.max_new_tokens}) "
            f"before the model ended it{none_whole}; raise max_new_tokens or ask for a shorter "
            f"summary. It began: {excerpt(began)}",
            truncated_tokens=truncated or None,
        )

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
        """``max_input_tokens``, else the model's own room for the input.

        Raises:
            BackendError: ``max_new_tokens`` leaves no room for the input, or
                ``max_input_tokens`` is over the room the model's context
                leaves (a model with learned positions raises on every input,
                one with rotary positions runs on past what it was trained on).
        """
        wanted = self._params.max_input_tokens
        if loaded.context is None:
            return wanted
        room = loaded.context
        if not loaded.seq2seq:
            room -= self._params.max_new_tokens
            if room <= 0:
                raise BackendError(
                    f"hf: max_new_tokens ({self._params.max_new_tokens}) leaves no room for the "
                    f"input in {self._location.label}'s context of {loaded.context} tokens",
                    hint="lower max_new_tokens",
                )
        if wanted is None:
            return room
        if wanted > room:
            but = "" if loaded.seq2seq else f" less max_new_tokens ({self._params.max_new_tokens})"
            raise BackendError(
                f"hf: max_input_tokens ({wanted}) is over the {room} input tokens that "
                f"{self._location.label}'s context of {loaded.context} tokens{but} leaves",
                hint=f"set max_input_tokens to at most {room}, or leave it unset",
            )
        return wanted

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

    def _encode_causal(
        self, loaded: LoadedModel, sources: list[str]
    ) -> tuple[Any, list[int], list[bool]]:
        """The batch's prompts encoded, the article tokens cut from each, and whether
        each prompt opens a ``<think>`` block (`prompt_opens_thinking`)."""
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
        return encoded, cut, [chat and prompt_opens_thinking(text) for text in texts]

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


def _answer(text: str, truncated: int) -> Generation:
    """A summary the model ended, without the ``<think>…</think>`` block a reasoning
    model writes first (`harness.text.reasoning`); only thinking is a failure."""
    answer, thought = answer_after_thinking(text)
    if answer is None:
        return Generation.failed(thought or "no answer")
    return Generation(summary=answer, truncated_tokens=truncated or None)


def _ended(config: Any, tokenizer: Any, rows: list[list[int]]) -> list[bool]:
    """Whether the model ended each generation (``rows``: the new tokens) itself.

    It did if an end token (the generation config's ``eos_token_id``, else the
    tokenizer's) is among the new tokens. A model that forces one at the length
    limit (``forced_eos_token_id``: BART, PEGASUS) puts it in the last place
    ``max_new_tokens`` allows: there only an earlier one counts (an end the
    model chose in that very place is taken for a cut, so raising
    ``max_new_tokens`` mends it).
    """
    ends = config.eos_token_id if config.eos_token_id is not None else tokenizer.eos_token_id
    end_ids = set() if ends is None else {ends} if isinstance(ends, int) else set(ends)
    last = config.max_new_tokens - 1 if config.forced_eos_token_id is not None else None
    return [
        any(token in end_ids and (last is None or place < last) for place, token in enumerate(row))
        for row in rows
    ]


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
    torch, _ = require_packages(params.gguf_file is not None)
    location = locate_model(params, context.config_dir)
    if location.gguf_file is not None:
        require_packages(gguf=True)
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
    "whole_sentences",
]
