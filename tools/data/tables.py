"""Read one tabular file into a DataFrame whose index is a stable row id."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tools.data.decoding import decode_bytes
from tools.errors import DataError

if TYPE_CHECKING:
    from tools.data.shards import Corpus

ROW_ID = "row_id"
TABLE_SUFFIXES = {".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson", ".parquet", ".pq"}
_DELIMITERS = [",", "\t", ";", "|"]
_SHOWN_LINES = 3
_COMPRESSED = "decompress it first (gunzip, unzip, ...) and give the table inside"
_UNSUPPORTED_FIX = {".gz": _COMPRESSED, ".zip": _COMPRESSED, ".bz2": _COMPRESSED, ".xz": _COMPRESSED,
                    ".zst": _COMPRESSED, ".7z": _COMPRESSED, ".tgz": _COMPRESSED, ".tar": _COMPRESSED,
                    ".xlsx": "export the sheet as CSV", ".xls": "export the sheet as CSV",
                    ".ods": "export the sheet as CSV"}


@dataclass
class HeaderRepair:
    """A header with repeated or empty names, kept with the names made unique (`name`, `name.1`, `unnamed_3`)."""

    line: str  # the header line as written in the file
    repeated: list[str]  # each name that occurs more than once, as written
    empty: list[int]  # 0-based positions of empty names
    names: list[str]  # the names the table got
    renamed: list[int]  # positions whose name differs from the written one

    def describe(self) -> str:
        parts = []
        if self.repeated:
            parts.append(f"repeated name{'s' if len(self.repeated) > 1 else ''} "
                         + ", ".join(repr(n) for n in self.repeated))
        if self.empty:
            parts.append(f"{len(self.empty)} empty name{'s' if len(self.empty) > 1 else ''} (column"
                         f"{'s' if len(self.empty) > 1 else ''} {', '.join(str(i + 1) for i in self.empty)})")
        return " and ".join(parts)


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
    header: HeaderRepair | None = None  # set when the header's names had to be repaired
    sampled_from: int | None = None  # rows of the whole table, when this holds a sample of them
    corpus: Corpus | None = None  # the shards a sample was drawn from, when the table is too big to load

    @property
    def is_corpus(self) -> bool:
        return self.corpus is not None

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
    """A first row is data, not a header, when it is numeric wherever the body is numeric, or when its
    repeated values (a header's names are usually unique) are values of the body's columns too."""
    if len(rows) < 2:
        return True
    first, body = rows[0], rows[1:]
    named = [c.strip() for c in first if c.strip()]
    if len(set(named)) < len(named):
        in_body = sum(1 for i, cell in enumerate(first)
                      if cell.strip() and any(i < len(r) and r[i] == cell for r in body))
        if in_body >= len(named) / 2:  # "yes,yes,no" over rows of yes/no: data, not names
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


class MalformedRecord(csv.Error):
    """csv's error, with the line it was reading."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line


def delimited_records(text: str, delimiter: str) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of each record, as every reader of a delimited file must count them:
    a row of delimiters only (",,") is a row of missing values; only a blank line is no row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)  # keeps quoted line breaks
    end = 0
    try:
        for row in reader:
            if row and (len(row) > 1 or row[0].strip()):
                yield end + 1, reader.line_num, row
            end = reader.line_num
    except csv.Error as exc:
        raise MalformedRecord(reader.line_num, str(exc)) from exc


