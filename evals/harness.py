"""Run the co-pilot on DCA-style cases, read-only, and score its answers."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from copilot.gate import DRY_RUN
from copilot.llm import build_chat_model
from copilot.settings import Settings
from copilot.workspace import Workspace
from evals.case import Case, find_cases
from evals.judge import judge
from evals.scorer import IssueScore, score_case, unmatched, verdict
from tools.contracts import SEVERITY_RANK, Finding

MAX_FINDINGS = 15  # a reviewer's attention; the harness reports findings per case
GOAL = "What's wrong with this dataset? Audit everything."
_ANSWER_FIELDS = ("issue", "evidence", "description", "type", "file", "rows", "columns")


class CaseResult(BaseModel):
    id: str
    type: str
    score: float
    verdict: str
    judge_score: float | None = None  # the LLM judge's score, when a model is configured
    findings: int
    unmatched: int = 0  # findings that point at no hidden issue
    seconds: float
    issues: list[IssueScore]


def _focus(findings: list[Finding], hint: str) -> list[Finding]:
    """Severity and confidence first; with a hint, findings that mention its words come first."""
    stop = {"the", "and", "this", "that", "with", "dataset", "data", "file", "column", "there", "issue", "check"}
    words = {w.lower().strip(".-") for w in re.findall(r"[\w.\-]{3,}", hint)} - stop

    def mentions(f: Finding) -> int:
        text = " ".join([f.file or "", *f.columns, f.issue, f.type, f.description]).lower()
        return sum(w in text for w in words)

    # Low and info findings are worth a reviewer's time only where the hint points at them.
    findings = [f for f in findings if SEVERITY_RANK[f.severity] <= SEVERITY_RANK["medium"] or mentions(f)]
    ranked = sorted(findings, key=lambda f: (-mentions(f), SEVERITY_RANK[f.severity], -(f.score or 0)))
    # The strongest finding of each type first: one busy detector must not crowd out every other issue.
    seen: set[str] = set()
    leaders = [f for f in ranked if f.type not in seen and not seen.add(f.type)]
    return leaders + [f for f in ranked if f not in leaders]


def answer_from(findings: list[Finding], hint: str) -> dict[str, Any]:
    ranked = _focus(findings, hint)[:MAX_FINDINGS]
    return {"findings": [f.model_dump(include=set(_ANSWER_FIELDS)) for f in ranked]}


def run_case(folder: Path, level: int, out: Path, settings: Settings) -> CaseResult:
    from copilot.session import Session

    case = Case.load(folder)
    hint = case.hint(level)
    started = time.perf_counter()
    llm = build_chat_model(settings)
    with tempfile.TemporaryDirectory(prefix=f"eval-{case.id}-") as tmp:
        files = Path(tmp) / "files"
        shutil.copytree(folder / "files", files)  # the case stays untouched whatever happens
        workspace = Workspace.open(files, Path(tmp) / "workspace")
        with Session.open(workspace, DRY_RUN, settings) as session:
            outcome = session.start(f"{GOAL} Hint: {hint}" if hint else GOAL)
    answer = answer_from(outcome.record.findings, hint)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{case.id}.json").write_text(json.dumps(answer, indent=1, default=str), encoding="utf-8")
    issues = score_case(answer, case)
    score = round(sum(i.score for i in issues) / len(issues), 4)
    judged = [judge(llm, issue, answer) for issue in case.issues] if llm is not None else []
    judge_score = round(sum(judged) / len(judged), 4) if judged and None not in judged else None
    return CaseResult(id=case.id, type=case.type, score=score, verdict=verdict(score), judge_score=judge_score,
                      findings=len(answer["findings"]), unmatched=unmatched(answer, case),
                      seconds=round(time.perf_counter() - started, 1), issues=issues)


def run_eval(cases_dir: Path, level: int, out: Path, settings: Settings, progress=lambda case, result: None
             ) -> list[CaseResult]:
    results = []
    for folder in find_cases(cases_dir):
        result = run_case(folder, level, out, settings)
        progress(folder.name, result)
        results.append(result)
    return results


def totals(results: list[CaseResult]) -> dict[str, float]:
    n = len(results) or 1
    return {"cases": len(results), "success": sum(r.verdict == "success" for r in results) / n,
            "partially": sum(r.verdict == "partially" for r in results) / n,
            "mean_score": sum(r.score for r in results) / n, "findings_per_case": sum(r.findings for r in results) / n,
            "unmatched_per_case": sum(r.unmatched for r in results) / n}
