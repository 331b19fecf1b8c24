"""Quotations a summary makes must be the source's words, in order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.backend import BuildContext, build_backend
from harness.benchmark import load_benchmark
from harness.config import BenchmarkConfig, SystemConfig
from harness.text.quotes import quotations, unquoted_quotations
from tests.requires import shared

DIALOGUE = (
    "Joseph: Round three: Wet Leisure Attendant! . Alonzo: This has to be a pimp! . "
    "Gabriel: A masseuse! . Joseph: Sorry, guys. It's a lifeguard. . "
    "Joseph: Round four: Colour Distribution Technician! . Alonzo: Easy! Painter."
)


def texts(summary: str, source: str = DIALOGUE) -> list[str]:
    return [finding["text"] for finding in unquoted_quotations(summary, source)]


def test_a_quoted_word_the_source_never_says_is_flagged_with_evidence() -> None:
    findings = unquoted_quotations('They wrongly guess "pimp" and "therapist".', DIALOGUE)
    assert [f["text"] for f in findings] == ["therapist"]
    finding = findings[0]
    assert finding["kind"] == "quote" and finding["status"] == "unsupported"
    summary = 'They wrongly guess "pimp" and "therapist".'
    assert summary[finding["span"][0] : finding["span"][1]] == "therapist"
    assert "never says" in finding["evidence"]


def test_case_punctuation_and_spacing_do_not_matter() -> None:
    assert texts('They guess "colour distribution technician" and "Wet leisure attendant!"') == []
    assert texts("They call it “a  lifeguard”.") == []


def test_a_soft_hyphen_inside_a_word_does_not_matter() -> None:
    # web text carries invisible soft hyphens (U+00AD) where a word may break
    assert texts("They call it a “life\u00adguard”.") == []
    assert texts("They call it “masseuse”.", "Gabriel: A mas\u00adseuse!") == []
    assert texts("They call it “mas\u00adsage”.", "Gabriel: A mas\u00adseuse!") == ["mas\u00adsage"]


def test_words_out_of_order_or_reworded_are_a_misquote() -> None:
    assert texts('They guess "distribution colour technician".') == [
        "distribution colour technician"
    ]
    assert texts('They guess "color distribution technician".') == ["color distribution technician"]


def test_an_ellipsis_is_an_omission_each_part_must_be_in_the_source() -> None:
    assert texts('Joseph says "Round three ... a lifeguard".') == []
    findings = unquoted_quotations('Joseph says "Round three … a plumber".', DIALOGUE)
    assert len(findings) == 1 and "“a plumber”" in findings[0]["evidence"]


def test_tokenized_quotes_and_text() -> None:
    source = "He said : `` we do n't know '' , and left ."
    assert texts("he said `` we don't know '' .", source) == []
    assert texts("he said `` we know '' .", source) == ["we know"]


#: A statement of 324 characters, quoted whole by a summary.
LONG = (
    "we will keep investing in our people, our plants and our communities because that is "
    "what a responsible company does, and we will not be distracted by short-term noise from "
    "the markets or by the pressure of activist shareholders who want us to cut jobs, close "
    "plants and sell assets at the worst possible moment for everyone"
)


@pytest.mark.parametrize(("opens", "closes"), [('"', '"'), ("“", "”"), ("``", "''")])
def test_a_long_quotation_is_read_and_so_is_the_next_one(opens: str, closes: str) -> None:
    source = f'The chief executive said: "{LONG}". Analysts called the plan "bold".'
    summary = f"The CEO said {opens}{LONG}{closes} and analysts called it {opens}reckless{closes}."
    assert [span for span in quotations(summary)] == [
        (summary.index(LONG), summary.index(LONG) + len(LONG)),
        (summary.index("reckless"), summary.index("reckless") + len("reckless")),
    ]
    assert texts(summary, source) == ["reckless"]
    added = f"The CEO said {opens}{LONG} and dividends{closes}."
    assert texts(added, source) == [LONG + " and dividends"]


def test_unbalanced_straight_quotes_are_not_read() -> None:
    assert quotations('He said "yes, and left. Then "no".') == []
    assert texts('He said "plumber and left.') == []


def test_marks_of_quotations_cut_apart_are_not_paired() -> None:
    # Two sentences extracted from inside two quoted passages (as an extractive
    # summary takes them): each keeps only its closing mark, so the two marks
    # are balanced in number but enclose no quotation.
    summary = (
        'Investors are pricing Kenya as a recovering credit, not a distressed one," '
        'Kamau-Otieno said in Nairobi. There is room to support credit," Langat said.'
    )
    assert quotations(summary) == []
    text = 'One said "yes"and left "now".'  # a word right after the first close
    assert [text[s:e] for s, e in quotations(text)] == ["now"]
    text = 'It was ("a draw") they said, a "draw".'
    assert [text[s:e] for s, e in quotations(text)] == ["a draw", "draw"]


@pytest.mark.parametrize(
    ("backend", "params"), [("lead", {"sentences": 3}), ("textrank", {"sentences": 3})]
)
def test_extractive_summaries_of_the_quickstart_are_never_misquotes(
    backend: str, params: dict[str, int]
) -> None:
    # They copy source sentences, so no quotation they carry can misquote it.
    examples = load_benchmark(BenchmarkConfig(builtin="newsbriefs")).examples
    system = SystemConfig(name=backend, backend=backend, params=params)
    summarizer = build_backend(system, BuildContext(config_dir=Path(".")), "test")
    for example, generation in zip(examples, summarizer.summarize(examples), strict=True):
        assert generation.summary is not None
        assert unquoted_quotations(generation.summary, example.source) == [], example.id


@pytest.mark.parametrize("domain", ["news", "podcast", "sales_email", "samsum"])
def test_faithful_copies_of_the_shipped_sources_are_never_misquotes(domain: str) -> None:
    # Quoting the first sentence of a shipped source, verbatim, is never a misquote.
    rows = json.loads(shared(f"data/summedits/summedits_{domain}.json").read_text("utf-8"))
    for row in rows[::25]:
        sentence = row["doc"].replace('"', "").split(". ")[0]
        assert unquoted_quotations(f'It says "{sentence}".', row["doc"].replace('"', "")) == []


SPEECH = "Zelensky said on Monday that Ukraine would never surrender its territory."


@pytest.mark.parametrize(
    ("opens", "closes"),
    [("‘", "’"), ("'", "'"), ("„", "“"), ("„", "”"), ("«", "»"), ("»", "«"), ("‹", "›")],
)
def test_single_quotes_and_guillemets_are_quotations_too(opens: str, closes: str) -> None:
    # British news quotes in single marks, German in „…“, French in «…»: a made-up
    # quotation in them is a misquote as one in “…” is, and a true one is not
    made_up = f"Zelensky said Ukraine would {opens}never give up{closes} its territory."
    assert texts(made_up, SPEECH) == ["never give up"]
    true = f"Zelensky said Ukraine would {opens}never surrender{closes} its territory."
    assert texts(true, SPEECH) == []


def test_apostrophes_are_not_single_quotes() -> None:
    source = "Kyiv's answer came fast. The soldiers' homes were gone in the '90s, he said."
    for summary in (
        "Kyiv's answer came fast, and the soldiers' homes were gone.",
        "Kyiv’s answer came fast, and the soldiers’ homes were gone.",
        "In the '90s the soldiers' homes were gone, and 'em too.",
        "In the ’90s the soldiers’ homes were gone.",
        "kyiv 's answer came fast , the soldiers ' homes were gone .",
        "Rock 'n' roll, Kyiv's answer, the soldiers' homes.",
    ):
        assert quotations(summary) == [], summary
    text = "He called it ‘Kyiv’s answer’ and 'the soldiers' homes' later."
    assert [text[s:e] for s, e in quotations(text)] == ["Kyiv’s answer", "the soldiers"]
    assert texts(text, source) == []
    assert texts("He called it 'Moscow's answer'.", source) == ["Moscow's answer"]


def test_words_in_square_brackets_are_the_quoters_own() -> None:
    source = '"We will never surrender our land," Zelensky told reporters in Kyiv.'
    assert texts('He said "[Ukraine] will never surrender our land".', source) == []
    assert texts('He said "we will never surrender [Ukraine\'s] land".', source) == []
    assert texts('He said "we will never [...] surrender our land".', source) == []
    assert texts('He said "we will [never] give up".', source) == ["we will [never] give up"]
