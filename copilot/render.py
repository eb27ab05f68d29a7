"""Rich rendering of plans, progress, findings, change previews, a session's outcome and the audit log: the one
terminal renderer the CLI and the chat share."""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING

from rich.console import Console
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from copilot.events import SessionEvents
from copilot.gate import Decision
from copilot.plan import Plan, Step
from copilot.record import SessionReport
from copilot.workspace import Workspace
from tools.contracts import SEVERITY_RANK, Finding, Preview, ProposedChange, ToolResult
from tools.data.profile import DatasetProfile
from tools.quoting import markup_safe as escape

if TYPE_CHECKING:
    from copilot.session import Outcome  # LangGraph is slow to import; `import copilot.cli` must stay fast

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
_CELL = 60
_FINDINGS_SHOWN = 25


def clip(value: object, width: int = _CELL) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", "⏎")
    return escape(text if len(text) <= width else text[: width - 1] + "…")


def render_roles(console: Console, profile: DatasetProfile) -> None:
    """What each table's columns were understood to be, and why; features are the rest."""
    table = Table(title="How the data was read", title_justify="left")
    for name, style in (("table", "dim"), ("column", "bold"), ("role", None), ("confidence", None), ("why", None)):
        table.add_column(name, style=style)
    for t in profile.tables:
        for r in t.roles:
            if r.role != "feature":
                table.add_row(escape(t.name), escape(r.column), r.role, f"{r.confidence:.2f}",
                              escape(clip(r.reason, 90)))
    for rel in profile.relations:
        table.add_row(escape(rel.table), escape(rel.column), "key", f"{rel.containment:.2f}",
                      escape(f"refers to {rel.ref_table}.{rel.ref_column}"))
    if table.row_count:
        console.print(table)


def render_plan(console: Console, plan: Plan) -> None:
    if not plan.steps:
        for note in plan.notes:
            console.print(note)
        return
    table = Table(title=f"Plan for: {escape(plan.goal)}", title_justify="left", show_lines=False)
    table.add_column("#", style="dim")
    table.add_column("tool", style="bold")
    table.add_column("arguments")
    table.add_column("why")
    table.add_column("after", style="dim")
    for step in plan.steps:
        args = ", ".join(f"{k}={json.dumps(v)}" for k, v in step.args.items()) or "—"
        table.add_row(step.id, step.tool, clip(args, 50), escape(step.rationale), ", ".join(step.depends_on) or "—")
    console.print(table)
    for note in plan.notes:
        console.print(f"[yellow]note:[/] {escape(note)}")


class TerminalEvents(SessionEvents):
    """Shows the plan, then a progress bar over its steps with one line per step."""

    def __init__(self, console: Console, show_plan: bool = True) -> None:
        self.console = console
        self.show_plan = show_plan
        self.progress: Progress | None = None
        self._overall = 0
        self._tasks: dict[str, TaskID] = {}
        self._lock = threading.Lock()  # steps may run in parallel threads
        # Piped or logged, a live bar shows nothing: one line per step start and end on stderr instead.
        self.lines = None if console.is_terminal else Console(stderr=True, highlight=False, soft_wrap=True)
        self._started: dict[str, float] = {}

    def on_plan(self, plan: Plan) -> None:
        if self.show_plan:
            render_plan(self.console, plan)
        if plan.steps and self.lines is None:
            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), TimeElapsedColumn(), console=self.console)
            self._overall = self.progress.add_task("[bold]steps", total=len(plan.steps))
            self.progress.start()

    def on_step_start(self, step: Step) -> None:
        self._started[step.id] = time.perf_counter()
        if self.lines is not None:
            self.lines.print(f"{step.id} {step.tool}: started")
        if self.progress:
            with self._lock:
                self._tasks[step.id] = self.progress.add_task(f"{step.id} {step.tool}", total=100)

    def on_step_progress(self, step: Step, fraction: float) -> None:
        if self.progress and step.id in self._tasks:
            self.progress.update(self._tasks[step.id], completed=round(100 * min(max(fraction, 0.0), 1.0)))

    def on_cancel(self) -> None:
        with self._lock:
            if self.progress:
                self.progress.stop()
                self.progress = None
        self.console.print("[yellow]cancelling…[/] the running steps stop at their next check; nothing is applied.")

    def on_step_end(self, step: Step, result: ToolResult | None, error: str | None) -> None:
        if self.lines is not None:
            took = time.perf_counter() - self._started.get(step.id, time.perf_counter())
            said = f"failed: {clip(error, 200)}" if error else clip(result.summary if result else "", 200)
            self.lines.print(f"{step.id} {step.tool}: done in {took:.1f} s: {said}")
        if not self.progress:
            return
        label = (f"{step.id} {step.tool}: [red]failed[/] {clip(error, 90)}" if error
                 else f"{step.id} {step.tool}: {clip(result.summary if result else '', 90)}")
        with self._lock:
            self.progress.update(self._tasks[step.id], completed=100, description=label)
            self.progress.advance(self._overall)
            if self.progress.finished:
                self.progress.stop()
                self.progress = None


