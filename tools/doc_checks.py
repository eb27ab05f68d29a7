"""doc_checks: the README / datacard / LICENSE against the data."""

from __future__ import annotations

from pydantic import BaseModel

from tools.base import Tool, ToolContext, register
from tools.contracts import ToolResult
from tools.doc_claims import documentation_findings


class DocChecksArgs(BaseModel):
    pass


@register
class DocChecksTool(Tool):
    name = "doc_checks"
    description = ("Check the documentation against the data: row and class counts, \"no missing values\" and "
                   "\"balanced\" claims, columns documented but absent or present but undocumented, a missing "
                   "README or datacard, and a missing or conflicting license. Read-only.")
    Args = DocChecksArgs
    in_audit = True

    def run(self, ctx: ToolContext, args: DocChecksArgs) -> ToolResult:
        findings = documentation_findings(ctx, self.name)
        ctx.progress(1.0)
        return ToolResult(tool=self.name, findings=findings,
                          summary=f"{len(findings)} documentation findings." if findings else "Documentation agrees "
                                                                                              "with the data.")
