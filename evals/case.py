"""A case: `files/` the co-pilot sees, and `case.json` with the hidden issues and the hints."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

from tools.errors import UsageError


class HiddenIssue(BaseModel):
    title: str
    description: str
    files: list[str]
    evidence: list[str] = Field(description="strings that occur in the files; quoting one shows the location")
    keywords: list[str] = Field(description="words, any one of which shows the right diagnosis")


class Case(BaseModel):
    id: str
    title: str
    type: str
    tags: list[str] = Field(default_factory=list)
    hints: list[str] = Field(description="hint per level: 0 none, 1 general, 2 location, 3 specific")
    issues: list[HiddenIssue]

    @classmethod
    def load(cls, folder: Path) -> Case:
        path = folder / "case.json"
        if not path.exists() or not (folder / "files").is_dir():
            raise UsageError("not a case folder (needs case.json and files/)", file=folder)
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))

    def hint(self, level: int) -> str:
        return self.hints[min(level, len(self.hints) - 1)] if level > 0 else ""


def find_cases(root: Path) -> list[Path]:
    cases = sorted(p.parent for p in root.glob("*/case.json"))
    if not cases:
        raise UsageError("no cases here", file=root, fix="point at a folder of <id>/case.json + <id>/files/")
    return cases
