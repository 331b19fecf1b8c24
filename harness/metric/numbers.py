"""The ``numbers`` metric: are the summary's quantities backed by the source?

Every quantity of the summary gets a status (``supported``, ``derived``,
``context_mismatch`` or ``unsupported``) by
`harness.text.quantities.match_quantities`; the values are the share backed
(precision), the share of `harness.text.quantities.key_quantities` kept
(recall) and the count not backed. The rules, with examples, are in the
README's "Numbers" section.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from harness.metric._memo import RESULTS
from harness.metric._protocol import MetricInput, MetricResult, ValueSpec, metric
from harness.records import Fingerprint
from harness.text.quantities import (
    MatchSettings,
    cached_quantities,
    keeps,
    key_quantities,
    match_quantities,
)
from harness.text.restore import restore


class NumbersParams(BaseModel):
    """Parameters of the ``numbers`` metric (see `MatchSettings`)."""

    model_config = ConfigDict(extra="forbid")

    approx_tol: float = Field(0.05, ge=0.0, le=0.5)
    rounding: bool = True
    derived: bool = True
    derived_window: int = Field(1, ge=0, le=10)
    context: bool = True

    def settings(self) -> MatchSettings:
        """These parameters as `MatchSettings`."""
        return MatchSettings(
            approx_tol=self.approx_tol,
            rounding=self.rounding,
            derived=self.derived,
            derived_window=self.derived_window,
            context=self.context,
        )


_VALUES = [
    ValueSpec(
        "precision",
        True,
        "Share of the summary's quantities backed by the source (directly or by a sum/difference)",
    ),
    ValueSpec(
        "recall",
        True,
        "Share of the key quantities (the reference's, else the source lead's) the summary keeps",
    ),
    ValueSpec(
        "unsupported",
        False,
        "Number of summary quantities not in the source or stated for a different thing",
    ),
]


@metric(
    "numbers",
    params=NumbersParams,
    values=_VALUES,
    requires=["source"],
    description="Checks every number, amount, date and percentage of the summary in the source.",
    latin_script=True,
)
class NumbersMetric:
    """Precision, recall and unsupported count of the summary's quantities.

    Args:
        params: Validated parameters.
    """

    def __init__(self, params: NumbersParams) -> None:
        self._params = params
        self._settings = params.settings()
        self._digest = self.fingerprint.digest()

    @property
    def fingerprint(self) -> Fingerprint:
        """Name, version and params of this metric."""
        return Fingerprint(
            kind="metric",
            name="numbers",
            # 25: a number split PTB style in a tokenised summary ("$ 100 , 000") is
            # rejoined as in the source, and is one sentence's ("$ 7 . 6 billion");
            # 24: a whole number alone in square brackets ("[3]") is a citation mark;
            # 23: "a million and a half" is 1.5 million;
            # 22: "Q3" is the ordinal of "the third quarter";
            # 21: "half a million", "a quarter of a million" are 500,000 and 250,000;
            # 20: thousands grouped by dots ("1.234.567", "1.250,50", "10.000 people");
            # 19: an amount in brackets is negative ("$(3.1) million", "$(0.12)");
            # 18: slash dates ("3/5/2024": March 5 or 3 May) are dates;
            # 17: "5 points" backs "5 percentage points" and the reverse;
            # 16: "one in five", "1 in 4" are shares (fractions), as "a fifth of" is;
            # 15: "30 years old", "aged 30" and "at the age of 30" are ages;
            # 14: a currency code glued to the amount ("USD5m") is money;
            # 13: a full-width percent sign ("１２％") is a percent sign;
            # 12: "cut by a third" is a share, not an ordinal;
            # 11: an age is in years ("six-month-old" is 0.5, not 6), "30 year old";
            # 10: the hours of a clock time ("7 pm", "3 o'clock") are no count;
            # 9: a decimal with no leading zero (".5%", "$.50"), ISO dates
            # ("2022-05-03"), "$1.5MM" is million;
            # 8: a result's sign is context: a profit or surplus is not a loss or
            # deficit ("profit of $3 million" for "loss of $3 million"); a result's two
            # values swapped ("48% to 52%" for "52% to 48%") are no range; a share as
            # a fraction or a percentage ("75%" for "three quarters of", "2/3 of");
            # 7: units of length, volume, mass and temperature (feet, miles, gallons,
            # lb, °F -> °C, "degrees"; "300 m tall" is metres), no longer bare counts;
            # 6: signs ("-5", "minus 40"), reversed bounds ("fewer than" for "more
            # than"), thousands grouped by spaces ("4 200"), decimal commas ("12,5%");
            # 5: "the second half of the document" is no ordinal;
            # 4: uncased/tokenised summaries are restored first
            version="25",
            params=self._params.model_dump(mode="json"),
            model=None,
        )

    def score(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        """Check the quantities of each summary against its source.

        Args:
            items: Pairs with a non-blank summary and source.

        Returns:
            One result per item, in order, with one finding per summary quantity.
        """
        # `consistency` checks the same pairs again: it gets these results from the memo
        return RESULTS.score(self._digest, items, self._score_all)

    def _score_all(self, items: Sequence[MetricInput]) -> list[MetricResult]:
        return [self._score_one(item) for item in items]

    def _score_one(self, item: MetricInput) -> MetricResult:
        source = cached_quantities(item.example.source)
        # a lower-cased or tokenised summary is analysed restored, its spans mapped back
        restored = restore(item.summary, item.example.source)
        # memoised: the entities check reads the same summary's quantities (`untagged_names`)
        summary = cached_quantities(restored.text)
        matches = match_quantities(summary, source, self._settings)
        good = sum(m.status in ("supported", "derived") for m in matches)
        bad = sum(m.status in ("unsupported", "context_mismatch") for m in matches)
        key = key_quantities(item.example)
        kept = sum(keeps(summary, k, self._settings) for k in key)
        return MetricResult(
            values={
                "precision": good / len(matches) if matches else None,
                "recall": kept / len(key) if key else None,
                "unsupported": float(bad),
            },
            findings=[restored.finding(m.finding()) for m in matches],
        )


__all__ = ["NumbersMetric", "NumbersParams"]
