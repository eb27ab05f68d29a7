"""Keys shared between the tables of a dataset: which column of one table refers to which key of another."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import BaseModel

from tools.data.docs import normalise_name
from tools.data.roles import index_like

if TYPE_CHECKING:
    from tools.data.profile import TableProfile
    from tools.data.tables import Table

_MIN_CONTAINMENT = 0.5  # below this the shared name is a coincidence, not a reference
_KEY_KINDS = {"id", "numeric", "categorical", "mixed"}
_SPLIT_WORDS = re.compile(r"(^|[_\-./])(train|training|valid|validation|val|dev|test|eval|holdout)($|[_\-./])", re.I)


class Relation(BaseModel):
    """`table.column` refers to `ref_table.ref_column`, a key there (unique per row)."""

    table: str
    column: str
    ref_table: str
    ref_column: str
    containment: float  # share of the distinct values of `column` found in `ref_column`
    missing: int  # distinct values of `column` absent from `ref_column`


def family(name: str) -> str:
    """The name split files share: train.csv, test.csv → '' ; a/train.csv → 'a'; patients.csv → 'patients'."""
    path = PurePosixPath(name)
    return _SPLIT_WORDS.sub("", f"{path.parent}/{path.stem}".lower()).strip("/_-.")


def _stem(name: str) -> str:
    stem = PurePosixPath(name).stem.lower()
    return stem[:-1] if stem.endswith("s") else stem


def key_text(value: object) -> str:
    """A key as text, the same whichever file holds it: 7.0 read from a column with gaps matches 7."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def key_texts(series: pd.Series) -> pd.Series:
    return series.dropna().map(key_text)


def _names_match(column: str, ref_table: str, ref_column: str) -> bool:
    """`customer_id` ↔ `customer_id`, or `customer_id` in orders ↔ `id` in customers.csv."""
    a, b = normalise_name(column), normalise_name(ref_column)
    if a == b:
        return True
    return b in ("id", "key", "code") and a in (f"{_stem(ref_table)}{b}", f"{_stem(ref_table)}s{b}")


def find_relations(tables: dict[str, Table], profiles: list[TableProfile]) -> list[Relation]:
    """References between tables of different families (splits of one table are compared elsewhere)."""
    by_name = {p.name: p for p in profiles}
    relations: list[Relation] = []
    for ref_name, ref_table in tables.items():
        ref_profile = by_name[ref_name]
        # Row numbers (R's rownames, a saved pandas index) are unique too, but refer to nothing.
        keys = [c for c in ref_profile.columns if c.kind in _KEY_KINDS and c.missing == 0
                and c.distinct == ref_profile.rows and ref_profile.rows >= 2 and not index_like(ref_table.df[c.name])]
        for key in keys:
            key_values: set[str] | None = None
            for name, table in tables.items():
                if name == ref_name or family(name) == family(ref_name):
                    continue
                for col in by_name[name].columns:
                    if col.kind not in _KEY_KINDS or not _names_match(col.name, ref_name, key.name) \
                            or index_like(table.df[col.name]):
                        continue
                    if key_values is None:
                        key_values = set(key_texts(ref_table.df[key.name]))
                    values = set(key_texts(table.df[col.name]))
                    if not values:
                        continue
                    found = len(values & key_values) / len(values)
                    if found >= _MIN_CONTAINMENT:
                        relations.append(Relation(table=name, column=col.name, ref_table=ref_name,
                                                  ref_column=key.name, containment=round(found, 4),
                                                  missing=len(values - key_values)))
    return relations
