"""Plans: ordered tool calls with their arguments and reasons."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from tools.focus import Focus


class Step(BaseModel):
    id: str
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    rationale: str
    depends_on: list[str] = Field(default_factory=list)


class Plan(BaseModel):
    goal: str
    steps: list[Step] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="what the planner could not do, and why")
    planner: str = "rules"
    focus: Focus = Field(default_factory=Focus, description="files, columns and problem kinds the goal names")

    def levels(self) -> list[list[Step]]:
        """Steps grouped so that each group depends only on earlier groups (run a group in parallel)."""
        return self.levels_after(set())

    def levels_after(self, done: set[str]) -> list[list[Step]]:
        """Like `levels`, for the steps left when the steps in `done` have already run."""
        done = set(done)
        remaining = list(self.steps)
        levels: list[list[Step]] = []
        while remaining:
            ready = [s for s in remaining if set(s.depends_on) <= done]
            if not ready:
                raise ValueError(f"plan has a dependency cycle among {[s.id for s in remaining]}")
            levels.append(ready)
            done |= {s.id for s in ready}
            remaining = [s for s in remaining if s.id not in done]
        return levels
