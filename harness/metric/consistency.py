"""``consistency``: one model-free faithfulness score per summary, in [0, 1].

The score multiplies two parts (higher = more faithful)::

    score = (1 - novelty_weight * copy_novelty) * exp(-sum of the flags' weights)
    copy_novelty = min(novel_bigrams, novelty_cap)

- ``novel_bigrams``: the share of the summary's word bigrams (lower-cased,
  Porter-stemmed) that never occur in the source. It counts toward the score
  only up to ``novelty_cap`` (default 0.2), as ``copy_novelty``, with
  ``novelty_weight`` 2. A summary
  that copies most of its word pairs from the source (as extractive news
  models do) and still has new ones has spliced source fragments together,
  and each junction can attach a fact to the wrong subject: there the share
  is a strong correlate of human consistency judgments (Durmus et al., 2020,
  "FEQA", ACL, §5; Grusky et al., 2018 on fragment density). Past the cap, new pairs
  are the rewording itself -- a faithful paraphrase has as many as an
  unfaithful one (edit benchmarks such as SummEdits) -- and say nothing more.
  The cap also keeps novelty below one flag: it lowers the score at most to
  0.6, a flag halves it, so the score ranks by flags first and by copy
  novelty among summaries with the same flags (a ``novel_noun``, half a
  flag at x 0.70, is the exception: it weighs less than the most novelty).
- ``flags``: the findings below, each counted once (a token flagged by two
  checks counts once):

  * ``number``: summary quantities the ``numbers`` metric flags
    (``unsupported`` or ``context_mismatch``);
  * ``entity``: summary entities the ``entities`` metric flags;
  * ``substitution``: a number, weekday, month or name that the summary puts
    between words it keeps from a source sentence, where that sentence has
    another value ("said on Tuesday it would" for "said on Wednesday it
    would"), see `harness.text.alignment`;
  * ``date`` / ``time``: a weekday or a clock time the source never gives;
  * ``antonym``: a negative prefix the source does not share ("unrelatable"
    for "relatable", "likely" for "unlikely"), or a word of a small contrast
    set that the source never says while it says another member
    ("disagrees" for "agree", "tomorrow" for "today", "sister" for
    "brother"), see `harness.metric._contrasts`;
  * ``negation``: a summary sentence whose negation (not, no, never, n't,
    ...) the source does not back, or that drops one ("without" counts
    here), also from a phrase it repeats ("warns to make it a habit" for
    "don't make it a habit") -- see `negation_mismatches`;
  * ``quote``: words the summary puts in quotation marks that the source
    never says in that order ("they guess “therapist”" where the dialogue
    says "masseuse"), see `harness.text.quotes`;
  * ``novel_noun``: a concrete thing (a food, artifact, place, natural
    object, plant, animal, substance) that no source word names nor
    generalises ("ghee" for "butter", "at the park" for "at school"), from
    spaCy's tagger and WordNet, see `harness.text.nouns`. It is weaker
    evidence than the others (a faithful summary may name a thing the source
    only implies), so it weighs half a flag (`NOVEL_NOUN_SHARE`).

Each flag multiplies the score by ``exp(-flag_weight)``; with the default
(0.7) a single flag roughly halves it, a ``novel_noun`` flag by
``exp(-flag_weight / 2)``; ``kind_weights`` gives a kind its own weight
instead (``harness calibrate`` fits them to a run's labels). Every
flag is a finding with the summary span and, where there is one, the source
span and sentence, so the score is explained by evidence a person can read.
The values ``copy_novelty`` and ``flags`` are the two parts, so a low score
says which part lowered it.

No neural model is involved; the ``entities`` part and the noun tags need a
spaCy English pipeline (the ``model`` param, else the first one installed),
with its ``ner`` and ``tagger``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from harness.config import MetricConfig
from harness.metric._contrasts import contrast_partners, contrast_swaps
from harness.metric._protocol import (
    MetricInput,
    MetricResult,
    ValueSpec,
    build_metric,
    metric,
)
from harness.records import Fingerprint
from harness.text.alignment import (
    prefix_antonyms,
    substitutions,
    unsupported_times,
    unsupported_weekdays,
)
from harness.text.entities import AMERICAN_SPELLING, fold
from harness.text.nlp import load_pipeline, pipe
from harness.text.nouns import noun_spans, noun_table, novel_nouns, table_digest
from harness.text.quotes import unquoted_quotations
from harness.text.sentences import sentence_spans

#: Negation words (as written; compared after stemming, see `_negation_stems`).
NEGATIONS = frozenset(
    {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot",
     "nowhere", "n't", "denied", "refused", "failed"}
)  # fmt: skip
#: Negations only when the summary *drops* them: "ended without agreement" -> "ended
#: with an agreement" is a flip, but "without electricity" for "cut power to" is not.
DROPPABLE_NEGATIONS = frozenset({"without"})
#: How far after a negation a shared word may stand for the negation to govern it
#: ("was not deemed to be a threat").
NEGATION_REACH = 5
#: The kinds of finding that count as a flag (each finding's ``kind``).
FlagKind = Literal[
    "number", "entity", "substitution", "date", "time", "antonym", "negation", "quote",
    "novel_noun",
]  # fmt: skip
FLAG_KINDS: tuple[FlagKind, ...] = (
    "number", "entity", "substitution", "date", "time", "antonym", "negation", "quote",
    "novel_noun",
)  # fmt: skip
#: The share of ``flag_weight`` a ``novel_noun`` flag weighs by default.
NOVEL_NOUN_SHARE = 0.5

#: A word; a soft hyphen or zero-width joiner inside one ("Zelen\u00adsky") is no
#: boundary (`fold` drops it).
_TOKEN = re.compile(r"\w+(?=n['’]t\b)|n['’]t\b|\w+(?:[\u00ad\u200c\u200d\u2060]\w+)*", re.UNICODE)


class ConsistencyParams(BaseModel):
    """Parameters of ``consistency``.

    Attributes:
        model: spaCy pipeline for the entity check (default: first installed).
        flag_weight: Penalty per flag: each multiplies the score by ``exp(-flag_weight)``.
        novelty_weight: How much copy novelty lowers the score: the score is
            multiplied by ``1 - novelty_weight * min(novel_bigrams, novelty_cap)``.
            0 ranks by the flags alone.
        novelty_cap: The most bigram novelty that counts (``copy_novelty``).
            Past it new word pairs are rewording, which says nothing about
            faithfulness. The defaults (2 x 0.2) keep the largest novelty
            penalty (x 0.6) milder than one flag (x 0.5); ``novelty_weight: 1``
            with ``novelty_cap: 1`` is the score before version 4.
        kind_weights: Penalty per flag of a kind (`FLAG_KINDS`), in place of
            the default for the kinds it names, as fitted by ``harness
            calibrate``. ``None`` (the default): every flag weighs
            ``flag_weight``, a ``novel_noun`` flag ``NOVEL_NOUN_SHARE`` of it
            (see `kind_weight`).
    """

    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    flag_weight: float = Field(default=0.7, ge=0, allow_inf_nan=False)
    novelty_weight: float = Field(default=2.0, ge=0, allow_inf_nan=False)
    novelty_cap: float = Field(default=0.2, ge=0, le=1)
    kind_weights: dict[FlagKind, Annotated[float, Field(ge=0, allow_inf_nan=False)]] | None = None

    @model_validator(mode="after")
    def _score_stays_in_range(self) -> ConsistencyParams:
        # The novelty factor 1 - weight x copy_novelty must not go below 0.
        if self.novelty_weight * self.novelty_cap > 1:
            raise ValueError(
                f"novelty_weight x novelty_cap must be at most 1 (got {self.novelty_weight:g}"
                f" x {self.novelty_cap:g}), so that the score stays in [0, 1]; lower either"
            )
        return self


def kind_weight(params: ConsistencyParams, kind: str) -> float:
    """The penalty of one flag of ``kind`` under ``params``: its ``kind_weights``
    entry, else ``flag_weight`` (times `NOVEL_NOUN_SHARE` for ``novel_noun``)."""
    if params.kind_weights is not None and kind in params.kind_weights:
        return params.kind_weights[kind]
    share = NOVEL_NOUN_SHARE if kind == "novel_noun" else 1.0
    return params.flag_weight * share


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_stemmer().stem(word))


@lru_cache(maxsize=1)
def _negation_stems() -> frozenset[str]:
    return frozenset(_stem(word) for word in NEGATIONS)


def stemmed_tokens(text: str) -> list[str]:
    """Lower-cased, Porter-stemmed word tokens (``n't`` kept as a token).

    >>> stemmed_tokens("The ministers didn't resign")
    ['the', 'minist', 'did', "n't", 'resign']
    """
    return [_token_stem(token) for token in _TOKEN.findall(text)]


@lru_cache(maxsize=65536)
def _token_stem(token: str) -> str:
    # memoised by the token as written, so a known word costs one look-up; folded as
    # names are compared ("François" is "Francois", "Ｐａｒｉｓ" is "Paris",
    # "Organisation" is "Organization")
    folded = fold(token.replace("’", "'"))
    return _stem(AMERICAN_SPELLING.get(folded, folded))


def stemmed_spans(text: str) -> list[tuple[str, int, int]]:
    """`stemmed_tokens` with each token's character span.

    >>> stemmed_spans("He agrees")
    [('he', 0, 2), ('agre', 3, 9)]
    """
    return [
        (_token_stem(match.group()), match.start(), match.end()) for match in _TOKEN.finditer(text)
    ]


@lru_cache(maxsize=2048)
def _source_words(source: str) -> tuple[dict[str, tuple[int, int]], frozenset[str]]:
    """Each stem of ``source`` with the span of its first occurrence, and the
    stems a negation governs there (for `contrast_swaps`)."""
    words = stemmed_spans(source)
    first: dict[str, tuple[int, int]] = {}
    for word, start, end in words:
        first.setdefault(word, (start, end))
    return first, frozenset(governed_words([word for word, _, _ in words]))


def novel_bigram_share(
    pairs: Sequence[tuple[str, str]], source_bigrams: frozenset[tuple[str, str]]
) -> float:
    """Share of the summary's bigrams absent from the source (0 when it has none).

    >>> novel_bigram_share([("a", "b"), ("b", "c")], frozenset({("a", "b")}))
    0.5
    """
    if not pairs:
        return 0.0
    return sum(pair not in source_bigrams for pair in pairs) / len(pairs)


@lru_cache(maxsize=2048)
def _source_profile(
    source: str,
) -> tuple[frozenset[tuple[str, str]], tuple[tuple[int, int, tuple[str, ...]], ...]]:
    sentences = tuple(
        (start, end, tuple(stemmed_tokens(source[start:end])))
        for start, end in sentence_spans(source)
    )
    bigrams = frozenset(pair for _, _, words in sentences for pair in pairwise(words))
    return bigrams, sentences


def sentence_bigrams(text: str) -> list[tuple[str, str]]:
    """Stemmed word bigrams within each sentence (none across a sentence boundary).

    >>> sentence_bigrams("Prices rose. Wages fell.")
    [('price', 'rose'), ('wage', 'fell')]
    """
    return [
        pair
        for start, end in sentence_spans(text)
        for pair in pairwise(stemmed_tokens(text[start:end]))
    ]


def negates_shared(words: Sequence[str], shared: set[str], *, dropped: bool = False) -> bool:
    """Whether a negation in ``words`` governs one of the ``shared`` words: one of
    them follows it within ``NEGATION_REACH`` words. A negation in a clause the
    other text leaves out governs nothing shared and does not count.

    >>> negates_shared(["was", "not", "deem", "a", "threat"], {"threat"})
    True
    >>> negates_shared(["lift", "veto", "would", "not", "affect", "oil"], {"lift", "veto"})
    False
    """
    return bool(governed_words(words, dropped=dropped) & shared)


def governed_words(words: Sequence[str], *, dropped: bool = False) -> set[str]:
    """The words that stand within ``NEGATION_REACH`` after a negation.

    >>> sorted(governed_words(["was", "not", "deem", "a", "threat"]))
    ['a', 'deem', 'threat']
    """
    return {
        word
        for index in range(len(words))
        if is_negation(words, index, dropped=dropped)
        for word in words[index + 1 : index + 1 + NEGATION_REACH]
    }


def is_negation(words: Sequence[str], index: int, *, dropped: bool = False) -> bool:
    """Whether ``words[index]`` is a negation ("no" before a number is "number": "No. 1");
    with ``dropped``, `DROPPABLE_NEGATIONS` count too.

    >>> is_negation(["no", "1", "jersey"], 0), is_negation(["no", "plan"], 0)
    (False, True)
    >>> is_negation(["without", "power"], 0), is_negation(["without", "power"], 0, dropped=True)
    (False, True)
    """
    if words[index] not in _negation_stems() and not (
        dropped and words[index] in DROPPABLE_NEGATIONS
    ):
        return False
    following = words[index + 1] if index + 1 < len(words) else ""
    return not (words[index] == "no" and following[:1].isdigit())


#: Function words left out of the content words a sentence is aligned by.
_FUNCTION_WORDS = frozenset({
    "the", "and", "for", "with", "that", "this", "they", "their", "them", "from", "have",
    "has", "had", "was", "were", "are", "will", "would", "about", "also", "into", "over",
    "after", "before", "which", "while", "what", "when", "where", "who", "whom", "been",
    "being", "there", "then", "than", "its", "our", "your", "his", "her", "she", "him", "you",
    "without"
})  # fmt: skip
#: Share of a summary sentence's content words its source sentence must have before
#: a negation the summary *drops* counts (a dropped negation needs a near copy).
DROPPED_NEGATION_OVERLAP = 0.75


@lru_cache(maxsize=1)
def _function_stems() -> frozenset[str]:
    return frozenset(_stem(word) for word in _FUNCTION_WORDS)


def _content(words: Sequence[str]) -> set[str]:
    return {
        w for w in words if w not in _negation_stems() and len(w) > 2 and w not in _function_stems()
    }


def _negation_finding(
    summary: str, span: tuple[int, int], source: str, sentence: tuple[int, int], evidence: str
) -> dict[str, Any]:
    return {
        "kind": "negation",
        "text": summary[span[0] : span[1]],
        "span": list(span),
        "status": "unsupported",
        "source_span": list(sentence),
        "source_text": source[sentence[0] : sentence[1]],
        "evidence": evidence,
    }


def negation_mismatches(summary: str, source: str) -> list[dict[str, Any]]:
    """Findings for summary sentences whose negation the source does not back.

    Each summary sentence is compared with the source sentence that shares most
    of its content words. Only negations that govern a shared word count
    (`negates_shared`), so a negated clause the summary simply leaves out is no
    mismatch. A sentence is flagged when

    * it shares at least half its content words with that source sentence and
      negates what the source sentence does not;
    * it shares at least ``DROPPED_NEGATION_OVERLAP`` of them and does not
      negate what the source sentence negates (a looser paraphrase may restate
      "did not win" as "lost", so only a near copy is held to the negation);
    * it restates the source too loosely for one sentence to compare with, but
      negates words that source sentences sharing its content use only
      without negation;
    * it repeats, without a negation, a phrase of ``NEGATED_PHRASE_LENGTH``
      words that the source says only right after one ("warns to make it a
      habit" for "just don't make it a habit"), see `dropped_phrase_negation`.

    >>> source = "The minister resigned on Monday."
    >>> [f["status"] for f in negation_mismatches("The minister did not resign.", source)]
    ['unsupported']
    >>> negation_mismatches("He resigned.", "He resigned on Monday, but did not say why.")
    []
    """
    _, source_sentences = _source_profile(source)
    if not source_sentences:
        return []
    findings = []
    for start, end in sentence_spans(summary):
        words = stemmed_tokens(summary[start:end])
        content = _content(words)
        if not content:
            continue
        found = _sentence_negation(words, content, source_sentences)
        if found is None:
            found = dropped_phrase_negation(summary[start:end], source)
        if found is not None:
            evidence, sentence = found
            findings.append(_negation_finding(summary, (start, end), source, sentence, evidence))
    return findings


def _sentence_negation(
    words: Sequence[str],
    content: set[str],
    source_sentences: Sequence[tuple[int, int, tuple[str, ...]]],
) -> tuple[str, tuple[int, int]] | None:
    """The first three cases of `negation_mismatches` for one summary sentence:
    why its negation is unsupported and the source sentence it is compared with."""
    # among sentences sharing as many content words, the one it copies word for word:
    # "Look at you." is that sentence, not the first that says "look" ("Don't look")
    copied = tuple(words)
    best = max(
        source_sentences,
        key=lambda sentence: (len(content & set(sentence[2])), sentence[2] == copied),
    )
    shared = content & set(best[2])
    if len(shared) >= max(1, len(content) // 2):
        if negates_shared(words, shared) and not negates_shared(best[2], shared, dropped=True):
            return (
                "the summary sentence negates what the closest source sentence says",
                (best[0], best[1]),
            )
        if (
            negates_shared(best[2], shared, dropped=True)
            and not negates_shared(words, shared, dropped=True)
            and len(shared) >= DROPPED_NEGATION_OVERLAP * len(content)
        ):
            return (
                "the summary sentence drops the negation of the closest source sentence",
                (best[0], best[1]),
            )
        return None
    governed = governed_words(words) & content
    related = [
        sentence
        for sentence in source_sentences
        if governed & set(sentence[2]) and len(content & set(sentence[2])) >= 2
    ]
    if not related or any(
        negates_shared(sentence[2], governed, dropped=True) for sentence in related
    ):
        return None
    closest = max(related, key=lambda sentence: len(content & set(sentence[2])))
    return (
        f"the summary negates {', '.join(sorted(governed))}; the {len(related)} "
        "source sentence(s) that say it never negate it",
        (closest[0], closest[1]),
    )


#: Words in a phrase `dropped_phrase_negation` compares (stemmed tokens).
NEGATED_PHRASE_LENGTH = 3
#: How many words before a phrase a negation may stand and still govern it: right
#: before it in the source ("don't make it"); within three in the summary
#: ("not to ever make it").
_PHRASE_NEGATION_REACH = (1, 3)


def dropped_phrase_negation(sentence: str, source: str) -> tuple[str, tuple[int, int]] | None:
    """A phrase the summary ``sentence`` says plainly that the source only negates.

    The phrase is ``NEGATED_PHRASE_LENGTH`` words (compared stemmed), one of
    them a content word; the source says it right after a negation
    ("without" included) and nowhere else, and no negation stands within
    three words before it in the summary. This catches a dropped negation in
    a sentence that restates the source too loosely for `negation_mismatches`
    to compare it with one source sentence.

    Returns:
        Why it is flagged and the span of the source sentence that negates the
        phrase, or ``None``.

    >>> source = "Pat: she said just don't make it a habit."
    >>> dropped_phrase_negation("He warns to make it a habit", source)[0]
    "the summary says 'make it a' where the source says 'don't make it a'"
    >>> dropped_phrase_negation("He warns not to make it a habit", source) is None
    True
    """
    negated, plain = _phrase_negations(source)
    spans = stemmed_spans(sentence)
    words = [word for word, _, _ in spans]
    size, reach = NEGATED_PHRASE_LENGTH, _PHRASE_NEGATION_REACH[1]
    for index in range(len(words) - size + 1):
        phrase = tuple(words[index : index + size])
        if phrase not in negated or phrase in plain or not _content(phrase):
            continue
        if any(is_negation(words, k, dropped=True) for k in range(max(0, index - reach), index)):
            continue
        said, source_sentence = negated[phrase]
        written = sentence[spans[index][1] : spans[index + size - 1][2]]
        return f"the summary says '{written}' where the source says '{said}'", source_sentence
    return None


@lru_cache(maxsize=2048)
def _phrase_negations(
    source: str,
) -> tuple[dict[tuple[str, ...], tuple[str, tuple[int, int]]], frozenset[tuple[str, ...]]]:
    """The source's phrases (``NEGATED_PHRASE_LENGTH`` stems) right after a negation,
    each with the negated phrase as written and its sentence's span; and the
    phrases it also says with no negation within three words before."""
    size, (negated_reach, plain_reach) = NEGATED_PHRASE_LENGTH, _PHRASE_NEGATION_REACH
    negated: dict[tuple[str, ...], tuple[str, tuple[int, int]]] = {}
    plain: set[tuple[str, ...]] = set()
    for start, end in sentence_spans(source):
        spans = stemmed_spans(source[start:end])
        words = [word for word, _, _ in spans]
        for index in range(len(words) - size + 1):
            phrase = tuple(words[index : index + size])
            before = range(max(0, index - negated_reach), index)
            negation = next((k for k in before if is_negation(words, k, dropped=True)), None)
            if negation is not None:
                first = negation - 1 if words[negation] == "n't" and negation else negation
                said = source[start + spans[first][1] : start + spans[index + size - 1][2]]
                negated.setdefault(phrase, (said, (start, end)))
            elif not any(
                is_negation(words, k, dropped=True)
                for k in range(max(0, index - plain_reach), index)
            ):
                plain.add(phrase)
    return negated, frozenset(plain)


@metric(
    "consistency",
    params=ConsistencyParams,
    values=[
        ValueSpec(
            "score",
            True,
            "Model-free faithfulness in [0, 1]: (1 − 2 × copy_novelty) × exp(−0.7 per flag)",
        ),
        ValueSpec("novel_bigrams", False, "Share of summary word bigrams absent from the source"),
        ValueSpec(
            "copy_novelty",
            False,
            "The novel bigram share that lowers the score: novel_bigrams capped at 0.2"
            " (more is rewording, which says nothing about faithfulness)",
        ),
        ValueSpec(
            "flags",
            False,
            "Flagged numbers, entities, slot substitutions, weekdays, clock times,"
            " antonyms, negation mismatches and misquotations",
        ),
    ],
    requires=["source"],
    description="One model-free faithfulness score combining the number, entity, substitution,"
    " negation and novel-noun checks with the bigram novelty of near-copy summaries.",
    latin_script=True,
)
class ConsistencyMetric:
    """Combines number, entity and negation flags with capped bigram novelty (module docstring)."""

    def __init__(self, params: ConsistencyParams) -> None:
        self._params = params
        _, self._numbers = build_metric(MetricConfig(name="numbers"), "consistency: numbers")
        _, self._entities = build_metric(
            MetricConfig(name="entities", params={"model": params.model}), "consistency: entities"
        )

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, weights, and (in ``version``) the versions of the checks it combines
        and the digest of WordNet's noun table, so a change to any of them
        invalidates cached consistency scores."""
        numbers, entities = self._numbers.fingerprint, self._entities.fingerprint
        return Fingerprint(
            kind="metric",
            name="consistency",
            # 22: a number split PTB style ("$ 7 . 6 billion") is one sentence's;
            # 21: words in square brackets inside a quotation are the quoter's own;
            # 20: British and American spellings of words common in names
            # ("Organisation", "Defence", "Centre") are one word;
            # 19: "21h", "21h30" are clock times;
            # 18: a soft hyphen or zero-width joiner inside a word does not split it;
            # 17: quotations in single quotes and guillemets (‘…’, '…', „…“, «…») are checked;
            # 16: words are compared without diacritics, full-width letters folded;
            # 15: a summary sentence copied from the source is compared, for negation,
            # with that sentence (not the first sharing as many words);
            # 14: "noon", "midday" and "midnight" in the source give 12 pm / 12 am;
            # 13: a soft hyphen inside a quoted word does not split it;
            # 12: "9:30am", "10:15pm" and "9.30 am" are read as the times they are;
            # 11: a name without its diacritics ("Sao" for "São") is no substitution;
            # 10: a quotation over 300 characters is checked (and the next one too);
            # 9: profit/loss and surplus/deficit are contrast sets
            version=f"22+numbers-{numbers.version}+entities-{entities.version}"
            f"+wordnet-{table_digest()}",
            params=self._params.model_dump(mode="json"),
            model=entities.model,
        )

    def prepare(self) -> None:
        """Load the spaCy pipelines, WordNet's nouns and the stemmer now, not on the
        first batch."""
        self._entities.prepare()  # type: ignore[attr-defined]
        load_pipeline(self._params.model, "tagger")
        noun_table()
        _stemmer()

    def _nouns(self, summaries: Sequence[str]) -> list[list[tuple[int, int]]]:
        """The character spans of each summary's common nouns (`noun_spans`)."""
        tagger, _, _ = load_pipeline(self._params.model, "tagger")
        nouns: list[list[tuple[int, int]]] = [[] for _ in summaries]
        for index, offset, doc in pipe(tagger, summaries):
            nouns[index] += noun_spans(doc, offset)
        return nouns

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Score a batch (the numbers and entities checks run batched underneath)."""
        numbers = self._numbers.score(items)
        entities = self._entities.score(items)
        nouns = self._nouns([item.summary for item in items])
        results = []
        for item, number, entity, spans in zip(items, numbers, entities, nouns, strict=True):
            source = item.example.source
            bigrams, _ = _source_profile(source)
            novelty = novel_bigram_share(sentence_bigrams(item.summary), bigrams)
            flagged = [
                finding
                for finding in (*number.findings, *entity.findings)
                if finding.get("status") in ("unsupported", "context_mismatch")
            ]
            for finding in (
                *substitutions(item.summary, source),
                *unsupported_weekdays(item.summary, source),
                *unsupported_times(item.summary, source),
                *prefix_antonyms(item.summary, source),
                *self._contrast_swaps(item.summary, source),
                *negation_mismatches(item.summary, source),
                *unquoted_quotations(item.summary, source),
                *novel_nouns(item.summary, spans, source, _source_words(source)[0], _token_stem),
            ):
                if finding["kind"] == "negation" or not _overlaps_any(finding, flagged):
                    flagged.append(finding)
            copy_novelty = min(novelty, self._params.novelty_cap)
            penalty = self._penalty(flagged)
            results.append(
                MetricResult(
                    values={
                        "score": (1.0 - self._params.novelty_weight * copy_novelty)
                        * math.exp(-penalty),
                        "novel_bigrams": novelty,
                        "copy_novelty": copy_novelty,
                        "flags": float(len(flagged)),
                    },
                    findings=flagged,
                )
            )
        return results

    @staticmethod
    def _contrast_swaps(summary: str, source: str) -> list[dict[str, Any]]:
        summary_words = stemmed_spans(summary)
        source_words, source_negated = _source_words(source)
        summary_negated = frozenset(governed_words([word for word, _, _ in summary_words]))
        return contrast_swaps(
            summary,
            summary_words,
            source,
            source_words,
            (summary_negated, source_negated),
            contrast_partners(_stem),
        )

    def _penalty(self, flagged: Sequence[dict[str, Any]]) -> float:
        """The exponent of the flag factor: each flag's `kind_weight`."""
        return sum(kind_weight(self._params, finding["kind"]) for finding in flagged)


def _overlaps_any(finding: dict[str, Any], others: Sequence[dict[str, Any]]) -> bool:
    """Whether ``finding``'s summary span overlaps a span already flagged (counted once)."""
    start, end = finding["span"]
    return any(other["span"][0] < end and other["span"][1] > start for other in others)
