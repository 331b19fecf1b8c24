"""Tests for entity extraction and normalisation (`harness.text.entities`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.text import nlp as nlp_module
from harness.text.aliases import ADMIN_WORDS
from harness.text.entities import (
    NAME_LABELS,
    NUMERIC_LABELS,
    UNTAGGED_LABEL,
    Entity,
    TextAnalysis,
    analyse,
    clear_memo,
    entities_from_doc,
    extract_entities,
    fold,
    make_entity,
    normalise_key,
    opens_sentence,
    tokenize,
    untagged_names,
    word_spans,
)
from harness.text.nlp import load_pipeline, split_pieces

NEWSBRIEFS = Path(__file__).resolve().parents[2] / "benchmarks" / "newsbriefs" / "articles.jsonl"

TEXT = (
    "Ukrainian President Volodymyr Zelenskyy said on Monday that 300 North Korean soldiers "
    "had died in Russia's Kursk region, according to South Korea's National Intelligence "
    "Service. The IAEA said its team would stay 14 more days."
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Vâlcu", "valcu"),
        ("Kovačič", "kovacic"),
        ("ZELENSKYY", "zelenskyy"),
        ("Zelensky's", "zelensky"),
        ("Zelensky’s", "zelensky"),
        ("Hopkins'", "hopkins"),
        ("the European Union", "european union"),
        ("The Hague", "hague"),
        ("The", "the"),
        ("U.S.", "us"),
        ("U.N.", "un"),
        ("u. S. Bureau", "us bureau"),
        ("J. K. Rowling", "jk rowling"),
        ("Mwangi-Otieno", "mwangi otieno"),
        ("Grêmio Atlético Paulistano", "gremio atletico paulistano"),
        ("Straße", "strasse"),
        ("Ørsted", "orsted"),
        ("  Kyiv ,", "kyiv"),
        ("Engels-2", "engels 2"),
        ("Côte d'Ivoire", "cote d ivoire"),
    ],
)
def test_normalise_key(name: str, key: str) -> None:
    assert normalise_key(name) == key


def test_fold_and_tokens() -> None:
    assert fold("Médecins") == "medecins"
    assert fold("İstanbul") == "istanbul"
    assert tokenize("Vâlcu’s U.S. plan") == [
        ("valcu", 0, 5),
        ("s", 6, 7),
        ("us", 8, 12),
        ("plan", 13, 17),
    ]
    assert word_spans("e.g. Kyiv") == [("e.g.", 0, 4), ("Kyiv", 5, 9)]
    # combining marks written separately stay inside the word
    assert tokenize("Va\u0302lcu") == [("valcu", 0, 6)]


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("Dr Müller said", "PERSON", ("Müller", 3)),
        ("Mr. John Smith said", "PERSON", ("John Smith", 4)),
        ("MRS SMITH SAID", "PERSON", ("SMITH", 4)),
        ("Prof Alan Turing said", "PERSON", ("Alan Turing", 5)),
        # not a person's title: a brand, a name that starts like one, a title alone
        ("Dr Pepper said", "ORG", ("Dr Pepper", 0)),
        ("Drake said", "PERSON", ("Drake", 0)),
        ("Dr said", "PERSON", ("Dr", 0)),
    ],
)
def test_make_entity_trims_a_persons_title(
    text: str, label: str, expected: tuple[str, int]
) -> None:
    end = len(text) - len(" said")
    entity = make_entity(text, 0, end, label)
    assert entity is not None
    assert (entity.text, entity.start) == expected
    assert text[entity.start : entity.end] == entity.text


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("See the Abu Shouk camp", 4, 17, ("Abu Shouk", 8)),
        ("Kestrel Orbital's rocket", 0, 17, ("Kestrel Orbital", 0)),
        ("Valtara Semiconductors' plant", 0, 23, ("Valtara Semiconductors", 0)),
        ("the World Health Organization (WHO said", 4, 35, ("World Health Organization", 4)),
        ("a 650 MW Soome-Link cable", 6, 19, ("Soome-Link", 9)),
        ("MW Soome-Link", 0, 13, ("MW Soome-Link", 0)),
        ('He said "Kyiv" twice', 8, 14, ("Kyiv", 9)),
        ("Court of Justice (CJEU) ruled", 0, 23, ("Court of Justice (CJEU)", 0)),
        ("at least 2,700 wounded", 9, 14, None),
        ("the ... said", 4, 7, None),
        # emoji, zero-width and no-break spaces at its ends are no part of the name
        ("\U0001f680\U0001f680 SpaceX launched", 0, 9, ("SpaceX", 3)),
        ("SpaceX \U0001f680 launched", 0, 8, ("SpaceX", 0)),
        ("\u2764\ufe0f Paris", 0, 8, ("Paris", 3)),
        ("\u200bParis\u00a0is", 0, 7, ("Paris", 1)),
    ],
)
def test_make_entity_trims_the_mention(
    text: str, start: int, end: int, expected: tuple[str, int] | None
) -> None:
    entity = make_entity(text, start, end, "ORG")
    if expected is None:
        assert entity is None
        return
    assert entity is not None
    assert (entity.text, entity.start) == expected
    assert text[entity.start : entity.end] == entity.text
    assert entity.span == (entity.start, entity.end)
    assert entity.key == normalise_key(entity.text)
    assert entity.tokens == tuple(entity.key.split(" "))


def test_extract_entities_keeps_names_not_numbers() -> None:
    entities = extract_entities(TEXT)
    labels = {entity.label for entity in entities}
    assert labels and labels <= set(NAME_LABELS)
    assert not labels & NUMERIC_LABELS
    texts = {entity.text for entity in entities}
    assert {"Volodymyr Zelenskyy", "IAEA"} <= texts
    assert not texts & {"Monday", "300", "14 more days"}
    for entity in entities:
        assert TEXT[entity.start : entity.end] == entity.text
    assert [e.start for e in entities] == sorted(e.start for e in entities)


def test_extract_entities_label_override() -> None:
    entities = extract_entities(TEXT, labels=["PERSON", "DATE"])
    assert {entity.label for entity in entities} == {"PERSON", "DATE"}


def test_extract_entities_from_a_doc() -> None:
    nlp, _, _ = load_pipeline()
    assert entities_from_doc(nlp(TEXT)) == extract_entities(nlp(TEXT)) == extract_entities(TEXT)


def test_analyse_memoises_sources_by_text() -> None:
    clear_memo()
    first, again = analyse([TEXT, TEXT])
    assert first is again
    [later] = analyse([TEXT])
    assert later is first
    [fresh] = analyse([TEXT], memo=False)
    assert fresh is not first and fresh.entities == first.entities
    clear_memo()
    [after_clear] = analyse([TEXT])
    assert after_clear is not first
    assert analyse([]) == []


def test_analysis_holds_all_labels_and_filters_them() -> None:
    [analysis] = analyse([TEXT], memo=False)
    assert any(entity.label == "DATE" for entity in analysis.entities)
    assert all(entity.label in NAME_LABELS for entity in analysis.entities_with())
    assert [e.label for e in analysis.entities_with(["GPE"])] == [
        e.label for e in analysis.entities if e.label == "GPE"
    ]


def test_text_analysis_search() -> None:
    analysis = TextAnalysis.of("North Korea and Korea. Kursk region, the Kursk Oblast.", [])
    table = analysis.token_table()
    assert table.find(["korea"]) == [1, 3]
    assert table.find(["kursk", "oblast"]) == [7]
    assert table.find(["oblast", "kursk"]) == []
    assert table.find([]) == []
    assert table.char_span(7, 2) == (41, 53)
    assert table.positions["korea"] == [1, 3]


def _untagged(text: str, entities: list[Entity] | None = None) -> list[tuple[str, bool]]:
    analysis = TextAnalysis.of(text, entities or [])
    return [
        (candidate.entity.text, candidate.initial)
        for candidate in untagged_names(analysis, ADMIN_WORDS)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # acronyms and capitalised words the NER missed; a sentence opener is marked
        ("IAEA inspectors arrived.", [("IAEA", False)]),
        ("Mercer declared an emergency.", [("Mercer", True)]),
        ("Temperatures in Seville, on the Guadalquivir, rose.", [
            ("Temperatures", True), ("Seville", False), ("Guadalquivir", False)]),
        # runs with inner function words, trailing administrative words
        ("He met the Bank of England chief.", [("Bank of England", False)]),
        ("Kestrel and Hoshida met.", [("Kestrel", True), ("Hoshida", False)]),
        ("It hit the Donetsk region and Kursk Oblast.", [
            ("Donetsk region", False), ("Kursk Oblast", False)]),
        # not names: titles, weekdays, months, function words; quotes open a sentence
        ("Prime Minister said on Monday in May that he would go.", []),
        ('He said: "Nobody came."', [("Nobody", True)]),
        # numbers with a currency code are the numbers check's business
        ("It raised Rs 4,200 crore and NOK 6.8 billion.", []),
    ],
)  # fmt: skip
def test_untagged_names(text: str, expected: list[tuple[str, bool]]) -> None:
    assert _untagged(text) == expected


def test_untagged_names_skip_what_the_ner_tagged() -> None:
    text = "Troops left Chernihiv Oblast on Friday, Mercer said."
    chernihiv = make_entity(text, 12, 21, "GPE")
    friday = make_entity(text, 32, 38, "DATE")
    assert chernihiv is not None and friday is not None
    # "Oblast" is a piece of the tagged "Chernihiv", not a name of its own
    assert _untagged(text, [chernihiv, friday]) == [("Troops", True), ("Mercer", False)]


def test_untagged_name_opening_a_sentence_offers_its_rest() -> None:
    (candidate,) = untagged_names(TextAnalysis.of("Average Panamax waits rose.", []))
    assert candidate.initial and candidate.entity.text == "Average Panamax"
    assert candidate.rest is not None and candidate.rest.text == "Panamax"
    assert candidate.entity.label == candidate.rest.label == UNTAGGED_LABEL


def test_opens_sentence() -> None:
    text = 'He left. Mercer stayed (Ames too): "Lee left" - Ray.'
    assert opens_sentence(text, 0) and opens_sentence(text, text.index("Mercer"))
    assert opens_sentence(text, text.index("Ames")) and opens_sentence(text, text.index("Lee"))
    assert not opens_sentence(text, text.index("stayed"))


def _news_text() -> str:
    """The 40 newsbriefs articles as one text of paragraphs (74,000 characters)."""
    with NEWSBRIEFS.open(encoding="utf-8") as handle:
        return "\n\n".join(json.loads(line)["source"] for line in handle if line.strip())


def _spans(entities: list[Entity] | tuple[Entity, ...]) -> list[tuple[str, int, int, str, str]]:
    return [(e.text, e.start, e.end, e.label, e.key) for e in entities]


@pytest.mark.parametrize("piece_chars", [None, 5_000], ids=["default", "5000"])
def test_entities_of_a_long_text_are_those_of_its_pieces_at_its_offsets(
    monkeypatch: pytest.MonkeyPatch, piece_chars: int | None
) -> None:
    if piece_chars is not None:
        monkeypatch.setattr(nlp_module, "PIECE_CHARS", piece_chars)
    text = _news_text()
    pieces = split_pieces(text)
    assert len(pieces) >= 2  # the default piece is shorter than the text too
    [whole] = analyse([text], memo=False)
    expected = []
    for start, end in pieces:
        [piece] = analyse([text[start:end]], memo=False)
        expected += [
            (t, start + a, start + b, label, key) for t, a, b, label, key in _spans(piece.entities)
        ]
    assert _spans(whole.entities) == expected
    assert len(whole.entities) > 1_000
    for entity in whole.entities:
        assert text[entity.start : entity.end] == entity.text


def test_pieces_cut_at_paragraphs_find_what_one_pass_over_the_text_finds() -> None:
    nlp, _, _ = load_pipeline()
    text = _news_text()
    assert len(split_pieces(text)) >= 2
    one_pass = [
        entity
        for ent in nlp(text).ents
        if (entity := make_entity(text, ent.start_char, ent.end_char, ent.label_)) is not None
    ]
    [pieced] = analyse([text], memo=False)
    assert _spans(pieced.entities) == _spans(one_pass)


def test_texts_longer_than_spacy_max_length_are_chunked(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp, _, _ = load_pipeline()
    paragraphs = [TEXT] * 4
    long_text = "\n".join(paragraphs)
    [whole] = analyse([long_text], memo=False)
    monkeypatch.setattr(nlp, "max_length", len(TEXT) + 5)
    [chunked] = analyse([long_text], memo=False)
    assert chunked.entities == whole.entities
    assert len(chunked.entities) == 4 * len(analyse([TEXT], memo=False)[0].entities)


def test_newsbriefs_entity_spans_point_into_the_articles() -> None:
    with NEWSBRIEFS.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    analyses = analyse([row["source"] for row in rows])
    assert len(analyses) == 40
    for row, analysis in zip(rows, analyses, strict=True):
        assert analysis.entities_with(), row["id"]
        for entity in analysis.entities:
            assert row["source"][entity.start : entity.end] == entity.text
            assert entity.key and entity.key == normalise_key(entity.text)
            assert not entity.text.lower().startswith("the ")


@pytest.mark.parametrize("module", ["harness.text.entities"])
def test_doctests_pass(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
