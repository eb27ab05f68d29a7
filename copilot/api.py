"""The public Python API: the co-pilot on a DataFrame or a file, from a script or a notebook.

    from copilot import Copilot
    cp = Copilot(df)                     # your DataFrame is never modified in place
    run = cp.run("remove duplicates")    # stops at the gate: run.waiting lists the proposed changes
    run.approve()                        # or run.reject(), or run.approve(rows=[...])
    clean = cp.df                        # the current version, as a new DataFrame
"""

from __future__ import annotations

import getpass
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from copilot.gate import Decision, Policy, policy_from_option
from copilot.report import run_html
from copilot.session import Outcome, Session
from copilot.settings import Settings
from copilot.workspace import Workspace
from tools.contracts import ProposedChange


class Run:
    """One goal's session: findings, and the changes still waiting for a decision."""

    def __init__(self, copilot: Copilot, session: Session, outcome: Outcome) -> None:
        self.copilot = copilot
        self.session = session
        self.outcome = outcome
        self._listeners: list[Callable[[], None]] = []

    def on_decision(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every decision on this run (the notebook redraws and republishes)."""
        self._listeners.append(listener)

    @property
    def waiting(self) -> list[ProposedChange]:
        return self.outcome.waiting

    @property
    def findings(self) -> pd.DataFrame:
        rows = [{"severity": f.severity, "type": f.type, "issue": f.issue, "file": f.file,
                 "rows": ", ".join(map(str, f.rows[:8])), "evidence": " | ".join(f.evidence[:2]), "tool": f.tool}
                for r in self.outcome.results for f in r.findings]
        return pd.DataFrame(rows, columns=["severity", "type", "issue", "file", "rows", "evidence", "tool"])

    def _decide(self, action: str, rows: list[int] | None = None, reason: str = "") -> Run:
        if not self.waiting:
            raise ValueError("no change is waiting for a decision")
        change = self.waiting[0]
        decision = Decision(change_id=change.id, action="edit" if rows is not None else action, row_ids=rows,
                            actor=f"user:{getpass.getuser()}", reason=reason)
        self.outcome = self.session.answer(decision)
        for listener in self._listeners:
            listener()
        return self

    def approve(self, rows: list[int] | None = None) -> Run:
        """Approve the first waiting change (only `rows` of it, when given)."""
        return self._decide("approve", rows)

    def reject(self, reason: str = "") -> Run:
        """Reject the first waiting change."""
        return self._decide("reject", reason=reason)

    def _repr_html_(self) -> str:
        return run_html(self.waiting, self.outcome, self.copilot.workspace)


class Copilot:
    """The co-pilot on one dataset: a DataFrame (copied into a workspace) or a path."""

    def __init__(self, data: pd.DataFrame | str | Path, name: str = "data", workspace: str | Path | None = None,
                 approve: str | Policy = "ask", settings: Settings | None = None) -> None:
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        if isinstance(data, pd.DataFrame):
            if workspace is None:
                # Removed with this object (or at exit): a DataFrame given without a workspace leaves nothing behind.
                self._scratch = tempfile.TemporaryDirectory(prefix="copilot-", ignore_cleanup_errors=True)
            root = Path(workspace) if workspace else Path(self._scratch.name)
            self.workspace = Workspace.from_frame(data, name, root / "workspace")
        else:
            self.workspace = Workspace.open(data, workspace)
        self.policy = approve if isinstance(approve, Policy) else policy_from_option(approve)
        self.settings = settings or Settings()
        self.last: Run | None = None

    def run(self, goal: str, label: str | None = None, text: str | None = None) -> Run:
        """Plan and run a goal; changes the policy leaves to you wait in `Run.waiting`."""
        if self.last is not None:
            self.last.session.close()  # a new run supersedes the last one's open checkpointer
        session = Session.open(self.workspace, self.policy, self.settings)
        self.last = Run(self, session, session.start(goal, {"label_column": label, "text_column": text}))
        return self.last

    @property
    def df(self) -> pd.DataFrame:
        """The current version of the (first) table, as a new DataFrame indexed by row id."""
        return self.workspace.load().table(next(iter(self.workspace.version().tables))).df.copy()

    def undo(self) -> pd.DataFrame:
        self.workspace.undo()
        return self.df

    def log(self) -> pd.DataFrame:
        return pd.DataFrame(self.workspace.log())
