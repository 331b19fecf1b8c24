"""The client for OpenAI-compatible chat-completions endpoints, shared by what talks to one.

The ``openai`` backend (`harness.backend.openai`) and the ``llm_judge``
metric (`harness.metric.llm_judge`) both send their requests through
`ChatClient`, so both follow one policy, through the official ``openai``
client (its own retries are switched off, so the policy below is the only one):

- 429, 408, 409 and 5xx answers, timeouts and connection errors are retried
  up to ``max_retries`` times, waiting ``Retry-After`` (seconds, or an HTTP
  date; ``retry-after-ms`` too) when the server sends it, else an exponential
  backoff with full jitter: a uniform draw from ``[0, min(30, backoff_s ·
  2^attempt)]`` seconds, drawn from the caller's seeded generator;
- 401 and 403 fail at once, with no retry; the client then sends no further
  request (every later request fails with the same message); so does a 429
  whose error code is ``insufficient_quota`` (the key's quota is spent: no
  wait helps);
- other 4xx answers (a bad request, an unknown model) fail at once; a 404
  says to check ``base_url`` and ``model``; an error answered after a
  redirect (which the client follows) names where it was redirected;
- when a request gives up on connection errors or timeouts and the endpoint
  has answered no request yet (a wrong ``base_url``, a server that is down),
  the client sends no further request: every later one fails at once with
  that message, which says to check ``base_url`` (an endpoint that has
  answered before retries each request, as above);
- a 200 answer that is not JSON or has no ``choices[0].message.content`` is
  retried once, then fails naming what was wrong;
- with ``whole`` (the ``openai`` backend), a reply the model did not end as a
  whole answer fails at once: cut off at ``max_tokens`` (``finish_reason:
  length``), stopped by a content filter (``content_filter``), aborted by the
  server (``abort``, vLLM), or a tool call (``tool_calls``, ``function_call``);
- a ``content`` given as a list of parts is read as its ``text`` parts
  (a reasoning model's ``thinking`` parts are left out), and a ``<think>…</think>``
  block that opens the ``content`` is left out (a reply that is only that
  block, or never closes it, fails);
- a reply with a ``refusal`` fails at once, whatever its ``content`` holds;
- a reply whose content is empty or only whitespace fails at once (never an
  empty answer, which the cache would keep), saying whether the model wrote
  only its reasoning (``reasoning_content``) instead.

The API key is read from the environment variable named by ``api_key_env``
when the client is opened (`open_client`); only the variable's *name* appears
in fingerprints, configs, manifests and messages, and any echo of the key in a
server's error message is masked. This module sits below both the backends and
the metrics: it imports neither.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from harness.errors import ConfigError, MissingDependencyError
from harness.records import excerpt
from harness.text.reasoning import answer_after_thinking

BACKOFF_CAP_S = 30.0
#: The longest ``Retry-After`` obeyed; a longer one is cut to this.
RETRY_AFTER_CAP_S = 120.0
#: Sent to local servers that need no key when ``api_key_env`` is not set.
LOCAL_DUMMY_KEY = "sk-no-key-required"
_RETRY_STATUSES = frozenset({408, 409, 429})
_AUTH_STATUSES = frozenset({401, 403})
#: The error code of a 429 that no retry helps: the key's quota is spent.
_NO_QUOTA = "insufficient_quota"
_MALFORMED_RETRIES = 1
#: The ``finish_reason`` of a reply that is not a whole answer, and what it is instead.
_UNFINISHED = {
    "length": "cut off at the request's max_tokens (finish_reason 'length'); raise max_tokens "
    "or ask for a shorter answer",
    "content_filter": "stopped by the endpoint's content filter (finish_reason "
    "'content_filter'), so it is not the model's whole answer",
    # vLLM's, for a request it aborted (preempted, or the engine stopped) part-way
    "abort": "aborted by the server (finish_reason 'abort'), so it is not the model's whole answer",
    "tool_calls": "a call of a tool (finish_reason 'tool_calls'), not an answer; no tool is "
    "offered: use a model or prompt that answers in text",
    "function_call": "a call of a function (finish_reason 'function_call'), not an answer; no "
    "function is offered: use a model or prompt that answers in text",
}
#: Where servers put a reasoning model's thinking, apart from the answer (``content``).
_REASONING_FIELDS = ("reasoning_content", "reasoning")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_REDACTED = "[redacted]"
#: Where the endpoint is read from when ``base_url`` is not set (as the ``openai`` client does).
_URL_VARIABLE = "OPENAI_BASE_URL"
_OPENAI_URL = "https://api.openai.com/v1"
#: A key this long is masked wherever it occurs; a shorter one only where it stands alone.
_WHOLE_KEY_CHARS = 12
#: How the client waits between attempts (a module global so tests can record the waits).
_sleep = time.sleep

_Item = TypeVar("_Item")
_Answer = TypeVar("_Answer")


def _is_http_url(value: str) -> bool:
    """Whether ``value`` is an http(s) URL with a host (not ``http:/host``, ``http://``).

    >>> _is_http_url("http://127.0.0.1:8080/v1"), _is_http_url("http:/127.0.0.1:8080/v1")
    (True, False)
    """
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class EndpointParams(BaseModel):
    """Connection params shared by everything that talks to an OpenAI-compatible
    endpoint (the ``openai`` backend, the ``llm_judge`` metric).

    Attributes:
        model: Model name sent to the endpoint (``gpt-4o-mini``, or whatever
            a local server serves).
        base_url: The API root, e.g. ``http://127.0.0.1:8080/v1``; default:
            ``$OPENAI_BASE_URL`` (an http:// or https:// URL too), else
            ``https://api.openai.com/v1``.
        api_key_env: The *name* of the environment variable holding the key
            (never the key itself). When it is unset, a local endpoint
            (localhost, 127.0.0.1, ::1) gets a dummy key; any other is an error.
        max_tokens: Most tokens per answer (the request's ``max_tokens``).
        concurrency: Requests in flight at once within a batch.
        timeout_s: Seconds one request may take.
        max_retries: Retries after the first attempt for retryable failures.
    """

    model_config = ConfigDict(extra="forbid")

    model: str = Field(min_length=1)
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    max_tokens: int = Field(default=200, ge=1)
    concurrency: int = Field(default=4, ge=1, le=256)
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=5, ge=0, le=100)

    @field_validator("base_url")
    @classmethod
    def _is_url(cls, value: str | None) -> str | None:
        if value is not None and not _is_http_url(value):
            raise ValueError(
                "expected an http:// or https:// URL with a host, e.g. http://127.0.0.1:8080/v1"
            )
        return value

    @model_validator(mode="after")
    def _key_name(self) -> EndpointParams:
        # A model validator, so that the message never repeats the value: a
        # key pasted here by mistake must not be printed.
        if not _ENV_NAME.fullmatch(self.api_key_env):
            raise ValueError(
                "api_key_env must be the NAME of an environment variable (e.g. OPENAI_API_KEY) "
                "that holds the key, never the key itself"
            )
        return self


def is_local_url(url: str) -> bool:
    """Whether ``url`` points at this machine (a server that may need no key).

    >>> is_local_url("http://127.0.0.1:8080/v1"), is_local_url("https://api.openai.com/v1")
    (True, False)
    """
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _shown(text: str) -> str:
    return excerpt(text.strip())


def retry_after_s(headers: Any) -> float | None:
    """Seconds a ``Retry-After`` / ``retry-after-ms`` header asks to wait, else None.

    >>> retry_after_s({"retry-after": "2"}), retry_after_s({"retry-after-ms": "1500"})
    (2.0, 1.5)
    """
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


@dataclass(frozen=True)
class _Attempt:
    """The outcome of one request.

    Attributes:
        summary: The answer, or ``None``.
        error: Why there is no answer.
        retry: Whether trying again may help.
        wait_s: The wait the server asked for (``Retry-After``), if any.
        auth: The key cannot be used (401/403, or its quota is spent): no
            request is sent after it.
        unanswered: No answer came at all (no connection, or a timeout).
        malformed: The server answered 200 with something unusable.
    """

    summary: str | None = None
    error: str = ""
    retry: bool = False
    wait_s: float | None = None
    auth: bool = False
    unanswered: bool = False
    malformed: bool = False
    model: str | None = None


class Reply(NamedTuple):
    """The outcome of `ChatClient.complete`.

    Attributes:
        text: The answer, or ``None``.
        error: Why there is none (``""`` with an answer).
        model: The model the endpoint says answered (its ``model`` field: the
            snapshot behind an alias such as ``gpt-4o-mini``), if it says.
    """

    text: str | None
    error: str
    model: str | None = None


def _read_answer(text: str, *, whole: bool, url_from: str = "base_url") -> _Attempt:
    """Take the summary out of a chat-completions response body (with ``whole``, only
    one the model finished: not cut off at ``max_tokens``, nor by a content filter,
    nor a tool call; see `_UNFINISHED`). ``url_from`` names what set the endpoint,
    for the message about an HTML page."""
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        if text.lstrip().startswith("<"):
            # A web app's page (a base_url that is not the API root) or a proxy's login page.
            return _Attempt(
                error=f"malformed response: an HTML page, not JSON (check {url_from}: it must "
                f"be the API root, not a web page; a proxy's login page answers so too): "
                f"{_shown(text)}",
                malformed=True,
            )
        return _Attempt(error=f"malformed response: not JSON: {_shown(text)}", malformed=True)
    choices = body.get("choices") if isinstance(body, dict) else None
    if not isinstance(choices, list) or not choices:
        return _Attempt(
            error=f"malformed response: no choices (expected choices[0].message.content): "
            f"{_shown(text)}",
            malformed=True,
        )
    choice: dict[str, Any] = choices[0] if isinstance(choices[0], dict) else {}
    message: dict[str, Any] = choice.get("message") or {}
    if not isinstance(message, dict):
        message = {}
    content, refusal = _content(message)
    finish = choice.get("finish_reason")
    if isinstance(refusal, str) and refusal.strip():
        # Whatever ``content`` holds then (some servers copy the refusal there), it is no answer.
        return _Attempt(error=f"the model refused: {_shown(refusal)}")
    if whole and isinstance(finish, str) and finish in _UNFINISHED:
        # A half-written answer (or none), never one to score (nor cache).
        began = (
            f". It began: {_shown(content)}"
            if isinstance(content, str) and content.strip()
            else f". It has no text{_thought(message)}"
        )
        return _Attempt(error=f"the reply was {_UNFINISHED[finish]}{began}")
    if not isinstance(content, str):
        return _Attempt(
            error=f"malformed response: choices[0].message.content is missing or not text "
            f"(finish_reason={finish!r}): {_shown(text)}",
            malformed=True,
        )
    if not content.strip():
        return _Attempt(error=_no_text(message, finish, content))
    served = body.get("model")
    return replace(_without_thinking(content), model=served if isinstance(served, str) else None)


def _without_thinking(content: str) -> _Attempt:
    """The answer after a reasoning model's ``<think>…</think>`` block that a server
    left in ``content`` (`harness.text.reasoning`); a reply that is only such a
    block, or one never closed, has no answer to score."""
    answer, error = answer_after_thinking(content)
    return _Attempt(summary=answer) if answer is not None else _Attempt(error=error or "")


def _content(message: dict[str, Any]) -> tuple[Any, Any]:
    """The reply's ``content`` and ``refusal``; a content given as a list of parts
    (Mistral's reasoning models: ``[{"type": "thinking", ...}, {"type": "text",
    "text": ...}]``) is read as its text parts joined, any other part left out
    (a ``refusal`` part is the refusal)."""
    content, refusal = message.get("content"), message.get("refusal")
    if not isinstance(content, list) or not all(isinstance(part, dict) for part in content):
        return content, refusal
    texts = [part.get("text") for part in content if part.get("type") == "text"]
    refusals = [part.get("refusal") for part in content if part.get("type") == "refusal"]
    if not all(isinstance(text, str) for text in texts):
        return None, refusal
    refused = [text for text in refusals if isinstance(text, str) and text.strip()]
    return "".join(texts), refusal or (refused[0] if refused else None)


def _no_text(message: dict[str, Any], finish: Any, content: str) -> str:
    """Why a reply whose content is empty or whitespace is no answer, and what it held instead."""
    what = "empty" if not content else "only whitespace"
    error = f"the reply has no text (content is {what}; finish_reason {finish!r})"
    thought = _thought(message)
    if thought:
        error += (
            f"{thought}: raise max_tokens, or use a model or prompt that answers after thinking"
        )
    return error


def _thought(message: dict[str, Any]) -> str:
    """A note on the reasoning a reply with no text holds (``reasoning_content``), or ``""``."""
    for field in _REASONING_FIELDS:
        thought = message.get(field)
        if isinstance(thought, str) and thought.strip():
            return f"; the model wrote only its reasoning ({len(thought)} characters of {field})"
    return ""


def _error_code(error: Any) -> str | None:
    """The ``code`` (else ``type``) of an error answer's ``error`` object, if any."""
    body = getattr(error, "body", None)
    inner = body.get("error", body) if isinstance(body, dict) else None
    if not isinstance(inner, dict):
        return None
    code = inner.get("code") or inner.get("type")
    return code if isinstance(code, str) else None


def _redirect_note(error: Any) -> str:
    """Where a status error came from when the server redirected the request
    (``http://`` for an ``https://`` API: a 301 turns the POST into a GET), else ``""``."""
    response: Any = getattr(error, "response", None)
    if not getattr(response, "history", None):
        return ""
    method = getattr(getattr(response, "request", None), "method", "?")
    return (
        f" (redirected to {response.url}, asked with {method}: set base_url to the API root "
        "the server redirects to)"
    )


def _server_message(error: Any) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return str(message)
    response = getattr(error, "response", None)
    text = getattr(response, "text", "") if response is not None else ""
    return text or str(error)


class ChatClient:
    """Send chat-completions requests with the retry policy above.

    Args:
        params: The endpoint's params.
        client: An ``openai.OpenAI`` client (``max_retries=0``).
        key: The API key, kept only to mask it in messages.
        base_url: The endpoint's API root as the client resolved it.
        temperature: Sampling temperature of every request.
        backoff_s: Base of the exponential backoff between retries.
        seed: The ``seed`` of every request (OpenAI-compatible servers draw
            their sample with it), or ``None`` to send none.
        whole: Fail a reply cut off at ``max_tokens`` (``finish_reason:
            length``): a summary must be whole; a judge's score may come first.
        url_from: What set ``base_url``, for messages: ``"base_url"`` (the
            param), or ``$OPENAI_BASE_URL``.
    """

    def __init__(
        self,
        params: EndpointParams,
        client: Any,
        key: str,
        base_url: str,
        *,
        temperature: float,
        backoff_s: float,
        seed: int | None = None,
        whole: bool = True,
        url_from: str = "base_url",
    ) -> None:
        self._whole = whole
        self._url_from = url_from
        self._params = params
        self._client = client
        self._key = key
        self.base_url = base_url
        self._temperature = temperature
        self._seed = seed
        self._backoff_s = backoff_s
        self._auth_failure: str | None = None
        self._answered = False
        self._unreachable: str | None = None
        self._lock = threading.Lock()

    def map(self, ask: Callable[[_Item], _Answer], items: Sequence[_Item]) -> list[_Answer]:
        """``ask`` over ``items``, ``concurrency`` at a time; the answers in order."""
        if not items:
            return []
        workers = min(self._params.concurrency, len(items))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="harness-openai") as pool:
            return list(pool.map(ask, items))

    def complete(self, messages: list[dict[str, str]], rng: random.Random) -> Reply:
        """One answer, with the retries: ``Reply(answer, "", model)``, or
        ``Reply(None, why there is none)``.

        Args:
            messages: The chat messages of the request.
            rng: Draws the backoff jitter (seed it per request for reproducible waits).
        """
        attempts = 0
        malformed = 0
        while True:
            stopped = self._auth_failure or self._unreachable
            if stopped is not None:
                return Reply(None, stopped)
            attempts += 1
            attempt = self._request(messages)
            if attempt.summary is not None:
                return Reply(attempt.summary, "", attempt.model)
            if attempt.auth:
                with self._lock:
                    self._auth_failure = self._auth_failure or self.scrub(attempt.error)
                return Reply(None, self._auth_failure)
            malformed += attempt.malformed
            retry = attempt.retry or (attempt.malformed and malformed <= _MALFORMED_RETRIES)
            if not retry or attempts > self._params.max_retries:
                tries = f" (gave up after {attempts} attempts)" if attempts > 1 else ""
                error = self.scrub(attempt.error + tries)
                return Reply(None, self._never_answered(error) if attempt.unanswered else error)
            _sleep(self._delay(attempt, attempts, rng))

    def _heard(self) -> None:
        with self._lock:
            self._answered = True

    def _never_answered(self, error: str) -> str:
        # The endpoint never answered (a wrong base_url, a server that is down):
        # the other requests are not sent, each to wait through its own
        # retries. An endpoint that has answered before keeps retrying each.
        with self._lock:
            if self._answered:
                return error
            if self._unreachable is None:
                fix = f"check {self._url_from} and that the server is running"
                if error.startswith("request timed out"):
                    fix += ", or raise timeout_s"
                self._unreachable = (
                    f"{error}; the endpoint has answered no request, so no more are sent: {fix}"
                )
            return self._unreachable

    def _delay(self, attempt: _Attempt, attempts: int, rng: random.Random) -> float:
        if attempt.wait_s is not None:
            return min(attempt.wait_s, RETRY_AFTER_CAP_S)
        ceiling = min(BACKOFF_CAP_S, self._backoff_s * 2 ** (attempts - 1))
        return rng.uniform(0.0, ceiling)

    def _request(self, messages: list[dict[str, str]]) -> _Attempt:
        import openai

        seed = {} if self._seed is None else {"seed": self._seed}
        try:
            raw = self._client.chat.completions.with_raw_response.create(
                model=self._params.model,
                messages=messages,
                temperature=self._temperature,
                max_tokens=self._params.max_tokens,
                **seed,
            )
        except openai.APITimeoutError:
            return _Attempt(
                error=f"request timed out after {self._params.timeout_s:g} s",
                retry=True,
                unanswered=True,
            )
        except openai.APIConnectionError as error:
            cause = error.__cause__ or error
            return _Attempt(
                error=f"could not connect to {self.base_url}: {type(cause).__name__}: {cause}",
                retry=True,
                unanswered=True,
            )
        except openai.APIStatusError as error:
            self._heard()
            return self._status_failure(error)
        self._heard()
        return _read_answer(raw.text, whole=self._whole, url_from=self._url_from)

    def _status_failure(self, error: Any) -> _Attempt:
        status = int(error.status_code)
        variable = f"${self._params.api_key_env}"
        if status in _AUTH_STATUSES:
            what = "authentication failed" if status == 401 else "permission denied"
            return _Attempt(
                error=f"{what} ({status}): check the key in {variable}"
                + (f" and its access to model {self._params.model!r}" if status == 403 else ""),
                auth=True,
            )
        message = (
            f"HTTP {status} from {self.base_url}{_redirect_note(error)}: "
            f"{_shown(_server_message(error))}"
        )
        if status == 429 and _error_code(error) == _NO_QUOTA:
            # OpenAI's "You exceeded your current quota": no wait brings the quota back.
            return _Attempt(
                error=f"{message}: the key's quota is spent; check the plan and billing of the "
                f"key in {variable}",
                auth=True,
            )
        if status == 404:
            # No such route (a base_url without its /v1) or no such model.
            message += (
                f"; check {self._url_from} (the API root that /chat/completions is under, often "
                f"ending in /v1) and model {self._params.model!r}"
            )
        retry = status in _RETRY_STATUSES or status >= 500
        wait = retry_after_s(getattr(error.response, "headers", None)) if retry else None
        return _Attempt(error=message, retry=retry, wait_s=wait)

    def scrub(self, text: str) -> str:
        """``text`` with the API key masked.

        A short key (a local server's placeholder: ``x``, ``EMPTY``) is masked
        only where it stands alone, not inside words ("te[redacted]t").
        """
        if not self._key:
            return text
        if len(self._key) >= _WHOLE_KEY_CHARS:
            return text.replace(self._key, _REDACTED)
        alone = rf"(?<![A-Za-z0-9]){re.escape(self._key)}(?![A-Za-z0-9])"
        return re.sub(alone, _REDACTED, text)


