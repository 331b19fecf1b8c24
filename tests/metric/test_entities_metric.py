"""Tests for the ``entities`` metric (Nan et al., 2021, with alias resolution)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from harness.config import MetricConfig
from harness.errors import ConfigError, MetricError
from harness.metric import METRICS, MetricInput, MetricResult, build_metric
from harness.metric import entities as entities_module
from harness.metric.entities import EntitiesMetric, EntitiesParams
from harness.records import Example
from harness.text.nlp import resolve_pipeline

NEWSBRIEFS = Path(__file__).resolve().parents[2] / "benchmarks" / "newsbriefs" / "articles.jsonl"

SOURCE = (
    "Energy Minister Mykola Tkachuk said Russian missiles struck a power plant in Ukraine's "
    "Kharkiv Oblast overnight. Grid operator Ukrenergo announced rolling outages across the "
    "Kharkiv region. The International Atomic Energy Agency said the Zaporizhzhia plant was "
    "not affected."
)
REFERENCE = "Mykola Tkachuk said Russian missiles hit Kharkiv Oblast and Ukrenergo cut power."
FINDING_KEYS = [
    "kind",
    "text",
    "span",
    "label",
    "status",
    "source_span",
    "source_text",
    "rule",
    "evidence",
]


def _metric(**params: Any) -> EntitiesMetric:
    return EntitiesMetric(EntitiesParams(**params))


def _score(
    summary: str, source: str = SOURCE, references: tuple[str, ...] = (REFERENCE,)
) -> MetricResult:
    item = MetricInput(Example(id="x", source=source, references=references), summary)
    [result] = _metric().score([item])
    return result


def _by_text(result: MetricResult) -> dict[str, dict[str, Any]]:
    return {finding["text"]: finding for finding in result.findings}


def test_registered_with_declared_values() -> None:
    entry = METRICS.get("entities")
    assert entry.requires == frozenset({"source"})
    assert [(spec.name, spec.higher_is_better) for spec in entry.values] == [
        ("precision", True),
        ("recall", True),
        ("unsupported", False),
    ]
    assert entry.value_names() == ["entities.precision", "entities.recall", "entities.unsupported"]


def test_faithful_summary_with_variants_is_fully_supported() -> None:
    summary = (
        "Nikolai Tkachuk said Russian missiles hit a plant in the Kharkiv region, and Ukrenergo "
        "announced outages; the IAEA said Zaporizhzhia was unaffected."
    )
    result = _score(summary)
    assert result.values == {"precision": 1.0, "recall": 1.0, "unsupported": 0.0}
    found = _by_text(result)
    assert found["Nikolai Tkachuk"]["rule"] == "transliteration"
    assert found["IAEA"]["rule"] == "acronym"
    assert found["IAEA"]["source_text"] == "International Atomic Energy Agency"
    assert all(finding["status"] == "supported" for finding in result.findings)


@pytest.mark.parametrize(
    ("summary", "source"),
    [
        ("Zelen\u00adsky met leaders in Brussels.", "Volodymyr Zelensky met leaders in Brussels."),
        ("Zelensky met leaders in Brussels.", "Volodymyr Zelen\u00adsky met leaders in Brussels."),
        ("Zelen\u00adskyy met leaders in Brussels.", "Volodymyr Zelensky met leaders in Brussels."),
        ("Zelen\u200dsky met leaders in Brussels.", "Volodymyr Zelensky met leaders in Brussels."),
    ],
)
def test_a_soft_hyphen_or_joiner_inside_a_name_is_no_word_break(summary: str, source: str) -> None:
    # web text carries invisible soft hyphens (U+00AD) where a word may break
    result = _score(summary, source, ())
    assert result.values["unsupported"] == 0.0, result.findings
    assert _score("Put\u00adin met leaders in Brussels.", source, ()).values["unsupported"] == 1.0


@pytest.mark.parametrize(
    ("summary", "source"),
    [
        ("The World Health Organisation said so.", "The World Health Organization said so."),
        ("The World Health Organization said so.", "The World Health Organisation said so."),
        ("The World Food Program said so.", "The World Food Programme said so."),
        ("The Kennedy Centre said so.", "The Kennedy Center said so."),
    ],
)
def test_british_and_american_spellings_of_a_name_are_one_name(summary: str, source: str) -> None:
    assert _score(summary, source, ()).values["unsupported"] == 0.0
    other = summary.replace("Health", "Trade").replace("Food", "Aid").replace("Kennedy", "Lincoln")
    assert _score(other, source, ()).values["unsupported"] == 1.0


def test_invented_person_is_unsupported_with_the_closest_candidate() -> None:
    summary = "Sergei Petrov said Russian missiles hit a plant in Kharkiv Oblast."
    result = _score(summary)
    finding = _by_text(result)["Sergei Petrov"]
    assert finding == {
        "kind": "entity",
        "text": "Sergei Petrov",
        "span": [0, 13],
        "label": "PERSON",
        "status": "unsupported",
        "source_span": None,
        "source_text": None,
        "rule": None,
        "evidence": finding["evidence"],
    }
    assert "'Sergei Petrov' (PERSON) is not in the source" in finding["evidence"]
    assert "closest source entity" in finding["evidence"]
    assert result.values["unsupported"] == 1.0
    assert result.values["precision"] == pytest.approx(2 / 3)


def test_swapped_organisation_is_unsupported() -> None:
    result = _score("Tkachuk said Naftogaz announced rolling outages in Kharkiv.")
    found = _by_text(result)
    assert found["Naftogaz"]["status"] == "unsupported"
    assert found["Tkachuk"]["status"] == "supported" and found["Tkachuk"]["rule"] == "surname"
    assert result.values["unsupported"] == 1.0


def test_extrinsic_place_is_unsupported() -> None:
    result = _score("Tkachuk said missiles struck a power plant in Odesa.")
    found = _by_text(result)
    assert found["Odesa"]["status"] == "unsupported"
    assert "closest source entity" in found["Odesa"]["evidence"]
    assert result.values["precision"] == 0.5


def test_findings_point_into_summary_and_source() -> None:
    summary = "The IAEA said Zaporizhzhia was safe, Ukrenergo said, as Tkachuk spoke in Kyiv."
    result = _score(summary)
    assert result.findings
    for finding in result.findings:
        assert list(finding) == FINDING_KEYS
        start, end = finding["span"]
        assert summary[start:end] == finding["text"]
        if finding["status"] == "supported":
            assert finding["rule"] and finding["source_span"] is not None
            s, e = finding["source_span"]
            assert SOURCE[s:e] == finding["source_text"]
        else:
            assert finding["rule"] is None and finding["source_span"] is None
        assert finding["evidence"].startswith(f"'{finding['text']}'") or finding[
            "evidence"
        ].startswith("the source introduces")
    json.dumps(result.findings)  # plain data for scores.jsonl


def test_repeated_entity_counts_once_but_every_mention_is_a_finding() -> None:
    summary = "Sergei Petrov met Tkachuk. Petrov and Sergei Petrov then left Kharkiv."
    result = _score(summary)
    mentions = [f["text"] for f in result.findings]
    assert mentions.count("Sergei Petrov") == 2
    keys_unsupported = {f["text"] for f in result.findings if f["status"] == "unsupported"}
    assert result.values["unsupported"] == float(len(keys_unsupported))


def test_summary_without_entities_has_no_precision() -> None:
    result = _score("Power was cut overnight after the strike.")
    assert result.values["precision"] is None
    assert result.values["unsupported"] == 0.0
    assert result.values["recall"] == 0.0  # the reference's entities are all missing
    assert result.reason is None


def test_capitalised_mention_may_match_a_lower_case_source_word() -> None:
    result = _score("Missiles struck a power plant overnight.", references=())
    for finding in result.findings:
        assert finding["status"] == "supported", finding


SEVILLE = (
    "Temperatures in Seville reached 44.6C on Monday, Spain's weather agency AEMET said. "
    "Hospitals in Andalusia reported 112 heat-related admissions, Governor Dale Mercer said."
)


def _untagged(summary: str) -> dict[str, tuple[str, str | None]]:
    """The summary's spans checked as names if the NER tagged nothing in it."""
    from harness.text.aliases import SourceIndex
    from harness.text.entities import TextAnalysis, analyse

    [source] = analyse([SEVILLE])
    found = entities_module._untagged(TextAnalysis.of(summary, []), SourceIndex(source), {})
    return {entity.text: (resolution.status, resolution.rule) for entity, resolution in found}


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        # an added name is flagged; names the source has are supported
        ("Temperatures in Seville, on the Guadalquivir, rose.",
         {"Seville": ("supported", "exact"), "Guadalquivir": ("unsupported", None)}),
        ("AEMET said Mercer was right.",
         {"AEMET": ("supported", "exact"), "Mercer": ("supported", "surname")}),
        ("It hit the Andalusia region.", {"Andalusia region": ("supported", "admin-suffix")}),
        # a sentence opener counts only as a name of the source; of several words,
        # the words after the first are tried alone
        ("Scorching Seville heat.", {"Seville": ("supported", "exact")}),
        ("Scorching Granada heat.", {"Granada": ("unsupported", None)}),
        ("Temperatures rose.", {}),
        ("Toledo sweltered.", {}),
        # a word the source has only in lower case or opening a sentence is no name
        ("The Admissions and the Hospitals rose.", {}),
    ],
)  # fmt: skip
def test_names_the_ner_misses(summary: str, expected: dict[str, tuple[str, str | None]]) -> None:
    assert _untagged(summary) == expected


