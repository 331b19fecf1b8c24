"""Config loading: validation errors name the file and key; overrides; path resolution."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.config import apply_overrides, load_config
from harness.errors import ConfigError

GOOD = """\
name: demo
benchmark:
  path: data.jsonl
  fields: {id: id, source: text, reference: ref}
systems:
  - {name: lead3, backend: lead, params: {sentences: 3}}
metrics: [rouge, {name: length}]
seed: 7
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "data.jsonl").write_text('{"id": 1, "text": "a"}\n', encoding="utf-8")
    return path


def test_good_config_loads_with_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.name == "demo"
    assert config.seed == 7
    assert [m.name for m in config.metrics] == ["rouge", "length"]
    assert config.benchmark.resolved_format() == "jsonl"
    assert config.out_dir() == Path("reports/demo")
    # relative path not found under the CWD resolves beside the config file
    assert config.benchmark.path == str(tmp_path / "data.jsonl")


def test_unknown_key_names_file_and_dotted_key(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("seed: 7", "seed: 7\nsystems_extra: 1"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert f"{path}:9: systems_extra: unknown key; did you mean 'systems'?" in info.value.message


def test_wrong_type_names_nested_key_and_value(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("seed: 7", "seed: seven"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "seed:" in info.value.message
    assert "'seven'" in info.value.message


def test_nested_unknown_field_mapping_key(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("reference: ref", "refrence: ref"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "benchmark.fields.refrence: unknown key" in info.value.message


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nsystems: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml:\d+:\d+: invalid YAML"):
        load_config(bad)


def test_exactly_one_benchmark_source(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("path: data.jsonl", "path: data.jsonl\n  hf: x/y"))
    with pytest.raises(ConfigError, match="exactly one of 'path', 'hf' or 'builtin'"):
        load_config(path)


@pytest.mark.parametrize(("key", "line"), [("split", 4), ("name", 4), ("revision", 4)])
def test_split_name_or_revision_beside_a_file_is_an_error_naming_its_line(
    tmp_path: Path, key: str, line: int
) -> None:
    # Before: ignored, so `split: test` loaded every row (test and evaluation alike)
    # while the manifest's benchmark info said split "test".
    path = write(tmp_path, GOOD.replace("path: data.jsonl", f"path: data.jsonl\n  {key}: test"))
    with pytest.raises(
        ConfigError,
        match=rf"config.yaml:{line}: benchmark.{key}: .*only a Hugging Face dataset .* has "
        rf"a {key}, so 'test' would select nothing",
    ):
        load_config(path)
    hub = GOOD.replace("path: data.jsonl", f"hf: owner/name\n  {key}: test")
    assert getattr(load_config(write(tmp_path, hub)).benchmark, key) == "test"
    folder = GOOD.replace("path: data.jsonl", f"path: data.jsonl\n  format: hf\n  {key}: test")
    assert getattr(load_config(write(tmp_path, folder)).benchmark, key) == "test"


def test_duplicate_system_names(tmp_path: Path) -> None:
    text = GOOD.replace(
        "systems:\n", "systems:\n  - {name: lead3, backend: lead, params: {sentences: 1}}\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    # the second of the two, at its own line (not "(top level)")
    assert info.value.message == (
        f"{tmp_path}/config.yaml:7: systems[1]: name 'lead3' is used twice"
    )


def test_an_unknown_baseline_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD + "baseline: lead1\n"))
    assert info.value.message == (
        f"{tmp_path}/config.yaml:9: baseline: 'lead1' is not a system name (systems: lead3)"
    )


@pytest.mark.parametrize("name", ["../elsewhere", "/tmp/run", "team/../../x"])
def test_a_run_name_cannot_leave_reports(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD.replace("name: demo", f"name: {name}")))
    assert f"{tmp_path / 'config.yaml'}:1: name: a run name may not start with '/'" in (
        info.value.message
    )
    assert "set `out:`" in info.value.message
    # a nested name stays under reports/, and `out:` is how to write elsewhere
    nested = load_config(write(tmp_path, GOOD.replace("name: demo", "name: team/demo")))
    assert nested.out_dir() == Path("reports/team/demo")


def test_empty_lists_that_would_mean_nothing_are_errors(tmp_path: Path) -> None:
    gate = "gate:\n  - {value: rouge.rouge1, max_drop: 0.01, systems: []}\n"
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD + gate))
    assert ":10: gate[0].systems: an empty list gates no system" in info.value.message
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD.replace("reference: ref", "reference: []")))
    assert ":4: benchmark.fields.reference: " in info.value.message


