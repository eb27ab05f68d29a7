"""Two processes on one workspace: the second waits or fails with one clear line; no approved change is lost."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd

from copilot.workspace import Workspace

HOLD = """
import sys
from copilot.workspace import Workspace
ws = Workspace.existing(sys.argv[1])
with ws.locked():
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_busy_workspace_fails_clearly_or_waits(cli, penguins_with_dups: Path, penguins: pd.DataFrame) -> None:
    ws = Workspace.open(penguins_with_dups)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(ws.root)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        busy = cli("run", penguins_with_dups, "remove duplicates", "--approve", "all")
        assert busy.code == 2 and f"workspace is in use by pid {holder.pid}" in busy.err
        assert len(busy.err.strip().splitlines()) == 1 and "--wait" in busy.err
        assert cli("undo", penguins_with_dups).code == 2
        threading.Timer(1.0, lambda: (holder.stdin.write("go\n"), holder.stdin.flush())).start()
        waited = cli("run", penguins_with_dups, "remove duplicates", "--approve", "all", "--wait", "60")
        assert waited.code == 0, waited.err
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert len(Workspace.existing(ws.root).load().table().df) == len(penguins)


def test_two_runs_at_once_apply_the_change_once(penguins_with_dups: Path, penguins: pd.DataFrame) -> None:
    ws_dir = penguins_with_dups.parent / "ws"
    run = [sys.executable, "-m", "copilot.cli", "run", str(penguins_with_dups), "remove duplicates",
           "--approve", "all", "--workspace", str(ws_dir), "--wait", "120", "--json"]
    procs = [subprocess.Popen(run, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-500:] for _, err in outs]
    applied = [json.loads(out)["report"]["applied"] for out, _ in outs]
    assert sorted(len(a) for a in applied) == [0, 1]  # the second saw the first's result: nothing left to drop
    ws = Workspace.existing(ws_dir)
    assert ws.inconsistencies() == []
    assert [e["event"] for e in ws.log()].count("create") == 1
    assert [e["event"] for e in ws.log()].count("apply") == 1
    assert len(ws.load().table().df) == len(penguins) and ws.head_id == "v0001"
