"""Drive one co-pilot session through the graph: start, answer the gate, resume.

This is the Python API under the CLI (and the notebook magic):

    ws = Workspace.open("data.csv")
    with Session.open(ws, policy_from_option("all")) as session:
        outcome = session.start("remove duplicates")
"""

from __future__ import annotations

import secrets
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from types import FrameType
from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.types import Command

from copilot.gate import Decision, Policy
from copilot.graph import SessionContext, SessionEvents, build_graph, open_checkpointer
from copilot.llm import build_chat_model
from copilot.plan import Plan
from copilot.record import SessionRecord, SessionReport, gate_answer, read_state, state_update, waiting_change
from copilot.settings import Settings
from copilot.workspace import Workspace
from tools.atomic import atomic_write_text
from tools.base import REGISTRY, ToolRegistry
from tools.contracts import ProposedChange, ToolResult
from tools.errors import UsageError

AskHuman = Callable[[ProposedChange], Decision]
# Each step's checkpoint is on disk before the next step starts (LangGraph's default writes it in the
# background), so after a crash resume starts from the last step that really finished.
_DURABILITY = "sync"


def new_session_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


@dataclass
class Outcome:
    """What a session did, read back from the final graph state."""

    session: str
    state: dict[str, Any]  # as checkpointed (what `--json` prints); `record` is its typed reading
    waiting: list[ProposedChange] = field(default_factory=list)  # non-empty: paused at the gate

    @cached_property
    def record(self) -> SessionRecord:
        return read_state(self.state)

    @property
    def finished(self) -> bool:
        return not self.waiting

    @property
    def plan(self) -> Plan | None:
        return self.record.plan

    @property
    def results(self) -> list[ToolResult]:
        return self.record.tool_results

    @property
    def narratives(self) -> dict[str, str]:
        """step id -> the model's grounded summary of that step's result (with a model only)."""
        return {r.step: r.narrative for r in self.record.results if r.narrative}

    @property
    def report(self) -> SessionReport | None:
        """None until the session has finished."""
        return self.record.report

    @property
    def decisions(self) -> list[Decision]:
        return self.record.decisions


