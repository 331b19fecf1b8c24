"""The ``llm_judge`` metric against a real local HTTP server.

The server is tests/fixtures/backend/fake_openai_server.py on 127.0.0.1; its
``judge:S``, ``judge-unparsable`` and ``429-then-judge:N`` models answer like a judge.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rich.console import Console

from harness.config import MetricConfig, load_config
from harness.errors import ConfigError, MissingDependencyError
from harness.metric import Metric, MetricInput, build_metric
from harness.metric.llm_judge import PROMPT_VERSION, parse_answer
from harness.records import Example
from harness.runner import run_pipeline
from tests.fixtures.openai_calls import set_key

NEEDS_OPENAI = pytest.mark.requires("openai", extra="api")

FIXTURES = Path(__file__).parent.parent / "fixtures" / "backend"
SECRET = "sk-test-JUDGE-SECRET"


ITEM = MetricInput(
    example=Example(id="fire", source="A fire killed two people on Monday."),
    summary="Two people died in a fire on Monday.",
)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    set_key(monkeypatch, SECRET)


def build(openai_server: Any, model: str, **params: Any) -> Metric:
    config = MetricConfig(
        name="llm_judge", params={"base_url": openai_server.base_url, "model": model, **params}
    )
    return build_metric(config, "test")[1]


@NEEDS_OPENAI
def test_a_good_answer_is_parsed_into_score_and_finding(
    fake_openai: ModuleType, openai_server: Any
) -> None:
    [result] = build(openai_server, "judge:4").score([ITEM])
    assert result.values == {"score": 0.75}
    assert result.reason is None
    [finding] = result.findings
    assert finding["kind"] == "judgement" and finding["status"] == "supported"
    assert finding["score"] == 4
    assert finding["text"] == ITEM.summary and finding["span"] == [0, len(ITEM.summary)]
    assert finding["evidence"] == fake_openai.JUDGE_REASON
    assert finding["raw"] == fake_openai.judge_answer(4)
    [request] = openai_server.requests
    assert request.authorization == f"Bearer {SECRET}"
    assert request.body["temperature"] == 0
    assert request.body["max_tokens"] == 200
    prompt = request.body["messages"][-1]["content"]
    assert ITEM.example.source in prompt and ITEM.summary in prompt
    assert "Score: <an integer from 1 to 5>" in prompt


@NEEDS_OPENAI
def test_a_reply_cut_at_max_tokens_still_gives_its_score(openai_server: Any) -> None:
    # Unlike a summary, a judge's answer is whole once its score line is in.
    [result] = build(openai_server, "judge-cut").score([ITEM])
    assert result.values == {"score": 0.75}


@NEEDS_OPENAI
def test_low_ratings_are_unsupported_and_the_scale_maps_to_unit(openai_server: Any) -> None:
    for rating, value, status in [(1, 0.0, "unsupported"), (3, 0.5, "unsupported")]:
        [result] = build(openai_server, f"judge:{rating}").score([ITEM])
        assert result.values == {"score": value}
        assert result.findings[0]["status"] == status
    [result] = build(openai_server, "judge:5").score([ITEM])
    assert result.values == {"score": 1.0}


@NEEDS_OPENAI
def test_an_unparsable_answer_is_recorded_not_guessed(
    fake_openai: ModuleType, openai_server: Any
) -> None:
    [result] = build(openai_server, "judge-unparsable").score([ITEM])
    assert result.values == {"score": None}
    assert result.findings == []
    assert result.reason is not None
    assert result.reason.startswith("unparsable judge answer: ")
    assert fake_openai.UNPARSABLE[:40] in result.reason


@pytest.mark.parametrize(
    "answer",
    [
        "Score: 6\nReason: x",
        "Score: 4",
        "Reason: x\nScore: 4",
        "score 4\nreason x",
        "",
        "Score: 4/10\nReason: x",
        "Score: 45\nReason: x",
    ],
)
def test_answers_off_the_format_do_not_parse(answer: str) -> None:
    assert parse_answer(answer) is None


@pytest.mark.parametrize(
    "answer",
    [
        "**Score:** 4\n**Reason:** One date is missing.",
        "**Score: 4**\n**Reason:** One date is missing.",
        "- Score: 4/5\n- Reason: One date is missing.",
        "Score: 4 out of 5\nReason: One date is missing.",
    ],
)
def test_the_format_in_markdown_a_chat_model_writes_parses(answer: str) -> None:
    # Before, each of these was an unparsable answer, cached, with a null score.
    assert parse_answer(answer) == (4, "One date is missing.")


@NEEDS_OPENAI
def test_429_then_ok_is_retried(openai_server: Any) -> None:
    [result] = build(openai_server, "429-then-judge:2").score([ITEM])
    assert result.values == {"score": 0.75}
    assert openai_server.count() == 3


@NEEDS_OPENAI
def test_a_failed_request_is_a_per_item_reason_without_the_key(openai_server: Any) -> None:
    results = build(openai_server, "401", max_retries=1, concurrency=1).score([ITEM, ITEM])
    for result in results:
        assert result.values == {"score": None}
        assert result.reason is not None
        assert result.reason.startswith("metric error: judge request failed: authentication")
        assert SECRET not in result.reason
    assert openai_server.count() == 1  # a rejected key is not tried again


@NEEDS_OPENAI
def test_results_keep_order_with_concurrency(openai_server: Any) -> None:
    items = [ITEM, MetricInput(example=Example(id="b", source="B."), summary="b")] * 3
    results = build(openai_server, "judge:2", concurrency=3).score(items)
    assert [r.values for r in results] == [{"score": 0.25}] * 6
    assert [r.findings[0]["text"] for r in results] == [i.summary for i in items]


def test_model_is_required() -> None:
    with pytest.raises(ConfigError):
        build_metric(MetricConfig(name="llm_judge", params={}), "test")


@NEEDS_OPENAI
def test_a_missing_key_for_a_remote_endpoint_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    config = MetricConfig(
        name="llm_judge", params={"base_url": "https://api.example.com/v1", "model": "m"}
    )
    with pytest.raises(
        ConfigError,
        match="the llm_judge metric: the environment variable OPENAI_API_KEY is not set",
    ):
        build_metric(config, "test")


def test_a_missing_openai_package_names_the_metric_and_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "openai", None)
    config = MetricConfig(name="llm_judge", params={"model": "m"})
    with pytest.raises(MissingDependencyError) as raised:
        build_metric(config, "test")
    assert "the llm_judge metric needs the Python package 'openai'" in str(raised.value)
    assert "pip install 'harness[api]'" in str(raised.value)


@NEEDS_OPENAI
def test_fingerprint_has_the_prompt_version_and_never_the_key(openai_server: Any) -> None:
    metric = build(openai_server, "judge:4")
    dumped = json.dumps(metric.fingerprint.model_dump())
    assert PROMPT_VERSION in dumped
    assert openai_server.base_url in dumped and "judge:4" in dumped
    assert metric.fingerprint.params["api_key_env"] == "OPENAI_API_KEY"
    assert SECRET not in dumped
    assert SECRET not in repr(metric)


def test_a_pasted_key_is_rejected_without_echoing_it() -> None:
    config = MetricConfig(name="llm_judge", params={"model": "m", "api_key_env": SECRET})
    with pytest.raises(ConfigError) as raised:
        build_metric(config, "test")
    assert SECRET not in str(raised.value)


def write_config(tmp_path: Path, base_url: str) -> Path:
    rows = [
        {"id": "one", "text": "Rain flooded Leeds on Monday and forty homes were damaged."},
        {"id": "two", "text": "Prices rose four percent in May while markets fell again."},
    ]
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    config = tmp_path / "run.yaml"
    config.write_text(
        f"""\
name: judge-test
benchmark:
  path: {data}
  fields: {{id: id, source: text}}
systems:
  - {{name: api, backend: openai, params: {{base_url: "{base_url}", model: ok}}}}
metrics:
  - {{name: llm_judge, params: {{base_url: "{base_url}", model: "judge:4"}}}}
out: {tmp_path / "run"}
cache: {tmp_path / "cache"}
""",
        encoding="utf-8",
    )
    return config


def run(config_path: Path) -> None:
    run_pipeline(
        load_config(config_path),
        origin=str(config_path),
        config_dir=config_path.parent,
        console=Console(quiet=True),
    )


@NEEDS_OPENAI
def test_pipeline_scores_caches_and_never_writes_the_key(
    openai_server: Any, tmp_path: Path
) -> None:
    config = write_config(tmp_path, openai_server.base_url)
    run(config)
    assert openai_server.count("judge:4") == 2
    scores = [
        json.loads(line)
        for line in (tmp_path / "run" / "scores.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    judged = [row for row in scores if row["metric"] == "llm_judge"]
    assert [row["values"] for row in judged] == [{"score": 0.75}] * 2

    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len(files) > 3
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path

    openai_server.reset()
    run(config)
    assert openai_server.count() == 0  # summaries and judgements came from the cache