def _where(finding: Finding) -> str:
    parts = [finding.file or ""]
    if finding.columns:
        parts.append(", ".join(finding.columns))
    if finding.rows:
        shown = ", ".join(map(str, finding.rows[:6])) + ("…" if len(finding.rows) > 6 else "")
        parts.append(f"rows {shown}")
    return " · ".join(p for p in parts if p)


def sorted_findings(results: list[ToolResult]) -> list[Finding]:
    findings = [f for r in results for f in r.findings]
    return sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], -(f.score or 0)))


_WIDE = 120  # below this many columns a table would wrap every evidence cell: one line per item instead
_EVIDENCE_SHOWN = 2


def render_findings(console: Console, results: list[ToolResult], limit: int = _FINDINGS_SHOWN,
                    more_hint: str = "--report audit.html or --json show every finding in full") -> None:
    findings = sorted_findings(results)
    if not findings:
        console.print("[green]No findings.[/]")
        return
    shown = findings[:limit]
    if console.width >= _WIDE:
        _findings_table(console, shown, len(findings))
    else:
        _findings_list(console, shown, len(findings))
    more = f"{len(findings) - limit} more not shown; " if len(findings) > limit else ""
    console.print(f"[dim]{more}{more_hint}.[/]")


def _findings_table(console: Console, findings: list[Finding], total: int) -> None:
    table = Table(title=f"Findings ({total})", title_justify="left", show_lines=True)
    table.add_column("#", style="dim")
    table.add_column("severity")
    table.add_column("type")
    table.add_column("issue", style="bold")
    table.add_column("where")
    table.add_column("evidence")
    for number, f in enumerate(findings, start=1):
        style = SEVERITY_STYLE[f.severity]
        table.add_row(str(number), f"[{style}]{f.severity}[/]", f.kind_words, clip(f.issue, 50), clip(_where(f), 60),
                      "\n".join(clip(e, 70) for e in f.evidence[:3]))
    console.print(table)


def _findings_list(console: Console, findings: list[Finding], total: int) -> None:
    """One line a finding, then its place and first evidence, each cut to the terminal's width."""
    width = max(console.width - 6, 20)
    console.print(f"[bold]Findings ({total})[/]")
    for number, f in enumerate(findings, start=1):
        style = SEVERITY_STYLE[f.severity]
        head = f"{number:>2} [{style}]{f.severity:<6}[/] {f.kind_words}: "
        console.print(head + clip(f.issue, max(width - len(f.severity) - len(f.kind_words) - 6, 10)),
                      overflow="ellipsis", no_wrap=True)
        console.print(f"   [dim]{clip(_where(f), width)}[/]", overflow="ellipsis", no_wrap=True)
        telling = [e for e in f.evidence if e not in f.columns] or f.evidence  # the column is on the line above
        for item in telling[:_EVIDENCE_SHOWN]:
            console.print(f"   › {clip(item, width - 2)}", overflow="ellipsis", no_wrap=True)


