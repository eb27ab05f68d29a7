"""`copilot chat`, driven as a person would in a pseudo-terminal (pexpect)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pexpect

from copilot.workspace import Workspace


def test_chat_goal_approve_reject_undo_quit(tmp_path: Path, penguins: pd.DataFrame) -> None:
    df = penguins.copy()
    flipped = np.random.default_rng(1).choice(len(df), 12, replace=False)
    df.loc[flipped, "species"] = df.loc[flipped, "species"].map(
        {"Adelie": "Gentoo", "Gentoo": "Chinstrap", "Chinstrap": "Adelie"})
    data = tmp_path / "penguins.csv"
    pd.concat([df, df.iloc[[5, 9]]]).to_csv(data, index=False)
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "160", "COPILOT_EMBEDDER": "lexical"}
    child = pexpect.spawn(sys.executable, ["-m", "copilot.cli", "chat", str(data)], env=env, encoding="utf-8",
                          timeout=90, dimensions=(60, 160))
    child.expect("copilot>")
    child.sendline("/help")
    child.expect("why did you flag row 17")
    child.expect("copilot>")
    child.sendline("remove duplicates and find label errors")
    child.expect("Proposed change")  # the duplicates' drop comes first
    child.expect(r"\[\?\]")
    child.sendline("a")
    child.expect("relabel")  # then the label fixes: reject both
    child.expect(r"\[\?\]")
    child.sendline("r")
    child.expect("reason")
    child.sendline("want to check them myself")
    child.expect("drop_rows")
    child.expect(r"\[\?\]")
    child.sendline("r")
    child.expect("reason")
    child.sendline("")
    child.expect("copilot>")
    flagged = int(flipped[0])
    child.sendline(f"why did you flag row {flagged}?")
    child.expect(f"row {flagged}")
    child.expect("copilot>")
    child.sendline("/findings 1")  # the first finding in full: its row ids and every evidence item
    child.expect("#1 ")
    child.expect("row ids: ")
    child.expect("copilot>")
    child.sendline("/findings 99")
    child.expect("takes a number from")  # rich styles the numbers
    child.expect("copilot>")
    child.sendline("undo that")
    child.expect(r"Undone: HEAD moved from \S*v0001\S* back to \S*v0000")  # rich styles the version ids
    child.expect("copilot>")
    child.sendline("/log")
    child.expect("Audit log")
    child.expect("copilot>")
    child.sendline("/quit")
    child.expect("Bye")
    child.expect(pexpect.EOF)

    ws = Workspace.existing(tmp_path / ".copilot" / "penguins.csv")
    assert ws.head_id == "v0000" and len(ws.versions()) == 2  # one change applied, then undone
    decisions = [e["decision"] for e in ws.log() if e["event"] == "decision"]
    assert [d["action"] for d in decisions] == ["approve", "reject", "reject"]
    assert decisions[1]["reason"] == "want to check them myself"
    assert len(ws.load("v0001").table().df) == len(df)  # the approved version dropped the 2 duplicates
