"""The pipeline end to end in-process: failures, nulls with reasons, cache, re-scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from harness.config import load_config
from harness.errors import StoreError
from harness.report import render_reports
from harness.runner import run_pipeline, score_run
from harness.store import RunDir

FIXTURES = Path(__file__).parent / "fixtures" / "runner"


def write_benchmark(tmp_path: Path) -> Path:
    rows = [
        {
            "id": "a",
            "text": "The dam burst on Monday. Two villages were flooded.",
            "ref": "A dam burst.",
        },
        {"id": "b", "text": "BOOM goes the article. It has two sentences.", "ref": "Boom."},
        {"id": "c", "text": "BLANK summary here. Nothing else.", "ref": "Blank."},
        {"id": "d", "text": "   ", "ref": "Empty source."},
        {"id": "e", "text": "No reference for this one. It is fine.", "ref": None},
    ]
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_config(tmp_path: Path, extra: str = "") -> Path:
    write_benchmark(tmp_path)
    config = tmp_path / "run.yaml"
    config.write_text(
        f"""\
name: runner-test
benchmark:
  path: {tmp_path / "data.jsonl"}
  fields: {{id: id, source: text, reference: ref}}
systems:
  - {{name: user, backend: python, params: {{callable: "{FIXTURES / "flaky.py"}:first_words"}}}}
  - {{name: lead1, backend: lead, params: {{sentences: 1}}}}