def test_names_the_ner_misses_count_with_default_labels_only() -> None:
    summary = "Temperatures in Seville, on the Guadalquivir, reached 44.6C."
    result = _score(summary, source=SEVILLE, references=())
    found = _by_text(result)
    # (whether the NER or the fallback finds it, the name is flagged)
    assert found["Guadalquivir"]["status"] == "unsupported"
    assert found["Seville"]["status"] == "supported"
    assert result.values["unsupported"] == 1.0 and result.values["precision"] == 0.5
    item = MetricInput(Example(id="x", source=SEVILLE), summary)
    [places] = _metric(labels=["GPE"]).score([item])
    assert {f["label"] for f in places.findings} <= {"GPE"}


def test_recall_against_the_reference() -> None:
    # reference entities: Mykola Tkachuk, Russian, Kharkiv Oblast, Ukrenergo (as spaCy tags them)
    full = _score("Tkachuk said Russian missiles hit Kharkiv Oblast and Ukrenergo cut power.")
    assert full.values["recall"] == 1.0
    partial = _score("Tkachuk said missiles hit a plant.")
    assert partial.values["recall"] is not None and 0 < partial.values["recall"] < 0.5


def test_recall_averages_over_references_with_entities() -> None:
    summary = "Tkachuk said Russian missiles hit Kharkiv Oblast."
    tkachuk = "Energy Minister Mykola Tkachuk spoke on Monday."  # Mykola Tkachuk
    ukrenergo = "Grid operator Ukrenergo cut power in Kharkiv on Monday."  # Ukrenergo, Kharkiv
    no_names = "The weather was cold on Monday."
    assert _score(summary, references=(tkachuk,)).values["recall"] == 1.0
    assert _score(summary, references=(ukrenergo,)).values["recall"] == 0.5
    assert _score(summary, references=(tkachuk, ukrenergo, no_names)).values["recall"] == 0.75
    assert _score(summary, references=(no_names,)).values["recall"] is None


