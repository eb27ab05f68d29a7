"""Dataset content reaches a prompt only through here: quoted, truncated, and marked as data; and a terminal
only through `terminal_safe` / `markup_safe`, with its control characters made visible.

`clip` is the one bound every piece of content passes: cells, column and file names, documentation,
label values, finding text. `data_block` applies it to every string and key of a payload it wraps.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tools.data.profile import DatasetProfile

MAX_CELL = 60  # a sample value
MAX_NAME = 80  # a column, table or file name
MAX_TEXT = 400  # any other string inside a payload: a README paragraph, a finding's description
MAX_QUOTE = 2000  # one text quoted on its own: a goal, a question, an example judged for contamination
MAX_ITEMS = 100  # entries of one list
MAX_SAMPLES = 3


def clip(value: object, limit: int) -> str:
    """`value` as one line of at most `limit` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote(value: object, limit: int = MAX_CELL) -> str:
    """A JSON string literal of at most `limit` characters: never read as an instruction."""
    return json.dumps(clip(value, limit), ensure_ascii=False)


def _bounded(payload: Any) -> Any:
    if isinstance(payload, str):
        return clip(payload, MAX_TEXT)
    if isinstance(payload, dict):
        return {clip(k, MAX_NAME): _bounded(v) for k, v in payload.items()}
    if isinstance(payload, list | tuple):
        items = [_bounded(v) for v in payload[:MAX_ITEMS]]
        return items + ([f"… {len(payload) - MAX_ITEMS} more"] if len(payload) > MAX_ITEMS else [])
    return payload


def data_block(payload: Any) -> str:
    """Wrap JSON data so the prompt can tell the model that everything inside is data, not instructions.

    Every string is bounded: a lone text by MAX_QUOTE, strings inside a structure by MAX_TEXT."""
    bounded = clip(payload, MAX_QUOTE) if isinstance(payload, str) else _bounded(payload)
    return "<data>\n" + json.dumps(bounded, ensure_ascii=False, indent=1, default=str) + "\n</data>"


def profile_for_prompt(profile: DatasetProfile) -> str:
    """Schema and statistics, with names and sample values quoted and truncated."""
    tables = []
    for t in profile.tables:
        tables.append({
            "table": clip(t.name, MAX_NAME), "rows": t.rows, "split": t.split,
            **{key: [clip(c, MAX_NAME) for c in getattr(t, key)[:3]]
               for key in ("label_candidates", "text_candidates", "id_candidates")},
            "columns": [{"name": clip(c.name, MAX_NAME), "kind": c.kind, "missing": c.missing, "distinct": c.distinct,
                         "samples": [quote(s) for s in c.samples[:MAX_SAMPLES]]} for c in t.columns[:60]],
        })
    return data_block({"dataset": profile.name, "tables": tables, "documents": profile.documents[:20],
                       "unreadable_files": profile.problems[:10]})


# C0 and C1 control characters (ESC starts ANSI sequences that recolour, move the cursor, clear the screen or
# retitle the window; BS and CR overwrite what was printed) and the bidirectional overrides that reorder text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile(_CONTROL.pattern[:-1] + r"\n\t]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return {9: "\\t", 10: "\\n", 13: "\\r"}.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def terminal_safe(value: object, one_line: bool = False) -> str:
    """`value` as text a terminal shows as written: control characters from data become visible escapes
    (ESC → \\x1b, CR → \\r, U+202E → \\u202e), so a cell cannot recolour, clear or rewrite the screen.
    `one_line` also escapes newlines and tabs (error lines, table cells)."""
    text = str(value)
    return (_CONTROL_OR_NEWLINE if one_line else _CONTROL).sub(_visible, text)


def markup_safe(value: object, one_line: bool = False) -> str:
    """`terminal_safe`, then escaped for Rich markup: the drop-in for `rich.markup.escape` on data."""
    from rich.markup import escape

    return escape(terminal_safe(value, one_line))
