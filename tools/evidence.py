"""How findings name rows for people: by the dataset's own key or name, beside the internal row id."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from copilot.data.profile import TableProfile
from copilot.data.roles import index_like

_NAME_COLUMNS = re.compile(r"(^|[_\s.])(name|title|entity|company|organi[sz]ation|school|hospital|player|country|"
                           r"city|product|item|person|patient|customer|author|subject|county|state|station)s?($|[_\s.])",
                           re.IGNORECASE)
QUOTE_CHARS = 140


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """A cell as written, on one line, cut at `limit` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def key_column(df: pd.DataFrame, profile: TableProfile) -> str | None:
    """The column people use to name a row: a real id (not a row number), else a name or title column."""
    for column in profile.columns_with("id"):
        if not index_like(df[column]):
            return column
    names = [c.name for c in profile.columns if c.kind in ("categorical", "text", "id") and _NAME_COLUMNS.search(c.name)
             and c.distinct > profile.rows / 2]
    return names[0] if names else None


def row_namer(df: pd.DataFrame, profile: TableProfile) -> Callable[[int], str]:
    """A function naming rows as 'row 41 (name=University of New Mexico …)': the internal id and the dataset's
    own key for it. The key column is found once per table, not once per quoted row."""
    key = key_column(df, profile)

    def name(row: int) -> str:
        if key is None or pd.isna(df.at[row, key]):
            return f"row {row}"
        return f"row {row} ({key}={quote(df.at[row, key], 80)})"

    return name


def row_fields(df: pd.DataFrame, row: int, limit: int = QUOTE_CHARS) -> str:
    """The row's present values as `column=value`, for rows without a text column to quote."""
    values = df.loc[row]
    return quote(", ".join(f"{k}={v}" for k, v in values.items() if not pd.isna(v)), limit)
