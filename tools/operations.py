"""Pure functions that compute what an operation would do to a table; nothing here writes."""

from __future__ import annotations

import difflib
import math

import pandas as pd

from tools.contracts import DropRows, Preview, PreviewRow, Scalar, SetValues, WriteFile
from tools.data.shards import Corpus

PREVIEW_ROWS = 5


def _scalar(value: object) -> Scalar:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def row_as_dict(df: pd.DataFrame, row_id: int) -> dict[str, Scalar]:
    return {str(k): _scalar(v) for k, v in df.loc[row_id].items()}


def drop_rows(df: pd.DataFrame, op: DropRows) -> pd.DataFrame:
    return df.drop(index=[r for r in op.row_ids if r in df.index])


def set_values(df: pd.DataFrame, op: SetValues) -> pd.DataFrame:
    updates = [u for u in op.updates if u.row_id in df.index]
    if not updates:
        return df
    out = df.copy()
    column = out[op.column].copy()
    ids = [u.row_id for u in updates]
    values = [u.value for u in updates]
    try:
        column.loc[ids] = values
    except (TypeError, ValueError):
        # The new values do not fit the column's dtype (text into a numeric column): widen it.
        column = column.astype(object)
        column.loc[ids] = values
    out[op.column] = column
    return out


def apply_to_table(df: pd.DataFrame, op: DropRows | SetValues) -> pd.DataFrame:
    return drop_rows(df, op) if isinstance(op, DropRows) else set_values(df, op)


def preview_table_change(df: pd.DataFrame, op: DropRows | SetValues, sample: int = PREVIEW_ROWS) -> Preview:
    ids = [r for r in op.affected_rows if r in df.index]
    after = apply_to_table(df.loc[ids[:sample]], op)
    rows = [
        PreviewRow(row_id=r, before=row_as_dict(df, r),
                   after=row_as_dict(after, r) if r in after.index else None)
        for r in ids[:sample]
    ]
    return Preview(rows_affected=len(ids), sample=rows)


def preview_corpus_change(corpus: Corpus, op: DropRows | SetValues, sample: int = PREVIEW_ROWS) -> Preview:
    """The preview of a change to a corpus: the first rows read from their shards, every row counted."""
    preview = preview_table_change(corpus.take(op.affected_rows[:sample]), op, sample)
    return preview.model_copy(update={"rows_affected": len(op.affected_rows)})


def preview_write_file(old: str | None, op: WriteFile) -> Preview:
    diff = "".join(difflib.unified_diff((old or "").splitlines(keepends=True),
                                        op.content.splitlines(keepends=True),
                                        fromfile=f"a/{op.path}", tofile=f"b/{op.path}"))
    return Preview(rows_affected=0, diff=diff)
