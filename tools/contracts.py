"""The contracts every tool speaks: findings, proposed changes and results."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

FindingType = Literal[
    # documentation
    "doc_data_mismatch", "missing_documentation", "license",
    # content
    "label_error", "duplicate", "leakage", "contamination", "missing_values", "out_of_range",
    "inconsistent_format", "class_imbalance",
    # files
    "encoding", "malformed_file",
    # ethics and law
    "sensitive_attribute", "pii",
    # a quirk worth knowing that fits none of the above (e.g. a constant column)
    "other",
]
# What each type is called in front of a reviewer.
TYPE_WORDS: dict[str, str] = {
    "doc_data_mismatch": "documentation conflict", "missing_documentation": "undocumented", "license": "license",
    "label_error": "label error", "duplicate": "duplicate", "leakage": "leakage", "contamination": "contamination",
    "missing_values": "missing values", "out_of_range": "out of range", "inconsistent_format": "inconsistent format",
    "class_imbalance": "imbalance", "encoding": "encoding", "malformed_file": "malformed",
    "sensitive_attribute": "sensitive attribute", "pii": "personal data", "other": "quirk",
}
Severity = Literal["high", "medium", "low", "info"]
SEVERITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2, "info": 3}
Scalar = str | int | float | bool | None


def short_hash(*parts: Any) -> str:
    """A stable 10-character id for the given content."""
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:10]


class Finding(BaseModel):
    """Something a tool found, with quoted evidence a human can check."""

    id: str = ""
    tool: str
    type: FindingType
    severity: Severity
    issue: str = Field(description="short title")
    evidence: list[str] = Field(default_factory=list, description="quoted file content: ids, values, lines")
    description: str = Field(description="why it matters")
    file: str | None = None
    rows: list[int] = Field(default_factory=list)
    columns: list[str] = Field(default_factory=list)
    score: float | None = Field(default=None, description="confidence in [0, 1]")

    @property
    def kind_words(self) -> str:
        return TYPE_WORDS[self.type]

    def model_post_init(self, _context: Any) -> None:
        if not self.id:
            self.id = f"{self.tool}-{short_hash(self.type, self.file, self.columns, self.rows[:20], self.issue)}"


class CellUpdate(BaseModel):
    row_id: int
    value: Scalar


class DropRows(BaseModel):
    kind: Literal["drop_rows"] = "drop_rows"
    table: str
    row_ids: list[int]

    @property
    def affected_rows(self) -> list[int]:
        return self.row_ids

    def restricted_to(self, row_ids: list[int]) -> DropRows:
        keep = set(row_ids)
        return self.model_copy(update={"row_ids": [r for r in self.row_ids if r in keep]})


class SetValues(BaseModel):
    """Set cells of one column; `relabel` is the same operation on a label column."""

    kind: Literal["set_values", "relabel"] = "set_values"
    table: str
    column: str
    updates: list[CellUpdate]

    @property
    def affected_rows(self) -> list[int]:
        return [u.row_id for u in self.updates]

    def restricted_to(self, row_ids: list[int]) -> SetValues:
        keep = set(row_ids)
        return self.model_copy(update={"updates": [u for u in self.updates if u.row_id in keep]})


class WriteFile(BaseModel):
    """Write a text file (a dataset card, say) into the next version."""

    kind: Literal["write_file"] = "write_file"
    path: str
    content: str

    @property
    def affected_rows(self) -> list[int]:
        return []

    def restricted_to(self, row_ids: list[int]) -> WriteFile:
        return self


Operation = Annotated[DropRows | SetValues | WriteFile, Field(discriminator="kind")]


class PreviewRow(BaseModel):
    row_id: int
    before: dict[str, Scalar]
    after: dict[str, Scalar] | None  # None: the row is dropped


class Preview(BaseModel):
    rows_affected: int
    sample: list[PreviewRow] = Field(default_factory=list)
    diff: str | None = None  # for write_file


class ProposedChange(BaseModel):
    """A change a tool suggests; nothing happens until the gate approves it."""

    id: str = ""
    tool: str
    operation: Operation
    rationale: str
    finding_ids: list[str] = Field(default_factory=list)
    preview: Preview

    @property
    def kind(self) -> str:
        return self.operation.kind

    def model_post_init(self, _context: Any) -> None:
        if not self.id:
            self.id = f"chg-{short_hash(self.tool, self.operation.model_dump())}"


class Artifact(BaseModel):
    """Something to show: a small table (records) or a text."""

    name: str
    kind: Literal["table", "text"]
    content: list[dict[str, Scalar]] | str


class ToolResult(BaseModel):
    tool: str
    summary: str
    findings: list[Finding] = Field(default_factory=list)
    proposed_changes: list[ProposedChange] = Field(default_factory=list)
    artifacts: list[Artifact] = Field(default_factory=list)
