"""The approval gate: decisions, policies, and the invariant that data changes only as approved."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from copilot.gate import APPROVE_ALL, ASK, DRY_RUN, Decision, Policy, effective_operation, policy_from_option
from copilot.plan import Plan, Step
from copilot.session import Session
from copilot.workspace import Workspace
from tools.base import Tool, ToolContext, ToolRegistry
from tools.contracts import CellUpdate, DropRows, ProposedChange, SetValues, ToolResult
from tools.errors import UsageError
from tools.operations import preview_table_change

TABLE = "data.csv"


def _drop(rows: list[int]) -> ProposedChange:
    op = DropRows(table=TABLE, row_ids=rows)
    return ProposedChange(tool="t", operation=op, rationale="r",
                          preview=preview_table_change(pd.DataFrame({"a": range(20)}), op))


def test_effective_operation() -> None:
    change = _drop([1, 2, 3])
    approve = Decision(change_id=change.id, action="approve", actor="u")
    reject = Decision(change_id=change.id, action="reject", actor="u")
    subset = Decision(change_id=change.id, action="edit", row_ids=[2, 9], actor="u")
    empty = Decision(change_id=change.id, action="edit", row_ids=[], actor="u")
    assert effective_operation(change, approve).row_ids == [1, 2, 3]
    assert effective_operation(change, reject) is None
    assert effective_operation(change, subset).row_ids == [2]  # only rows the change proposed
    assert effective_operation(change, empty) is None
    with pytest.raises(ValueError):
        effective_operation(_drop([4]), approve)


def test_edit_with_changed_values() -> None:
    op = SetValues(kind="relabel", table=TABLE, column="a", updates=[CellUpdate(row_id=1, value=5),
                                                                     CellUpdate(row_id=2, value=6)])
    change = ProposedChange(tool="t", operation=op, rationale="r",
                            preview=preview_table_change(pd.DataFrame({"a": range(5)}), op))
    decision = Decision(change_id=change.id, action="edit", updates=[CellUpdate(row_id=2, value=9)], actor="u")
    assert [(u.row_id, u.value) for u in effective_operation(change, decision).updates] == [(1, 5), (2, 9)]


def test_policy_rules_first_match_wins(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('default = "ask"\n[[rule]]\nkind = "drop_rows"\nmax_rows = 2\naction = "approve"\n'
                    '[[rule]]\nkind = "drop_rows"\naction = "reject"\n')
    policy = policy_from_option(str(path))
    assert policy.name == "p"
    assert policy.decide(_drop([1, 2])).action == "approve"
    assert policy.decide(_drop([1, 2, 3])).action == "reject"
    assert "rule 2" in policy.decide(_drop([1, 2, 3])).reason
    assert policy.decide(_drop([1, 2])).actor == "policy:p"
    relabel = ProposedChange(tool="t", rationale="r", preview=_drop([1]).preview, operation=SetValues(
        table=TABLE, column="a", updates=[CellUpdate(row_id=1, value=0)]))
    assert policy.decide(relabel) is None  # falls to the default: ask a human


def test_builtin_policies() -> None:
    change = _drop([1])
    assert APPROVE_ALL.decide(change).action == "approve"
    assert DRY_RUN.decide(change).action == "reject"
    assert ASK.decide(change) is None


def test_bad_policy_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such policy file"):
        policy_from_option(str(tmp_path / "missing.toml"))
    bad = tmp_path / "bad.toml"
    bad.write_text('default = "maybe"\n')
    with pytest.raises(UsageError, match="invalid policy"):
        policy_from_option(str(bad))


# ---- the invariant, over randomized sessions ------------------------------------------------------------

class _NoArgs(BaseModel):
    pass


class ScriptedTool(Tool):
    """Proposes exactly the changes it is given."""

    name = "scripted"
    description = "Proposes the changes a test scripted."
    Args = _NoArgs

    def __init__(self, changes: list[ProposedChange]) -> None:
        self.changes = changes

    def run(self, ctx: ToolContext, args: BaseModel) -> ToolResult:
        return ToolResult(tool=self.name, summary="scripted", proposed_changes=self.changes)


@st.composite
def sessions(draw):
    n = draw(st.integers(min_value=1, max_value=10))
    df = pd.DataFrame({"a": draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n)),
                       "b": draw(st.lists(st.sampled_from(["x", "y", "z"]), min_size=n, max_size=n))})
    row_sets = st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True)
    ops = []
    for _ in range(draw(st.integers(0, 4))):
        rows = draw(row_sets)
        if draw(st.booleans()):
            ops.append(DropRows(table=TABLE, row_ids=rows))
        else:
            column = draw(st.sampled_from(["a", "b"]))
            values = st.integers(-5, 5) if column == "a" else st.sampled_from(["x", "y", "z", "w"])
            ops.append(SetValues(table=TABLE, column=column,
                                 updates=[CellUpdate(row_id=r, value=draw(values)) for r in rows]))
    changes = list({c.id: c for c in (ProposedChange(tool="scripted", operation=op, rationale="r",
                                                       preview=preview_table_change(df, op)) for op in ops)}.values())
    decisions = {}
    for change in changes:
        action = draw(st.sampled_from(["approve", "reject", "edit"]))
        subset = draw(st.lists(st.sampled_from(change.operation.affected_rows), unique=True)) if action == "edit" \
            else None
        decisions[change.id] = Decision(change_id=change.id, action=action, row_ids=subset, actor="user:h")
    policy = draw(st.sampled_from([ASK, APPROVE_ALL, DRY_RUN]))
    return df, changes, decisions, policy


def _expected(df: pd.DataFrame, changes, decisions, policy: Policy) -> dict[int, dict]:
    """A reference model of the data after the session, written independently of the workspace."""
    rows = {int(i): {"a": int(r.a), "b": r.b} for i, r in df.iterrows()}
    for change in changes:
        decision = policy.decide(change) or decisions[change.id]
        if decision.action == "reject":
            continue
        allowed = set(decision.row_ids) if decision.action == "edit" else None
        op = change.operation
        if isinstance(op, DropRows):
            for r in op.row_ids:
                if allowed is None or r in allowed:
                    rows.pop(r, None)
        else:
            for u in op.updates:
                if (allowed is None or u.row_id in allowed) and u.row_id in rows:
                    rows[u.row_id][op.column] = u.value
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_data_changes_if_and_only_if_approved_and_exactly_as_approved(session_case) -> None:
    df, changes, decisions, policy = session_case
    tmp = Path(tempfile.mkdtemp())
    try:
        data = tmp / TABLE
        df.to_csv(data, index=False)
        original = data.read_bytes()
        ws = Workspace.open(data)
        registry = ToolRegistry()
        registry.add(ScriptedTool(changes))
        asked: list[str] = []

        def human(change: ProposedChange) -> Decision:
            asked.append(change.id)
            return decisions[change.id]

        session = Session(ws, policy, ask=human, registry=registry)
        outcome = session.start("scripted", plan=Plan(goal="scripted", steps=[
            Step(id="s1", tool="scripted", rationale="test")]))
        session.close()

        head = ws.load().table().df
        actual = {int(i): {"a": int(r.a), "b": r.b} for i, r in head.iterrows()}
        assert actual == _expected(df, changes, decisions, policy)
        approved = [c for c in changes if (policy.decide(c) or decisions[c.id]).approved
                    and effective_operation(c, policy.decide(c) or decisions[c.id]) is not None]
        assert (ws.head_id != "v0000") == bool(approved)
        assert len(ws.versions()) == 1 + len(approved)
        assert asked == ([c.id for c in changes] if policy is ASK else [])
        assert sorted(e["change_id"] for e in ws.log() if e["event"] == "decision") == sorted(c.id for c in changes)
        assert outcome.finished and data.read_bytes() == original
    finally:
        shutil.rmtree(tmp)
