"""The ``openai`` backend against a real local HTTP server.

The server is tests/fixtures/backend/fake_openai_server.py, on 127.0.0.1.

Retries, Retry-After, backoff, auth failures, timeouts, malformed answers,
concurrency, the key never leaking, and the cache making a re-run free.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rich.console import Console

from harness.backend import BuildContext, build_backend
from harness.backend import openai as openai_backend
from harness.clients import openai_client
from harness.config import SystemConfig, load_config
from harness.errors import ConfigError, MissingDependencyError
from harness.generation import _generation_key
from harness.records import Example
from harness.report import render_reports
from harness.runner import run_pipeline
from harness.store import Cache
from tests.fixtures.openai_calls import (
    EXAMPLES,
    FIXTURES,
    NEEDS_OPENAI,
    SECRET,
    build,
    closed_port,
    first8,
    set_key,
)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    set_key(monkeypatch)


@NEEDS_OPENAI
def test_summaries_in_order_with_the_key_and_prompts_sent(openai_server: Any) -> None:
    summarizer = build(
        openai_server, "ok", system_prompt="Be brief.", temperature=0.5, max_tokens=50
    )
    got = summarizer.summarize(EXAMPLES)
    assert [g.summary for g in got] == [first8(example) for example in EXAMPLES]
    assert all(g.error is None for g in got)
    assert openai_server.count() == 3
    request = openai_server.requests[0]
    assert request.authorization == f"Bearer {SECRET}"
    assert request.body["temperature"] == 0.5
    assert request.body["max_tokens"] == 50
    messages = request.body["messages"]
    assert messages[0] == {"role": "system", "content": "Be brief."}
    assert messages[1]["role"] == "user"
    assert messages[1]["content"].startswith("Summarize the following article")
    assert summarizer.summarize([]) == []


@NEEDS_OPENAI
def test_requests_run_concurrently_up_to_the_limit(openai_server: Any) -> None:
    got = build(openai_server, "sleep:300", concurrency=3).summarize(EXAMPLES * 2)
    assert all(g.summary for g in got)
    assert 2 <= openai_server.max_in_flight <= 3


@NEEDS_OPENAI
def test_429_waits_for_retry_after(openai_server: Any) -> None:
    start = time.monotonic()
    got = build(openai_server, "429-then-ok:1:1", backoff_s=0).summarize(EXAMPLES[:1])
    elapsed = time.monotonic() - start
    assert got[0].summary == first8(EXAMPLES[0])
    assert openai_server.count() == 2
    assert 0.9 <= elapsed < 5
    gap = openai_server.requests[1].at - openai_server.requests[0].at
    assert gap >= 0.9


@NEEDS_OPENAI
def test_retry_after_zero_overrides_a_long_backoff(openai_server: Any) -> None:
    start = time.monotonic()
    got = build(openai_server, "429-then-ok:2:0", backoff_s=20).summarize(EXAMPLES[:1])
    assert got[0].summary == first8(EXAMPLES[0])
    assert openai_server.count() == 3
    assert time.monotonic() - start < 3


@NEEDS_OPENAI
def test_500_is_retried_until_ok(openai_server: Any) -> None:
    got = build(openai_server, "500-then-ok:2", backoff_s=0.01).summarize(EXAMPLES[:1])
    assert got[0].summary == first8(EXAMPLES[0])
    assert openai_server.count() == 3


@NEEDS_OPENAI
def test_always_500_gives_up_with_the_last_error(openai_server: Any) -> None:
    got = build(openai_server, "always-500", max_retries=2, backoff_s=0.01).summarize(EXAMPLES[:2])
    assert openai_server.count() == 6
    for generation in got:
        assert generation.summary is None
        assert generation.error is not None
        assert "HTTP 500" in generation.error
        assert "the server had an error" in generation.error
        assert "gave up after 3 attempts" in generation.error


@NEEDS_OPENAI
def test_backoff_is_exponential_with_seeded_full_jitter_and_a_cap(
    openai_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(openai_client, "_sleep", waits.append)
    build(openai_server, "always-500", max_retries=6, backoff_s=1.0).summarize(EXAMPLES[:1])
    assert len(waits) == 6
    for attempt, wait in enumerate(waits):
        assert 0 <= wait <= min(openai_backend.BACKOFF_CAP_S, 2**attempt)
    first = list(waits)
    waits.clear()
    build(openai_server, "always-500", max_retries=6, backoff_s=1.0).summarize(EXAMPLES[:1])
    assert waits == first  # seeded by the run's seed and the example id
    waits.clear()
    build(openai_server, "always-500", max_retries=3, backoff_s=100.0).summarize(EXAMPLES[:1])
    assert all(wait <= openai_backend.BACKOFF_CAP_S for wait in waits)
    assert len(set(waits)) == 3


@NEEDS_OPENAI
@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("401", "authentication failed (401): check the key in $OPENAI_API_KEY"),
        ("403", "permission denied (403): check the key in $OPENAI_API_KEY"),
    ],
)
def test_auth_failures_are_not_retried(openai_server: Any, model: str, expected: str) -> None:
    summarizer = build(openai_server, model, concurrency=1, backoff_s=0)
    got = summarizer.summarize(EXAMPLES)
    assert openai_server.count() == 1  # no retry, and no request after the key was rejected
    for generation in got:
        assert generation.error is not None
        assert generation.error.startswith(expected)
        assert SECRET not in generation.error
    assert summarizer.summarize(EXAMPLES[:1])[0].error is not None
    assert openai_server.count() == 1


@NEEDS_OPENAI
def test_other_client_errors_fail_at_once(openai_server: Any) -> None:
    got = build(openai_server, "404", backoff_s=0).summarize(EXAMPLES[:1])
    assert openai_server.count() == 1
    assert got[0].error is not None
    assert got[0].error.startswith("HTTP 404 from http://127.0.0.1:")
    assert "Incorrect API key provided" in got[0].error


@NEEDS_OPENAI
def test_timeouts_are_retried_then_fail(fake_openai: ModuleType, openai_server: Any) -> None:
    start = time.monotonic()
    got = build(openai_server, "slow", timeout_s=1, max_retries=1, backoff_s=0).summarize(
        EXAMPLES[:1]
    )
    assert time.monotonic() - start < 2 * fake_openai.SLOW_S
    assert openai_server.count() == 2
    assert got[0].error == (
        "request timed out after 1 s (gave up after 2 attempts); the endpoint has answered no "
        "request, so no more are sent: check base_url and that the server is running, or raise "
        "timeout_s"
    )


@NEEDS_OPENAI
@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("malformed", "malformed response: not JSON: '{\"choices\": [ this is not json'"),
        ("no-choices", "malformed response: no choices"),
    ],
)
def test_malformed_answers_are_retried_once(openai_server: Any, model: str, expected: str) -> None:
    got = build(openai_server, model, backoff_s=0).summarize(EXAMPLES[:1])
    assert openai_server.count() == 2
    assert got[0].error is not None
    assert got[0].error.startswith(expected)
    assert got[0].error.endswith("(gave up after 2 attempts)")


@NEEDS_OPENAI
def test_a_reply_cut_at_max_tokens_fails_without_a_retry(openai_server: Any) -> None:
    got = build(openai_server, "cut", backoff_s=0).summarize(EXAMPLES[:1])
    assert openai_server.count() == 1
    assert got[0].summary is None
    assert got[0].error == (
        "the reply was cut off at the request's max_tokens (finish_reason 'length'); raise "
        f"max_tokens or ask for a shorter answer. It began: {first8(EXAMPLES[0])!r}"
    )


@NEEDS_OPENAI
def test_a_short_key_is_masked_only_where_it_stands_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, text, expected in [
        ("x", "content is not text; key=x", "content is not text; key=[redacted]"),
        (SECRET, f"Bearer {SECRET}abc", "Bearer [redacted]abc"),
    ]:
        monkeypatch.setenv("OPENAI_API_KEY", key)
        client = openai_client.open_client(
            openai_client.EndpointParams(base_url="http://127.0.0.1:9/v1", model="m"),
            "test",
            temperature=0.0,
            backoff_s=0.0,
        )
        assert client.scrub(text) == expected


@NEEDS_OPENAI
def test_one_malformed_answer_then_ok_succeeds(openai_server: Any) -> None:
    got = build(openai_server, "malformed-then-ok", backoff_s=0).summarize(EXAMPLES[:1])
    assert got[0].summary == first8(EXAMPLES[0])
    assert openai_server.count() == 2


@NEEDS_OPENAI
def test_connection_errors_are_retried_then_fail() -> None:
    port = closed_port()
    system = SystemConfig(
        name="api",
        backend="openai",
        params={
            "base_url": f"http://127.0.0.1:{port}/v1",
            "model": "ok",
            "max_retries": 1,
            "backoff_s": 0,
            "timeout_s": 5,
        },
    )
    got = build_backend(system, BuildContext(config_dir=FIXTURES), "test").summarize(EXAMPLES[:1])
    assert got[0].error is not None
    assert got[0].error.startswith(f"could not connect to http://127.0.0.1:{port}/v1")
    assert got[0].error.endswith(
        "(gave up after 2 attempts); the endpoint has answered no request, so no more are "
        "sent: check base_url and that the server is running"
    )


@NEEDS_OPENAI
def test_empty_source_fails_without_a_request(openai_server: Any) -> None:
    got = build(openai_server, "ok").summarize([Example(id="blank", source="  \n")])
    assert got[0].error == "empty source"
    assert openai_server.count() == 0


@NEEDS_OPENAI
def test_a_missing_key_is_a_config_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MY_KEY", raising=False)
    system = SystemConfig(
        name="api",
        backend="openai",
        params={"base_url": "https://api.example.com/v1", "model": "m", "api_key_env": "MY_KEY"},
    )
    with pytest.raises(ConfigError, match=r"environment variable MY_KEY is not set"):
        build_backend(system, BuildContext(config_dir=FIXTURES), "test")
    # `export MY_KEY=` (or a key file that was empty): before, it too said "is not set".
    monkeypatch.setenv("MY_KEY", " \n")
    with pytest.raises(ConfigError, match=r"environment variable MY_KEY is empty \(it must"):
        build_backend(system, BuildContext(config_dir=FIXTURES), "test")


@NEEDS_OPENAI
def test_a_local_server_needs_no_key(openai_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    got = build(openai_server, "ok").summarize(EXAMPLES[:1])
    assert got[0].summary == first8(EXAMPLES[0])
    assert openai_server.requests[0].authorization == f"Bearer {openai_backend.LOCAL_DUMMY_KEY}"


def test_a_key_pasted_as_the_variable_name_is_rejected_without_echoing_it() -> None:
    system = SystemConfig(
        name="api", backend="openai", params={"model": "m", "api_key_env": SECRET}
    )
    with pytest.raises(ConfigError) as raised:
        build_backend(system, BuildContext(config_dir=FIXTURES), "test")
    assert "NAME of an environment variable" in str(raised.value)
    assert SECRET not in str(raised.value)


@NEEDS_OPENAI
def test_fingerprint_names_the_variable_never_the_key(openai_server: Any) -> None:
    fingerprint = build(openai_server, "ok").fingerprint
    assert fingerprint.model == "ok"
    assert fingerprint.params["api_key_env"] == "OPENAI_API_KEY"
    assert fingerprint.params["base_url"] == openai_server.base_url
    assert SECRET not in json.dumps(fingerprint.model_dump())
    assert SECRET not in repr(build(openai_server, "ok"))
    # Transport settings do not change what is generated; the prompt does.
    assert build(openai_server, "ok", concurrency=1, timeout_s=5).fingerprint == fingerprint
    other = build(openai_server, "ok", prompt="Summarize: {source}").fingerprint
    assert other.digest() != fingerprint.digest()


def test_missing_openai_package_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "openai", None)
    system = SystemConfig(name="api", backend="openai", params={"model": "m"})
    with pytest.raises(MissingDependencyError) as raised:
        build_backend(system, BuildContext(config_dir=FIXTURES), "test")
    assert "pip install 'harness[api]'" in str(raised.value)


def write_config(tmp_path: Path, base_url: str) -> Path:
    rows = [{"id": example.id, "text": example.source} for example in EXAMPLES]
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    config = tmp_path / "run.yaml"
    config.write_text(
        f"""\
