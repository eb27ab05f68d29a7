"""The audit as one page to share: `copilot run ... --report audit.html` (or `.md`), and the notebook's view.

The page is built from what the session recorded (plan, results, decisions) and the workspace (versions,
and the data the tools read, for row previews and the per-column profile). It is self-contained: no
script, no stylesheet or font fetched from anywhere, so it opens offline and can be mailed as it is.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from copilot.record import SessionReport, StepRecord
from copilot.session import Outcome
from copilot.workspace import Workspace
from tools.atomic import atomic_write_text
from tools.contracts import SEVERITY_RANK, Finding, ProposedChange, ToolResult
from tools.data.profile import DatasetProfile, TableProfile, profile_dataset
from tools.errors import UsageError
from tools.evidence import key_column, quote

REPORT_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}
_PREVIEW_ROWS = 5
_PREVIEW_COLUMNS = 6
_CLASSES_SHOWN = 12
_CELL_CHARS = 60


@dataclass
class Preview:
    """A few of a finding's rows as they are in the data the tools read."""

    columns: list[str]
    rows: list[list[str]]  # the row id first
    more: int = 0


@dataclass
class AuditReport:
    title: str
    goal: str
    session: str
    written: str
    summary: SessionReport  # all zero while the session has not finished
    finished: bool
    steps: list[dict[str, str]]
    notes: list[str]
    roles: list[dict[str, str]]
    findings: list[dict[str, Any]]
    decisions: list[dict[str, str]]
    versions: list[dict[str, str]]
    tables: list[dict[str, Any]] = field(default_factory=list)


def _cell(value: object) -> str:
    return "" if value is None or (not isinstance(value, list | dict) and pd.isna(value)) else quote(value,
                                                                                                     _CELL_CHARS)


def _preview(finding: Finding, profile: DatasetProfile, frames: dict[str, pd.DataFrame]) -> Preview | None:
    df = frames.get(finding.file or "")
    if df is None or not finding.rows:
        return None
    rows = [r for r in finding.rows if r in df.index]
    if not rows:
        return None
    key = key_column(df, profile.table(finding.file or ""))
    named = [c for c in finding.columns if c in df.columns]
    columns = list(dict.fromkeys(([key] if key else []) + named))
    columns += [c for c in df.columns if c not in columns][: max(0, _PREVIEW_COLUMNS - len(columns))]
    shown = rows[:_PREVIEW_ROWS]
    return Preview(columns=["row", *columns],
                   rows=[[str(r), *(_cell(df.at[r, c]) for c in columns)] for r in shown],
                   more=len(rows) - len(shown))


def _where(finding: Finding) -> str:
    parts = [finding.file or "the dataset"]
    if finding.columns:
        parts.append("column" + ("s " if len(finding.columns) > 1 else " ") + ", ".join(finding.columns))
    if finding.rows:
        shown = ", ".join(map(str, finding.rows[:12])) + (f" … ({len(finding.rows)} in all)"
                                                         if len(finding.rows) > 12 else "")
        parts.append(f"row id{'s' if len(finding.rows) > 1 else ''} {shown}")
    return " · ".join(parts)


