"""manifest.json's environment: which harness code computed the run (real git checkouts)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.code_digest import sources_digest
from harness.manifest import environment, git_state

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def _checkout(tmp_path: Path) -> Path:
    """A git checkout holding a package folder ``pkg`` at its first commit."""
    repo = tmp_path / "repo"
    package = repo / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    (repo / "notes.txt").write_text("notes\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    return package


@needs_git
def test_an_edited_checkout_is_dirty(tmp_path: Path) -> None:
    # Before, the manifest named the commit alone: a run computed by edited code
    # was traced to a commit that does not compute it.
    package = _checkout(tmp_path)
    clean = git_state(package)
    assert clean["git_sha"] is not None and len(clean["git_sha"]) == 40
    assert clean["git_dirty"] is False
    (package.parent / "notes.txt").write_text("other notes\n", encoding="utf-8")
    assert git_state(package)["git_dirty"] is False  # outside the package: not its code
    (package / "__init__.py").write_text("VALUE = 2\n", encoding="utf-8")
    assert git_state(package) == {**clean, "git_dirty": True}


@needs_git
def test_an_untracked_package_inside_a_checkout_has_no_commit(tmp_path: Path) -> None:
    # An installed harness in a project's .venv (git-ignored) is not at the project's commit.
    package = _checkout(tmp_path)
    venv_package = package.parent / ".venv" / "site-packages" / "harness"
    venv_package.mkdir(parents=True)
    (venv_package / "__init__.py").write_text("", encoding="utf-8")
    state = git_state(venv_package)
    assert state["git_sha"] is None and state["git_dirty"] is None


def test_no_checkout_records_no_commit_and_the_sources_digest(tmp_path: Path) -> None:
    assert {k: v for k, v in git_state(tmp_path).items() if k != "sources_sha256"} == {
        "git_sha": None,
        "git_dirty": None,
    }
    assert environment()["sources_sha256"] == sources_digest()
    assert len(sources_digest()) == 64
