"""``nli``: zero-shot NLI consistency of each summary sentence with the source (SummaC-ZS).

Follows SummaC-ZS (Laban et al., 2022, "SummaC: Re-Visiting NLI-based Models
for Inconsistency Detection in Summarization", TACL 10,
https://aclanthology.org/2022.tacl-1.10/): NLI models trained on sentence
pairs fail on whole documents, so the source is split into small chunks, every
(chunk, summary sentence) pair is scored by the NLI model with

    pair score = P(entailment) − P(contradiction)          (in [-1, 1])

and a summary sentence's score is its maximum over the chunks (the best
supporting chunk). The values are the ``mean`` over summary sentences (the
SummaC-ZS score) and the ``min`` (the worst-supported sentence). Higher is
more consistent; a sentence scores below 0 when its best chunk still
contradicts it more than it entails it.

Chunks (param ``granularity``): ``"sentence"`` uses each source sentence;
``"paragraph"`` uses sliding windows of ``window`` consecutive sentences
(stride one, SummaC's ``2sents`` granularity for ``window: 2``), so a fact
spread over neighbouring sentences is seen at once. SummaC's own "paragraph"
splits on blank lines, which most benchmark sources do not have. Sentences are
split with `harness.text.sentence_spans`.

The model (param ``model``, required) is any Hugging Face
``AutoModelForSequenceClassification`` NLI model, by hub id or local folder
(or ``pkg:<package>``); no NLI model ships with a package, so there is no
offline default. SummaC used ``tals/albert-xlarge-vitaminc-mnli``; a good
general choice is ``MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli``. The
entailment and contradiction classes are found in ``config.id2label`` (labels
containing "entail" / "contradict", any case). Pairs are run in batches of
``batch_size`` with the chunk as premise and the summary sentence as
hypothesis, truncated (longest first) to the model's maximum length.

Findings: one per summary sentence scoring below 0 (``unsupported``); when
there is none, one for the lowest-scoring sentence (``supported``). Each names
the best source chunk with its entailment and contradiction probabilities.

Each (example, summary) pair is computed in model calls of its own, so its
values do not depend on which other pairs share its batch (padding changes
floats in the seventh digit).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.errors import MetricError
from harness.metric._models import ResolvedModel, load_model, metric_device, require, resolve_model
from harness.metric._protocol import Metric, MetricInput, MetricResult, ValueSpec, metric
from harness.records import Fingerprint
from harness.text.sentences import sentence_spans

if TYPE_CHECKING:
    import numpy as np

PURPOSE = "the nli metric"
SUGGESTED_MODEL = "MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli"
_MAX_SENSIBLE_LENGTH = 100_000  # tokenizers without a limit report ~1e30


class NliParams(BaseModel):
    """Parameters of ``nli``.

    Attributes:
        model: NLI sequence-classification model: hub id, local folder or
            ``pkg:<package>``. Required (``None`` fails at build with a hint).
        granularity: Source chunks: ``"sentence"`` or ``"paragraph"``
            (sliding windows of ``window`` sentences).
        window: Sentences per chunk with ``granularity: paragraph``.
        batch_size: (chunk, sentence) pairs per forward pass.
        max_length: Token limit per pair (``None``: the model's maximum).
        device: ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda"``...
    """

    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    granularity: Literal["sentence", "paragraph"] = "sentence"
    window: int = Field(default=2, ge=2)
    batch_size: int = Field(default=32, ge=1)
    max_length: int | None = Field(default=None, ge=8)
    device: str = "auto"


def label_ids(id2label: dict[int, str], model: str) -> tuple[int, int]:
    """The (entailment, contradiction) class ids of an NLI model's ``id2label``.

    >>> label_ids({0: "ENTAILMENT", 1: "neutral", 2: "Contradiction"}, "m")
    (0, 2)

    Raises:
        MetricError: No label or several labels contain "entail" / "contradict".
    """
    found: dict[str, list[int]] = {"entail": [], "contradict": []}
    for index, label in id2label.items():
        for key, ids in found.items():
            if key in str(label).lower():
                ids.append(int(index))
    if len(found["entail"]) != 1 or len(found["contradict"]) != 1:
        labels = ", ".join(f"{index}: {label!r}" for index, label in sorted(id2label.items()))
        raise MetricError(
            f"{PURPOSE}: model {model!r} must have exactly one label containing 'entail' and "
            f"one containing 'contradict' in config.id2label; it has {{{labels}}}",
            hint="use an NLI model (MNLI-style labels), or fix id2label in its config.json",
        )
    return found["entail"][0], found["contradict"][0]


@lru_cache(maxsize=2)
def _load_classifier(location: str, device: str) -> tuple[Any, Any]:
    transformers = require("transformers", PURPOSE)
    model_ref = ResolvedModel(location, location, location)

    def load() -> tuple[Any, Any]:
        tokenizer = transformers.AutoTokenizer.from_pretrained(location)
        model = transformers.AutoModelForSequenceClassification.from_pretrained(location)
        return tokenizer, model.to(device).eval()

    return load_model(PURPOSE, model_ref, load)


def chunk_spans(
    spans: Sequence[tuple[int, int]], granularity: str, window: int
) -> list[tuple[int, int]]:
    """Character spans of the source chunks built from its sentence spans.

    >>> chunk_spans([(0, 5), (6, 9), (10, 12)], "paragraph", 2)
    [(0, 9), (6, 12)]
    >>> chunk_spans([(0, 5)], "paragraph", 2)
    [(0, 5)]
    """
    if granularity == "sentence" or not spans:
        return list(spans)
    last = max(len(spans) - window, 0)
    return [(spans[i][0], spans[min(i + window, len(spans)) - 1][1]) for i in range(last + 1)]


class NliMetric:
    """SummaC-ZS with a Hugging Face NLI model (module docstring).

    Args:
        params: Validated parameters with ``model`` set; the model is loaded
            here (once per process for a given model and device).

    Raises:
        MetricError: No model, a model that cannot be loaded, or one without
            entailment/contradiction labels.

    Attributes:
        runs_on: The device it computes on, for the manifest
            (e.g. ``"cpu"``, ``"cuda (NVIDIA H100 80GB HBM3)"``).
    """

    def __init__(self, params: NliParams) -> None:
        if params.model is None:
            raise MetricError(
                f"{PURPOSE} needs an NLI model: set params.model (no NLI model ships with the "
                "harness, so there is no offline default)",
                hint=f"e.g. metrics: [{{name: nli, params: {{model: {SUGGESTED_MODEL}}}}}] "
                "(downloaded on first use), or the path of a local folder written by "
                "save_pretrained (model and tokenizer)",
            )
        self._params = params
        self._model_ref = resolve_model(params.model, PURPOSE)
        self._device, self.runs_on = metric_device(params.device, PURPOSE)
        self._tokenizer, self._model = _load_classifier(self._model_ref.location, self._device)
        config = self._model.config
        self._entail, self._contradict = label_ids(dict(config.id2label), params.model)
        limit = params.max_length
        if limit is None:
            limit = int(self._tokenizer.model_max_length)
            if limit > _MAX_SENSIBLE_LENGTH:
                limit = int(getattr(config, "max_position_embeddings", 512))
        self._max_length = limit

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version, params and the resolved model."""
        return Fingerprint(
            kind="metric",
            name="nli",
            version="1",
            params=self._params.model_dump(mode="json"),
            model=self._model_ref.description,
        )

    def _probabilities(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """(entailment, contradiction) probabilities per pair, shape ``(n, 2)``."""
        import numpy as np

        torch = require("torch", PURPOSE)
        rows = []
        size = self._params.batch_size
        for start in range(0, len(premises), size):
            encoded = self._tokenizer(
                premises[start : start + size],
                hypotheses[start : start + size],
                truncation=True,
                max_length=self._max_length,
                padding=True,
                return_tensors="pt",
            ).to(self._device)
            with torch.inference_mode():
                logits = self._model(**encoded).logits.float()
            probs = torch.softmax(logits, dim=-1)[:, [self._entail, self._contradict]]
            rows.append(probs.cpu().numpy().astype(np.float64))
        return np.concatenate(rows) if rows else np.zeros((0, 2))

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Score each summary against its source.

        Returns:
            One result per item, in order; values are ``None`` with a reason
            when the summary or the source has no sentence.
        """
        return [self._score_one(item) for item in items]

    def _score_one(self, item: MetricInput) -> MetricResult:
        import numpy as np

        empty: dict[str, float | None] = {"mean": None, "min": None}
        summary, source = item.summary, item.example.source
        spans = sentence_spans(summary)
        if not spans:
            return MetricResult(values=empty, reason="summary has no sentence")
        source_spans = sentence_spans(source)
        if not source_spans:
            return MetricResult(values=empty, reason="source has no sentence")
        chunks = chunk_spans(source_spans, self._params.granularity, self._params.window)
        premises = [source[s:e] for s, e in chunks] * len(spans)
        hypotheses = [summary[s:e] for s, e in spans for _ in chunks]
        probs = self._probabilities(premises, hypotheses).reshape(len(spans), len(chunks), 2)
        pair_scores = probs[..., 0] - probs[..., 1]
        best_chunk = pair_scores.argmax(axis=1)
        best = pair_scores[np.arange(len(spans)), best_chunk]
        flagged = [int(i) for i in np.flatnonzero(best < 0)] or [int(best.argmin())]
        findings = []
        for index in flagged:
            start, end = spans[index]
            chunk = int(best_chunk[index])
            chunk_start, chunk_end = chunks[chunk]
            entail, contradict = probs[index, chunk]
            findings.append(
                {
                    "kind": "sentence",
                    "text": summary[start:end],
                    "span": [start, end],
                    "status": "unsupported" if best[index] < 0 else "supported",
                    "source_span": [chunk_start, chunk_end],
                    "source_text": source[chunk_start:chunk_end],
                    "evidence": f"best source chunk: entailment {entail:.2f}, "
                    f"contradiction {contradict:.2f}",
                }
            )
        return MetricResult(
            values={"mean": float(best.mean()), "min": float(best.min())}, findings=findings
        )


@metric(
    "nli",
    params=NliParams,
    values=[
        ValueSpec(
            "mean",
            True,
            "SummaC-ZS: mean over summary sentences of max over source chunks of"
            " P(entail) − P(contradict), in [-1, 1]",
        ),
        ValueSpec("min", True, "The lowest summary sentence's SummaC-ZS score, in [-1, 1]"),
    ],
    requires=["source"],
    description="Zero-shot NLI consistency (SummaC-ZS, Laban et al. 2022) with any Hugging Face"
    " NLI model (params.model required).",
)
def build_nli(params: NliParams) -> Metric:
    """Build the ``nli`` metric.

    Raises:
        MissingDependencyError: transformers or torch is not installed.
        MetricError: ``model`` unset, unloadable, or without NLI labels.
    """
    return NliMetric(params)


__all__ = ["SUGGESTED_MODEL", "NliMetric", "NliParams", "build_nli", "chunk_spans", "label_ids"]
