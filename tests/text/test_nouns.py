"""Novel concrete nouns (`harness.text.nouns`) and the WordNet table they read."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from harness.metric.consistency import _source_words, _token_stem
from harness.text.nlp import load_pipeline, pipe
from harness.text.nouns import TABLE, noun_spans, noun_table, novel_nouns

ROOT = Path(__file__).resolve().parents[2]


def _flagged(summary: str, source: str) -> list[str]:
    """What the check flags, with the nouns the real tagger finds (as consistency runs it)."""
    tagger, _, _ = load_pipeline(None, "tagger")
    (_, _, doc), *_ = pipe(tagger, [summary])
    findings = novel_nouns(summary, noun_spans(doc), source, _source_words(source)[0], _token_stem)
    return [finding["text"] for finding in findings]


BUTTER = (
    "Ann: Darling, buy some butter. Mike: Ok. Mike: Do we have any milk? Ann: Yes, in the fridge."
)


@pytest.mark.parametrize(
    ("summary", "flagged"),
    [
        # a thing swapped for another the source never names
        ("Ann asks Mike to buy ghee.", ["ghee"]),
        ("Ann asks Mike to buy margarine. There is milk in the pantry.", ["margarine", "pantry"]),
        # the source's own words, in another form
        ("Ann asks Mike to buy butter; there is milk in the fridges.", []),
        # abstract nouns and verbs are rewording, not things
        ("Ann makes a request and Mike agrees to the purchase.", []),
        # names are the entity check's business
        ("Ann asks Mike to buy butter at Tesco.", []),
        # a noun before "of" measures what follows it
        ("Ann asks Mike to buy a pack of butter.", []),
    ],
)
def test_novel_concrete_nouns(summary: str, flagged: list[str]) -> None:
    assert _flagged(summary, BUTTER) == flagged


def test_a_synonym_or_generalisation_of_a_source_noun_is_not_novel() -> None:
    source = "The car was parked outside the house all night."
    assert _flagged("The automobile stayed outside the house.", source) == []
    assert _flagged("The vehicle stayed outside the building.", source) == []
    assert _flagged("The bicycle stayed outside the house.", source) == ["bicycle"]


def test_a_finding_names_the_word_and_its_lemma() -> None:
    summary = "Ovi liked the beaches."
    source = "Ovi: I got back from Israel! Candice: That weather xd"
    (finding,) = novel_nouns(summary, [(14, 21)], source, _source_words(source)[0], _token_stem)
    assert finding == {
        "kind": "novel_noun",
        "text": "beaches",
        "span": [14, 21],
        "status": "unsupported",
        "evidence": "'beaches' (beach) is a thing no source word names",
    }


def test_lemmas_of_regular_and_irregular_plurals() -> None:
    table = noun_table()
    assert table.lemma("beaches") == "beach"
    assert table.lemma("geese") == "goose"
    assert table.lemma("ponies") == "pony"
    assert table.lemma("qwzx") is None
    assert "ghee" in table.concrete and "voyage" not in table.concrete


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_wordnet_nouns", ROOT / "tools" / "build_wordnet_nouns.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wordnet_folder(tmp_path: Path) -> Path:
    """A three-synset WordNet in the real file format (a license line, CRLF ends)."""
    (tmp_path / "lexnames").write_text(
        "03\tnoun.Tops\t1\n13\tnoun.food\t1\n09\tnoun.cognition\t1\n", encoding="ascii"
    )
    (tmp_path / "data.noun").write_bytes(
        b"  1 This software and database is provided by Princeton University.  \r\n"
        b"00000100 03 n 01 food 0 000 | any substance that can be metabolized  \r\n"
        b"00000200 13 n 02 butter 0 dairy_spread 0 001 @ 00000100 n 0000 | an edible emulsion  \r\n"
        b"00000300 09 n 01 butter 1 001 @ 00000100 n 0000 | a made-up second sense  \r\n"
    )
    (tmp_path / "index.noun").write_bytes(
        b"  1 This software and database is provided by Princeton University.  \r\n"
        b"butter n 2 1 @ 2 1 00000200 00000300  \r\n"
        b"dairy_spread n 1 1 @ 1 0 00000200  \r\n"
        b"food n 1 0 1 0 00000100  \r\n"
    )
    (tmp_path / "noun.exc").write_text("butteren butter\n", encoding="ascii")
    return tmp_path


def test_the_builder_reads_wordnet_files_deterministically(tmp_path: Path) -> None:
    folder = _wordnet_folder(tmp_path)
    built = _builder().build(folder)
    assert built == _builder().build(folder)
    lines = gzip.decompress(built).decode("ascii").splitlines()
    rows = [line for line in lines if not line.startswith("#")]
    # synsets numbered in offset order; multi-word lemmas left out
    assert rows == [
        "S\t",
        "S\t0",
        "S\t0",
        "L\tbutter\t1\t1,2",
        "L\tfood\t0\t0",
        "X\tbutteren\tbutter",
    ]


def test_the_shipped_table_is_whole() -> None:
    table = noun_table()
    assert len(table.synsets) > 50_000 and len(table.hypernyms) > 80_000
    assert all(0 <= s < len(table.hypernyms) for senses in table.synsets.values() for s in senses)
    assert (TABLE.parent / "WORDNET_LICENSE").read_text(encoding="ascii").count("Princeton") >= 3
