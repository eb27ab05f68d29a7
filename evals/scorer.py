"""DCA-Bench's evaluator rubric, made deterministic.

Per hidden issue: m1 precise contextual evidence (weight 0.8): a finding quotes one of the issue's
evidence strings and names one of its files (half credit for the evidence without the file); m2 issue
analysis (0.15): a finding's diagnosis contains one of the keywords; m3 relevance (0.05): one finding
does both. Below 0.45 is failed, below 0.85 partially, else success.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel

from evals.case import Case, HiddenIssue

WEIGHTS = (0.8, 0.15, 0.05)


class IssueScore(BaseModel):
    issue: str
    m1: float
    m2: float
    m3: float
    score: float
    verdict: str


def _names(path: str | None) -> set[str]:
    return {path, PurePosixPath(path).name} if path else set()


def _quotes(finding: dict[str, Any], issue: HiddenIssue) -> bool:
    text = " ".join([*map(str, finding.get("evidence", [])), str(finding.get("issue", "")),
                     " ".join(map(str, finding.get("columns", [])))]).lower()
    rows = {str(r) for r in finding.get("rows", [])}
    return any(e.lower() in text or e in rows for e in issue.evidence)


def _names_file(finding: dict[str, Any], issue: HiddenIssue) -> bool:
    wanted = set().union(*(_names(f) for f in issue.files))
    return bool(_names(finding.get("file")) & wanted)


def _diagnoses(finding: dict[str, Any], issue: HiddenIssue) -> bool:
    text = " ".join(str(finding.get(k, "")) for k in ("issue", "description", "type")).lower()
    return any(k.lower() in text for k in issue.keywords)


def verdict(score: float) -> str:
    return "failed" if score < 0.45 else "partially" if score < 0.85 else "success"


def score_issue(findings: list[dict[str, Any]], issue: HiddenIssue) -> IssueScore:
    m1 = max((1.0 if _quotes(f, issue) and _names_file(f, issue) else 0.5 if _quotes(f, issue) else 0.0
              for f in findings), default=0.0)
    m2 = 1.0 if any(_diagnoses(f, issue) for f in findings) else 0.0
    m3 = 1.0 if any(_quotes(f, issue) and _diagnoses(f, issue) for f in findings) else 0.0
    total = round(WEIGHTS[0] * m1 + WEIGHTS[1] * m2 + WEIGHTS[2] * m3, 4)
    return IssueScore(issue=issue.title, m1=m1, m2=m2, m3=m3, score=total, verdict=verdict(total))


def score_case(answer: dict[str, Any], case: Case) -> list[IssueScore]:
    return [score_issue(answer.get("findings", []), issue) for issue in case.issues]


def unmatched(answer: dict[str, Any], case: Case) -> int:
    """Findings that point at no hidden issue: they neither quote its evidence nor name its file with a
    diagnosis (what a reviewer would call noise on this case)."""
    return sum(not any(_quotes(f, issue) or (_names_file(f, issue) and _diagnoses(f, issue)) for issue in case.issues)
               for f in answer.get("findings", []))
