"""profile and exact_duplicates on real data: what they find, quote and propose."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from copilot.data import load_dataset
from copilot.errors import UsageError
from tools import REGISTRY, ToolContext


def _run(tool: str, path: Path, **args):
    t = REGISTRY.get(tool)
    return t.run(ToolContext(load_dataset(path)), t.parse_args(args))


def test_exact_duplicates_keeps_the_first_of_each_group(penguins_with_dups: Path, penguins: pd.DataFrame) -> None:
    result = _run("exact_duplicates", penguins_with_dups)
    n = len(penguins)
    assert sorted(f.rows for f in result.findings) == [[5, n], [9, n + 1]]
    (change,) = result.proposed_changes
    assert change.kind == "drop_rows" and change.operation.row_ids == [n, n + 1]
    assert change.preview.rows_affected == 2
    assert all(r.after is None for r in change.preview.sample)
    assert set(change.finding_ids) == {f.id for f in result.findings}
    assert any("rows 5, 344" in e for f in result.findings for e in f.evidence)


def test_rows_with_missing_values_still_match(tmp_path: Path, penguins: pd.DataFrame) -> None:
    path = tmp_path / "p.csv"
    pd.concat([penguins, penguins.iloc[[3]]]).to_csv(path, index=False)  # row 3 is mostly empty
    result = _run("exact_duplicates", path)
    assert [f.rows for f in result.findings] == [[3, len(penguins)]]


def test_column_subset_and_unknown_column(penguins_with_dups: Path) -> None:
    result = _run("exact_duplicates", penguins_with_dups, columns=["species", "island"])
    assert len(result.findings) == 5  # 3 species spread over 5 (species, island) pairs
    with pytest.raises(UsageError, match="no column 'spices'"):
        _run("exact_duplicates", penguins_with_dups, columns=["spices"])


def test_no_duplicates_no_change(tmp_path: Path, penguins: pd.DataFrame) -> None:
    path = tmp_path / "p.csv"
    penguins.to_csv(path, index=False)
    result = _run("exact_duplicates", path)
    assert result.findings == [] and result.proposed_changes == []


def test_profile_reports_empty_constant_and_mixed_columns(tmp_path: Path, penguins: pd.DataFrame) -> None:
    df = penguins.copy()
    df["batch"] = "B1"
    df["notes"] = None
    mass = df["body_mass_g"].astype(object)
    mass.iloc[[7, 20]] = ["heavy", "4 kg"]
    df["body_mass_g"] = mass
    path = tmp_path / "p.csv"
    df.to_csv(path, index=False)
    result = _run("profile", path)
    by_column = {f.columns[0]: f for f in result.findings}
    assert by_column["batch"].type == "other" and "constant" in by_column["batch"].issue
    assert by_column["notes"].type == "missing_values"
    mixed = by_column["body_mass_g"]
    assert mixed.type == "inconsistent_format"
    assert {"heavy", "4 kg"} <= set(mixed.evidence) and {7, 20} <= set(mixed.rows)
    assert result.proposed_changes == []
    assert result.artifacts[0].kind == "table"
