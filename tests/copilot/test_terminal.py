"""`copilot run` in a real pseudo-terminal, driven as a person would: the gate asks by default."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pexpect


def test_in_a_terminal_the_gate_asks_and_applies_only_what_was_approved(penguins_with_dups: Path,
                                                                        penguins: pd.DataFrame) -> None:
    child = pexpect.spawn(sys.executable, ["-m", "copilot.cli", "run", str(penguins_with_dups), "remove duplicates"],
                          encoding="utf-8", timeout=60, dimensions=(50, 160))
    child.expect("Proposed change")
    child.expect(r"\[\?\]")  # the approve / reject / edit / more prompt
    child.sendline("?")
    child.expect("approve only some rows")
    child.sendline("a")
    child.expect("applied")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    from copilot.workspace import Workspace

    head = Workspace.existing(penguins_with_dups.parent / ".copilot" / "penguins.csv").load().table().df
    assert len(head) == len(penguins)
