"""Bad input gets one clear line naming the file and the cause, from the library and from the CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tools.data import load_dataset
from tools.errors import DataError, UsageError


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("empty.csv", b"", "empty file"),
    ("blank.csv", b"\n \n", "empty file"),
    ("header_only.csv", b"a,b,c\n", "header but no data rows"),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    ("ragged.csv", b"a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n", "line 3 has 2 fields, expected 3 (and 1 more: line 5)"),
    ("corrupt.csv", "name,city\nJosé,Zürich\n".encode() + b"Bad\xff\xfe,X\n", "invalid UTF-8 byte 0xff on line 3"),
    ("bad.jsonl", b'{"a": 1}\n{"a": 2\n{"a": 3}\n', "invalid JSON on line 2"),
    ("bad.json", b'[{"a": 1},', "invalid JSON on line 1"),
    ("data.xlsx", b"PK\x03\x04", "unsupported file type '.xlsx'"),
    ("broken.parquet", b"PAR1 this is not parquet", "not a readable Parquet file"),
])
def test_bad_file_raises_one_line_error(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(DataError) as info:
        load_dataset(path)
    message = str(info.value)
    assert expected in message
    assert name in message and "\n" not in message
    assert path.read_bytes() == data  # nothing is lost


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file or folder"):
        load_dataset(tmp_path / "nope.csv")


def test_cli_bad_input_exits_2_with_one_line(cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "ragged.csv", b"a,b\n1,2\n3,4,5\n")
    result = cli("run", path, "remove duplicates", "--approve", "none")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ") and "ragged.csv" in lines[0] and "line 3" in lines[0]
    assert "Traceback" not in result.err + result.out
    assert not (tmp_path / ".copilot").exists()  # nothing half-made


def test_cli_unknown_column_suggests_the_right_one(cli, penguins_with_dups: Path) -> None:
    result = cli("plan", penguins_with_dups, "find label errors", "--label", "specis")
    assert result.code == 2
    assert "no column 'specis'; did you mean 'species'?" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_cli_debug_shows_the_traceback(cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "empty.csv", b"")
    with pytest.raises(DataError):
        cli("--debug", "plan", path, "profile")


def test_library_error_for_unknown_table(tmp_path: Path, penguins: pd.DataFrame) -> None:
    penguins.to_csv(tmp_path / "train.csv", index=False)
    penguins.to_csv(tmp_path / "test.csv", index=False)
    dataset = load_dataset(tmp_path)
    with pytest.raises(UsageError, match=r"no table 'valid\.csv'.*train\.csv"):
        dataset.table("valid.csv")
