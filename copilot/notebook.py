"""The Jupyter magics: %copilot GOAL and %%copilot, with findings as HTML and approvals as buttons.

The user's DataFrame is never mutated: each approved version appears as a new `<name>_curated`
DataFrame, and the session as `copilot_run` (approve()/reject() work without widgets too).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.display import HTML, display

from copilot.report import run_html
from tools.errors import CopilotError

if TYPE_CHECKING:
    from copilot.api import Run


_OPTIONS = ("--df", "--approve", "--label", "--text")


def parse_magic_line(line: str) -> dict[str, str]:
    """Leading `--option value` pairs, then the goal as free text: apostrophes, quotes and question marks
    are part of the goal, not shell syntax. A trailing ` # comment` is dropped."""
    args: dict[str, str] = {}
    rest = re.sub(r"\s+#\s.*$", "", line).strip()  # a trailing `  # comment`, as in any Python line
    while rest.startswith("--"):
        head, _, rest = rest.partition(" ")
        name, eq, value = head.partition("=")
        if name not in _OPTIONS:
            raise ValueError(f"unknown option {name}; use {', '.join(_OPTIONS)} before the goal")
        if not eq:
            value, _, rest = rest.strip().partition(" ")
        if not value:
            raise ValueError(f"{name} needs a value")
        args[name[2:]] = value.strip("'\"")
        rest = rest.strip()
    args["goal"] = rest
    return args


def protect_goal_text(lines: list[str]) -> list[str]:
    """An IPython input transformer: `%copilot GOAL?` is a goal, not a request for help on GOAL.

    IPython reads a line ending in `?` as help syntax before any magic sees it, so the line magic is
    turned into the call IPython itself would make, with the goal passed as a string literal."""
    out = []
    for line in lines:
        match = re.match(r"^(\s*)%copilot(\s.*)?$", line.rstrip("\n"))
        if match:
            out.append(f"{match.group(1)}get_ipython().run_line_magic('copilot', {(match.group(2) or '').strip()!r})\n")
        else:
            out.append(line)
    return out


class RunView:
    """Shows a run as HTML (updated in place after each decision) and, while changes wait, Approve /
    Reject buttons, or how to answer without widgets."""

    def __init__(self, run: Run, publish) -> None:
        self.run = run
        self.publish = publish
        self.handle = None
        try:
            import ipywidgets as widgets
        except ImportError:
            self.buttons = None
        else:
            self.approve_button = widgets.Button(description="Approve", button_style="success")
            self.reject_button = widgets.Button(description="Reject", button_style="danger")
            self.approve_button.on_click(lambda _b: self._answer(self.run.approve))
            self.reject_button.on_click(lambda _b: self._answer(self.run.reject))
            self.buttons = widgets.HBox([self.approve_button, self.reject_button])

    def _answer(self, decide) -> None:
        decide()  # the run's listener (`refresh`) publishes the new version and redraws

    def refresh(self) -> None:
        self.publish()
        self.render()

    def render(self) -> None:
        page = HTML(run_html(self.run.waiting, self.run.outcome, self.run.copilot.workspace))
        if self.handle is None:
            self.handle = display(page, display_id=True)
            if self.buttons is not None and self.run.waiting:
                display(self.buttons)
            elif self.run.waiting:
                display(HTML("<p>Answer with <code>copilot_run.approve()</code>, "
                             "<code>copilot_run.approve(rows=[...])</code> or <code>copilot_run.reject()</code>.</p>"))
        else:
            self.handle.update(page)
        if self.buttons is not None:
            self.approve_button.disabled = self.reject_button.disabled = not self.run.waiting


@magics_class
class CopilotMagics(Magics):
    @line_cell_magic
    def copilot(self, line: str, cell: str | None = None) -> None:
        """%copilot [--df NAME] [--approve ask|all|none|POLICY] GOAL  (or %%copilot with the goal below)."""
        from copilot.api import Copilot

        try:
            args = parse_magic_line(line)
        except ValueError as exc:
            print(f"error: {exc}")
            return
        goal = " ".join([args["goal"], *(cell or "").split()]).strip()
        namespace = self.shell.user_ns
        name = args.get("df") or self._frame_named_in(goal, namespace)
        if name is None or not isinstance(namespace.get(name), pd.DataFrame):
            print(f"error: no DataFrame {'named ' + repr(name) if name else 'to work on'}; pass --df NAME")
            return
        try:
            copilot = Copilot(namespace[name], name=name, approve=args.get("approve", "ask"))
            run = copilot.run(goal, label=args.get("label"), text=args.get("text"))
        except CopilotError as exc:
            print(f"error: {exc.line()}")
            return

        def publish() -> None:
            namespace[f"{name}_curated"] = copilot.df

        publish()
        namespace["copilot_run"] = run
        namespace["copilot_view"] = view = RunView(run, publish)
        run.on_decision(view.refresh)  # also after copilot_run.approve() typed in a cell
        view.render()

    @staticmethod
    def _frame_named_in(goal: str, namespace: dict[str, Any]) -> str | None:
        frames = [k for k, v in namespace.items() if isinstance(v, pd.DataFrame) and not k.startswith("_")
                  and not k.endswith("_curated")]
        named = [k for k in frames if re.search(rf"\b{re.escape(k)}\b", goal)]
        if named:
            return named[0]
        return frames[0] if len(frames) == 1 else None
