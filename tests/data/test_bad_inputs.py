"""The bad-input corpus: each kind of broken, odd or hostile input, driven through the real CLI in-process.

Every case asserts the exit code, a one-line message without a traceback (for refused input), and that
nothing was written into the input folder. Inputs the co-pilot can read (UTF-16 without a BOM, nested
JSON, a header with repeated names, a table of one row, a folder with a symlink loop) must run cleanly and
say what was odd about them.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

_CSV = b"name,age,city\nAnn,34,Oslo\nBob,29,Lima\nCy,41,Rome\n"


def _write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path
    return make


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf)
    return buf.getvalue()


def _zip_bytes(member: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, data)
    return buf.getvalue()


def _xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:  # the parts every .xlsx has, enough to be recognised
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("_rels/.rels", "<Relationships/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return buf.getvalue()


def _folder(*files: tuple[str, bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        data = folder / "ds"
        data.mkdir()
        for name, content in files:
            (data / name).write_bytes(content)
        return data
    return make


def _loop_in_folder(folder: Path) -> Path:
    data = _folder(("people.csv", _CSV))(folder)
    (data / "loop").symlink_to("loop")  # a link to itself
    (data / "a").symlink_to("b")
    (data / "b").symlink_to("a")
    return data


def _loop_as_data(folder: Path) -> Path:
    (folder / "data.csv").symlink_to("data.csv")
    return folder / "data.csv"


def _dangling_as_data(folder: Path) -> Path:
    (folder / "data.csv").symlink_to("gone.csv")
    return folder / "data.csv"


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.csv")
    return folder / "pipe.csv"


def _unreadable(folder: Path) -> Path:
    path = _write("locked.csv", _CSV)(folder)
    path.chmod(0)
    return path


_NESTED = [{"id": i, "user": {"name": f"user{i % 7}", "geo": {"lat": i / 10, "lon": 2.5}},
            "tags": ["a", "b", "c"][: i % 4], "score": i % 5, "label": "yes" if i % 3 else "no"} for i in range(40)]
_PARQUET_NESTED = pd.DataFrame({"id": range(40), "vec": [list(range(i % 4)) for i in range(40)],
                                "point": [{"x": i, "y": str(i % 3)} for i in range(40)],
                                "label": ["x", "y"] * 20})


@dataclass
class Case:
    make: Callable[[Path], Path]
    code: int
    says: str  # in the one error line (refused input) or in the output (read input)
    args: tuple[str, ...] = ()
    goal: str = "profile"


REFUSED = {
    "empty file": Case(_write("empty.csv", b""), 2, "empty file"),
    "only newlines": Case(_write("newlines.csv", b"\n\n\n\n"), 2, "empty file"),
    "only whitespace": Case(_write("spaces.csv", b"  \n\t \n"), 2, "empty file"),
    "only a BOM": Case(_write("bom.csv", b"\xef\xbb\xbf"), 2, "empty file"),
    "only a header": Case(_write("header.csv", b"a,b,c\n"), 2, "header but no data rows"),
    "header and blank lines": Case(_write("header_blank.csv", b"a,b,c\n\n  \n"), 2, "header but no data rows"),
    "image named .csv": Case(_write("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), 2, "a PNG image"),
    "NUL bytes in text": Case(_write("nul.csv", b"a,b\n1,2\n3,\x004\n5,6\n"), 2, "NUL bytes, the first on line 3"),
    "ragged rows": Case(_write("ragged.csv", b"a,b,c\n1,2,3\n4,5\n6,7,8\n"), 2, "line 3 has 2 fields, expected 3"),
    "mixed delimiters": Case(_write("mixed.csv", b"a,b,c\n1,2,3\n4;5;6\n7,8,9\n"), 2, "line 3 has 1 fields"),
    "unclosed quote": Case(_write("quote.csv", b'a,b\n1,"oops\n2,3\n'), 2, "malformed CSV"),
    "huge single line": Case(_write("huge.csv", b"x" * 3_000_000), 2, "malformed CSV near line 1"),
    "invalid UTF-8": Case(_write("utf8.csv", "name\nJosé\n".encode() + b"Bad\xff\n"), 2, "invalid UTF-8 byte 0xff"),
    "invalid JSON": Case(_write("bad.json", b'{"a": 1,,}'), 2, "invalid JSON on line 1"),
    "truncated JSON": Case(_write("cut.json", b'[{"a": 1}, {"a":'), 2, "invalid JSON"),
    "JSON scalar": Case(_write("one.json", b"42"), 2, "single value"),
    "JSON empty array": Case(_write("none.json", b"[]"), 2, "no records"),
    "JSON empty object": Case(_write("nothing.json", b"{}"), 2, "no records"),
    "JSON mixed array": Case(_write("mixed.json", b'[{"a": 1}, 2, "x"]'), 2, "mixes objects with other values"),
    "JSONL scalar line": Case(_write("lines.jsonl", b'{"a": 1}\n2\n'), 2, "must each be an object"),
    "JSONL broken line": Case(_write("broken.jsonl", b'{"a": 1}\n{"a": \n{"a": 3}\n'), 2, "invalid JSON on line 2"),
    "Parquet truncated": Case(_write("cut.parquet", _parquet_bytes(pd.DataFrame({"a": range(500)}))[:300]), 2,
                              "not a readable Parquet file"),
    "Parquet empty file": Case(_write("empty.parquet", b""), 2, "empty file"),
    "Parquet not parquet": Case(_write("text.parquet", _CSV), 2, "not a readable Parquet file"),
    "Parquet without rows": Case(_write("norows.parquet", _parquet_bytes(pd.DataFrame({"a": []}))), 2, "no rows"),
    "Parquet named .csv": Case(_write("table.csv", _parquet_bytes(pd.DataFrame({"a": [1, 2]}))), 2,
                               "a Parquet file"),
    "zip named .csv": Case(_write("data.csv", _zip_bytes("data.csv", _CSV)), 2, "a zip archive"),
    "zip file": Case(_write("data.zip", _zip_bytes("data.csv", _CSV)), 2, "unsupported file type '.zip'; decompress"),
    "gzip CSV": Case(_write("data.csv.gz", gzip.compress(_CSV)), 2, "unsupported file type '.gz'; decompress"),
    "gzip named .csv": Case(_write("data.csv", gzip.compress(_CSV)), 2, "gzip-compressed"),
    "xlsx named .csv": Case(_write("sheet.csv", _xlsx_bytes()), 2, "an Excel workbook"),
    "xlsx file": Case(_write("sheet.xlsx", _xlsx_bytes()), 2, "unsupported file type '.xlsx'; export the sheet"),
    "text file": Case(_write("notes.txt", b"hello\n"), 2, "unsupported file type '.txt'"),
    "folder without data": Case(_folder(("README.md", b"# Nothing here\n")), 2, "no tables found"),
    "empty folder": Case(_folder(), 2, "no tables found"),
    "symlink loop as data": Case(_loop_as_data, 2, "a symbolic link that loops back on itself"),
    "dangling link as data": Case(_dangling_as_data, 2, "a broken link"),
    "named pipe": Case(_fifo, 2, "not a regular file"),
    "no such path": Case(lambda folder: folder / "missing.csv", 2, "no such file or folder"),
    "wrong --label": Case(_write("people.csv", _CSV), 2, "no column 'agee'; did you mean 'age'?",
                          ("--label", "agee")),
    "wrong --text": Case(_write("people.csv", _CSV), 2, "no column 'bio'", ("--text", "bio")),
    "unknown --encoding": Case(_write("people.csv", _CSV), 2, "cannot decode as klingon", ("--encoding", "klingon")),
    "wrong --encoding": Case(_write("cafe.csv", "name\nCafé\n".encode()), 2, "cannot decode as ascii",
                             ("--encoding", "ascii")),
    "control characters in names": Case(_write("esc.csv", b"a\x1b[31m,b\n1,2\n3,4\n"), 2, "a\\x1b[31m",
                                        ("--label", "zz")),
}
if os.geteuid() != 0:  # root reads any file whatever its permissions
    REFUSED["unreadable file"] = Case(_unreadable, 2, "cannot read: Permission denied")

READ = {
    "UTF-16 LE without BOM": Case(_write("u16le.csv", _CSV.decode().encode("utf-16-le")), 0, "3 rows × 3 columns"),
    "UTF-16 BE without BOM": Case(_write("u16be.csv", _CSV.decode().encode("utf-16-be")), 0, "3 rows × 3 columns"),
    "UTF-16 with BOM": Case(_write("u16.csv", _CSV.decode().encode("utf-16")), 0, "3 rows × 3 columns"),
    "Latin-1": Case(_write("latin.csv", "city\nSão Paulo\nZürich\nMálaga\n".encode("latin-1")), 0, "3 rows"),
    "CR line endings": Case(_write("mac.csv", _CSV.replace(b"\n", b"\r")), 0, "3 rows × 3 columns"),
    "JSON array of scalars": Case(_write("values.json", b"[1, 2, 3, 4, 5]"), 0, "5 rows × 1 columns"),
    "JSONL named .json": Case(_write("records.json", b'{"a": 1}\n{"a": 2}\n'), 0, "2 rows × 1 columns"),
    "rows of only missing values": Case(_write("blank_rows.csv", b"a,b,c\n,,\n,,\n"), 0, "2 rows × 3 columns"),
    "one data row": Case(_write("one.csv", b"a,b\n1,2\n"), 0, "only 1 data row in one.csv: too few for statistics",
                         goal="what's wrong with this dataset?"),
    "repeated header names": Case(_write("dups.csv", b"name,name,score\nAnn,Lee,3\nBob,Ray,4\n"), 0,
                                  "name,name,score", goal="check the files"),
    "empty header names": Case(_write("holes.csv", b"id,,score,\n1,x,3,\n2,y,4,\n"), 0, "id,,score,",
                               goal="check the files"),
    "nested JSON": Case(_write("nested.json", json.dumps(_NESTED)), 0, "user.geo.lat",
                        goal="what's wrong with this dataset?"),
    "nested JSONL": Case(_write("nested.jsonl", "\n".join(json.dumps(r) for r in _NESTED)), 0, "user.name",
                         goal="what's wrong with this dataset?"),
    "Parquet list and struct columns": Case(_write("nested.parquet", _parquet_bytes(_PARQUET_NESTED)), 0,
                                            "point.x", goal="what's wrong with this dataset?"),
    "symlink loop in a folder": Case(_loop_in_folder, 0, "a symbolic link that loops back on itself",
                                     goal="check the files"),
    "a folder whose only table is broken": Case(_folder(("ragged.csv", b"a,b\n1,2\n3,4,5\n")), 0,
                                                "line 3 has 3 fields", goal="check the files"),
}


def test_the_corpus_has_at_least_40_kinds() -> None:
    assert len(REFUSED) + len(READ) >= 40


def _snapshot(folder: Path, tree_hash) -> tuple[list[str], dict[str, str]]:
    """Every name under the input folder, and the sha256 of every regular file in it (links that loop, pipes and
    locked files have no content to hash; their names are still compared)."""
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
    hashes = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink() and os.access(p, os.R_OK):
            hashes.update(tree_hash(p))
    return names, hashes


def _run(cli, tmp_path: Path, tree_hash, case: Case):
    """Make the case's input in its own folder, snapshot it, and run the CLI on it (a workspace outside)."""
    folder = tmp_path / "in"
    folder.mkdir()
    data = case.make(folder)
    before = _snapshot(folder, tree_hash)
    result = cli("run", data, case.goal, "--approve", "none", "--workspace", tmp_path / "ws", *case.args)
    return folder, before, data, result


