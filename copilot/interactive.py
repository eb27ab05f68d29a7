"""The human side of the approval gate in a terminal: show a change, ask, return a Decision."""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable

from rich.console import Console
from rich.prompt import Prompt

from copilot.gate import Decision
from copilot.render import render_change, render_preview
from copilot.workspace import Workspace
from tools.contracts import Preview, ProposedChange, WriteFile
from tools.errors import UsageError
from tools.operations import preview_table_change

MorePreview = Callable[[ProposedChange, int], Preview]
_HELP = ("a = approve all rows · r = reject · e = approve only some rows (you list them) · "
         "m = show more rows · ? = this help")


def parse_row_list(text: str) -> list[int]:
    """'3, 10-12 40' -> [3, 10, 11, 12, 40]."""
    rows: list[int] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise ValueError(f"'{part}' is not a row id or range")
        lo, hi = int(match[1]), int(match[2] or match[1])
        rows.extend(range(lo, hi + 1))
    return rows


def workspace_previews(workspace: Workspace) -> MorePreview:
    """Longer previews from the workspace's current data; a file write's diff is already whole."""

    def more(change: ProposedChange, rows: int) -> Preview:
        if isinstance(change.operation, WriteFile):
            return change.preview
        df = workspace.load().table(change.operation.table).df
        return preview_table_change(df, change.operation, sample=rows)

    return more


class TerminalApprover:
    """Asks a person about each change. End of input leaves the session paused, never approved."""

    def __init__(self, console: Console, more: MorePreview, actor: str | None = None) -> None:
        self.console = console
        self.more = more
        self.actor = actor or f"user:{getpass.getuser()}"

    def _ask(self, prompt: str, **kwargs: object) -> str:
        try:
            return Prompt.ask(prompt, console=self.console, **kwargs)
        except EOFError:
            raise UsageError("no answer at the approval gate (end of input)",
                             fix="the session is saved: run `copilot resume` in a terminal, or pass --approve") \
                from None

    def _optional(self, prompt: str) -> str:
        try:
            return Prompt.ask(prompt, console=self.console, default="")
        except EOFError:  # nothing more to read: an optional answer is simply empty
            return ""

    def __call__(self, change: ProposedChange) -> Decision:
        render_change(self.console, change)
        shown = len(change.preview.sample)
        while True:
            # Key letters escaped: Rich would read "[a]" as a style tag and print nothing.
            answer = self._ask(r"[bold]approve[/] \[a] / [bold]reject[/] \[r] / [bold]edit[/] \[e] / "
                               r"[bold]more[/] \[m] / \[?] help", choices=["a", "r", "e", "m", "?"], default="r",
                               show_choices=False)
            if answer == "?":
                self.console.print(_HELP)
            elif answer == "m":
                shown += 20
                render_preview(self.console, self.more(change, shown), title=f"first {shown} rows")
            elif answer == "a":
                return Decision(change_id=change.id, action="approve", actor=self.actor)
            elif answer == "r":
                reason = self._optional("reason (optional)")
                return Decision(change_id=change.id, action="reject", actor=self.actor, reason=reason)
            else:
                decision = self._edit(change)
                if decision:
                    return decision

    def _edit(self, change: ProposedChange) -> Decision | None:
        affected = change.operation.affected_rows
        if not affected:
            self.console.print("[yellow]This change has no rows to choose from; approve or reject it.[/]")
            return None
        text = self._ask(f"rows to approve (of {len(affected)}: e.g. {affected[0]}"
                         f"{', ' + str(affected[1]) if len(affected) > 1 else ''}; ranges like 3-7 work)")
        try:
            rows = parse_row_list(text)
        except ValueError as exc:
            self.console.print(f"[red]{exc}[/]")
            return None
        outside = sorted(set(rows) - set(affected))
        if outside:
            self.console.print(f"[red]not part of this change: {', '.join(map(str, outside[:10]))}[/]")
            return None
        return Decision(change_id=change.id, action="edit", row_ids=rows, actor=self.actor,
                        reason=f"approved {len(rows)} of {len(affected)} rows")
