"""The approval gate: every proposed change gets a recorded Decision before anything is applied.

A Policy decides what it can (approve all, dry run, rules from a file) and answers None for the rest,
which then go to a human. `effective_operation` turns a change and its decision into exactly what
the workspace applies.
"""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from copilot.errors import UsageError
from tools.contracts import CellUpdate, DropRows, ProposedChange, SetValues, WriteFile

Action = Literal["approve", "reject", "edit"]
RuleAction = Literal["approve", "reject", "ask"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Decision(BaseModel):
    """What was decided about one change, by whom, when and why."""

    change_id: str
    action: Action
    row_ids: list[int] | None = Field(default=None, description="edit: approve only these rows")
    updates: list[CellUpdate] | None = Field(default=None, description="edit: use these values instead")
    actor: str
    at: str = Field(default_factory=_now)
    reason: str = ""

    @property
    def approved(self) -> bool:
        return self.action in ("approve", "edit")


def effective_operation(change: ProposedChange, decision: Decision) -> DropRows | SetValues | WriteFile | None:
    """The operation to apply after `decision`, or None when nothing is to change."""
    if decision.change_id != change.id:
        raise ValueError(f"decision for {decision.change_id} given to change {change.id}")
    if not decision.approved:
        return None
    op = change.operation
    if decision.action == "edit":
        if decision.row_ids is not None:
            op = op.restricted_to(decision.row_ids)
        if decision.updates and isinstance(op, SetValues):
            edited = {u.row_id: u for u in decision.updates}
            op = op.model_copy(update={"updates": [edited.get(u.row_id, u) for u in op.updates]})
    if not isinstance(op, WriteFile) and not op.affected_rows:
        return None
    return op


class PolicyRule(BaseModel):
    """Matches changes by kind, tool and size; the first matching rule decides."""

    action: RuleAction
    kind: str | None = None
    tool: str | None = None
    max_rows: int | None = Field(default=None, ge=0)

    def matches(self, change: ProposedChange) -> bool:
        return ((self.kind is None or self.kind == change.kind)
                and (self.tool is None or self.tool == change.tool)
                and (self.max_rows is None or change.preview.rows_affected <= self.max_rows))


class Policy(BaseModel):
    """Decides changes without a human where its rules say so; None means 'ask a human'."""

    name: str
    default: RuleAction = "ask"
    rules: list[PolicyRule] = Field(default_factory=list)

    def decide(self, change: ProposedChange) -> Decision | None:
        rule = next((r for r in self.rules if r.matches(change)), None)
        action = rule.action if rule else self.default
        if action == "ask":
            return None
        why = (f"rule {self.rules.index(rule) + 1} of policy '{self.name}'" if rule
               else f"default of policy '{self.name}'")
        return Decision(change_id=change.id, action=action, actor=f"policy:{self.name}", reason=why)

    @classmethod
    def from_file(cls, path: Path) -> Policy:
        try:
            text = path.read_text(encoding="utf-8")
            raw = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
            raw.setdefault("name", path.stem)
            raw["rules"] = raw.pop("rule", raw.get("rules", []))
            return cls.model_validate(raw)
        except FileNotFoundError:
            raise UsageError("no such policy file", file=path,
                             fix="use --approve ask|all|none or a .toml/.json policy file") from None
        except (tomllib.TOMLDecodeError, json.JSONDecodeError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            raise UsageError(f"invalid policy: {first}", file=path,
                             fix="see examples/demo-policy.toml for the format") from None


APPROVE_ALL = Policy(name="approve-all", default="approve")
DRY_RUN = Policy(name="dry-run", default="reject")
ASK = Policy(name="ask", default="ask")


def policy_from_option(option: str) -> Policy:
    """`ask`, `all`, `none`, or the path of a policy file."""
    builtin = {"ask": ASK, "all": APPROVE_ALL, "none": DRY_RUN}
    if option in builtin:
        return builtin[option]
    return Policy.from_file(Path(option))