@pytest.mark.parametrize("kind", list(REFUSED))
def test_bad_input_is_refused_with_one_line(cli, tmp_path: Path, tree_hash, kind: str) -> None:
    case = REFUSED[kind]
    folder, before, data, result = _run(cli, tmp_path, tree_hash, case)
    assert result.code == case.code, result.out + result.err
    assert "Traceback" not in result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: ") and case.says in lines[0], lines[0]
    assert "\x1b" not in lines[0]
    assert data.name in lines[0] or kind in ("wrong --label", "wrong --text")
    assert _snapshot(folder, tree_hash) == before  # nothing written into, or changed in, the input folder
    if not case.args:  # unreadable data leaves no workspace half-made (a wrong flag is found after the data is read)
        assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize("kind", list(READ))
def test_odd_but_readable_input_runs_and_says_what_was_odd(cli, tmp_path: Path, tree_hash, kind: str) -> None:
    case = READ[kind]
    folder, before, _data, result = _run(cli, tmp_path, tree_hash, case)
    output = result.out + result.err
    assert result.code == case.code, output
    assert "Traceback" not in output and "Error:" not in output and "failed" not in output, output
    assert case.says in output
    assert "header but no data rows" not in output
    assert _snapshot(folder, tree_hash) == before  # nothing written into, or changed in, the input folder
