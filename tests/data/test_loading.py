"""Loading tables and folders: formats, encodings, delimiters, headers and stable row ids."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tools.data import load_dataset
from tools.data.tables import ROW_ID, read_table


def test_csv_gets_row_ids_and_types(penguins_with_dups: Path, penguins: pd.DataFrame) -> None:
    table = read_table(penguins_with_dups)
    assert table.df.index.name == ROW_ID
    assert list(table.df.index[:3]) == [0, 1, 2]
    assert len(table.df) == len(penguins) + 2
    assert table.df["bill_length_mm"].dtype.kind == "f"
    assert table.delimiter == "," and table.has_header and table.encoding == "utf-8"


def test_semicolon_and_tab_delimiters_are_detected(tmp_path: Path, penguins: pd.DataFrame) -> None:
    semi = tmp_path / "p.csv"
    penguins.head(30).to_csv(semi, sep=";", index=False)
    tsv = tmp_path / "p.tsv"
    penguins.head(30).to_csv(tsv, sep="\t", index=False)
    for path, delim in ((semi, ";"), (tsv, "\t")):
        table = read_table(path)
        assert table.delimiter == delim
        assert table.columns == list(penguins.columns)


def test_headerless_csv_gets_generated_names(tmp_path: Path, penguins: pd.DataFrame) -> None:
    path = tmp_path / "numbers.csv"
    penguins[["bill_length_mm", "bill_depth_mm"]].dropna().head(20).to_csv(path, index=False, header=False)
    table = read_table(path)
    assert not table.has_header
    assert table.columns == ["column_0", "column_1"]
    assert len(table.df) == 20


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"
    rows = "city,country\n" + "".join(f"{c},{k}\n" for c, k in
                                      [("Zürich", "Schweiz"), ("Málaga", "España"), ("Besançon", "France")] * 10)
    path.write_bytes(rows.encode("latin-1"))
    table = read_table(path)
    assert table.encoding and table.encoding.lower() != "utf-8"
    assert "Zürich" in set(table.df["city"])


def test_json_jsonl_and_parquet(tmp_path: Path, penguins: pd.DataFrame) -> None:
    records = penguins.head(10).to_dict(orient="records")
    (tmp_path / "a.json").write_text(json.dumps({"data": records}, default=str))
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(r, default=str) for r in records))
    penguins.head(10).to_parquet(tmp_path / "c.parquet")
    for name in ("a.json", "b.jsonl", "c.parquet"):
        table = read_table(tmp_path / name)
        assert len(table.df) == 10, name
        assert "species" in table.columns, name


def test_folder_dataset_collects_tables_documents_and_problems(tmp_path: Path, penguins: pd.DataFrame) -> None:
    penguins.iloc[:200].to_csv(tmp_path / "train.csv", index=False)
    penguins.iloc[200:].to_csv(tmp_path / "test.csv", index=False)
    (tmp_path / "README.md").write_text("# Penguins\n")
    (tmp_path / "LICENSE").write_text("CC0\n")
    (tmp_path / "broken.jsonl").write_text('{"a": 1}\n{"a": \n')
    dataset = load_dataset(tmp_path)
    assert set(dataset.tables) == {"train.csv", "test.csv"}
    assert set(dataset.documents) == {"README.md", "LICENSE"}
    assert [p.file for p in dataset.problems] == ["broken.jsonl"]
    assert "line 2" in dataset.problems[0].message


def test_quoted_line_breaks_stay_inside_their_field(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_bytes(b'id,note\r\n1,"first line\r\nsecond line"\r\n2,"one\rcarriage return"\r\n3,plain\r\n')
    table = read_table(path)
    assert len(table.df) == 3
    assert table.df.loc[0, "note"] == "first line\r\nsecond line"


def test_a_western_file_that_reads_the_same_in_cp1250_is_named_cp1252(tmp_path: Path) -> None:
    # é and ü sit at the same bytes in cp1250 and cp1252; the names are the real Forbes 2000 ones.
    path = tmp_path / "forbes.tsv"
    rows = "rank\tname\tcountry\n" + "".join(f"{i}\t{n}\t{c}\n" for i, (n, c) in
                                             enumerate([("Nestlé", "Switzerland"), ("Zürich Financial", "Switzerland"),
                                                        ("Citigroup", "United States")] * 5))
    path.write_bytes(rows.encode("latin-1"))
    table = read_table(path)
    assert table.encoding == "cp1252" and "Nestlé" in set(table.df["name"])


def test_decimal_commas_are_read_as_numbers(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    path.write_text("city;temp;note\nKöln;29,0;a\nBonn;27,5;b\nAachen;-3,25;c\nEssen;30;d\n", encoding="utf-8")
    table = read_table(path)
    assert table.df["temp"].tolist() == [29.0, 27.5, -3.25, 30.0]
    assert any("decimals with a comma ('29,0')" in note for note in table.notes)
    # With a comma delimiter, "1,234" may be a thousands separator: left as written.
    english = tmp_path / "sales.csv"
    english.write_text('item,amount\na,"1,234"\nb,"2,500"\nc,"3,750"\n', encoding="utf-8")
    assert read_table(english).df["amount"].tolist() == ["1,234", "2,500", "3,750"]
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("k;v\na;1,5\nb;unknown\nc;2,5\nd;3,5\n", encoding="utf-8")
    assert read_table(mixed).df["v"].tolist() == ["1,5", "unknown", "2,5", "3,5"]  # not all numbers: kept
