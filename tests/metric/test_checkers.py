"""The model checkers of configs/checkers/ (HHEM, MiniCheck, AlignScore-style, SummaC-ZS).

Each shipped config's ``nli`` params are run, unchanged but for the model,
on a tiny random model of the same architecture built here from a config (no
download): RoBERTa and DeBERTa-v2 sequence classifiers, a T5 that answers with
a word, a 3-way DeBERTa-v2 NLI model, and a stand-in for HHEM's remote code
(a model class in a ``.py`` file of the model folder wrapping
``T5ForTokenClassification``, loaded with ``trust_remote_code``). The tiny
models' scores mean nothing; each metric value is checked against a direct
computation (one ``transformers`` call per pair, chunks packed by hand), and
the chunking arithmetic against a hand computation with a stubbed model.

What this does not test: the real checkpoints and HHEM's own
``modeling_hhem_v2.py`` (they need the hub), nor their published accuracy.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download in tests

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from harness.config import MetricConfig, load_config
from harness.errors import ConfigError, MetricError
from harness.metric import METRICS, MetricInput, build_metric
from harness.metric.nli import NliMetric, NliParams
from harness.records import Example
from harness.text.sentences import sentence_spans
from tests.requires import require

REPO = Path(__file__).resolve().parents[2]
CHECKERS = REPO / "configs" / "checkers"
CONFIGS = sorted(path.stem for path in CHECKERS.glob("*.yaml"))
_VOCABULARY = (
    "a the fire killed two people on monday crews fought it for five days officials said "
    "u s sent aid more would follow did not die in reference short source text bn predict "
    "determine if hypothesis is true given premise 0 1 river flooded village homes were "
    "lost rain fell all week and roads closed"
)
WORDS = _VOCABULARY.split()
PUNCT = [".", ":", "?", "$", ",", "'"]
HHEM_CODE = '''"""A stand-in for HHEM-2.1-open's remote code: T5 encoder, first token, 2 classes."""

from transformers import AutoConfig, PretrainedConfig, PreTrainedModel, T5ForTokenClassification


class TinyHHEMConfig(PretrainedConfig):
    model_type = "tiny_hhem"

    def __init__(self, foundation="", prompt="", **kwargs):
        super().__init__(**kwargs)
        self.foundation = foundation
        self.prompt = prompt


class TinyHHEMForSequenceClassification(PreTrainedModel):
    config_class = TinyHHEMConfig

    def __init__(self, config):
        super().__init__(config)
        self.t5 = T5ForTokenClassification(AutoConfig.from_pretrained(config.foundation))
        self.post_init()

    def forward(self, **kwargs):
        outputs = self.t5(**kwargs)
        outputs.logits = outputs.logits[:, 0, :]
        return outputs
