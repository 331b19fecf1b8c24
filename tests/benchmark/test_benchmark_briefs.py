"""The ``briefs`` text format, on the project's seed file and small cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.benchmark import load_benchmark
from harness.benchmark._briefs import parse_briefs
from harness.config import BenchmarkConfig
from harness.errors import BenchmarkError
from tests.requires import shared

SEED = "seed/000_96fdd32d9fc88bea.txt"  # under ../shared


def test_seed_file_has_ten_briefs() -> None:
    bench = load_benchmark(BenchmarkConfig(path=str(shared(SEED))))
    assert bench.info["format"] == "briefs"
    examples = bench.examples
    assert [e.id for e in examples] == [f"000_96fdd32d9fc88bea-{n:03d}" for n in range(1, 11)]
    for example in examples:
        assert example.source.strip() == example.source
        assert example.source
        assert "read more" not in example.source.lower()
        assert "continue reading" not in example.source.lower()
    # The fifth brief spans two lines and ends with the stripped marker.
    fifth = examples[4].source
    assert fifth.startswith("Zelenskiy’s proposal")
    assert fifth.endswith("Pyongyang’s willingness to participate.")
    assert "\n" in fifth
    assert examples[5].source.startswith("Ukrainian President Zelenskyy released video footage")
    assert examples[9].source.endswith("disrupting fuel supplies.")


def test_separators_markers_and_paragraphs() -> None:
    text = (
        "\n\nFirst brief.\n\nIts second paragraph.\n"
        "  read more  \n"
        "READ MORE\n"
        "Second brief... Continue reading\n"
        "Third brief.\r\n"
        "Read More\r\n"
        "   \n"
    )
    records = parse_briefs(text, "news", "news.txt")
    assert records == [
        ("news.txt:3", {"id": "news-001", "source": "First brief.\n\nIts second paragraph."}),
        ("news.txt:8", {"id": "news-002", "source": "Second brief"}),
        ("news.txt:9", {"id": "news-003", "source": "Third brief."}),
    ]


def test_read_more_inside_a_sentence_is_not_a_separator() -> None:
    records = parse_briefs("Readers read more news.\nRead More", "f", "f.txt")
    assert [record["source"] for _, record in records] == ["Readers read more news."]


def test_briefs_file_with_only_separators_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("Read More\n\nRead More\n")
    with pytest.raises(BenchmarkError, match="no records found"):
        load_benchmark(BenchmarkConfig(path=str(path)))


def test_a_unicode_line_separator_inside_a_brief_is_text_not_a_line_end() -> None:
    # str.splitlines would end the line at U+2028 and start "Read More" anew.
    text = "One\u2028Read More\u2028two.\nRead More\r\nSecond brief.\r\n"
    records = [record for _, record in parse_briefs(text, "b.txt", "b")]
    assert [r["source"] for r in records] == ["One\u2028Read More\u2028two.", "Second brief."]


def test_a_txt_file_with_no_brief_marker_is_not_read_as_one_brief(tmp_path: Path) -> None:
    # A TSV saved as .txt would become one example holding the whole table.
    path = tmp_path / "data.txt"
    path.write_text("id\tsource\n1\tApples are red.\n2\tCats purr.\n", encoding="utf-8")
    with pytest.raises(BenchmarkError, match=r"data.txt: read as `briefs`.*no `Read More`"):
        load_benchmark(BenchmarkConfig(path=str(path)))
    # said explicitly, or with a marker, it is one brief
    explicit = load_benchmark(BenchmarkConfig(path=str(path), format="briefs"))
    assert len(explicit.examples) == 1
    path.write_text("One brief only.… Continue reading\n", encoding="utf-8")
    assert [e.source for e in load_benchmark(BenchmarkConfig(path=str(path))).examples] == [
        "One brief only."
    ]
