"""Profiles: column kinds and the label / text / id / split candidates the planner relies on."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tools.data import load_dataset, profile_dataset


def test_penguins_profile(penguins_with_dups: Path, penguins: pd.DataFrame) -> None:
    table = profile_dataset(load_dataset(penguins_with_dups)).tables[0]
    kinds = {c.name: c.kind for c in table.columns}
    assert kinds["species"] == "categorical" and kinds["bill_length_mm"] == "numeric"
    assert table.label_candidates[0] == "species"
    expected_missing = penguins["sex"].isna().sum() + penguins.iloc[[5, 9]]["sex"].isna().sum()
    assert table.column("sex").missing == expected_missing
    assert table.column("island").distinct == 3
    assert table.text_candidates == []


def test_text_id_empty_constant_and_mixed_columns(tmp_path: Path) -> None:
    n = 40
    df = pd.DataFrame({
        "review_id": [f"r{i:03d}" for i in range(n)],
        "review": [f"This product number {i} was honestly much better than I expected it to be" for i in range(n)],
        "sentiment": ["pos", "neg"] * (n // 2),
        "notes": [None] * n,
        "source": ["web"] * n,
        "price": [str(i) for i in range(n - 2)] + ["n/a", "12 usd"],
    })
    df.to_csv(tmp_path / "reviews.csv", index=False)
    table = profile_dataset(load_dataset(tmp_path / "reviews.csv")).tables[0]
    kinds = {c.name: c.kind for c in table.columns}
    assert kinds == {"review_id": "id", "review": "text", "sentiment": "categorical",
                     "notes": "empty", "source": "constant", "price": "mixed"}
    assert table.label_candidates[0] == "sentiment"
    assert table.text_candidates == ["review"]
    assert table.id_candidates == ["review_id"]


def test_splits_are_recognised_from_file_names(tmp_path: Path, penguins: pd.DataFrame) -> None:
    for name in ("train.csv", "validation.csv", "penguins_test.csv"):
        penguins.head(20).to_csv(tmp_path / name, index=False)
    profile = profile_dataset(load_dataset(tmp_path))
    assert profile.splits == {"train": "train.csv", "valid": "validation.csv", "test": "penguins_test.csv"}
