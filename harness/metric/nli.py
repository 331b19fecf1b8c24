"""``nli``: a trained checker scores each summary sentence against source chunks (SummaC-ZS).

Follows SummaC-ZS (Laban et al., 2022, "SummaC: Re-Visiting NLI-based Models
for Inconsistency Detection in Summarization", TACL 10,
https://aclanthology.org/2022.tacl-1.10/): models trained on short pairs fail
on whole documents, so the source is split into chunks, every (chunk, summary
sentence) pair gets a pair score from the model, a summary sentence's score is
its maximum over the chunks (its best supporting chunk), and the values are
the ``mean`` over summary sentences (the SummaC-ZS score) and the ``min`` (the
worst-supported sentence). Higher is more consistent. AlignScore (Zha et al.,
2023) and MiniCheck (Tang et al., 2024) aggregate the same way, over bigger
chunks.

Pair scores (param ``output``, `harness.metric._nli_model`): ``nli``
(default) is P(entailment) − P(contradiction) of a 3-way NLI model, in
[-1, 1]; ``label`` is P(``supported_label``) of any sequence classifier
(HHEM-2.1-open, MiniCheck-RoBERTa/DeBERTa), in [0, 1]; ``answer`` is the
probability that a seq2seq checker (MiniCheck-Flan-T5) answers
``answers.supported`` rather than ``answers.unsupported``, in [0, 1].
``template`` turns each pair into the one text such a checker was trained
on; ``tokenizer``, ``revision`` and ``trust_remote_code`` say how to load it.

Chunks (param ``granularity``): ``"sentence"`` uses each source sentence;
``"paragraph"`` uses sliding windows of ``window`` consecutive sentences
(stride one, SummaC's ``2sents`` for ``window: 2``); ``"packed"`` packs whole
consecutive sentences into chunks of at most ``chunk_tokens`` model tokens
(a longer sentence is a chunk of its own), as AlignScore (~350 tokens) and
MiniCheck (400) chunk documents. Sentences are split with
`harness.text.sentence_spans`. A chunk longer than ``max_length`` leaves
beside a summary sentence (a long unpunctuated source is one "sentence"),
which the model would cut at its end, is split between words into
consecutive windows that fit, for that sentence (`fit_to_tokens`); its pair
score is the best window's, as a sentence's is its best chunk's, and the
finding names that window. A summary sentence that fills ``max_length`` by
itself leaves no room for the source: its pair gets ``None`` values with
that reason.

The model (param ``model``, required) is a hub id, a local folder or
``pkg:<package>``; no checker ships with a package, so there is no offline
default. Ready configs for HHEM-2.1-open, MiniCheck and an AlignScore-style
NLI checker are in ``configs/checkers/`` (README, "Model checkers").

Findings: one per summary sentence whose score is below the output's
threshold (0 for ``nli``, 0.5 otherwise: ``unsupported``); when there is
none, one for the lowest-scoring sentence (``supported``). Each names the
best source chunk with the model's probabilities for it.

Each (example, summary) pair is computed in model calls of its own, so its
values do not depend on which other pairs share its batch (padding changes
floats in the seventh digit).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from string import Formatter
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from harness.errors import MetricError
from harness.metric._models import metric_device, resolve_model
from harness.metric._nli_model import PURPOSE, PairModel, label_ids, supported_index
from harness.metric._protocol import MetricInput, MetricResult, ValueSpec, metric
from harness.metric._sentence_pairs import (
    Span,
    fit_to_tokens,
    sentence_finding,
    summary_and_source_units,
)
from harness.records import Fingerprint
from harness.text.sentences import sentence_spans

if TYPE_CHECKING:
    import numpy as np

#: The fingerprint's version: bump it when outputs can change, including through
#: harness's sentence splitter (tests/metric/test_metric_versions.py checks that).
VERSION = "5"

SUGGESTED_MODEL = "MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli"
_TEMPLATE_FIELDS = {"premise", "hypothesis"}
_SOURCE_MEMO = 32  # sources whose chunks are kept (a benchmark scores many summaries per source)


class Answers(BaseModel):
    """The two words a seq2seq checker answers with (``output: answer``)."""

    model_config = ConfigDict(extra="forbid")

    supported: str = Field(min_length=1)
    unsupported: str = Field(min_length=1)


class NliParams(BaseModel):
    """Parameters of ``nli``.

    Attributes:
        model: The checker: hub id, local folder or ``pkg:<package>``.
            Required (``None`` fails at build with a hint).
        tokenizer: Where its tokenizer is, when not with the model (HHEM:
            ``google/flan-t5-base``).
        revision: Hub revision (branch, tag or commit) of the model; pin it
            with ``trust_remote_code``.
        trust_remote_code: Run the ``.py`` files the model ships (HHEM).
        output: How a pair score is read: ``nli``, ``label`` or ``answer``
            (module docstring).
        supported_label: With ``output: label``: the class that means
            supported, a label of ``config.id2label`` or a class index.
        answers: With ``output: answer``: ``{supported: ..., unsupported: ...}``.
        template: One text per pair, with ``{premise}`` (the source chunk)
            and ``{hypothesis}`` (the summary sentence); ``None``: the pair
            as two sequences.
        granularity: Source chunks: ``"sentence"``, ``"paragraph"`` or ``"packed"``.
        window: Sentences per chunk with ``granularity: paragraph``.
        chunk_tokens: Most model tokens per chunk with ``granularity: packed``.
        batch_size: Pairs per forward pass.
        max_length: Token limit per pair (``None``: the tokenizer's maximum).
        device: ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda"``...
    """

    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    tokenizer: str | None = None
    revision: str | None = None
    trust_remote_code: bool = False
    output: Literal["nli", "label", "answer"] = "nli"
    supported_label: str | int | None = None
    answers: Answers | None = None
    template: str | None = None
    granularity: Literal["sentence", "paragraph", "packed"] = "sentence"
    window: int = Field(default=2, ge=2)
    chunk_tokens: int = Field(default=400, ge=8)
    batch_size: int = Field(default=32, ge=1)
    max_length: int | None = Field(default=None, ge=8)
    device: str = "auto"

    @field_validator("template")
    @classmethod
    def _template_fields(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            fields = {name for _, name, _, _ in Formatter().parse(value) if name is not None}
        except ValueError as error:
            raise ValueError(
                f"not a valid template ({error}); write a literal brace as {{{{ or }}}}"
            ) from None
        if fields != _TEMPLATE_FIELDS:
            raise ValueError(
                f"the template must contain {{premise}} and {{hypothesis}} and no other "
                f"{{field}}; it has {sorted(fields) or 'none'} (write a literal brace as {{{{)"
            )
        return value

    @model_validator(mode="after")
    def _output_params(self) -> NliParams:
        if self.output == "label" and self.supported_label is None:
            raise ValueError("output: label needs supported_label (e.g. consistent, or 1)")
        if self.output != "label" and self.supported_label is not None:
            raise ValueError(f"supported_label is only read with output: label, not {self.output}")
        if self.output == "answer" and self.answers is None:
            raise ValueError(
                'output: answer needs answers, e.g. {supported: "1", unsupported: "0"}'
            )
        if self.output != "answer" and self.answers is not None:
            raise ValueError(f"answers are only read with output: answer, not {self.output}")
        limit = self.max_length
        if self.granularity == "packed" and limit is not None and self.chunk_tokens >= limit:
            raise ValueError(
                f"chunk_tokens ({self.chunk_tokens}) must be below max_length ({limit}), "
                "to leave room for the summary sentence"
            )
        return self


def pack_sentences(lengths: Sequence[int], budget: int) -> list[tuple[int, int]]:
    """Runs ``[first, last)`` of consecutive sentences whose lengths sum to at most ``budget``.

    Greedy, in order; a sentence longer than the budget is a run of its own.

    >>> pack_sentences([3, 4, 2, 6, 1], 7)
    [(0, 2), (2, 3), (3, 5)]
    >>> pack_sentences([9, 1], 7)
    [(0, 1), (1, 2)]
    """
    runs: list[tuple[int, int]] = []
    first, total = 0, 0
    for index, length in enumerate(lengths):
        if index > first and total + length > budget:
            runs.append((first, index))
            first, total = index, 0
        total += length
    if lengths:
        runs.append((first, len(lengths)))
    return runs


def chunk_spans(
    spans: Sequence[tuple[int, int]],
    granularity: str,
    window: int,
    lengths: Sequence[int] = (),
    budget: int = 0,
) -> list[tuple[int, int]]:
    """Character spans of the source chunks built from its sentence spans.

    ``lengths`` (tokens per sentence) and ``budget`` are read with ``"packed"``.

    >>> chunk_spans([(0, 5), (6, 9), (10, 12)], "paragraph", 2)
    [(0, 9), (6, 12)]
    >>> chunk_spans([(0, 5)], "paragraph", 2)
    [(0, 5)]
    >>> chunk_spans([(0, 5), (6, 9), (10, 12)], "packed", 2, [4, 3, 2], 7)
    [(0, 9), (10, 12)]
    """
    if granularity == "sentence" or not spans:
        return list(spans)
    if granularity == "packed":
        runs = pack_sentences(lengths, budget)
        return [(spans[first][0], spans[last - 1][1]) for first, last in runs]
    last = max(len(spans) - window, 0)
    return [(spans[i][0], spans[min(i + window, len(spans)) - 1][1]) for i in range(last + 1)]


_PAIR_SCORES = {
    "nli": "P(entail) − P(contradict), in [-1, 1]",
    "label": "P(supported_label), in [0, 1]",
    "answer": "P(answers.supported), in [0, 1]",
}


def _values(params: NliParams) -> list[ValueSpec]:
    pair = _PAIR_SCORES[params.output]
    return [
        ValueSpec(
            "mean",
            True,
            f"SummaC-ZS: mean over summary sentences of max over source chunks of {pair}",
        ),
        ValueSpec("min", True, f"The lowest summary sentence's best-chunk {pair}"),
    ]


@metric(
    "nli",
    params=NliParams,
    values=_values(NliParams()),
    dynamic_values=_values,
    requires=["source"],
    description="A trained checker (NLI model, HHEM, MiniCheck) on source chunks x summary"
    " sentences, SummaC-ZS aggregation (Laban et al. 2022); params.model required.",
)
class NliMetric:
    """SummaC-ZS aggregation over a trained checker's pair scores (module docstring).

    Args:
        params: Validated parameters with ``model`` set; the model is loaded
            here (once per process for a given model and device).

    Raises:
        MetricError: No model, a model that cannot be loaded, one whose
            classes or answers do not match ``output``, or ``chunk_tokens``
            that the model's own length limit would cut.

    Attributes:
        runs_on: The device it computes on, for the manifest
            (e.g. ``"cpu"``, ``"cuda (NVIDIA H100 80GB HBM3)"``).
    """

    def __init__(self, params: NliParams) -> None:
        if params.model is None:
            raise MetricError(
                f"{PURPOSE} needs a checker model: set params.model (no checker ships with "
                "the harness, so there is no offline default)",
                hint=f"e.g. metrics: [{{name: nli, params: {{model: {SUGGESTED_MODEL}}}}}] "
                "(downloaded on first use), one of configs/checkers/, or the path of a local "
                "folder written by save_pretrained (model and tokenizer)",
            )
        self._params = params
        self._model_ref = resolve_model(params.model, PURPOSE)
        # a tokenizer of its own (HHEM's) is fingerprinted as the model is: by its files
        self._described = self._model_ref.description + (
            ""
            if params.tokenizer is None
            else f"; tokenizer {resolve_model(params.tokenizer, PURPOSE).description}"
        )
        self._device, self.runs_on = metric_device(params.device, PURPOSE)
        self._pairs = PairModel(params, self._model_ref.location, self._device, self._described)
        limit = self._pairs.max_length
        if params.granularity == "packed" and params.chunk_tokens >= limit:
            # Every full chunk would be cut at its end to fit, unseen by the checker.
            raise MetricError(
                f"{PURPOSE}: chunk_tokens ({params.chunk_tokens}) must be below the model's "
                f"max_length ({limit} tokens, from {params.model!r}'s tokenizer), to leave "
                "room for the summary sentence",
                hint=f"lower chunk_tokens (e.g. {limit * 3 // 4})",
            )
        self._source_chunks = lru_cache(maxsize=_SOURCE_MEMO)(self._chunk_source)

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version, params and the resolved model."""
        return Fingerprint(
            kind="metric",
            name="nli",
            # 5: a chunk over what max_length leaves beside the summary sentence
            # is scored in windows, not cut at its end;
            # 4: a number split PTB style ("7 . 6") is not cut at its point;
            # 3: sentences keep their opening quotation marks
            version=VERSION,
            params=self._params.model_dump(mode="json"),
            model=self._described,
        )

    def _probabilities(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """(for, against) per pair, shape ``(n, 2)`` (`PairModel.probabilities`)."""
        return self._pairs.probabilities(premises, hypotheses)

    def _chunk_source(self, source: str) -> list[tuple[int, int]]:
        """The source's chunks (memoised as ``_source_chunks``)."""
        spans = sentence_spans(source)
        params = self._params
        lengths: list[int] = []
        if params.granularity == "packed":
            lengths = self._pairs.token_counts([source[s:e] for s, e in spans])
        return chunk_spans(spans, params.granularity, params.window, lengths, params.chunk_tokens)

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Score each summary against its source.

        Returns:
            One result per item, in order; values are ``None`` with a reason
            when the summary or the source has no sentence.
        """
        return [self._score_one(item) for item in items]

    def _score_one(self, item: MetricInput) -> MetricResult:
        import numpy as np

        pair = summary_and_source_units(item, ("mean", "min"), self._source_chunks)
        if isinstance(pair, MetricResult):
            return pair
        spans, chunks = pair
        summary, source = item.summary, item.example.source
        # (summary sentence, premise span) rows: each chunk, or the windows of one
        # that would not fit beside the sentence in max_length (the model would cut it)
        rows: list[tuple[int, Span]] = []
        for index, (start, end) in enumerate(spans):
            room = self._pairs.premise_room(summary[start:end])
            if room < 1:
                return MetricResult(
                    values={"mean": None, "min": None},
                    reason=f"summary sentence {index + 1} fills the checker's max_length "
                    f"({self._pairs.max_length} tokens) by itself, leaving no room for the source",
                )
            windows = fit_to_tokens(source, chunks, self._pairs.token_offsets, room)
            rows += [(index, window) for window in windows]
        premises = [source[s:e] for _, (s, e) in rows]
        hypotheses = [summary[spans[index][0] : spans[index][1]] for index, _ in rows]
        probs = self._probabilities(premises, hypotheses)
        # nli: P(entail) − P(contradict); label / answer: P(supported)
        pair_scores = probs[:, 0] - probs[:, 1] if self._params.output == "nli" else probs[:, 0]
        sentence_of = np.array([index for index, _ in rows])
        best_row = np.zeros(len(spans), dtype=int)
        for index in range(len(spans)):
            mine = np.flatnonzero(sentence_of == index)
            best_row[index] = mine[int(pair_scores[mine].argmax())]
        best = pair_scores[best_row]
        threshold = self._pairs.threshold
        flagged = [int(i) for i in np.flatnonzero(best < threshold)] or [int(best.argmin())]
        findings = []
        for index in flagged:
            row = int(best_row[index])
            for_, against = probs[row]
            findings.append(
                sentence_finding(
                    item,
                    spans[index],
                    rows[row][1],
                    "unsupported" if best[index] < threshold else "supported",
                    f"best source chunk: {self._pairs.evidence(for_, against)}",
                )
            )
        return MetricResult(
            values={"mean": float(best.mean()), "min": float(best.min())}, findings=findings
        )


__all__ = [
    "SUGGESTED_MODEL",
    "Answers",
    "NliMetric",
    "NliParams",
    "chunk_spans",
    "label_ids",
    "pack_sentences",
    "supported_index",
]