def test_recall_without_reference_uses_salient_source_entities() -> None:
    salient = entities_module._salient
    from harness.text.entities import NAME_LABELS, analyse

    [analysis] = analyse([SOURCE])
    kept = {entity.text for entity in salient(analysis, tuple(NAME_LABELS))}
    # lead sentences' entities, and entities mentioned twice (Kharkiv)
    assert {"Mykola Tkachuk", "Ukrenergo"} <= kept
    assert "International Atomic Energy Agency" not in kept
    result = _score(
        "Tkachuk said Russian missiles hit Ukraine's Kharkiv and Ukrenergo.", references=()
    )
    assert result.values["recall"] == 1.0
    nothing = _score("Officials spoke.", references=())
    assert nothing.values["recall"] == 0.0


def test_salient_groups_surnames_and_acronyms_with_full_names() -> None:
    from harness.text.entities import NAME_LABELS, analyse

    source = (
        "A storm hit the coast on Monday. Officials counted the damage.\n\n"
        "Later, Minister Adrian Vâlcu met the World Food Programme (WFP). "
        "Vâlcu said the WFP would help. Sergio Lima attended."
    )
    [analysis] = analyse([source])
    kept = {entity.text for entity in entities_module._salient(analysis, tuple(NAME_LABELS))}
    assert "Adrian Vâlcu" in kept and "World Food Programme" in kept
    assert "Sergio Lima" not in kept