def test_a_gate_rule_naming_a_system_twice_is_an_error(tmp_path: Path) -> None:
    # before: a value rule checked it twice; a failures rule said "'lead3' already has a
    # failures rule (gate[0])", naming itself
    for rule in ("{value: rouge.rouge1, max_drop: 0.01", "{max_new_failures: 1"):
        gate = f"gate:\n  - {rule}, systems: [lead3, lead3]}}\n"
        with pytest.raises(ConfigError) as info:
            load_config(write(tmp_path, GOOD + gate))
        assert ":10: gate[0].systems: 'lead3' is listed twice; name each system once" in (
            info.value.message
        )


def test_set_overrides_parse_yaml_values(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, GOOD),
        ["seed=3", "benchmark.limit=5", "systems.0.params.sentences=1", "metrics=[length]"],
    )
    assert config.seed == 3
    assert config.benchmark.limit == 5
    assert config.systems[0].params == {"sentences": 1}
    assert [m.name for m in config.metrics] == ["length"]


def test_set_reaches_a_bare_metric_name_and_value_name_keys(tmp_path: Path) -> None:
    # `metrics: [rouge, ...]` holds names; `report.labels` and `report.digits`
    # are keyed by value names, which hold a dot.
    config = load_config(
        write(tmp_path, GOOD),
        [
            "metrics.0.params.use_stemmer=false",
            "report.labels.rouge.rouge1=R-1",
            "report.digits.rouge.rouge2=2",
        ],
    )
    assert (config.metrics[0].name, config.metrics[0].params) == ("rouge", {"use_stemmer": False})
    assert config.report.labels == {"rouge.rouge1": "R-1"}
    assert config.report.digits == {"rouge.rouge2": 2}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("cache=5", "cache (from --set): expected a cache folder, or off to cache nothing"),
        ("cache.enabled=false", "cache: expected a cache folder, or off to cache nothing"),
        (
            "report.digits=[1]",
            "report.digits (from --set): expected an integer, or a mapping of value names "
            "to integers (got [1])",
        ),
    ],
)
def test_a_value_no_member_of_a_union_takes_is_one_error_naming_the_key(
    tmp_path: Path, item: str, expected: str
) -> None:
    # Before: one line per member of the union, at keys the config has not got
    # ("cache.str: Input should be a valid string", "cache.literal[False]: ...").
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD), [item])
    assert expected in info.value.message
    assert "literal[" not in info.value.message and ".str" not in info.value.message
    assert len(info.value.message.splitlines()) == 1


def test_set_on_an_item_of_a_list_the_config_lacks_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD), ["gate.0.max_drop=0.1"])
    assert "--set gate.0.max_drop: the config has no gate list" in info.value.message
    assert info.value.hint is not None and "--set 'gate=[" in info.value.hint


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "report.labels.lead3=Lead #3",
            "YAML reads '#3' as a comment, so the value would be 'Lead'",
        ),
        ("name=#1", "YAML reads '#1' as a comment, so the value would be None"),
        ("metrics=[rouge] # length", "YAML reads '# length' as a comment"),
        ("name=&a run", "YAML reads '&' as an anchor, so the value would be 'run'"),
    ],
)
def test_set_never_cuts_a_value_short(tmp_path: Path, item: str, expected: str) -> None:
    # YAML drops a comment or an anchor in silence: the run would get a label,
    # name or prompt the command line did not say.
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD), [item])
    assert expected in info.value.message
    assert info.value.hint is not None and "quote the value" in info.value.hint