def open_client(
    params: EndpointParams,
    owner: str,
    *,
    temperature: float,
    backoff_s: float,
    seed: int | None = None,
    whole: bool = True,
) -> ChatClient:
    """Import the ``openai`` package, read the key and open a client for the endpoint.

    Args:
        params: Validated endpoint params.
        owner: What needs the endpoint, for messages (``"the openai backend"``,
            ``"the llm_judge metric"``).
        temperature: Sampling temperature of every request.
        backoff_s: Base of the exponential backoff between retries.
        seed: The ``seed`` sent with every request, or ``None`` for none.
        whole: Fail a reply cut off at ``max_tokens`` (see `ChatClient`).

    Raises:
        MissingDependencyError: The ``openai`` package is not installed.
        ConfigError: The key variable is unset or empty and the endpoint is not local.
    """
    try:
        import openai
    except ImportError:
        raise MissingDependencyError("openai", "pip install 'harness[api]'", owner) from None
    base_url, url_from = _endpoint(params, owner)
    value = os.environ.get(params.api_key_env)
    key = (value or "").strip()
    if not key:
        if not is_local_url(base_url):
            state = "is not set" if value is None else "is empty"
            raise ConfigError(
                f"{owner}: the environment variable {params.api_key_env} {state} "
                f"(it must hold the API key for {base_url})",
                hint=f"export {params.api_key_env}=<your key>, or set params.api_key_env to "
                "the name of the variable that holds it",
            )
        key = LOCAL_DUMMY_KEY
    client = openai.OpenAI(api_key=key, base_url=base_url, timeout=params.timeout_s, max_retries=0)
    base = str(client.base_url).rstrip("/")
    return ChatClient(
        params,
        client,
        key,
        base,
        temperature=temperature,
        backoff_s=backoff_s,
        seed=seed,
        whole=whole,
        url_from=url_from,
    )


def _endpoint(params: EndpointParams, owner: str) -> tuple[str, str]:
    """The API root and what set it, for messages: ``params.base_url``, else
    ``$OPENAI_BASE_URL`` (checked as the param is), else OpenAI's."""
    if params.base_url:
        return params.base_url, "base_url"
    value = os.environ.get(_URL_VARIABLE, "").strip()
    if not value:
        return _OPENAI_URL, "base_url"
    if not _is_http_url(value):
        raise ConfigError(
            f"{owner}: the environment variable {_URL_VARIABLE} is {value!r}, which is not an "
            "http:// or https:// URL with a host (params.base_url is not set, so the endpoint is "
            "read from it)",
            hint=f"export {_URL_VARIABLE}=http://127.0.0.1:8080/v1 (the API root, scheme "
            "included), or set params.base_url",
        )
    return value, f"${_URL_VARIABLE} (params.base_url is not set)"


__all__ = [
    "BACKOFF_CAP_S",
    "LOCAL_DUMMY_KEY",
    "RETRY_AFTER_CAP_S",
    "ChatClient",
    "EndpointParams",
    "Reply",
    "is_local_url",
    "open_client",
    "retry_after_s",
]