def test_labels_param_restricts_the_check() -> None:
    summary = "Sergei Petrov said Naftogaz cut power in Kharkiv."
    item = MetricInput(Example(id="x", source=SOURCE), summary)
    [people] = _metric(labels=["PERSON"]).score([item])
    assert {f["label"] for f in people.findings} == {"PERSON"}
    [places] = _metric(labels=["gpe", "LOC"]).score([item])
    assert {f["label"] for f in places.findings} <= {"GPE", "LOC"}


def test_labels_are_validated_and_canonical() -> None:
    assert EntitiesParams(labels=["loc", "PERSON", "LOC"]).labels == ["LOC", "PERSON"]
    with pytest.raises(ValidationError, match="entity labels"):
        EntitiesParams(labels=["PEOPLE"])
    with pytest.raises(ValidationError):
        EntitiesParams(labels=[])
    with pytest.raises(ConfigError):
        build_metric(MetricConfig(name="entities", params={"labels": ["NAMES"]}), "metrics[0]")


def test_fingerprint_records_the_resolved_pipeline() -> None:
    fingerprint = _metric().fingerprint
    assert fingerprint.model == f"spacy:{resolve_pipeline().model_id}"
    assert fingerprint.params == {"model": None, "labels": None}
    named = _metric(model=resolve_pipeline().name).fingerprint
    assert named.model == fingerprint.model and named.digest() != fingerprint.digest()
    assert _metric(labels=["PERSON"]).fingerprint.digest() != fingerprint.digest()


def test_unknown_model_fails_at_build_time() -> None:
    with pytest.raises(MetricError, match="en_core_web_nope"):
        build_metric(MetricConfig(name="entities", params={"model": "en_core_web_nope"}), "m")


def test_one_ner_pass_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, bool]] = []
    real = entities_module.analyse

    def spy(texts: list[str], model: str | None = None, *, memo: bool = True) -> Any:
        calls.append((len(texts), memo))
        return real(texts, model, memo=memo)

    monkeypatch.setattr(entities_module, "analyse", spy)
    items = [
        MetricInput(Example(id=str(i), source=SOURCE, references=(REFERENCE,)), f"Tkachuk {i}.")
        for i in range(5)
    ]
    results = _metric().score(items)
    assert len(results) == 5
    # sources and references memoised (shared by systems), summaries not
    assert calls == [(5, True), (5, True), (5, False)]
    assert _metric().score([]) == []


def _newsbriefs() -> list[dict[str, str]]:
    with NEWSBRIEFS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_newsbriefs_references_are_supported_by_their_articles() -> None:
    rows = _newsbriefs()
    items = [MetricInput(Example(id=r["id"], source=r["source"]), r["reference"]) for r in rows]
    results = _metric().score(items)
    flagged = [
        (row["id"], finding["text"], finding["evidence"])
        for row, result in zip(rows, results, strict=True)
        for finding in result.findings
        if finding["status"] == "unsupported"
    ]
    assert flagged == []
    precisions = [r.values["precision"] for r in results if r.values["precision"] is not None]
    assert len(precisions) == 40 and sum(precisions) / 40 == 1.0
    rules = {finding["rule"] for result in results for finding in result.findings}
    assert {"exact", "acronym", "transliteration", "demonym", "admin-suffix"} <= rules


