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

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.contracts import CellUpdate, DropRows, ProposedChange, SetValues, WriteFile
from tools.errors import UsageError

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


ChangeKind = Literal["drop_rows", "set_values", "relabel", "write_file"]
_MAX_POLICY_BYTES = 64_000
_POLICY_FIX = "see examples/demo-policy.toml for the format"


class PolicyRule(BaseModel):
    """Matches changes by kind, tool and size; the first matching rule decides."""

    model_config = ConfigDict(extra="forbid", strict=True)  # a misspelt key must not widen a rule

    action: RuleAction
    kind: ChangeKind | None = None
    tool: str | None = Field(default=None, max_length=100)
    max_rows: int | None = Field(default=None, ge=0)

    def matches(self, change: ProposedChange) -> bool:
        return ((self.kind is None or self.kind == change.kind)
                and (self.tool is None or self.tool == change.tool)
                and (self.max_rows is None or change.preview.rows_affected <= self.max_rows))


class Policy(BaseModel):
    """Decides changes without a human where its rules say so; None means 'ask a human'."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(max_length=100)
    default: RuleAction = "ask"
    rules: list[PolicyRule] = Field(default_factory=list, max_length=1000)

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
        """A policy from TOML (`[[rule]]` tables) or JSON (`"rules": [...]`); one-line errors naming the key."""
        raw = _read_policy(path)
        if not isinstance(raw, dict):
            raise UsageError("invalid policy: the file must hold a table of settings", file=path, fix=_POLICY_FIX)
        if "rule" in raw and "rules" in raw:
            raise UsageError("invalid policy: both [[rule]] and 'rules' are given; use one", file=path,
                             fix=_POLICY_FIX)
        raw.setdefault("name", path.stem)
        raw["rules"] = raw.pop("rule", raw.get("rules", []))
        try:
            policy = cls.model_validate(raw)
        except ValidationError as exc:
            raise UsageError(f"invalid policy: {_explain(exc)}", file=path, fix=_POLICY_FIX) from None
        from tools.base import REGISTRY

        for n, rule in enumerate(policy.rules, start=1):
            if rule.tool is not None and rule.tool not in REGISTRY:
                raise UsageError(f"invalid policy: rule {n}: unknown tool '{rule.tool}'", file=path,
                                 fix=f"tools are: {', '.join(REGISTRY.names())}")
        return policy


def _read_policy(path: Path) -> object:
    """The parsed file, refusing what is not a small UTF-8 regular file (a folder, /dev/zero, a binary)."""
    if not path.exists():
        raise UsageError("no such policy file", file=path,
                         fix="use --approve ask|all|none or a .toml/.json policy file")
    if not path.is_file():
        raise UsageError("the policy is not a regular file", file=path, fix="give a .toml or .json file")
    with open(path, "rb") as fh:
        data = fh.read(_MAX_POLICY_BYTES + 1)
    if len(data) > _MAX_POLICY_BYTES:
        raise UsageError(f"the policy file is larger than {_MAX_POLICY_BYTES // 1000} kB", file=path,
                         fix=_POLICY_FIX)
    try:
        text = data.decode("utf-8")
        return tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except UnicodeDecodeError:
        raise UsageError("the policy is not UTF-8 text", file=path, fix="give a .toml or .json file") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"invalid policy: {str(exc).splitlines()[0]}", file=path, fix=_POLICY_FIX) from None


def _explain(exc: ValidationError) -> str:
    """pydantic's first error as 'rule 2: unknown key 'max_row'' or ''default': Input should be ...'."""
    error = exc.errors()[0]
    loc = list(error["loc"])
    where = ""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        where, loc = f"rule {loc[1] + 1}: ", loc[2:]
    key = ".".join(str(part) for part in loc) or "rules"
    if error["type"] == "extra_forbidden":
        allowed = ", ".join(PolicyRule.model_fields) if where else "name, default, [[rule]]"
        return f"{where}unknown key '{key}' (keys are: {allowed})"
    return f"{where}'{key}': {error['msg']}"


APPROVE_ALL = Policy(name="approve-all", default="approve")
DRY_RUN = Policy(name="dry-run", default="reject")
ASK = Policy(name="ask", default="ask")


def policy_from_option(option: str) -> Policy:
    """`ask`, `all`, `none`, or the path of a policy file."""
    builtin = {"ask": ASK, "all": APPROVE_ALL, "none": DRY_RUN}
    if option in builtin:
        return builtin[option]
    return Policy.from_file(Path(option))
