"""The input files as written, for quoting evidence a reviewer can find with a text search.

Tools read DataFrames, where a value has lost its spelling ("187" became 187.0) and a row its line. This
module goes back to the files the dataset was read from (inputs are never modified, and a workspace
refuses to reopen on changed inputs) and gives their decoded text and the line each row's record starts on.
A binary table (Parquet) has no text: its CSV rendering stands in, the way a reviewer would look at it.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd

from tools.data.dataset import Dataset
from tools.data.decoding import decode_bytes
from tools.data.tables import delimited_records
from tools.errors import DataError

_TEXT_FORMATS = {"csv", "tsv", "json", "jsonl"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class SourceText:
    """Decoded text and record lines of a dataset's files, read once and kept."""

    def __init__(self, dataset: Dataset, root: Path | None) -> None:
        self.dataset = dataset
        self.root = root
        self._texts: dict[str, str | None] = {}
        self._records: dict[str, list[tuple[int, str]]] = {}

    def _path(self, name: str) -> Path | None:
        if self.root is None or not self.root.exists():
            return None
        path = self.root if self.root.is_file() else self.root / name
        return path if path.is_file() and (self.root.is_dir() or path.name == name) else None

    def text(self, name: str) -> str | None:
        """The file's text as a reviewer can search it; None when the dataset has no such file."""
        if name not in self._texts:
            self._texts[name] = self._read(name)
        return self._texts[name]

    def _read(self, name: str) -> str | None:
        if name in self.dataset.documents:
            return self.dataset.documents[name]
        table = self.dataset.tables.get(name)
        if table is not None and table.corpus is not None:
            return None  # shards too big to read whole: tools quote a corpus's rows themselves
        path = self._path(name)
        if table is not None and (table.format not in _TEXT_FORMATS or path is None):
            return table.df.to_csv(index=False)
        if path is None:
            return None
        try:  # a table as written, or a file that could not be read as one (its broken line is evidence)
            return decode_bytes(path.read_bytes(), path, table.encoding if table else None)[0]
        except (DataError, OSError, LookupError):
            return None

    def record(self, name: str, row: int) -> tuple[int, str] | None:
        """(line number, first line of the record as written) of a table's row, when the file has lines."""
        if name not in self._records:
            self._records[name] = self._record_lines(name)
        records = self._records[name]
        return records[row] if 0 <= row < len(records) else None

    def _record_lines(self, name: str) -> list[tuple[int, str]]:
        table = self.dataset.tables.get(name)
        text = self.text(name)
        if table is None or text is None:
            return []
        lines = _LINE_BREAK.split(text)  # the breaks csv counts lines by; str.splitlines knows more
        if table.format in ("csv", "tsv") and self._path(name) is not None:
            try:
                starts = [first for first, _last, _row in delimited_records(text, table.delimiter or ",")]
            except csv.Error:
                return []
            starts = starts[1 if table.has_header else 0:]
        elif table.format == "jsonl":
            starts = [i + 1 for i, line in enumerate(lines) if line.strip()]
        elif table.format not in _TEXT_FORMATS:  # the CSV rendering: a header line, then one line a row
            return [(i + 2, line) for i, line in enumerate(lines[1:])]
        else:
            return []  # a JSON document: records are not lines
        return [(n, lines[n - 1]) for n in starts if n - 1 < len(lines)]


def cell_as_written(value: object) -> str | None:
    """How a cell most likely reads in its file: integers without '.0', JSON values as JSON."""
    if value is None or (not isinstance(value, list | dict) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)
