"""Hugging Face datasets: save_to_disk round trip, splits, offline errors."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest

from harness.benchmark import load_benchmark
from harness.config import BenchmarkConfig, FieldMap
from harness.errors import BenchmarkError, MissingDependencyError
from tests.requires import require

require("datasets", extra="hf")  # every test here builds a dataset
import datasets  # noqa: E402

FIELDS = FieldMap(id="uid", source="article", reference="highlights", label="score")


def _dataset() -> Any:
    return datasets.Dataset.from_dict(
        {
            "uid": [1, 2, 3],
            "article": ["Prices rose 3%.", "A storm hit.", ""],
            "highlights": [["Prices up 3%.", "3% rise."], ["Storm."], []],
            "score": [1, 0, 1],
            "topic": ["economy", "weather", "none"],
        }
    )


def test_save_to_disk_round_trip(tmp_path: Path) -> None:
    _dataset().save_to_disk(str(tmp_path / "ds"))
    bench = load_benchmark(BenchmarkConfig(hf=str(tmp_path / "ds"), fields=FIELDS))
    assert [e.id for e in bench.examples] == ["1", "2", "3"]
    assert bench.examples[0].references == ("Prices up 3%.", "3% rise.")
    assert bench.examples[2].source == ""
    assert [e.label for e in bench.examples] == [1.0, 0.0, 1.0]
    assert bench.examples[1].meta == {"topic": "weather"}
    assert bench.info["format"] == "hf"
    assert bench.info["location"] == str(tmp_path / "ds")


def test_saved_dataset_dict_needs_a_split_when_there_are_several(tmp_path: Path) -> None:
    data = _dataset()
    datasets.DatasetDict({"train": data, "test": data}).save_to_disk(str(tmp_path / "dd"))
    with pytest.raises(BenchmarkError) as info:
        load_benchmark(BenchmarkConfig(hf=str(tmp_path / "dd"), fields=FIELDS))
    assert "train, test" in str(info.value)
    bench = load_benchmark(BenchmarkConfig(hf=str(tmp_path / "dd"), split="test", fields=FIELDS))
    assert bench.info["split"] == "test"
    assert len(bench.examples) == 3
    with pytest.raises(BenchmarkError, match="no split 'dev'"):
        load_benchmark(BenchmarkConfig(hf=str(tmp_path / "dd"), split="dev", fields=FIELDS))


def test_single_split_is_used_without_asking(tmp_path: Path) -> None:
    datasets.DatasetDict({"validation": _dataset()}).save_to_disk(str(tmp_path / "dd"))
    bench = load_benchmark(BenchmarkConfig(hf=str(tmp_path / "dd"), fields=FIELDS))
    assert bench.info["split"] == "validation"
    assert bench.examples[0].id == "1"


def test_saved_dataset_through_path_with_format_hf(tmp_path: Path) -> None:
    _dataset().save_to_disk(str(tmp_path / "ds"))
    config = BenchmarkConfig(path=str(tmp_path / "ds"), format="hf", fields=FIELDS, limit=2)
    bench = load_benchmark(config)
    assert [e.id for e in bench.examples] == ["1", "2"]
    assert bench.info["n_records"] == 3


def test_hub_id_offline_fails_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants as hub_constants

    before = (datasets.config.HF_HUB_OFFLINE, hub_constants.HF_HUB_OFFLINE)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    started = time.monotonic()
    with pytest.raises(BenchmarkError) as info:
        load_benchmark(BenchmarkConfig(hf="nobody-here/no-such-dataset", split="train"))
    assert time.monotonic() - started < 5
    assert "benchmark.hf: could not load 'nobody-here/no-such-dataset'" in str(info.value)
    assert info.value.hint is not None and "offline" in info.value.hint
    # The libraries' own settings are restored afterwards.
    after = (datasets.config.HF_HUB_OFFLINE, hub_constants.HF_HUB_OFFLINE)
    assert after == before


def test_missing_local_directory(tmp_path: Path) -> None:
    with pytest.raises(BenchmarkError, match=r"local directory .* not found"):
        load_benchmark(BenchmarkConfig(hf="./no/such/dir"))


def test_missing_datasets_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasets", None)
    with pytest.raises(MissingDependencyError) as info:
        load_benchmark(BenchmarkConfig(hf=str(tmp_path)))
    assert "pip install 'harness[hf]'" in str(info.value)
    assert "the hf benchmark format" in str(info.value)


def test_a_folder_of_csv_files_is_read_as_text_like_the_csv_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pandas would read "01" as 1 and "NA" or "" as a missing value
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "train.csv").write_text(
        "id,source,reference\n01,Apples are red.,Apples red\n02,Cats purr.,\n03,Dogs bark.,NA\n",
        encoding="utf-8",
    )
    (folder / "README.md").write_text("# a dataset card\n", encoding="utf-8")
    config = BenchmarkConfig(path=str(folder), format="hf", fields=FieldMap(reference="reference"))
    examples = load_benchmark(config).examples
    assert [e.id for e in examples] == ["01", "02", "03"]
    assert [e.references for e in examples] == [("Apples red",), (), ("NA",)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a line break in an unquoted cell: pandas fills the short row with ""
        (
            "id,source,summary\n1,Apples are red.\nThe sky is blue.,Apples red\n",
            r":2 \(row 1\): 2 of",
        ),
        ('id,source,summary\n1,"Apples" are red.,Apples red\n', r":2: malformed CSV"),
        (
            "id,source,summary\n1,Apples are red.,Apples red\nid,source,summary\n",
            r":3 \(row 2\): this row repeats the header",
        ),
    ],
)
def test_a_folder_of_csv_files_is_parsed_as_strictly_as_the_csv_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "train.csv").write_text("id,source,summary\n0,Cats purr.,Cats purr\n")
    (folder / "test.csv").write_text(text, encoding="utf-8")
    config = BenchmarkConfig(hf=str(folder), split="test", fields=FieldMap(summary="summary"))
    with pytest.raises(BenchmarkError, match="test.csv" + expected):
        load_benchmark(config)


def test_a_folder_whose_data_datasets_cannot_read_names_the_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: only "DatasetGenerationError: An error occurred while generating the dataset".
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "train.jsonl").write_text('{"id": "1", "source": "a", "source": "b"}\n')
    with pytest.raises(BenchmarkError, match=r"DatasetGenerationError: .*, from \w+: .*twice"):
        load_benchmark(BenchmarkConfig(hf=str(folder)))
