"""Read one tabular file into a DataFrame whose index is a stable row id."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from copilot.data.decoding import decode_bytes
from copilot.errors import DataError

ROW_ID = "row_id"
TABLE_SUFFIXES = {".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson", ".parquet", ".pq"}
_DELIMITERS = [",", "\t", ";", "|"]
_SHOWN_LINES = 3


@dataclass
class Table:
    """One table of a dataset. `df.index` holds the row id, stable across versions."""

    name: str
    df: pd.DataFrame
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    has_header: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.df.columns]


def _with_row_ids(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    df.index.name = ROW_ID
    df.columns = [str(c) for c in df.columns]
    return df


def _sniff_delimiter(sample: str, suffix: str) -> str:
    if suffix in {".tsv", ".tab"}:
        return "\t"
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    # The delimiter is the candidate that splits most lines into the same number (>1) of fields.
    best, best_score = ",", -1.0
    for delim in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        if not counts or max(counts) < 2:
            continue
        modal = max(set(counts), key=counts.count)
        score = counts.count(modal) / len(counts) + (0.01 if delim == "," else 0)
        if modal > 1 and score > best_score:
            best, best_score = delim, score
    return best


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", ""))
    except ValueError:
        return False
    return value.strip() != ""


def _has_header(rows: list[list[str]]) -> bool:
    """A first row is data, not a header, when it is numeric wherever the body is numeric."""
    if len(rows) < 2:
        return True
    first, body = rows[0], rows[1:]
    if len(set(first)) < len(first):  # repeated names: a header would not repeat itself
        return False
    numeric_cols = [
        i for i in range(len(first))
        if all(i < len(r) and (_is_number(r[i]) or r[i] == "") for r in body)
        and any(i < len(r) and _is_number(r[i]) for r in body)
    ]
    if numeric_cols:
        return not all(_is_number(first[i]) for i in numeric_cols)
    return True


def _check_ragged(rows: list[tuple[int, list[str]]], path: Path) -> None:
    expected = len(rows[0][1])
    bad = [(line, len(r)) for line, r in rows if len(r) != expected and any(c.strip() for c in r)]
    if not bad:
        return
    line, got = bad[0]
    more = ""
    if len(bad) > 1:
        others = ", ".join(str(ln) for ln, _ in bad[1:_SHOWN_LINES + 1])
        more = f" (and {len(bad) - 1} more: line{'s' if len(bad) > 2 else ''} {others}"
        more += ", ..." if len(bad) > _SHOWN_LINES + 1 else ""
        more += ")"
    raise DataError(f"ragged rows: line {line} has {got} fields, expected {expected}{more}",
                    file=path, fix="fix the quoting or delimiter on those lines, or remove them")


def read_delimited(path: Path, text: str, encoding: str) -> Table:
    delimiter = _sniff_delimiter(text[:65536], path.suffix.lower())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)  # keeps quoted line breaks
    records: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                records.append((reader.line_num, row))
    except csv.Error as exc:
        raise DataError(f"malformed CSV near line {reader.line_num}: {exc}", file=path,
                        fix="check for an unclosed quote") from exc
    if not records:
        raise DataError("empty file", file=path, fix="check that the export finished writing")
    _check_ragged(records, path)
    has_header = _has_header([r for _, r in records[:200]])
    if has_header and len(records) == 1:
        raise DataError("header but no data rows", file=path, fix="check that the export finished writing")
    df = pd.read_csv(io.StringIO(text), sep=delimiter, header=0 if has_header else None,
                     skip_blank_lines=True)
    if not has_header:
        df.columns = [f"column_{i}" for i in range(len(df.columns))]
    return Table(path.name, _with_row_ids(df), "csv" if delimiter != "\t" else "tsv", encoding,
                 delimiter, has_header)


def _records_from_json(obj: object, path: Path) -> pd.DataFrame:
    if isinstance(obj, list):
        if obj and all(isinstance(x, dict) for x in obj):
            return pd.json_normalize(obj, max_level=0)
        return pd.DataFrame({"value": obj})
    if isinstance(obj, dict):
        lists = {k: v for k, v in obj.items() if isinstance(v, list)}
        if len(lists) == 1:  # {"data": [...]} and friends
            return _records_from_json(next(iter(lists.values())), path)
        if lists and len({len(v) for v in lists.values()}) == 1 and len(lists) == len(obj):
            return pd.DataFrame(obj)  # column-oriented
        return pd.json_normalize([obj], max_level=0)
    raise DataError("JSON holds a single value, not records", file=path,
                    fix="give a list of objects, or one object per line (JSONL)")


def read_json(path: Path, text: str, encoding: str) -> Table:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        # A file of one object per line is JSONL whatever its suffix says.
        if exc.msg == "Extra data":
            return read_jsonl(path, text, encoding)
        raise DataError(f"invalid JSON on line {exc.lineno}, column {exc.colno}: {exc.msg}", file=path,
                        fix="repair the JSON, or save one object per line as .jsonl") from exc
    df = _records_from_json(obj, path)
    if df.empty:
        raise DataError("JSON holds no records", file=path, fix="check that the export finished writing")
    return Table(path.name, _with_row_ids(df), "json", encoding)


def read_jsonl(path: Path, text: str, encoding: str) -> Table:
    records, bad = [], []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            bad.append(lineno)
    if bad:
        shown = ", ".join(map(str, bad[:_SHOWN_LINES])) + (", ..." if len(bad) > _SHOWN_LINES else "")
        where = f"line {shown}" if len(bad) == 1 else f"{len(bad)} lines: {shown}"
        raise DataError(f"invalid JSON on {where}",
                        file=path, fix="repair or remove those lines (truncated write?)")
    if not all(isinstance(r, dict) for r in records):
        raise DataError("JSONL lines must each be an object", file=path, fix="write one {...} per line")
    return Table(path.name, _with_row_ids(pd.json_normalize(records, max_level=0)), "jsonl", encoding)


def read_parquet(path: Path) -> Table:
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a broken file
        raise DataError(f"not a readable Parquet file ({type(exc).__name__})", file=path,
                        fix="re-export it, or give a CSV") from exc
    if df.empty:
        raise DataError("Parquet file has no rows", file=path, fix="check that the export finished writing")
    return Table(path.name, _with_row_ids(df), "parquet")


def read_table(path: Path, encoding: str | None = None) -> Table:
    """Load one tabular file; raise DataError with a one-line reason when it cannot be read."""
    if not path.exists():
        raise DataError("no such file", file=path, fix="check the path")
    if path.is_dir():
        raise DataError("is a folder, not a table", file=path, fix="load it as a dataset folder")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise DataError(f"unsupported file type '{suffix or 'none'}'", file=path,
                        fix="give a CSV, TSV, JSON, JSONL or Parquet file")
    if suffix in {".parquet", ".pq"}:
        if path.stat().st_size == 0:
            raise DataError("empty file", file=path, fix="check that the export finished writing")
        return read_parquet(path)
    text, used = decode_bytes(path.read_bytes(), path, encoding)
    if suffix == ".json":
        return read_json(path, text, used)
    if suffix in {".jsonl", ".ndjson"}:
        return read_jsonl(path, text, used)
    return read_delimited(path, text, used)
