"""A reasoning model's thinking, left in its reply, told apart from its answer.

Reasoning models (Qwen3, DeepSeek-R1, ...) write ``<think>…</think>`` before
their answer. A server with a reasoning parser returns the two apart; one
without it (llama.cpp or Ollama without the option, `transformers` decoding the
tokens as text) returns both in one text, and the thinking would be scored as
part of the summary. `answer_after_thinking` separates them as such a parser
does: only a block that opens the text counts (a ``<think>`` later on is text).

A chat template may open the block itself (DeepSeek-R1 and its distills, QwQ
end the generation prompt with ``<think>\\n``): the model then writes its
reasoning, ``</think>`` and the answer, with no ``<think>`` of its own.
`prompt_opens_thinking` tells a backend that sees its prompt (``hf``) to
read the reply as if it began with ``<think>``.
"""

from __future__ import annotations

import re

_OPEN = re.compile(r"\s*<think>", re.IGNORECASE)
_CLOSE = re.compile(r"</think>", re.IGNORECASE)
_OPENS_AT_END = re.compile(r"<think>\s*$", re.IGNORECASE)


def answer_after_thinking(text: str) -> tuple[str | None, str | None]:
    """``(answer, None)``, or ``(None, why there is no answer)``.

    Text that does not open with ``<think>`` is the answer as it is (stripped).

    >>> answer_after_thinking("<think>The source says 40.</think>\\n\\nForty homes flooded.")
    ('Forty homes flooded.', None)
    >>> answer_after_thinking("Forty homes flooded.")
    ('Forty homes flooded.', None)
    >>> answer_after_thinking("<think>Let me see")[1].split(",")[0]
    "the reply is only the model's reasoning"
    """
    opened = _OPEN.match(text)
    if opened is None:
        return text.strip(), None
    closed = _CLOSE.search(text, opened.end())
    if closed is None:
        return None, (
            "the reply is only the model's reasoning, a <think> block never closed "
            f"({len(text.strip())} characters): raise the output limit, or serve the model "
            "with a reasoning parser (or without thinking)"
        )
    answer = text[closed.end() :].strip()
    if not answer:
        return None, (
            "the reply is only the model's reasoning (a <think> block of "
            f"{closed.start() - opened.end()} characters), with no answer after it"
        )
    return answer, None


def prompt_opens_thinking(prompt: str) -> bool:
    """Whether ``prompt`` (a rendered chat template) ends by opening a ``<think>`` block.

    Only its end counts: an article that mentions ``<think>`` does not open one.

    >>> prompt_opens_thinking("<｜User｜>Summarize.<｜Assistant｜><think>\\n")
    True
    >>> prompt_opens_thinking("assistant\\n<think>\\n\\n</think>\\n\\n")
    False
    >>> prompt_opens_thinking("user: What does <think> mean?\\nassistant:")
    False
    """
    return _OPENS_AT_END.search(prompt) is not None


__all__ = ["answer_after_thinking", "prompt_opens_thinking"]
