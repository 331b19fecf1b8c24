"""Config loading: validation errors name the file and key; overrides; path resolution."""

from __future__ import annotations

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
    assert f"{path}: systems_extra: unknown key" in info.value.message


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


def test_duplicate_system_names(tmp_path: Path) -> None:
    text = GOOD.replace(
        "systems:\n", "systems:\n  - {name: lead3, backend: lead, params: {sentences: 1}}\n"
    )
    with pytest.raises(ConfigError, match="name 'lead3' is used twice"):
        load_config(write(tmp_path, text))


def test_set_overrides_parse_yaml_values(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, GOOD),
        ["seed=3", "benchmark.limit=5", "systems.0.params.sentences=1", "metrics=[length]"],
    )
    assert config.seed == 3
    assert config.benchmark.limit == 5
    assert config.systems[0].params == {"sentences": 1}
    assert [m.name for m in config.metrics] == ["length"]


@pytest.mark.parametrize("item", ["seed", "=3", "systems.9.name=x"])
def test_bad_overrides(item: str) -> None:
    data = {"seed": 0, "systems": [{"name": "a"}]}
    with pytest.raises(ConfigError, match="--set"):
        apply_overrides(data, [item], "c.yaml")


def test_cache_off_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(write(tmp_path, GOOD))
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "c"))
    assert config.cache_path() == tmp_path / "c" / "cache.sqlite"
    assert config.model_copy(update={"cache": "off"}).cache_path() is None