def read_delimited(path: Path, text: str, encoding: str) -> Table:
    delimiter = _sniff_delimiter(text[:65536], path.suffix.lower())
    try:
        records = [(last, row) for _first, last, row in delimited_records(text, delimiter)]
    except MalformedRecord as exc:
        raise DataError(f"malformed CSV near line {exc.line}: {exc}", file=path,
                        fix="check for an unclosed quote") from exc
    if not records or not any(cell.strip() for _, row in records for cell in row):
        raise DataError("empty file", file=path, fix="check that the export finished writing")
    _check_ragged(records, path)
    has_header = _has_header([r for _, r in records[:200]])
    if has_header and len(records) == 1:
        raise DataError("header but no data rows", file=path, fix="check that the export finished writing")
    try:
        df = pd.read_csv(io.StringIO(text), sep=delimiter, header=0 if has_header else None,
                         skip_blank_lines=True)
    except (pd.errors.ParserError, ValueError) as exc:  # an unclosed quote reaching the end of the file, ...
        said = " ".join(str(exc).split()).removeprefix("Error tokenizing data. C error: ")
        raise DataError(f"malformed CSV: {said}", file=path, fix="check for an unclosed quote") from exc
    repair = None
    if not has_header:
        df.columns = [f"column_{i}" for i in range(len(df.columns))]
    elif len(records[0][1]) == len(df.columns):
        names, repair = unique_names(records[0][1])
        df.columns = names
        if repair is not None and repair.empty == [0] and not repair.repeated and df.iloc[:, 0].is_unique:
            repair = None  # the row names R's write.csv and pandas' to_csv write under an empty name: an index
        if repair is not None:
            repair.line = _header_line(text)
    notes: list[str] = []
    df = read_decimal_commas(df, delimiter, notes)
    table = Table(path.name, _with_row_ids(df), "csv" if delimiter != "\t" else "tsv", encoding,
                  delimiter, has_header, notes=notes, header=repair)
    if repair is not None:
        table.notes.append(f"the header has {repair.describe()}; the columns were named "
                           + ", ".join(repair.names[i] for i in repair.renamed))
    return table


def unique_names(raw: list[str]) -> tuple[list[str], HeaderRepair | None]:
    """Column names as written, with repeats made unique (`name`, `name.1`) and empty ones named by their
    position (`unnamed_3`, 0-based like pandas' "Unnamed: 3"); the repair when any name had to change."""
    written = [str(c) if str(c).strip() else "" for c in raw]  # names keep their spaces, as pandas keeps them
    taken = {n for n in written if n}
    seen: dict[str, int] = {}
    names: list[str] = []
    empty: list[int] = []
    for i, name in enumerate(written):
        if not name:
            empty.append(i)
            new = f"unnamed_{i}"
        elif name in seen:
            new = name
            while new in taken or new in names:
                seen[name] += 1
                new = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
            new = name
        taken.add(new)
        names.append(new)
    counts = {n: written.count(n) for n in written if n}
    repeated = [n for n in dict.fromkeys(written) if n and counts[n] > 1]
    if not repeated and not empty:
        return names, None
    renamed = [i for i, (old, new) in enumerate(zip(written, names, strict=True)) if old != new]
    return names, HeaderRepair(line="", repeated=repeated, empty=empty, names=names, renamed=renamed)


def _header_line(text: str) -> str:
    """The first non-blank line of the file, as written (a header spread over lines by quotes is cut)."""
    return next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")


def _records_from_json(obj: object, path: Path) -> pd.DataFrame:
    if isinstance(obj, list):
        if obj and all(isinstance(x, dict) for x in obj):
            return pd.json_normalize(obj, max_level=0)
        if any(isinstance(x, dict) for x in obj):
            raise DataError("JSON array mixes objects with other values", file=path,
                            fix="give a list of objects (one per record)")
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
    if df.empty or not len(df.columns):
        raise DataError("JSON holds no records", file=path, fix="check that the export finished writing")
    notes: list[str] = []
    return Table(path.name, _with_row_ids(flatten_nested(df, notes)), "json", encoding, notes=notes)


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
    df = pd.json_normalize(records, max_level=0)
    if not len(df.columns):
        raise DataError("JSONL holds only empty objects", file=path, fix="check that the export finished writing")
    notes: list[str] = []
    return Table(path.name, _with_row_ids(flatten_nested(df, notes)), "jsonl", encoding, notes=notes)


def read_parquet(path: Path) -> Table:
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a broken file
        raise DataError(f"not a readable Parquet file ({type(exc).__name__})", file=path,
                        fix="re-export it, or give a CSV") from exc
    if df.empty:
        raise DataError("Parquet file has no rows", file=path, fix="check that the export finished writing")
    notes: list[str] = []
    return Table(path.name, _with_row_ids(flatten_nested(df, notes)), "parquet", notes=notes)


_MAX_DEPTH = 5


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple | set | np.ndarray)


def _as_json(value: object) -> object:
    if not _is_list(value) and not isinstance(value, dict):
        return value
    return json.dumps(value.tolist() if isinstance(value, np.ndarray) else
                      sorted(value, key=str) if isinstance(value, set) else value,
                      ensure_ascii=False, default=lambda v: v.tolist() if isinstance(v, np.ndarray) else str(v))


_DECIMAL_COMMA = re.compile(r"^[-+]?(?:\d{1,3}(?:[.\u00a0 ]\d{3})+|\d+)(?:,(\d+))?$")


