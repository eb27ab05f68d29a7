"""The typed session record reads the checkpointed dicts as earlier versions wrote them, and writes them back
in the same shape, so a session checkpointed before the state was typed still resumes."""

from __future__ import annotations

from copilot.record import SessionReport, StepRecord, read_state, state_update

_CHANGE = {"id": "chg-1", "tool": "duplicates", "rationale": "r", "finding_ids": [],
           "operation": {"kind": "drop_rows", "table": "t.csv", "row_ids": [3]},
           "preview": {"rows_affected": 1, "sample": [], "diff": None}}
_FINDING = {"id": "duplicates-1", "tool": "duplicates", "type": "duplicate", "severity": "medium", "issue": "dup",
            "evidence": ["row 3"], "description": "d", "file": "t.csv", "rows": [3], "columns": [], "score": None}
# As the untyped graph wrote it: one step with a result and a narrative, one that failed, a human's decision.
OLD_STATE = {
    "session": "20260101-000000-abcd", "goal": "remove duplicates", "overrides": {"label_column": None},
    "policy": {"name": "ask", "default": "ask", "rules": []},
    "plan": {"goal": "remove duplicates", "steps": [
        {"id": "s1", "tool": "duplicates", "args": {}, "rationale": "r", "depends_on": []},
        {"id": "s2", "tool": "value_checks", "args": {}, "rationale": "r", "depends_on": []}],
        "notes": [], "planner": "rules", "focus": {"files": [], "columns": [], "kinds": []}},
    "results": [{"step": "s1", "result": {"tool": "duplicates", "summary": "1 duplicate", "findings": [_FINDING],
                                          "proposed_changes": [_CHANGE], "artifacts": []},
                 "narrative": "One duplicate."},
                {"step": "s2", "error": "value_checks failed: boom"}],
    "usage": [{"input_tokens": 5, "output_tokens": 2, "calls": 1}],
    "base": "v0000",
    "decisions": [{"change_id": "chg-1", "action": "edit", "row_ids": [3], "updates": None, "actor": "user:t",
                   "at": "2026-01-01T00:00:00+00:00", "reason": ""}],
    "applied": [{"change_id": "chg-1", "version": "v0001", "rows_affected": 1, "kind": "drop_rows"}],
}


def test_old_checkpointed_state_reads_as_models_and_writes_back_unchanged() -> None:
    record = read_state(OLD_STATE)
    assert [r.step for r in record.results] == ["s1", "s2"] and record.results[1].error.endswith("boom")
    assert record.results[0].narrative == "One duplicate." and record.findings[0].rows == [3]
    assert [c.id for c in record.changes()] == ["chg-1"] and record.decisions[0].row_ids == [3]
    assert record.policy.name == "ask" and record.plan.steps[1].tool == "value_checks" and record.report is None
    fields = {name: getattr(record, name) for name in OLD_STATE}
    assert state_update(**fields) == OLD_STATE


def test_a_step_record_names_only_what_it_has() -> None:
    assert state_update(results=[StepRecord(step="s1", error="x")]) == {"results": [{"step": "s1", "error": "x"}]}
    report = state_update(report=SessionReport(failed_steps=[StepRecord(step="s2", error="y")]))["report"]
    assert report["failed_steps"] == [{"step": "s2", "error": "y"}] and report["tokens"]["calls"] == 0
