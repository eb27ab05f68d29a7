"""A decision naming an unknown change is refused with one line, and the session stays resumable."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel

from copilot.gate import APPROVE_ALL, ASK, Decision
from copilot.plan import Plan, Step
from copilot.session import Session
from copilot.workspace import Workspace
from tools.base import Tool, ToolContext, ToolRegistry
from tools.contracts import DropRows, ProposedChange, ToolResult
from tools.errors import UsageError
from tools.operations import preview_table_change


class _NoArgs(BaseModel):
    pass


class DropFirst(Tool):
    name = "drop_first"
    description = "Proposes dropping row 0."
    Args = _NoArgs

    def run(self, ctx: ToolContext, args: BaseModel) -> ToolResult:
        op = DropRows(table="t.csv", row_ids=[0])
        return ToolResult(tool=self.name, summary="one change", proposed_changes=[ProposedChange(
            tool=self.name, operation=op, rationale="r", preview=preview_table_change(ctx.dataset.table().df, op))])


def _session(ws: Workspace) -> Session:
    registry = ToolRegistry()
    registry.add(DropFirst())
    return Session(ws, ASK, registry=registry)


def test_unknown_change_id_is_refused_and_the_session_resumes(tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    pd.DataFrame({"a": [1, 2, 3]}).to_csv(data, index=False)
    ws = Workspace.open(data)
    session = _session(ws)
    paused = session.start("drop", plan=Plan(goal="drop", steps=[Step(id="s1", tool="drop_first", rationale="r")]))
    waiting = paused.waiting[0]
    with pytest.raises(UsageError, match=f"names change 'chg-unknown'.*decide '{waiting.id}'") as caught:
        session.answer(Decision(change_id="chg-unknown", action="approve", actor="user:t"))
    assert "\n" not in caught.value.line()
    session.close()
    assert ws.head_id == "v0000" and not [e for e in ws.log() if e["event"] == "decision"]

    again = _session(Workspace.existing(ws.root))  # a later process picks the session up
    try:
        again.resume()
        done = again.answer(Decision(change_id=waiting.id, action="approve", actor="user:t"))
    finally:
        again.close()
    assert done.finished and list(Workspace.existing(ws.root).load().table().df.index) == [1, 2]


def test_changes_proposed_on_an_older_version_are_not_applied(tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    pd.DataFrame({"a": [1, 2, 3]}).to_csv(data, index=False)
    ws = Workspace.open(data)
    session = _session(ws)
    paused = session.start("drop", plan=Plan(goal="drop", steps=[Step(id="s1", tool="drop_first", rationale="r")]))
    other = ProposedChange(tool="other", operation=DropRows(table="t.csv", row_ids=[2]), rationale="r",
                           preview=paused.waiting[0].preview)
    ws.apply(other, other.operation, Decision(change_id=other.id, action="approve", actor="user:other"),
             session="elsewhere")  # HEAD moves meanwhile
    with pytest.raises(UsageError, match="moved to v0001 after this session proposed its changes on v0000"):
        session.answer(Decision(change_id=paused.waiting[0].id, action="approve", actor="user:t"))
    session.close()
    assert list(ws.load().table().df.index) == [0, 1] and ws.inconsistencies() == []


def test_api_approve_refuses_rows_outside_the_change(tmp_path: Path, penguins: pd.DataFrame) -> None:
    """`run.approve(rows=[0, 99999])` used to apply nothing, silently; now it names the rows and stays paused."""
    from copilot import Copilot

    cp = Copilot(pd.concat([penguins, penguins.iloc[[5, 9]]], ignore_index=True), workspace=tmp_path / "ws")
    run = cp.run("remove duplicates")
    dropped = run.waiting[0].operation.affected_rows
    assert dropped and 0 not in dropped
    with pytest.raises(UsageError, match=r"rows 0, 99999 not part of change '.*'; choose among its 2 rows") as caught:
        run.approve(rows=[0, 99999])
    assert "\n" not in caught.value.line()
    assert len(cp.df) == len(penguins) + 2 and run.waiting  # nothing applied; the change still waits
    run.approve(rows=dropped[:1])
    assert len(cp.df) == len(penguins) + 1


def test_a_dataframe_without_a_workspace_leaves_nothing_behind(penguins: pd.DataFrame) -> None:
    import gc

    from copilot import Copilot

    cp = Copilot(penguins.head(60))
    run = cp.run("remove duplicates")
    root = cp.workspace.root
    assert root.exists() and run.outcome.finished
    run.session.close()
    del cp, run
    gc.collect()
    assert not root.exists()  # the temporary workspace went with the object


class DropEach(Tool):
    name = "drop_each"
    description = "Proposes dropping each row, one change a row."
    Args = _NoArgs

    def run(self, ctx: ToolContext, args: BaseModel) -> ToolResult:
        df = ctx.dataset.table().df
        changes = [ProposedChange(tool=self.name, operation=op, rationale="r", preview=preview_table_change(df, op))
                   for op in (DropRows(table="t.csv", row_ids=[r]) for r in df.index)]
        return ToolResult(tool=self.name, summary="a change a row", proposed_changes=changes)


def test_a_resume_under_another_policy_is_decided_at_the_gate_and_keeps_a_persons_answer(tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    pd.DataFrame({"a": [1, 2, 3]}).to_csv(data, index=False)
    registry = ToolRegistry()
    registry.add(DropEach())
    ws = Workspace.open(data)
    with Session(ws, ASK, registry=registry) as session:
        paused = session.start("drop", plan=Plan(goal="drop", steps=[Step(id="s1", tool="drop_each", rationale="r")]))
        first = paused.waiting[0]
        paused = session.answer(Decision(change_id=first.id, action="reject", actor="user:t", reason="keep it"))
        assert len(paused.waiting) == 1
    with Session(Workspace.existing(ws.root), APPROVE_ALL, registry=registry) as again:
        done = again.resume()
    assert done.finished
    assert [(d.action, d.actor) for d in done.decisions] == [("reject", "user:t"), ("approve", "policy:approve-all"),
                                                             ("approve", "policy:approve-all")]
    assert list(Workspace.existing(ws.root).load().table().df.index) == [0]
