"""Hostile uses of `--out`: a reused run directory is never left mixing two runs,
and harness never overwrites or deletes a file that its own manifest does not list."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from harness.outdir import StagedRun, stage_run

HarnessCLI = Callable[..., subprocess.CompletedProcess[str]]
REPO = Path(__file__).resolve().parents[2]


def _data(tmp_path: Path, n: int = 4) -> Path:
    path = tmp_path / "data.jsonl"
    rows = [
        {"id": f"d{i}", "source": f"Item {i} opened. It cost {i} dollars. More later.", "ref": "x"}
        for i in range(n)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _config(tmp_path: Path, name: str, out: str, **changes: object) -> Path:
    config: dict[str, object] = {
        "name": name,
        "benchmark": {"path": str(_data(tmp_path)), "fields": {"reference": "ref"}},
        "systems": [{"name": "lead", "backend": "lead", "params": {"sentences": 1}}],
        "metrics": ["rouge", "length"],
        "out": out,
    }
    config.update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def test_out_dot_beside_the_users_files_touches_only_its_own(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    config = _config(work, "dot", ".")
    user_config = work / "config.yaml"  # the user's own file with harness's favourite name
    user_config.write_text("# mine\n", encoding="utf-8")
    done = harness_cli("run", config.name, cwd=work)
    assert done.returncode == 2, done.stderr
    assert "config.yaml" in done.stderr and "not harness's to overwrite" in done.stderr
    assert user_config.read_text(encoding="utf-8") == "# mine\n"
    assert not (work / "results.json").exists()
    assert not [p for p in work.iterdir() if p.name.startswith(".harness-staging-")]

    user_config.unlink()
    plots = work / "plots"
    plots.mkdir()
    (plots / "my_figure.png").write_bytes(b"not harness's")
    done = harness_cli("run", config.name, cwd=work)
    assert done.returncode == 0, done.stderr
    assert (plots / "my_figure.png").read_bytes() == b"not harness's"
    assert config.read_text(encoding="utf-8").startswith("benchmark")  # untouched
    manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    assert "plots/my_figure.png" not in manifest["files"]
    assert "dot.yaml" not in manifest["files"]
    assert {"config.yaml", "outputs.jsonl", "results.json", "report.md"} <= set(manifest["files"])

    again = harness_cli("report", ".", cwd=work)  # re-render: still only its own plots
    assert again.returncode == 0, again.stderr
    assert (plots / "my_figure.png").read_bytes() == b"not harness's"


def test_a_second_config_into_the_same_out_replaces_the_first_whole(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    out = tmp_path / "shared-out"
    first = _config(tmp_path, "first", str(out), metrics=["rouge", "length", "fragments"])
    assert harness_cli("run", str(first)).returncode == 0
    assert (out / "plots" / "fragments.png").is_file()
    second_systems = [{"name": "lead2", "backend": "lead", "params": {"sentences": 2}}]
    second = _config(tmp_path, "second", str(out), systems=second_systems)
    done = harness_cli("run", str(second))
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load((out / "config.yaml").read_text(encoding="utf-8"))["name"] == "second"
    assert {o["system"] for o in _lines(out / "outputs.jsonl")} == {"lead2"}
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["systems"] == ["lead2"]
    assert not (out / "plots" / "fragments.png").exists()  # the first run's, listed by it
    rescored = harness_cli("score", str(out))
    assert rescored.returncode == 0, rescored.stderr


def test_a_run_that_fails_midway_leaves_the_previous_run_whole(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    out = tmp_path / "out"
    first = _config(tmp_path, "first", str(out))
    assert harness_cli("run", str(first)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    script = tmp_path / "slow.py"
    pid_file = tmp_path / "child.pid"
    script.write_text(
        "import os, sys, time\n"
        f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "time.sleep(60)\n",
        encoding="utf-8",
    )
    systems = [
        {"name": "slow", "backend": "command", "params": {"argv": [sys.executable, str(script)]}}
    ]
    second = _config(tmp_path, "second", str(out), systems=systems)
    env = {**os.environ, "HARNESS_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "harness", "run", str(second)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pid_file.exists(), "the command backend never started"
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.startswith(".harness-staging-")]
    assert harness_cli("score", str(out)).returncode == 0


def test_a_staging_folder_left_by_kill_9_is_cleared_by_the_next_run(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    out = tmp_path / "out"
    config = _config(tmp_path, "first", str(out))
    assert harness_cli("run", str(config)).returncode == 0
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    stale = out / f".harness-staging-{dead.stdout.strip()}-deadbeef"
    stale.mkdir()
    (stale / "outputs.jsonl").write_text("half", encoding="utf-8")
    assert harness_cli("run", str(config)).returncode == 0
    assert not stale.exists()


def test_score_refuses_a_run_directory_whose_outputs_do_not_match(
    tmp_path: Path, harness_cli: HarnessCLI
) -> None:
    out = tmp_path / "out"
    assert harness_cli("run", str(_config(tmp_path, "first", str(out)))).returncode == 0
    outputs = (out / "outputs.jsonl").read_text(encoding="utf-8").split("\n")
    (out / "outputs.jsonl").write_text("\n".join(outputs[1:]), encoding="utf-8")
    done = harness_cli("score", str(out))
    assert done.returncode == 2, done.stderr
    assert "pairs have no output" in done.stderr and "'d0'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_foreign_manifest_is_never_overwritten(tmp_path: Path, harness_cli: HarnessCLI) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"name": "my package"}\n', encoding="utf-8")
    done = harness_cli("run", str(_config(tmp_path, "first", str(out))))
    assert done.returncode == 2, done.stderr
    assert "was not written by harness" in done.stderr
    assert (out / "manifest.json").read_text(encoding="utf-8") == '{"name": "my package"}\n'


def _stage_files(target: Path, files: dict[str, str]) -> StagedRun:
    staged = stage_run(target)
    for name, text in files.items():
        staged.staging.write_file(name, text)
    return staged


def test_two_runs_staged_into_one_new_out_both_commit_and_the_last_one_is_whole(
    tmp_path: Path,
) -> None:
    # Both runs claim an empty folder; the first to finish commits. The other's
    # commit used to refuse its files as "in the way", after all its work.
    target = tmp_path / "out"
    slow = _stage_files(target, {"config.yaml": "slow\n", "plots/length.png": "slow"})
    fast = _stage_files(target, {"config.yaml": "fast\n", "plots/rouge.png": "fast"})
    fast.commit({"harness_run": {"command": "run"}})
    slow.commit({"harness_run": {"command": "run"}})
    assert (target / "config.yaml").read_text(encoding="utf-8") == "slow\n"
    assert not (target / "plots" / "rouge.png").exists()  # the first run's, not this one's
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == ["config.yaml", "manifest.json", "plots/length.png"]


def test_a_commit_waits_for_the_lock_another_commit_holds(tmp_path: Path) -> None:
    import fcntl
    import threading

    target = tmp_path / "out"
    staged = _stage_files(target, {"config.yaml": "mine\n"})
    handle = os.open(target, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)  # as another run's commit holds it
    done = threading.Event()
    worker = threading.Thread(
        target=lambda: (staged.commit({"harness_run": {"command": "run"}}), done.set())
    )
    worker.start()
    try:
        assert not done.wait(0.5)
        assert not (target / "config.yaml").exists()
    finally:
        os.close(handle)
    worker.join(10)
    assert done.is_set()
    assert (target / "config.yaml").read_text(encoding="utf-8") == "mine\n"


def test_a_sigterm_during_the_commit_waits_for_it_and_the_folder_is_the_new_run_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The commit moves the staged files into place one by one, then writes the
    # manifest. A SIGTERM (or Ctrl-C) between two moves left some files of the
    # new run beside the old run's others and the old manifest: a mixed folder.
    from harness.cli._signals import Terminated, terminate_like_interrupt

    target = tmp_path / "out"
    old = {"config.yaml": "old\n", "outputs.jsonl": "old\n", "scores.jsonl": "old\n"}
    _stage_files(target, old).commit({"harness_run": {"command": "run"}})
    new = {name: "new\n" for name in old}
    staged = _stage_files(target, new)
    replace = os.replace
    moved: list[str] = []

    def replace_then_signal(source: str | Path, destination: str | Path) -> None:
        replace(source, destination)
        moved.append(Path(destination).name)
        if len(moved) == 1:
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(os, "replace", replace_then_signal)
    # Another thread is alive, as in a run (the progress display's, a worker
    # pool's): the kernel gives it a signal the main thread blocks, and Python
    # runs the handler in the main thread all the same.
    stop = threading.Event()
    bystander = threading.Thread(target=stop.wait, daemon=True)
    bystander.start()
    try:
        with pytest.raises(Terminated), terminate_like_interrupt():
            staged.commit({"harness_run": {"command": "run"}, "run": "new"})
    finally:
        stop.set()
        bystander.join(5)
    monkeypatch.undo()
    assert {name: (target / name).read_text(encoding="utf-8") for name in new} == new
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run"] == "new"


@pytest.mark.parametrize("manifest", ["{garbled", '{"files": []}'])
def test_a_manifest_harness_did_not_write_says_what_to_do_for_every_command(
    tmp_path: Path, manifest: str
) -> None:
    # The hint said only "give the run another --out", which `harness score`
    # and `harness report` (that refuse such a folder too) do not take.
    from harness.errors import StoreError
    from harness.outdir import owned_files

    (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
    with pytest.raises(StoreError) as info:
        owned_files(tmp_path)
    hint = info.value.hint or ""
    assert "run `harness run` again with another `--out`" in hint
    assert "`harness score` and `harness report` work only in a run directory" in hint
