"""The Jupyter magics: %copilot GOAL and %%copilot, with findings as HTML and approvals as buttons.

The user's DataFrame is never mutated: each approved version appears as a new `<name>_curated`
DataFrame, and the session as `copilot_run` (approve()/reject() work without widgets too).
"""

from __future__ import annotations

import argparse
import html
import re
import shlex
from typing import TYPE_CHECKING, Any

import pandas as pd
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.display import HTML, display

from copilot.errors import CopilotError

if TYPE_CHECKING:
    from copilot.api import Run


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="%copilot", add_help=False, exit_on_error=False)
    parser.add_argument("--df", help="the DataFrame to work on (by name)")
    parser.add_argument("--approve", default="ask", help="ask (buttons), all, none, or a policy file")
    parser.add_argument("--label")
    parser.add_argument("--text")
    parser.add_argument("goal", nargs="*")
    return parser


def run_html(run: Run) -> str:
    findings = run.findings
    parts = [f"<h4>Co-pilot: {len(findings)} finding{'' if len(findings) == 1 else 's'}</h4>"]
    if not findings.empty:
        parts.append(findings.head(30).to_html(index=False, escape=True))
    for change in run.waiting[:1]:
        sample = pd.DataFrame([{"row": r.row_id, **{f"{k} (before)": v for k, v in r.before.items()},
                                "after": "dropped" if r.after is None else r.after} for r in change.preview.sample])
        parts.append(f"<p><b>Proposed change {html.escape(change.id)}</b>: {html.escape(change.kind)} on "
                     f"{change.preview.rows_affected} rows, from {html.escape(change.tool)}. "
                     f"{html.escape(change.rationale)}</p>" + sample.to_html(index=False, escape=True))
    if len(run.waiting) > 1:
        parts.append(f"<p>{len(run.waiting) - 1} more change(s) wait after this one.</p>")
    report = run.outcome.report
    if report:
        applied = ", ".join(f"{a['kind']} {a['rows_affected']} rows → {a['version']}" for a in report["applied"])
        parts.append(f"<p>Done: {report['approved']} approved, {report['rejected']} rejected"
                     f"{'; applied ' + html.escape(applied) if applied else ''}.</p>")
    return "\n".join(parts)


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
        decide()
        self.publish()
        self.render()

    def render(self) -> None:
        page = HTML(run_html(self.run))
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
            args = _parser().parse_args(shlex.split(line))
        except (argparse.ArgumentError, ValueError) as exc:
            print(f"error: {exc}")
            return
        goal = " ".join([*args.goal, *(cell or "").split()]).strip()
        namespace = self.shell.user_ns
        name = args.df or self._frame_named_in(goal, namespace)
        if name is None or not isinstance(namespace.get(name), pd.DataFrame):
            print(f"error: no DataFrame {'named ' + repr(name) if name else 'to work on'}; pass --df NAME")
            return
        try:
            copilot = Copilot(namespace[name], name=name, approve=args.approve)
            run = copilot.run(goal, label=args.label, text=args.text)
        except CopilotError as exc:
            print(f"error: {exc.line()}")
            return

        def publish() -> None:
            namespace[f"{name}_curated"] = copilot.df

        publish()
        namespace["copilot_run"] = run
        namespace["copilot_view"] = view = RunView(run, publish)
        view.render()

    @staticmethod
    def _frame_named_in(goal: str, namespace: dict[str, Any]) -> str | None:
        frames = [k for k, v in namespace.items() if isinstance(v, pd.DataFrame) and not k.startswith("_")
                  and not k.endswith("_curated")]
        named = [k for k in frames if re.search(rf"\b{re.escape(k)}\b", goal)]
        if named:
            return named[0]
        return frames[0] if len(frames) == 1 else None
