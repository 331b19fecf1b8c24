"""`RunDir`: one run directory's files, written (carried over when unchanged) and read back."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from harness.errors import StoreError
from harness.records import Example, Output, Score
from harness.store.files import dump_json, file_digest, read_utf8, write_atomic

if TYPE_CHECKING:
    from harness.config import RunConfig

ModelT = TypeVar("ModelT", bound=BaseModel)

CONFIG_FILE = "config.yaml"
MANIFEST_FILE = "manifest.json"
EXAMPLES_FILE = "examples.jsonl"
OUTPUTS_FILE = "outputs.jsonl"
SCORES_FILE = "scores.jsonl"
RESULTS_FILE = "results.json"
#: The files results.json is computed from; the manifest records their digests.
DATA_FILES = (EXAMPLES_FILE, OUTPUTS_FILE, SCORES_FILE)


def _jsonl(models: Iterable[BaseModel]) -> str:
    return "".join(model.model_dump_json() + "\n" for model in models)


class RunDir:
    """Reads and writes one run directory.

    Args:
        path: The directory; created on first write.
        previous: The run directory this one will replace (a staged run's
            target), or ``None``.
        previous_files: The files of ``previous`` that harness wrote (its
            manifest's list): only those are ever carried over.

    Attributes:
        carried: Files written by carrying the previous run's identical file
            over instead of rewriting it, in the order written.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        previous: Path | None = None,
        previous_files: Collection[str] = (),
    ) -> None:
        self.path = Path(path)
        self.previous = previous
        self.previous_files = frozenset(previous_files)
        self.carried: list[str] = []

    def file(self, name: str) -> Path:
        """Path of a file inside the run directory."""
        return self.path / name

    def previous_file(self, name: str) -> Path | None:
        """The previous run's ``name``, if harness wrote it there and it is still a file."""
        if self.previous is None or name not in self.previous_files:
            return None
        path = self.previous / name
        return path if path.is_file() else None

    def carry_over(self, name: str) -> None:
        """Make the previous run's ``name`` this run's, unchanged (a hard link, else a copy).

        Raises:
            StoreError: The previous run has no such file of harness's.
        """
        source = self.previous_file(name)
        if source is None:
            raise StoreError(f"{name}: the run this one replaces has no such file to carry over")
        destination = self.file(name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.unlink(missing_ok=True)
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)
        self.carried.append(name)

    def write_file(self, name: str, data: str | bytes) -> None:
        """Write ``name`` (text as UTF-8); the previous run's identical file is carried over."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        previous = self.previous_file(name)
        same_size = previous is not None and previous.stat().st_size == len(raw)
        if same_size and previous is not None and previous.read_bytes() == raw:
            self.carry_over(name)
            return
        write_atomic(self.file(name), raw)

    def digest(self, name: str) -> str | None:
        """SHA-256 of the file ``name``, or ``None`` if the run directory has none."""
        return file_digest(self.file(name))

    def require(self) -> RunDir:
        """Check this looks like a run directory; raise `StoreError` if not."""
        if self.path.is_file():
            if (self.path.parent / CONFIG_FILE).is_file():
                hint = f"give its folder: {self.path.parent}"
            else:
                hint = (
                    "give the folder a `harness run` wrote; a baseline.json is read only as "
                    "`harness compare`'s first run (RUN_A) or by `harness check --baseline`"
                )
            raise StoreError(f"{self.path} is a file; a run directory is expected", hint=hint)
        if not self.path.is_dir():
            raise StoreError(
                f"run directory not found: {self.path}",
                hint="give the folder a `harness run` wrote (its `out`, e.g. reports/quickstart)",
            )
        for name in (CONFIG_FILE, EXAMPLES_FILE, OUTPUTS_FILE):
            if not self.file(name).is_file():
                raise StoreError(
                    f"{self.path} is not a complete run directory: {name} is missing",
                    hint="re-run `harness run CONFIG` to write it",
                )
        return self

    def data_digests(self) -> dict[str, str]:
        """SHA-256 of the files results.json is computed from (`DATA_FILES`), for the
        manifest's ``data_sha256``: `check_data` compares them later."""
        found = {name: self.digest(name) for name in DATA_FILES}
        return {name: digest for name, digest in found.items() if digest is not None}

    def check_data(self) -> RunDir:
        """Check that the files results.json was computed from are the ones the
        manifest recorded (a run directory of an older harness records none).

        Raises:
            StoreError: One is missing or has changed since (deleted, cut short,
                edited): results.json and what reads it would not match it.
        """
        try:
            manifest = self.read_json(MANIFEST_FILE)
        except StoreError:
            return self  # none, or damaged: nothing to check against (said where it is read)
        recorded = manifest.get("data_sha256") if isinstance(manifest, dict) else None
        if not isinstance(recorded, dict):
            return self
        hint = (
            "restore the file, or run `harness score RUN_DIR` to compute scores.jsonl and "
            "results.json again from the outputs as they are"
        )
        for name, digest in recorded.items():
            now = self.digest(str(name))
            if now is None:
                raise StoreError(
                    f"{self.file(str(name))} is missing, but results.json was computed from it",
                    hint=hint,
                )
            if now != digest:
                raise StoreError(
                    f"{self.file(str(name))} has changed since results.json was computed from "
                    f"it (the manifest records sha256 {str(digest)[:12]}…, the file has "
                    f"{now[:12]}…): edited, cut short or replaced",
                    hint=hint,
                )
        return self

    # writing ---------------------------------------------------------------
    def write_config(self, data: dict[str, Any]) -> None:
        """Write the resolved config as YAML."""
        self.write_file(CONFIG_FILE, yaml.safe_dump(data, sort_keys=False))

    def write_json(self, name: str, value: Any) -> None:
        """Write a JSON document (manifest.json, results.json)."""
        self.write_file(name, dump_json(value))

    def write_examples(self, examples: Sequence[Example]) -> None:
        """Write examples.jsonl."""
        self.write_file(EXAMPLES_FILE, _jsonl(examples))

    def write_outputs(self, outputs: Sequence[Output]) -> None:
        """Write outputs.jsonl."""
        self.write_file(OUTPUTS_FILE, _jsonl(outputs))

    def write_scores(self, scores: Sequence[Score]) -> None:
        """Write scores.jsonl."""
        self.write_file(SCORES_FILE, _jsonl(scores))

    # reading ---------------------------------------------------------------
    def read_config(self) -> dict[str, Any]:
        """The stored config as a mapping."""
        from harness.config import read_yaml

        return read_yaml(self.file(CONFIG_FILE))

    def read_run_config(self) -> RunConfig:
        """The stored config, validated; errors name its config.yaml's line and key.

        Raises:
            ConfigError: config.yaml (edited since the run, say) does not validate.
        """
        from harness.config import parse_config, read_yaml_lines

        path = self.file(CONFIG_FILE)
        data, lines = read_yaml_lines(path)
        return parse_config(data, str(path), lines)

    def read_json(self, name: str) -> Any:
        """A stored JSON document; `StoreError` if missing, not UTF-8 or malformed."""
        path = self.file(name)
        try:
            text = read_utf8(path)
        except FileNotFoundError:
            raise StoreError(
                f"{path} not found", hint="run `harness score RUN_DIR` to (re)compute it"
            ) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise StoreError(f"{path}:{error.lineno}: malformed JSON: {error.msg}") from None

    def _read_lines(self, name: str, model: type[ModelT]) -> Iterator[ModelT]:
        path = self.file(name)
        try:
            text = read_utf8(path)
        except FileNotFoundError:
            raise StoreError(f"{path} not found") from None
        # split("\n"), not splitlines(): JSON strings may hold U+2028 or U+0085 raw.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                yield model.model_validate_json(line)
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "(line)"
                raise StoreError(
                    f"{path}:{number}: {where}: {first['msg']}",
                    hint=f"each line must be one {model.__name__} record, as `harness run` writes",
                ) from None

    def read_examples(self) -> list[Example]:
        """examples.jsonl as `Example` records."""
        return list(self._read_lines(EXAMPLES_FILE, Example))

    def read_outputs(self) -> list[Output]:
        """outputs.jsonl as `Output` records."""
        return list(self._read_lines(OUTPUTS_FILE, Output))

    def read_scores(self) -> list[Score]:
        """scores.jsonl as `Score` records."""
        return list(self._read_lines(SCORES_FILE, Score))