def test_set_reads_a_quoted_hash_and_a_hash_inside_a_word(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), ['name="run #2"', "report.labels.lead3=L#3"])
    assert (config.name, config.report.labels) == ("run #2", {"lead3": "L#3"})


@pytest.mark.parametrize(
    "item", ["seed", "=3", "systems.9.name=x", "systems[0].name=x", ".seed=1", "seed.=1"]
)
def test_bad_overrides(item: str) -> None:
    data = {"seed": 0, "systems": [{"name": "a"}]}
    with pytest.raises(ConfigError, match="--set"):
        apply_overrides(data, [item], "c.yaml")


def test_cache_off_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(write(tmp_path, GOOD))
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "c"))
    assert config.cache_path() == tmp_path / "c" / "cache.sqlite"
    assert config.model_copy(update={"cache": "off"}).cache_path() is None


# duplicate keys, line numbers, "did you mean", strict numbers -------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + "seed: 8\n", r"config\.yaml:9: seed: duplicate key \(first given on line 8,"),
        (
            GOOD.replace("  path: data.jsonl\n", "  path: data.jsonl\n  path: other.jsonl\n"),
            r"config\.yaml:4: benchmark\.path: duplicate key \(first given on line 3,",
        ),
        (
            GOOD.replace("{sentences: 3}", "{sentences: 3, sentences: 1}"),
            r"config\.yaml:6: systems\[0\]\.params\.sentences: duplicate key "
            r"\(first given on line 6, again on line 6\)",
        ),
        (
            GOOD + 'gate:\n  - {value: rouge.rouge1, max_drop: 0.1, "max_drop": 0.2}\n',
            r"config\.yaml:10: gate\[0\]\.max_drop: duplicate key",
        ),
    ],
)
def test_duplicate_keys_name_both_lines(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as info:
        load_config(write(tmp_path, text))
    assert info.value.hint is not None


def test_yaml_merge_keys_are_not_duplicates(tmp_path: Path) -> None:
    text = GOOD.replace(
        "systems:\n  - {name: lead3, backend: lead, params: {sentences: 3}}\n",
        "systems:\n  - &base {name: lead3, backend: lead, params: {sentences: 3}}\n"
        "  - {<<: *base, name: lead1}\n",
    )
    config = load_config(write(tmp_path, text))
    assert [system.name for system in config.systems] == ["lead3", "lead1"]


def test_set_on_an_aliased_value_changes_that_place_only(tmp_path: Path) -> None:
    # YAML shares one object between an anchor and its aliases (and the values a
    # merge copies): --set on one system changed the other in silence.
    text = GOOD.replace(
        "systems:\n  - {name: lead3, backend: lead, params: {sentences: 3}}\n",
        "systems:\n  - &base {name: lead3, backend: lead, params: &p {sentences: 3}}\n"
        "  - {name: lead1, backend: lead, params: *p}\n"
        "  - {<<: *base, name: lead2}\n",
    )
    config = load_config(write(tmp_path, text), ["systems.0.params.sentences=5"])
    assert [system.params for system in config.systems] == [
        {"sentences": 5},
        {"sentences": 3},
        {"sentences": 3},
    ]


def test_an_alias_cycle_or_bomb_is_one_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="contains it"):
        load_config(write(tmp_path, GOOD.replace("params: {", "params: &p {x: *p, ")))
    # Nine aliases of nine aliases ... of a list: 9**9 items once expanded.
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [
        f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]" for level in range(1, 9)
    ]
    with pytest.raises(ConfigError, match="aliases expand to more than"):
        load_config(write(tmp_path, GOOD + "\n".join(bomb) + "\n"))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("seed: 7", "sede: 7", "config.yaml:8: sede: unknown key; did you mean 'seed'?"),
        (
            "  fields:",
            "  limits: 3\n  fields:",
            "config.yaml:4: benchmark.limits: unknown key; did you mean 'limit'?",
        ),
        (
            "metrics: [rouge, {name: length}]",
            "metrics: [rouge, {name: length, parms: {}}]",
            "config.yaml:7: metrics[1].parms: unknown key; did you mean 'params'?",
        ),
        (
            "seed: 7",
            "seed: 7\nzzz: 1",
            "config.yaml:9: zzz: unknown key; the keys allowed here are: name, benchmark,",
        ),
    ],
)
def test_unknown_keys_get_a_line_and_a_suggestion(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD.replace(old, new)))
    assert f"{tmp_path}/{expected}" in info.value.message


