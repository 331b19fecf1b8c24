"""Tests of the ``python`` backend."""

from __future__ import annotations

import hashlib
import importlib
import os
import pickle
import py_compile
import sys
from pathlib import Path

import pytest

from harness.backend import BuildContext, Generation, Summarizer, build_backend
from harness.config import SystemConfig
from harness.errors import ConfigError
from harness.records import Example

FIXTURES = Path(__file__).parent.parent / "fixtures" / "backend"

EXAMPLES = [
    Example(id="a", source="Rain flooded Leeds. Roads closed."),
    Example(id="b", source="A BOOM was heard. Windows broke."),
    Example(id="c", source="Prices rose. Markets fell."),
]


@pytest.fixture(autouse=True)
def _restore_sys_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # The backend puts folders on sys.path; keep that from leaking between tests.
    monkeypatch.setattr(sys, "path", list(sys.path))


def python(callable_: str, config_dir: Path = FIXTURES, **params: object) -> Summarizer:
    system = SystemConfig(name="py", backend="python", params={"callable": callable_, **params})
    return build_backend(system, BuildContext(config_dir=config_dir), "systems[0]")


def test_module_function_found_through_config_dir() -> None:
    assert python("user_summarizers:first_sentence").summarize(EXAMPLES) == [
        Generation(summary="Rain flooded Leeds"),
        Generation(summary="A BOOM was heard"),
        Generation(summary="Prices rose"),
    ]


def test_module_function_found_through_path_param(tmp_path: Path) -> None:
    summarizer = python("user_summarizers:first_sentence", config_dir=tmp_path, path=str(FIXTURES))
    assert summarizer.summarize(EXAMPLES[:1]) == [Generation(summary="Rain flooded Leeds")]


def test_file_function(tmp_path: Path) -> None:
    summarizer = python(f"{FIXTURES / 'user_summarizers.py'}:first_sentence", config_dir=tmp_path)
    assert summarizer.summarize(EXAMPLES[2:]) == [Generation(summary="Prices rose")]


def test_relative_file_resolves_against_config_dir() -> None:
    summarizer = python("user_summarizers.py:first_sentence")
    assert summarizer.summarize(EXAMPLES[2:]) == [Generation(summary="Prices rose")]


def test_only_the_source_that_raises_fails() -> None:
    got = python("user_summarizers:fails_on_boom").summarize(EXAMPLES)
    assert got == [
        Generation(summary="Rain flooded Leeds"),
        Generation.failed("ValueError: cannot summarise an explosion"),
        Generation(summary="Prices rose"),
    ]


def test_single_example_that_raises() -> None:
    assert python("user_summarizers:fails_on_boom").summarize(EXAMPLES[1:2]) == [
        Generation.failed("ValueError: cannot summarise an explosion")
    ]


def test_wrong_number_of_summaries_fails_the_batch() -> None:
    got = python("user_summarizers:one_too_few").summarize(EXAMPLES)
    expected = Generation.failed(
        "python backend 'user_summarizers:one_too_few' returned 2 summaries for 3 sources"
    )
    assert got == [expected] * 3


def test_not_a_list_fails_the_batch() -> None:
    got = python("user_summarizers:returns_string").summarize(EXAMPLES[:2])
    assert len(got) == 2
    assert got[0] == got[1]
    assert got[0].error is not None and "returned str" in got[0].error


def test_non_string_item_fails_that_item() -> None:
    got = python("user_summarizers:numbers_for_short").summarize(
        [Example(id="s", source="Short."), Example(id="l", source="A much longer source text.")]
    )
    assert got[1] == Generation(summary="A much longer source")
    assert got[0] == Generation.failed(
        "python backend 'user_summarizers:numbers_for_short' returned int for this source, "
        "expected str"
    )


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ("no_such_module_xyz:summarize", r"no module named 'no_such_module_xyz'"),
        (
            "user_summarizers:first_sentense",
            r"has no attribute 'first_sentense'\. Did you mean 'first_sentence'\?",
        ),
        ("user_summarizers:NOT_A_FUNCTION", r"'NOT_A_FUNCTION' is a int, not a function"),
        ("missing/file.py:summarize", r"file 'missing/file\.py' not found"),
        ("user_summarizers", r"expected the form 'module:function'"),
        ("user_summarizers:", r"expected the form 'module:function'"),
    ],
)
def test_bad_callable_is_a_config_error(spec: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match) as caught:
        python(spec)
    assert spec in str(caught.value)


