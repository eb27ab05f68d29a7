"""The evaluation harness: cases are sound, the rubric scores as DCA-Bench's does, the harness runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from copilot.settings import Settings
from evals.build_cases import build
from evals.case import Case, find_cases
from evals.harness import answer_from, run_case
from evals.scorer import score_issue
from tools.contracts import Finding

CASES = Path(__file__).resolve().parents[2] / "evals" / "cases"


@pytest.mark.parametrize("folder", find_cases(CASES), ids=lambda p: p.name)
def test_every_evidence_string_occurs_in_the_case_files(folder: Path) -> None:
    case = Case.load(folder)
    files = folder / "files"
    texts = {p.relative_to(files).as_posix(): p.read_text(encoding="utf-8", errors="replace")
             for p in files.rglob("*") if p.is_file()}
    for issue in case.issues:
        assert all(f in texts for f in issue.files), issue.files
        found = [e for e in issue.evidence if any(e in t for t in texts.values())]
        assert found, f"{case.id}: no evidence string occurs in the files"
    assert len(case.hints) == 4 and case.hints[0] == ""


def test_committed_cases_match_their_generator(tmp_path: Path) -> None:
    for folder in build(tmp_path):
        for path in folder.rglob("*"):
            if path.is_file():
                committed = CASES / path.relative_to(tmp_path)
                assert committed.read_bytes() == path.read_bytes(), committed


def test_rubric_weights_and_verdicts() -> None:
    issue = Case.load(CASES / "sentinel-ozone").issues[0]
    exact = {"issue": "Ozone uses -999 for missing values", "evidence": ["value -999 in rows 4"],
             "file": "airquality.csv", "type": "missing_values", "description": "a placeholder"}
    assert score_issue([exact], issue).verdict == "success"
    no_file = {**exact, "file": None}
    assert score_issue([no_file], issue).score == pytest.approx(0.8 * 0.5 + 0.15 + 0.05)
    wrong = {"issue": "rows are identical", "evidence": ["rows 1, 2"], "file": "airquality.csv", "type": "duplicate",
             "description": "copies"}
    assert score_issue([wrong], issue).verdict == "failed"
    split = [{**wrong, "evidence": ["-999"]}, {**wrong, "issue": "missing values"}]  # m1 and m2, not together
    assert score_issue(split, issue).score == pytest.approx(0.8 + 0.15)


@pytest.mark.parametrize("case_id", ["sentinel-ozone", "ragged-line"])
def test_harness_runs_a_case_read_only(tmp_path: Path, case_id: str, tree_hash) -> None:
    before = tree_hash(CASES / case_id)
    result = run_case(CASES / case_id, 0, tmp_path, Settings())
    assert result.verdict == "success" and result.findings <= 15
    answer = json.loads((tmp_path / f"{case_id}.json").read_text())
    assert set(answer["findings"][0]) <= {"issue", "evidence", "description", "type", "file", "rows", "columns"}
    assert tree_hash(CASES / case_id) == before  # nothing in the case changed


def test_llm_judge_scores_with_the_rubric_weights() -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from evals.judge import judge

    class Judge(GenericFakeChatModel):
        def bind_tools(self, tools, **kwargs):
            return self

    issue = Case.load(CASES / "sentinel-ozone").issues[0]
    rating = AIMessage(content="", tool_calls=[{"name": "Rating", "args": {"m1": 1, "m2": 0.5, "m3": 1}, "id": "r"}])
    assert judge(Judge(messages=iter([rating])), issue, {"findings": []}) == pytest.approx(0.8 + 0.075 + 0.05)
    broken = AIMessage(content="", tool_calls=[{"name": "Rating", "args": {"m1": 7}, "id": "r"}])
    assert judge(Judge(messages=iter([broken])), issue, {"findings": []}) is None


def test_answers_leave_out_low_findings_unless_the_hint_points_at_them() -> None:
    low = Finding(tool="doc_checks", type="license", severity="low", issue="no license found", description="x")
    high = Finding(tool="value_checks", type="out_of_range", severity="high", issue="age has 3 negative values",
                   description="y", file="people.csv")
    assert [f["issue"] for f in answer_from([low, high], "")["findings"]] == ["age has 3 negative values"]
    hinted = answer_from([low, high], "Check the license.")["findings"]
    assert [f["issue"] for f in hinted] == ["no license found", "age has 3 negative values"]


def test_unmatched_counts_findings_that_point_at_no_hidden_issue() -> None:
    from evals.scorer import unmatched

    case = Case.load(CASES / "sentinel-ozone")
    hit = {"issue": "Ozone uses -999 for missing values", "evidence": ["-999"], "file": "airquality.csv",
           "type": "missing_values", "description": "a placeholder"}
    noise = {"issue": "column 'Month' is constant", "evidence": ["Month"], "file": "airquality.csv", "type": "other",
             "description": "a constant column"}
    assert unmatched({"findings": [hit, noise, noise]}, case) == 2


def test_copilot_eval_is_a_command_of_the_cli(cli, tmp_path: Path) -> None:
    """`copilot eval` comes from evals through an entry point (the agent does not import its harness)."""
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copytree(CASES / "ragged-line", cases / "ragged-line")
    result = cli("eval", cases, "--out", tmp_path / "out")
    assert result.code == 0, result.err
    assert "ragged-line: success" in result.out and (tmp_path / "out" / "ragged-line.json").exists()
    assert "eval" in cli("--help").out