def render_finding_detail(console: Console, finding: Finding, number: int | None = None) -> None:
    """One finding in full: every evidence item and row, for the reviewer who wants to check it."""
    style = SEVERITY_STYLE[finding.severity]
    title = f"{'#' + str(number) + ' ' if number else ''}[{style}]{finding.severity}[/] {finding.kind_words}"
    rows = f"\nrow ids: {', '.join(map(str, finding.rows))}" if finding.rows else ""
    body = (f"[bold]{escape(finding.issue)}[/]\n{escape(finding.file or 'the dataset')}"
            f"{' · ' + escape(', '.join(finding.columns)) if finding.columns else ''}{rows}\n\n"
            + "\n".join(f"› {escape(e)}" for e in finding.evidence)
            + f"\n\n{escape(finding.description)}\n[dim]from {finding.tool} · id {finding.id}[/]")
    console.print(Panel(body, title=title, title_align="left", border_style=style))


def render_preview(console: Console, preview: Preview, title: str = "preview") -> None:
    if preview.diff is not None:
        console.print(Panel(escape(preview.diff or "(no difference)"), title=title))
        return
    if not preview.sample:
        return
    dropping = all(r.after is None for r in preview.sample)
    changed = sorted({k for r in preview.sample if r.after for k in r.after if r.after[k] != r.before.get(k)})
    columns = list(preview.sample[0].before) if dropping else changed
    table = Table(title=title, title_justify="left")
    table.add_column("row", style="dim")
    for col in columns[:8]:
        table.add_column(escape(col))
    for row in preview.sample:
        if row.after is None:
            table.add_row(str(row.row_id), *[f"[red strike]{clip(row.before.get(c), 20)}[/]" for c in columns[:8]])
        else:
            table.add_row(str(row.row_id), *[f"{clip(row.before.get(c), 20)} → [green]{clip(row.after.get(c), 20)}[/]"
                                             for c in columns[:8]])
    console.print(table)
    more = preview.rows_affected - len(preview.sample)
    if more > 0:
        console.print(f"[dim]… and {more} more rows.[/]")


def render_change(console: Console, change: ProposedChange) -> None:
    op = change.operation
    target = getattr(op, "table", None) or getattr(op, "path", "")
    console.print(Panel(
        f"[bold]{change.kind}[/] on {escape(target)} · {change.preview.rows_affected} rows · from "
        f"[bold]{change.tool}[/]\n{escape(change.rationale)}",
        title=f"Proposed change {change.id}", title_align="left", border_style="magenta"))
    render_preview(console, change.preview, title="before → after")


def render_decisions(console: Console, changes: list[ProposedChange], decisions: list[Decision]) -> None:
    """The approval gate's record: every change, what was decided, by whom and why."""
    if not decisions:
        return
    by_id = {c.id: c for c in changes}
    table = Table(title="Approval gate", title_justify="left")
    for col in ("change", "from", "kind", "rows", "decision", "by", "why"):
        table.add_column(col)
    style = {"approve": "green", "edit": "green", "reject": "red"}
    for d in decisions:
        change = by_id.get(d.change_id)
        rows = str(len(d.row_ids)) + f" of {change.preview.rows_affected}" if d.row_ids is not None and change \
            else str(change.preview.rows_affected if change else "?")
        table.add_row(d.change_id, change.tool if change else "?", change.kind if change else "?", rows,
                      f"[{style[d.action]}]{d.action}[/]", escape(d.actor), escape(d.reason))
    console.print(table)


