"""Orchestration as a LangGraph graph: plan → run steps → gate → apply → report.

State holds only JSON-ready dicts, so the SQLite checkpointer in the workspace can persist it and an
interrupted session resumes where it stopped; each node reads it as a `SessionRecord` and returns a
`state_update` (copilot/record.py). Things that cannot be persisted (the workspace handle, progress
callbacks) travel in the runtime context, rebuilt on resume.
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from copilot.events import SessionEvents
from copilot.gate import Decision, Policy, effective_operation
from copilot.llm_planner import LLMPlanner
from copilot.plan import Plan, Step
from copilot.planner import corpus_notes, make_plan, slow_step_notes
from copilot.record import (
    SEVERITIES,
    AppliedChange,
    SessionRecord,
    SessionReport,
    SessionState,
    StepRecord,
    Tokens,
    gate_question,
    read_gate_answer,
    read_state,
    state_update,
)
from copilot.settings import Settings
from copilot.worker import narrate
from copilot.workspace import Workspace
from tools.base import REGISTRY, ToolContext, ToolRegistry
from tools.contracts import ProposedChange
from tools.errors import CopilotError, UsageError
from tools.focus import focus_from_goal

_MAX_PARALLEL = 4


@dataclass
class SessionContext:
    workspace: Workspace
    events: SessionEvents = field(default_factory=SessionEvents)
    registry: ToolRegistry = field(default_factory=lambda: REGISTRY)
    llm: BaseChatModel | None = None  # None: offline, the rule planner plans
    settings: Settings = field(default_factory=Settings)
    cancel: threading.Event = field(default_factory=threading.Event)  # set on Ctrl-C: running steps stop
    _loaded: tuple[str, ToolContext] | None = None

    def drop_model(self) -> None:
        """After a failed call: tools and nodes go on without the model."""
        self.llm = None
        self._loaded = None

    def tool_context(self, sample: int | None = None) -> ToolContext:
        """HEAD's data (or a random `sample` of rows per table) and profile, loaded once per version and shared by
        planning and every step."""
        key = f"{self.workspace.head_id}:{sample}"
        if self._loaded is None or self._loaded[0] != key:
            inputs = self.workspace.input_paths()
            dataset = self.workspace.load()
            self._loaded = (key, ToolContext(dataset.sample(sample) if sample else dataset,
                                             cache_dir=self.workspace.cache_dir, llm=self.llm,
                                             engine=self.settings.engine,
                                             history=self.workspace.log(), source_root=inputs[0] if inputs else None))
        return self._loaded[1]


def _model(record: SessionRecord, context: SessionContext) -> BaseChatModel | None:
    """The model, unless a call already failed in this session (state survives a resume; the context not)."""
    if record.model_down and context.llm is not None:
        context.drop_model()
    return context.llm


def plan_node(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    record = read_state(state)
    usage: list[dict[str, int]] = []
    update: dict[str, Any] = {}
    context = runtime.context
    if record.plan is not None:
        plan = record.plan
    else:
        profile = context.tool_context(record.sample).profile
        plan, usage, failed = make_plan(record.goal, profile, _model(record, context), context.settings,
                                        context.registry, record.overrides)
        if failed:
            context.drop_model()
            update["model_down"] = failed
        if not plan.focus:
            plan.focus = focus_from_goal(record.goal, profile)
        dataset = context.tool_context(record.sample).dataset
        corpora = [name for name, t in dataset.tables.items() if t.corpus is not None]
        plan.notes += corpus_notes(dataset, context.settings.engine)
        plan.notes += slow_step_notes(plan, profile, context.registry, record.sample, corpora)
        sampled = [t for t in dataset.tables.values() if t.sampled_from and t.corpus is None]
        if sampled:
            plan.notes.append(f"A first look at a random sample of {record.sample:,} rows of "
                              + ", ".join(f"{t.name} ({t.sampled_from:,} rows)" for t in sampled)
                              + ": counts are of the sample, and rare problems may be missed. Run without --sample "
                                "for the full audit.")
    context.events.on_plan(plan)
    return state_update(plan=plan, usage=usage, **update)


class StepCancelled(BaseException):
    """Raised inside a running tool at its next progress report once the session is cancelled (a
    BaseException, so a tool's own `except Exception` cannot swallow it)."""


def _run_step(step: Step, ctx: ToolContext, context: SessionContext,
              earlier: list[StepRecord] | None = None) -> StepRecord:
    events = context.events
    events.on_step_start(step)

    def report(fraction: float) -> None:
        if context.cancel.is_set():
            raise StepCancelled(step.id)
        events.on_step_progress(step, fraction)

    step_ctx = ctx.with_progress(report)
    step_ctx.prior_results = [r.result for r in earlier or [] if r.step in step.depends_on and r.result is not None]
    try:
        tool = context.registry.get(step.tool)
        result = tool.execute(step_ctx, tool.parse_args(step.args))
    except CopilotError as exc:
        events.on_step_end(step, None, exc.line())
        return StepRecord(step=step.id, error=exc.line())
    except Exception as exc:  # a broken tool must not lose the session; the error is shown
        message = f"{step.tool} failed: {type(exc).__name__}: {exc}"
        events.on_step_end(step, None, message)
        return StepRecord(step=step.id, error=message)
    events.on_step_end(step, result, None)
    return StepRecord(step=step.id, result=result)


def run_node(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    """Run the plan's steps that have no result yet (all of them, or those a revision added)."""
    record = read_state(state)
    plan = record.plan
    done = {r.step for r in record.results}
    pending = Plan(goal=plan.goal, steps=[s for s in plan.steps if s.id not in done])
    llm = _model(record, runtime.context)
    ctx = runtime.context.tool_context(record.sample).focused(plan.focus)
    results: list[StepRecord] = []
    for level in pending.levels_after(done) if pending.steps else []:
        run = partial(_run_step, ctx=ctx, context=runtime.context, earlier=record.results + results)
        results += _run_level(level, run, runtime.context)
    usage, down = _narrate(results, llm) if llm is not None else ([], None)
    if down:
        runtime.context.drop_model()
    update = {"model_down": down} if down else {}
    return state_update(results=[*record.results, *results], usage=usage, base=runtime.context.workspace.head_id,
                        **update)


def _run_level(level: list[Step], run, context: SessionContext) -> list[StepRecord]:
    """Run independent steps in parallel. Once the session is cancelled (Ctrl-C, see `Session`) the running
    steps stop at their next progress report and nobody waits for the rest: tools never write, and this
    node's results are not saved, so a resume reruns them."""
    pool = ThreadPoolExecutor(max_workers=min(_MAX_PARALLEL, len(level)))
    try:
        futures = [pool.submit(run, step) for step in level]
        return [f.result() for f in futures]
    finally:
        pool.shutdown(wait=not context.cancel.is_set(), cancel_futures=True)


def _narrate(results: list[StepRecord], llm: BaseChatModel) -> tuple[list[dict[str, int]], str | None]:
    """Add a short grounded summary to each result; (usage, why the model failed, if it did)."""
    usage = []
    for entry in results:
        if entry.result is None:
            continue
        try:
            text, used = narrate(llm, entry.result)
        except Exception as exc:  # the tools' own summaries stand; no more calls to a failing model
            return usage, f"the model failed while summarising: {type(exc).__name__}"
        usage.append(used)
        if text:
            entry.narrative = text
    return usage, None


def revise_node(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    """Let the model add a step or two from what was found; bounded by settings.max_revisions."""
    context = runtime.context
    record = read_state(state)
    plan = record.plan
    planner = LLMPlanner(context.llm, context.settings, context.registry)
    profile = context.tool_context(record.sample).profile
    steps, note, usage = planner.revise(plan, record.results, profile, record.overrides)
    update: dict[str, Any] = {"revisions": record.revisions + 1, "usage": usage}
    if planner.failed:
        context.drop_model()
        update["model_down"] = planner.failed
    if steps:
        plan = plan.model_copy(update={"steps": [*plan.steps, *steps],
                                       "notes": [*plan.notes, f"Revised: added {', '.join(s.tool for s in steps)}."]})
        context.events.on_plan(plan)
        update["plan"] = plan
    elif note:
        update["plan"] = plan.model_copy(update={"notes": [*plan.notes, f"Not revised: {note}."]})
    return state_update(**update)


def _after_plan(state: SessionState) -> str:
    return "run" if read_state(state).plan.steps else "report"


def _after_run(state: SessionState, runtime: Runtime[SessionContext]) -> str:
    context = runtime.context
    record = read_state(state)
    can_revise = _model(record, context) is not None and record.revisions < context.settings.max_revisions
    return "revise" if can_revise else "gate"


def _after_revise(state: SessionState) -> str:
    record = read_state(state)
    done = {r.step for r in record.results}
    return "run" if any(s.id not in done for s in record.plan.steps) else "gate"


def gate_node(state: SessionState) -> dict[str, Any]:
    """Decide every change: by the session's policy where it can, else through interrupt(). The one place a
    policy decides."""
    record = read_state(state)
    return state_update(decisions=[_decide(change, record.policy) for change in record.changes()])


def _decide(change: ProposedChange, policy: Policy) -> Decision:
    decision = policy.decide(change)
    while decision is None:
        # Pauses the graph. The session resumes it with a person's decision, or first with the policy it
        # brings when that differs from the one the session began with (a resume with --approve all). When
        # this node reruns, each interrupt() returns its recorded answer, in order.
        answer = read_gate_answer(interrupt(gate_question(change)))
        if isinstance(answer, Policy):
            decision = answer.decide(change)  # None: this policy asks too; wait for a person
            continue
        if answer.change_id != change.id:  # Session.answer checks first; this guards the state itself
            raise UsageError(f"the decision is for '{answer.change_id}', not the waiting change '{change.id}'")
        decision = answer
    return decision


def _check_base(record: SessionRecord, workspace: Workspace) -> None:
    """Changes are row edits of the version they were proposed on: refuse them if HEAD moved since."""
    mine = [e for e in workspace.log() if e["event"] == "apply" and e.get("session") == record.session]
    expected = mine[-1]["to_version"] if mine else record.base
    if expected and workspace.head_id != expected:
        raise UsageError(f"the workspace moved to {workspace.head_id} after this session proposed its changes "
                         f"on {expected}; nothing more was applied", file=workspace.root, fix="run the goal again")


def apply_node(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    record = read_state(state)
    workspace = runtime.context.workspace
    session = record.session
    # Idempotent if this node re-runs after a crash: the audit log says what already happened.
    already = workspace.applied_change_ids(session)
    decided = workspace.decided_change_ids(session)
    changes = {c.id: c for c in record.changes()}
    applied = []
    with workspace.locked():
        _check_base(record, workspace)
        for decision in record.decisions:
            change = changes.get(decision.change_id)
            if change is None:
                raise UsageError(f"a decision names unknown change '{decision.change_id}'", file=workspace.root,
                                 fix=f"decide one of: {', '.join(changes) or 'no changes'}")
            if change.id in already:
                continue
            if change.id not in decided:
                workspace.record_decision(change, decision, session)
            operation = effective_operation(change, decision)
            if operation is None:
                continue
            version = workspace.apply(change, operation, decision, session)
            applied.append(AppliedChange(change_id=change.id, version=version.id,
                                         rows_affected=len(operation.affected_rows), kind=operation.kind))
    return state_update(applied=applied)


def report_node(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    record = read_state(state)
    findings = record.findings
    workspace = runtime.context.workspace
    tokens = Tokens.total(record.usage)
    if not any(e["event"] == "session" and e.get("session") == record.session for e in workspace.log()):
        workspace.record_session(record.session, record.goal, record.plan.planner, tokens.model_dump())
    changes = {c.id: c for c in record.changes()}
    written = [changes[a.change_id].operation.path for a in record.applied
               if a.kind == "write_file" and a.change_id in changes]
    head_documents = workspace.version().documents
    readable = {name: str(workspace.readable_document(name)) for name in dict.fromkeys(written)
                if name in head_documents}
    return state_update(report=SessionReport(
        documents=readable,
        steps=len(record.results),
        failed_steps=[r for r in record.results if r.error is not None],
        findings=len(findings),
        by_severity={s: sum(f.severity == s for f in findings) for s in SEVERITIES},
        proposed=len(changes),
        approved=sum(d.approved for d in record.decisions),
        rejected=sum(d.action == "reject" for d in record.decisions),
        applied=record.applied,
        policy=record.policy.name,
        planner=record.plan.planner,
        tokens=tokens,
        head=workspace.head_id,
        workspace=str(workspace.root),
    ))


def build_graph(checkpointer: SqliteSaver | None = None):
    graph = StateGraph(SessionState, context_schema=SessionContext)
    graph.add_node("plan", plan_node)
    graph.add_node("run", run_node)
    graph.add_node("gate", gate_node)
    graph.add_node("apply", apply_node)
    graph.add_node("report", report_node)
    graph.add_edge(START, "plan")
    graph.add_conditional_edges("plan", _after_plan, ["run", "report"])
    graph.add_node("revise", revise_node)
    graph.add_conditional_edges("run", _after_run, ["revise", "gate"])
    graph.add_conditional_edges("revise", _after_revise, ["run", "gate"])
    graph.add_edge("gate", "apply")
    graph.add_edge("apply", "report")
    graph.add_edge("report", END)
    return graph.compile(checkpointer=checkpointer)


def open_checkpointer(workspace: Workspace) -> SqliteSaver:
    conn = sqlite3.connect(workspace.checkpoint_path, check_same_thread=False)
    return SqliteSaver(conn)