name: openai-test
benchmark:
  path: {data}
  fields: {{id: id, source: text}}
systems:
  - {{name: api, backend: openai, params: {{base_url: "{base_url}", model: ok}}}}
  - name: rejected
    backend: openai
    params: {{base_url: "{base_url}", model: "401", max_retries: 2, concurrency: 1}}
metrics: [length, fragments]
out: {tmp_path / "run"}
cache: {tmp_path / "cache"}
""",
        encoding="utf-8",
    )
    return config


def run(config_path: Path) -> dict[str, Any]:
    summary = run_pipeline(
        load_config(config_path),
        origin=str(config_path),
        config_dir=config_path.parent,
        console=Console(quiet=True),
        render=render_reports,
    )
    return summary.manifest


@NEEDS_OPENAI
def test_pipeline_records_failures_caches_answers_and_never_writes_the_key(
    openai_server: Any, tmp_path: Path
) -> None:
    config = write_config(tmp_path, openai_server.base_url)
    manifest = run(config)
    assert openai_server.count("ok") == 3
    assert openai_server.count("401") == 1
    outputs = [
        json.loads(line)
        for line in (tmp_path / "run" / "outputs.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    by_system: dict[str, list[dict[str, Any]]] = {}
    for row in outputs:
        by_system.setdefault(row["system"], []).append(row)
    assert [row["summary"] for row in by_system["api"]] == [first8(e) for e in EXAMPLES]
    assert all(
        row["error"].startswith("authentication failed (401): check the key in $OPENAI_API_KEY")
        for row in by_system["rejected"]
    )
    fingerprint = manifest["components"]["systems"]["api"]
    assert fingerprint["params"]["api_key_env"] == "OPENAI_API_KEY"
    results = json.loads((tmp_path / "run" / "results.json").read_text(encoding="utf-8"))
    assert results["failures"] == {"api": 0, "rejected": 3}

    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len(files) > 5
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path

    # the model the endpoint says answered (the fake one echoes the request's)
    assert [row["served_model"] for row in by_system["api"]] == ["ok"] * 3
    assert [row["served_model"] for row in by_system["rejected"]] == [None] * 3
    assert manifest["served_models"] == {"api": {"ok": 3}}

    openai_server.reset()
    again = run(config)
    assert openai_server.count("ok") == 0  # every answer came from the cache
    assert openai_server.count("401") == 1  # failures are not cached: tried again, once
    assert again["served_models"] == {"api": {"ok": 3}}  # the cache keeps who wrote it


@NEEDS_OPENAI
def test_sampling_sends_the_run_seed_and_fingerprints_it(openai_server: Any) -> None:
    sampling = build(openai_server, "ok", temperature=0.7)
    sampling.summarize(EXAMPLES[:1])
    assert openai_server.requests[0].body["seed"] == 0
    assert sampling.fingerprint.params["seed"] == 0
    system = SystemConfig(
        name="api",
        backend="openai",
        params={"base_url": openai_server.base_url, "model": "ok", "temperature": 0.7},
    )
    other_seed = build_backend(system, BuildContext(config_dir=FIXTURES, seed=1), "test")
    assert other_seed.fingerprint.digest() != sampling.fingerprint.digest()
    openai_server.reset()
    other_seed.summarize(EXAMPLES[:1])
    assert openai_server.requests[0].body["seed"] == 1


@NEEDS_OPENAI
def test_greedy_requests_send_no_seed_and_share_one_fingerprint(openai_server: Any) -> None:
    greedy = build(openai_server, "ok")
    greedy.summarize(EXAMPLES[:1])
    assert "seed" not in openai_server.requests[0].body
    assert "seed" not in greedy.fingerprint.params
    system = SystemConfig(
        name="api", backend="openai", params={"base_url": openai_server.base_url, "model": "ok"}
    )
    other_seed = build_backend(system, BuildContext(config_dir=FIXTURES, seed=7), "test")
    assert other_seed.fingerprint == greedy.fingerprint


@NEEDS_OPENAI
@pytest.mark.parametrize(("temperature", "requests_at_seed_1"), [(0.7, 3), (0.0, 0)])
def test_another_seed_draws_a_new_sample_only_when_sampling(
    openai_server: Any, tmp_path: Path, temperature: float, requests_at_seed_1: int
) -> None:
    # `--set seed=1` to draw a second sample must not be served the seed-0 summaries.
    config = write_config(tmp_path, openai_server.base_url)
    text = config.read_text(encoding="utf-8").replace(
        "model: ok}", f"model: ok, temperature: {temperature}}}"
    )
    config.write_text(text, encoding="utf-8")
    run(config)
    assert openai_server.count("ok") == 3
    openai_server.reset()
    run(config)
    assert openai_server.count("ok") == 0  # the same seed: from the cache
    config.write_text(text + "seed: 1\n", encoding="utf-8")
    manifest = run(config)
    assert openai_server.count("ok") == requests_at_seed_1
    seeds = {
        request.body.get("seed") for request in openai_server.requests if request.model == "ok"
    }
    assert seeds == ({1} if temperature else set())
    assert manifest["cache"]["generation"]["misses"] >= requests_at_seed_1


@NEEDS_OPENAI
def test_an_empty_reply_is_not_cached_and_is_asked_again(
    openai_server: Any, tmp_path: Path
) -> None:
    # Before, "" was a summary: cached, so every rerun served it without asking again.
    config = write_config(tmp_path, openai_server.base_url)
    config.write_text(
        config.read_text(encoding="utf-8").replace("model: ok}", "model: empty}"), encoding="utf-8"
    )
    run(config)
    assert openai_server.count("empty") == 3
    rows = (tmp_path / "run" / "outputs.jsonl").read_text(encoding="utf-8").splitlines()
    api = [json.loads(line) for line in rows if json.loads(line)["system"] == "api"]
    assert [row["summary"] for row in api] == [None] * 3
    assert all(row["error"].startswith("the reply has no text") for row in api)
    openai_server.reset()
    run(config)
    assert openai_server.count("empty") == 3


@NEEDS_OPENAI
def test_answers_arriving_out_of_order_stay_with_their_examples(openai_server: Any) -> None:
    examples = [
        Example(id=f"e{index}", source=f"Story {index}: {' '.join(['word'] * index)} ends here.")
        for index in range(12)
    ]
    got = build(openai_server, "shuffle", concurrency=6).summarize(examples)
    assert [g.summary for g in got] == [first8(example) for example in examples]
    arrival = [request.body["messages"][0]["content"] for request in openai_server.requests]
    assert len(set(arrival)) == 12


@NEEDS_OPENAI
def test_summaries_cached_by_version_1_are_not_served(openai_server: Any, tmp_path: Path) -> None:
    # Version 1 cached an empty reply, a refusal copied into content, and the
    # text of a reply a content filter or a tool call stopped, as summaries.
    config = write_config(tmp_path, openai_server.base_url)
    old = build(openai_server, "ok").fingerprint.model_copy(update={"version": "1"})
    cache = Cache(tmp_path / "cache" / "cache.sqlite")
    empty = {"summary": "", "latency_s": 0.1, "truncated_tokens": None, "cut_off": None}
    cache.put_many("generation", {_generation_key(old.digest(), e, False): empty for e in EXAMPLES})
    cache.close()
    run(config)
    assert openai_server.count("ok") == 3
    rows = (tmp_path / "run" / "outputs.jsonl").read_text(encoding="utf-8").splitlines()
    api = [json.loads(line) for line in rows if json.loads(line)["system"] == "api"]
    assert [row["summary"] for row in api] == [first8(e) for e in EXAMPLES]
