"""A reasoning model's ``<think>…</think>`` block told apart from its answer."""

from __future__ import annotations

import pytest

from harness.text.reasoning import answer_after_thinking, prompt_opens_thinking


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("<think>\nThe source says 40.\n</think>\n\nForty homes flooded.", "Forty homes flooded."),
        ("  <THINK>x</THINK> Forty homes flooded.", "Forty homes flooded."),
        ("Forty homes flooded.", "Forty homes flooded."),
        # only a block that opens the reply is thinking; later it is the summary's text
        ("The tag <think> is HTML-like.", "The tag <think> is HTML-like."),
    ],
)
def test_the_answer_is_what_follows_the_thinking(text: str, answer: str) -> None:
    assert answer_after_thinking(text) == (answer, None)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("<think>Let me see what the source", "a <think> block never closed (33 characters)"),
        ("<think>All done.</think>\n", "a <think> block of 9 characters), with no answer after it"),
    ],
)
def test_a_reply_that_is_only_thinking_has_no_answer(text: str, why: str) -> None:
    answer, error = answer_after_thinking(text)
    assert answer is None and error is not None and why in error


@pytest.mark.parametrize(
    ("prompt", "opens"),
    [
        # DeepSeek-R1's and its distills' generation prompt; QwQ's
        ("<｜User｜>Summarize: the dam burst.<｜Assistant｜><think>\n", True),
        ("<|im_start|>assistant\n<think>\n", True),
        # Qwen3 with enable_thinking=False: an empty block, closed
        ("<|im_start|>assistant\n<think>\n\n</think>\n\n", False),
        # an article that mentions the tag opens nothing
        ("user: The tag <think> is HTML-like.\nassistant:", False),
        ("Summarize: the dam burst.", False),
    ],
)
def test_a_prompt_opens_thinking_only_where_it_ends_with_the_tag(prompt: str, opens: bool) -> None:
    assert prompt_opens_thinking(prompt) is opens
