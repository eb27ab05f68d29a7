"""`copilot chat DATA`: a conversation in the terminal, with every change still behind the gate."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from copilot.gate import ASK
from copilot.interactive import TerminalApprover, workspace_previews
from copilot.llm import build_chat_model
from copilot.planner import RulePlanner, make_plan
from copilot.render import (
    TerminalEvents,
    render_finding_detail,
    render_findings,
    render_log,
    render_outcome,
    render_plan,
    sorted_findings,
)
from copilot.session import Outcome, Session
from copilot.settings import Settings
from copilot.workspace import Workspace
from tools.base import REGISTRY, ToolContext
from tools.contracts import Finding
from tools.errors import CopilotError
from tools.quoting import markup_safe as escape

HELP = """Type a goal in plain English ("what's wrong with this dataset?", "remove duplicates", "write the card"),
or a follow-up: "why did you flag row 17?", "undo that". Every change waits for your approval.
  /plan GOAL   show the plan for a goal without running it     /findings [N] the last findings (N: one in full)
  /approve     approve the change left waiting                 /reject     reject it
  /undo        go back one version                             /log        the audit log
  /card        write the dataset card                          /export PATH  write the current version
  /tools       what the tools do                               /help       this text
  /quit        leave (Ctrl-D works too; Ctrl-C cancels a running goal and keeps the chat)"""
_WHY_ROW = re.compile(r"\bwhy\b.*\brow\s+(\d+)", re.IGNORECASE)
_LOG_SHOWN = 20
_FINDINGS_HINT = "/findings N shows finding N in full"
_UNDO = re.compile(r"^\s*(undo|revert|roll ?back)\b", re.IGNORECASE)


class Chat:
    def __init__(self, data: Path, workspace: Path | None, settings: Settings, console: Console) -> None:
        self.workspace = Workspace.open(data, workspace)
        self.settings = settings
        self.console = console
        self.llm = build_chat_model(settings)
        self.last: Outcome | None = None
        self.session: Session | None = None

    # ---- the loop ------------------------------------------------------------------------------------
    def loop(self, resume: bool = False) -> None:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory

        prompt = PromptSession(history=FileHistory(str(self.workspace.root / "chat_history")))
        dataset = self.workspace.load()
        self.console.print(f"[bold]copilot chat[/] on {escape(', '.join(dataset.tables))} "
                           f"(version {self.workspace.head_id}) · {escape(self.settings.describe())}. /help for help.")
        if resume:
            self._guarded(lambda: self._show(self._new_session().resume()))
        while True:
            try:
                line = prompt.prompt("copilot> ").strip()
            except KeyboardInterrupt:
                continue
            except EOFError:
                break
            if not line:
                continue
            if line.startswith("/"):
                if not self._guarded(self.command, line):
                    break
            else:
                self._guarded(self.say, line)
        self._close_session()
        self.console.print("Bye. Your workspace: " + escape(str(self.workspace.root)))

    def _guarded(self, action, *args) -> bool:
        """Run one turn; errors and Ctrl-C end the turn, never the chat. False means: quit."""
        try:
            return action(*args) is not False
        except KeyboardInterrupt:
            self.console.print("\n[yellow]Cancelled.[/] Nothing unapproved was applied; the chat goes on.")
        except CopilotError as exc:
            self.console.print(f"[red]error:[/] {escape(exc.line())}")
        return True

    # ---- turns ---------------------------------------------------------------------------------------
    def _new_session(self) -> Session:
        self._close_session()
        self.session = Session.open(self.workspace, ASK, self.settings,
                                    ask=TerminalApprover(self.console, workspace_previews(self.workspace)),
                                    events=TerminalEvents(self.console))
        return self.session

    def _close_session(self) -> None:
        if self.session is not None:
            self.session.close()  # its SQLite checkpointer; the session's state stays in the workspace
            self.session = None

    def say(self, line: str) -> None:
        if _UNDO.match(line):
            return self.command("/undo")
        if (m := _WHY_ROW.search(line)) is not None:
            return self.explain_row(int(m.group(1)), line)
        if self.llm is None and not RulePlanner().matched_intents(line):
            self.console.print(RulePlanner().help_text())
            return None
        self._show(self._new_session().start(line))
        return None

    def _show(self, outcome: Outcome) -> None:
        self.last = outcome
        render_outcome(self.console, outcome, self.workspace, more_hint=_FINDINGS_HINT)

    def show_findings(self, which: str) -> None:
        """`/findings` lists them; `/findings N` shows number N in full."""
        results = self.last.results if self.last else []
        if not which:
            render_findings(self.console, results, more_hint=_FINDINGS_HINT)
            return
        findings = sorted_findings(results)
        if not which.isdigit() or not 1 <= int(which) <= len(findings):
            self.console.print(f"[red]error:[/] /findings takes a number from 1 to {len(findings)}"
                               if findings else "No findings yet.")
            return
        render_finding_detail(self.console, findings[int(which) - 1], int(which))

    def _findings(self) -> list[Finding]:
        return self.last.record.findings if self.last else []

    def explain_row(self, row: int, question: str) -> None:
        about = [f for f in self._findings() if row in f.rows]
        if not about:
            self.console.print(f"No finding of the last run mentions row {row}.")
            return
        for f in about:
            self.console.print(f"[bold]{escape(f.issue)}[/] ({f.tool}, {f.type}, {f.severity})\n"
                               f"{escape(f.description)}\n" + "\n".join(f"  • {escape(e)}" for e in f.evidence))
        if self.llm is not None:
            from copilot.chat_answer import answer

            text = answer(self.llm, question, about)
            if text:
                self.console.print(escape(text))

    def command(self, line: str) -> bool:
        name, _, rest = line.partition(" ")
        rest = rest.strip()
        if name in ("/quit", "/exit", "/q"):
            return False
        if name == "/help":
            self.console.print(escape(HELP))
        elif name == "/plan":
            profile = ToolContext(self.workspace.load()).profile
            render_plan(self.console, make_plan(rest or "audit", profile, self.llm, self.settings)[0])
        elif name == "/findings":
            self.show_findings(rest)
        elif name in ("/approve", "/reject"):
            self._answer(name[1:])
        elif name == "/undo":
            before = self.workspace.head_id
            self.workspace.undo(actor="user:chat")
            self.console.print(f"Undone: HEAD moved from {before} back to [bold]{self.workspace.head_id}[/].")
        elif name == "/log":
            render_log(self.console, self.workspace, last=_LOG_SHOWN)
        elif name == "/card":
            self.say("write the card")
        elif name == "/export":
            written = self.workspace.export(rest or "curated.csv")
            self.console.print("Exported to " + ", ".join(escape(str(p)) for p in written))
        elif name == "/tools":
            for tool in REGISTRY.catalogue():
                self.console.print(f"[bold]{tool['name']}[/]: {escape(tool['description'])}")
        else:
            self.console.print(f"Unknown command {escape(name)}; /help lists them.")
        return True

    def _answer(self, action: str) -> None:
        from copilot.gate import Decision

        if not self.last or not self.last.waiting or self.session is None:
            self.console.print("No change is waiting for a decision.")
            return
        change = self.last.waiting[0]
        self._show(self.session.answer(Decision(change_id=change.id, action=action, actor="user:chat")))
