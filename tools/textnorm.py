"""Text normalization shared by the duplicate and contamination tools."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]+")


def normalize_text(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: what 'the same text' means for exact duplicates."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def normalize_loose(text: str) -> str:
    """`normalize_text` without punctuation: the form near-duplicate shingles are taken from."""
    return _SPACE.sub(" ", _NON_WORD.sub(" ", normalize_text(text))).strip()


_MISSING = "\x00"


def row_keys(df: pd.DataFrame) -> pd.Series:
    """One 64-bit key per row: equal keys mean equal rows after text normalization.

    Cells are compared as text (so lists from JSON compare by content); missing cells equal each other.
    """
    out = {}
    for col in df.columns:
        series = df[col]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            series = series.map(lambda v: normalize_text(v) if isinstance(v, str) else v)
        series = series.astype(object)
        out[col] = series.where(series.notna(), _MISSING).astype(str)
    return pd.util.hash_pandas_object(pd.DataFrame(out, index=df.index), index=False)