def test_newsbriefs_invented_names_are_flagged() -> None:
    rows = _newsbriefs()
    items = [
        MetricInput(
            Example(id=r["id"], source=r["source"]),
            r["reference"] + " Sergei Petrov welcomed the decision in Lisbon.",
        )
        for r in rows
    ]
    for row, result in zip(rows, _metric().score(items), strict=True):
        unsupported = {f["text"] for f in result.findings if f["status"] == "unsupported"}
        assert unsupported == {"Sergei Petrov", "Lisbon"}, row["id"]


def test_newsbriefs_people_swapped_between_articles_are_flagged() -> None:
    rows = _newsbriefs()
    # the full-name people of each article, as the reference names them
    from harness.text.entities import analyse

    references = analyse([row["reference"] for row in rows], memo=False)
    people = [
        [e.text for e in analysis.entities_with(["PERSON"]) if len(e.tokens) >= 2]
        for analysis in references
    ]
    items = []
    for i, row in enumerate(rows):
        donor = next(p[0] for p in people[i + 1 :] + people[: i + 1] if p and p != people[i])
        summary = f"Officials said {donor} had confirmed the figures on Monday."
        items.append(MetricInput(Example(id=row["id"], source=row["source"]), summary))
    results = _metric().score(items)
    missed = [
        item.summary
        for item, result in zip(items, results, strict=True)
        if not any(f["status"] == "unsupported" for f in result.findings)
    ]
    assert missed == []


def test_a_weekday_abbreviation_is_no_name() -> None:
    # "Mon" and "Fri" for "Monday" and "Friday" were flagged as names the source lacks
    metric = build_metric(MetricConfig(name="entities"), "test")[1]
    item = MetricInput(
        example=Example(id="w", source="The shop is open Monday to Friday."),
        summary="The shop is open Mon to Fri.",
    )
    assert metric.score([item])[0].findings == []


@pytest.mark.parametrize(
    ("source", "summary", "name"),
    [
        ("The mayor of New York resigned.", "The mayor of York resigned.", "York"),
        (
            "The Democratic Republic of the Congo held elections.",
            "The Republic of the Congo held elections.",
            "Republic of the Congo",
        ),
    ],
)
def test_a_place_inside_a_longer_source_place_is_unsupported(
    source: str, summary: str, name: str
) -> None:
    # spaCy tags the summary's "York" ORG: the guard reads the source's place
    result = _score(summary, source=source, references=())
    assert result.values["precision"] == 0.0
    finding = _by_text(result)[name]
    assert finding["status"] == "unsupported"
    assert "a different place" in finding["evidence"]


def test_a_persons_title_inside_the_tagged_name_is_no_unsupported_word() -> None:
    # the NER tags "Dr Müller" (no dot) with its title, "Angela Müller" without
    source = "Dr. Angela Müller, chief economist at Deutsche Bank, said growth would slow."
    result = _score("Dr Müller of Deutsche Bank said growth would slow.", source, ())
    assert result.values["unsupported"] == 0.0, result.findings
    summary = "Dr Müller of Deutsche Bank said growth would slow."
    found = _by_text(result)["Müller"]
    assert summary[found["span"][0] : found["span"][1]] == "Müller"
    assert found["rule"] == "surname"
    other = _score("Dr Schulz of Deutsche Bank said growth would slow.", source, ())
    assert other.values["unsupported"] == 1.0


def test_an_emoji_before_a_name_is_not_in_its_span() -> None:
    source = "\U0001f680 SpaceX launched 60 satellites on Friday."
    summary = "\U0001f680\U0001f680 SpaceX launched 60 satellites."
    (finding,) = _score(summary, source, ()).findings
    assert (finding["text"], finding["status"]) == ("SpaceX", "supported")
    assert summary[finding["span"][0] : finding["span"][1]] == "SpaceX"
    assert finding["source_text"] == "SpaceX"
