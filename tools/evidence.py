"""How findings name rows for people: by the dataset's own key or name, beside the internal row id."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from tools.contracts import Finding
from tools.data.profile import TableProfile
from tools.data.roles import index_like
from tools.data.source_text import cell_as_written
from tools.quoting import clip

if TYPE_CHECKING:
    from tools.base import ToolContext

_NAME_COLUMNS = re.compile(r"(^|[_\s.])(name|title|entity|company|organi[sz]ation|school|hospital|player|country|"
                           r"city|product|item|person|patient|customer|author|subject|county|state|station)s?($|[_\s.])",
                           re.IGNORECASE)
QUOTE_CHARS = 140


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """A cell as written, on one line, cut at `limit` characters."""
    return clip(value, limit)


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


# ---- evidence that locates: every finding quotes something a text search finds in its file ----------------

_LABEL = re.compile(r"^[^\n]{1,160}?: ")  # 'row 12 (name=X): ', 'README.md: ', 'line 4: '
_MIN_QUOTE = 6  # shorter strings ('6', 'yes') occur everywhere and locate nothing
_ROWS_QUOTED = 2
_LINE_CHARS = 200


def searchable(text: str) -> str:
    """Text with whitespace runs as single spaces: quotes are kept on one line."""
    return " ".join(text.split())


def _quoted_parts(item: str) -> list[str]:
    """The item itself, and what follows its label, without quote marks or a cut mark."""
    label = _LABEL.match(item)
    parts = [item, item[label.end():]] if label else [item]
    out = []
    for part in parts:
        part = part.strip().removesuffix("…").rstrip()
        if len(part) > 1 and part.startswith('"'):
            part = part[1:].removesuffix('"')
        out.append(searchable(part))
    return out


def verbatim_in(item: str, text: str) -> bool:
    """Whether the evidence item (after its label) occurs as written in `text` (already `searchable`)."""
    return any(len(part) >= _MIN_QUOTE and part in text for part in _quoted_parts(item))


def _line_quote(number: int, line: str) -> str:
    return f"line {number}: {quote(line, _LINE_CHARS)}"


def _row_quotes(finding: Finding, ctx: ToolContext, text: str) -> list[str]:
    quotes = []
    table = ctx.dataset.tables.get(finding.file or "")
    for row in finding.rows[:_ROWS_QUOTED]:
        record = ctx.source.record(finding.file or "", row)
        if record is not None and verbatim_in(record[1], text):
            quotes.append(_line_quote(*record))
        elif table is not None and row in table.df.index:  # no lines (a JSON array): a cell as written
            columns = [*finding.columns, *table.columns]
            cells = ((c, cell_as_written(table.df.at[row, c])) for c in dict.fromkeys(columns) if c in table.df)
            found = next(((c, v) for c, v in cells if v and verbatim_in(v, text)), None)
            if found:
                quotes.append(f"row {row}, {found[0]}: {quote(found[1], _LINE_CHARS)}")
    return quotes


def _column_quotes(finding: Finding, raw: str) -> list[str]:
    """The first line that names the finding's column: a CSV header, a JSON key, a card's column entry."""
    for column in finding.columns[:1]:
        at = raw.find(column)
        if at >= 0:
            start = raw.rfind("\n", 0, at) + 1
            end = raw.find("\n", at)
            return [_line_quote(raw.count("\n", 0, at) + 1, raw[start:end if end >= 0 else None])]
    return []


def _named_line_quotes(finding: Finding, raw: str) -> list[str]:
    """The lines a finding names ('line 42 has 10 fields'), as written; else the file's first line."""
    lines = raw.splitlines()
    said = " ".join([finding.issue, *finding.evidence, finding.description])
    named = [int(n) for n in re.findall(r"\bline (\d+)\b", said) if 0 < int(n) <= len(lines)]
    return [_line_quote(n, lines[n - 1]) for n in dict.fromkeys(named or [1]) if lines][:_ROWS_QUOTED]


def locate(findings: list[Finding], ctx: ToolContext) -> None:
    """Give each finding that quotes nothing findable in its file a quote that is: the lines of its first
    rows as written, else the line naming its column, else the line it names (or the file's first line).
    Added after the tool's headline evidence."""
    for finding in findings:
        raw = ctx.source.text(finding.file) if finding.file else None
        if raw is None:
            continue
        text = searchable(raw)
        if any(verbatim_in(item, text) for item in finding.evidence):
            continue
        quotes = (_row_quotes(finding, ctx, text) or _column_quotes(finding, raw)
                  or _named_line_quotes(finding, raw))
        finding.evidence = [*finding.evidence[:1], *quotes, *finding.evidence[1:]]
