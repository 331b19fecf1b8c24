"""The registry's plugin loading, with real entry points (issue 11, case 16).

A folder in ``tmp_path`` holds plugin modules and a ``.dist-info`` that
declares them in the ``harness.plugins`` group, as ``pip install`` would; it
is put on ``sys.path`` so that `importlib.metadata` finds it.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from harness import registry
from harness.errors import ConfigError
from harness.registry import Registry, did_you_mean, load_plugins

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]

# The broken ones first: entry points load in file order.
ENTRY_POINTS = """\
[harness.plugins]
raising = raising_plugin_xyz
missing = no_such_plugin_module_xyz:register
good = good_plugin_xyz
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder with an installed-looking package that declares three plugins."""
    folder = tmp_path / "site"
    dist_info = folder / "harness_test_plugins-1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: harness-test-plugins\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    (folder / "raising_plugin_xyz.py").write_text(
        "raise RuntimeError('this plugin needs a GPU')\n", encoding="utf-8"
    )
    (folder / "good_plugin_xyz.py").write_text("LOADED = True\n", encoding="utf-8")
    return folder


@pytest.fixture
def fresh_plugins(site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The plugins of ``site`` installed, and the registry as if no plugin were loaded yet."""
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    # Copies, so that this test's entry points never reach the session's registry state.
    monkeypatch.setattr(registry, "_plugins_scanned", False)
    monkeypatch.setattr(registry, "_plugins_tried", set(registry._plugins_tried))
    monkeypatch.setattr(registry, "_plugin_failures", {})
    yield
    for name in ("good_plugin_xyz", "raising_plugin_xyz"):
        sys.modules.pop(name, None)


@pytest.mark.usefixtures("fresh_plugins")
def test_a_broken_plugin_is_a_config_error_naming_it_and_the_others_load() -> None:
    with pytest.raises(ConfigError) as caught:
        load_plugins()
    message = caught.value.message
    assert (
        "raising = raising_plugin_xyz (package harness-test-plugins 1.0): "
        "RuntimeError: this plugin needs a GPU" in message
    )
    assert "missing = no_such_plugin_module_xyz:register (package harness-test-plugins 1.0): " in (
        message
    )
    assert "ModuleNotFoundError" in message
    assert caught.value.hint is not None and "pip uninstall" in caught.value.hint
    # The good plugin, declared after the broken ones, was imported all the same.
    assert getattr(sys.modules.get("good_plugin_xyz"), "LOADED", False) is True


@pytest.mark.usefixtures("fresh_plugins")
def test_the_error_does_not_go_away_on_the_next_lookup() -> None:
    for _ in range(2):
        with pytest.raises(ConfigError, match="raising = raising_plugin_xyz"):
            Registry[object]("backend").names()


def test_validate_with_a_broken_plugin_exits_2_without_traceback(
    tmp_path: Path, site: Path, harness_cli: HarnessCLI
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "name: plugins\nbenchmark: {builtin: newsbriefs, limit: 1}\n"
        "systems: [{name: lead1, backend: lead}]\nmetrics: [length]\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "HARNESS_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
    }
    done = harness_cli("validate", str(config), env=env)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "raising = raising_plugin_xyz" in done.stderr
    assert "missing = no_such_plugin_module_xyz:register" in done.stderr


# --- a plugin that registers components, and the registry itself ---

GOOD_ENTRY_POINTS = """\
[harness.plugins]
widgets = widget_plugin_xyz
by_attr = widget_attr_plugin_xyz:register
"""
#: The registry the test plugins add to (a module, as harness.metric is for metrics).
TARGET = "from harness.registry import Registry\nWIDGETS = Registry('widget')\nLOADS = []\n"
PLUGIN = (
    "import widget_target_xyz as target\n"
    "target.LOADS.append(__name__)\n"
    "target.WIDGETS.names()  # a lookup while plugins load must not recurse\n"
    "target.WIDGETS.add('sprocket', 'a sprocket')\n"
)
ATTR_PLUGIN = (
    "import widget_target_xyz as target\n"
    "target.WIDGETS.add('gear', 'a gear')\n"
    "def register():\n"
    "    pass\n"
)


