"""The ``evaluate`` adapter, run on a local ``evaluate`` module written at test time.

`write_word_ratio_module` is also used by the metric contract test.
"""

from __future__ import annotations

import json
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # hub names must fail fast, not download
os.environ.setdefault("HF_EVALUATE_OFFLINE", "1")

from pathlib import Path
from typing import Any

import pytest

from harness.config import MetricConfig
from harness.errors import ConfigError, MetricError
from harness.metric import METRICS, MetricInput, build_metric
from harness.records import Example

NEEDS_EVALUATE = pytest.mark.requires("evaluate", "datasets", extra="evaluate")

WORD_RATIO = '''"""Word-count ratio and exact match against one or more references (test)."""

import datasets
import evaluate


class WordRatio(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="prediction words / first reference words; exact match with any",
            citation="",
            inputs_description="predictions: strings; references: strings or lists of strings",
            features=[
                datasets.Features(
                    {
                        "predictions": datasets.Value("string"),
                        "references": datasets.Sequence(datasets.Value("string")),
                    }
                ),
                datasets.Features(
                    {
                        "predictions": datasets.Value("string"),
                        "references": datasets.Value("string"),
                    }
                ),
            ],
        )

    def _compute(self, predictions, references, lowercase=False):
        rows = []
        for prediction, refs in zip(predictions, references):
            refs = refs if isinstance(refs, list) else [refs]
            if lowercase:
                prediction, refs = prediction.lower(), [r.lower() for r in refs]
            rows.append((prediction, refs))
        return {
            "ratio": sum(len(p.split()) / max(len(r[0].split()), 1) for p, r in rows) / len(rows),
            "exact_match": sum(any(p == x for x in r) for p, r in rows) / len(rows),
            "n_refs": [len(r) for _, r in rows],
            "label": "text",
            "nothing": float("nan"),
        }
'''


def write_word_ratio_module(folder: Path) -> Path:
    """Write the ``word_ratio`` evaluate module to ``folder/word_ratio/word_ratio.py``.

    Returns:
        The module's folder (``evaluate.load`` takes the folder or the script).
    """
    module = folder / "word_ratio"
    module.mkdir(parents=True, exist_ok=True)
    (module / "word_ratio.py").write_text(WORD_RATIO, encoding="utf-8")
    return module


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_word_ratio_module(tmp_path_factory.mktemp("evaluate_modules"))


def _build(module: Path | str, **params: Any) -> Any:
    params.setdefault("values", ["ratio", "exact_match"])
    return build_metric(
        MetricConfig(name="evaluate", params={"module": str(module), **params}), "metrics[0]"
    )


def _item(summary: str, *references: str, source: str = "Source text here.") -> MetricInput:
    return MetricInput(Example(id="x", source=source, references=references), summary)


@NEEDS_EVALUATE
def test_a_local_module_scores_each_pair(module_dir: Path) -> None:
    _, metric = _build(module_dir)
    items = [
        _item("one two three", "one two"),
        _item("one two", "one two"),
        _item("a", "b c d e"),
    ]
    results = metric.score(items)
    assert [r.values for r in results] == [
        {"ratio": 1.5, "exact_match": 0.0},
        {"ratio": 1.0, "exact_match": 1.0},
        {"ratio": 0.25, "exact_match": 0.0},
    ]
    assert [metric.score([item])[0] for item in items] == results


@NEEDS_EVALUATE
def test_the_module_script_path_loads_too(module_dir: Path) -> None:
    _, metric = _build(module_dir / "word_ratio.py")
    [result] = metric.score([_item("one two", "one two")])
    assert result.values == {"ratio": 1.0, "exact_match": 1.0}


@NEEDS_EVALUATE
def test_declared_values_and_requirements_follow_the_params(module_dir: Path) -> None:
    entry, _ = _build(module_dir, values=["exact_match", "ratio"], higher_is_better={"ratio": None})
    assert [spec.name for spec in entry.values] == ["exact_match", "ratio"]
    assert [spec.higher_is_better for spec in entry.values] == [True, None]
    assert entry.value_names() == ["evaluate.exact_match", "evaluate.ratio"]
    assert entry.requires == {"reference"}
    source_entry, _ = _build(module_dir, against="source")
    assert source_entry.requires == {"source"}
    # the registry keeps the generic declaration that `harness list` shows
    assert [spec.name for spec in METRICS.get("evaluate").values] == ["<values>"]


@NEEDS_EVALUATE
def test_against_source_compares_with_the_source(module_dir: Path) -> None:
    _, metric = _build(module_dir, against="source")
    [result] = metric.score([_item("a b c", "ignored reference", source="a b c d e f")])
    assert result.values == {"ratio": 0.5, "exact_match": 0.0}


@NEEDS_EVALUATE
def test_several_references_keep_the_best_value_by_direction(module_dir: Path) -> None:
    item = _item("one two", "one two three four", "one two")
    _, higher = _build(module_dir)
    assert higher.score([item])[0].values == {"ratio": 1.0, "exact_match": 1.0}
    _, lower = _build(module_dir, higher_is_better={"ratio": False})
    assert lower.score([item])[0].values == {"ratio": 0.5, "exact_match": 1.0}
    _, first = _build(module_dir, higher_is_better={"ratio": None})
    assert first.score([item])[0].values == {"ratio": 0.5, "exact_match": 1.0}


