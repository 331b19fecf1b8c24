"""The model-free consistency score: formula, negation check, evidence."""

from __future__ import annotations

import math

import pytest

from harness.config import MetricConfig
from harness.errors import ConfigError
from harness.metric import MetricInput, build_metric
from harness.metric.consistency import negation_mismatches, sentence_bigrams
from harness.records import Example

SOURCE = (
    "South Korea's National Intelligence Service said at least 300 North Korean soldiers "
    "have died and 2,700 have been wounded in Russia's Kursk Oblast. "
    "The agency said the troops were not trained for drone warfare."
)


@pytest.fixture(scope="module")
def consistency():  # type: ignore[no-untyped-def]
    return build_metric(MetricConfig(name="consistency"), "test")[1]


def score(metric, summary: str):  # type: ignore[no-untyped-def]
    return metric.score([MetricInput(example=Example(id="x", source=SOURCE), summary=summary)])[0]


def test_copied_faithful_summary_scores_one(consistency) -> None:  # type: ignore[no-untyped-def]
    result = score(
        consistency, "At least 300 North Korean soldiers have died and 2,700 have been wounded."
    )
    assert result.values == {"score": 1.0, "novel_bigrams": 0.0, "copy_novelty": 0.0, "flags": 0.0}
    assert result.findings == []


def test_wrong_number_and_invented_person_are_flagged_and_explained(consistency) -> None:  # type: ignore[no-untyped-def]
    result = score(consistency, "Sergei Petrov said 2,700 North Korean soldiers have died.")
    kinds = sorted(f["kind"] for f in result.findings)
    assert kinds == ["entity", "number"]
    number = next(f for f in result.findings if f["kind"] == "number")
    assert number["status"] == "context_mismatch" and "wounded" in number["evidence"]
    assert result.values["flags"] == 2.0
    novelty = result.values["copy_novelty"]
    assert novelty is not None
    assert result.values["score"] == pytest.approx((1 - 2 * novelty) * math.exp(-1.4))


def test_negation_flip_is_flagged_with_the_source_sentence(consistency) -> None:  # type: ignore[no-untyped-def]
    result = score(consistency, "The troops were trained for drone warfare.")
    assert [f["kind"] for f in result.findings] == ["negation"]
    finding = result.findings[0]
    assert (
        finding["source_text"] == "The agency said the troops were not trained for drone warfare."
    )
    assert SOURCE[finding["source_span"][0] : finding["source_span"][1]] == finding["source_text"]


def test_negation_in_a_clause_the_summary_leaves_out_is_not_a_mismatch() -> None:
    source = "Budapest lifted its veto after assurances that the package would not affect its oil."
    assert negation_mismatches("Budapest lifted its veto after assurances.", source) == []
    assert len(negation_mismatches("Budapest did not lift its veto.", source)) == 1


@pytest.mark.parametrize(
    ("source", "summary"),
    [
        ("François Hollande visited São Paulo.", "Francois Hollande visited Sao Paulo."),
        ("Francois Hollande visited Sao Paulo.", "François Hollande visited São Paulo."),
        ("Olaf Scholz met the mayor in Paris.", "Olaf Scholz met the mayor in Ｐａｒｉｓ."),
        ("Volodymyr Zelensky met leaders in Brussels.", "Zelen\u00adsky met leaders in Brussels."),
        ("The World Health Organization met.", "The World Health Organisation met."),
        ("Volodymyr Zelen\u00adsky met leaders in Brussels.", "Zelensky met leaders in Brussels."),
    ],
)
def test_a_copy_without_diacritics_soft_hyphens_or_in_full_width_has_no_new_bigrams(
    consistency, source: str, summary: str
) -> None:  # type: ignore[no-untyped-def]
    item = MetricInput(example=Example(id="x", source=source), summary=summary)
    [result] = consistency.score([item])
    assert result.values["novel_bigrams"] == 0.0
    assert result.values["score"] == 1.0


def test_a_sentence_copied_from_the_source_is_compared_with_itself() -> None:
    # "I want to see it." shares its content words with the negated first sentence
    # as much as with itself: the copy is its own closest sentence, no dropped negation
    source = "I do not want to see it again. I want to see it. I am not vegan, but I like it."
    assert negation_mismatches(source, source) == []
    assert negation_mismatches("I want to see it.", source) == []
    (finding,) = negation_mismatches("I want to see it again.", source)
    assert finding["source_text"] == "I do not want to see it again."


