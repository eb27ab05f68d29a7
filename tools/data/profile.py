"""Profile a dataset: schema, types, missing and distinct counts, and column-role candidates."""

from __future__ import annotations

import re
from typing import Literal

import pandas as pd
from pydantic import BaseModel

from tools.data.dataset import Dataset
from tools.data.docs import Documentation, read_documentation
from tools.data.relations import Relation, find_relations
from tools.data.roles import CONFIDENT, ColumnRole, infer_roles
from tools.data.tables import Table

ColumnKind = Literal["empty", "constant", "boolean", "numeric", "datetime", "categorical", "text", "id", "mixed"]

_TEXT_NAMES = re.compile(r"(text|sentence|review|comment|content|body|question|prompt|document|"
                         r"description|title|abstract|message|tweet|utterance|code|passage)", re.I)
_ID_NAMES = re.compile(r"(^id$|_id$|^id_|uuid|guid|^index$|^key$)", re.IGNORECASE)
_SPLIT_NAMES = {"train": "train", "training": "train", "valid": "valid", "validation": "valid",
                "val": "valid", "dev": "valid", "test": "test", "eval": "test", "holdout": "test"}
_SAMPLES = 5
_SAMPLE_CHARS = 80


class ColumnProfile(BaseModel):
    name: str
    dtype: str
    kind: ColumnKind
    missing: int
    distinct: int
    samples: list[str]
    mean_length: float | None = None
    non_numeric_share: float | None = None


class TableProfile(BaseModel):
    name: str
    rows: int
    columns: list[ColumnProfile]
    label_candidates: list[str]  # most credible first; only `likely_label` is trusted without asking
    text_candidates: list[str]
    id_candidates: list[str]
    split: str | None = None
    roles: list[ColumnRole] = []
    sampled_from: int | None = None  # rows of the whole table when `rows` counts a sample (--sample)

    @property
    def all_rows(self) -> int:
        """Rows of the whole table, sampled or not: what a documented row count is compared with."""
        return self.sampled_from or self.rows

    def column(self, name: str) -> ColumnProfile:
        return next(c for c in self.columns if c.name == name)

    def role(self, name: str) -> ColumnRole | None:
        return next((r for r in self.roles if r.column == name), None)

    def columns_with(self, role: str) -> list[str]:
        return [r.column for r in self.roles if r.role == role]

    @property
    def likely_label(self) -> str | None:
        """The target when the documentation, the name or the layout make it credible; None for a mere guess."""
        target = next((r for r in self.roles if r.role == "target"), None)
        return target.column if target and target.confidence >= CONFIDENT else None


class DatasetProfile(BaseModel):
    name: str
    tables: list[TableProfile]
    documents: list[str]
    problems: list[str]
    docs: Documentation = Documentation()
    relations: list[Relation] = []

    def table(self, name: str) -> TableProfile:
        return next(t for t in self.tables if t.name == name)

    @property
    def splits(self) -> dict[str, str]:
        """Split name -> table name, for tables whose file name says which split they are."""
        return {t.split: t.name for t in self.tables if t.split}


def _quote(value: object) -> str:
    text = str(value)
    return text if len(text) <= _SAMPLE_CHARS else text[: _SAMPLE_CHARS - 1] + "…"


def _numeric_share(values: pd.Series) -> float:
    converted = pd.to_numeric(values.astype(str).str.strip(), errors="coerce")
    return float(converted.notna().mean()) if len(values) else 0.0


def _distinct(present: pd.Series) -> int:
    try:
        return int(present.nunique())
    except TypeError:  # unhashable cells (lists, dicts from JSON): compare their text
        return int(present.astype(str).nunique())


def _column_kind(present: pd.Series, series: pd.Series, name: str, rows: int,
                 distinct: int) -> tuple[ColumnKind, float | None, float | None]:
    if present.empty:
        return "empty", None, None
    if distinct == 1:
        return "constant", None, None
    if pd.api.types.is_bool_dtype(series) or (distinct == 2 and set(present.astype(str).str.lower())
                                              <= {"true", "false", "yes", "no", "0", "1", "y", "n"}):
        return "boolean", None, None
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime", None, None
    if pd.api.types.is_numeric_dtype(series):
        is_int = pd.api.types.is_integer_dtype(series)
        if is_int and distinct == rows and _ID_NAMES.search(name):
            return "id", None, None
        return "numeric", None, None
    as_text = present.astype(str)
    mean_len = float(as_text.str.len().mean())
    share = _numeric_share(present)
    non_numeric = 1.0 - share
    # Mostly numbers with a few words: a numeric column with stray entries ("?", "n/a", "12kg").
    if 0.5 <= share < 1.0:
        return "mixed", mean_len, non_numeric
    if distinct == len(present) and (_ID_NAMES.search(name) or (mean_len < 40 and " " not in
                                                                 "".join(as_text.head(50)))):
        return "id", mean_len, non_numeric
    # Long values are free text unless a few of them repeat over many rows: then they are long class names.
    if (mean_len >= 30 or as_text.str.count(" ").mean() >= 4) and distinct >= min(20, len(present) / 2):
        return "text", mean_len, non_numeric
    return "categorical", mean_len, non_numeric


def profile_table(table: Table, docs: Documentation | None = None) -> TableProfile:
    df = table.df
    rows = len(df)
    columns: list[ColumnProfile] = []
    for name in df.columns:
        series = df[name]
        present = series.dropna()
        distinct = _distinct(present)
        kind, mean_len, non_numeric = _column_kind(present, series, str(name), rows, distinct)
        # Samples from the head only: converting a whole column to text is the slow part of profiling.
        samples = [_quote(v) for v in present.head(_SAMPLES * 40).astype(str).drop_duplicates().head(_SAMPLES)]
        columns.append(ColumnProfile(
            name=str(name), dtype=str(series.dtype), kind=kind, missing=int(series.isna().sum()),
            distinct=distinct, samples=samples, mean_length=mean_len, non_numeric_share=non_numeric))
    text = sorted((c for c in columns if c.kind == "text"),
                  key=lambda c: (not _TEXT_NAMES.search(c.name), -(c.mean_length or 0)))
    roles, targets = infer_roles(df, {c.name: c.kind for c in columns}, docs or Documentation())
    stem = re.split(r"[./\\]", table.name.lower())
    split = next((_SPLIT_NAMES[p] for part in stem for p in re.split(r"[_\-\s]", part) if p in _SPLIT_NAMES),
                 None)
    return TableProfile(
        name=table.name, rows=rows, columns=columns,
        label_candidates=targets,
        text_candidates=[c.name for c in text],
        id_candidates=[r.column for r in roles if r.role == "id"],
        split=split, roles=roles, sampled_from=table.sampled_from)


def profile_dataset(dataset: Dataset) -> DatasetProfile:
    """Documentation first: what it says about targets, splits and columns decides the roles."""
    docs = read_documentation(dataset.documents, [c for t in dataset.tables.values() for c in t.columns])
    tables = [profile_table(t, docs) for t in dataset.tables.values()]
    return DatasetProfile(
        name=dataset.name, tables=tables, documents=sorted(dataset.documents),
        problems=[f"{p.file}: {p.message}" for p in dataset.problems], docs=docs,
        relations=find_relations(dataset.tables, tables))
