"""What a front end hears while a session runs (kept free of LangGraph so it imports fast)."""

from __future__ import annotations

from copilot.plan import Plan, Step
from tools.contracts import ToolResult


class SessionEvents:
    """What a front end hears while a session runs; override the methods it cares about."""

    def on_plan(self, plan: Plan) -> None: ...

    def on_step_start(self, step: Step) -> None: ...

    def on_step_progress(self, step: Step, fraction: float) -> None: ...

    def on_step_end(self, step: Step, result: ToolResult | None, error: str | None) -> None: ...

    def on_cancel(self) -> None:
        """Ctrl-C: the running steps were told to stop."""