'''


def _tokenizer(specials: list[str], single: str, pair: str, **tokens: str) -> tuple[Any, int]:
    """A word-level fast tokenizer over `WORDS` with the given special tokens and templates."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate([*specials, *sorted(set(WORDS)), *PUNCT])}
    backend = Tokenizer(models.WordLevel(vocab, unk_token=tokens["unk_token"]))
    backend.normalizer = normalizers.BertNormalizer(lowercase=True)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    used = {token for token in f"{single} {pair}".split() if token in vocab}
    backend.post_processor = processors.TemplateProcessing(
        single=single, pair=pair, special_tokens=[(token, vocab[token]) for token in sorted(used)]
    )
    fast = PreTrainedTokenizerFast(tokenizer_object=backend, model_max_length=512, **tokens)
    return fast, len(vocab)


def _save(folder: Path, tokenizer: Any, model: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(folder)
    model.save_pretrained(folder)
    return folder


def make_roberta_checker(folder: Path) -> Path:
    """A MiniCheck-RoBERTa-like binary classifier (LABEL_0 / LABEL_1), ``</s>`` as eos."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification

    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    tokenizer, size = _tokenizer(
        specials,
        "<s> $A </s>",
        "<s> $A </s> </s> $B:1 </s>:1",
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        pad_token="<pad>",
        unk_token="<unk>",
    )
    config = AutoConfig.for_model(
        "roberta",
        vocab_size=size,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=520,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        initializer_range=0.5,  # large random weights: scores that differ between pairs
    )
    torch.manual_seed(1)
    return _save(folder, tokenizer, AutoModelForSequenceClassification.from_config(config))


def make_deberta_checker(folder: Path, id2label: dict[int, str] | None = None) -> Path:
    """A DeBERTa-v2 classifier (binary, or 3-way NLI with ``id2label``), ``[SEP]`` as eos."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification

    labels = id2label or {0: "LABEL_0", 1: "LABEL_1"}
    tokenizer, size = _tokenizer(
        ["[PAD]", "[CLS]", "[SEP]", "[UNK]"],
        "[CLS] $A [SEP]",
        "[CLS] $A [SEP] $B:1 [SEP]:1",
        cls_token="[CLS]",
        sep_token="[SEP]",
        eos_token="[SEP]",
        pad_token="[PAD]",
        unk_token="[UNK]",
    )
    config = AutoConfig.for_model(
        "deberta-v2",
        vocab_size=size,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=512,
        relative_attention=True,
        position_buckets=16,
        pos_att_type=["p2c", "c2p"],
        position_biased_input=False,
        type_vocab_size=0,
        initializer_range=0.5,
        id2label=labels,
        label2id={label: index for index, label in labels.items()},
    )
    torch.manual_seed(2)
    return _save(folder, tokenizer, AutoModelForSequenceClassification.from_config(config))


def _t5_tokenizer() -> Any:
    tokenizer, _ = _tokenizer(
        ["<pad>", "</s>", "<unk>"],
        "$A </s>",
        "$A </s> $B:1 </s>:1",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
    )
    return tokenizer


def _t5_config(**extra: Any) -> Any:
    from transformers import AutoConfig

    return AutoConfig.for_model(
        "t5",
        vocab_size=len(_t5_tokenizer()),
        d_model=16,
        d_kv=8,
        d_ff=32,
        num_layers=1,
        num_heads=2,
        relative_attention_num_buckets=8,
        decoder_start_token_id=0,
        pad_token_id=0,
        eos_token_id=1,
        initializer_factor=4.0,
        **extra,
    )


def make_t5_checker(folder: Path) -> Path:
    """A MiniCheck-Flan-T5-like seq2seq model whose vocabulary has the answers "1" and "0"."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    torch.manual_seed(3)
    return _save(folder, _t5_tokenizer(), AutoModelForSeq2SeqLM.from_config(_t5_config()))


def make_hhem_checker(folder: Path) -> tuple[Path, Path]:
    """An HHEM-like remote-code model; returns (model folder, tokenizer folder).

    Like HHEM, the model folder holds no tokenizer, its config names the T5
    ("foundation") its code builds, and id2label is {0: hallucinated, 1: consistent}.
    """
    import torch

    foundation = folder / "foundation"
    _t5_config(num_labels=2).save_pretrained(foundation)
    _t5_tokenizer().save_pretrained(foundation)
    source = folder / "code" / "modeling_tiny_hhem.py"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(HHEM_CODE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("modeling_tiny_hhem", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["modeling_tiny_hhem"] = module
    spec.loader.exec_module(module)
    module.TinyHHEMConfig.register_for_auto_class()
    module.TinyHHEMForSequenceClassification.register_for_auto_class(
        "AutoModelForSequenceClassification"
    )
    config = module.TinyHHEMConfig(
        foundation=str(foundation), id2label={0: "hallucinated", 1: "consistent"}
    )
    torch.manual_seed(4)
    model = module.TinyHHEMForSequenceClassification(config)
    model.save_pretrained(folder / "model")  # writes the .py file and config.auto_map too
    return folder / "model", foundation


def build_checkers(root: Path) -> dict[str, dict[str, str]]:
    """Tiny models for each shipped config: ``{config stem: {model: ..., tokenizer?: ...}}``."""
    hhem, hhem_tokenizer = make_hhem_checker(root / "hhem")
    nli = make_deberta_checker(
        root / "deberta-nli", {0: "entailment", 1: "neutral", 2: "contradiction"}
    )
    return {
        "hhem": {"model": str(hhem), "tokenizer": str(hhem_tokenizer)},
        "minicheck_roberta": {"model": str(make_roberta_checker(root / "roberta"))},
        "minicheck_deberta": {"model": str(make_deberta_checker(root / "deberta"))},
        "minicheck_flan_t5": {"model": str(make_t5_checker(root / "t5"))},
        "alignscore_style": {"model": str(nli)},
        "summac_zs": {"model": str(nli)},
    }


@pytest.fixture(scope="module")
def remote_code_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """transformers copies remote code here (not to ~/.cache) while the module's tests run."""
    require("torch", "transformers", extra="models")
    import transformers.dynamic_module_utils as modules

    folder = tmp_path_factory.mktemp("hf_modules")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(modules, "HF_MODULES_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, remote_code_cache: Path) -> dict[str, Any]:
    return build_checkers(tmp_path_factory.mktemp("checkers"))


def shipped_metrics(stem: str) -> list[Any]:
    """The ``metrics`` list of configs/checkers/<stem>.yaml, as the file gives it."""
    data = yaml.safe_load((CHECKERS / f"{stem}.yaml").read_text(encoding="utf-8"))
    metrics: list[Any] = data["metrics"]
    return metrics


def shipped_params(stem: str) -> dict[str, Any]:
    """The ``nli`` params of configs/checkers/<stem>.yaml, as the file gives them."""
    [entry] = [m for m in shipped_metrics(stem) if isinstance(m, dict) and m["name"] == "nli"]
    params: dict[str, Any] = entry["params"]
    return params


def tiny_params(stem: str, tiny: dict[str, Any], **changes: Any) -> NliParams:
    return NliParams(**{**shipped_params(stem), **tiny[stem], "device": "cpu", **changes})


SHORT = (
    "A fire killed two people on Monday. Crews fought it for five days.\n"
    "Officials said the U.S. sent $4.2bn in aid. More aid would follow."
)
#: ~2,500 tokens: several chunks even at HHEM's 1,800-token budget.
LONG = " ".join(
    ["The river flooded the village on Monday.", "Two homes were lost.", "Rain fell all week."] * 90
    + ["Roads closed and officials said aid would follow."] * 40
)
ITEMS = [
    MetricInput(Example(id="short", source=SHORT), "A fire killed two people. It did not die."),
    MetricInput(Example(id="long", source=LONG), "The village flooded. Officials sent aid."),
]


def direct_scores(params: NliParams, source: str, summary: str) -> tuple[float, float]:
    """(mean, min) computed pair by pair with transformers, chunks packed here by hand."""
    import torch
    from transformers import (
        AutoModelForSeq2SeqLM,
        AutoModelForSequenceClassification,
        AutoTokenizer,
    )

    assert params.model is not None
    tokenizer = AutoTokenizer.from_pretrained(params.tokenizer or params.model)
    seq2seq = params.output == "answer"
    auto = AutoModelForSeq2SeqLM if seq2seq else AutoModelForSequenceClassification
    model = auto.from_pretrained(params.model, trust_remote_code=params.trust_remote_code).eval()
    spans = sentence_spans(source)
    chunks: list[list[tuple[int, int]]] = [[]]
    used = 0
    for start, end in spans:
        tokens = len(tokenizer(source[start:end], add_special_tokens=False)["input_ids"])
        if params.granularity == "sentence" or (chunks[-1] and used + tokens > params.chunk_tokens):
            chunks.append([])
            used = 0
        chunks[-1].append((start, end))
        used += tokens
    premises = [source[c[0][0] : c[-1][1]] for c in chunks if c]
    best = []
    for start, end in sentence_spans(summary):
        scores = []
        for premise in premises:
            hypothesis = summary[start:end]
            if params.template is None:
                encoded = tokenizer(premise, hypothesis, return_tensors="pt")
            else:
                text = params.template.format(premise=premise, hypothesis=hypothesis)
                encoded = tokenizer(text, return_tensors="pt")
            with torch.no_grad():
                if params.output == "answer":
                    assert params.answers is not None
                    ids = [
                        tokenizer(word, add_special_tokens=False)["input_ids"][0]
                        for word in (params.answers.supported, params.answers.unsupported)
                    ]
                    logits = model(**encoded, decoder_input_ids=torch.tensor([[0]])).logits[0, 0]
                    scores.append(float(torch.softmax(logits[ids], dim=-1)[0]))
                    continue
                probs = torch.softmax(model(**encoded).logits[0], dim=-1)
            labels = {v.lower(): int(k) for k, v in model.config.id2label.items()}
            if params.output == "nli":
                scores.append(float(probs[labels["entailment"]] - probs[labels["contradiction"]]))
            else:
                label = params.supported_label
                index = label if isinstance(label, int) else labels[str(label).lower()]
                scores.append(float(probs[index]))
        best.append(max(scores))
    return float(np.mean(best)), min(best)


def test_every_checker_config_validates() -> None:
    assert set(CONFIGS) == {
        "alignscore_style",
        "hhem",
        "minicheck_deberta",
        "minicheck_flan_t5",
        "minicheck_roberta",
        "summac_zs",
    }
    for stem in CONFIGS:
        config = load_config(CHECKERS / f"{stem}.yaml")
        [nli] = [m for m in config.metrics if m.name == "nli"]
        params = NliParams.model_validate(nli.params)
        assert params.model and "/" in params.model  # a hub id users download
        assert {m.name for m in config.metrics} == {"nli", "consistency"}
        assert config.meta_eval is not None


@pytest.mark.slow
@pytest.mark.parametrize("stem", CONFIGS)
def test_each_config_scores_end_to_end_as_computed_directly(
    stem: str, tiny: dict[str, Any]
) -> None:
    params = tiny_params(stem, tiny)
    metric = NliMetric(params)
    results = metric.score(ITEMS)
    low, high = (-1.0, 1.0) if params.output == "nli" else (0.0, 1.0)
    for item, result in zip(ITEMS, results, strict=True):
        mean, least = result.values["mean"], result.values["min"]
        assert isinstance(mean, float) and isinstance(least, float)
        assert low <= least <= mean <= high
        assert (mean, least) == pytest.approx(
            direct_scores(params, item.example.source, item.summary), abs=1e-5
        )
        for finding in result.findings:
            source_start, source_end = finding["source_span"]
            assert item.example.source[source_start:source_end] == finding["source_text"]
            assert finding["evidence"].startswith("best source chunk: ")
    if params.granularity == "packed":  # the long source is cut into several chunks
        assert len(metric._source_chunks(LONG)) > 1


def test_packed_chunks_and_the_aggregation_match_a_hand_computation(
    tiny: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # word-level tokenizer: every word and every "." is one token
    source = "a fire killed two people. crews fought it. it sent aid. more aid would follow."
    # sentence tokens: 6, 4, 4, 5; budget 9 packs [6] [4 4] [5]
    metric = NliMetric(tiny_params("minicheck_roberta", tiny, chunk_tokens=9, max_length=64))
    seen: list[tuple[str, str]] = []
    # rows in (summary sentence, chunk) order: (P(supported), P(not supported))
    table = {
        0: [(0.2, 0.8), (0.9, 0.1), (0.4, 0.6)],  # best: 0.9 (chunk 1)
        1: [(0.3, 0.7), (0.1, 0.9), (0.35, 0.65)],  # best: 0.35 (chunk 2)
    }

    def fake(premises: list[str], hypotheses: list[str]) -> np.ndarray:
        seen.extend(zip(premises, hypotheses, strict=True))
        return np.array([row for sentence in (0, 1) for row in table[sentence]])

    monkeypatch.setattr(metric, "_probabilities", fake)
    [result] = metric.score([MetricInput(Example(id="x", source=source), "Aid came. Fire.")])
    assert [premise for premise, _ in seen[:3]] == [
        "a fire killed two people.",
        "crews fought it. it sent aid.",
        "more aid would follow.",
    ]
    assert [hypothesis for _, hypothesis in seen] == ["Aid came."] * 3 + ["Fire."] * 3
    assert result.values == pytest.approx({"mean": (0.9 + 0.35) / 2, "min": 0.35})
    [finding] = result.findings  # only the sentence below 0.5
    assert finding["text"] == "Fire." and finding["status"] == "unsupported"
    assert finding["source_text"] == "more aid would follow."
    assert finding["evidence"] == "best source chunk: P(LABEL_1) 0.35"


def test_a_template_over_max_length_cuts_the_premise_not_the_sentence(
    tiny: dict[str, Any],
) -> None:
    metric = NliMetric(tiny_params("minicheck_roberta", tiny, chunk_tokens=8, max_length=16))
    pairs = metric._pairs
    premise = "a fire killed two people on monday. crews fought it for five days."
    text = pairs._fit(premise, "two people did not die.")
    assert text.endswith("</s>two people did not die.")
    assert text.startswith("a fire killed")
    assert len(pairs._tokenizer(text)["input_ids"]) <= 16
    [result] = metric.score([MetricInput(Example(id="x", source=premise), "Two died.")])
    assert result.values["mean"] is not None


@pytest.mark.parametrize("stem", ["minicheck_roberta", "minicheck_flan_t5", "hhem"])
def test_a_chunk_over_what_the_template_leaves_is_scored_in_windows(
    tiny: dict[str, Any], stem: str
) -> None:
    # One unpunctuated "sentence" of 42 words. Before, the template was filled with it
    # and the premise cut at its end to fit: the checker never saw its second half.
    metric = NliMetric(tiny_params(stem, tiny, chunk_tokens=8, max_length=32))
    pairs = metric._pairs
    source = " ".join(["rain fell all week and roads closed"] * 6)
    rendered: list[tuple[str, str]] = []
    real = pairs._fit

    def spy(premise: str, hypothesis: str) -> str:
        rendered.append((premise, real(premise, hypothesis)))
        return rendered[-1][1]

    pairs._fit = spy  # type: ignore[method-assign]
    [result] = metric.score([MetricInput(Example(id="x", source=source), "Roads closed.")])
    assert result.values["mean"] is not None and len(rendered) > 1
    for premise, text in rendered:
        assert text == pairs._render(premise, "Roads closed.")  # the premise whole
        assert len(pairs._tokenizer(text)["input_ids"]) <= 32
    assert " ".join(premise for premise, _ in rendered) == source


def test_answer_output_reads_the_first_token_of_each_answer(tiny: dict[str, Any]) -> None:
    metric = NliMetric(tiny_params("minicheck_flan_t5", tiny))
    tokenizer = metric._pairs._tokenizer
    assert metric._pairs._ids == [tokenizer.convert_tokens_to_ids(w) for w in ("1", "0")]
    [result] = metric.score(ITEMS[:1])
    assert "P('1')" in result.findings[0]["evidence"]
    with pytest.raises(MetricError, match="start with the same token"):
        same_start = {"supported": "1 a", "unsupported": "1"}
        NliMetric(tiny_params("minicheck_flan_t5", tiny, answers=same_start))


def test_remote_code_runs_only_when_trusted(tiny: dict[str, Any]) -> None:
    with pytest.raises(MetricError, match="runs code of its own") as caught:
        NliMetric(tiny_params("hhem", tiny, trust_remote_code=False))
    assert "trust_remote_code: true" in str(caught.value)


@pytest.mark.parametrize(
    ("stem", "changes", "message"),
    [
        ("minicheck_roberta", {"supported_label": "supported"}, "names 0 of the classes"),
        ("minicheck_roberta", {"supported_label": 5}, "'LABEL_0'"),
        (
            "minicheck_flan_t5",
            {"output": "label", "answers": None, "supported_label": 1},
            "random weights",
        ),
        ("minicheck_roberta", {"output": "nli", "supported_label": None}, "'entail'"),
    ],
)
def test_a_checker_that_does_not_fit_its_params_fails_at_build(
    stem: str, changes: dict[str, Any], message: str, tiny: dict[str, Any]
) -> None:
    with pytest.raises(MetricError, match=message):
        NliMetric(tiny_params(stem, tiny, **changes))


def test_packed_chunks_longer_than_the_models_own_limit_fail_at_build(
    tiny: dict[str, Any],
) -> None:
    # No max_length: the tokenizer's model_max_length (512) is the limit, and
    # 600-token chunks would be cut at their end without a word.
    with pytest.raises(MetricError, match=r"chunk_tokens \(600\) must be below the model's "):
        NliMetric(tiny_params("minicheck_roberta", tiny, chunk_tokens=600, max_length=None))
    assert NliMetric(tiny_params("minicheck_roberta", tiny, chunk_tokens=500, max_length=None))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"output": "label"}, "needs supported_label"),
        ({"supported_label": 1}, "only read with output: label"),
        ({"output": "answer"}, "needs answers"),
        ({"answers": {"supported": "1", "unsupported": "0"}}, "only read with output: answer"),
        ({"template": "{premise} </s>"}, "must contain {premise} and {hypothesis}"),
        ({"template": "{premise} {hypothesis} {source}"}, "'source'"),
        ({"template": "{premise {hypothesis}"}, "not a valid template"),
        ({"granularity": "packed", "chunk_tokens": 512, "max_length": 512}, "below max_length"),
        ({"chunk_tokens": 4}, "chunk_tokens"),
    ],
)
def test_params_are_validated_with_a_message(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_metric(MetricConfig(name="nli", params={"model": "m", **params}), "metrics[0]")


def test_the_fingerprint_holds_the_checker_params(tiny: dict[str, Any]) -> None:
    params = tiny_params("minicheck_flan_t5", tiny)
    fingerprint = NliMetric(params).fingerprint
    assert fingerprint.version == "5" and fingerprint.params["output"] == "answer"
    assert fingerprint.params["template"] == "predict: {premise}</s>{hypothesis}"
    assert fingerprint.params["answers"] == {"supported": "1", "unsupported": "0"}
    other = NliMetric(tiny_params("minicheck_flan_t5", tiny, chunk_tokens=499)).fingerprint
    assert other.digest() != fingerprint.digest()


def test_values_say_the_range_of_the_output() -> None:
    nli = METRICS.get("nli", where="test")
    label = nli.for_params(NliParams(model="m", output="label", supported_label=1))
    assert "in [0, 1]" in label.values[0].description
    assert "in [-1, 1]" in nli.for_params(NliParams(model="m")).values[0].description
