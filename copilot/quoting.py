"""Dataset content reaches a prompt only through here: quoted, truncated, and marked as data."""

from __future__ import annotations

import json
from typing import Any

from copilot.data.profile import DatasetProfile

MAX_CELL = 60
MAX_SAMPLES = 3


def quote(value: object, limit: int = MAX_CELL) -> str:
    """A JSON string literal of at most `limit` characters: never read as an instruction."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return json.dumps(text, ensure_ascii=False)


def data_block(payload: Any) -> str:
    """Wrap JSON data so the prompt can tell the model that everything inside is data, not instructions."""
    return "<data>\n" + json.dumps(payload, ensure_ascii=False, indent=1) + "\n</data>"


def profile_for_prompt(profile: DatasetProfile) -> str:
    """Schema and statistics, with sample values quoted and truncated."""
    tables = []
    for t in profile.tables:
        tables.append({
            "table": t.name, "rows": t.rows, "split": t.split,
            "label_candidates": t.label_candidates[:3], "text_candidates": t.text_candidates[:3],
            "id_candidates": t.id_candidates[:3],
            "columns": [{"name": c.name, "kind": c.kind, "missing": c.missing, "distinct": c.distinct,
                         "samples": [quote(s) for s in c.samples[:MAX_SAMPLES]]} for c in t.columns[:60]],
        })
    return data_block({"dataset": profile.name, "tables": tables, "documents": profile.documents[:20],
                       "unreadable_files": profile.problems[:10]})
