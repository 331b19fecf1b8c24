"""Tests of the ``command`` backend, run against a real Python script."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.backend import BuildContext, Generation, Summarizer, build_backend
from harness.config import SystemConfig
from harness.errors import BackendError, ConfigError
from harness.records import Example

SCRIPT = Path(__file__).parent.parent / "fixtures" / "backend" / "fake_summarizer.py"

EXAMPLES = [
    Example(id="a", source="Rain flooded Leeds. Roads closed."),
    Example(id="b", source="Prices rose 4%. Markets fell."),
    Example(id="c", source='Quotes "and" unicode — café. End.'),
]


def command(mode: str, *args: str, config_dir: Path = Path("."), **params: object) -> Summarizer:
    system = SystemConfig(
        name="cmd",
        backend="command",
        params={"argv": [sys.executable, str(SCRIPT), mode, *args], **params},
    )
    return build_backend(system, BuildContext(config_dir=config_dir), "systems[0]")


def test_echo_first_sentence() -> None:
    assert command("echo").summarize(EXAMPLES) == [
        Generation(summary="Rain flooded Leeds."),
        Generation(summary="Prices rose 4%."),
        Generation(summary='Quotes "and" unicode — café.'),
    ]


def test_answers_in_any_order_are_matched_by_id() -> None:
    assert [g.summary for g in command("reverse").summarize(EXAMPLES)] == [
        "Rain flooded Leeds.",
        "Prices rose 4%.",
        'Quotes "and" unicode — café.',
    ]


def test_empty_batch_runs_nothing() -> None:
    assert command("crash").summarize([]) == []


def test_crash_reports_status_and_stderr() -> None:
    got = command("crash").summarize(EXAMPLES)
    assert len(got) == 3
    expected = Generation.failed(
        "command exited with status 3: loading model\nRuntimeError: out of memory"
    )
    assert got == [expected] * 3


def test_a_non_zero_exit_fails_the_answers_too() -> None:
    # The program said it failed: its answers are not kept (nor cached) in silence.
    got = command("answer_then_crash").summarize(EXAMPLES)
    crash = (
        "command exited with status 1 after answering (answers not kept): "
        "Segmentation fault while freeing the model"
    )
    assert got == [
        Generation.failed(crash),
        Generation.failed("command reported: source too long"),
        Generation.failed(crash),
    ]


def test_timeout_kills_the_program() -> None:
    started = time.monotonic()
    got = command("hang", timeout_s=1).summarize(EXAMPLES)
    assert time.monotonic() - started < 10
    assert all(g.summary is None for g in got)
    assert got[0].error is not None
    assert got[0].error.startswith("command timed out after 1 s: ")
    assert "fake_summarizer.py hang" in got[0].error


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie awaiting its reaper is not)."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.is_dir() and Path("/proc/self").exists():
        try:
            return stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")
def test_timeout_kills_the_programs_children_too(tmp_path: Path) -> None:
    # A wrapper's child (a model server, say) must not outlive the timeout.
    pidfile = tmp_path / "child.pid"
    got = command("hang_with_child", str(pidfile), timeout_s=1).summarize(EXAMPLES[:1])
    assert got[0].error is not None and got[0].error.startswith("command timed out after 1 s")
    child = int(pidfile.read_text(encoding="utf-8"))
    deadline = time.monotonic() + 5
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(child)


def test_a_child_left_holding_stdout_costs_no_answer(tmp_path: Path) -> None:
    # The program answered and exited; a helper it left running keeps stdout open.
    pidfile = tmp_path / "child.pid"
    started = time.monotonic()
    got = command("answer_with_child", str(pidfile), timeout_s=30).summarize(EXAMPLES[:2])
    assert time.monotonic() - started < 15
    assert got == [Generation(summary="Rain flooded Leeds."), Generation(summary="Prices rose 4%.")]
    child = int(pidfile.read_text(encoding="utf-8"))
    deadline = time.monotonic() + 5
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(child)  # the leftover is killed with its group


def test_garbage_on_stdout_names_the_line_and_the_format() -> None:
    got = command("garbage").summarize(EXAMPLES)
    assert len(got) == 3
    error = got[0].error
    assert error is not None
    assert "stdout line 1" in error
    assert "'Loading weights... done'" in error
    assert '{"id": ..., "summary": "..."}' in error
    assert got[1] == got[0]


def test_partial_answers() -> None:
    got = command("partial").summarize(EXAMPLES)
    assert got == [
        Generation(summary="Rain flooded Leeds."),
        Generation.failed("command reported: source too long"),
        Generation.failed("command gave no output for this id"),
    ]


def test_the_same_id_answered_twice_fails_it() -> None:
    got = command("twice").summarize(EXAMPLES)
    assert got[0] == Generation.failed("command answered this id twice (stdout lines 1 and 4)")
    assert got[1:] == [
        Generation(summary="Prices rose 4%."),
        Generation(summary='Quotes "and" unicode — café.'),
    ]


def test_log_lines_do_not_spoil_valid_answers() -> None:
    got = command("noisy").summarize(EXAMPLES)
    assert got[0] == Generation(summary="Rain flooded Leeds.")
    # An unusable answer is reported on the example it names...
    assert got[1].error is not None
    assert 'stdout line 3: "summary" is NoneType, not a string' in got[1].error
    # ...and an unanswered id is blamed on the first line that was not an answer.
    assert got[2].error is not None
    assert "stdout line 1: not JSON: '[info] model loaded'" in got[2].error


def test_nonexistent_program() -> None:
    system = SystemConfig(
        name="cmd", backend="command", params={"argv": ["no-such-summarizer-xyz", "--fast"]}
    )
    with pytest.raises(BackendError, match="'no-such-summarizer-xyz' not found on PATH") as caught:
        build_backend(system, BuildContext(config_dir=Path(".")), "systems[0]")
    assert caught.value.hint is not None and "PATH" in caught.value.hint


def test_nonexistent_program_path(tmp_path: Path) -> None:
    system = SystemConfig(
        name="cmd", backend="command", params={"argv": [str(tmp_path / "bin" / "summarize")]}
    )
    with pytest.raises(BackendError, match="no such file"):
        build_backend(system, BuildContext(config_dir=tmp_path), "systems[0]")


def test_program_path_resolves_against_config_dir(tmp_path: Path) -> None:
    program = tmp_path / "bin" / "summarize"
    program.parent.mkdir()
    program.write_text(f"#!{sys.executable}\nimport sys\nsys.stdout.write('')\n", encoding="utf-8")
    program.chmod(0o755)
    system = SystemConfig(name="cmd", backend="command", params={"argv": ["bin/summarize"]})
    summarizer = build_backend(system, BuildContext(config_dir=tmp_path), "systems[0]")
    assert summarizer.summarize(EXAMPLES[:1]) == [
        Generation.failed("command gave no output for this id")
    ]


def test_cwd_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a folder"):
        command("echo", cwd=str(tmp_path / "missing"))


@pytest.mark.parametrize("params", [{"argv": []}, {"argv": "python x.py"}, {"timeout_s": 0}])
def test_bad_params_are_config_errors(params: dict[str, object]) -> None:
    system = SystemConfig(name="cmd", backend="command", params={"argv": ["python"], **params})
    with pytest.raises(ConfigError):
        build_backend(system, BuildContext(config_dir=Path(".")), "systems[0]")


def test_fingerprint_includes_argv() -> None:
    first = command("echo").fingerprint
    assert first.params["argv"] == [sys.executable, str(SCRIPT), "echo"]
    assert first == command("echo").fingerprint
    assert first != command("reverse").fingerprint


def _script_system(argv: list[str], **params: object) -> SystemConfig:
    return SystemConfig(name="cmd", backend="command", params={"argv": argv, **params})


ECHO_SCRIPT = (
    "import json, sys\n"
    "for line in sys.stdin:\n"
    "    record = json.loads(line)\n"
    "    print(json.dumps({'id': record['id'], 'summary': PREFIX + record['id']}))\n"
)


def test_editing_the_script_changes_the_fingerprint(tmp_path: Path) -> None:
    script = tmp_path / "summarize.py"
    script.write_text("PREFIX = 'a'\n" + ECHO_SCRIPT, encoding="utf-8")
    system = _script_system([sys.executable, str(script)])
    context = BuildContext(config_dir=tmp_path)
    first = build_backend(system, context, "systems[0]").fingerprint
    assert first == build_backend(system, context, "systems[0]").fingerprint
    assert set(first.params["code_sha256"]) == {"argv[0]", "argv[1]"}
    script.write_text("PREFIX = 'b'\n" + ECHO_SCRIPT, encoding="utf-8")
    edited = build_backend(system, context, "systems[0]").fingerprint
    assert edited.digest() != first.digest()
    assert edited.params["code_sha256"]["argv[0]"] == first.params["code_sha256"]["argv[0]"]


def test_the_program_on_path_is_hashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "bin" / "summarize"
    program.parent.mkdir()
    program.write_text(f"#!{sys.executable}\nimport sys\nsys.stdin.read()\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{program.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    system = _script_system(["summarize"])
    context = BuildContext(config_dir=tmp_path)
    first = build_backend(system, context, "systems[0]").fingerprint
    program.write_text(f"#!{sys.executable}\nimport sys\nsys.stdin.read()  #\n", "utf-8")
    edited = build_backend(system, context, "systems[0]").fingerprint
    assert "argv[0]" in first.params["code_sha256"]
    assert edited.digest() != first.digest()


def test_a_relative_script_resolves_against_the_config_dir(tmp_path: Path) -> None:
    (tmp_path / "summarize.py").write_text("PREFIX = 'got '\n" + ECHO_SCRIPT, encoding="utf-8")
    # The CWD is the repository (no summarize.py there); the config's folder has it.
    summarizer = build_backend(
        _script_system([sys.executable, "summarize.py"]),
        BuildContext(config_dir=tmp_path),
        "systems[0]",
    )
    assert summarizer.summarize(EXAMPLES[:1]) == [Generation(summary="got a")]
    assert summarizer.fingerprint.params["argv"] == [sys.executable, "summarize.py"]
    assert "argv[1]" in summarizer.fingerprint.params["code_sha256"]


def test_a_relative_script_in_cwd_wins_over_the_config_dir(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "summarize.py").write_text("PREFIX = 'work '\n" + ECHO_SCRIPT, encoding="utf-8")
    (tmp_path / "summarize.py").write_text("PREFIX = 'config '\n" + ECHO_SCRIPT, "utf-8")
    summarizer = build_backend(
        _script_system([sys.executable, "summarize.py"], cwd=str(work)),
        BuildContext(config_dir=tmp_path),
        "systems[0]",
    )
    assert summarizer.summarize(EXAMPLES[:1]) == [Generation(summary="work a")]


def test_arguments_that_cannot_be_paths_pass_unchanged(tmp_path: Path) -> None:
    # A long prompt is "File name too long" to the OS; it is an argument, not an error.
    prompt = "Summarize this article in one sentence, keeping every number. " * 8
    summarizer = build_backend(
        _script_system([sys.executable, str(SCRIPT), "echo", prompt, ""]),
        BuildContext(config_dir=tmp_path),
        "systems[0]",
    )
    assert summarizer.summarize(EXAMPLES[:1]) == [Generation(summary="Rain flooded Leeds.")]
    assert set(summarizer.fingerprint.params["code_sha256"]) == {"argv[0]", "argv[1]"}


@pytest.mark.parametrize(("given", "stored"), [("v2", "v2"), (2, "2"), (1.5, "1.5")])
def test_version_is_part_of_the_fingerprint(given: object, stored: str) -> None:
    plain = command("echo").fingerprint
    versioned = command("echo", version=given).fingerprint
    assert versioned.params["version"] == stored
    assert versioned.digest() != plain.digest()


PROMPT_SCRIPT = (
    "import json, sys\n"
    "option = next(arg for arg in sys.argv[1:] if '=' in arg)\n"
    "prefix = open(option.partition('=')[2], encoding='utf-8').read().strip()\n"
    "for line in sys.stdin:\n"
    "    record = json.loads(line)\n"
    "    print(json.dumps({'id': record['id'], 'summary': prefix + ' ' + record['id']}))\n"
)


@pytest.mark.parametrize("option", ["--prompt", "-p"])
def test_a_file_after_an_option_and_equals_is_hashed(tmp_path: Path, option: str) -> None:
    # "--prompt=prompt.txt": editing the prompt file must be a cache miss.
    (tmp_path / "summarize.py").write_text(PROMPT_SCRIPT, encoding="utf-8")
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("first", encoding="utf-8")
    system = _script_system([sys.executable, "summarize.py", "--fast", f"{option}=prompt.txt"])
    context = BuildContext(config_dir=tmp_path)
    summarizer = build_backend(system, context, "systems[0]")
    # Relative to the config's folder, like a positional argument: passed as that path.
    assert summarizer.summarize(EXAMPLES[:1]) == [Generation(summary="first a")]
    first = summarizer.fingerprint
    assert set(first.params["code_sha256"]) == {"argv[0]", "argv[1]", "argv[3]"}
    assert first == build_backend(system, context, "systems[0]").fingerprint
    prompt.write_text("other", encoding="utf-8")
    edited = build_backend(system, context, "systems[0]")
    assert edited.fingerprint.digest() != first.digest()
    assert (
        edited.fingerprint.params["code_sha256"]["argv[1]"]
        == first.params["code_sha256"]["argv[1]"]
    )
    assert edited.summarize(EXAMPLES[:1]) == [Generation(summary="other a")]


def test_an_option_whose_value_is_no_file_is_not_hashed(tmp_path: Path) -> None:
    summarizer = build_backend(
        _script_system([sys.executable, str(SCRIPT), "echo", "--mode=fast", "-x=", "--=a"]),
        BuildContext(config_dir=tmp_path),
        "systems[0]",
    )
    assert set(summarizer.fingerprint.params["code_sha256"]) == {"argv[0]", "argv[1]"}
    assert summarizer.summarize(EXAMPLES[:1]) == [Generation(summary="Rain flooded Leeds.")]


LINES = [
    '{"id": "a", "summary": "café"}'.encode(),
    b'{"id": "b", "summary": "caf\xe9"}',  # latin-1
    b"loading \xff\xfe weights",
]


def test_stdout_that_is_not_utf8_fails_the_example_naming_the_byte(tmp_path: Path) -> None:
    # A latin-1 answer must not be cached as 'caf\ufffd': it fails, saying where the byte is.
    (tmp_path / "stdout.bin").write_bytes(b"\n".join(LINES) + b"\n")
    script = tmp_path / "latin1.py"
    script.write_text(
        "import sys\nsys.stdin.read()\n"
        f"sys.stdout.buffer.write(open({str(tmp_path / 'stdout.bin')!r}, 'rb').read())\n",
        encoding="utf-8",
    )
    summarizer = build_backend(
        _script_system([sys.executable, str(script)]), BuildContext(config_dir=tmp_path), "s"
    )
    first, second, third = summarizer.summarize(EXAMPLES)
    assert first == Generation(summary="café")
    assert second.summary is None and second.error is not None
    offset = len(LINES[0]) + 1 + LINES[1].index(b"\xe9")
    assert second.error.startswith(
        "command printed a line that is not an answer: stdout line 2: not UTF-8 "
        f"(byte 0xe9 at stdout byte offset {offset}): "
    )
    # The unanswered id is blamed on the first line that was not an answer: the log line.
    offset = len(LINES[0]) + len(LINES[1]) + 2 + LINES[2].index(b"\xff")
    assert third.error is not None
    assert f"stdout line 3: not UTF-8 (byte 0xff at stdout byte offset {offset})" in third.error


def test_sources_reach_the_program_as_utf8(tmp_path: Path) -> None:
    # Also a lone surrogate, which UTF-8 cannot encode: sent \u-escaped, read back the same.
    script = tmp_path / "echo_source.py"
    script.write_text(
        "import json, sys\n"
        "for line in sys.stdin.buffer:\n"
        "    record = json.loads(line.decode('utf-8'))\n"
        "    summary = ascii(record['source'])\n"
        "    print(json.dumps({'id': record['id'], 'summary': summary}))\n",
        encoding="utf-8",
    )
    summarizer = build_backend(
        _script_system([sys.executable, str(script)]), BuildContext(config_dir=tmp_path), "s"
    )
    examples = [Example(id="u", source="café — ok"), Example(id="s", source="lone \ud800 here")]
    assert [g.summary for g in summarizer.summarize(examples)] == [
        ascii("café — ok"),
        ascii("lone \ud800 here"),
    ]


def test_editing_a_module_the_script_imports_is_a_fresh_run_not_a_cached_summary(
    harness_cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    (tmp_path / "textkit").mkdir()
    (tmp_path / "textkit" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "textkit" / "style.py").write_text("PREFIX = 'v1: '\n", encoding="utf-8")
    (tmp_path / "helpers.py").write_text(
        "from textkit.style import PREFIX\n\n\ndef first(text):\n"
        "    return PREFIX + text.split('.')[0] + '.'\n",
        encoding="utf-8",
    )
    (tmp_path / "summarize.py").write_text(
        "import json\nimport sys\n\nfrom helpers import first\n\n"
        "for line in sys.stdin:\n"
        "    record = json.loads(line)\n"
        "    print(json.dumps({'id': record['id'], 'summary': first(record['source'])}))\n",
        encoding="utf-8",
    )
    data = tmp_path / "data.jsonl"
    data.write_text('{"id": "a", "text": "Rain fell. Roads shut."}\n', encoding="utf-8")
    config = tmp_path / "run.yaml"
    config.write_text(
        f"name: edits\nbenchmark: {{path: {data}, fields: {{id: id, source: text}}}}\n"
        f'systems: [{{name: mine, backend: command, params: {{argv: ["{sys.executable}", '
        '"summarize.py"]}}]\nmetrics: [length]\n',
        encoding="utf-8",
    )

    def summary_after_run(out: str) -> str:
        done = harness_cli("run", str(config), "--out", str(tmp_path / out))
        assert done.returncode == 0, done.stderr
        return (tmp_path / out / "outputs.jsonl").read_text(encoding="utf-8")

    assert '"v1: Rain fell."' in summary_after_run("first")
    manifest = (tmp_path / "first" / "manifest.json").read_text(encoding="utf-8")
    assert '"argv[1] import helpers"' in manifest
    assert '"argv[1] import textkit.style"' in manifest
    assert '"argv[1] import json"' not in manifest  # the standard library is not the user's
    (tmp_path / "textkit" / "style.py").write_text("PREFIX = 'v2: '\n", encoding="utf-8")
    assert '"v2: Rain fell."' in summary_after_run("second")


def test_an_answer_with_an_error_fails_even_with_a_summary(tmp_path: Path) -> None:
    # A program that writes what it had when it failed beside the error: that
    # text is no summary to score. A null, false or empty error is no error.
    script = tmp_path / "errors_beside.py"
    script.write_text(
        "import json, sys\n"
        "ids = [json.loads(line)['id'] for line in sys.stdin]\n"
        "answers = [\n"
        "    {'summary': 'Rain flooded', 'error': 'CUDA out of memory'},\n"
        "    {'summary': 'Prices rose 4%.', 'error': None},\n"
        "    {'summary': 'Quotes.', 'error': ''},\n"
        "]\n"
        "for id_, answer in zip(ids, answers):\n"
        "    print(json.dumps({'id': id_, **answer}))\n",
        encoding="utf-8",
    )
    system = SystemConfig(
        name="cmd", backend="command", params={"argv": [sys.executable, str(script)]}
    )
    got = build_backend(system, BuildContext(config_dir=tmp_path), "systems[0]").summarize(EXAMPLES)
    assert got == [
        Generation.failed(
            'command reported: CUDA out of memory (the "summary" beside it is not kept)'
        ),
        Generation(summary="Prices rose 4%."),
        Generation(summary="Quotes."),
    ]


def test_a_byte_order_mark_before_the_first_answer_is_not_part_of_it(tmp_path: Path) -> None:
    script = tmp_path / "with_bom.py"
    script.write_text(
        "import json, sys\n"
        "sys.stdout.buffer.write(b'\\xef\\xbb\\xbf')\n"
        "for line in sys.stdin:\n"
        "    record = json.loads(line)\n"
        "    sys.stdout.buffer.write((json.dumps({'id': record['id'], 'summary': "
        "record['source'].split('.')[0]}) + '\\r\\n').encode('utf-8'))\n",
        encoding="utf-8",
    )
    system = SystemConfig(
        name="cmd", backend="command", params={"argv": [sys.executable, str(script)]}
    )
    got = build_backend(system, BuildContext(config_dir=tmp_path), "systems[0]").summarize(
        EXAMPLES[:2]
    )
    assert got == [Generation(summary="Rain flooded Leeds"), Generation(summary="Prices rose 4%")]


def test_a_program_that_answers_nothing_and_exits_0_shows_its_stderr(tmp_path: Path) -> None:
    script = tmp_path / "usage.py"
    script.write_text(
        "import sys\n"
        "sys.stderr.write('usage: usage.py --model M\\nerror: --model is required\\n')\n",
        encoding="utf-8",
    )
    system = SystemConfig(
        name="cmd", backend="command", params={"argv": [sys.executable, str(script)]}
    )
    got = build_backend(system, BuildContext(config_dir=tmp_path), "systems[0]").summarize(
        EXAMPLES[:2]
    )
    expected = Generation.failed(
        "command gave no output for this id (it answered no id; the end of its stderr: "
        "usage: usage.py --model M\nerror: --model is required)"
    )
    assert got == [expected, expected]


def test_a_module_python_runs_with_dash_m_is_hashed_with_the_modules_it_imports(
    tmp_path: Path,
) -> None:
    # ["python", "-m", "summarizer.main"] names no file, so nothing of it was
    # hashed: editing the module, or a helper it imports, served the old summaries.
    package = tmp_path / "summarizer"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "style.py").write_text("PREFIX = 'v1: '\n", encoding="utf-8")
    (package / "main.py").write_text(
        "import json\nimport sys\n\nfrom summarizer.style import PREFIX\n\n"
        "for line in sys.stdin:\n"
        "    record = json.loads(line)\n"
        "    print(json.dumps({'id': record['id'], 'summary': PREFIX + record['source']}))\n",
        encoding="utf-8",
    )
    system = SystemConfig(
        name="mine",
        backend="command",
        params={"argv": [sys.executable, "-u", "-m", "summarizer.main"], "cwd": str(tmp_path)},
    )

    def build() -> Summarizer:
        return build_backend(system, BuildContext(config_dir=tmp_path), "s")

    first = build()
    code = first.fingerprint.params["code_sha256"]
    assert {"argv[3]", "argv[3] import summarizer.style"} <= set(code)
    assert not any("json" in role for role in code)  # the standard library is not the user's
    [generation] = first.summarize([Example(id="a", source="Rain fell.")])
    assert generation.summary == "v1: Rain fell."
    (package / "style.py").write_text("PREFIX = 'v2: '\n", encoding="utf-8")
    after_helper = build().fingerprint
    assert after_helper.digest() != first.fingerprint.digest()
    (package / "main.py").write_text("print('edited')\n", encoding="utf-8")
    assert build().fingerprint.digest() != after_helper.digest()


def test_an_installed_module_run_with_dash_m_is_not_hashed_as_the_users(tmp_path: Path) -> None:
    system = SystemConfig(
        name="tool", backend="command", params={"argv": [sys.executable, "-m", "json.tool"]}
    )
    code = build_backend(system, BuildContext(config_dir=tmp_path), "s").fingerprint.params
    assert set(code["code_sha256"]) == {"argv[0]"}
