"""Ctrl-C while steps run: the session stops within a couple of seconds, the running tools stop at their next
progress report, and nothing is applied."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel

from copilot.events import SessionEvents
from copilot.gate import APPROVE_ALL
from copilot.plan import Plan, Step
from copilot.session import Session
from copilot.workspace import Workspace
from tools.base import Tool, ToolContext, ToolRegistry
from tools.contracts import ToolResult


class _NoArgs(BaseModel):
    pass


class SlowTool(Tool):
    """Works for a minute, reporting progress as real tools do; records when it stopped."""

    name = "slow"
    description = "Takes a minute."
    Args = _NoArgs
    started: threading.Event = threading.Event()
    stopped: threading.Event = threading.Event()

    def run(self, ctx: ToolContext, args: BaseModel) -> ToolResult:
        SlowTool.started.set()
        try:
            for i in range(1200):
                time.sleep(0.05)
                ctx.progress(i / 1200)
            return ToolResult(tool=self.name, summary="done")
        finally:
            SlowTool.stopped.set()


class Heard(SessionEvents):
    def __init__(self) -> None:
        self.cancelled = False

    def on_cancel(self) -> None:
        self.cancelled = True


def test_ctrl_c_stops_running_steps_within_seconds(tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    pd.DataFrame({"a": range(20)}).to_csv(data, index=False)
    ws = Workspace.open(data, tmp_path / "ws")
    registry = ToolRegistry()
    registry.add(SlowTool())
    events = Heard()
    session = Session(ws, APPROVE_ALL, registry=registry, events=events)
    plan = Plan(goal="slow", steps=[Step(id=f"s{i}", tool="slow", rationale="t") for i in (1, 2)])

    def ctrl_c() -> None:  # a real SIGINT, as the terminal sends it, once the steps are running
        if SlowTool.started.wait(30):
            time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=ctrl_c, daemon=True).start()
    before = signal.getsignal(signal.SIGINT)  # Python's handler, or SIG_IGN when the runner started in the background
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        session.start("slow", plan=plan)
    assert time.perf_counter() - started < 5  # not the minute the steps would take
    assert events.cancelled
    assert SlowTool.stopped.wait(2)  # the tool itself stopped at its next progress report
    session.close()
    assert ws.head_id == "v0000"
    assert signal.getsignal(signal.SIGINT) is before  # Ctrl-C works as before afterwards
