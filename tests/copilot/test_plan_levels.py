"""Plan levels: independent steps share a level (and may run in parallel); cycles are refused."""

from __future__ import annotations

import pytest

from copilot.plan import Plan, Step


def _step(sid: str, *deps: str) -> Step:
    return Step(id=sid, tool="profile", rationale="", depends_on=list(deps))


def test_levels_group_independent_steps() -> None:
    plan = Plan(goal="g", steps=[_step("s1"), _step("s2"), _step("s3", "s1"), _step("s4", "s2", "s3")])
    assert [[s.id for s in level] for level in plan.levels()] == [["s1", "s2"], ["s3"], ["s4"]]


def test_cycle_is_refused() -> None:
    with pytest.raises(ValueError, match="cycle"):
        Plan(goal="g", steps=[_step("s1", "s2"), _step("s2", "s1")]).levels()
