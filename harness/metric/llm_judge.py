"""``llm_judge``: a G-Eval-style factual-consistency rating by an LLM.

The prompt follows G-Eval's consistency criterion and evaluation steps (Liu et
al., 2023, "G-Eval: NLG Evaluation using GPT-4 with Better Human Alignment",
EMNLP, https://aclanthology.org/2023.emnlp-main.153/): the model reads the
source and the summary and rates the summary's factual consistency with the
source on a 1-5 scale, answering exactly ``Score: <1-5>`` on its first line
and ``Reason: <one sentence>`` on its second. Unlike G-Eval, the rating is the
single answer at temperature 0 (no probability-weighted sum over score
tokens, which most OpenAI-compatible endpoints do not expose).

The prompt is fixed and versioned (`PROMPT_VERSION`, part of the fingerprint
with the endpoint, the model and the *name* of the key variable), so cached
scores are reused only for the same prompt and judge.

Requests go through the client the ``openai`` backend uses too
(`harness.clients.openai_client.ChatClient`): the same key handling (the key is read
from ``$<api_key_env>`` and never written; local endpoints need none),
retries with ``Retry-After`` or jittered exponential backoff, error
classification and ``concurrency``.

Values: ``score`` = (rating − 1) / 4 in [0, 1]. One finding per pair, for the
whole summary. The Markdown a chat model puts around the two labels (a list
marker, ``**Score:** 4``) and a rating written ``4/5`` or ``4 out of 5`` are
read as the format. An answer that does not follow the format gives ``None`` and
the reason ``unparsable judge answer: ...`` (never a guessed score). A request
that fails after its retries gives ``None`` and the reason ``metric error:
judge request failed: ...``; the runner does not cache results whose reason
starts with ``metric error``, so the pair is sent again on the next run, while
parsed and unparsable answers are cached and cost no tokens again.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Any

from harness.clients.openai_client import ChatClient, EndpointParams, open_client
from harness.metric._protocol import MetricInput, MetricResult, ValueSpec, metric
from harness.records import Fingerprint

#: Bump whenever `PROMPT` or the parsing of the answer changes (v2: Markdown
#: emphasis around the labels and "4/5" or "4 out of 5" are read).
PROMPT_VERSION = "consistency-v2"
PROMPT = """\
You will be given a source document and a summary of it.

Your task is to rate the summary on one metric: consistency.

Evaluation criteria:
Consistency (1-5) - the factual alignment between the summary and the source. \
A factually consistent summary contains only statements that are entailed by the source. \
Penalize summaries that contain facts not supported by the source or that contradict it.

Evaluation steps:
1. Read the source carefully and identify the main facts and details it presents.
2. Read the summary and compare it to the source. Check whether the summary contains \
any factual errors that are not supported by the source.
3. Assign a consistency score from 1 (mostly unsupported or contradicted) to 5 \
(every statement is supported by the source).

Source:
{source}

Summary:
{summary}