def render_summary(console: Console, report: SessionReport, waiting: int = 0) -> None:
    lines = [f"findings: {report.findings} "
             f"({', '.join(f'{n} {s}' for s, n in report.by_severity.items() if n) or 'none'})",
             f"changes: {report.proposed} proposed, {report.approved} approved, {report.rejected} rejected"]
    for a in report.applied:
        lines.append(f"  applied {a.change_id} ({a.kind}, {a.rows_affected} rows) → version {a.version}")
    if report.failed_steps:
        lines.append(f"[red]{len(report.failed_steps)} step(s) failed[/]: "
                     + "; ".join(escape(s.error or "") for s in report.failed_steps))
    if report.policy == "dry-run" and report.proposed:
        lines.append("[yellow]dry run:[/] changes were proposed and recorded, none applied "
                     "(use --approve ask|all|POLICY_FILE to apply).")
    if waiting:
        lines.append(f"[yellow]{waiting} change(s) still wait for a decision: run `copilot resume`.[/]")
    tokens = report.tokens
    if tokens.calls:
        lines.append(f"model: {tokens.calls} calls, {tokens.input_tokens:,} input + "
                     f"{tokens.output_tokens:,} output tokens ({report.planner} plan)")
    for name, path in report.documents.items():
        lines.append(f"{escape(name)} as approved, readable now: [bold]{escape(path)}[/]")
    lines.append(f"current version: [bold]{report.head}[/] in {escape(report.workspace)}")
    if report.applied:
        lines.append(f"export it: copilot export --workspace {escape(report.workspace)} OUT.csv · "
                     f"undo the last change: copilot undo --workspace {escape(report.workspace)}")
    elif not waiting:
        lines.append("the data is unchanged.")
    console.print(Panel("\n".join(lines), title="Summary", title_align="left", border_style="green"))


def render_outcome(console: Console, outcome: Outcome, workspace: Workspace,
                   more_hint: str = "--report audit.html or --json show every finding in full") -> None:
    """What a session did: the model's summaries, the findings, the gate's record and the summary."""
    for step, text in outcome.narratives.items():
        console.print(f"[bold]{step}[/] [dim]the model says:[/] {escape(text)}")
    render_findings(console, outcome.results, more_hint=more_hint)
    render_decisions(console, outcome.record.changes(), outcome.decisions)
    unfinished = SessionReport(head=workspace.head_id, workspace=str(workspace.root))
    render_summary(console, outcome.report or unfinished, waiting=len(outcome.waiting))


def describe_event(entry: dict) -> str:
    """One audit log entry in a few words."""
    event = entry["event"]
    if event == "decision":
        return f"{entry['decision']['action']} {entry['change_id']} ({entry['tool']}, {entry['kind']})"
    if event == "apply":
        return f"{entry['kind']} {entry['rows_affected']} rows · {entry['rationale']}"
    if event == "export":
        return f"{entry['format']} → {', '.join(entry['to'])}"
    if event == "session":
        t = entry.get("tokens", {})
        used = f" · {t.get('calls', 0)} model calls, {t.get('input_tokens', 0):,} in / " \
               f"{t.get('output_tokens', 0):,} out tokens" if t.get("calls") else ""
        return f"{entry['planner']} plan for {entry['goal']!r}{used}"
    return str(entry.get("data", ""))


def render_log(console: Console, workspace: Workspace, last: int | None = None) -> None:
    """The workspace's audit log (its `last` entries only, when given): every decision, change, undo and export."""
    entries = workspace.log()
    table = Table(title=f"Audit log of {escape(str(workspace.root))} (HEAD {workspace.head_id})", title_justify="left")
    for col in ("time", "event", "actor", "what", "versions"):
        table.add_column(col)
    for e in entries[-last:] if last else entries:
        versions = f"{e.get('from_version', '')} → {e['to_version']}" if "to_version" in e else ""
        table.add_row(e["time"], e["event"], escape(str(e.get("actor") or "")), escape(describe_event(e)), versions)
    console.print(table)
