"""Tests for the alias rules (`harness.text.aliases.rules`), through `resolve`.

The rule table builds the source entities by hand (no NER), so each rule is
tested on exactly the input it sees.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harness.text.aliases import SourceIndex, resolve
from harness.text.aliases.records import Resolution
from harness.text.aliases.rules import RULES, Rule, compound_rule, occurrence_rule
from harness.text.entities import Entity

Case = tuple[str, str, str, tuple[tuple[str, str], ...], str | None]

# (summary entity, its label, source text, source entities, expected rule or None = unsupported)
CASES: list[Case] = [
    # exact: case, diacritics, possessive, leading "the", punctuation
    (
        "Valcu",
        "PERSON",
        "Finance Minister Adrian Vâlcu said.",
        (("Adrian Vâlcu", "PERSON"),),
        "surname",
    ),
    ("Vâlcu", "PERSON", "Finance Minister Valcu said.", (("Valcu", "PERSON"),), "exact"),
    ("Matej Kovacic", "PERSON", "Matej Kovačič won.", (("Matej Kovačič", "PERSON"),), "exact"),
    (
        "Kestrel Orbital's",
        "ORG",
        "Kestrel Orbital launched.",
        (("Kestrel Orbital", "ORG"),),
        "exact",
    ),
    ("the EU", "ORG", "The EU's envoy said.", (("EU", "ORG"),), "exact"),
    ("U.S.", "GPE", "The US Treasury said.", (("US", "GPE"),), "exact"),
    ("KYIV", "GPE", "Officials in Kyiv said.", (("Kyiv", "GPE"),), "exact"),
    (
        "u.s. bureau of land management",
        "ORG",
        "Now the u. S. Bureau of land management is",
        (),
        "source-text",
    ),
    # surname-only and partial mentions, text the NER missed
    (
        "Zelensky",
        "PERSON",
        "Volodymyr Zelensky spoke.",
        (("Volodymyr Zelensky", "PERSON"),),
        "surname",
    ),
    ("Ersoy", "PERSON", "Kemal Ersoy of AFAD said.", (("Kemal Ersoy", "PERSON"),), "surname"),
    ("Hoshida", "ORG", "Hoshida Electronics fell.", (("Hoshida Electronics", "ORG"),), "partial"),
    ("Soome-Link", "ORG", "The damaged Soome-Link cable.", (), "source-text"),
    ("Zelenskiy", "PERSON", "Zelenskiy’s proposal to exchange soldiers.", (), "source-text"),
    # a surname with a given name the source never uses with it
    (
        "Oleksandr Zelensky",
        "PERSON",
        "Volodymyr Zelensky spoke.",
        (("Volodymyr Zelensky", "PERSON"),),
        None,
    ),
    ("Volodymyr Zelensky", "PERSON", "President Zelensky spoke.", (("Zelensky", "PERSON"),), None),
    ("Sergei Tkachuk", "PERSON", "Mykola Tkachuk said.", (("Mykola Tkachuk", "PERSON"),), None),
    # transliteration
    (
        "Zelensky",
        "PERSON",
        "Volodymyr Zelenskyy spoke.",
        (("Volodymyr Zelenskyy", "PERSON"),),
        "transliteration",
    ),
    (
        "Zelenskiy",
        "PERSON",
        "President Zelenskyy spoke.",
        (("Zelenskyy", "PERSON"),),
        "transliteration",
    ),
    (
        "Zelenskyy",
        "PERSON",
        "President Zelenskiy spoke.",
        (("Zelenskiy", "PERSON"),),
        "transliteration",
    ),
    (
        "Taras Gritsenko",
        "PERSON",
        "Taras Hrytsenko said.",
        (("Taras Hrytsenko", "PERSON"),),
        "transliteration",
    ),
    (
        "Hrytsenko",
        "PERSON",
        "Minister Gritsenko said.",
        (("Gritsenko", "PERSON"),),
        "transliteration",
    ),
    (
        "Nikolai Tkachuk",
        "PERSON",
        "Mykola Tkachuk said.",
        (("Mykola Tkachuk", "PERSON"),),
        "transliteration",
    ),
    (
        "Vladimir Zelensky",
        "PERSON",
        "Volodymyr Zelenskyy said.",
        (("Volodymyr Zelenskyy", "PERSON"),),
        "transliteration",
    ),
    (
        "Tesfay Gebremedhin",
        "PERSON",
        "Tesfaye Gebremedhin won.",
        (("Tesfaye Gebremedhin", "PERSON"),),
        "transliteration",
    ),
    (
        "Muhammad Ali",
        "PERSON",
        "Mohammed Ali said.",
        (("Mohammed Ali", "PERSON"),),
        "transliteration",
    ),
    ("Zelenskyy", "PERSON", "The Zelenskyy speech.", (), "transliteration")
    if False
    else ("Zelensky", "PERSON", "Zelenskyy said so.", (), "transliteration"),
    # transliteration negatives: other people, other places
    ("Kim", "PERSON", "Kin said.", (("Kin", "PERSON"),), None),
    ("Ivanova", "PERSON", "Ivanov said.", (("Ivanov", "PERSON"),), None),
    ("Ivanov", "PERSON", "Ivanova said.", (("Ivanova", "PERSON"),), None),
    ("Maria", "PERSON", "Mario said.", (("Mario", "PERSON"),), None),
    ("Petrov", "PERSON", "Petrenko said.", (("Petrenko", "PERSON"),), None),
    ("Guyana", "GPE", "Floods in Guinea.", (("Guinea", "GPE"),), None),
    ("Austria", "GPE", "Fires in Australia.", (("Australia", "GPE"),), None),
    ("Sergei Petrov", "PERSON", "Mykola Tkachuk said.", (("Mykola Tkachuk", "PERSON"),), None),
    # acronyms, both ways, and introduced in parentheses
    (
        "NIS",
        "ORG",
        "The National Intelligence Service said.",
        (("National Intelligence Service", "ORG"),),
        "acronym",
    ),
    ("National Intelligence Service", "ORG", "The NIS said.", (("NIS", "ORG"),), "acronym"),
    (
        "IAEA",
        "ORG",
        "The International Atomic Energy Agency said.",
        (("International Atomic Energy Agency", "ORG"),),
        "acronym",
    ),
    ("International Atomic Energy Agency", "ORG", "IAEA inspectors said.", (), "acronym"),
    (
        "OCHA",
        "ORG",
        "The UN Office for the Coordination of Humanitarian Affairs said.",
        (),
        "acronym",
    ),
    ("UNHCR", "ORG", "The UN High Commissioner for Refugees said.", (), "acronym"),
    (
        "MSF",
        "ORG",
        "Médecins Sans Frontières said.",
        (("Médecins Sans Frontières", "ORG"),),
        "acronym",
    ),
    (
        "AFAD",
        "ORG",
        "Turkey's Disaster and Emergency Management Authority (AFAD) said.",
        (),
        "acronym",
    ),
    ("DEMA", "ORG", "Turkey's Disaster and Emergency Management Authority said.", (), "acronym"),
    (
        "NSS",
        "ORG",
        "The National Intelligence Service said.",
        (("National Intelligence Service", "ORG"),),
        None,
    ),
    ("US", "GPE", "He told us nothing.", (), None),
    # administrative words
    (
        "Kursk region",
        "GPE",
        "Fighting in Kursk Oblast.",
        (("Kursk Oblast", "GPE"),),
        "admin-suffix",
    ),
    ("Kursk Oblast", "GPE", "Fighting in the Kursk region.", (("Kursk", "GPE"),), "admin-suffix"),
    ("Kursk", "GPE", "Fighting in Kursk Oblast.", (("Kursk Oblast", "GPE"),), "admin-suffix"),
    ("Kharkiv Oblast", "GPE", "Strikes on the Kharkiv region.", (), "admin-suffix"),
    ("Malatya province", "GPE", "Quake in Malatya.", (("Malatya", "GPE"),), "admin-suffix"),
    ("Kursk region", "GPE", "Fighting in Belgorod Oblast.", (("Belgorod Oblast", "GPE"),), None),
    # demonyms
    ("North Korean", "NORP", "Troops from North Korea.", (("North Korea", "GPE"),), "demonym"),
    ("North Korea", "GPE", "North Korean troops.", (("North Korean", "NORP"),), "demonym"),
    ("Ukrainian", "NORP", "Strikes on Ukraine.", (("Ukraine", "GPE"),), "demonym"),
    ("Ukraine", "GPE", "Ukrainians voted.", (("Ukrainians", "NORP"),), "demonym"),
    ("Brazilian", "NORP", "Floods in Brazil.", (("Brazil", "GPE"),), "demonym"),
    ("Brazil", "GPE", "A Brazilian club.", (), "demonym"),
    ("Dutch", "NORP", "Courts in the Netherlands.", (("Netherlands", "GPE"),), "demonym"),
    ("Chinese", "NORP", "Exports to China.", (("China", "GPE"),), "demonym"),
    ("Senegal", "GPE", "The Senegalese striker.", (("Senegalese", "NORP"),), "demonym"),
    ("Israeli", "NORP", "Talks in Israel.", (("Israel", "GPE"),), "demonym"),
    ("Kenya", "GPE", "The Kenyan runner.", (("Kenyan", "NORP"),), "demonym"),
    ("South Korean", "NORP", "Troops from North Korea.", (("North Korea", "GPE"),), None),
    ("Brazilian", "NORP", "Floods in Bolivia.", (("Bolivia", "GPE"),), None),
    # a place inside a longer place name is another place
    ("Sudan", "GPE", "Refugees in South Sudan.", (("South Sudan", "GPE"),), None),
    ("Korean", "NORP", "North Korean troops.", (("North Korean", "NORP"),), None),
    ("Sudan", "GPE", "Fighting in north Sudan.", (), "source-text"),
    # whatever the summary's NER calls it: "York" tagged ORG is still not "New York"
    ("York", "ORG", "The mayor of New York resigned.", (("New York", "GPE"),), None),
    ("Jersey", "ORG", "Floods in New Jersey.", (("New Jersey", "GPE"),), None),
    (
        "Republic of the Congo",
        "GPE",
        "The Democratic Republic of the Congo held elections.",
        (("Democratic Republic of the Congo", "GPE"),),
        None,
    ),
    (
        "Congo",
        "GPE",
        "The Democratic Republic of the Congo held elections.",
        (("Democratic Republic of the Congo", "GPE"),),
        "partial",
    ),
    (
        "Reserve",
        "ORG",
        "The Federal Reserve raised rates.",
        (("Federal Reserve", "ORG"),),
        "partial",
    ),
    ("Union", "ORG", "Western Union shares fell.", (("Western Union", "ORG"),), "partial"),
    # known alternative names
    ("Kiev", "GPE", "Officials in Kyiv said.", (("Kyiv", "GPE"),), "alias"),
    ("Burma", "GPE", "Floods in Myanmar.", (("Myanmar", "GPE"),), "alias"),
    ("United States", "GPE", "The U.S. said.", (("U.S.", "GPE"),), "acronym"),
    ("America", "GPE", "The U.S. said.", (("U.S.", "GPE"),), "alias"),
    ("Britain", "GPE", "The UK said.", (("UK", "GPE"),), "alias"),
    # word order
    (
        "Health Ministry",
        "ORG",
        "The Ministry of Health said.",
        (("Ministry of Health", "ORG"),),
        "word-order",
    ),
    (
        "Health Ministry",
        "ORG",
        "The Ministry of Finance said.",
        (("Ministry of Finance", "ORG"),),
        None,
    ),
    ("Kallas Kaja", "PERSON", "Kaja Kallas said.", (("Kaja Kallas", "PERSON"),), "word-order"),
    # a qualifier and a name, both in the source
    (
        "EU General Court",
        "ORG",
        "The EU said the General Court ruled.",
        (("EU", "ORG"), ("General Court", "ORG")),
        "compound",
    ),
    (
        "Kenya Airways",
        "ORG",
        "Kenya and Qatar Airways.",
        (("Kenya", "GPE"), ("Qatar Airways", "ORG")),
        None,
    ),
    (
        "South Sudan",
        "GPE",
        "South Africa and Sudan.",
        (("South Africa", "GPE"), ("Sudan", "GPE")),
        None,
    ),
    # Ukrainian -iv- and Russian -ov- forms of one possessive place name
    (
        "Konstantinovka",
        "GPE",
        "Shelling hit the town of Kostiantynivka in Donetsk Oblast.",
        (("Kostiantynivka", "ORG"),),
        "transliteration",
    ),
    ("Pavlovka", "GPE", "Troops entered Pavlivka.", (("Pavlivka", "GPE"),), "transliteration"),
    ("Ivanovo", "GPE", "Troops entered Ivanivka.", (("Ivanivka", "GPE"),), None),
    # names match whatever their case (transcripts), acronyms only in upper case
    ("Anchor", "ORG", "I highly recommend anchor for podcasts.", (), "source-text"),
    ("Simmers Digest Podcast", "ORG", "Welcome to the simmers digest podcast.", (), "source-text"),
    ("WHO", "ORG", "Those who stayed were safe.", (), None),
]


@pytest.mark.parametrize(("mention", "label", "text", "names", "rule"), CASES)
def test_rule_table(
    mention: str,
    label: str,
    text: str,
    names: tuple[tuple[str, str], ...],
    rule: str | None,
    ent: Callable[..., Entity],
    source: Callable[..., SourceIndex],
) -> None:
    resolution = resolve(ent(mention, label), index=source(text, *names))
    assert resolution.rule == rule, resolution.evidence
    assert resolution.supported == (rule is not None)
    assert resolution.evidence


def test_rules_are_tried_in_the_documented_order() -> None:
    assert [rule.name for rule in RULES] == [
        "acronym",
        "admin-suffix",
        "demonym",
        "alias",
        "word-order",
        "transliteration",
    ]


def test_a_rule_is_not_asked_about_entities_it_is_not_for(
    ent: Callable[..., Entity], source: Callable[..., SourceIndex]
) -> None:
    asked: list[str] = []
    answer = Resolution("supported", "test", None, (0, 1), "x", None, "matched")

    def match(entity: Entity, index: SourceIndex) -> Resolution | None:
        asked.append(entity.text)
        return answer

    rule = Rule("test", match, people=False, min_tokens=2)
    index = source("Nothing here.")
    assert rule.apply(ent("Kaja Kallas", "PERSON"), index) is None
    assert rule.apply(ent("Kursk", "GPE"), index) is None
    assert asked == []
    assert rule.apply(ent("Kursk Oblast", "GPE"), index) is answer
    assert asked == ["Kursk Oblast"]


def test_admin_suffix_is_not_for_people(
    ent: Callable[..., Entity], source: Callable[..., SourceIndex]
) -> None:
    admin = next(rule for rule in RULES if rule.name == "admin-suffix")
    index = source("Fighting in Kursk.", ("Kursk", "GPE"))
    place = admin.apply(ent("Kursk Region", "GPE"), index)
    assert place is not None and place.rule == "admin-suffix"
    assert admin.apply(ent("Kursk Region", "PERSON"), index) is None


def test_compound_rule_resolves_each_part_with_the_resolver_it_is_given(
    ent: Callable[..., Entity], source: Callable[..., SourceIndex]
) -> None:
    index = source("The EU said the General Court ruled.", ("EU", "ORG"), ("General Court", "ORG"))
    parts: list[str] = []

    def resolve_part(part: Entity) -> Resolution:
        parts.append(part.text)
        return resolve(part, index=index, compound=False)

    rule = compound_rule(resolve_part)
    resolution = rule.apply(ent("EU General Court", "ORG"), index)
    assert resolution is not None and resolution.rule == "compound"
    assert parts == ["EU", "General Court"]
    assert resolution.source_text == "General Court"
    assert rule.apply(ent("EU General", "PERSON"), index) is None
    assert parts == ["EU", "General Court"]


def test_occurrence_rule_names_how_the_text_occurrence_relates_to_source_entities(
    ent: Callable[..., Entity], source: Callable[..., SourceIndex]
) -> None:
    index = source("Minister Mykola Tkachuk spoke in Kharkiv.", ("Mykola Tkachuk", "PERSON"))
    [inside] = index.occurrences(("tkachuk",), "Tkachuk", "PERSON")[0]
    assert occurrence_rule(ent("Tkachuk"), inside)[0] == "surname"
    [untagged] = index.occurrences(("kharkiv",), "Kharkiv", "GPE")[0]
    rule, evidence = occurrence_rule(ent("Kharkiv", "GPE"), untagged)
    assert rule == "source-text" and "did not tag it" in evidence
