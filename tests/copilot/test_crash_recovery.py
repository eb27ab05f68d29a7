"""A crash at every write point of the workspace (create, apply, undo, export), then a re-run or resume:
each approved change lands at most once, every version is audited, HEAD is complete, nothing is orphaned."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel

import copilot.workspace as workspace_module
from copilot.gate import APPROVE_ALL
from copilot.plan import Plan, Step
from copilot.session import Session
from copilot.workspace import Workspace
from tools.base import Tool, ToolContext, ToolRegistry
from tools.contracts import DropRows, ProposedChange, ToolResult
from tools.operations import preview_table_change

WRITES = ("atomic_write_bytes", "atomic_write_text", "append_line", "atomic_write")
TABLE = "data.csv"
DROPPED = [0, 1]


class Crash(Exception):
    """Stands for the process dying at this point."""


class Crasher:
    """Counts the workspace's writes; the `at`-th one dies before it writes, or right after."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, at: int, after: bool = False) -> None:
        self.calls, self.at, self.after = 0, at, after
        for name in WRITES:
            monkeypatch.setattr(workspace_module, name, self._wrap(getattr(workspace_module, name)))

    def _wrap(self, real: Callable) -> Callable:
        def write(*args, **kwargs):
            self.calls += 1
            if self.calls == self.at and not self.after:
                raise Crash(f"before write {self.at}")
            real(*args, **kwargs)
            if self.calls == self.at:
                raise Crash(f"after write {self.at}")
        return write


def _points(monkeypatch: pytest.MonkeyPatch, operation: Callable[[], object]) -> int:
    """How many writes `operation` makes when nothing crashes."""
    with monkeypatch.context() as m:
        counter = Crasher(m, at=0)
        operation()
    assert counter.calls > 0
    return counter.calls


class _NoArgs(BaseModel):
    pass


class DropTool(Tool):
    name = "drop"
    description = "Proposes dropping rows 0 and 1."
    Args = _NoArgs

    def run(self, ctx: ToolContext, args: BaseModel) -> ToolResult:
        op = DropRows(table=TABLE, row_ids=DROPPED)
        change = ProposedChange(tool=self.name, operation=op, rationale="test",
                                preview=preview_table_change(ctx.dataset.table().df, op))
        return ToolResult(tool=self.name, summary="one change", proposed_changes=[change])


@pytest.fixture
def small(tmp_path: Path) -> Path:
    data = tmp_path / "in" / TABLE
    data.parent.mkdir()
    pd.DataFrame({"a": range(8), "b": list("xyzxyzxy")}).to_csv(data, index=False)
    return data


def _sound(ws: Workspace) -> None:
    assert ws.inconsistencies() == []


def _session(ws: Workspace) -> Session:
    registry = ToolRegistry()
    registry.add(DropTool())
    return Session(ws, APPROVE_ALL, registry=registry)


def _run(ws: Workspace) -> None:
    session = _session(ws)
    try:
        session.start("drop", plan=Plan(goal="drop", steps=[Step(id="s1", tool="drop", rationale="test")]))
    finally:
        session.close()


def test_crash_at_every_write_of_create(monkeypatch: pytest.MonkeyPatch, small: Path, tmp_path: Path) -> None:
    total = _points(monkeypatch, lambda: Workspace.open(small, tmp_path / "count"))
    for at in range(1, total + 1):
        for after in (False, True):
            root = tmp_path / f"ws-{at}-{after}"
            with monkeypatch.context() as m, pytest.raises(Crash):
                Crasher(m, at, after)
                Workspace.open(small, root)
            ws = Workspace.open(small, root)  # the re-run
            _sound(ws)
            assert [v.id for v in ws.versions()] == ["v0000"] and ws.head_id == "v0000"
            assert [e["event"] for e in ws.log()] == ["create"]


def test_crash_at_every_write_of_an_approved_change(monkeypatch: pytest.MonkeyPatch, small: Path,
                                                    tmp_path: Path) -> None:
    count_ws = Workspace.open(small, tmp_path / "count")
    total = _points(monkeypatch, lambda: _run(count_ws))
    assert total >= 5  # decision, object, manifest, apply entry, HEAD, session entry
    for at in range(1, total + 1):
        for after in (False, True):
            ws = Workspace.open(small, tmp_path / f"ws-{at}-{after}")
            with monkeypatch.context() as m, pytest.raises(Crash):
                Crasher(m, at, after)
                _run(ws)
            again = Workspace.existing(ws.root)  # a new process: recovery, then resume
            session = _session(again)
            try:
                outcome = session.resume()
            finally:
                session.close()
            assert outcome.finished
            _sound(again)
            events = again.log()
            assert [e["change_id"] for e in events if e["event"] == "apply"] == [DropTool().run(
                ToolContext(again.load("v0000")), _NoArgs()).proposed_changes[0].id]
            assert sum(e["event"] == "decision" for e in events) == 1
            assert sum(e["event"] == "session" for e in events) == 1
            assert len(again.versions()) == 2 and again.head_id == "v0001"
            head = again.load().table().df
            assert sorted(head.index) == [2, 3, 4, 5, 6, 7], (at, after)


