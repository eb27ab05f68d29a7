"""profile on real data: what it finds and quotes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tools import REGISTRY, ToolContext
from tools.data import load_dataset


def _run(tool: str, path: Path, **args):
    t = REGISTRY.get(tool)
    return t.run(ToolContext(load_dataset(path)), t.parse_args(args))


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
