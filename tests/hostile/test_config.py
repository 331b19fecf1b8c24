"""Hostile configs through `harness validate`: duplicate keys, misspelt keys, booleans as numbers.

YAML quietly keeps the last of two equal keys and reads ``true`` as a number
1 where a number is expected; each must be exit 2 with a message naming the
file and line(s) instead of a run with a config the user did not write.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]

GOOD = """\
name: hostile-config
benchmark:
  builtin: newsbriefs
  limit: 2
systems:
  - {name: lead3, backend: lead, params: {sentences: 3}}
metrics: [length]
seed: 0
"""


def _validate(tmp_path: Path, harness_cli: HarnessCLI, text: str) -> tuple[Path, str]:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    done = harness_cli("validate", str(path))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return path, done.stderr


def test_the_good_config_validates(tmp_path: Path, harness_cli: HarnessCLI) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(GOOD, encoding="utf-8")
    done = harness_cli("validate", str(path))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("text", "key", "first", "again"),
    [
        (GOOD + "seed: 1\n", "seed", 8, 9),
        (GOOD.replace("  limit: 2\n", "  limit: 2\n  limit: 40\n"), "benchmark.limit", 4, 5),
        (
            GOOD.replace(
                "{name: lead3, backend: lead,", "{name: lead3, name: lead1, backend: lead,"
            ),
            "systems[0].name",
            6,
            6,
        ),
    ],
)
def test_a_duplicate_key_is_exit_2_with_both_lines(
    tmp_path: Path, harness_cli: HarnessCLI, text: str, key: str, first: int, again: int
) -> None:
    path, stderr = _validate(tmp_path, harness_cli, text)
    assert f"{path}:{again}: {key}: duplicate key (first given on line {first}" in stderr


@pytest.mark.parametrize(
    ("text", "line", "key", "suggestion"),
    [
        (GOOD.replace("seed: 0", "sed: 0"), 8, "sed", "seed"),
        (GOOD.replace("  limit: 2", "  limt: 2"), 4, "benchmark.limt", "limit"),
        (GOOD.replace("backend: lead,", "bakend: lead,"), 6, "systems[0].bakend", "backend"),
    ],
)
def test_an_unknown_key_gets_did_you_mean_and_its_line(
    tmp_path: Path, harness_cli: HarnessCLI, text: str, line: int, key: str, suggestion: str
) -> None:
    path, stderr = _validate(tmp_path, harness_cli, text)
    assert f"{path}:{line}: {key}: unknown key; did you mean {suggestion!r}?" in stderr


@pytest.mark.parametrize(
    ("old", "new", "line", "key"),
    [
        ("seed: 0", "seed: true", 8, "seed"),
        ("  limit: 2", "  limit: true", 4, "benchmark.limit"),
        ("seed: 0", "seed: 0\nstats: {resamples: 1000, alpha: false}", 9, "stats.alpha"),
    ],
)
def test_a_boolean_is_not_a_number(
    tmp_path: Path, harness_cli: HarnessCLI, old: str, new: str, line: int, key: str
) -> None:
    path, stderr = _validate(tmp_path, harness_cli, GOOD.replace(old, new))
    assert f"{path}:{line}: {key}: " in stderr
    assert "a boolean" in stderr


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("sentences: 3}", "sentences: 3, sentense: 2}", ":6: systems[0].params: sentense: unknown"),
        ("sentences: 3}", "sentences: true}", ":6: systems[0].params: sentences: expected an"),
        ("backend: lead,", "backend: leed,", ":6: systems[0].backend: unknown backend 'leed'"),
        (
            "metrics: [length]",
            "metrics:\n  - length\n  - {name: rouge, params: {stemmer: 1}}",
            ":9: metrics[1].params: stemmer: unknown key",
        ),
        (
            "seed: 0",
            "seed: 0\ngate:\n  - {value: length.wrds, max_drop: 1}",
            ":10: gate[0].value: 'length.wrds' is not a value",
        ),
        (
            "seed: 0",
            "seed: 0\ngate:\n  - {value: length.words, max_drop: 1, systems: [lead]}",
            ":10: gate[0].systems: 'lead' is not a system",
        ),
    ],
)
def test_a_mistake_checked_when_components_are_built_names_its_line(
    tmp_path: Path, harness_cli: HarnessCLI, old: str, new: str, expected: str
) -> None:
    # Backend and metric params, names and gate values are checked against the
    # registries, after the config's own schema: their errors named no line.
    path, stderr = _validate(tmp_path, harness_cli, GOOD.replace(old, new))
    assert f"{path}{expected}" in stderr


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "{name: lead3, backend: lead, params: {sentences: 3}}",
            "{name: given, backend: precomputed, params: {path: missing.jsonl}}",
            ":6: systems[0]: precomputed: summaries file not found: missing.jsonl",
        ),
        (
            "{name: lead3, backend: lead, params: {sentences: 3}}",
            "{name: mine, backend: python, params: {callable: 'no_such_module:f'}}",
            ":6: systems[0]: python backend 'no_such_module:f': no module named",
        ),
        ("metrics: [length]", "metrics: [length, nli]", ":7: metrics[1]: the nli metric needs"),
    ],
)
def test_a_component_that_cannot_be_built_names_its_config_key(
    tmp_path: Path, harness_cli: HarnessCLI, old: str, new: str, expected: str
) -> None:
    # A backend's or metric's own build error (a file, module or model its params
    # name) said neither the config nor which system or metric it was.
    path, stderr = _validate(tmp_path, harness_cli, GOOD.replace(old, new))
    assert f"{path}{expected}" in stderr


def test_harness_score_names_the_line_of_a_mistake_in_an_edited_config_yaml(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    # The README's way to add a metric to a run is to edit its config.yaml and
    # run `harness score`: a typo there named the key but not the line.
    config = tmp_path / "config.yaml"
    config.write_text(GOOD, encoding="utf-8")
    done = harness_cli("run", str(config), "--out", str(tmp_path / "run"))
    assert done.returncode == 0, done.stderr
    recorded = tmp_path / "run" / "config.yaml"
    lines = recorded.read_text(encoding="utf-8").splitlines()
    at = lines.index("- name: length") + 1
    lines.insert(at, "  parms: {}")
    recorded.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = harness_cli("score", str(tmp_path / "run"))
    assert done.returncode == 2, done.stderr
    assert f"{recorded}:{at + 1}: metrics[0].parms: unknown key" in done.stderr
