"""The model side of ``nli``: load a checker, encode (premise, hypothesis) pairs, read support.

A checker turns each (source chunk, summary sentence) pair into two numbers,
``(for, against)``, read from the model's output as its param ``output`` says:

- ``nli``: a 3-way NLI sequence classifier; ``(P(entailment),
  P(contradiction))``, the classes found in ``config.id2label``
  (`label_ids`). The pair score is ``for − against``, in [-1, 1].
- ``label``: any sequence classifier (HHEM, MiniCheck-RoBERTa/DeBERTa, or an
  NLI model read as AlignScore reads its 3-way head); ``(P(label),
  1 − P(label))`` for the class ``supported_label`` names (a label of
  ``config.id2label`` or a class index). The pair score is ``for``, in [0, 1].
- ``answer``: a seq2seq model that answers with a word (MiniCheck-Flan-T5
  says "1" or "0"); one decoder step from the model's
  ``decoder_start_token_id``, and a softmax over the logits of the first
  token of each of ``answers.supported`` and ``answers.unsupported``. The
  pair score is ``for``, in [0, 1].

Input: with no ``template`` the tokenizer gets the pair (premise, hypothesis)
as two sequences. With a ``template`` (e.g. HHEM's prompt, or MiniCheck's
``"{premise}</s>{hypothesis}"``) the model sees one text. A premise is at
most what ``max_length`` leaves beside the summary sentence
(`PairModel.premise_room`): the metric splits a longer chunk into windows
that fit. Should a pair still be over (a token or two where a template joins
its parts), the premise is cut at its end, never the summary sentence.

Loading: ``AutoModelForSequenceClassification`` (``AutoModelForSeq2SeqLM``
for ``answer``) and ``AutoTokenizer`` (from ``tokenizer`` when the model
repository has none, as HHEM's has not), with ``revision`` and
``trust_remote_code`` passed through. A checkpoint that lacks weights of the
loaded architecture (e.g. a bare encoder with no classification head, or a
T5 loaded as a classifier) is refused: its scores would come from random
weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from harness.errors import MetricError
from harness.metric._models import ResolvedModel, load_model, require
from harness.metric._sentence_pairs import Span, token_offsets

if TYPE_CHECKING:
    import numpy as np

    from harness.metric.nli import NliParams

PURPOSE = "the nli metric"
_MAX_SENSIBLE_LENGTH = 100_000  # tokenizers without a limit report ~1e30
_CUT_ATTEMPTS = 4
_OFFSETS_MEMO = 4096  # chunk texts whose token offsets are kept


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
        raise MetricError(
            f"{PURPOSE}: model {model!r} must have exactly one label containing 'entail' and "
            f"one containing 'contradict' in config.id2label; it has {_labels(id2label)}",
            hint="use an NLI model (MNLI-style labels), or fix id2label in its config.json; "
            "a binary checker takes output: label with supported_label",
        )
    return found["entail"][0], found["contradict"][0]


def supported_index(id2label: dict[int, str], label: str | int, model: str) -> int:
    """The class id that ``supported_label`` names: a label (any case) or an index.

    >>> supported_index({0: "hallucinated", 1: "consistent"}, "Consistent", "m")
    1
    >>> supported_index({0: "LABEL_0", 1: "LABEL_1"}, 1, "m")
    1

    Raises:
        MetricError: No such label, several, or an index the model lacks.
    """
    if isinstance(label, int):
        if label in id2label:
            return label
        matches: list[int] = []
    else:
        matches = [int(i) for i, name in id2label.items() if str(name).lower() == label.lower()]
        if len(matches) == 1:
            return matches[0]
    raise MetricError(
        f"{PURPOSE}: supported_label {label!r} names {len(matches)} of the classes of model "
        f"{model!r}, which are {_labels(id2label)}",
        hint="name one label of config.id2label, or give the class index (e.g. 1)",
    )


def _labels(id2label: dict[int, str]) -> str:
    return "{" + ", ".join(f"{i}: {label!r}" for i, label in sorted(id2label.items())) + "}"


def answer_token_ids(tokenizer: Any, supported: str, unsupported: str, model: str) -> list[int]:
    """The first token id of each answer (supported, unsupported).

    Raises:
        MetricError: An answer that encodes to no token, or both to the same first token.
    """
    ids = []
    for word in (supported, unsupported):
        tokens = tokenizer(word, add_special_tokens=False)["input_ids"]
        if not tokens:
            raise MetricError(f"{PURPOSE}: answer {word!r} is no token of model {model!r}")
        ids.append(int(tokens[0]))
    if ids[0] == ids[1]:
        raise MetricError(
            f"{PURPOSE}: answers {supported!r} and {unsupported!r} start with the same token "
            f"of model {model!r} (id {ids[0]}), so they cannot be told apart",
            hint="give answers whose first tokens differ (MiniCheck-Flan-T5: '1' and '0')",
        )
    return ids


@dataclass(frozen=True)
class _Loaded:
    tokenizer: Any
    model: Any


@lru_cache(maxsize=2)
def _load(
    location: str,
    tokenizer_location: str,
    revision: str | None,
    trust_remote_code: bool,
    seq2seq: bool,
    device: str,
    files: str,
) -> _Loaded:
    # ``files`` (the model's and tokenizer's descriptions, with their files' digests)
    # only keys the memo: a model saved again into the same folder is loaded again
    transformers = require("transformers", PURPOSE)
    ref = ResolvedModel(location, location, location)
    auto = (
        transformers.AutoModelForSeq2SeqLM
        if seq2seq
        else transformers.AutoModelForSequenceClassification
    )
    options = {"revision": revision, "trust_remote_code": trust_remote_code}

    def load() -> _Loaded:
        try:
            # the revision pins the model's repository, not a tokenizer named apart
            revised = revision if tokenizer_location == location else None
            tokenizer = transformers.AutoTokenizer.from_pretrained(
                tokenizer_location, revision=revised, trust_remote_code=trust_remote_code
            )
            model, info = auto.from_pretrained(location, output_loading_info=True, **options)
        except ValueError as error:
            if "trust_remote_code" not in str(error):
                raise
            raise MetricError(
                f"{PURPOSE}: model {location!r} runs code of its own, which "
                "trust_remote_code: false does not allow",
                hint="read the model's .py files, then set params.trust_remote_code: true "
                "(and pin params.revision to the commit you read)",
            ) from error
        missing = sorted(info.get("missing_keys") or [])
        if missing:
            raise MetricError(
                f"{PURPOSE}: model {location!r} has no trained weights for "
                f"{len(missing)} parameter(s) of {type(model).__name__} "
                f"({', '.join(missing[:4])}{', ...' if len(missing) > 4 else ''}); "
                "its scores would come from random weights",
                hint="use a checkpoint trained for this task; a seq2seq checker that answers "
                "with a word takes output: answer",
            )
        return _Loaded(tokenizer, model.to(device).eval())

    return load_model(PURPOSE, ref, load)


class PairModel:
    """A loaded checker that maps (premise, hypothesis) pairs to (for, against) numbers.

    Args:
        params: The metric's validated params (``model`` set).
        location: The resolved model location (folder or hub id).
        device: The torch device to run on.
        files: What the fingerprint records of the model and tokenizer (their
            files' digests): a key of the loaded-model memo.

    Attributes:
        threshold: Pair scores below it are ``unsupported``.
        max_length: Token limit of one encoded pair.
    """

    def __init__(self, params: NliParams, location: str, device: str, files: str = "") -> None:
        assert params.model is not None
        self._params = params
        self._device = device
        tokenizer_location = location if params.tokenizer is None else params.tokenizer
        loaded = _load(
            location,
            tokenizer_location,
            params.revision,
            params.trust_remote_code,
            params.output == "answer",
            device,
            files,
        )
        self._tokenizer, self._model = loaded.tokenizer, loaded.model
        config = self._model.config
        id2label = {int(i): str(name) for i, name in dict(config.id2label or {}).items()}
        self._names: tuple[str, str]
        if params.output == "nli":
            self._ids = list(label_ids(id2label, params.model))
            self._names = ("entailment", "contradiction")
            self.threshold = 0.0
        elif params.output == "label":
            assert params.supported_label is not None
            index = supported_index(id2label, params.supported_label, params.model)
            self._ids = [index]
            self._names = (id2label[index], "")
            self.threshold = 0.5
        else:
            assert params.answers is not None
            answers = params.answers
            self._ids = answer_token_ids(
                self._tokenizer, answers.supported, answers.unsupported, params.model
            )
            self._names = (repr(answers.supported), repr(answers.unsupported))
            self._decoder_start = config.decoder_start_token_id
            if self._decoder_start is None:
                raise MetricError(
                    f"{PURPOSE}: model {params.model!r} has no decoder_start_token_id; "
                    "output: answer needs an encoder-decoder model (T5, BART...)"
                )
            self.threshold = 0.5
        limit = params.max_length
        if limit is None:
            limit = int(self._tokenizer.model_max_length)
            if limit > _MAX_SENSIBLE_LENGTH:
                limit = int(getattr(config, "max_position_embeddings", 512))
        self.max_length: int = limit
        self.token_offsets = lru_cache(maxsize=_OFFSETS_MEMO)(self._token_offsets)

    def _token_offsets(self, text: str) -> list[Span]:
        """``text``'s tokens as character offsets (memoised as ``token_offsets``)."""
        return token_offsets(self._tokenizer, text)

    def premise_room(self, hypothesis: str) -> int:
        """Most premise tokens a pair with ``hypothesis`` holds within ``max_length``.

        The model's special tokens (and the template's own text) are counted;
        zero or less when the summary sentence alone fills ``max_length``.
        """
        if self._params.template is None:
            specials = int(self._tokenizer.num_special_tokens_to_add(pair=True))
            return self.max_length - specials - len(self._token_ids(hypothesis, False))
        return self.max_length - len(self._token_ids(self._render("", hypothesis), True))

    def _token_ids(self, text: str, special: bool) -> list[int]:
        ids: list[int] = self._tokenizer(text, add_special_tokens=special, verbose=False)[
            "input_ids"
        ]
        return ids

    def evidence(self, for_: float, against: float) -> str:
        """What a finding says of its best chunk, e.g. ``entailment 0.91, contradiction 0.02``."""
        if self._params.output == "nli":
            return f"entailment {for_:.2f}, contradiction {against:.2f}"
        if self._params.output == "label":
            return f"P({self._names[0]}) {for_:.2f}"
        return f"P({self._names[0]}) {for_:.2f} vs P({self._names[1]}) {against:.2f}"

    def token_counts(self, texts: list[str]) -> list[int]:
        """Tokens of each text alone (no special tokens)."""
        if not texts:
            return []
        encoded = self._tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def probabilities(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """(for, against) per pair, shape ``(n, 2)``, in batches of ``batch_size``."""
        import numpy as np

        torch = require("torch", PURPOSE)
        rows = []
        size = self._params.batch_size
        for start in range(0, len(premises), size):
            encoded = self._encode(
                premises[start : start + size], hypotheses[start : start + size]
            ).to(self._device)
            with torch.inference_mode():
                rows.append(self._read(torch, encoded))
        return np.concatenate(rows) if rows else np.zeros((0, 2))

    def _encode(self, premises: list[str], hypotheses: list[str]) -> Any:
        common = {"truncation": True, "max_length": self.max_length, "padding": True}
        if self._params.template is None:
            return self._tokenizer(premises, hypotheses, return_tensors="pt", **common)
        texts = [self._fit(p, h) for p, h in zip(premises, hypotheses, strict=True)]
        return self._tokenizer(texts, return_tensors="pt", **common)

    def _render(self, premise: str, hypothesis: str) -> str:
        assert self._params.template is not None
        return self._params.template.format(premise=premise, hypothesis=hypothesis)

    def _fit(self, premise: str, hypothesis: str) -> str:
        """The template filled in, the premise cut at its end to fit ``max_length``."""
        text = self._render(premise, hypothesis)
        for _ in range(_CUT_ATTEMPTS):
            excess = len(self._tokenizer(text, verbose=False)["input_ids"]) - self.max_length
            if excess <= 0 or not premise:
                break
            premise = _cut_end(self._tokenizer, premise, excess)
            text = self._render(premise, hypothesis)
        return text

    def _read(self, torch: Any, encoded: Any) -> np.ndarray:
        import numpy as np

        if self._params.output == "answer":
            start = torch.full(
                (encoded["input_ids"].shape[0], 1), self._decoder_start, device=self._device
            )
            logits = self._model(**encoded, decoder_input_ids=start).logits[:, 0, :].float()
            probs = torch.softmax(logits[:, self._ids], dim=-1)
        else:
            probs = torch.softmax(self._model(**encoded).logits.float(), dim=-1)
            if self._params.output == "nli":
                probs = probs[:, self._ids]
            else:
                supported = probs[:, self._ids[0]]
                probs = torch.stack([supported, 1.0 - supported], dim=-1)
        result: np.ndarray = probs.cpu().numpy().astype(np.float64)
        return result


def _cut_end(tokenizer: Any, text: str, tokens: int) -> str:
    """``text`` less (about) its last ``tokens`` tokens, cut where a token starts."""
    if tokenizer.is_fast:
        offsets = tokenizer(
            text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )["offset_mapping"]
        keep = len(offsets) - tokens
        return text[: offsets[keep - 1][1]] if keep > 0 else ""
    count = max(len(tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]), 1)
    return text[: max(len(text) * (count - tokens) // count, 0)]


__all__ = ["PURPOSE", "PairModel", "answer_token_ids", "label_ids", "supported_index"]