def test_import_error_inside_the_module(tmp_path: Path) -> None:
    (tmp_path / "broken_mod_xyz.py").write_text("import no_such_dependency_xyz\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="importing 'broken_mod_xyz' failed") as caught:
        python("broken_mod_xyz:f", config_dir=tmp_path)
    assert caught.value.hint is not None and "no_such_dependency_xyz" in caught.value.hint


def test_module_raising_at_import(tmp_path: Path) -> None:
    (tmp_path / "raising.py").write_text("raise RuntimeError('no GPU')\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="raised RuntimeError: no GPU"):
        python("raising.py:f", config_dir=tmp_path)


def test_path_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not a folder"):
        python("user_summarizers:first_sentence", path=str(tmp_path / "nope"))


def test_pickles_by_params() -> None:
    summarizer = python("user_summarizers.py:first_sentence")
    clone = pickle.loads(pickle.dumps(summarizer))
    assert clone.fingerprint == summarizer.fingerprint
    assert clone.summarize(EXAMPLES[:1]) == [Generation(summary="Rain flooded Leeds")]


def _prefixing(prefix: str) -> str:
    body = "def summarize(sources):\n    return [PREFIX + s for s in sources]\n"
    return f"PREFIX = {prefix!r}\n\n{body}"


def test_an_edited_file_changes_the_fingerprint_and_runs(tmp_path: Path) -> None:
    code = tmp_path / "mine.py"
    code.write_text(_prefixing("a"), encoding="utf-8")
    first = python("mine.py:summarize", config_dir=tmp_path)
    assert first.summarize(EXAMPLES[:1]) == [Generation(summary="a" + EXAMPLES[0].source)]
    assert set(first.fingerprint.params["code_sha256"]) == {"module"}
    assert python("mine.py:summarize", config_dir=tmp_path).fingerprint == first.fingerprint
    # Same size, same second: Python's own .pyc check would not notice this edit.
    code.write_text(_prefixing("b"), encoding="utf-8")
    edited = python("mine.py:summarize", config_dir=tmp_path)
    assert edited.fingerprint.digest() != first.fingerprint.digest()
    assert edited.summarize(EXAMPLES[:1]) == [Generation(summary="b" + EXAMPLES[0].source)]


def test_an_edited_module_changes_the_fingerprint_and_runs(tmp_path: Path) -> None:
    code = tmp_path / "edited_module_xyz.py"
    code.write_text(_prefixing("a"), encoding="utf-8")
    try:
        first = python("edited_module_xyz:summarize", config_dir=tmp_path)
        code.write_text(_prefixing("bb"), encoding="utf-8")
        edited = python("edited_module_xyz:summarize", config_dir=tmp_path)
    finally:
        sys.modules.pop("edited_module_xyz", None)
    assert edited.fingerprint.digest() != first.fingerprint.digest()
    # Already imported in this process: it is reloaded, so the new code is what runs.
    assert edited.summarize(EXAMPLES[:1]) == [Generation(summary="bb" + EXAMPLES[0].source)]


def test_a_function_from_another_file_is_hashed_too(tmp_path: Path) -> None:
    helper = tmp_path / "helper_xyz.py"
    helper.write_text(_prefixing("a"), encoding="utf-8")
    (tmp_path / "entry_xyz.py").write_text("from helper_xyz import summarize\n", encoding="utf-8")
    try:
        first = python("entry_xyz.py:summarize", config_dir=tmp_path).fingerprint
        helper.write_text(_prefixing("b"), encoding="utf-8")
        edited = python("entry_xyz.py:summarize", config_dir=tmp_path).fingerprint
    finally:
        sys.modules.pop("helper_xyz", None)
    assert set(first.params["code_sha256"]) == {"module", "function"}
    assert edited.params["code_sha256"]["module"] == first.params["code_sha256"]["module"]
    assert edited.params["code_sha256"]["function"] != first.params["code_sha256"]["function"]


@pytest.mark.parametrize(("given", "stored"), [("2024-06 prompt", "2024-06 prompt"), (3, "3")])
def test_version_is_part_of_the_fingerprint(given: object, stored: str) -> None:
    plain = python("user_summarizers:first_sentence").fingerprint
    versioned = python("user_summarizers:first_sentence", version=given).fingerprint
    assert versioned.params["version"] == stored
    assert versioned.digest() != plain.digest()


def _stale_pyc(code: Path, old: str, new: str) -> None:
    """Write ``old``, compile it to __pycache__, then ``new`` with the same size and mtime
    (as ``cp -p``, ``rsync -a`` or a tar extraction leave a file)."""
    assert len(old) == len(new)
    code.write_text(old, encoding="utf-8")
    py_compile.compile(str(code), doraise=True)  # the timestamp .pyc an import would write
    stat = code.stat()
    code.write_text(new, encoding="utf-8")
    os.utime(code, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_module_never_runs_a_stale_pyc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "stale_pyc_module_xyz.py"
    _stale_pyc(code, _prefixing("a"), _prefixing("b"))
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        # The hazard is real: Python's own import runs the old code from __pycache__.
        assert importlib.import_module("stale_pyc_module_xyz").PREFIX == "a"
    finally:
        sys.modules.pop("stale_pyc_module_xyz", None)
    try:
        summarizer = python("stale_pyc_module_xyz:summarize", config_dir=tmp_path)
        assert summarizer.summarize(EXAMPLES[:1]) == [Generation(summary="b" + EXAMPLES[0].source)]
        expected = hashlib.sha256(code.read_bytes()).hexdigest()
        assert summarizer.fingerprint.params["code_sha256"] == {"module": expected}
    finally:
        sys.modules.pop("stale_pyc_module_xyz", None)


def test_a_module_in_a_package_runs_its_source_with_relative_imports(tmp_path: Path) -> None:
    package = tmp_path / "stale_pkg_xyz"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "words.py").write_text("PREFIX = 'p'\n", encoding="utf-8")
    _stale_pyc(
        package / "entry.py",
        "from .words import PREFIX\nOWN = 'a'\n\ndef summarize(sources):\n"
        "    return [PREFIX + OWN + s for s in sources]\n",
        "from .words import PREFIX\nOWN = 'b'\n\ndef summarize(sources):\n"
        "    return [PREFIX + OWN + s for s in sources]\n",
    )
    try:
        summarizer = python("stale_pkg_xyz.entry:summarize", config_dir=tmp_path)
        assert summarizer.summarize(EXAMPLES[:1]) == [Generation(summary="pb" + EXAMPLES[0].source)]
        assert sys.modules["stale_pkg_xyz"].entry is sys.modules["stale_pkg_xyz.entry"]
    finally:
        for name in ("stale_pkg_xyz", "stale_pkg_xyz.words", "stale_pkg_xyz.entry"):
            sys.modules.pop(name, None)


def test_a_module_imported_before_and_edited_runs_the_new_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A notebook imported it itself, then the file was edited (same size and mtime).
    code = tmp_path / "user_imported_xyz.py"
    code.write_text(_prefixing("a"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        importlib.import_module("user_imported_xyz")
        stat = code.stat()
        code.write_text(_prefixing("b"), encoding="utf-8")
        os.utime(code, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        summarizer = python("user_imported_xyz:summarize", config_dir=tmp_path)
        assert summarizer.summarize(EXAMPLES[:1]) == [Generation(summary="b" + EXAMPLES[0].source)]
    finally:
        sys.modules.pop("user_imported_xyz", None)


def test_an_unchanged_module_is_run_once(tmp_path: Path) -> None:
    runs = tmp_path / "runs.txt"
    (tmp_path / "counted_xyz.py").write_text(
        f"with open({str(runs)!r}, 'a') as f:\n    f.write('x')\n\n"
        "def summarize(sources):\n    return sources\n",
        encoding="utf-8",
    )
    try:
        first = python("counted_xyz:summarize", config_dir=tmp_path)
        assert python("counted_xyz:summarize", config_dir=tmp_path).fingerprint == first.fingerprint
    finally:
        sys.modules.pop("counted_xyz", None)
    assert runs.read_text(encoding="utf-8") == "x"


ENTRY = "from {helper} import summarize\n"


def test_a_function_from_another_file_never_runs_its_stale_pyc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The function's own file is hashed too: it must run from those bytes as well.
    _stale_pyc(tmp_path / "stale_helper_xyz.py", _prefixing("a"), _prefixing("b"))
    (tmp_path / "stale_entry_xyz.py").write_text(
        ENTRY.format(helper="stale_helper_xyz"), encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        for spec in ("stale_entry_xyz:summarize", "stale_entry_xyz.py:summarize"):
            for name in ("stale_helper_xyz", "stale_entry_xyz"):
                sys.modules.pop(name, None)
            summarizer = python(spec, config_dir=tmp_path)
            assert summarizer.summarize(EXAMPLES[:1]) == [
                Generation(summary="b" + EXAMPLES[0].source)
            ], spec
    finally:
        for name in ("stale_helper_xyz", "stale_entry_xyz"):
            sys.modules.pop(name, None)


def test_a_function_from_another_file_edited_in_process_runs_the_new_code(
    tmp_path: Path,
) -> None:
    helper = tmp_path / "edited_helper_xyz.py"
    helper.write_text(_prefixing("a"), encoding="utf-8")
    (tmp_path / "edited_entry_xyz.py").write_text(
        ENTRY.format(helper="edited_helper_xyz"), encoding="utf-8"
    )
    try:
        first = python("edited_entry_xyz:summarize", config_dir=tmp_path)
        assert first.summarize(EXAMPLES[:1]) == [Generation(summary="a" + EXAMPLES[0].source)]
        stat = helper.stat()
        helper.write_text(_prefixing("b"), encoding="utf-8")
        os.utime(helper, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        edited = python("edited_entry_xyz:summarize", config_dir=tmp_path)
        assert edited.summarize(EXAMPLES[:1]) == [Generation(summary="b" + EXAMPLES[0].source)]
    finally:
        for name in ("edited_helper_xyz", "edited_entry_xyz"):
            sys.modules.pop(name, None)


def test_a_helper_imported_before_by_other_code_is_run_again_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A notebook imported the helper, then it was edited: which bytes it ran is unknown.
    helper = tmp_path / "notebook_helper_xyz.py"
    helper.write_text(_prefixing("a"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "notebook_entry_xyz.py").write_text(
        ENTRY.format(helper="notebook_helper_xyz"), encoding="utf-8"
    )
    try:
        importlib.import_module("notebook_helper_xyz")
        helper.write_text(_prefixing("b"), encoding="utf-8")
        summarizer = python("notebook_entry_xyz:summarize", config_dir=tmp_path)
        assert summarizer.summarize(EXAMPLES[:1]) == [Generation(summary="b" + EXAMPLES[0].source)]
    finally:
        for name in ("notebook_helper_xyz", "notebook_entry_xyz"):
            sys.modules.pop(name, None)


def test_a_fresh_helper_and_its_entry_run_once(tmp_path: Path) -> None:
    runs = tmp_path / "runs.txt"
    count = f"with open({str(runs)!r}, 'a') as f:\n    f.write({{mark!r}})\n"
    (tmp_path / "once_helper_xyz.py").write_text(
        count.format(mark="h") + _prefixing("a"), encoding="utf-8"
    )
    (tmp_path / "once_entry_xyz.py").write_text(
        count.format(mark="e") + ENTRY.format(helper="once_helper_xyz"), encoding="utf-8"
    )
    try:
        first = python("once_entry_xyz:summarize", config_dir=tmp_path)
        assert python("once_entry_xyz:summarize", config_dir=tmp_path).fingerprint == (
            first.fingerprint
        )
    finally:
        for name in ("once_helper_xyz", "once_entry_xyz"):
            sys.modules.pop(name, None)
    assert runs.read_text(encoding="utf-8") == "eh"


# -- the user's own modules the function's module imports ------------------------------

HELPED = (
    "import json\n"
    "import yaml\n"
    "from {helper} import PREFIX\n\n"
    "def summarize(sources):\n"
    "    from {lazy} import SUFFIX  # imported when called: hashed all the same\n"
    "    return [PREFIX + json.dumps(s) + SUFFIX for s in sources]\n"
)


def _helped(tmp_path: Path, tag: str) -> tuple[Path, Path]:
    helper = tmp_path / f"helper_{tag}.py"
    lazy = tmp_path / f"lazy_{tag}.py"
    helper.write_text("PREFIX = 'a'\n", encoding="utf-8")
    lazy.write_text("SUFFIX = '!'\n", encoding="utf-8")
    (tmp_path / f"entry_{tag}.py").write_text(
        HELPED.format(helper=f"helper_{tag}", lazy=f"lazy_{tag}"), encoding="utf-8"
    )
    return helper, lazy


def _forget(*names: str) -> None:
    for name in names:
        sys.modules.pop(name, None)


def test_the_users_modules_it_imports_are_hashed_and_an_edit_runs(tmp_path: Path) -> None:
    helper, lazy = _helped(tmp_path, "imp1")
    try:
        first = python("entry_imp1:summarize", config_dir=tmp_path)
        assert set(first.fingerprint.params["code_sha256"]) == {
            "module",
            "import helper_imp1",
            "import lazy_imp1",
        }  # not json (the standard library) nor yaml (site-packages)
        assert first.summarize(EXAMPLES[:1])[0].summary == 'a"Rain flooded Leeds. Roads closed."!'
        # Edited in place, same size and second: in a long-lived process (a notebook)
        # the old helper is still loaded; the rebuilt backend runs and hashes the new one.
        stat = helper.stat()
        helper.write_text("PREFIX = 'b'\n", encoding="utf-8")
        os.utime(helper, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        edited = python("entry_imp1:summarize", config_dir=tmp_path)
        assert edited.fingerprint.digest() != first.fingerprint.digest()
        assert edited.summarize(EXAMPLES[:1])[0].summary == 'b"Rain flooded Leeds. Roads closed."!'
        lazy.write_text("SUFFIX = '?'\n", encoding="utf-8")
        assert python("entry_imp1:summarize", config_dir=tmp_path).fingerprint.digest() != (
            edited.fingerprint.digest()
        )
    finally:
        _forget("entry_imp1", "helper_imp1", "lazy_imp1")


def test_a_packages_relative_imports_are_hashed(tmp_path: Path) -> None:
    package = tmp_path / "helped_pkg_xyz"
    (package / "text").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "text" / "__init__.py").write_text("from .words import PREFIX\n", encoding="utf-8")
    (package / "text" / "words.py").write_text("PREFIX = 'p'\n", encoding="utf-8")
    (package / "entry.py").write_text(
        "from . import text\n\n"
        "def summarize(sources):\n    return [text.PREFIX + s for s in sources]\n",
        encoding="utf-8",
    )
    names = ("helped_pkg_xyz", "helped_pkg_xyz.text", "helped_pkg_xyz.text.words")
    try:
        summarizer = python("helped_pkg_xyz.entry:summarize", config_dir=tmp_path)
        assert set(summarizer.fingerprint.params["code_sha256"]) == {
            "module",
            *(f"import {name}" for name in names),
        }
    finally:
        _forget("helped_pkg_xyz.entry", *names)


def test_a_file_target_hashes_the_modules_beside_it(tmp_path: Path) -> None:
    _helped(tmp_path, "imp2")
    try:
        summarizer = python("entry_imp2.py:summarize", config_dir=tmp_path)
        assert set(summarizer.fingerprint.params["code_sha256"]) == {
            "module",
            "import helper_imp2",
            "import lazy_imp2",
        }
    finally:
        _forget("helper_imp2", "lazy_imp2")


def test_a_file_whose_name_has_dots_hashes_the_modules_beside_it(tmp_path: Path) -> None:
    (tmp_path / "helper_dots.py").write_text("PREFIX = 'a'\n", encoding="utf-8")
    (tmp_path / "s.a.b.c.d.e.f.g.h.i.j.k.l.m.n.py").write_text(
        "from helper_dots import PREFIX\n\ndef summ(sources):\n"
        "    return [PREFIX + s for s in sources]\n",
        encoding="utf-8",
    )
    try:
        summarizer = python("s.a.b.c.d.e.f.g.h.i.j.k.l.m.n.py:summ", config_dir=tmp_path)
        assert set(summarizer.fingerprint.params["code_sha256"]) == {
            "module",
            "import helper_dots",
        }
        assert summarizer.summarize(EXAMPLES[:1])[0].summary == "a" + EXAMPLES[0].source
    finally:
        _forget("helper_dots")


def test_a_function_that_sorts_its_sources_in_place_fails_the_batch(tmp_path: Path) -> None:
    # Sorting by length to batch efficiently, then summarizing in that order: the
    # summaries would land on other sources than their own.
    (tmp_path / "sorts_in_place.py").write_text(
        "def summarize(sources):\n"
        "    sources.sort(key=len)\n"
        "    return [source.split('.')[0] for source in sources]\n",
        encoding="utf-8",
    )
    got = python("sorts_in_place.py:summarize", config_dir=tmp_path).summarize(EXAMPLES)
    assert len(got) == len(EXAMPLES)
    for generation in got:
        assert generation.summary is None
        assert generation.error is not None and "reordered the list of sources" in generation.error


def test_a_function_that_edits_or_empties_its_list_in_order_keeps_its_summaries(
    tmp_path: Path,
) -> None:
    (tmp_path / "edits_in_place.py").write_text(
        "def strip(sources):\n"
        "    for index, source in enumerate(sources):\n"
        "        sources[index] = source.upper()\n"
        "    return [source.split('.')[0] for source in sources]\n"
        "def drain(sources):\n"
        "    out = []\n"
        "    while sources:\n"
        "        out.append(sources.pop(0).split('.')[0])\n"
        "    return out\n",
        encoding="utf-8",
    )
    upper = python("edits_in_place.py:strip", config_dir=tmp_path).summarize(EXAMPLES)
    assert upper == [Generation(summary=e.source.split(".")[0].upper()) for e in EXAMPLES]
    drained = python("edits_in_place.py:drain", config_dir=tmp_path).summarize(EXAMPLES)
    assert drained == [Generation(summary=e.source.split(".")[0]) for e in EXAMPLES]


def test_a_change_of_working_directory_is_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A relative `out:` (the run directory) is written after generation: it must
    # land where the config says, not in the folder the user's code moved to.
    elsewhere = tmp_path / "models"
    elsewhere.mkdir()
    (tmp_path / "moves_around.py").write_text(
        "import os\n"
        f"os.chdir({str(elsewhere)!r})\n"
        "def summarize(sources):\n"
        "    os.chdir('/')\n"
        "    return [source.split('.')[0] for source in sources]\n"
        "def fails(sources):\n"
        "    os.chdir('/')\n"
        "    raise ValueError('no model here')\n",
        encoding="utf-8",
    )
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(home)
    summarizer = python("moves_around.py:summarize", config_dir=tmp_path)
    assert Path.cwd() == home
    assert summarizer.summarize(EXAMPLES[:2]) == [
        Generation(summary=e.source.split(".")[0]) for e in EXAMPLES[:2]
    ]
    assert Path.cwd() == home
    failing = python("moves_around.py:fails", config_dir=tmp_path)
    assert [g.error for g in failing.summarize(EXAMPLES[:2])] == ["ValueError: no model here"] * 2
    assert Path.cwd() == home


@pytest.mark.parametrize(
    ("code", "spec"),
    [
        ("async def summarize(sources):\n    return sources\n", "summarize"),
        (
            "class Model:\n"
            "    async def __call__(self, sources):\n"
            "        return sources\n"
            "model = Model()\n",
            "model",
        ),
    ],
)
def test_an_async_function_is_a_config_error(tmp_path: Path, code: str, spec: str) -> None:
    (tmp_path / "async_summarizer.py").write_text(code, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"'{spec}' is an async function") as caught:
        python(f"async_summarizer.py:{spec}", config_dir=tmp_path)
    assert caught.value.hint is not None and "asyncio.run" in caught.value.hint


def test_a_coroutine_returned_fails_the_batch_without_a_warning(tmp_path: Path) -> None:
    # A plain function that returns a coroutine (a wrapper that forgot asyncio.run).
    (tmp_path / "returns_coroutine.py").write_text(
        "async def _summarize(sources):\n"
        "    return sources\n"
        "def summarize(sources):\n"
        "    return _summarize(sources)\n",
        encoding="utf-8",
    )
    got = python("returns_coroutine.py:summarize", config_dir=tmp_path).summarize(EXAMPLES[:2])
    assert [g.error for g in got] == [
        "python backend 'returns_coroutine.py:summarize' returned coroutine, "
        "expected a list of 2 summary strings"
    ] * 2


def _two_systems(tmp_path: Path, code: str) -> tuple[Path, Path]:
    for name in ("sys_a", "sys_b"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "clash_helpers_xyz.py").write_text(f"TAG = {name!r}\n", encoding="utf-8")
        (folder / "clash_model_xyz.py").write_text(code, encoding="utf-8")
    return tmp_path / "sys_a", tmp_path / "sys_b"


@pytest.mark.parametrize(
    ("form", "clash"),
    [("clash_model_xyz:summarize", "clash_model_xyz"), ("FILE:summarize", "clash_helpers_xyz")],
)
def test_two_systems_whose_modules_share_a_name_are_refused(
    tmp_path: Path, form: str, clash: str
) -> None:
    # Python imports a name once per process: the second system would run the
    # first one's module (or helper) and record its summaries as its own.
    code = (
        "import clash_helpers_xyz\n"
        "def summarize(sources):\n"
        "    return [clash_helpers_xyz.TAG for _ in sources]\n"
    )
    sys_a, sys_b = _two_systems(tmp_path, code)
    try:

        def build(folder: Path) -> Summarizer:
            spec = form.replace("FILE", str(folder / "clash_model_xyz.py"))
            return python(spec, config_dir=tmp_path, path=str(folder))

        assert build(sys_a).summarize(EXAMPLES[:1]) == [Generation(summary="sys_a")]
        with pytest.raises(ConfigError, match=f"the module '{clash}' is already imported") as e:
            build(sys_b)
        assert str(sys_a / f"{clash}.py") in e.value.message
        assert str(sys_b / f"{clash}.py") in e.value.message
        # The first system, built again (a worker process), is still its own code.
        assert build(sys_a).summarize(EXAMPLES[:1]) == [Generation(summary="sys_a")]
    finally:
        for name in ("clash_model_xyz", "clash_helpers_xyz"):
            sys.modules.pop(name, None)


def test_a_file_named_like_a_module_imported_already_says_it_is_shadowed(tmp_path: Path) -> None:
    # `random` is imported (by harness's own dependencies) before any config is read.
    (tmp_path / "random.py").write_text(
        "def summarize(sources):\n    return sources\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="has no attribute 'summarize'") as caught:
        python("random:summarize", config_dir=tmp_path)
    assert f"not {(tmp_path / 'random.py').resolve()}" in caught.value.message
    assert caught.value.hint is not None
    assert f"'{(tmp_path / 'random.py').resolve()}:summarize'" in caught.value.hint


def test_a_dict_per_source_names_its_keys(tmp_path: Path) -> None:
    # A Hugging Face pipeline answers [{"summary_text": ...}]: the key is the fix.
    (tmp_path / "pipeline_like.py").write_text(
        "def summarize(sources):\n"
        "    return [{'summary_text': source[:10]} for source in sources]\n",
        encoding="utf-8",
    )
    got = python("pipeline_like.py:summarize", config_dir=tmp_path).summarize(EXAMPLES[:1])
    assert got == [
        Generation.failed(
            "python backend 'pipeline_like.py:summarize' returned dict (keys 'summary_text') "
            "for this source, expected str"
        )
    ]
