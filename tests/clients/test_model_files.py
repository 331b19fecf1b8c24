"""The digest of a local model's files (`harness.clients.model_files`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from harness.clients import model_files
from harness.clients.model_files import EDGE_BYTES, model_files_sha256


def _folder(root: Path) -> Path:
    root.mkdir()
    (root / "config.json").write_text('{"hidden_size": 16}', encoding="utf-8")
    (root / "tokenizer.json").write_text('{"vocab": {"a": 0}}', encoding="utf-8")
    (root / "model.safetensors").write_bytes(b"weights-1")
    return root


def test_an_unchanged_folder_has_the_same_digest(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "model")
    first = model_files_sha256(folder)
    assert len(first) == 64
    assert model_files_sha256(folder) == first
    # The digest is of the content, not of the path: a copy has the same one.
    copy = _folder(tmp_path / "copy")
    assert model_files_sha256(copy) == first


@pytest.mark.parametrize("name", ["config.json", "tokenizer.json", "model.safetensors"])
def test_any_file_that_loading_reads_changes_the_digest(tmp_path: Path, name: str) -> None:
    folder = _folder(tmp_path / "model")
    first = model_files_sha256(folder)
    path = folder / name
    stat = path.stat()
    # Same size, same mtime (as cp -p or rsync -a leave it): still seen.
    path.write_bytes(path.read_bytes()[:-1] + b"X")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert model_files_sha256(folder) != first


def test_files_in_subfolders_count_and_hidden_ones_do_not(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "model")
    first = model_files_sha256(folder)
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main", encoding="utf-8")
    (folder / ".cache").write_text("download metadata", encoding="utf-8")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert model_files_sha256(folder) == first
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text("{}", encoding="utf-8")
    assert model_files_sha256(folder) != first


def test_a_renamed_file_changes_the_digest(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "model")
    first = model_files_sha256(folder)
    (folder / "model.safetensors").rename(folder / "pytorch_model.bin")
    assert model_files_sha256(folder) != first


def test_a_linked_file_is_read_through_its_link(tmp_path: Path) -> None:
    # A Hugging Face cache snapshot is a folder of links to blobs.
    blobs = tmp_path / "blobs"
    blobs.mkdir()
    (blobs / "abc").write_bytes(b"weights-1")
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    (snapshot / "model.safetensors").symlink_to(blobs / "abc")
    first = model_files_sha256(snapshot)
    (blobs / "abc").write_bytes(b"weights-2")
    assert model_files_sha256(snapshot) != first


def test_one_file_is_hashed_by_itself(tmp_path: Path) -> None:
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF-1")
    first = model_files_sha256(gguf)
    (tmp_path / "unrelated.txt").write_text("x", encoding="utf-8")
    assert model_files_sha256(gguf) == first
    gguf.write_bytes(b"GGUF-2")
    assert model_files_sha256(gguf) != first


def test_a_large_file_is_hashed_by_its_size_and_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Above WHOLE_FILE_BYTES only the first and last EDGE_BYTES (and the size) are read.
    monkeypatch.setattr(model_files, "WHOLE_FILE_BYTES", 3 * EDGE_BYTES)
    path = tmp_path / "model.safetensors"
    body = bytearray(os.urandom(4 * EDGE_BYTES))
    path.write_bytes(body)
    first = model_files_sha256(path)
    started = time.monotonic()
    assert model_files_sha256(path) == first
    assert time.monotonic() - started < 5
    for offset in (0, len(body) - 1):  # a changed header, a changed last tensor
        changed = bytearray(body)
        changed[offset] ^= 0xFF
        path.write_bytes(changed)
        assert model_files_sha256(path) != first
    path.write_bytes(body + b"\0")  # another size
    assert model_files_sha256(path) != first
    # The documented limit: the middle of a large file of the same size is not read.
    middle = bytearray(body)
    middle[2 * EDGE_BYTES] ^= 0xFF
    path.write_bytes(middle)
    assert model_files_sha256(path) == first
