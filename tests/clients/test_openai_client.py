"""The client's policy (`harness.clients.openai_client`) against a real local HTTP server,
through the ``openai`` backend that uses it.

The server is tests/fixtures/backend/fake_openai_server.py, on 127.0.0.1.

Replies that are no answer (empty, refused, stopped by a content filter or a
tool call, a reasoning model's thinking alone), a content of parts, and the
endpoint's own failures: one that never answered, a spent quota, a 404, a
redirect, and URLs that are not one.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from harness.backend import BuildContext, build_backend
from harness.clients import openai_client
from harness.config import SystemConfig
from harness.errors import ConfigError
from tests.fixtures.openai_calls import (
    EXAMPLES,
    FIXTURES,
    NEEDS_OPENAI,
    build,
    closed_port,
    first8,
    set_key,
)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    set_key(monkeypatch)


@NEEDS_OPENAI
def test_a_reasoning_model_cut_before_its_answer_is_told_to_raise_max_tokens(
    openai_server: Any,
) -> None:
    got = build(openai_server, "thought-cut", backoff_s=0).summarize(EXAMPLES[:1])
    assert openai_server.count() == 1
    assert got[0].error == (
        "the reply was cut off at the request's max_tokens (finish_reason 'length'); raise "
        "max_tokens or ask for a shorter answer. It has no text; the model wrote only its "
        "reasoning (280 characters of reasoning_content)"
    )


@NEEDS_OPENAI
def test_a_think_block_in_the_content_is_not_scored_as_summary(openai_server: Any) -> None:
    # Qwen3 or DeepSeek-R1 on a server without a reasoning parser: the summary
    # scored was the model's thinking and its answer together.
    got = build(openai_server, "think").summarize(EXAMPLES[:2])
    assert [g.summary for g in got] == [first8(example) for example in EXAMPLES[:2]]
    only, unclosed = (
        build(openai_server, model, backoff_s=0).summarize(EXAMPLES[:1])[0]
        for model in ("think-only", "think-open")
    )
    assert only.summary is None and only.error is not None
    assert "only the model's reasoning (a <think> block of" in only.error
    assert unclosed.summary is None and unclosed.error is not None
    assert "a <think> block never closed" in unclosed.error


@NEEDS_OPENAI
@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("empty", "the reply has no text (content is empty; finish_reason 'stop')"),
        ("blank", "the reply has no text (content is only whitespace; finish_reason 'stop')"),
        (
            "thought-only",
            "the reply has no text (content is empty; finish_reason 'stop'); the model wrote "
            "only its reasoning (280 characters of reasoning_content)",
        ),
    ],
)
def test_an_empty_reply_fails_its_example(openai_server: Any, model: str, expected: str) -> None:
    got = build(openai_server, model, backoff_s=0).summarize(EXAMPLES[:1])
    assert got[0].summary is None
    assert got[0].error is not None
    assert got[0].error.startswith(expected)
    assert openai_server.count() == 1  # an empty answer is the model's, not a glitch: no retry


@NEEDS_OPENAI
@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            "filtered",
            "the reply was stopped by the endpoint's content filter (finish_reason "
            "'content_filter'), so it is not the model's whole answer. It began: "
            "'Rain flooded Leeds on'",
        ),
        (
            "filtered-null",
            "the reply was stopped by the endpoint's content filter (finish_reason "
            "'content_filter'), so it is not the model's whole answer. It has no text",
        ),
        (
            "aborted",
            "the reply was aborted by the server (finish_reason 'abort'), so it is not the "
            "model's whole answer. It began: 'Rain flooded Leeds on'",
        ),
        (
            "tool-call",
            "the reply was a call of a tool (finish_reason 'tool_calls'), not an answer; no tool "
            "is offered: use a model or prompt that answers in text. It began: "
            "'Let me look that up.'",
        ),
    ],
)
def test_a_reply_that_is_no_whole_answer_fails_without_a_retry(
    openai_server: Any, model: str, expected: str
) -> None:
    # Before, "filtered" and "tool-call" were scored (and cached) as summaries.
    got = build(openai_server, model, backoff_s=0).summarize(EXAMPLES[:1])
    assert got[0].summary is None
    assert got[0].error == expected
    assert openai_server.count() == 1


@NEEDS_OPENAI
def test_a_refusal_fails_even_with_the_refusal_in_its_content(
    fake_openai: ModuleType, openai_server: Any
) -> None:
    # Before, the refusal text in `content` was scored (and cached) as the summary.
    got = build(openai_server, "refused", backoff_s=0).summarize(EXAMPLES[:1])
    assert got[0].summary is None
    assert got[0].error == f"the model refused: {fake_openai.REFUSAL!r}"
    assert openai_server.count() == 1


@NEEDS_OPENAI
def test_an_endpoint_that_never_answered_gets_no_more_requests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before, every example waited through its own retries: 12 examples took
    # 55 s (defaults) to report the same refused connection; 1,000 over an hour.
    waits: list[float] = []
    monkeypatch.setattr(openai_client, "_sleep", waits.append)
    url = f"http://127.0.0.1:{closed_port()}/v1"
    system = SystemConfig(
        name="api",
        backend="openai",
        params={"base_url": url, "model": "ok", "max_retries": 2, "concurrency": 1},
    )
    got = build_backend(system, BuildContext(config_dir=FIXTURES), "test").summarize(EXAMPLES)
    assert len(waits) == 2  # the first example's retries only
    errors = {generation.error for generation in got}
    assert len(errors) == 1
    [error] = errors
    assert error is not None
    assert error.startswith(f"could not connect to {url}: ConnectError")
    assert "(gave up after 3 attempts); the endpoint has answered no request" in error
    assert error.endswith("check base_url and that the server is running")


@NEEDS_OPENAI
def test_a_timeout_of_an_endpoint_that_never_answered_stops_the_rest(
    fake_openai: ModuleType, openai_server: Any
) -> None:
    got = build(openai_server, "slow", timeout_s=0.5, max_retries=0, concurrency=1).summarize(
        EXAMPLES
    )
    assert openai_server.count() == 1
    assert all(g.error is not None and "or raise timeout_s" in g.error for g in got)


@NEEDS_OPENAI
def test_an_endpoint_that_answered_before_retries_each_request(
    openai_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server that goes down mid-run: each example still gets its retries.
    waits: list[float] = []
    monkeypatch.setattr(openai_client, "_sleep", waits.append)
    got = build(openai_server, "drop-after:1", max_retries=1, concurrency=1).summarize(EXAMPLES)
    assert got[0].summary == first8(EXAMPLES[0])
    assert len(waits) == 2
    assert openai_server.count() == 5
    for generation in got[1:]:
        assert generation.error is not None
        assert generation.error.startswith("could not connect to")
        assert generation.error.endswith("(gave up after 2 attempts)")


@NEEDS_OPENAI
def test_a_spent_quota_is_not_retried_and_stops_the_requests(
    fake_openai: ModuleType, openai_server: Any
) -> None:
    # Before, each example was retried max_retries times, with backoff, for a
    # quota that no wait brings back.
    got = build(openai_server, "no-quota", concurrency=1, backoff_s=0).summarize(EXAMPLES)
    assert openai_server.count() == 1
    for generation in got:
        assert generation.error == (
            f"HTTP 429 from {openai_server.base_url}: '{fake_openai.QUOTA} (key [redacted])': the "
            "key's quota is spent; check the plan and billing of the key in $OPENAI_API_KEY"
        )


@NEEDS_OPENAI
def test_a_base_url_without_its_v1_says_to_check_base_url(openai_server: Any) -> None:
    root = openai_server.base_url.removesuffix("/v1")
    system = SystemConfig(name="api", backend="openai", params={"base_url": root, "model": "ok"})
    got = build_backend(system, BuildContext(config_dir=FIXTURES), "test").summarize(EXAMPLES[:1])
    assert openai_server.count() == 0  # the fake server records only its one route
    assert got[0].error == (
        f"HTTP 404 from {root}: 'no route /chat/completions'; check base_url (the API root "
        "that /chat/completions is under, often ending in /v1) and model 'ok'"
    )


@NEEDS_OPENAI
@pytest.mark.parametrize("value", ["localhost:8080/v1", "127.0.0.1:8080/v1", "ftp://host/v1"])
def test_an_openai_base_url_variable_that_is_no_url_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    # Before, each example was sent and retried ("UnsupportedProtocol"), the
    # message saying to check base_url, which the config does not set.
    monkeypatch.setenv("OPENAI_BASE_URL", value)
    system = SystemConfig(name="api", backend="openai", params={"model": "m"})
    with pytest.raises(ConfigError) as raised:
        build_backend(system, BuildContext(config_dir=FIXTURES), "test")
    assert str(raised.value).startswith(
        f"test: the openai backend: the environment variable OPENAI_BASE_URL is {value!r}, "
        "which is not an http:// or https:// URL with a host (params.base_url is not set"
    )


@NEEDS_OPENAI
def test_an_unreachable_openai_base_url_variable_is_named_as_what_to_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(openai_client, "_sleep", lambda seconds: None)
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{closed_port()}/v1")
    system = SystemConfig(
        name="api", backend="openai", params={"model": "m", "max_retries": 0, "concurrency": 1}
    )
    got = build_backend(system, BuildContext(config_dir=FIXTURES), "test").summarize(EXAMPLES)
    for generation in got:
        assert generation.error is not None
        assert generation.error.endswith(
            "check $OPENAI_BASE_URL (params.base_url is not set) and that the server is running"
        )


@pytest.mark.parametrize(
    "url", ["http:/127.0.0.1:8080/v1", "http://", "https:///v1", "http://127.0.0.1:80a/v1"]
)
def test_a_base_url_without_a_host_is_a_config_error(url: str) -> None:
    # Before, "http:/127.0.0.1:8080/v1" (one slash) passed: every example was
    # sent and retried ("Name or service not known"), then the run exited 4.
    system = SystemConfig(name="api", backend="openai", params={"model": "m", "base_url": url})
    with pytest.raises(ConfigError, match="expected an http:// or https:// URL with a host"):
        build_backend(system, BuildContext(config_dir=FIXTURES), "test")


@NEEDS_OPENAI
def test_a_content_of_parts_is_read_as_its_text_parts(openai_server: Any) -> None:
    # Before, a list content failed as malformed after a second (paid) request.
    got = build(openai_server, "parts", backoff_s=0).summarize(EXAMPLES)
    assert [g.summary for g in got] == [first8(example) for example in EXAMPLES]
    assert openai_server.count() == 3
    openai_server.reset()
    [only_thinking] = build(openai_server, "thinking-parts", backoff_s=0).summarize(EXAMPLES[:1])
    assert only_thinking.error == "the reply has no text (content is empty; finish_reason 'stop')"
    assert openai_server.count() == 1


@NEEDS_OPENAI
def test_an_error_after_a_redirect_says_where_it_was_redirected(openai_server: Any) -> None:
    # `http://` for an `https://` API: the 301 turns the POST into a GET, whose
    # 405 said only "HTTP 405 from <base_url>: 'Method Not Allowed'".
    got = build(openai_server, "moved:301", backoff_s=0).summarize(EXAMPLES[:1])
    assert got[0].error == (
        f"HTTP 405 from {openai_server.base_url} (redirected to {openai_server.base_url}/moved/"
        "chat/completions, asked with GET: set base_url to the API root the server redirects "
        "to): 'Method Not Allowed'"
    )
    # A redirect that keeps the POST (307, 308) is followed to its answer.
    followed = build(openai_server, "moved:307", backoff_s=0).summarize(EXAMPLES[:1])
    assert followed[0].summary == first8(EXAMPLES[0])


@NEEDS_OPENAI
def test_an_html_page_says_to_check_base_url(fake_openai: ModuleType, openai_server: Any) -> None:
    # A base_url at a web app's page, or a proxy's login page: before, only
    # "malformed response: not JSON: '<!doctype html>...'".
    got = build(openai_server, "html", backoff_s=0).summarize(EXAMPLES[:1])
    assert openai_server.count() == 2  # retried once, as any malformed answer
    assert got[0].error == (
        "malformed response: an HTML page, not JSON (check base_url: it must be the API root, "
        "not a web page; a proxy's login page answers so too): "
        f"{fake_openai.HTML_PAGE!r} (gave up after 2 attempts)"
    )