def test_crash_at_every_write_of_undo(monkeypatch: pytest.MonkeyPatch, small: Path, tmp_path: Path) -> None:
    def applied(name: str) -> Workspace:
        ws = Workspace.open(small, tmp_path / name)
        _run(ws)
        return ws

    counted = applied("count")
    total = _points(monkeypatch, counted.undo)
    for at in range(1, total + 1):
        for after in (False, True):
            ws = applied(f"ws-{at}-{after}")
            with monkeypatch.context() as m, pytest.raises(Crash):
                Crasher(m, at, after)
                ws.undo()
            again = Workspace.existing(ws.root)
            with again.locked():  # whoever takes the lock next finishes or forgets the undo
                pass
            _sound(again)
            undone = any(e["event"] == "undo" for e in again.log())
            assert again.head_id == ("v0000" if undone else "v0001")
            assert len(again.versions()) == 2


def test_crash_at_every_write_of_export(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, penguins) -> None:
    data = tmp_path / "ds"
    data.mkdir()
    penguins.iloc[:40].to_csv(data / "train.csv", index=False)
    penguins.iloc[40:60].to_csv(data / "test.csv", index=False)
    (data / "README.md").write_text("# ds\n")
    ws = Workspace.open(data)
    total = _points(monkeypatch, lambda: ws.export(tmp_path / "count"))
    assert total == 4  # two tables, one document, one audit entry
    for at in range(1, total + 1):
        dest = tmp_path / f"out-{at}"
        with monkeypatch.context() as m, pytest.raises(Crash):
            Crasher(m, at)
            ws.export(dest)
        _sound(ws)
        assert sum(e["event"] == "export" for e in ws.log() if str(dest) in str(e.get("to"))) == 0
        ws.export(dest, force=True)  # the re-run the error message asks for
        assert len(pd.read_csv(dest / "train.csv")) == 40 and (dest / "README.md").read_text() == "# ds\n"
        assert sum(str(dest) in str(e.get("to")) for e in ws.log() if e["event"] == "export") == 1
    _sound(ws)


def test_recovery_removes_temp_files_and_a_torn_log_line(small: Path, tmp_path: Path) -> None:
    ws = Workspace.open(small, tmp_path / "ws")
    (ws.objects / ".abc.parquet.tmp").write_bytes(b"half")
    with open(ws.audit_path, "a") as fh:
        fh.write('{"time": "2026-01-01", "event": "app')  # killed mid-append
    assert ws.inconsistencies()  # the damage is seen …
    with ws.locked():
        pass
    _sound(ws)  # … and repaired by the next holder of the lock
    assert [e["event"] for e in ws.log()] == ["create"]



def test_resume_after_checkpoints_were_lost_still_applies_the_change(monkeypatch: pytest.MonkeyPatch, small: Path,
                                                                     tmp_path: Path) -> None:
    """A kill can beat LangGraph's checkpoint writes: the last saved step may be long before the crash."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    ws = Workspace.open(small, tmp_path / "ws")
    real_put = SqliteSaver.put

    def put_until_planned(self, config, checkpoint, metadata, new_versions):
        if metadata.get("step", 0) >= 2:  # the run, gate and apply steps never reach the disk
            return config
        return real_put(self, config, checkpoint, metadata, new_versions)

    with monkeypatch.context() as m, pytest.raises(Crash):
        m.setattr(SqliteSaver, "put", put_until_planned)
        Crasher(m, at=2)  # dies right after the decision is logged
        _run(ws)
    session = _session(Workspace.existing(ws.root))
    try:
        assert session.resume().finished
    finally:
        session.close()
    _sound(ws)
    assert sum(e["event"] == "apply" for e in ws.log()) == 1
    assert sorted(ws.load().table().df.index) == [2, 3, 4, 5, 6, 7]


def test_recovery_never_deletes_versions_a_lost_log_no_longer_names(small: Path, tmp_path: Path) -> None:
    ws = Workspace.open(small, tmp_path / "ws")
    _run(ws)
    ws.audit_path.unlink()  # someone deleted the log: the versions are still the user's data
    with ws.locked():
        pass
    assert [v.id for v in ws.versions()] == ["v0000", "v0001"] and ws.head_id == "v0001"
    assert len(ws.load().table().df) == 6