class Session:
    """One goal on one workspace. `ask` answers changes the policy leaves to a human."""

    def __init__(self, workspace: Workspace, policy: Policy, ask: AskHuman | None = None,
                 events: SessionEvents | None = None, registry: ToolRegistry = REGISTRY,
                 llm: BaseChatModel | None = None, settings: Settings | None = None) -> None:
        self.workspace = workspace
        self.policy = policy
        self.ask = ask
        self.context = SessionContext(workspace, events or SessionEvents(), registry, llm, settings or Settings())
        self._checkpointer = open_checkpointer(workspace)
        self.graph = build_graph(self._checkpointer)
        self.session_id: str | None = None

    @classmethod
    def open(cls, workspace: Workspace, policy: Policy, settings: Settings | None = None, *,
             ask: AskHuman | None = None, events: SessionEvents | None = None,
             registry: ToolRegistry = REGISTRY) -> Session:
        """The one way a front end opens a session: the model is built from `settings` (none offline). Use it
        in a `with` block: the session's checkpointer is closed at the end, whatever happens."""
        settings = settings or Settings()
        return cls(workspace, policy, ask=ask, events=events, registry=registry, llm=build_chat_model(settings),
                   settings=settings)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self, goal: str, overrides: dict[str, Any] | None = None, plan: Plan | None = None,
              sample: int | None = None) -> Outcome:
        with self.workspace.locked():  # held for the whole session, human answers included
            self.session_id = new_session_id()
            atomic_write_text(self.workspace.root / "SESSION", self.session_id + "\n")
            given: dict[str, Any] = {"plan": plan} if plan is not None else {}
            if sample:
                given["sample"] = sample
            return self._drive(state_update(session=self.session_id, goal=goal, overrides=overrides or {},
                                            policy=self.policy, **given))

    def resume(self, session_id: str | None = None) -> Outcome:
        """Continue the workspace's last session (or the one named) from where it stopped."""
        marker = self.workspace.root / "SESSION"
        self.session_id = session_id or (marker.read_text().strip() if marker.exists() else None)
        if not self.session_id:
            raise UsageError("no session to resume", file=self.workspace.root, fix="start one with `copilot run`")
        with self.workspace.locked():
            snapshot = self.graph.get_state(self._config())
            if not snapshot.values:
                raise UsageError(f"no saved session '{self.session_id}'", file=self.workspace.root)
            if read_state(snapshot.values).report is not None:  # the last node; `next` can be empty before it ran
                return Outcome(self.session_id, dict(snapshot.values))
            if snapshot.interrupts:
                # Paused at the gate: go on from the waiting change. Invoking the graph again would rerun the
                # gate with a person's earlier answer replayed twice, for the next change too.
                return self._drive_pending(self.ask)
            return self._drive(None)

    def answer(self, decision: Decision) -> Outcome:
        """Resume a session paused at the gate with a decision for its first waiting change."""
        with self.workspace.locked():
            snapshot = self.graph.get_state(self._config())
            if not snapshot.interrupts:
                raise UsageError("no change is waiting for a decision")
            self._resume_with(decision, waiting_change(snapshot.interrupts[0].value))
            return self._drive_pending(ask=None)  # the caller answers any further change the same way

    def _resume_with(self, decision: Decision, waiting: ProposedChange) -> None:
        """Checked before the graph sees it, so a wrong id leaves the session paused and resumable."""
        if decision.change_id != waiting.id:
            raise UsageError(f"the decision names change '{decision.change_id}', but the change waiting is "
                             f"'{waiting.id}'", file=self.workspace.root, fix=f"decide '{waiting.id}'")
        if decision.row_ids is not None:
            affected = waiting.operation.affected_rows
            outside = sorted(set(decision.row_ids) - set(affected))
            if outside:  # approving rows the change does not touch would silently apply nothing to them
                shown = ", ".join(map(str, outside[:10])) + (" …" if len(outside) > 10 else "")
                example = ", ".join(map(str, affected[:5])) + (" …" if len(affected) > 5 else "")
                raise UsageError(f"row{'s' if len(outside) > 1 else ''} {shown} not part of change '{waiting.id}'",
                                 fix=f"choose among its {len(affected)} rows ({example})" if affected
                                 else "this change has no rows to choose from; approve or reject it")
        self._resume(decision)

    def _resume(self, answer: Decision | Policy) -> None:
        self.graph.invoke(Command(resume=gate_answer(answer)), self._config(), context=self.context,
                          durability=_DURABILITY)

    def _config(self) -> dict[str, Any]:
        return {"configurable": {"thread_id": self.session_id}}

    def _drive(self, graph_input: dict[str, Any] | None) -> Outcome:
        with self._cancel_on_interrupt():
            self.graph.invoke(graph_input, self._config(), context=self.context, durability=_DURABILITY)
        return self._drive_pending(self.ask)

    @contextmanager
    def _cancel_on_interrupt(self) -> Iterator[None]:
        """Ctrl-C tells the running steps to stop, at once. The graph runs them in threads of its own, and
        would wait for them to finish before the KeyboardInterrupt reaches us (a minute, for a slow step)."""
        cancel = self.context.cancel
        if threading.current_thread() is not threading.main_thread():  # only the main thread gets signals
            yield
            return

        def interrupted(signum: int, frame: FrameType | None) -> None:
            cancel.set()
            signal.default_int_handler(signum, frame)

        previous = signal.signal(signal.SIGINT, interrupted)
        try:
            yield
        except KeyboardInterrupt:
            self.context.events.on_cancel()
            raise
        finally:
            signal.signal(signal.SIGINT, previous)

    def _drive_pending(self, ask: AskHuman | None) -> Outcome:
        config = self._config()
        offered: set[str] = set()  # changes the gate already put to this session's policy
        while True:
            snapshot = self.graph.get_state(config)
            pending = [waiting_change(i.value) for i in snapshot.interrupts]
            if not pending:
                return Outcome(self.session_id or "", dict(snapshot.values))
            change = pending[0]
            if change.id not in offered and self.policy != read_state(snapshot.values).policy:
                # Resumed under another policy than the session began with: the gate asks it before a person.
                offered.add(change.id)
                self._resume(self.policy)
                continue
            if ask is None:
                # No human at hand: stay paused; `copilot resume` or `answer` picks it up.
                return Outcome(self.session_id or "", dict(snapshot.values), waiting=pending)
            self._resume_with(ask(change), change)

    def close(self) -> None:
        self._checkpointer.conn.close()  # closing twice is harmless
