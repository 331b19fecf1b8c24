"""The ``openai`` backend: any OpenAI-compatible chat-completions endpoint.

One ``POST /chat/completions`` per example, ``concurrency`` at a time, through
`harness.clients.openai_client.ChatClient` (the client the ``llm_judge``
metric uses too; its docstring holds the retry policy). The backoff jitter of
an example's retries is seeded by the run's seed and the example id.

Each failure is recorded for its example only; the run goes on. The API key
is read from the environment variable named by ``api_key_env`` when the
backend is built; only the variable's *name* appears in fingerprints,
configs, manifests and messages, and any echo of the key in a server's error
message is masked.

Generations are cached by the runner (keyed by the fingerprint and the
source), so running a config again sends no request for examples that
already have a summary; failed examples are not cached and are sent again.

With ``temperature > 0`` the run's seed is sent as the request's ``seed``
(OpenAI-compatible servers draw their sample with it) and is part of the
fingerprint, so ``--set seed=1`` draws (and caches) a second sample instead
of serving the first. At ``temperature: 0`` no seed is sent and the
fingerprint holds none: greedy summaries are shared by runs of any seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from pydantic import Field, field_validator

from harness.backend._protocol import BuildContext, Generation, Summarizer, backend
from harness.clients.openai_client import (
    BACKOFF_CAP_S,
    LOCAL_DUMMY_KEY,
    RETRY_AFTER_CAP_S,
    ChatClient,
    EndpointParams,
    is_local_url,
    open_client,
    retry_after_s,
)
from harness.records import Example, Fingerprint

DEFAULT_PROMPT = "Summarize the following article in 2-3 sentences.\n\n{source}"


class OpenAIParams(EndpointParams):
    """Params of the ``openai`` backend: the `EndpointParams` plus the request.

    Attributes:
        prompt: User message; ``{source}`` is replaced by the article.
        system_prompt: Optional system message.
        temperature: Sampling temperature (0 = as deterministic as the endpoint allows).
        backoff_s: Base of the exponential backoff between retries.
    """

    prompt: str = DEFAULT_PROMPT
    system_prompt: str | None = None
    temperature: float = Field(default=0.0, ge=0, le=2)
    backoff_s: float = Field(default=1.0, ge=0)

    @field_validator("prompt")
    @classmethod
    def _has_source(cls, value: str) -> str:
        if "{source}" not in value:
            raise ValueError("the prompt must contain {source}, where the article goes")
        return value


class OpenAISummarizer:
    """Summarize each example with one chat-completions request.

    Args:
        params: Validated params.
        chat: The endpoint's client (`open_client`).
        seed: The run's seed (jitter of the backoff; with ``temperature > 0``,
            also the request's ``seed``, which `connect` gives ``chat``).
    """

    def __init__(self, params: OpenAIParams, chat: ChatClient, seed: int) -> None:
        self._params = params
        self._chat = chat
        self._base_url = chat.base_url
        self._seed = seed

    def __repr__(self) -> str:
        return f"OpenAISummarizer(model={self._params.model!r}, base_url={self._base_url!r})"

    @property
    def fingerprint(self) -> Fingerprint:
        """Endpoint, model and generation params; the key variable by name only.

        The run's seed is in when sampling (``temperature > 0``): another seed
        draws another sample. Greedy output does not depend on it.

        Version 2: version 1 kept (and cached) as summaries an empty reply, a
        refusal copied into ``content``, and the text of a reply stopped by a
        content filter or a tool call, which version 2 fails; none of them
        is served from a cache of version 1.
        """
        params = {
            "base_url": self._base_url,
            "model": self._params.model,
            "api_key_env": self._params.api_key_env,
            "prompt": self._params.prompt,
            "system_prompt": self._params.system_prompt,
            "temperature": self._params.temperature,
            "max_tokens": self._params.max_tokens,
        }
        if self._params.temperature > 0:
            params["seed"] = self._seed
        return Fingerprint(
            kind="backend", name="openai", version="2", params=params, model=self._params.model
        )

    @property
    def cacheable(self) -> bool:
        """True: a summary, once paid for, is reused (with temperature > 0, by runs of
        the same seed)."""
        return True

    def summarize(self, examples: Sequence[Example]) -> list[Generation]:
        """Send the batch, ``concurrency`` requests at a time; one `Generation` each, in order."""
        return self._chat.map(self._guarded, examples)

    def _guarded(self, example: Example) -> Generation:
        try:
            return self._one(example)
        except Exception as error:  # a bug here must fail one example, not the batch
            return Generation.failed(self._chat.scrub(f"{type(error).__name__}: {error}"))

    def _one(self, example: Example) -> Generation:
        if not example.source.strip():
            return Generation.failed("empty source")
        rng = random.Random(f"{self._seed}:{example.id}")
        messages = [
            {"role": "user", "content": self._params.prompt.replace("{source}", example.source)}
        ]
        if self._params.system_prompt:
            messages.insert(0, {"role": "system", "content": self._params.system_prompt})
        reply = self._chat.complete(messages, rng)
        if reply.text is None:
            return Generation.failed(reply.error)
        return Generation(summary=reply.text, served_model=reply.model)


@backend(
    "openai",
    params=OpenAIParams,
    description="An OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp, ...)",
)
def build_openai(params: OpenAIParams, context: BuildContext) -> Summarizer:
    """Build the ``openai`` backend (`connect`).

    Args:
        params: Validated params.
        context: Build context; its ``seed`` seeds the backoff jitter (and,
            with ``temperature > 0``, is sent as the request's ``seed``).
    """
    return connect(params, context.seed, "the openai backend")


def connect(params: OpenAIParams, seed: int, owner: str) -> OpenAISummarizer:
    """Open the endpoint's client (`open_client`) and make the summarizer that uses it.

    Args:
        params: Validated params.
        seed: Seeds the backoff jitter; with ``temperature > 0``, also sent as
            each request's ``seed``.
        owner: What needs the endpoint, for messages (``"the openai backend"``,
            ``"the llm_judge metric"``).

    Raises:
        MissingDependencyError: The ``openai`` package is not installed.
        ConfigError: The key variable is unset or empty and the endpoint is not local.
    """
    chat = open_client(
        params,
        owner,
        temperature=params.temperature,
        backoff_s=params.backoff_s,
        seed=seed if params.temperature > 0 else None,
    )
    return OpenAISummarizer(params, chat, seed)


__all__ = [
    "BACKOFF_CAP_S",
    "DEFAULT_PROMPT",
    "LOCAL_DUMMY_KEY",
    "RETRY_AFTER_CAP_S",
    "EndpointParams",
    "OpenAIParams",
    "OpenAISummarizer",
    "build_openai",
    "connect",
    "is_local_url",
    "retry_after_s",
]
