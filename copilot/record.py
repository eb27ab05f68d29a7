"""The session's state, typed: the graph checkpoints plain dicts, everything else reads these models.

LangGraph's SQLite checkpointer persists the state as JSON-ready dicts, so a session resumes in a new
process and checkpoints written by earlier versions still load. Nodes, `Outcome`, the renderers and the
report work on the models below; `read_state` and `state_update` are the one place the two meet, and
they keep the dicts' shape as it always was. The gate's questions and answers (interrupt and resume values,
checkpointed too) pass through `gate_question` / `waiting_change` and `gate_answer` / `read_gate_answer`.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Annotated, Any, TypedDict

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from copilot.gate import Decision, Policy
from copilot.plan import Plan
from tools.contracts import Finding, ProposedChange, ToolResult

SEVERITIES = ("high", "medium", "low", "info")


class SessionState(TypedDict, total=False):
    """The checkpointed shape (LangGraph's channels); `SessionRecord` is its typed reading."""

    session: str
    goal: str
    overrides: dict[str, Any]
    policy: dict[str, Any]
    plan: dict[str, Any]
    results: list[dict[str, Any]]
    revisions: int
    usage: Annotated[list[dict[str, int]], operator.add]  # one entry per model call, appended by each node
    model_down: str
    base: str
    sample: int
    decisions: list[dict[str, Any]]
    applied: list[dict[str, Any]]
    report: dict[str, Any]


class StepRecord(BaseModel):
    """One step's record: its result (with the model's grounded summary, if any), or why it failed."""

    step: str
    result: ToolResult | None = None
    narrative: str | None = None
    error: str | None = None

    @model_serializer(mode="wrap")
    def _only_what_is_there(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # The checkpointed entry names only what it has: {"step", "result", "narrative"?} or {"step", "error"}.
        return {key: value for key, value in handler(self).items() if value is not None}


class AppliedChange(BaseModel):
    """A change the workspace applied, and the version it made."""

    change_id: str
    version: str
    rows_affected: int
    kind: str


class Tokens(BaseModel):
    """A session's model use, summed over its calls."""

    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0

    @classmethod
    def total(cls, usage: list[dict[str, int]]) -> Tokens:
        return cls(**{key: sum(u.get(key, 0) for u in usage) for key in cls.model_fields})


class SessionReport(BaseModel):
    """What the session did, summed up by the report node (the defaults stand in before it ran)."""

    documents: dict[str, str] = Field(default_factory=dict)  # approved document -> a readable copy
    steps: int = 0
    failed_steps: list[StepRecord] = Field(default_factory=list)
    findings: int = 0
    by_severity: dict[str, int] = Field(default_factory=dict)
    proposed: int = 0
    approved: int = 0
    rejected: int = 0
    applied: list[AppliedChange] = Field(default_factory=list)
    policy: str = ""
    planner: str = ""
    tokens: Tokens = Field(default_factory=Tokens)
    head: str = "?"
    workspace: str = ""


class SessionRecord(BaseModel):
    """The typed reading of `SessionState`: what a session has planned, found, decided and applied."""

    session: str = ""
    goal: str = ""
    overrides: dict[str, Any] = Field(default_factory=dict)
    policy: Policy | None = None
    plan: Plan | None = None
    results: list[StepRecord] = Field(default_factory=list)
    revisions: int = 0
    usage: list[dict[str, int]] = Field(default_factory=list)
    model_down: str | None = None  # why a model call failed: the rest of the session makes no more calls
    base: str | None = None  # the version the tools read, so the changes they proposed
    sample: int | None = None  # tools read a random sample of this many rows per table (--sample)
    decisions: list[Decision] = Field(default_factory=list)
    applied: list[AppliedChange] = Field(default_factory=list)
    report: SessionReport | None = None

    @property
    def tool_results(self) -> list[ToolResult]:
        return [r.result for r in self.results if r.result is not None]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.tool_results for f in r.findings]

    def changes(self) -> list[ProposedChange]:
        """Every proposed change once, in the order the steps proposed them (two steps may propose the same)."""
        unique: dict[str, ProposedChange] = {}
        for result in self.tool_results:
            for change in result.proposed_changes:
                unique.setdefault(change.id, change)
        return list(unique.values())


def gate_question(change: ProposedChange) -> dict[str, Any]:
    """What the gate asks through interrupt(): the change waiting for a decision."""
    return {"change": change.model_dump(mode="json")}


def waiting_change(question: Mapping[str, Any]) -> ProposedChange:
    return ProposedChange.model_validate(question["change"])


def gate_answer(answer: Decision | Policy) -> dict[str, Any]:
    """What resumes the gate: a person's decision (as earlier versions saved it), or a policy for the gate to
    ask (the one a resumed session brings)."""
    return {"policy": answer.model_dump()} if isinstance(answer, Policy) else answer.model_dump(mode="json")


def read_gate_answer(answer: Mapping[str, Any]) -> Decision | Policy:
    return Policy.model_validate(answer["policy"]) if "policy" in answer else Decision.model_validate(answer)


def read_state(state: Mapping[str, Any]) -> SessionRecord:
    """The checkpointed dicts as models (validated once, here)."""
    return SessionRecord.model_validate(dict(state))


def state_update(**fields: Any) -> dict[str, Any]:
    """Typed values of `SessionRecord`'s fields as the dicts the checkpointer keeps: a node's update."""
    return SessionRecord.model_construct(**fields).model_dump(mode="json", include=set(fields))
