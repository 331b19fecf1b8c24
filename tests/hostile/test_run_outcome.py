"""Hostile inputs to a run's outcome: failures that must not pass, mistakes `validate` sees.

Each case runs the CLI as a user would (`harness_cli`, a subprocess) and
fails on a harness that exits 0 in silence.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
import yaml

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]

ARTICLES = [
    {
        "id": f"a{i}",
        "article": f"The council met on Monday {i}. It approved {i + 3} new parks. "
        f"Residents welcomed the plan.",
        "ref": f"The council approved {i + 3} parks.",
        "given": f"Council approves {i + 3} parks.",
    }
    for i in range(1, 6)
]


def _data(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ARTICLES), encoding="utf-8")
    return path


def _config(tmp_path: Path, **changes: object) -> Path:
    config: dict[str, object] = {
        "name": "outcome",
        "benchmark": {
            "path": str(_data(tmp_path)),
            "fields": {"id": "id", "source": "article", "reference": "ref", "summary": "given"},
        },
        "systems": [{"name": "lead", "backend": "lead", "params": {"sentences": 1}}],
        "metrics": ["rouge", "length"],
        "out": str(tmp_path / "run"),
    }
    config.update(changes)
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _failing_script(tmp_path: Path) -> Path:
    script = tmp_path / "always_fails.py"
    script.write_text(
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    item = json.loads(line)\n"
        "    print(json.dumps({'id': item['id'], 'error': 'model server refused: 503'}),"
        " flush=True)\n",
        encoding="utf-8",
    )
    return script


def test_a_system_whose_every_summary_is_empty_exits_4_and_one_partly_empty_warns(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    module = tmp_path / "blank.py"
    module.write_text(
        "def nothing(sources):\n    return ['' for _ in sources]\n\n"
        "def some(sources):\n    return ['...' if '2' in s else s[:20] for s in sources]\n",
        encoding="utf-8",
    )
    systems = [
        {"name": "lead", "backend": "lead"},
        {"name": "blank", "backend": "python", "params": {"callable": f"{module}:nothing"}},
        {"name": "some", "backend": "python", "params": {"callable": f"{module}:some"}},
    ]
    done = harness_cli("run", str(_config(tmp_path, systems=systems)))
    assert done.returncode == 4, done.stderr
    assert "'blank' produced no summary" in done.stderr
    assert "system 'blank': 5 of 5 summaries are empty" in done.stderr
    assert "system 'some': 1 of 5 summaries is empty" in done.stderr and "'a2'" in done.stderr
    assert "'some' produced no summary" not in done.stderr
    results = json.loads((tmp_path / "run" / "results.json").read_text(encoding="utf-8"))
    assert results["empty_summaries"] == {
        "lead": [],
        "blank": [f"a{i}" for i in range(1, 6)],
        "some": ["a2"],
    }


def test_a_system_whose_every_generation_failed_exits_4_with_the_reasons(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    script = _failing_script(tmp_path)
    systems = [
        {"name": "lead", "backend": "lead"},
        {"name": "broken", "backend": "command", "params": {"argv": [sys.executable, str(script)]}},
    ]
    done = harness_cli("run", str(_config(tmp_path, systems=systems)))
    assert done.returncode == 4, done.stderr
    assert "'broken' produced no summary" in done.stderr
    assert "5× command reported: model server refused: 503" in done.stderr
    run = tmp_path / "run"
    results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    assert results["failures"] == {"lead": 0, "broken": 5}
    assert {e["error"] for e in results["errors"]["broken"]} == {
        "command reported: model server refused: 503"
    }
    assert (run / "report.md").is_file()


def test_some_failed_generations_warn_but_exit_0(tmp_path: Path, harness_cli: HarnessCLI) -> None:
    script = tmp_path / "half.py"
    script.write_text(
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    item = json.loads(line)\n"
        "    if item['id'] in ('a1', 'a2'):\n"
        "        print(json.dumps({'id': item['id'], 'error': 'too long'}), flush=True)\n"
        "    else:\n"
        "        print(json.dumps({'id': item['id'], 'summary': 'Parks.'}), flush=True)\n",
        encoding="utf-8",
    )
    systems = [
        {"name": "half", "backend": "command", "params": {"argv": [sys.executable, str(script)]}}
    ]
    done = harness_cli("run", str(_config(tmp_path, systems=systems)))
    assert done.returncode == 0, done.stderr
    assert "system 'half': 2 of 5 generations failed" in done.stderr
    assert "2× command reported: too long (examples 'a1', 'a2')" in done.stderr


def test_validate_catches_a_misspelt_precomputed_column(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    systems = [{"name": "given", "backend": "precomputed", "params": {"column": "givne"}}]
    config = _config(tmp_path, systems=systems)
    config_data = yaml.safe_load(config.read_text(encoding="utf-8"))
    config_data["benchmark"]["fields"].pop("summary")
    config.write_text(yaml.safe_dump(config_data), encoding="utf-8")
    for command in ("validate", "run"):
        done = harness_cli(command, str(config))
        assert done.returncode == 2, (command, done.stderr)
        assert "systems[0].params.column" in done.stderr
        assert "did you mean 'given'?" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "run" / "results.json").exists()


def test_validate_catches_a_summaries_file_with_none_of_the_ids(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    summaries = tmp_path / "summaries.jsonl"
    summaries.write_text(
        "".join(
            json.dumps({"id": f"x-{row['id']}", "summary": "Parks."}) + "\n" for row in ARTICLES
        ),
        encoding="utf-8",
    )
    systems = [{"name": "given", "backend": "precomputed", "params": {"path": str(summaries)}}]
    config = _config(tmp_path, systems=systems)
    for command in ("validate", "run"):
        done = harness_cli(command, str(config))
        assert done.returncode == 2, (command, done.stderr)
        assert "systems[0].params.path: none of the 5 examples loaded" in done.stderr
        assert "its ids look like 'x-a1'; the benchmark's look like 'a1'" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "run" / "results.json").exists()
    # One id in common is a file that matches: the others fail, counted, as before.
    summaries.write_text(
        summaries.read_text(encoding="utf-8") + json.dumps({"id": "a1", "summary": "Parks."}),
        encoding="utf-8",
    )
    assert harness_cli("validate", str(config)).returncode == 0
    done = harness_cli("run", str(config))
    assert "system 'given': 4 of 5 generations failed" in done.stderr


def test_validate_catches_a_precomputed_system_without_a_summary_field(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    config = _config(tmp_path, systems=[{"name": "given", "backend": "precomputed"}])
    config_data = yaml.safe_load(config.read_text(encoding="utf-8"))
    config_data["benchmark"]["fields"].pop("summary")
    config.write_text(yaml.safe_dump(config_data), encoding="utf-8")
    done = harness_cli("validate", str(config))
    assert done.returncode == 2, done.stderr
    assert "benchmark.fields.summary is not set" in done.stderr


def test_validate_catches_a_reference_metric_without_references(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    config = _config(tmp_path)
    config_data = yaml.safe_load(config.read_text(encoding="utf-8"))
    config_data["benchmark"]["fields"].pop("reference")
    config.write_text(yaml.safe_dump(config_data), encoding="utf-8")
    for command in ("validate", "run"):
        done = harness_cli(command, str(config))
        assert done.returncode == 2, (command, done.stderr)
        assert "metrics[0] ('rouge') compares with a reference" in done.stderr
        assert "benchmark.fields.reference is not set" in done.stderr


def test_validate_passes_when_only_the_first_example_lacks_a_reference(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    rows = [dict(row) for row in ARTICLES]
    rows[0]["ref"] = ""
    config = _config(tmp_path)
    (tmp_path / "data.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8"
    )
    for command in ("validate", "run"):
        done = harness_cli(command, str(config))
        assert done.returncode == 0, (command, done.stderr)


def _labelled(
    tmp_path: Path, rows: Sequence[Mapping[str, object]], meta_eval: dict[str, str]
) -> Path:
    """The config over ``rows`` (written as the data), with labels and ``meta_eval``."""
    config = _config(tmp_path, meta_eval=meta_eval)
    config_data = yaml.safe_load(config.read_text(encoding="utf-8"))
    config_data["benchmark"]["fields"]["label"] = "label"
    config.write_text(yaml.safe_dump(config_data), encoding="utf-8")
    (tmp_path / "data.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8"
    )
    return config


def test_a_dev_split_no_labelled_example_is_in_is_a_config_error(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    # "Evaluation" for "evaluation": every threshold would be chosen on nothing,
    # and ROC-AUC quietly computed on every example, dev included.
    rows = [
        {**row, "label": index % 2, "part": "evaluation" if index < 3 else "test"}
        for index, row in enumerate(ARTICLES)
    ]
    config = _labelled(tmp_path, rows, {"split_field": "part", "dev_split": "Evaluation"})
    for command in ("validate", "run"):
        done = harness_cli(command, str(config))
        assert done.returncode == 2, (command, done.stderr)
        assert "meta_eval.dev_split: none of the 5 labelled examples loaded has part ==" in (
            " ".join(done.stderr.split())
        )
        assert "did you mean 'evaluation'?" in done.stderr
    assert not (tmp_path / "run" / "results.json").exists()


@pytest.mark.parametrize(
    ("labels", "stray"), [([0, 1, 0, 2, 1], "'a4' (2)"), ([1, 2, 1, 2, 2], "")]
)
def test_a_dev_split_with_labels_that_are_not_0_or_1_is_a_config_error(
    tmp_path: Path, harness_cli: HarnessCLI, labels: list[int], stray: str
) -> None:
    # One stray label (or labels coded 1/2) would turn the binary protocol into
    # correlations over every example, dev split included, in silence.
    rows = [
        {**row, "label": label, "part": "evaluation" if index < 3 else "test"}
        for index, (row, label) in enumerate(zip(ARTICLES, labels, strict=True))
    ]
    config = _labelled(tmp_path, rows, {"split_field": "part", "dev_split": "evaluation"})
    for command in ("validate", "run"):
        done = harness_cli(command, str(config))
        assert done.returncode == 2, (command, done.stderr)
        message = " ".join(done.stderr.split())
        assert "meta_eval.dev_split is set, so the labels must be binary (0 or 1)" in message
        assert stray in message
    assert not (tmp_path / "run" / "results.json").exists()


@pytest.mark.parametrize(
    ("splits", "dev", "said"),
    [
        (
            ["evaluation", "evaluation", "Evaluation ", "test", "test"],
            "evaluation",
            "'Evaluation '",
        ),
        # a column of numbers written two ways (a CSV edited by hand)
        (["1", 1, "1.0", "2", 2], "1", "'1.0'"),
    ],
)
def test_a_split_value_that_reads_as_the_dev_split_but_is_not_it_is_a_config_error(
    tmp_path: Path, harness_cli: HarnessCLI, splits: list[object], dev: str, said: str
) -> None:
    # a3 would have been held out in silence: its label reported on, not used for the threshold
    rows = [
        {**row, "label": index % 2, "part": split}
        for index, (row, split) in enumerate(zip(ARTICLES, splits, strict=True))
    ]
    config = _labelled(tmp_path, rows, {"split_field": "part", "dev_split": dev})
    for command in ("validate", "run"):
        done = harness_cli(command, str(config))
        assert done.returncode == 2, (command, done.stderr)
        message = " ".join(done.stderr.split())
        assert (
            f"meta_eval.dev_split is {dev!r}, and 1 labelled example has part {said}, "
            "which is not it but reads as it ('a3')"
        ) in message
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "run" / "results.json").exists()


def test_a_split_column_of_numbers_matches_the_dev_split_as_written(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    rows = [
        {**row, "label": index % 2, "fold": 0 if index < 3 else 1}
        for index, row in enumerate(ARTICLES)
    ]
    config = _labelled(tmp_path, rows, {"split_field": "fold", "dev_split": "0"})
    done = harness_cli("run", str(config))
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "run" / "results.json").read_text(encoding="utf-8"))
    assert results["meta_eval"]["threshold_on"] == "dev"  # exit 2 before: no fold == "0"


def test_validate_catches_a_gate_value_that_names_no_metric_value(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    gate = [{"value": "rouge.rogue1", "max_drop": 0.01}]
    for command in ("validate", "run"):
        done = harness_cli(command, str(_config(tmp_path, gate=gate)))
        assert done.returncode == 2, (command, done.stderr)
        assert "gate[0].value: 'rouge.rogue1'" in done.stderr
        assert "did you mean 'rouge.rouge1'?" in done.stderr


def test_validate_catches_a_gate_rule_naming_an_unknown_system(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    gate = [{"value": "rouge.rouge1", "max_drop": 0.01, "systems": ["laed"]}]
    done = harness_cli("validate", str(_config(tmp_path, gate=gate)))
    assert done.returncode == 2, done.stderr
    assert "gate[0].systems: 'laed'" in done.stderr
    assert "did you mean 'lead'?" in done.stderr


def test_an_item_that_makes_a_metric_raise_is_that_items_error(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    # A user metric (module:callable through the python backend is for systems;
    # metrics come from plugins): the `evaluate` adapter is not installed
    # offline, so this uses a plugin module registered on the path.
    plugin = tmp_path / "picky_metric.py"
    plugin.write_text(
        "from pydantic import BaseModel\n"
        "from harness.metric import MetricResult, ValueSpec, metric\n"
        "from harness.records import Fingerprint\n"
        "class Params(BaseModel):\n"
        "    pass\n"
        "class Picky:\n"
        "    fingerprint = Fingerprint(kind='metric', name='picky', version='1')\n"
        "    def score(self, batch):\n"
        "        out = []\n"
        "        for item in batch:\n"
        "            if item.example.id == 'a3':\n"
        "                raise ValueError('cannot parse a3')\n"
        "            value = float('inf') if item.example.id == 'a4' else 1.0\n"
        "            out.append(MetricResult(values={'ok': value}))\n"
        "        return out\n"
        "@metric('picky', params=Params, values=(ValueSpec('ok', True, 'always 1'),),\n"
        "        requires=(), description='raises on a3')\n"
        "def build(params):\n"
        "    return Picky()\n",
        encoding="utf-8",
    )
    runner = tmp_path / "run_with_plugin.py"
    runner.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "import picky_metric\n"
        "from harness.cli import main\n"
        "sys.argv = ['harness', *sys.argv[1:]]\n"
        "main()\n",
        encoding="utf-8",
    )
    config = _config(tmp_path, metrics=["picky", "length"])
    done = subprocess.run(
        [sys.executable, str(runner), "run", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**__import__("os").environ, "HARNESS_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr
    assert "metric 'picky' raised on 2 examples" in done.stderr
    scores = [
        json.loads(line)
        for line in (tmp_path / "run" / "scores.jsonl").read_text(encoding="utf-8").split("\n")
        if line
    ]
    picky = {s["example_id"]: s for s in scores if s["metric"] == "picky"}
    assert picky["a3"]["values"] == {"ok": None}
    assert picky["a3"]["reason"] == "metric error: ValueError: cannot parse a3"
    assert all(picky[i]["values"] == {"ok": 1.0} for i in ("a1", "a2", "a5"))
    # an infinite value is no score: that item's error, so results.json stays strict JSON
    assert picky["a4"]["values"] == {"ok": None}
    assert picky["a4"]["reason"] == "metric error: an infinite value, ok = inf"

    def strict(constant: str) -> None:
        raise AssertionError(f"results.json holds {constant}")

    text = (tmp_path / "run" / "results.json").read_text(encoding="utf-8")
    results = json.loads(text, parse_constant=strict)
    assert results["metric_errors"]["lead"] == [
        {
            "example_id": "a3",
            "metric": "picky",
            "error": "metric error: ValueError: cannot parse a3",
        },
        {
            "example_id": "a4",
            "metric": "picky",
            "error": "metric error: an infinite value, ok = inf",
        },
    ]
    assert results["results"]["lead"]["picky.ok"]["mean"] == 1.0


def test_a_summary_that_is_not_valid_unicode_fails_its_example_not_the_run(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    # JSON may escape a lone surrogate ("\ud83d", half an emoji); it has no UTF-8 form,
    # so it could be written neither to the cache nor to outputs.jsonl (exit 3 before).
    script = tmp_path / "half_emoji.py"
    script.write_text(
        "import sys\n"
        "for line in sys.stdin:\n"
        "    item = __import__('json').loads(line)\n"
        "    text = 'Parks \\\\ud83d' if item['id'] == 'a2' else 'Parks.'\n"
        '    print(\'{"id": "%s", "summary": "%s"}\' % (item[\'id\'], text), flush=True)\n',
        encoding="utf-8",
    )
    argv = [sys.executable, str(script)]
    systems = [{"name": "emoji", "backend": "command", "params": {"argv": argv}}]
    done = harness_cli("run", str(_config(tmp_path, systems=systems)))
    assert done.returncode == 0, done.stderr
    outputs = {
        o["example_id"]: o
        for o in map(json.loads, (tmp_path / "run" / "outputs.jsonl").read_text().split("\n")[:-1])
    }
    assert outputs["a1"]["summary"] == "Parks."
    assert outputs["a2"]["summary"] is None
    assert "not valid Unicode text: surrogates not allowed" in outputs["a2"]["error"]


def test_a_reader_that_stops_reading_never_changes_the_exit_code(tmp_path: Path) -> None:
    # Rich answers a broken pipe with SystemExit(1), the regression code.
    env = {**__import__("os").environ, "HARNESS_CACHE_DIR": str(tmp_path / "cache")}
    for command in ("list", f"validate {_config(tmp_path)}"):
        done = subprocess.run(
            [
                "bash",
                "-c",
                f"{sys.executable} -m harness {command} | head -c 10 >/dev/null; "
                'echo "rc=${PIPESTATUS[0]}"',
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=env,
        )
        assert done.stdout.strip() == "rc=0", (command, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and "Broken pipe" not in done.stderr


def test_text_a_check_cannot_read_is_unscored_with_a_warning_not_a_perfect_score(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    rows = [
        *ARTICLES[:2],
        # a wrong number (450 for 45) in a script the checks do not read
        {
            "id": "zh",
            "article": "乌克兰说俄罗斯发射了45架无人机。",
            "ref": "",
            "given": "俄罗斯发射了450架无人机。",
        },
    ]
    data = tmp_path / "mixed.jsonl"
    data.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")
    benchmark = {
        "path": str(data),
        "fields": {"id": "id", "source": "article", "reference": "ref", "summary": "given"},
    }
    systems = [{"name": "given", "backend": "precomputed"}]
    metrics = ["rouge", "numbers", "consistency", "length"]
    config = _config(tmp_path, benchmark=benchmark, systems=systems, metrics=metrics)
    done = harness_cli("run", str(config))
    assert done.returncode == 0, done.stderr
    assert "metric 'consistency' left 1 of 3 examples unscored" in done.stderr
    assert "summary is not in the Latin script: consistency reads English text only" in done.stderr
    assert "metric 'rouge' left 1 of 3 examples unscored" in done.stderr
    scores = [
        json.loads(line)
        for line in (tmp_path / "run" / "scores.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    by_metric = {s["metric"]: s for s in scores if s["example_id"] == "zh"}
    assert by_metric["consistency"]["values"]["score"] is None
    assert by_metric["numbers"]["values"]["unsupported"] is None
    assert by_metric["length"]["values"]["words"] is not None  # length reads any script
    results = json.loads((tmp_path / "run" / "results.json").read_text(encoding="utf-8"))
    assert results["results"]["given"]["consistency.score"]["n"] == 2
    assert {(g["metric"], g["count"]) for g in results["not_scored"]["given"]} == {
        ("rouge", 1),
        ("numbers", 1),
        ("consistency", 1),
    }


@pytest.mark.requires("torch", "transformers", extra="models")
def test_sources_a_model_cut_to_its_input_limit_are_a_warning(
    tmp_path: Path, harness_cli: HarnessCLI, tiny: dict[str, Path]
) -> None:
    # Each article is over 8 tokens: the tiny BART saw only its start.
    systems = [
        {"name": "lead", "backend": "lead"},
        {
            "name": "bart",
            "backend": "hf",
            "params": {"model": str(tiny["bart"]), "max_new_tokens": 5, "max_input_tokens": 8},
        },
    ]
    done = harness_cli("run", str(_config(tmp_path, systems=systems)))
    assert done.returncode == 0, done.stderr
    assert "system 'bart': 5 of 5 sources were cut to fit the model's input limit" in done.stderr
    assert "system 'lead'" not in done.stderr
    results = json.loads((tmp_path / "run" / "results.json").read_text(encoding="utf-8"))
    assert results["truncated"] == {"lead": 0, "bart": 5}


@pytest.mark.requires("torch", "transformers", extra="models")
def test_summaries_kept_to_their_whole_sentences_are_a_warning_and_on_record(
    tmp_path: Path, harness_cli: HarnessCLI, tiny: dict[str, Path]
) -> None:
    # The tiny model never ends a summary: 5 tokens stop it in its third sentence.
    params = {"model": str(tiny["llama-sentences"]), "prompt": "{source}", "max_new_tokens": 5}
    systems = [
        {"name": "lead", "backend": "lead"},
        {"name": "tiny", "backend": "hf", "params": {**params, "cut_off": "whole_sentences"}},
    ]
    config = _config(tmp_path, systems=systems, cache=str(tmp_path / "cache"))
    done = harness_cli("run", str(config))
    assert done.returncode == 0, done.stderr
    assert (
        "system 'tiny': 5 of 5 summaries reached max_new_tokens and were kept to their "
        "last whole sentence"
    ) in " ".join(done.stderr.split())
    assert "system 'lead'" not in done.stderr
    run = tmp_path / "run"
    results = (run / "results.json").read_text(encoding="utf-8")
    assert json.loads(results)["cut_off"] == {"lead": 0, "tiny": 5}
    outputs = [json.loads(line) for line in (run / "outputs.jsonl").read_text().splitlines()]
    tiny_outputs = [row for row in outputs if row["system"] == "tiny"]
    assert all(row["cut_off"] and row["summary"].endswith(".") for row in tiny_outputs)
    assert all(row["cut_off"] is None for row in outputs if row["system"] == "lead")
    # Served from the cache, the record and the results are the same.
    again = harness_cli("run", str(config))
    assert again.returncode == 0, again.stderr
    assert "5 of 5 summaries reached max_new_tokens" in " ".join(again.stderr.split())
    assert (run / "results.json").read_text(encoding="utf-8") == results
    assert [json.loads(line) for line in (run / "outputs.jsonl").read_text().splitlines()] == (
        outputs
    )


def test_labels_that_judge_no_system_warn_that_there_is_no_meta_evaluation(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    # The labels judge the benchmark's own summaries; a run of lead alone has no
    # meta-evaluation, which passed in silence.
    rows = [{**row, "label": index % 2} for index, row in enumerate(ARTICLES)]
    data = tmp_path / "labelled.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    fields = {"id": "id", "source": "article", "summary": "given", "label": "label"}
    benchmark = {"path": str(data), "fields": fields}
    config = _config(tmp_path, benchmark=benchmark, metrics=["length"])
    done = harness_cli("run", str(config))
    assert done.returncode == 0, done.stderr
    assert "labels (5 labelled examples) judge its own summaries" in done.stderr
    assert "there is no meta-evaluation" in done.stderr
    # With the system they judge, the warning is gone.
    given = {"name": "given", "backend": "precomputed"}
    lead = {"name": "lead", "backend": "lead", "params": {"sentences": 1}}
    config = _config(tmp_path, benchmark=benchmark, metrics=["length"], systems=[lead, given])
    done = harness_cli("run", str(config))
    assert done.returncode == 0, done.stderr
    assert "no meta-evaluation" not in done.stderr
