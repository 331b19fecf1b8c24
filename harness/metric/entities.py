"""Entity-level factual consistency: are the summary's named entities in the source?

``precision`` is the source precision ``prec_s`` of Nan et al. (2021),
"Entity-level Factual Consistency of Abstractive Text Summarization", EACL,
https://aclanthology.org/2021.eacl-main.235/: the share of the summary's named
entities that the source supports. As in the paper, entities are compared as
a set: each distinct entity (normalised key, `harness.text.entities`) counts
once however often the summary repeats it. Unlike the paper's exact n-gram
match, support goes through alias resolution (`harness.text.aliases`):
"Zelensky" is supported by "Volodymyr Zelenskyy", "NIS" by "National
Intelligence Service", "Kursk region" by "Kursk Oblast", "North Korean" by
"North Korea".

``recall`` is the share of *key* entities the summary keeps:

- with references: the distinct entities of each reference with at least
  one entity, averaged over those references. A reference entity is kept when
  the summary supports it by the same rules (searching the summary's entities
  and text), or when a summary entity is a shorter form of it ("Zelensky"
  keeps "Volodymyr Zelenskyy");
- without a reference: the source's salient entities — those mentioned at
  least twice (a surname or acronym mention counts for the full name it
  shortens) or first mentioned in the first two sentences.

``unsupported`` counts the distinct summary entities the source does not
support (lower is better).

Labels: people, organisations, places, nationalities, facilities, events,
products, laws and works of art (`harness.text.entities.NAME_LABELS`); dates,
times, money, percentages, quantities, ordinals and cardinals are left to the
``numbers`` metric. ``labels`` overrides the set.

Names the NER misses. A small NER model misses names ("IAEA inspectors
arrived", "Seville, on the Guadalquivir", "Mercer declared"), so with the
default ``labels`` the summary's capitalised spans that no entity or number
covers are checked too (`harness.text.entities.untagged_names`, label
``NAME``): one the source does not support is ``unsupported`` (the name was
added); one it supports counts, as supported, only when the support is a
name in the source (an entity, or a capitalised word that does not open a
sentence: "the Government" against "the government" is no name). A span
that opens a sentence, where every word is capitalised, is never flagged:
it counts only when the source supports it as a name (of several words, the
words after the first are tried on their own too). On the consistent
SummEdits summaries this adds one flag in 905 (a product name paraphrased),
and flags 50 more of the 1,691 inconsistent ones.

Findings: one per summary entity mention, ``{"kind": "entity", "text",
"span", "label", "status", "source_span", "source_text", "rule",
"evidence"}``; an unsupported one's evidence names the closest source entity
and why it was rejected.

Speed: one ``nlp.pipe`` pass per batch over the summaries and the sources and
references not yet analysed; a source's analysis and its alias index are
memoised by text, so every system's summary of an article reuses them. The
results are memoised too (`harness.metric._memo`), so ``consistency``, which
runs this check on the pairs just scored, does not run it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from harness.metric._memo import RESULTS
from harness.metric._protocol import MetricInput, MetricResult, ValueSpec, metric
from harness.records import Fingerprint
from harness.text.aliases import (
    ADMIN_WORDS,
    Resolution,
    SourceIndex,
    acronym_of,
    initials,
    is_acronym,
    match_tokens,
    resolve,
)
from harness.text.entities import (
    ALL_LABELS,
    NAME_LABELS,
    Entity,
    TextAnalysis,
    analyse,
    opens_sentence,
    untagged_names,
)
from harness.text.nlp import load_pipeline, resolve_pipeline
from harness.text.restore import restore
from harness.text.sentences import sentence_spans

#: Sentences at the start of a source whose entities are salient (no-reference recall).
LEAD_SENTENCES = 2
#: Mentions that make a source entity salient wherever it appears.
SALIENT_MENTIONS = 2


class EntitiesParams(BaseModel):
    """Parameters of the ``entities`` metric.

    Attributes:
        model: spaCy pipeline (package name or directory); ``None`` uses the
            first installed of `harness.text.nlp.KNOWN_PIPELINES`.
        labels: Entity labels to check (spaCy OntoNotes labels); ``None``
            keeps the name labels. Stored upper-case, deduplicated and sorted
            so equal selections share one fingerprint.
    """

    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    labels: list[str] | None = None

    @field_validator("labels")
    @classmethod
    def _known_labels(cls, labels: list[str] | None) -> list[str] | None:
        if labels is None:
            return None
        canonical = sorted({label.upper() for label in labels})
        unknown = [label for label in canonical if label not in ALL_LABELS]
        if unknown or not canonical:
            raise ValueError(
                f"expected a non-empty list of entity labels from {', '.join(sorted(ALL_LABELS))};"
                f" got {labels!r}"
            )
        return canonical


@lru_cache(maxsize=256)
def _source_index(analysis: TextAnalysis, labels: tuple[str, ...]) -> SourceIndex:
    """One alias index per (memoised source analysis, labels), shared by every system.

    Fewer are kept than analyses (an index holds the token table; rebuilding
    one costs a fraction of a millisecond, its NER pass far more).
    """
    return SourceIndex(analysis, labels)


@lru_cache(maxsize=2048)
def _salient(analysis: TextAnalysis, labels: tuple[str, ...]) -> tuple[Entity, ...]:
    """Salient source entities (see the module docstring), one per entity group.

    A mention joins the first group whose first mention it is the same entity
    as (`_same_mention`), else starts a group. That test reads only a mention's
    text, label and key, so every repeat of one joins the group its first
    occurrence joined (the groups before it never change); only distinct
    mentions are compared with the groups, which keeps a book-length source
    (28,000 mentions in 200,000 words) to seconds instead of many minutes.
    """
    spans = sentence_spans(analysis.text)
    lead_end = spans[min(LEAD_SENTENCES, len(spans)) - 1][1] if spans else 0
    groups: list[list[Entity]] = []
    heads: list[_Mention] = []
    group_of: dict[tuple[str, str, str], int] = {}
    for entity in analysis.entities_with(labels):
        shape = (entity.text, entity.label, entity.key)
        index = group_of.get(shape)
        if index is None:
            mention = _mention(*shape)
            index = next(
                (i for i, head in enumerate(heads) if _same_mention(mention, head)), len(groups)
            )
            if index == len(groups):
                groups.append([])
                heads.append(mention)
            group_of[shape] = index
        groups[index].append(entity)
    return tuple(
        max(group, key=lambda entity: len(entity.tokens))
        for group in groups
        if len(group) >= SALIENT_MENTIONS or group[0].start < lead_end
    )


@dataclass(frozen=True)
class _Mention:
    """What `_shortens` reads of a mention, worked out once per (text, label, key)."""

    key: str
    tokens: tuple[str, ...]
    person: bool
    acronym: str | None  # its letters, if the mention is written as an acronym
    initials: frozenset[str]


@lru_cache(maxsize=65536)
def _mention(text: str, label: str, key: str) -> _Mention:
    return _Mention(
        key=key,
        tokens=tuple(key.split(" ")),
        person=label == "PERSON",
        acronym=acronym_of(text) if is_acronym(text) else None,
        initials=frozenset(initials(text)),
    )


def _shortens(short: Entity, full: Entity) -> bool:
    """``short`` is a shorter mention of ``full``: its words, or its acronym."""
    return _shortens_mention(
        _mention(short.text, short.label, short.key), _mention(full.text, full.label, full.key)
    )


def _shortens_mention(short: _Mention, full: _Mention) -> bool:
    if short.key == full.key:
        return True
    if short.acronym is not None:
        return short.acronym in full.initials
    person = short.person or full.person
    return match_tokens(short.tokens, full.tokens, person=person) is not None


def _same_mention(mention: _Mention, other: _Mention) -> bool:
    return _shortens_mention(mention, other) or _shortens_mention(other, mention)


def _resolve_in_source(entity: Entity, index: SourceIndex, *, explain: bool = True) -> Resolution:
    """`resolve` against a (memoised) source index, remembered on the index.

    A resolution depends on the entity's text, label and key alone (not where
    it stands), and the summaries of one article (every system's, or a
    benchmark's edits of one summary) mostly repeat the same names.
    """
    key = (entity.text, entity.label, entity.key, explain)
    resolution = index.resolved.get(key)
    if resolution is None:
        resolution = index.resolved[key] = resolve(entity, index=index, explain=explain)
    return resolution


def _finding(entity: Entity, resolution: Resolution) -> dict[str, Any]:
    return {
        "kind": "entity",
        "text": entity.text,
        "span": [entity.start, entity.end],
        "label": entity.label,
        "status": resolution.status,
        "source_span": list(resolution.source_span) if resolution.source_span else None,
        "source_text": resolution.source_text,
        "rule": resolution.rule,
        "evidence": resolution.evidence,
    }


def _names_a_source_name(resolution: Resolution, index: SourceIndex) -> bool:
    """The support is a name in the source: an entity, or a capitalised word
    that does not open a sentence (not "shelling" nor "Shelling killed ...")."""
    if resolution.matched is not None:
        return True
    if resolution.source_span is None:
        return False
    start = resolution.source_span[0]
    return index.text[start : start + 1].isupper() and not opens_sentence(
        index.text, start, index.sentence_starts
    )


def _untagged(
    summary: TextAnalysis, index: SourceIndex, known: dict[str, Resolution]
) -> list[tuple[Entity, Resolution]]:
    """Names of the summary its NER missed (`untagged_names`), with their resolution.

    A span the source supports counts only when the support is a name there
    (an entity, or a capitalised word the source's NER missed too that does not
    open a sentence): "the Government" for "the government" is not a name. A
    span the source does not support counts, as unsupported, unless it opens
    a sentence, where any word is capitalised; of a sentence-opening span of
    several words, the words after the first are tried as a span of their own
    ("Average Panamax waiting times" -> "Panamax").
    """
    found: list[tuple[Entity, Resolution]] = []
    for candidate in untagged_names(summary, ADMIN_WORDS):
        entity = candidate.entity
        # an unsupported sentence-opening span is never a finding: no need to explain it
        resolution = known.get(entity.key) or _resolve_in_source(
            entity, index, explain=not candidate.initial
        )
        if resolution.supported and _names_a_source_name(resolution, index):
            found.append((entity, resolution))
            continue
        if candidate.initial and candidate.rest is not None:
            # the first word may just open the sentence: "Average Panamax waiting times"
            entity = candidate.rest
            resolution = known.get(entity.key) or _resolve_in_source(entity, index)
        elif candidate.initial or resolution.supported:
            continue
        if not resolution.supported or _names_a_source_name(resolution, index):
            found.append((entity, resolution))
    return found


def _kept(key_entity: Entity, summary: SourceIndex) -> bool:
    """Whether the summary keeps a key entity of the reference or source."""
    if resolve(key_entity, index=summary, explain=False).supported:
        return True
    return any(_shortens(entity, key_entity) for entity in summary.entities)


def _share_kept(key_entities: Sequence[Entity], summary: SourceIndex) -> float | None:
    distinct = list({entity.key: entity for entity in key_entities}.values())
    if not distinct:
        return None
    return sum(_kept(entity, summary) for entity in distinct) / len(distinct)


_VALUES = [
    ValueSpec(
        "precision",
        True,
        "Share of distinct summary entities supported by the source, with alias resolution"
        " (prec_s of Nan et al., 2021); null if the summary has no entities",
    ),
    ValueSpec(
        "recall",
        True,
        "Share of key entities the summary keeps: the reference's entities, else the source's"
        " salient ones (mentioned twice or in the first two sentences)",
    ),
    ValueSpec(
        "unsupported", False, "Number of distinct summary entities the source does not support"
    ),
]


@metric(
    "entities",
    params=EntitiesParams,
    values=_VALUES,
    requires=["source"],
    description="Named entities of the summary supported by the source (aliases, acronyms,"
    " transliterations, demonyms), and key entities kept (Nan et al., 2021).",
    latin_script=True,
)
class EntitiesMetric:
    """Entity precision against the source, recall of key entities, unsupported count.

    Args:
        params: Validated parameters.

    Raises:
        MetricError: The configured spaCy pipeline is not installed.
        MissingDependencyError: No spaCy English pipeline is installed.
    """

    def __init__(self, params: EntitiesParams) -> None:
        self._params = params
        self._pipeline = resolve_pipeline(params.model)
        self._labels: tuple[str, ...] = tuple(
            NAME_LABELS if params.labels is None else params.labels
        )
        self._digest = self.fingerprint.digest()

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version, params and the resolved spaCy pipeline (``name==version``)."""
        return Fingerprint(
            kind="metric",
            name="entities",
            # 10: a tokenised summary's spaced numbers ("$ 7 . 6 billion") are rejoined;
            # 9: "Organisation"/"Organization", "Defence"/"Defense", "Centre"/"Center",
            # "Programme"/"Program" in a name are one spelling;
            # 8: a soft hyphen or zero-width joiner inside a name ("Zelen\u00adsky") is no
            # word break;
            # 7: emoji and zero-width characters at a mention's ends are trimmed;
            # 6: a person's title tagged with the name ("Dr Müller") is trimmed;
            # 5: a name inside a longer source place after a direction word ("York" in
            # "New York", "Republic of the Congo" in "Democratic Republic of the Congo")
            # is unsupported whatever the summary's label; 4: "Mon", "Fri" are no
            # names; 3: uncased text restored first
            version="10",
            params=self._params.model_dump(mode="json"),
            model=f"spacy:{self._pipeline.model_id}",
        )

    def prepare(self) -> None:
        """Load the spaCy pipeline now, not on the first batch."""
        load_pipeline(self._params.model)

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Score a batch: one NER pass over the summaries and the unseen sources/references.

        Args:
            items: Pairs with a non-blank summary and source.

        Returns:
            One result per item, in order.
        """
        # `consistency` checks the same pairs again: it gets these results from the memo
        return RESULTS.score(self._digest, items, self._score_batch)

    def _score_batch(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        if not items:
            return []
        model = self._params.model
        sources = analyse([item.example.source for item in items], model)
        references = analyse(
            [reference for item in items for reference in item.example.references], model
        )
        # a lower-cased or tokenised summary is analysed restored, its spans mapped back
        restored = [restore(item.summary, item.example.source) for item in items]
        summaries = analyse([r.text for r in restored], model, memo=False)
        results: list[MetricResult] = []
        offset = 0
        for item, source, summary, form in zip(items, sources, summaries, restored, strict=True):
            n_refs = len(item.example.references)
            result = self._score_one(source, summary, references[offset : offset + n_refs])
            result.findings[:] = [form.finding(finding) for finding in result.findings]
            results.append(result)
            offset += n_refs
        return results

    def _score_one(
        self, source: TextAnalysis, summary: TextAnalysis, references: Sequence[TextAnalysis]
    ) -> MetricResult:
        index = _source_index(source, self._labels)
        resolutions: dict[str, Resolution] = {}
        mentions: list[tuple[Entity, Resolution]] = []
        for entity in summary.entities_with(self._labels):
            resolution = resolutions.get(entity.key)
            if resolution is None:
                resolution = resolutions[entity.key] = _resolve_in_source(entity, index)
            mentions.append((entity, resolution))
        if self._params.labels is None:
            for entity, resolution in _untagged(summary, index, resolutions):
                resolutions.setdefault(entity.key, resolution)
                mentions.append((entity, resolution))
            mentions.sort(key=lambda mention: mention[0].start)
        findings = [_finding(entity, resolution) for entity, resolution in mentions]
        n_supported = sum(resolution.supported for resolution in resolutions.values())
        precision = n_supported / len(resolutions) if resolutions else None

        summary_index = SourceIndex(summary, self._labels)
        if references:
            shares = [
                _share_kept(reference.entities_with(self._labels), summary_index)
                for reference in references
            ]
            defined = [share for share in shares if share is not None]
            recall = sum(defined) / len(defined) if defined else None
        else:
            recall = _share_kept(_salient(source, self._labels), summary_index)
        return MetricResult(
            values={
                "precision": precision,
                "recall": recall,
                "unsupported": float(len(resolutions) - n_supported),
            },
            findings=findings,
        )


__all__ = [
    "LEAD_SENTENCES",
    "SALIENT_MENTIONS",
    "EntitiesMetric",
    "EntitiesParams",
]
