"""The LLM planner: the goal, the quoted profile and the tool catalog in; a validated Plan out.

An invalid plan (unknown tool, bad arguments, a column that does not exist) gets one repair round that
carries the error; after that, or when the model cannot be reached, the rule planner plans and the plan
says so in its notes. The model only chooses tools and arguments; it never runs code or approves.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from pydantic import BaseModel, Field, ValidationError

from copilot.llm import explain, usage_of
from copilot.plan import Plan, Step
from copilot.planner import LAST_TOOLS, RulePlanner
from copilot.record import StepRecord
from copilot.settings import Settings
from prompts import load_prompt
from tools.base import REGISTRY, ToolRegistry
from tools.data.profile import DatasetProfile
from tools.grounding import claims_action
from tools.quoting import MAX_TEXT, clip, data_block, profile_for_prompt

_COLUMN_ARGS = ("label_column", "text_column", "id_column")
MAX_STEPS = 12  # more than every tool once: a longer plan is a runaway, not a plan
Usage = list[dict[str, int]]


class StepDraft(BaseModel):
    tool: str = Field(description="a tool name from the list")
    args: dict[str, Any] = Field(default_factory=dict, description="arguments, matching the tool's schema")
    rationale: str = Field(default="", description="one sentence: why this step serves the goal")


class PlanDraft(BaseModel):
    """An ordered plan of tool calls for the goal."""

    steps: list[StepDraft] = Field(description="tool calls in order; empty when nothing (more) is needed")
    notes: list[str] = Field(default_factory=list, description="what could not be planned, and why")


def tool_catalog(registry: ToolRegistry) -> str:
    return json.dumps(registry.catalogue(), indent=1)


def _parse(message: AIMessage) -> tuple[PlanDraft | None, str | None]:
    if message.tool_calls:
        try:
            return PlanDraft.model_validate(message.tool_calls[0]["args"]), None
        except ValidationError as exc:
            return None, f"PlanDraft arguments do not fit its schema: {str(exc).splitlines()[0]}"
    if message.invalid_tool_calls:
        return None, f"the function call was not valid JSON: {message.invalid_tool_calls[0].get('error')}"
    try:  # a server without tool calling may still answer with the JSON in its text
        return PlanDraft.model_validate(json.loads(str(message.content))), None
    except (json.JSONDecodeError, ValidationError):
        return None, "no PlanDraft function call in the answer"


def _model_notes(notes: list[str]) -> list[str]:
    """The model's notes, marked as its words, bounded, and without claims of having approved anything."""
    return [f"the model says: {clip(n, MAX_TEXT)}" for n in notes[:5] if not claims_action(n)]