@pytest.fixture
def widget_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """Two working plugins installed, the registry as if none were loaded; the target module."""
    folder = tmp_path / "widgets"
    dist_info = folder / "harness_widgets-2.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: harness-widgets\nVersion: 2.0\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(GOOD_ENTRY_POINTS, encoding="utf-8")
    (folder / "widget_target_xyz.py").write_text(TARGET, encoding="utf-8")
    (folder / "widget_plugin_xyz.py").write_text(PLUGIN, encoding="utf-8")
    (folder / "widget_attr_plugin_xyz.py").write_text(ATTR_PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    importlib.invalidate_caches()
    monkeypatch.setattr(registry, "_plugins_scanned", False)
    monkeypatch.setattr(registry, "_plugins_tried", set(registry._plugins_tried))
    monkeypatch.setattr(registry, "_plugin_failures", {})
    yield importlib.import_module("widget_target_xyz")
    for name in ("widget_target_xyz", "widget_plugin_xyz", "widget_attr_plugin_xyz"):
        sys.modules.pop(name, None)


def test_a_plugin_registers_its_components_on_the_first_lookup(widget_site: ModuleType) -> None:
    widgets = widget_site.WIDGETS
    assert widget_site.LOADS == []  # nothing is imported before a name is looked up
    assert widgets.get("sprocket") == "a sprocket"
    assert widgets.get("gear") == "a gear"  # `module:attr` entry points load their module
    assert widgets.names() == ["gear", "sprocket"]
    assert widget_site.LOADS == ["widget_plugin_xyz"]


def test_each_plugin_is_loaded_once(widget_site: ModuleType) -> None:
    for _ in range(3):
        load_plugins()
        widget_site.WIDGETS.names()
    assert widget_site.LOADS == ["widget_plugin_xyz"]


def test_the_shipped_components_are_found_with_a_plugin_installed(widget_site: ModuleType) -> None:
    from harness.metric import METRICS

    assert "rouge" in METRICS.names()
    assert widget_site.WIDGETS.get("sprocket") == "a sprocket"


def test_unknown_name_lists_the_choices_and_suggests_the_closest() -> None:
    widgets = Registry[int]("widget")
    widgets.add("sprocket", 1)
    widgets.add("gear", 2)
    with pytest.raises(ConfigError) as caught:
        widgets.get("sprockt", where="config.yaml: widgets[0]")
    assert caught.value.message == (
        "config.yaml: widgets[0]: unknown widget 'sprockt'. Did you mean 'sprocket'?"
    )
    assert caught.value.hint == "available widgets: gear, sprocket"
    with pytest.raises(ConfigError) as far:
        widgets.get("zzz")
    assert far.value.message == "unknown widget 'zzz'."


def test_a_name_is_registered_once() -> None:
    widgets = Registry[int]("widget")
    widgets.add("gear", 1)
    with pytest.raises(ValueError, match="widget 'gear' is already registered"):
        widgets.add("gear", 2)
    assert widgets.get("gear") == 1


def test_names_and_items_are_in_name_order() -> None:
    widgets = Registry[int]("widget")
    for number, name in enumerate(["c", "a", "b"]):
        widgets.add(name, number)
    assert widgets.names() == ["a", "b", "c"]
    assert list(widgets.items()) == [("a", 1), ("b", 2), ("c", 0)]


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("rogue", " Did you mean 'rouge'?"), ("lenght", " Did you mean 'length'?"), ("xyz", "")],
)
def test_did_you_mean(name: str, suggestion: str) -> None:
    assert did_you_mean(name, ["rouge", "length", "numbers"]) == suggestion
