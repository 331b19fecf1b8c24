"""No harness module imports a heavy optional package when it is imported.

The packages of the ``models``, ``api``, ``evaluate``, ``hf`` and ``ray``
extras (and playwright) are imported inside the functions that use them, so
that the light install (``pip install -e '.[nlp]'``) can import all of
harness, and so that a run that uses none of them never pays for them. One
fresh ``python`` process imports every module of the package, one after the
other, and reports which heavy packages each one pulled into `sys.modules`.

The commands' own start-up imports (no numpy, spaCy, ... for ``--help``) are
checked more strictly by tests/cli/test_startup_imports.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Loaded only inside the code that needs them (each costs seconds or is optional).
HEAVY = (
    "torch",
    "transformers",
    "tokenizers",
    "openai",
    "sentence_transformers",
    "bert_score",
    "accelerate",
    "gguf",
    "datasets",
    "evaluate",
    "ray",
    "playwright",
)

# Imports every module of harness (not __main__, which runs the CLI); prints
# {module: [heavy top-level packages it added to sys.modules]} as JSON.
SCRIPT = """
import importlib, json, pkgutil, sys
import harness

heavy = set(sys.argv[1:])
pulled = {}
already = {name.partition(".")[0] for name in sys.modules} & heavy
if already:
    pulled["harness"] = sorted(already)
for info in pkgutil.walk_packages(harness.__path__, "harness."):
    if info.name.rpartition(".")[2] == "__main__":
        continue
    before = {name.partition(".")[0] for name in sys.modules}
    importlib.import_module(info.name)
    after = {name.partition(".")[0] for name in sys.modules}
    if (after - before) & heavy:
        pulled[info.name] = sorted((after - before) & heavy)
print(json.dumps({"pulled": pulled, "modules": len(list(pkgutil.walk_packages(
    harness.__path__, "harness.")))}))
"""


def _import_everything() -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *HEAVY],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_no_harness_module_imports_a_heavy_package_at_import_time() -> None:
    result = _import_everything()
    assert result["pulled"] == {}, f"modules that import a heavy package: {result['pulled']}"
    # The walk reached the whole package, the model code included.
    assert isinstance(result["modules"], int) and result["modules"] > 60


def test_the_model_components_are_registered_without_their_packages() -> None:
    # Listing (and so registering) every backend and metric loads none of their libraries.
    code = (
        "import json, sys\n"
        "from harness.backend import BACKENDS\n"
        "from harness.metric import METRICS\n"
        "names = BACKENDS.names() + METRICS.names()\n"
        f"heavy = {HEAVY!r}\n"
        "loaded = sorted({m.partition('.')[0] for m in sys.modules} & set(heavy))\n"
        "print(json.dumps({'names': names, 'loaded': loaded}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"hf", "openai"} <= set(result["names"])
    assert {"nli", "bertscore", "embedding", "llm_judge"} <= set(result["names"])
    assert result["loaded"] == []
