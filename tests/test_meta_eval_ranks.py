"""`average_ranks` equals scipy's ``rankdata(method="average")`` exactly, ties and all."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from harness.meta_eval._ranks import average_ranks


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("distinct", [1, 2, 3, 7, 1000])
def test_rows_of_random_scores_with_ties_rank_as_scipy_ranks_them(seed: int, distinct: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.integers(0, distinct, size=(13, 1 + seed * 5)) / 7.0
    assert np.array_equal(average_ranks(values), stats.rankdata(values, axis=1))
    assert np.array_equal(average_ranks(values[0]), stats.rankdata(values[0]))


def test_a_single_value_and_an_empty_row() -> None:
    assert average_ranks(np.array([0.5])).tolist() == [1.0]
    assert average_ranks(np.zeros((3, 0))).shape == (3, 0)