def test_a_phrase_the_source_only_negates_is_flagged_when_said_plainly() -> None:
    source = (
        "Lola: who do we submit the expenses to? . Pat: I emailed Jessica and she said you can"
        " send an email to her, just don't make it a habit, she said . Lola: ok"
    )
    loose = "Lola asks about expenses. Pat suggests emailing Jessica, but warns to make it a habit."
    [finding] = negation_mismatches(loose, source)
    assert finding["text"] == "Pat suggests emailing Jessica, but warns to make it a habit."
    assert "'make it a'" in finding["evidence"] and "'don't make it a'" in finding["evidence"]
    assert "don't make it a habit" in finding["source_text"]
    kept = loose.replace("warns to", "warns not to")
    assert negation_mismatches(kept, source) == []
    # a phrase the source also says plainly is no dropped negation
    both = source + " Pat: fine, make it a habit then."
    assert negation_mismatches(loose, both) == []


def test_bigrams_do_not_cross_sentences() -> None:
    assert ("rose", "wage") not in sentence_bigrams("Prices rose. Wages fell.")


def test_weights_are_parameters_and_in_the_fingerprint() -> None:
    _, strict = build_metric(MetricConfig(name="consistency", params={"flag_weight": 2.0}), "test")
    _, default = build_metric(MetricConfig(name="consistency"), "test")
    assert strict.fingerprint.digest() != default.fingerprint.digest()
    assert strict.fingerprint.model is not None and strict.fingerprint.model.startswith("spacy:")


def test_novelty_weight_zero_ranks_by_flags_alone() -> None:
    _, flags_only = build_metric(
        MetricConfig(name="consistency", params={"novelty_weight": 0.0}), "test"
    )
    paraphrase = score(flags_only, "Some 300 soldiers from North Korea perished in Kursk.")
    assert paraphrase.values["novel_bigrams"] > 0.5
    assert paraphrase.values["score"] == 1.0
    wrong = score(flags_only, "At least 400 North Korean soldiers have died.")
    assert wrong.values["score"] == pytest.approx(math.exp(-0.7))


def test_a_fact_flagged_by_two_checks_counts_once(consistency) -> None:  # type: ignore[no-untyped-def]
    source = "The Bank of Japan said on Wednesday it would buy bonds."
    summary = "The Bank of Japan said on Friday it would buy bonds."
    result = consistency.score(
        [MetricInput(example=Example(id="x", source=source), summary=summary)]
    )[0]
    assert [f["kind"] for f in result.findings] == ["substitution"]
    assert result.findings[0]["source_text"] == "Wednesday"
    assert result.values["flags"] == 1.0


#: A faithful paraphrase of ``SOURCE`` (every second word pair is new) and a near copy of
#: it with one wrong number.
PARAPHRASE = "Some 300 soldiers from North Korea perished in Kursk."
WRONG_COPY = "At least 400 North Korean soldiers have died."


def test_novelty_counts_only_up_to_the_cap(consistency) -> None:  # type: ignore[no-untyped-def]
    result = score(consistency, PARAPHRASE)
    assert result.findings == []
    assert result.values["novel_bigrams"] > 0.5
    assert result.values["copy_novelty"] == 0.2
    assert result.values["score"] == pytest.approx(0.6)
    # Below the cap, novelty still ranks near copies: a summary spliced from two
    # source sentences scores under one copied verbatim.
    copied = score(consistency, "The agency said the troops were not trained for drone warfare.")
    spliced = score(
        consistency, "The agency said 2,700 have been wounded in Russia's Kursk Oblast."
    )
    assert copied.values["flags"] == spliced.values["flags"] == 0.0
    assert copied.values["score"] == 1.0
    assert 0.6 < (spliced.values["score"] or 0) < 1.0


def test_one_flag_outweighs_any_novelty(consistency) -> None:  # type: ignore[no-untyped-def]
    """A faithful paraphrase ranks above a near copy with one wrong number, whatever
    their new word pairs (the copy's novelty still lowers it below exp(-0.7))."""
    paraphrase, wrong = score(consistency, PARAPHRASE), score(consistency, WRONG_COPY)
    assert wrong.values["flags"] == 1.0
    assert 0 < (wrong.values["copy_novelty"] or 0) <= 0.2
    assert wrong.values["score"] < math.exp(-0.7) < 0.6 <= paraphrase.values["score"]


