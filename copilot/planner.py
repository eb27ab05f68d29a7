"""The offline planner: maps a plain-English goal to a Plan with rules, no model needed.

Each Intent names the tools that serve it, best first; the planner uses the first one the registry
has, so a tool added later (label_issues, contamination, card) is picked up without changes here.
Arguments are filled from the dataset profile by field name (label_column, text_column, ...).
`make_plan` is the one choice between these rules and the model's planner, for every front end.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from copilot.plan import Plan, Step
from copilot.settings import Settings
from tools.base import REGISTRY, ToolRegistry
from tools.data.dataset import Dataset
from tools.data.profile import DatasetProfile, TableProfile
from tools.focus import Focus, focus_from_goal

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


@dataclass(frozen=True)
class Intent:
    name: str
    patterns: tuple[str, ...]
    tools: tuple[str, ...]  # candidates, best first; the first registered one is used
    what: str  # how the help text describes it
    example: str


INTENTS: tuple[Intent, ...] = (
    Intent("profile", (r"\bprofil", r"\bsummar", r"\bdescribe", r"\boverview", r"\bschema", r"\bstatistic",
                       r"\blook at\b", r"\bexplore"),
           ("profile",), "profile the data: schema, types, missing values, likely label and text columns",
           "profile this dataset"),
    Intent("audit", (r"\baudit", r"what'?s wrong", r"\bwrong with\b", r"check (everything|it all|all)",
                     r"\bissues?\b", r"\bproblems?\b", r"\bquality\b", r"\binspect", r"\bclean(ing|up)?\b",
                     r"\bquirks?\b", r"\bsanity", r"\bhealth"),
           (), "audit everything: run every applicable check and rank what it finds",
           "what's wrong with this dataset?"),
    Intent("duplicates", (r"\bdup", r"\bdedup", r"\brepeat", r"\bcopies\b", r"\bidentical\b", r"\bredundan"),
           ("duplicates",), "find duplicate and near-duplicate rows, and leaks across splits",
           "remove duplicates"),
    Intent("labels", (r"\blabel", r"\bmislabel", r"\bannotation", r"\bwrong class"),
           ("label_issues",), "find label errors and propose relabels", "find label errors"),
    Intent("contamination", (r"\bcontamin", r"\bbenchmark", r"\bhumaneval\b", r"\bdecontam", r"\beval(uation)? set"),
           ("contamination",), "check for copies of evaluation benchmarks (HumanEval, ...)",
           "check it against HumanEval"),
    Intent("privacy", (r"\bpii\b", r"\bpersonal\b", r"\bprivacy\b", r"\bprivate\b", r"\banonymi", r"\bsensitive\b",
                       r"\be-?mails?\b", r"\bphone", r"\bgdpr\b", r"\bhipaa\b"),
           ("privacy_checks",), "find personal data (emails, phone numbers, addresses, ID numbers) and sensitive "
                                "attributes", "find PII"),
    Intent("values", (r"\bvalues?\b", r"\bmissing\b", r"\bplaceholders?\b", r"\bsentinels?\b", r"\boutliers?\b",
                      r"\bimpossible\b", r"\bout of range\b", r"\bunits?\b", r"\bformats?\b", r"\btypos?\b"),
           ("value_checks",), "check values: disguised missing values, impossible values, inconsistent formats, "
                              "target leakage", "check values"),
    Intent("files", (r"\bencod", r"\bmojibake\b", r"\bmalformed\b", r"\bcorrupt", r"\bunreadable\b",
                     r"\bschema drift\b", r"\bheaders?\b", r"\bcheck (the |my |all |these )?files?\b"),
           ("file_checks",), "check the files: unreadable files, broken headers, wrong encodings, schema drift",
           "check the files' encoding"),
    Intent("relations", (r"\bforeign keys?\b", r"\breferen(ce|tial)", r"\borphan", r"\brelations?(hips?)?\b",
                         r"\bjoins?\b"),
           ("relation_checks",), "check keys between tables: broken references, entities shared across splits",
           "check the foreign keys"),
    Intent("card", (r"\bcard\b", r"\bdatasheet", r"\bcroissant", r"\bdocument(ation|ing)?\b", r"\breadme\b"),
           ("card",), "write a dataset card (Hugging Face card, Croissant)", "write the card"),
)
# Checks an audit adds when the goal points at their kind, even where they would not run on their own
# (label checks on a table whose target is only a guess).
_FOCUSED_TOOLS = {"label": "label_issues", "contamination": "contamination"}
# Arguments a tool gets when the goal points at a kind: (kind, tool) → args.
_FOCUSED_ARGS = {("duplicate", "duplicates"): {"ngram": 1, "threshold": 0.7}}  # benchmarked: catches ~10% edits
_LAST_INTENTS = {"card"}  # these read what the other steps found
LAST_TOOLS = frozenset(t for i in INTENTS if i.name in _LAST_INTENTS for t in i.tools)  # run after all others


class RulePlanner:
    """Deterministic goal → Plan mapping; `overrides` pin argument values (e.g. --label)."""

    def __init__(self, registry: ToolRegistry = REGISTRY) -> None:
        self.registry = registry

    def matched_intents(self, goal: str) -> list[Intent]:
        text = goal.lower()
        return [i for i in INTENTS if any(re.search(p, text) for p in i.patterns) or self._named_in(i, goal)]

    def _named_in(self, intent: Intent, goal: str) -> bool:
        """A goal naming something only a tool knows (a registered benchmark: "check it against gsm8k") asks
        for that tool."""
        return any(t in self.registry and self.registry.get(t).goal_args(goal) for t in intent.tools)

    def plan(self, goal: str, profile: DatasetProfile, overrides: dict[str, Any] | None = None) -> Plan:
        overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        intents = self.matched_intents(goal)
        if not intents:
            return Plan(goal=goal, notes=[self.help_text()])
        tools: list[tuple[str, str]] = []  # (tool, why)
        notes: list[str] = []
        focus = focus_from_goal(goal, profile)
        for intent in intents:
            if intent.name == "audit":
                tools += [(t.name, "part of the full audit") for t in self.registry.all()
                          if t.in_audit and t.applies(profile)]
                tools += [(t, f"the goal points at {kind}") for kind, t in _FOCUSED_TOOLS.items()
                          if focus.on(kind=kind) and t in self.registry]
                continue
            available = [t for t in intent.tools if t in self.registry]
            if available:
                tools.append((available[0], f"asked for: {intent.what}"))
            else:
                notes.append(f"'{intent.name}' was asked for, but no tool for it is installed in this build "
                             f"(needs one of: {', '.join(intent.tools)}).")
        if tools and tools[0][0] != "profile":
            tools.insert(0, ("profile", "profile first: later steps take their arguments from it"))
        seen: dict[str, str] = {}
        for name, why in tools:
            seen.setdefault(name, why)
        steps: list[Step] = []
        for name, why in seen.items():
            depends = [s.id for s in steps] if name in LAST_TOOLS else []
            steps.append(Step(id=f"s{len(steps) + 1}", tool=name,
                              args=self._args_for(name, goal, profile, overrides, focus),
                              rationale=why, depends_on=depends))
        return Plan(goal=goal, steps=steps, notes=notes, focus=focus)

    def _args_for(self, tool_name: str, goal: str, profile: DatasetProfile, overrides: dict[str, Any],
                  focus: Focus | None = None) -> dict[str, Any]:
        fields = self.registry.get(tool_name).Args.model_fields
        primary = _primary_table(profile)
        focus = focus or Focus()
        # A goal that names a label candidate ("are the labels in grade right?") chooses the label.
        named = [c for c in focus.columns if primary and c in primary.label_candidates]
        inferred: dict[str, Any] = {
            "label_column": named[0] if named else primary.likely_label if primary else None,
            "text_column": primary.text_candidates[0] if primary and primary.text_candidates else None,
            "id_column": primary.id_candidates[0] if primary and primary.id_candidates else None,
            "splits": profile.splits or None,
        }
        for (kind, tool), args in _FOCUSED_ARGS.items():
            if tool == tool_name and focus.on(kind=kind):
                inferred.update(args)
        inferred.update(self.registry.get(tool_name).goal_args(goal))
        inferred.update(overrides)
        return {k: v for k, v in inferred.items() if k in fields and v is not None}

    def help_text(self) -> str:
        lines = ["I did not recognise that goal. I can:"]
        for intent in INTENTS:
            ready = intent.name == "audit" or any(t in self.registry for t in intent.tools)
            status = "" if ready else " (not installed yet)"
            lines.append(f"  • {intent.what}{status} — e.g. \"{intent.example}\"")
        lines.append("Combine them: \"find duplicates and label errors, then write the card\".")
        return "\n".join(lines)


def make_plan(goal: str, profile: DatasetProfile, llm: BaseChatModel | None, settings: Settings,
              registry: ToolRegistry = REGISTRY, overrides: dict[str, Any] | None = None
              ) -> tuple[Plan, list[dict[str, int]], str | None]:
    """The one planner choice: the model's plan when one is configured (rules when it fails), else the rules'.
    Returns (plan, the model's token usage, why the model failed, if it did)."""
    if llm is None:
        return RulePlanner(registry).plan(goal, profile, overrides), [], None
    from copilot.llm_planner import LLMPlanner  # imported here: it builds on the rules, and pulls in LangChain

    planner = LLMPlanner(llm, settings, registry)
    plan, usage = planner.plan(goal, profile, overrides)
    return plan, usage, planner.failed


def _primary_table(profile: DatasetProfile) -> TableProfile | None:
    """The table most goals are about: the training split if named, else the largest."""
    if not profile.tables:
        return None
    train = [t for t in profile.tables if t.split == "train"]
    return train[0] if train else max(profile.tables, key=lambda t: t.rows)


_MANY_TEXTS = 2000  # about a minute of sentence-model time per step on 2 CPU cores


def slow_step_notes(plan: Plan, profile: DatasetProfile, registry: ToolRegistry, sample: int | None,
                    corpora: Collection[str] = ()) -> list[str]:
    """Say before the run which steps will take minutes: those that embed many texts with a sentence model
    (a corpus's rows are never embedded: see `corpus_notes`)."""
    texts = sum(t.rows for t in profile.tables if t.text_candidates and t.name not in corpora)
    slow = [s for s in plan.steps if s.tool in registry and registry.get(s.tool).embeds_text]
    if texts < _MANY_TEXTS or not slow:
        return []
    hint = "" if sample else " (`--sample N` gives a first look sooner)"
    return [f"{', '.join(f'{s.id} {s.tool}' for s in slow)} run a sentence model over {texts:,} texts: expect "
            f"minutes on a CPU{hint}."]


_CORPUS_ROWS_PER_SECOND = {"local": 15_000, "ray": 14_000}  # dedup, 30-80 words a text, 2 cores (benchmarks/corpus.py)
_START_SECONDS = {"ray": 15}  # starting a local Ray cluster and its workers


_EMBEDDED_ROWS_PER_SECOND = 15  # the rephrasing views per CPU core (benchmarks/contamination_rephrased.py)


def corpus_notes(dataset: Dataset, engine: str) -> list[str]:
    """For each corpus of shards: its size, the engine, what streams and what reads a sample, and a time estimate."""
    notes = []
    for table in dataset.tables.values():
        if table.corpus is None:
            continue
        seconds = table.corpus.rows / _CORPUS_ROWS_PER_SECOND.get(engine, 8_000) + _START_SECONDS.get(engine, 0)
        notes.append(f"{table.name} is a corpus ({table.corpus.describe()}), too big to load: duplicates and "
                     f"contamination stream every row on the {engine} engine (about {_duration(seconds)} for "
                     f"duplicates); the other checks read a random sample of {len(table.df):,} rows. Rephrasings of "
                     f"benchmark items are looked for only when asked (contamination's semantic=true), as that "
                     f"puts every row through a sentence model: about "
                     f"{_duration(table.corpus.rows / _EMBEDDED_ROWS_PER_SECOND)} of CPU time.")
    return notes


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min" if seconds < 5400 else \
        f"{seconds / 3600:.1f} h"