def read_decimal_commas(df: pd.DataFrame, delimiter: str, notes: list[str]) -> pd.DataFrame:
    """Text columns of numbers written with a decimal comma ("29,0", "1.234,5") become numbers.

    Only when every value is such a number and at least one has a decimal part; with a comma delimiter a
    part of exactly three digits ("1,234") may be an English thousands separator, so it alone does not count."""
    for col in df.columns:
        if not (df[col].dtype == object or pd.api.types.is_string_dtype(df[col])):
            continue
        values = df[col].dropna().astype(str).str.strip()
        if len(values) < 3:
            continue
        parts = values.str.extract(_DECIMAL_COMMA)
        matched = values.str.match(_DECIMAL_COMMA)
        decimals = parts[0].dropna()
        if not matched.all() or decimals.empty:
            continue
        if delimiter == "," and (decimals.str.len() == 3).all():
            continue
        plain = values.str.replace(r"[.\u00a0 ](?=\d{3}(?:\D|$))", "", regex=True).str.replace(",", ".", regex=False)
        df[col] = pd.to_numeric(plain.reindex(df.index), errors="coerce")
        notes.append(f"column {col} writes decimals with a comma ({values[decimals.index[0]]!r}): read as numbers")
    return df


def flatten_nested(df: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Cells every check can compare: objects (JSON objects, Parquet structs) become dotted columns (`user.name`,
    `user.geo.lat`), lists and arrays their JSON text. Each change is said in `notes`."""
    for _ in range(_MAX_DEPTH):
        objects = [c for c in df.columns if df[c].dtype == object and df[c].map(lambda v: isinstance(v, dict)).any()]
        if not objects:
            break
        for col in objects:
            cells = df[col]
            is_dict = cells.map(lambda v: isinstance(v, dict))
            inner = pd.json_normalize([v if isinstance(v, dict) else {} for v in cells], max_level=0)
            if not len(inner.columns):
                df = df.assign(**{col: cells.where(~is_dict, None)})
                continue
            inner.index = df.index
            inner.columns = [f"{col}.{k}" for k in inner.columns]
            inner = inner.drop(columns=[c for c in inner.columns if c in df.columns])
            at = list(df.columns).index(col)
            rest = cells.where(~is_dict, None)
            keep_rest = bool(rest.notna().any())  # values that were not objects stay under the column's name
            parts = [df.iloc[:, :at], *([rest.to_frame(col)] if keep_rest else []), inner, df.iloc[:, at + 1:]]
            df = pd.concat(parts, axis=1)
            notes.append(f"column {col} holds objects: read as {len(inner.columns)} columns "
                         f"({', '.join(list(inner.columns)[:4])}{' …' if len(inner.columns) > 4 else ''})")
    lists = [c for c in df.columns if df[c].dtype == object and df[c].map(lambda v: _is_list(v) or
                                                                          isinstance(v, dict)).any()]
    for col in lists:
        df[col] = df[col].map(_as_json)
        notes.append(f"column {col} holds lists: compared as their JSON text")
    return df


def read_table(path: Path, encoding: str | None = None) -> Table:
    """Load one tabular file; raise DataError with a one-line reason when it cannot be read."""
    if not path.exists():
        raise DataError("no such file", file=path, fix="check the path")
    if path.is_dir():
        raise DataError("is a folder, not a table", file=path, fix="load it as a dataset folder")
    if not path.is_file():
        raise DataError("not a regular file (a pipe, socket or device)", file=path,
                        fix="give a CSV, TSV, JSON, JSONL or Parquet file")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise DataError(f"unsupported file type '{suffix or 'none'}'", file=path, fix=_UNSUPPORTED_FIX.get(
            suffix, "give a CSV, TSV, JSON, JSONL or Parquet file"))
    try:
        if suffix in {".parquet", ".pq"}:
            if path.stat().st_size == 0:
                raise DataError("empty file", file=path, fix="check that the export finished writing")
            return read_parquet(path)
        data = path.read_bytes()
    except OSError as exc:  # permission denied, a file removed or a disk error while reading
        raise DataError(f"cannot read: {exc.strerror or type(exc).__name__}", file=path,
                        fix="check the file's permissions") from exc
    text, used = decode_bytes(data, path, encoding)
    if suffix == ".json":
        return read_json(path, text, used)
    if suffix in {".jsonl", ".ndjson"}:
        return read_jsonl(path, text, used)
    return read_delimited(path, text, used)