def _finding(finding: Finding, profile: DatasetProfile, frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    return {"id": finding.id, "severity": finding.severity, "kind": finding.kind_words, "issue": finding.issue,
            "where": _where(finding), "evidence": finding.evidence, "description": finding.description,
            "tool": finding.tool, "score": None if finding.score is None else f"{finding.score:.2f}",
            "preview": _preview(finding, profile, frames)}


def _column_rows(table: TableProfile) -> list[dict[str, Any]]:
    rows = []
    for c in table.columns:
        role = table.role(c.name)
        share = c.missing / table.rows if table.rows else 0.0
        rows.append({"name": c.name, "kind": c.kind, "role": role.role if role else "feature",
                     "missing": c.missing, "missing_share": share, "missing_pct": f"{share:.1%}",
                     "distinct": c.distinct, "samples": ", ".join(c.samples[:3])})
    return rows


def _balance(table: TableProfile, df: pd.DataFrame) -> dict[str, Any] | None:
    label = table.likely_label
    if label is None or label not in df.columns:
        return None
    counts = df[label].value_counts(dropna=False)
    total = int(counts.sum()) or 1
    top = int(counts.iloc[0]) if len(counts) else 1
    classes = [{"value": _cell(v) or "(missing)", "count": int(n), "pct": f"{n / total:.1%}", "width": n / top}
               for v, n in counts.head(_CLASSES_SHOWN).items()]
    return {"label": label, "classes": classes, "more": max(0, len(counts) - _CLASSES_SHOWN)}


def _step_outcome(entry: StepRecord | None) -> str:
    if entry is None:
        return "did not run"
    if entry.error:
        return entry.error
    return entry.result.summary if entry.result else "did not run"


def build_report(outcome: Outcome, workspace: Workspace) -> AuditReport:
    """Everything the page shows, from the session's record and the version its tools read."""
    record = outcome.record
    plan = record.plan
    base = record.base or (workspace.versions()[0].id if workspace.versions() else None)
    dataset = workspace.load(base)
    profile = profile_dataset(dataset)
    frames = {name: t.df for name, t in dataset.tables.items()}
    results: list[ToolResult] = record.tool_results
    done = {r.step: r for r in record.results}

    steps = []
    for step in plan.steps if plan else []:
        entry = done.get(step.id)
        steps.append({"id": step.id, "tool": step.tool, "why": step.rationale,
                      "args": ", ".join(f"{k}={json.dumps(v)}" for k, v in step.args.items()),
                      "outcome": _step_outcome(entry), "failed": entry is not None and entry.error is not None})
    findings = sorted((f for r in results for f in r.findings),
                      key=lambda f: (SEVERITY_RANK[f.severity], -(f.score or 0), -len(f.rows)))
    roles = [{"table": t.name, "column": r.column, "role": r.role, "confidence": f"{r.confidence:.2f}",
              "why": r.reason} for t in profile.tables for r in t.roles if r.role != "feature"]
    roles += [{"table": rel.table, "column": rel.column, "role": "key", "confidence": f"{rel.containment:.2f}",
               "why": f"refers to {rel.ref_table}.{rel.ref_column}"} for rel in profile.relations]
    changes = {c.id: c for r in results for c in r.proposed_changes}
    decisions = []
    for d in outcome.decisions:
        change = changes.get(d.change_id)
        decisions.append({"change": d.change_id, "tool": change.tool if change else "?",
                          "kind": change.kind if change else "?", "action": d.action, "by": d.actor,
                          "rows": str(len(d.row_ids)) if d.row_ids is not None
                          else str(change.preview.rows_affected if change else "?"),
                          "why": d.reason or (change.rationale if change else "")})
    for change in outcome.waiting:
        decisions.append({"change": change.id, "tool": change.tool, "kind": change.kind, "action": "waiting",
                          "by": "", "rows": str(change.preview.rows_affected), "why": change.rationale})
    versions = [{"id": v.id, "parent": v.parent or "", "change": v.change_id or "input as read",
                 "created": v.created, "rows": str(sum(t.rows for t in v.tables.values())),
                 "head": v.id == workspace.head_id}
                for v in workspace.versions()]
    tables = [{"name": t.name, "rows": t.rows, "columns": _column_rows(t), "balance": _balance(t, frames[t.name])}
              for t in profile.tables]
    inputs = workspace.input_paths()
    return AuditReport(
        title=inputs[0].name if inputs else profile.name, goal=record.goal, session=outcome.session,
        written=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), summary=record.report or SessionReport(),
        finished=record.report is not None, steps=steps, notes=plan.notes if plan else [], roles=roles,
        findings=[_finding(f, profile, frames) for f in findings], decisions=decisions, versions=versions,
        tables=tables)


def _environment() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: resources.files("copilot").joinpath("templates", name).read_text(encoding="utf-8"))
    env = jinja2.Environment(loader=loader, autoescape=jinja2.select_autoescape(["html.j2"]),
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["md"] = _markdown_cell
    return env


def _markdown_cell(value: object) -> str:
    """Text safe inside a markdown table cell: one line, pipes and backticks escaped."""
    return " ".join(str(value).split()).replace("|", "\\|").replace("`", "'")


def render_report(report: AuditReport, fmt: str = "html", standalone: bool = True) -> str:
    """The page as HTML (a whole document, or a fragment for a notebook) or as markdown."""
    template = "report.html.j2" if fmt == "html" else "report.md.j2"
    return _environment().get_template(template).render(r=report, standalone=standalone)


def report_format(path: Path) -> str:
    """'html' or 'md', from the file's suffix; anything else is refused."""
    fmt = REPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot write a report as '{path.suffix or path.name}'", file=path,
                         fix="name it .html or .md")
    return fmt


def write_report(path: Path, outcome: Outcome, workspace: Workspace) -> Path:
    """Write the page atomically; the format follows the file's suffix."""
    fmt = report_format(path)
    workspace.refuse_overlap(path, "report")
    atomic_write_text(path, render_report(build_report(outcome, workspace), fmt))
    return path


def run_html(waiting: list[ProposedChange], outcome: Outcome, workspace: Workspace) -> str:
    """A run as an HTML fragment (the notebook's view): the first change waiting, then the report."""
    parts = []
    for change in waiting[:1]:
        sample = pd.DataFrame([{"row": r.row_id, **{f"{k} (before)": v for k, v in r.before.items()},
                                "after": "dropped" if r.after is None else r.after} for r in change.preview.sample])
        parts.append(f"<p><b>Proposed change {html.escape(change.id)}</b>: {html.escape(change.kind)} on "
                     f"{change.preview.rows_affected} rows, from {html.escape(change.tool)}. "
                     f"{html.escape(change.rationale)}</p>" + sample.to_html(index=False, escape=True))
    if len(waiting) > 1:
        parts.append(f"<p>{len(waiting) - 1} more change(s) wait after this one.</p>")
    report = outcome.report
    if report is not None:
        applied = ", ".join(f"{a.kind} {a.rows_affected} rows → {a.version}" for a in report.applied)
        parts.append(f"<p>Done: {report.approved} approved, {report.rejected} rejected"
                     f"{'; applied ' + html.escape(applied) if applied else ''}.</p>")
    parts.append(render_report(build_report(outcome, workspace), "html", standalone=False))
    return "\n".join(parts)
