"""Tests for `harness.text.aliases.resolve`: what a resolution points at, and the
closest candidate with the reason when nothing matches; the seed-brief tests
at the end run the real spaCy pipeline."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harness.text.aliases import SourceIndex, resolve
from harness.text.entities import Entity, analyse

Ent = Callable[..., Entity]
Source = Callable[..., SourceIndex]


def test_supported_resolution_points_at_the_source(ent: Ent, source: Source) -> None:
    text = "Energy Minister Mykola Tkachuk said the grid held."
    index = source(text, ("Mykola Tkachuk", "PERSON"))
    resolution = resolve(ent("Nikolai Tkachuk"), index=index)
    assert resolution.status == "supported"
    assert resolution.matched is not None and resolution.matched.text == "Mykola Tkachuk"
    assert resolution.source_span is not None
    start, end = resolution.source_span
    assert text[start:end] == resolution.source_text == "Mykola Tkachuk"
    assert "nikolai ~ mykola" in resolution.evidence
    assert resolution.closest is None


def test_text_occurrence_has_the_span_of_the_occurrence(ent: Ent) -> None:
    text = "Elering said the damaged Soome-Link cable would be repaired."
    resolution = resolve(ent("Soome-Link", "ORG"), [], text)
    assert resolution.rule == "source-text"
    assert resolution.matched is None
    assert resolution.source_span == (text.index("Soome"), text.index(" cable"))


def test_unsupported_names_the_closest_candidate_and_why(ent: Ent, source: Source) -> None:
    text = "Energy Minister Mykola Tkachuk said Ukrenergo would cut power in Kharkiv."
    index = source(text, ("Mykola Tkachuk", "PERSON"), ("Ukrenergo", "ORG"), ("Kharkiv", "GPE"))
    resolution = resolve(ent("Sergei Tkachuk"), index=index)
    assert resolution.status == "unsupported"
    assert resolution.rule is None and resolution.matched is None
    assert resolution.source_span is None
    assert resolution.closest is not None and resolution.closest.text == "Mykola Tkachuk"
    assert "closest source entity 'Mykola Tkachuk' (PERSON)" in resolution.evidence
    assert "'sergei' has no counterpart" in resolution.evidence


def test_unsupported_place_inside_a_longer_place_says_so(ent: Ent, source: Source) -> None:
    resolution = resolve(
        ent("Sudan", "GPE"), index=source("Refugees in South Sudan.", ("South Sudan", "GPE"))
    )
    assert resolution.closest is not None and resolution.closest.text == "South Sudan"
    assert "occurs only inside 'South Sudan', a different place" in resolution.evidence


def test_unsupported_acronym_names_initials(ent: Ent, source: Source) -> None:
    resolution = resolve(
        ent("NSS", "ORG"),
        index=source(
            "The National Intelligence Service said.", ("National Intelligence Service", "ORG")
        ),
    )
    assert "initials are nis" in resolution.evidence


def test_feminine_form_is_explained(ent: Ent, source: Source) -> None:
    resolution = resolve(ent("Ivanova"), index=source("Ivanov said.", ("Ivanov", "PERSON")))
    assert "'ivanova' extends 'ivanov'" in resolution.evidence


def test_source_without_entities(ent: Ent) -> None:
    resolution = resolve(ent("Kyiv", "GPE"), [], "Nothing named here.")
    assert resolution.status == "unsupported" and resolution.closest is None
    assert "the source has no named entities" in resolution.evidence


def test_resolve_needs_a_source(ent: Ent) -> None:
    with pytest.raises(ValueError, match="source_text"):
        resolve(ent("Kyiv", "GPE"))


# From the project's seed briefs (/work/shared/seed): one brief as the source.
SEED_SOURCE = (
    "South Korea’s National Intelligence Service (NIS) reported that at least 300 North Korean "
    "soldiers have died and 2,700 have been wounded fighting in Russia’s Kursk Oblast, largely "
    "due to their inexperience in modern warfare. These casualties align with President "
    "Zelensky’s earlier claim of 4,000 total North Korean casualties. The NIS also alleges that "
    "North Korean soldiers have been forced to commit suicide to evade capture by Ukrainian "
    "forces, a claim corroborated by the White House. Recently, Ukraine captured two North "
    "Korean soldiers, highlighting the ongoing conflict’s impact on North Korean troops deployed "
    "to support Russia."
)


@pytest.mark.parametrize(
    ("mention", "label"),
    [
        ("Zelensky", "PERSON"),
        ("Zelenskyy", "PERSON"),
        ("Zelenskiy", "PERSON"),
        ("Volodymyr Zelensky", "PERSON"),  # adds a given name: see below
        ("NIS", "ORG"),
        ("National Intelligence Service", "ORG"),
        ("Kursk Oblast", "GPE"),
        ("Kursk region", "GPE"),
        ("Kursk", "GPE"),
        ("North Korean", "NORP"),
        ("North Korea", "GPE"),
        ("Ukrainian", "NORP"),
        ("Ukraine", "GPE"),
        ("South Korea", "GPE"),
        ("Russian", "NORP"),
    ],
)
def test_seed_brief_variants(mention: str, label: str, ent: Ent) -> None:
    [analysis] = analyse([SEED_SOURCE])
    resolution = resolve(ent(mention, label), index=SourceIndex(analysis))
    expected = mention != "Volodymyr Zelensky"
    assert resolution.supported is expected, resolution.evidence


def test_seed_brief_rejects_extrinsic_names(ent: Ent) -> None:
    [analysis] = analyse([SEED_SOURCE])
    index = SourceIndex(analysis)
    for mention, label in [("Pyongyang", "GPE"), ("Kim Jong Un", "PERSON"), ("Korea", "GPE")]:
        assert not resolve(ent(mention, label), index=index).supported, mention


def test_compound_false_leaves_the_compound_rule_out(ent: Ent, source: Source) -> None:
    index = source("The EU said the General Court ruled.", ("EU", "ORG"), ("General Court", "ORG"))
    assert resolve(ent("EU General Court", "ORG"), index=index).rule == "compound"
    assert not resolve(ent("EU General Court", "ORG"), index=index, compound=False).supported


@pytest.mark.parametrize(
    ("mention", "label"),
    [
        ("Zelensky", "PERSON"),
        ("Volodymyr Zelensky", "PERSON"),
        ("NIS", "ORG"),
        ("Kursk region", "GPE"),
        ("North Korea", "GPE"),
        ("Pyongyang", "GPE"),
        ("Kim Jong Un", "PERSON"),
        ("Korea", "GPE"),
        ("Russian Kursk Oblast", "GPE"),
        ("White House Intelligence Service", "ORG"),
    ],
)
def test_unexplained_resolution_decides_support_the_same_way(
    mention: str, label: str, ent: Ent
) -> None:
    [analysis] = analyse([SEED_SOURCE])
    index = SourceIndex(analysis)
    explained = resolve(ent(mention, label), index=index)
    unexplained = resolve(ent(mention, label), index=index, explain=False)
    if explained.supported:
        assert unexplained == explained
    else:
        assert unexplained.status == "unsupported" and unexplained.closest is None
        assert unexplained.evidence == f"'{mention}' ({label}) is not in the source"
