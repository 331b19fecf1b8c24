"""A reasoning model's thinking, left in its reply, told apart from its answer.

Reasoning models (Qwen3, DeepSeek-R1, ...) write ``<think>…</think>`` before
their answer. A server with a reasoning parser returns the two apart; one
without it (llama.cpp or Ollama without the option, `transformers` decoding the
tokens as text) returns both in one text, and the thinking would be scored as
part of the summary. `answer_after_thinking` separates them as such a parser
does: only a block that opens the text counts (a ``<think>`` later on is text).
"""

from __future__ import annotations

import re

_OPEN = re.compile(r"\s*<think>", re.IGNORECASE)
_CLOSE = re.compile(r"</think>", re.IGNORECASE)


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


__all__ = ["answer_after_thinking"]