class LLMPlanner:
    def __init__(self, model: BaseChatModel, settings: Settings, registry: ToolRegistry = REGISTRY) -> None:
        self.model = model
        self.settings = settings
        self.registry = registry
        self.rules = RulePlanner(registry)
        self.failed: str | None = None  # why a model call failed; the caller stops calling the model

    # ---- validation ----------------------------------------------------------------------------------
    def _steps(self, draft: PlanDraft, profile: DatasetProfile, overrides: dict[str, Any],
               first_id: int = 1, earlier: list[Step] | None = None) -> list[Step]:
        """Validated steps; raises ValueError with a message the model can act on."""
        columns = {c.name for t in profile.tables for c in t.columns}
        tables = {t.name for t in profile.tables}
        steps: list[Step] = []
        if len(draft.steps) > MAX_STEPS:
            raise ValueError(f"the plan has {len(draft.steps)} steps; at most {MAX_STEPS} are allowed")
        for n, draft_step in enumerate(draft.steps, start=first_id):
            if draft_step.tool not in self.registry:
                raise ValueError(f"unknown tool '{draft_step.tool}'; tools are: {', '.join(self.registry.names())}")
            tool = self.registry.get(draft_step.tool)
            unknown = sorted(set(draft_step.args) - set(tool.Args.model_fields))
            if unknown:
                raise ValueError(f"{tool.name} has no argument {', '.join(map(repr, unknown))}; its arguments are: "
                                 f"{', '.join(tool.Args.model_fields) or 'none'}")
            args = {**draft_step.args, **{k: v for k, v in overrides.items()
                                          if v is not None and k in tool.Args.model_fields}}
            try:
                tool.Args.model_validate(args)
            except ValidationError as exc:
                raise ValueError(f"arguments of {tool.name} are invalid: {exc.errors()[0]['loc']} "
                                 f"{exc.errors()[0]['msg']}") from None
            for key in _COLUMN_ARGS:
                if isinstance(args.get(key), str) and args[key] not in columns:
                    raise ValueError(f"{tool.name}: {key} '{args[key]}' is not a column of the data")
            if isinstance(args.get("table"), str) and args["table"] not in tables:
                raise ValueError(f"{tool.name}: table '{args['table']}' does not exist; tables: {', '.join(tables)}")
            before = [s.id for s in [*(earlier or []), *steps]]
            steps.append(Step(id=f"s{n}", tool=tool.name, args=args,
                              rationale=draft_step.rationale or "chosen by the model",
                              depends_on=before if tool.name in LAST_TOOLS else []))
        return steps

    # ---- one structured call, with one repair round ----------------------------------------------------
    def _ask(self, prompt: str, validate) -> tuple[Any, str | None, Usage]:
        bound = self.model.bind_tools([PlanDraft], tool_choice="PlanDraft")
        messages: list[BaseMessage] = [HumanMessage(prompt)]
        usage: Usage = []
        error = None
        for _attempt in range(2):
            try:
                message = bound.invoke(messages)
            except Exception as exc:  # the client has already retried with backoff
                self.failed = f"the model could not be used ({explain(exc, self.settings).line()})"
                return None, self.failed, usage
            usage.append(usage_of(message))
            draft, error = _parse(message)
            if draft is not None:
                try:
                    return validate(draft), None, usage
                except ValueError as exc:
                    error = str(exc)
            messages.append(message)
            repair = f"That plan is invalid: {error}. Call PlanDraft again with a corrected plan."
            if message.tool_calls:
                messages += [ToolMessage(repair, tool_call_id=c["id"]) for c in message.tool_calls]
            else:
                messages.append(HumanMessage(repair))
        return None, f"the model's plan was invalid twice ({error})", usage

    def plan(self, goal: str, profile: DatasetProfile, overrides: dict[str, Any] | None = None
             ) -> tuple[Plan, Usage]:
        overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        prompt = load_prompt("planner").format(tools=tool_catalog(self.registry),
                                               profile=profile_for_prompt(profile),
                                               goal=data_block(goal))

        def validate(draft: PlanDraft) -> Plan:
            if not draft.steps:
                raise ValueError("the plan has no steps")
            return Plan(goal=goal, steps=self._steps(draft, profile, overrides), notes=_model_notes(draft.notes),
                        planner="llm")

        plan, problem, usage = self._ask(prompt, validate)
        if plan is not None:
            return plan, usage
        fallback = self.rules.plan(goal, profile, overrides)
        fallback.notes.insert(0, f"Planned with rules: {problem}.")
        return fallback, usage

    def revise(self, plan: Plan, results: list[StepRecord], profile: DatasetProfile,
               overrides: dict[str, Any] | None = None) -> tuple[list[Step], str | None, Usage]:
        """Up to a few more steps after seeing the results; ([], note, usage) when none."""
        said = {r.step: r.result.summary for r in results if r.result is not None}
        summary = [{"step": s.id, "tool": s.tool, "args": s.args, "summary": said.get(s.id, "failed")}
                   for s in plan.steps]
        prompt = load_prompt("reviser").format(tools=tool_catalog(self.registry), goal=data_block(plan.goal),
                                               results=data_block(summary))
        done = {(s.tool, json.dumps(s.args, sort_keys=True)) for s in plan.steps}

        def validate(draft: PlanDraft) -> list[Step]:
            steps = self._steps(PlanDraft(steps=draft.steps[:2]), profile, overrides or {},
                                first_id=len(plan.steps) + 1, earlier=plan.steps)
            repeated = [s.tool for s in steps if (s.tool, json.dumps(s.args, sort_keys=True)) in done]
            if repeated:
                raise ValueError(f"{', '.join(repeated)} already ran with these arguments")
            return steps

        steps, problem, usage = self._ask(prompt, validate)
        return steps or [], problem, usage