def test_error_inside_a_list_item_gets_the_item_line(tmp_path: Path) -> None:
    text = GOOD.replace("metrics: [rouge, {name: length}]", "metrics:\n  - rouge\n  - {}\n")
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert f"{tmp_path}/config.yaml:9: metrics[1].name: Field required" in info.value.message


def test_keys_set_on_the_command_line_have_no_file_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD), ["seed=true", "sede=1"])
    message = info.value.message
    assert f"{tmp_path}/config.yaml: seed (from --set): " in message
    expected = "sede (from --set): unknown key; did you mean 'seed'?"
    assert f"{tmp_path}/config.yaml: {expected}" in message


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("seed: 7", "seed: true", "seed"),
        ("seed: 7", "seed: 7.0", "seed"),
        ("seed: 7", 'seed: "7"', "seed"),
        ("  fields:", "  limit: true\n  fields:", "benchmark.limit"),
        ("  fields:", "  sample: yes\n  fields:", "benchmark.sample"),
        ("params: {sentences: 3}", "batch_size: true", "systems[0].batch_size"),
        ("seed: 7", "stats: {resamples: true}", "stats.resamples"),
        ("seed: 7", "stats: {confidence: true}", "stats.confidence"),
        ("params: {sentences: 3}", "resources: {num_gpus: true}", "systems[0].resources.num_gpus"),
        ("params: {sentences: 3}", "resources: {num_gpus: '1'}", "systems[0].resources.num_gpus"),
        ("params: {sentences: 3}", "resources: {num_gpus: .inf}", "systems[0].resources.num_gpus"),
        # YAML 1.1 reads these as 90 and 1000; a config number is decimal (YAML 1.2)
        ("seed: 7", "seed: 1:30", "seed"),
        ("seed: 7", "seed: 1_000", "seed"),
    ],
)
def test_numbers_are_strict(tmp_path: Path, old: str, new: str, key: str) -> None:
    with pytest.raises(ConfigError, match=rf"config\.yaml:\d+: {re.escape(key)}: "):
        load_config(write(tmp_path, GOOD.replace(old, new)))


def test_integers_still_load_where_floats_are_expected(tmp_path: Path) -> None:
    text = GOOD.replace("seed: 7", "stats: {resamples: 200, alpha: 0.1}")
    text = text.replace("params: {sentences: 3}", "resources: {num_gpus: 1}")
    config = load_config(write(tmp_path, text))
    assert (config.stats.resamples, config.stats.alpha) == (200, 0.1)
    assert config.systems[0].resources.num_gpus == 1


def test_numbers_mean_what_they_say_in_decimal(tmp_path: Path) -> None:
    # YAML 1.1 (PyYAML's default) reads 010 as 8 and 2e-2 as text
    text = GOOD.replace("seed: 7", "seed: 010\nstats: {alpha: 2e-2, resamples: 1e3}")
    with pytest.raises(ConfigError, match=r"stats\.resamples"):
        load_config(write(tmp_path, text))  # 1e3 is a float: no resample count
    config = load_config(write(tmp_path, text.replace("1e3", "1000")))
    assert (config.seed, config.stats.alpha, config.stats.resamples) == (10, 0.02, 1000)
    overridden = apply_overrides({}, ["seed=010", "stats.alpha=5e-2", "x=0x10", "y=1_000"], "c")
    assert overridden == {"seed": 10, "stats": {"alpha": 0.05}, "x": 16, "y": "1_000"}