def test_novelty_cap_one_with_weight_one_is_the_score_before_version_4() -> None:
    _, uncapped = build_metric(
        MetricConfig(name="consistency", params={"novelty_cap": 1.0, "novelty_weight": 1.0}),
        "test",
    )
    result = score(uncapped, PARAPHRASE)
    assert result.values["copy_novelty"] == result.values["novel_bigrams"]
    assert result.values["score"] == pytest.approx(1 - (result.values["novel_bigrams"] or 0))


def test_novelty_cap_is_in_the_fingerprint() -> None:
    _, capped = build_metric(MetricConfig(name="consistency"), "test")
    _, other = build_metric(MetricConfig(name="consistency", params={"novelty_cap": 0.5}), "test")
    assert capped.fingerprint.digest() != other.fingerprint.digest()


def test_novelty_weight_times_cap_above_one_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"novelty_weight x novelty_cap must be at most 1"):
        build_metric(MetricConfig(name="consistency", params={"novelty_cap": 0.6}), "test")


@pytest.mark.parametrize(
    "params", [{"flag_weight": float("inf")}, {"kind_weights": {"number": float("nan")}}]
)
def test_an_infinite_or_nan_weight_is_a_config_error(params: dict[str, object]) -> None:
    # inf made every score null (exp(-inf) x 0) with no reason
    with pytest.raises(ConfigError, match="finite number"):
        build_metric(MetricConfig(name="consistency", params=params), "test")


def test_a_misquotation_is_a_quote_flag() -> None:
    metric = build_metric(MetricConfig(name="consistency"), "test")[1]
    source = 'The agency said the troops were "not trained for drone warfare".'
    example = Example(id="q", source=source)
    faithful, misquoted = metric.score(
        [
            MetricInput(example=example, summary='Troops were "not trained for drone warfare".'),
            MetricInput(example=example, summary='Troops were "never trained for drones".'),
        ]
    )
    assert faithful.findings == []
    assert [f["kind"] for f in misquoted.findings] == ["quote"]
    assert misquoted.findings[0]["text"] == "never trained for drones"


def test_a_novel_thing_is_half_a_flag() -> None:
    source = "Ann: Darling, buy some butter. Mike: Ok. Mike: Do we have any milk? Ann: Yes."
    example = Example(id="b", source=source)
    items = [
        MetricInput(example=example, summary="Ann asks Mike to buy butter and Mike agrees."),
        MetricInput(example=example, summary="Ann asks Mike to buy ghee and Mike agrees."),
    ]
    faithful, swapped = build_metric(MetricConfig(name="consistency"), "test")[1].score(items)
    assert faithful.findings == []
    assert [(f["kind"], f["text"]) for f in swapped.findings] == [("novel_noun", "ghee")]
    assert swapped.values["flags"] == 1.0
    novelty = 1 - 2 * swapped.values["copy_novelty"]
    assert swapped.values["score"] == pytest.approx(novelty * math.exp(-0.35))
    # its own weight, as `harness calibrate` fits it
    config = MetricConfig(name="consistency", params={"kind_weights": {"novel_noun": 1.4}})
    refit = build_metric(config, "test")[1].score(items)[1]
    assert refit.values["score"] == pytest.approx(novelty * math.exp(-1.4))


def test_kind_weight_defaults() -> None:
    from harness.metric.consistency import ConsistencyParams, kind_weight

    params = ConsistencyParams(flag_weight=1.0)
    assert kind_weight(params, "entity") == 1.0
    assert kind_weight(params, "novel_noun") == 0.5
    fitted = ConsistencyParams(kind_weights={"entity": 2.0})
    assert kind_weight(fitted, "entity") == 2.0 and kind_weight(fitted, "novel_noun") == 0.35


def test_the_noun_table_is_in_the_fingerprint() -> None:
    from harness.text.nouns import table_digest

    version = build_metric(MetricConfig(name="consistency"), "test")[1].fingerprint.version
    assert version.endswith(f"+wordnet-{table_digest()}") and len(table_digest()) == 12