Answer with exactly two lines and nothing else:
Score: <an integer from 1 to 5>
Reason: <one sentence explaining the score>"""
SUPPORTED_FROM = 4  # a rating at least this is "supported"
RAW_CHARS = 500
SHOWN_CHARS = 200
_SCORE_LINE = re.compile(r"score\s*:\s*([1-5])(?:\s*(?:/\s*5|out of 5))?\.?", re.IGNORECASE)
_REASON_LINE = re.compile(r"reason\s*:\s*(\S.*)", re.IGNORECASE)
#: Markdown a chat model writes around the two labels: a list marker, then
#: emphasis around a label ("**Score:** 4", "**Score: 4**", "- **Reason:** ...").
_LIST_MARK = re.compile(r"^[-*+]\s+")
_LABEL = re.compile(r"^[*_]{1,2}\s*(score|reason)\s*:\s*[*_]{0,2}\s*", re.IGNORECASE)


def _unmarked(line: str) -> str:
    """``line`` without the Markdown a chat model puts around ``Score:`` / ``Reason:``."""
    line = _LIST_MARK.sub("", line.strip())
    label = _LABEL.match(line)
    if label is None:
        return line
    rest = line[label.end() :]
    if label.group(1).lower() == "score":
        rest = rest.replace("*", "").replace("_", "")
    return f"{label.group(1)}: {rest}"


class LLMJudgeParams(EndpointParams):
    """Parameters of ``llm_judge``: the endpoint's (`EndpointParams`: ``model``,
    ``base_url``, ``api_key_env``, ``max_tokens``, ``concurrency``, ``timeout_s``,
    ``max_retries``). The temperature is always 0.
    """


def judge_prompt(source: str, summary: str) -> str:
    """The user message for one pair (`PROMPT` with the texts filled in)."""
    return PROMPT.format(source=source, summary=summary)


def parse_answer(answer: str) -> tuple[int, str] | None:
    """The rating and the reason in a judge's answer, or ``None`` if it does not follow the format.

    >>> parse_answer("Score: 4\\nReason: One date is missing.")
    (4, 'One date is missing.')
    >>> parse_answer("It is quite good.") is None
    True
    >>> parse_answer("**Score:** 4/5\\n**Reason:** One date is missing.")
    (4, 'One date is missing.')
    """
    lines = [_unmarked(line).strip() for line in answer.strip().splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        return None
    score = _SCORE_LINE.fullmatch(lines[0])
    reason = _REASON_LINE.fullmatch(lines[1])
    if score is None or reason is None:
        return None
    return int(score.group(1)), reason.group(1).strip()


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@metric(
    "llm_judge",
    params=LLMJudgeParams,
    values=[
        ValueSpec(
            "score",
            True,
            "LLM judge's 1-5 factual-consistency rating of the summary against the source"
            " (G-Eval-style prompt), mapped to [0, 1] as (rating - 1) / 4",
        )
    ],
    requires=["source"],
    description="LLM-as-judge factual consistency (G-Eval-style 1-5 rating) through an"
    " OpenAI-compatible endpoint; needs params.model.",
)
class LLMJudgeMetric:
    """Rate each summary's consistency with its source by an LLM judge.

    Args:
        params: Validated parameters; a client for the endpoint is opened
            here (`open_client`).

    Raises:
        MissingDependencyError: The ``openai`` package is not installed.
        ConfigError: The key variable is unset or empty and the endpoint is not local.
    """

    def __init__(self, params: LLMJudgeParams) -> None:
        self._params = params
        self._chat: ChatClient = open_client(
            # Its score comes first: a reason cut off at max_tokens still gives it.
            params,
            "the llm_judge metric",
            temperature=0.0,
            backoff_s=1.0,
            whole=False,
        )
        self._base_url = self._chat.base_url

    def __repr__(self) -> str:
        return f"LLMJudgeMetric(model={self._params.model!r}, base_url={self._base_url!r})"

    @property
    def fingerprint(self) -> Fingerprint:
        """Params (the key variable by name only), prompt version, model and endpoint."""
        return Fingerprint(
            kind="metric",
            name="llm_judge",
            # 2: a <think> block before the answer is left out, an empty answer is a
            # failed request (not cached), not an unparsable (cached) one
            version=f"2/{PROMPT_VERSION}",
            params=self._params.model_dump(mode="json"),
            model=f"{self._params.model} @ {self._base_url}",
        )

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Ask the judge about every pair, ``concurrency`` requests at a time.

        Returns:
            One result per item, in order; ``None`` with a reason for an
            unparsable answer or a failed request.
        """
        answers = self._chat.map(self._ask, items)
        return [
            self._result(item, answer, error)
            for item, (answer, error) in zip(items, answers, strict=True)
        ]

    def _ask(self, item: MetricInput) -> tuple[str | None, str]:
        try:
            # Seeded like the openai backend with seed 0: the jitter of a pair's
            # retries depends on its example id only.
            rng = random.Random(f"0:{item.example.id}")
            prompt = judge_prompt(item.example.source, item.summary)
            reply = self._chat.complete([{"role": "user", "content": prompt}], rng)
            return reply.text, reply.error
        except Exception as error:  # a bug here must fail one pair, not the batch
            return None, self._chat.scrub(f"{type(error).__name__}: {error}")

    def _result(self, item: MetricInput, answer: str | None, error: str | None) -> MetricResult:
        empty: dict[str, float | None] = {"score": None}
        if answer is None:
            return MetricResult(
                values=empty, reason=f"metric error: judge request failed: {error or 'no answer'}"
            )
        parsed = parse_answer(answer)
        if parsed is None:
            return MetricResult(
                values=empty,
                reason=f"unparsable judge answer: {answer.strip()[:SHOWN_CHARS]!r}",
            )
        rating, reason = parsed
        finding: dict[str, Any] = {
            "kind": "judgement",
            "status": "supported" if rating >= SUPPORTED_FROM else "unsupported",
            "text": item.summary,
            "span": [0, len(item.summary)],
            "score": rating,
            "evidence": reason,
            "raw": _shorten(answer, RAW_CHARS),
        }
        return MetricResult(values={"score": (rating - 1) / 4}, findings=[finding])


__all__ = [
    "PROMPT",
    "PROMPT_VERSION",
    "LLMJudgeMetric",
    "LLMJudgeParams",
    "judge_prompt",
    "parse_answer",
]