@NEEDS_EVALUATE
def test_list_mode_passes_all_references_at_once(module_dir: Path) -> None:
    _, metric = _build(module_dir, values=["n_refs", "exact_match"], multi_reference="list")
    [result] = metric.score([_item("one two", "one two three four", "one two")])
    assert result.values == {"n_refs": 2.0, "exact_match": 1.0}


@NEEDS_EVALUATE
def test_compute_args_reach_the_module(module_dir: Path) -> None:
    _, plain = _build(module_dir)
    _, lowered = _build(module_dir, compute_args={"lowercase": True})
    item = _item("One Two", "one two")
    assert plain.score([item])[0].values["exact_match"] == 0.0
    assert lowered.score([item])[0].values["exact_match"] == 1.0
    assert plain.fingerprint.digest() != lowered.fingerprint.digest()


@NEEDS_EVALUATE
def test_nan_is_null_and_missing_comparison_text_gives_a_reason(module_dir: Path) -> None:
    _, metric = _build(module_dir, values=["nothing"])
    assert metric.score([_item("a", "b")])[0].values == {"nothing": None}
    [result] = metric.score([_item("a")])
    assert result.values == {"nothing": None} and result.reason == "no reference"


@NEEDS_EVALUATE
@pytest.mark.parametrize(
    ("values", "message"),
    [(["label"], "not a number"), (["rouge1"], r"returned no \['rouge1'\]")],
)
def test_keys_that_are_missing_or_not_numbers_fail_clearly(
    module_dir: Path, values: list[str], message: str
) -> None:
    _, metric = _build(module_dir, values=values)
    with pytest.raises(MetricError, match=message):
        metric.score([_item("a", "b")])


@pytest.mark.parametrize(
    "params",
    [
        {"values": []},
        {"values": ["a.b"]},
        {"values": ["ratio", "ratio"]},
        {"higher_is_better": {"other": True}},
        {"compute_args": {"types": ["rouge1"]}},
    ],
)
def test_params_are_validated(module_dir: Path, params: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        _build(module_dir, **params)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline mode for ``evaluate`` and the hub, which read their variables once at import
    (possibly before this module set HF_HUB_OFFLINE); online attempts retry for minutes."""
    import evaluate.config
    import huggingface_hub.constants

    monkeypatch.setattr(evaluate.config, "HF_EVALUATE_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


@NEEDS_EVALUATE
@pytest.mark.usefixtures("offline")
def test_a_hub_name_offline_fails_with_the_hint() -> None:
    with pytest.raises(MetricError, match="could not load evaluate module 'rouge'") as caught:
        _build("rouge")
    assert "HF_HUB_OFFLINE" in str(caught.value) and "local module script" in str(caught.value)


@NEEDS_EVALUATE
def test_the_fingerprint_changes_with_the_module_script(tmp_path: Path) -> None:
    folder = write_word_ratio_module(tmp_path)
    _, before = _build(folder)
    (folder / "word_ratio.py").write_text(WORD_RATIO + "\n# changed\n", encoding="utf-8")
    _, after = _build(folder)
    assert before.fingerprint.digest() != after.fingerprint.digest()
    assert before.fingerprint.model and "module hash" in before.fingerprint.model


@NEEDS_EVALUATE
def test_a_run_reports_the_configured_values(module_dir: Path, tmp_path: Path) -> None:
    """End to end: results.json and scores.jsonl carry exactly the configured values,
    and ``against: source`` scores examples that have no reference."""
    from rich.console import Console

    from harness.config import load_config
    from harness.runner import run_pipeline

    rows = [
        {"id": "a", "text": "The dam burst on Monday. Two villages were flooded."},
        {"id": "b", "text": "Rain fell. Rivers rose."},
    ]
    (tmp_path / "data.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8"
    )
    config_path = tmp_path / "run.yaml"
    config_path.write_text(
        f"""\
name: evaluate-adapter
benchmark:
  path: {tmp_path / "data.jsonl"}
  fields: {{id: id, source: text}}
systems:
  - {{name: lead1, backend: lead, params: {{sentences: 1}}}}
metrics:
  - name: evaluate
    params:
      module: {module_dir}
      against: source
      values: [ratio, exact_match]
      higher_is_better: {{ratio: null}}
out: {tmp_path / "run"}
cache: {tmp_path / "cache"}
""",
        encoding="utf-8",
    )
    summary = run_pipeline(
        load_config(config_path),
        origin=str(config_path),
        config_dir=tmp_path,
        console=Console(quiet=True),
    )
    scores = {score.example_id: score for score in summary.run_dir.read_scores()}
    assert scores["a"].values == {"ratio": pytest.approx(5 / 9), "exact_match": 0.0}
    assert scores["b"].values == {"ratio": 0.5, "exact_match": 0.0}
    results = json.loads((summary.run_dir.path / "results.json").read_text(encoding="utf-8"))
    assert set(results["values"]) == {"evaluate.ratio", "evaluate.exact_match"}
    assert results["values"]["evaluate.ratio"]["higher_is_better"] is None