metrics: [rouge, fragments, length]
out: {tmp_path / "run"}
cache: {tmp_path / "cache"}
{extra}""",
        encoding="utf-8",
    )
    return config


def run(config_path: Path) -> tuple[RunDir, dict[str, object]]:
    config = load_config(config_path)
    summary = run_pipeline(
        config,
        origin=str(config_path),
        config_dir=config_path.parent,
        console=Console(quiet=True),
        render=render_reports,
    )
    return summary.run_dir, summary.manifest


def test_a_summary_without_a_letter_or_digit_is_not_scored(tmp_path: Path) -> None:
    # "..." or an emoji has nothing any check could find wrong: a faithfulness of 1 would
    # rank it first and pass a gate. It is null with a reason, like the empty summary.
    summaries = {"a": "...", "b": "\u200b🙂", "c": "Blank summary.", "d": "-", "e": "It is fine."}
    outputs = tmp_path / "outputs.jsonl"
    outputs.write_text(
        "".join(json.dumps({"id": i, "summary": text}) + "\n" for i, text in summaries.items()),
        encoding="utf-8",
    )
    config = write_config(tmp_path).read_text(encoding="utf-8")
    config = config.replace(
        "metrics: [rouge, fragments, length]",
        f"  - {{name: given, backend: precomputed, params: {{path: {outputs}}}}}\n"
        "metrics: [length, numbers, consistency]",
    )
    path = tmp_path / "run.yaml"
    path.write_text(config, encoding="utf-8")
    run_dir, _ = run(path)
    scores = {(s.example_id, s.metric): s for s in run_dir.read_scores() if s.system == "given"}
    for example in ("a", "b"):
        for metric in ("length", "numbers", "consistency"):
            reason = scores[example, metric].reason
            assert reason is not None and reason.startswith("summary has no words"), reason
            assert set(scores[example, metric].values.values()) == {None}
    assert scores["d", "length"].reason == "source has no words" or scores["d", "length"].reason
    assert scores["c", "consistency"].values["score"] is not None


def test_failures_and_nulls_are_recorded_with_reasons(tmp_path: Path) -> None:
    run_dir, _ = run(write_config(tmp_path))
    outputs = {(o.system, o.example_id): o for o in run_dir.read_outputs()}
    assert outputs["user", "b"].error is not None
    assert "cannot summarise this one" in outputs["user", "b"].error
    assert outputs["user", "a"].summary == "The dam burst on Monday. Two villages were"
    assert outputs["lead1", "d"].error == "empty source"

    scores = {(s.system, s.example_id, s.metric): s for s in run_dir.read_scores()}
    assert scores["user", "c", "length"].reason == "empty summary"
    assert scores["user", "c", "length"].values == {"words": None, "sentences": None}
    assert scores["user", "e", "rouge"].reason == "no reference"
    assert scores["user", "d", "fragments"].reason == "empty source"
    assert scores["user", "b", "rouge"].reason is not None
    assert scores["user", "b", "rouge"].reason.startswith("generation failed")
    assert scores["lead1", "a", "rouge"].values["rouge1"] is not None

    results = json.loads(run_dir.file("results.json").read_text(encoding="utf-8"))
    assert results["failures"] == {"user": 1, "lead1": 1}
    assert (
        results["results"]["user"]["rouge.rouge1"]["n"] == 1
    )  # only "a" has summary and reference
    report = run_dir.file("report.md").read_text(encoding="utf-8")
    assert "| user |" in report and "| lead1 |" in report


def test_second_run_is_all_cache_hits_and_identical(tmp_path: Path) -> None:
    config_path = write_config(tmp_path)
    run_dir, _ = run(config_path)
    results_first = run_dir.file("results.json").read_bytes()
    _, second = run(config_path)
    cache = second["cache"]
    assert isinstance(cache, dict)
    # failed generations are not cached: they are retried on every run
    assert cache["generation"] == {"hits": 8, "misses": 2}
    assert cache["score"]["misses"] == 0
    assert run_dir.file("results.json").read_bytes() == results_first
    assert set(second["timings_s"]) >= {"load", "generate", "score", "aggregate", "report"}


def test_same_config_and_seed_identical_results_without_cache(tmp_path: Path) -> None:
    config_path = write_config(tmp_path, extra="")
    text = config_path.read_text(encoding="utf-8").replace(
        f"cache: {tmp_path / 'cache'}", "cache: off"
    )
    config_path.write_text(text, encoding="utf-8")
    run_dir, manifest = run(config_path)
    first = run_dir.file("results.json").read_bytes()
    run_dir, manifest = run(config_path)
    assert run_dir.file("results.json").read_bytes() == first
    assert manifest["cache"] == {
        "path": None,
        "generation": {"hits": 0, "misses": 10},
        "results": {"hits": 0, "misses": 1},
        "score": {"hits": 0, "misses": 16},
    }


def test_score_run_rescores_with_edited_metrics(tmp_path: Path) -> None:
    run_dir, _ = run(write_config(tmp_path))
    config_text = run_dir.file("config.yaml").read_text(encoding="utf-8")
    assert "rouge" in config_text
    edited = config_text.replace("- name: rouge\n  params: {}\n", "")
    assert edited != config_text
    run_dir.file("config.yaml").write_text(edited, encoding="utf-8")
    score_run(run_dir, console=Console(quiet=True), render=render_reports)
    metrics = {s.metric for s in run_dir.read_scores()}
    assert metrics == {"fragments", "length"}
    results = json.loads(run_dir.file("results.json").read_text(encoding="utf-8"))
    assert not any(name.startswith("rouge.") for name in results["values"])
    manifest = json.loads(run_dir.file("manifest.json").read_text(encoding="utf-8"))
    assert "rescored" in manifest
    # compare, check and baseline read the metrics here: they are the re-scored ones
    assert set(manifest["components"]["metrics"]) == {"fragments", "length"}
    assert manifest["components"]["metrics"] == manifest["rescored"]["metrics"]


@pytest.mark.parametrize(
    ("before", "after", "named"),
    [
        ("sentences: 1", "sentences: 2", "system 'lead1' (systems[1])"),
        ("source: text", "source: ref", "the benchmark"),
    ],
)
def test_score_run_refuses_a_config_whose_systems_or_benchmark_were_edited(
    tmp_path: Path, before: str, after: str, named: str
) -> None:
    # outputs.jsonl holds lead1's one-sentence summaries: re-scoring them under a
    # config.yaml that says two sentences would record results for what was not run.
    run_dir, _ = run(write_config(tmp_path))
    path = run_dir.file("config.yaml")
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after), encoding="utf-8")
    scores = run_dir.file("scores.jsonl").read_bytes()
    with pytest.raises(StoreError, match="was generated with") as caught:
        score_run(run_dir, console=Console(quiet=True), render=render_reports)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if before in row)
    assert named in caught.value.message
    assert f"{path}:" in caught.value.message
    assert int(caught.value.message.split(f"{path}:")[1].split(":")[0]) <= line
    assert run_dir.file("scores.jsonl").read_bytes() == scores  # the run is left as it was


def edit_seed(run_dir: RunDir, seed: int) -> None:
    path = run_dir.file("config.yaml")
    text = path.read_text(encoding="utf-8")
    assert "\nseed: 0\n" in text
    path.write_text(text.replace("\nseed: 0\n", f"\nseed: {seed}\n"), encoding="utf-8")


def test_score_run_refuses_an_edited_seed_when_the_examples_were_sampled_with_the_old_one(
    tmp_path: Path,
) -> None:
    # examples.jsonl holds the sample seed 0 drew: results recorded under seed 1 would say
    # `harness run` of this config.yaml gives them, and it draws another sample.
    config = write_config(tmp_path).read_text(encoding="utf-8")
    config = config.replace("  fields:", "  sample: 3\n  fields:")
    (tmp_path / "run.yaml").write_text(config, encoding="utf-8")
    run_dir, _ = run(tmp_path / "run.yaml")
    edit_seed(run_dir, 1)
    scores = run_dir.file("scores.jsonl").read_bytes()
    drew = r"seed is 1, but this run's benchmark\.sample drew with seed 0"
    with pytest.raises(StoreError, match=drew) as caught:
        score_run(run_dir, console=Console(quiet=True), render=render_reports)
    lines = run_dir.file("config.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("seed: 1") + 1
    assert f"config.yaml:{line}:" in caught.value.message
    assert "set seed back to 0" in (caught.value.hint or "")
    assert run_dir.file("scores.jsonl").read_bytes() == scores


def test_score_run_takes_an_edited_seed_when_nothing_saved_was_drawn_with_it(
    tmp_path: Path,
) -> None:
    # lead and a deterministic callable: the seed only draws the bootstrap resamples.
    run_dir, _ = run(write_config(tmp_path))
    edit_seed(run_dir, 7)
    score_run(run_dir, console=Console(quiet=True), render=render_reports)
    results = json.loads(run_dir.file("results.json").read_text(encoding="utf-8"))
    assert results["seed"] == 7


def test_a_system_whose_fingerprint_holds_the_seed_refuses_an_edited_seed(tmp_path: Path) -> None:
    # A sampling hf model or an openai model at temperature > 0 records the seed in its
    # fingerprint's params: its saved summaries are one draw of that seed.
    from harness.runner._parts import check_generated_from, generated_from

    run_dir, manifest = run(write_config(tmp_path))
    edit_seed(run_dir, 2)
    config = run_dir.read_run_config()
    manifest = {**manifest, "generated_from": generated_from(config)}
    check_generated_from(run_dir, config, manifest)  # no system drew with the seed
    manifest["components"] = {
        "systems": {"user": {"kind": "backend", "name": "hf", "params": {"seed": 0}}}
    }
    with pytest.raises(StoreError, match="system 'user' drew with seed 0"):
        check_generated_from(run_dir, config, manifest)


@pytest.mark.parametrize("damage", ["cut", "delete", "edit"])
def test_scores_changed_after_the_run_are_refused_by_what_reads_them(
    tmp_path: Path, damage: str
) -> None:
    from harness.compare import load_run
    from harness.errors import StoreError
    from harness.runner import rerender

    run_dir, manifest = run(write_config(tmp_path))
    assert set(manifest["data_sha256"]) == {"examples.jsonl", "outputs.jsonl", "scores.jsonl"}
    load_run(run_dir.path)  # as written: fine
    scores = run_dir.file("scores.jsonl")
    lines = scores.read_text(encoding="utf-8").splitlines(keepends=True)
    if damage == "cut":  # whole lines gone: every line left still parses
        scores.write_text("".join(lines[: len(lines) // 3]), encoding="utf-8")
    elif damage == "delete":
        scores.unlink()
    else:
        edited = "".join(lines).replace('"rouge1":0.', '"rouge1":1.', 1)
        assert edited != "".join(lines)
        scores.write_text(edited, encoding="utf-8")
    expected = "is missing" if damage == "delete" else "has changed since results.json"
    with pytest.raises(StoreError, match=expected):
        load_run(run_dir.path)  # compare, check and baseline read a run so
    with pytest.raises(StoreError, match=expected):
        rerender(run_dir, render_reports)  # harness report
    # re-scoring computes them again from the outputs, and records the new ones
    score_run(run_dir, console=Console(quiet=True))
    load_run(run_dir.path)


def test_unknown_metric_suggests_a_name(tmp_path: Path) -> None:
    from harness.errors import ConfigError

    config_path = write_config(tmp_path)
    config_path.write_text(
        config_path.read_text(encoding="utf-8").replace("metrics: [rouge,", "metrics: [rogue,"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"unknown metric 'rogue'\. Did you mean 'rouge'"):
        run(config_path)


def test_labelled_benchmark_gets_meta_eval_for_the_precomputed_system(tmp_path: Path) -> None:
    rows = []
    for index in range(24):
        faithful = index % 2 == 0
        summary = "a much longer and padded summary sentence here." if faithful else "short one."
        rows.append(
            {
                "id": f"x{index}",
                "doc": "Some source text. It has two sentences.",
                "summary": summary,
                "label": 1 if faithful else 0,
                "split": "evaluation" if index < 8 else "test",
            }
        )
    data = tmp_path / "labelled.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    config_path = tmp_path / "labelled.yaml"
    config_path.write_text(
        f"""\
name: labelled
benchmark:
  path: {data}
  fields: {{id: id, source: doc, summary: summary, label: label}}
systems:
  - {{name: given, backend: precomputed}}
  - {{name: lead1, backend: lead, params: {{sentences: 1}}}}
metrics: [length]
meta_eval: {{split_field: split, dev_split: evaluation}}
out: {tmp_path / "run"}
cache: off
""",
        encoding="utf-8",
    )
    run_dir, _ = run(config_path)
    results = json.loads(run_dir.file("results.json").read_text(encoding="utf-8"))
    meta = results["meta_eval"]
    assert meta["kind"] == "binary"
    assert list(meta["systems"]) == ["given"]  # only the system the labels judge
    words = meta["systems"]["given"]["length.words"]
    assert words["n_dev"] == 8 and words["n_test"] == 16
    assert words["balanced_accuracy"]["value"] == 1.0  # longer ⇔ label 1 here
    assert words["roc_auc"]["value"] == 1.0
