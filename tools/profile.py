"""profile: schema and statistics, with findings for empty, constant and mixed-type columns."""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel, Field

from tools.base import Tool, ToolContext, register
from tools.contracts import Artifact, Finding, ToolResult
from tools.data.profile import ColumnProfile, TableProfile

_MIXED_EXAMPLES = 3


class ProfileArgs(BaseModel):
    table: str | None = Field(default=None, description="table to profile; all tables when omitted")


def _column_findings(table: TableProfile, col: ColumnProfile, ctx: ToolContext) -> list[Finding]:
    common = {"tool": "profile", "file": table.name, "columns": [col.name]}
    if col.kind == "empty":
        return [Finding(**common, type="missing_values", severity="medium",
                        issue=f"column '{col.name}' is empty",
                        evidence=[col.name, f"{col.missing} of {table.rows} values missing"],
                        description="An empty column carries no information; drop it or find why "
                                    "the values were lost.", score=1.0)]
    if col.kind == "mixed":
        df = ctx.dataset.table(table.name).df
        values = df[col.name].dropna().astype(str)
        odd = values[pd.to_numeric(values.str.strip(), errors="coerce").isna()]
        examples = list(dict.fromkeys(odd.tolist()))[:_MIXED_EXAMPLES]
        return [Finding(**common, type="inconsistent_format", severity="medium",
                        issue=f"column '{col.name}' mixes numbers and text",
                        evidence=[col.name, *examples],
                        rows=[int(r) for r in odd.index[:20]],
                        description=f"{len(odd)} of {len(values)} values are not numbers (e.g. "
                                    f"{', '.join(repr(e) for e in examples)}), so the column loads as "
                                    "text and numeric checks skip it.",
                        score=round(1 - (col.non_numeric_share or 0), 3))]
    return []


def _constant_columns(table: TableProfile) -> list[Finding]:
    """Every constant column of a table in one finding (64 blank pixels are one fact, not 64)."""
    constant = [c for c in table.columns if c.kind == "constant"]
    if not constant:
        return []
    names = ", ".join(c.name for c in constant[:8]) + (" …" if len(constant) > 8 else "")
    return [Finding(tool="profile", type="other", severity="low", file=table.name, columns=[c.name for c in constant],
                    issue=(f"column '{constant[0].name}' is constant" if len(constant) == 1
                           else f"{len(constant)} columns are constant: {names}"),
                    evidence=[*(f"{c.name}: every value is {c.samples[0]!r}" for c in constant[:4])],
                    description="A constant column cannot inform a model and often hides an export default or a "
                                "filtered dataset.", score=1.0)]


TOO_FEW_ROWS = 10  # below this, rates, distributions and model-based checks say nothing


def _too_small(table: TableProfile) -> list[Finding]:
    """A table too small for statistics: said once, so silence from the checks is not read as a clean bill."""
    if table.rows >= TOO_FEW_ROWS:
        return []
    rows = f"{table.rows} data row{'s' if table.rows != 1 else ''}"
    return [Finding(tool="profile", type="other", severity="medium", file=table.name,
                    issue=f"only {rows} in {table.name}: too few for statistics",
                    evidence=[f"{table.name}: {rows} × {len(table.columns)} columns"],
                    description=f"Statistics and checks on it are not meaningful: with fewer than {TOO_FEW_ROWS} "
                                "rows, missing-value rates, distributions, "
                                "duplicates and label checks describe a handful of examples, not a dataset; "
                                "check that the file is complete (a truncated export or the wrong file).",
                    score=1.0)]


@register
class ProfileTool(Tool):
    name = "profile"
    description = ("Profile the dataset: rows, columns, types, missing and distinct counts, sample "
                   "values, and candidate label, text and id columns. Reports empty columns, constant "
                   "columns and columns that mix numbers with text. Read-only; proposes no change.")
    Args = ProfileArgs

    def run(self, ctx: ToolContext, args: ProfileArgs) -> ToolResult:
        findings: list[Finding] = []
        artifacts: list[Artifact] = []
        wanted = {t.name for t in ctx.tables(args.table)}
        tables = [t for t in ctx.profile.tables if t.name in wanted]
        for i, table in enumerate(tables):
            for col in table.columns:
                findings.extend(_column_findings(table, col, ctx))
            # In a handful of rows every column may look constant: the table's size is the one finding then.
            findings.extend(_too_small(table) or _constant_columns(table))
            artifacts.append(Artifact(name=f"schema of {table.name}", kind="table", content=[
                {"column": c.name, "type": c.kind, "role": (r := table.role(c.name)).role if table.role(c.name) else "",
                 "why": r.reason if r else "", "dtype": c.dtype, "missing": c.missing,
                 "distinct": c.distinct, "samples": ", ".join(c.samples[:3])} for c in table.columns]))
            ctx.progress((i + 1) / len(tables))
        shape = "; ".join(f"{t.name}: {t.rows:,} rows × {len(t.columns)} columns"
                          + (f" (a sample of {t.sampled_from:,})" if t.sampled_from else "") for t in tables)
        shown = ("target", "id", "entity", "time", "text")
        roles = "; ".join(f"{t.name}: " + (", ".join(f"{r.role} {r.column} ({r.reason})" for r in t.roles
                                                     if r.role in shown) or "all features") for t in tables)
        read = [f"{t.name}: {note}" for t in tables for note in ctx.dataset.table(t.name).notes]
        summary = f"{shape}. Likely roles: {roles}." + (f" Read as: {'; '.join(read)}." if read else "")
        return ToolResult(tool=self.name, summary=summary, findings=findings, artifacts=artifacts)
