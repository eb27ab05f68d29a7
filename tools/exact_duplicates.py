"""exact_duplicates: rows repeated exactly; proposes dropping all but the first of each group."""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel, Field

from tools.base import Tool, ToolContext, register
from tools.contracts import DropRows, Finding, ProposedChange, ToolResult
from tools.operations import preview_table_change

_GROUPS_SHOWN = 10
_EVIDENCE_CHARS = 120


class ExactDuplicatesArgs(BaseModel):
    table: str | None = Field(default=None, description="table to check; all tables when omitted")
    columns: list[str] | None = Field(default=None,
                                      description="compare only these columns; all columns when omitted")


def _quote_row(row: pd.Series) -> str:
    text = ", ".join(f"{k}={v}" for k, v in row.items())
    return text if len(text) <= _EVIDENCE_CHARS else text[: _EVIDENCE_CHARS - 1] + "…"


def _id_list(ids: list[int], shown: int = 4) -> str:
    head = ", ".join(map(str, ids[:shown]))
    return head + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


@register
class ExactDuplicatesTool(Tool):
    name = "exact_duplicates"
    description = ("Find rows that repeat exactly (optionally on a subset of columns) and propose "
                   "dropping every copy but the first. Fast; catches re-exported or concatenated rows. "
                   "Near-duplicates are not detected.")
    Args = ExactDuplicatesArgs
    in_audit = True

    def run(self, ctx: ToolContext, args: ExactDuplicatesArgs) -> ToolResult:
        findings: list[Finding] = []
        changes: list[ProposedChange] = []
        tables = ctx.tables(args.table)
        for i, table in enumerate(tables):
            for col in args.columns or []:
                ctx.dataset.require_column(col, table.name)
            df = table.df
            subset = args.columns or list(df.columns)
            # One 64-bit hash per row; cells as strings so that lists from JSON compare by content,
            # and missing values compare equal to each other.
            keys = pd.util.hash_pandas_object(df[subset].astype(object).astype(str), index=False)
            dup_mask = keys.duplicated(keep=False)
            if not dup_mask.any():
                ctx.progress((i + 1) / len(tables))
                continue
            groups = sorted(keys[dup_mask].groupby(keys[dup_mask], sort=False).groups.values(), key=min)
            extra_ids = [int(r) for idx in groups for r in sorted(idx)[1:]]
            table_findings = []
            for idx in groups:
                ids = sorted(int(r) for r in idx)
                table_findings.append(Finding(
                    tool=self.name, type="duplicate", severity="medium",
                    issue=f"rows {_id_list(ids)} are identical",
                    evidence=[f"rows {', '.join(map(str, ids))}", _quote_row(df.loc[ids[0], subset])],
                    description="Exact copies inflate the data, bias training toward the repeated "
                                "examples and can leak between splits.",
                    file=table.name, rows=ids, columns=args.columns or [], score=1.0))
            findings.extend(table_findings)
            op = DropRows(table=table.name, row_ids=extra_ids)
            changes.append(ProposedChange(
                tool=self.name, operation=op,
                rationale=f"Keep the first row of each of {len(groups)} duplicate groups in {table.name}; "
                          f"drop the other {len(extra_ids)}.",
                finding_ids=[f.id for f in table_findings],
                preview=preview_table_change(df, op)))
            ctx.progress((i + 1) / len(tables))
        total = sum(len(c.operation.affected_rows) for c in changes)
        summary = (f"{len(findings)} groups of exact duplicates; {total} surplus rows."
                   if findings else "No exact duplicate rows.")
        return ToolResult(tool=self.name, summary=summary, findings=findings, proposed_changes=changes)
