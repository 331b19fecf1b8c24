"""What manifest.json records besides the results: versions, platform, devices, timings."""

from __future__ import annotations

import platform
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from harness.code_digest import installed_version, sources_digest
from harness.records import Output

_PACKAGES = (
    "harness",
    "pydantic",
    "numpy",
    "scipy",
    "networkx",
    "rouge-score-rs",
    "rouge-score",
    "spacy",
    "torch",
    "transformers",
    "sentence-transformers",
    "bert-score",
    "openai",
)


@dataclass
class StageClock:
    """Wall-clock seconds per pipeline stage, for the manifest."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a ``with`` block under ``name``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - start, 3)


def _git(folder: Path, *args: str) -> str | None:
    """What ``git ARGS`` prints in ``folder``, or None (no git, no checkout)."""
    try:
        done = subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
            cwd=folder,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def git_state(folder: Path) -> dict[str, Any]:
    """The commit of the checkout holding ``folder`` (harness's package), and whether
    the files under it differ from it.

    A checkout with edits to harness's files computes what no commit does, so
    ``git_sha`` alone would name code that did not run: ``git_dirty`` says so,
    and ``sources_sha256`` (harness's ``.py`` and template files) names the
    code that did, checkout or not.
    """
    # Only a checkout that tracks harness's files: an installed harness inside a
    # project's git folder (a .venv there) is not at that project's commit.
    tracked = _git(folder, "ls-files", "--", "__init__.py")
    sha = _git(folder, "rev-parse", "HEAD") if tracked and tracked.strip() else None
    status = (
        _git(folder, "status", "--porcelain", "--untracked-files=no", "--", ".") if sha else None
    )
    return {
        "git_sha": sha.strip() or None if sha else None,
        "git_dirty": None if status is None else bool(status.strip()),
        "sources_sha256": sources_digest(),
    }


def _versions() -> dict[str, str | None]:
    return {name: installed_version(name) for name in _PACKAGES}


def devices(components: dict[str, object]) -> dict[str, str]:
    """Where each model-based component computes, for the manifest.

    Components that run a torch model (``hf``, ``nli``, ``bertscore``,
    ``embedding``) have a ``runs_on`` attribute (`harness.device`); the
    others run on the CPU and are left out.
    """
    found = {name: getattr(component, "runs_on", None) for name, component in components.items()}
    return {name: where for name, where in found.items() if isinstance(where, str)}


def served_models(outputs: Iterable[Output]) -> dict[str, dict[str, int]]:
    """Per system, the models an API said wrote its summaries, with how many each
    (an alias such as ``gpt-4o-mini`` is served by dated snapshots that change);
    systems whose backend says none are left out.

    >>> served_models([Output(example_id="a", system="gpt", summary="x", served_model="m-1")])
    {'gpt': {'m-1': 1}}
    """
    found: dict[str, Counter[str]] = {}
    for output in outputs:
        if output.served_model is not None:
            found.setdefault(output.system, Counter())[output.served_model] += 1
    return {system: dict(sorted(counts.items())) for system, counts in found.items()}


def environment() -> dict[str, Any]:
    """Versions and platform facts for the manifest."""
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": _versions(),
        **git_state(Path(__file__).resolve().parent),
    }


def now() -> str:
    """The time in UTC, to the second, for the manifest."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