def test_non_utf8_config_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"name: demo\n# caf\xe9\n")
    with pytest.raises(ConfigError, match=r"config\.yaml:2: not UTF-8 text"):
        load_config(path)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("{sentences: true}", "systems[0].params: sentences: expected an integer, got True"),
        ("{sentences: 3.0}", "systems[0].params: sentences: expected an integer, got 3.0"),
        ("{sentences: '3'}", "systems[0].params: sentences: expected an integer, got '3'"),
    ],
)
def test_backend_params_numbers_are_as_strict_as_the_configs(
    tmp_path: Path, params: str, expected: str
) -> None:
    from harness.backend import build_backend
    from harness.backend._protocol import BuildContext

    config = load_config(write(tmp_path, GOOD.replace("{sentences: 3}", params)))
    with pytest.raises(ConfigError, match=re.escape(expected)):
        build_backend(config.systems[0], BuildContext(config_dir=tmp_path), "c.yaml: systems[0]")


def test_metric_params_take_an_integer_where_a_number_is_expected(tmp_path: Path) -> None:
    from harness.config import MetricConfig
    from harness.metric import build_metric

    build_metric(MetricConfig(name="numbers", params={"approx_tol": 0}), "m")
    with pytest.raises(ConfigError, match=r"m\.params: approx_tol: expected a number, got True"):
        build_metric(MetricConfig(name="numbers", params={"approx_tol": True}), "m")


def test_an_integer_too_long_to_read_is_a_config_error_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config\.yaml:\d+:\d+: invalid YAML: the integer 9+"):
        load_config(write(tmp_path, GOOD.replace("seed: 7", "seed: " + "9" * 5000)))
    with pytest.raises(ConfigError, match="not valid YAML"):
        apply_overrides({}, ["seed=" + "9" * 5000], "c")


def test_a_null_section_says_nothing_follows_its_key(tmp_path: Path) -> None:
    # `stats:` with every line under it commented out is null: pydantic's words
    # were "Input should be a valid dictionary or instance of StatsConfig".
    text = GOOD + "stats:\n  # resamples: 2000\ngate:\n"
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    message = info.value.message
    assert ":9: stats: is null (nothing follows the key), but takes a mapping" in message
    assert ":11: gate: is null (nothing follows the key), but takes a list" in message
    assert "StatsConfig" not in message and "None" not in message


def test_a_section_given_a_scalar_names_no_class(tmp_path: Path) -> None:
    # `--set benchmark=5` or `stats: 5` said "Input should be a valid dictionary or
    # instance of BenchmarkConfig": a class name means nothing to a config's writer.
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD), ["benchmark=5", "report.labels=7"])
    message = info.value.message
    assert "benchmark (from --set): expected a mapping (its keys and values" in message
    assert "report.labels (from --set): expected a mapping" in message
    assert "Config" not in message and "dictionary" not in message


def test_a_tab_in_the_indentation_says_to_use_spaces(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD.replace("  path: data.jsonl", "\tpath: data.jsonl")))
    assert "config.yaml:3:1: invalid YAML" in info.value.message
    assert info.value.hint is not None and "spaces" in info.value.hint


def test_where_names_the_line_or_the_set_keys_that_changed_a_key(tmp_path: Path) -> None:
    # Backends and metrics are checked after loading, at `where`: a backend
    # misspelt by --set was reported at the file's line, which says `lead`.
    path = write(tmp_path, GOOD)
    config = load_config(path)
    assert config.where(str(path), "systems", 0) == f"{path}:6: systems[0]"
    config = load_config(path, ["systems.0.backend=leed"])
    assert config.where(str(path), "systems", 0) == f"{path} (--set systems[0].backend): systems[0]"
    assert config.where(str(path), "metrics", 1) == f"{path}:7: metrics[1]"
    config = load_config(path, ["systems=[{name: a, backend: leed}]"])
    assert config.where(str(path), "systems", 0) == f"{path} (--set systems): systems[0]"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("name: demo", "name: 2024", ":1: name: Input should be a valid string (got 2024: quote"),
        (
            "name: demo",
            "name: no",
            ":1: name: Input should be a valid string (got false, a boolean: quote",
        ),
    ],
)
def test_text_that_yaml_reads_as_a_number_says_to_quote_it(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD.replace(old, new)))
    assert expected in info.value.message
