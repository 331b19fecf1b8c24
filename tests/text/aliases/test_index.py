"""Tests for `harness.text.aliases.index.SourceIndex`: the tables the rules read."""

from __future__ import annotations

from collections.abc import Callable

from harness.text.aliases import SourceIndex
from harness.text.aliases.index import pick

Source = Callable[..., SourceIndex]


def test_occurrences_guard_acronyms_and_longer_places(source: Source) -> None:
    index = source("Those who stayed in South Sudan met the WHO team.", ("South Sudan", "GPE"))
    found, why = index.occurrences(("who",), "WHO", "ORG")
    assert [name.text for name in found] == ["WHO"] and why.endswith("not written as an acronym")
    found, why = index.occurrences(("sudan",), "Sudan", "GPE")
    assert found == [] and "only inside 'South Sudan'" in why
    # inside a source place the guard holds whatever the mention's label
    found, why = index.occurrences(("sudan",), "Sudan", "ORG")
    assert found == [] and "only inside 'South Sudan'" in why
    # a name inside a longer organisation name is not guarded
    index = source("Shares of Western Union fell.", ("Western Union", "ORG"))
    found, _ = index.occurrences(("union",), "Union", "ORG")
    assert [name.entity.text if name.entity else None for name in found] == ["Western Union"]


def test_runs_are_capitalised_words_with_inner_function_words(source: Source) -> None:
    index = source("The Ministry of Health met Red Cross staff and Kenya and Qatar Airways.")
    assert [run.text for run in index.runs] == [
        "Ministry of Health",
        "Red Cross",
        "Kenya and Qatar Airways",
    ]
    assert all(run.entity is None for run in index.runs)


def test_names_put_entities_before_runs_with_another_key(source: Source) -> None:
    index = source("Red Cross staff met Kaja Kallas.", ("Kaja Kallas", "PERSON"))
    assert [(name.text, name.label) for name in index.names] == [
        ("Kaja Kallas", "PERSON"),
        ("Red Cross", None),
    ]


def test_definitions_and_expansions_of_acronyms(source: Source) -> None:
    index = source(
        "The Disaster and Emergency Management Authority (AFAD) and the National "
        "Intelligence Service spoke.",
        ("Disaster and Emergency Management Authority", "ORG"),
        ("National Intelligence Service", "ORG"),
    )
    assert index.definitions["afad"].text == "Disaster and Emergency Management Authority"
    assert index.expansions["nis"].text == "National Intelligence Service"
    assert index.expansions["afad"] is index.definitions["afad"]


def test_acronyms_written_in_the_source(source: Source) -> None:
    index = source("The IAEA and the U.N. met; the iaea again.")
    assert sorted(index.acronyms) == ["iaea", "un"]
    assert index.acronyms["iaea"].text == "IAEA"


def test_inversions_read_a_of_b_as_b_a(source: Source) -> None:
    index = source("The Ministry of the Interior said.", ("Ministry of the Interior", "ORG"))
    [(name, inverted, head, complement)] = index.inversions
    assert name.text == "Ministry of the Interior"
    assert inverted == ("interior", "ministry") and (head, complement) == ("ministry", "interior")


def test_admin_keys_and_demonyms_skip_people(source: Source) -> None:
    index = source(
        "Kursk Oblast and Ukraine; Georgia Smith.",
        ("Kursk Oblast", "GPE"),
        ("Ukraine", "GPE"),
        ("Georgia Smith", "PERSON"),
    )
    assert index.admin_keys["kursk"].text == "Kursk Oblast"
    assert "georgia smith" not in index.admin_keys
    assert index.demonyms["ukrainian"].text == "Ukraine"


def test_lookup_prefers_an_entity_then_a_text_occurrence(source: Source) -> None:
    index = source("Kyiv and Lviv.", ("Kyiv", "GPE"))
    kyiv = index.lookup("kyiv", "GPE", "Kyiv")
    assert kyiv is not None and kyiv.entity is not None and kyiv.entity.text == "Kyiv"
    lviv = index.lookup("lviv", "GPE", "Lviv")
    assert lviv is not None and lviv.entity is None and lviv.text == "Lviv"
    assert index.lookup("odesa", "GPE", "Odesa") is None


def test_pick_prefers_an_entity_of_the_same_label(source: Source) -> None:
    index = source(
        "Jordan said Michael Jordan met Jordan officials.",
        ("Michael Jordan", "PERSON"),
        ("Jordan officials", "NORP"),
    )
    found, _ = index.occurrences(("jordan",), "Jordan", "NORP")
    assert len(found) == 3
    assert pick(found, "NORP").text == "Jordan" and pick(found, "NORP").start == 31
    assert pick(found, "GPE").entity is not None
    assert pick(found, "GPE").entity.label == "PERSON"  # type: ignore[union-attr]
