"""plots/: deterministic file names, valid PNGs, awkward names and missing values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.records import Score
from harness.report import build_table, render_plots, write_plots
from harness.report.plots import PLOTS_DIR, plot_file_stem
from harness.store import RunDir

PNG = b"\x89PNG\r\n\x1a\n"
SYSTEMS = ["base", "cand $x", "系统"]


def _agg(mean: float | None) -> dict[str, Any]:
    return {
        "mean": mean,
        "ci_low": None if mean is None else mean - 0.05,
        "ci_high": None if mean is None else mean + 0.05,
        "ci_half_width": None if mean is None else 0.05,
        "n": 0 if mean is None else 3,
        "nulls": 3 if mean is None else 0,
    }


def _results() -> dict[str, Any]:
    values = {
        "rouge.rouge1": {"metric": "rouge", "higher_is_better": True, "description": ""},
        "rouge.rouge2": {"metric": "rouge", "higher_is_better": True, "description": ""},
        "my metric/v2.score": {
            "metric": "my metric/v2",
            "higher_is_better": False,
            "description": "",
        },
    }
    means = {"base": (0.4, 0.2, 1.0), "cand $x": (0.5, 0.3, None), "系统": (0.45, None, 2.0)}
    return {
        "name": "plots",
        "confidence": 0.95,
        "n_examples": 3,
        "systems": SYSTEMS,
        "values": values,
        "failures": dict.fromkeys(SYSTEMS, 0),
        "results": {
            system: {name: _agg(mean) for name, mean in zip(values, means[system], strict=True)}
            for system in SYSTEMS
        },
    }


def _scores() -> list[Score]:
    scores = []
    for system in SYSTEMS:
        for index in range(3):
            example = f"e{index}"
            rouge2 = None if system == "系统" else 0.1 * index
            scores.append(
                Score(
                    example_id=example,
                    system=system,
                    metric="rouge",
                    values={"rouge1": 0.3 + 0.1 * index, "rouge2": rouge2},
                )
            )
            value = None if system == "cand $x" else float(index)
            scores.append(
                Score(
                    example_id=example,
                    system=system,
                    metric="my metric/v2",
                    values={"score": value},
                )
            )
    return scores


def test_file_names_are_deterministic_and_pngs_valid(tmp_path: Path) -> None:
    table = build_table(_results())
    plots = render_plots(table, _scores())
    assert list(plots) == [
        "plots/rouge.png",
        "plots/rouge_distribution.png",
        "plots/my_metric_v2.png",
        "plots/my_metric_v2_distribution.png",
    ]
    assert all(data.startswith(PNG) and len(data) > 1000 for data in plots.values())
    # same input, same bytes (no dates or versions in the files)
    assert render_plots(table, _scores()) == plots
    run = RunDir(tmp_path)
    (tmp_path / PLOTS_DIR).mkdir()
    (tmp_path / PLOTS_DIR / "removed_metric.png").write_bytes(PNG)
    write_plots(run, plots)
    assert sorted(p.name for p in (tmp_path / PLOTS_DIR).iterdir()) == sorted(
        name.split("/")[1] for name in plots
    )
    assert (tmp_path / "plots" / "rouge.png").read_bytes() == plots["plots/rouge.png"]


def test_without_scores_distributions_still_render() -> None:
    plots = render_plots(build_table(_results()), [])
    assert plots["plots/rouge_distribution.png"].startswith(PNG)


def test_empty_table_gives_no_plots() -> None:
    results = _results() | {"systems": [], "results": {}, "failures": {}}
    assert render_plots(build_table(results), []) == {}


def test_plot_file_stem() -> None:
    assert plot_file_stem("rouge") == "rouge"
    assert plot_file_stem("../evil") == "evil"
    assert plot_file_stem("///") == "metric"
