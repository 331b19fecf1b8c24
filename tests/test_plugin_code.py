"""A plugin's metric and backend: their code is in the fingerprint that keys the cache.

The plugin is real: a folder with a ``.dist-info`` that declares it in the
``harness.plugins`` group (as ``pip install -e`` of a plugin under development
would), put on ``PYTHONPATH`` of a ``harness run`` subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from harness.backend import BACKENDS, BuildContext
from harness.backend.lead import LeadParams
from harness.plugin_code import PLUGIN_CODE_KEY, component_fingerprint, plugin_code

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]

PLUGIN = """\
from pydantic import BaseModel, ConfigDict

from harness.backend import Generation, backend
from harness.metric import MetricResult, ValueSpec, metric
from harness.records import Fingerprint

from words_helper_xyz import count_words, first_words


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


@metric(
    "plugin_words",
    params=NoParams,
    values=[ValueSpec("n", None, "words")],
    requires=[],
    description="words",
)
class PluginWords:
    def __init__(self, params):
        pass

    @property
    def fingerprint(self):
        return Fingerprint(kind="metric", name="plugin_words", version="1")

    def score(self, items):
        return [MetricResult(values={"n": float(count_words(i.summary))}) for i in items]


@backend("plugin_first", params=NoParams, description="first words")
class PluginFirst:
    def __init__(self, params, context):
        pass

    @property
    def fingerprint(self):
        return Fingerprint(kind="backend", name="plugin_first", version="1")

    @property
    def cacheable(self):
        return True

    def summarize(self, examples):
        return [Generation(summary=first_words(example.source)) for example in examples]
"""
HELPER = """\
def count_words(text):
    return len(text.split())


def first_words(text):
    return " ".join(text.split()[:WORDS])


WORDS = 5
"""


def _plugin_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    dist_info = site / "words_plugin_xyz-0.1.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: words-plugin-xyz\nVersion: 0.1\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(
        "[harness.plugins]\nwords = words_plugin_xyz\n", encoding="utf-8"
    )
    (site / "words_plugin_xyz.py").write_text(PLUGIN, encoding="utf-8")
    (site / "words_helper_xyz.py").write_text(HELPER, encoding="utf-8")
    return site


def _run(tmp_path: Path, site: Path, harness_cli: HarnessCLI) -> dict[str, object]:
    config = tmp_path / "config.yaml"
    config.write_text(
        "name: plugins\nbenchmark: {builtin: newsbriefs, limit: 2}\n"
        "systems: [{name: first, backend: plugin_first}]\nmetrics: [plugin_words]\n"
        f"out: {tmp_path / 'run'}\ncache: {tmp_path / 'cache'}\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
    }
    done = harness_cli("run", str(config), env=env)
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "run" / "results.json").read_text(encoding="utf-8"))
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    return {
        "n": results["results"]["first"]["plugin_words.n"]["mean"],
        "manifest": manifest,
    }


def test_editing_a_plugins_helper_is_a_cache_miss_for_its_backend_and_metric(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    # Before, both kept their hand-bumped version "1": the rerun served five-word
    # summaries and their scores from the cache after the helper said three.
    site = _plugin_site(tmp_path)
    first = _run(tmp_path, site, harness_cli)
    assert first["n"] == 5.0
    manifest = first["manifest"]
    assert isinstance(manifest, dict)
    code = manifest["components"]["metrics"]["plugin_words"]["params"][PLUGIN_CODE_KEY]
    assert set(code) == {"module words_plugin_xyz", "words_plugin_xyz import words_helper_xyz"}
    assert PLUGIN_CODE_KEY in manifest["components"]["systems"]["first"]["params"]
    assert _run(tmp_path, site, harness_cli)["n"] == 5.0  # unchanged: served from the cache
    helper = site / "words_helper_xyz.py"
    helper.write_text(HELPER.replace("WORDS = 5", "WORDS = 3"), encoding="utf-8")
    assert _run(tmp_path, site, harness_cli)["n"] == 3.0


def test_harness_components_keep_their_own_fingerprint() -> None:
    lead = BACKENDS.get("lead").factory(LeadParams(), BuildContext(Path(".")))
    assert plugin_code(type(lead)) == {}
    assert component_fingerprint(lead) == lead.fingerprint
