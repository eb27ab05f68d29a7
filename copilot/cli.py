"""The `copilot` command line: run a goal on a dataset, with every change behind an approval gate."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from copilot.frontend import BaseUrlOpt, JsonOpt, ModelOpt, console_for, settings_from_flags
from copilot.gate import Policy, policy_from_option
from copilot.interactive import TerminalApprover, workspace_previews
from copilot.planner import make_plan, slow_step_notes
from copilot.render import TerminalEvents, render_log, render_outcome, render_plan, render_roles
from copilot.settings import Settings
from copilot.workspace import Workspace, default_workspace_dir
from tools.base import REGISTRY, ToolContext
from tools.data.dataset import Dataset, load_dataset
from tools.errors import CopilotError, UsageError
from tools.quoting import markup_safe as escape

if TYPE_CHECKING:
    from copilot.session import Outcome, Session

app = typer.Typer(
    help="A data-curation co-pilot. It profiles and audits a dataset, proposes fixes, and changes nothing "
         "until you approve. Every approved change becomes a new version with an audit trail; your input "
         "files are never modified.\n\nStart with:  copilot run DATA \"what's wrong with this dataset?\"",
    no_args_is_help=True, pretty_exceptions_show_locals=False, rich_markup_mode="rich")

DataArg = Annotated[Path, typer.Argument(help="A CSV/TSV/JSON/JSONL/Parquet file, or a folder of them.")]
GoalArg = Annotated[str, typer.Argument(help="What you want, in plain English, e.g. \"remove duplicates\".")]
WorkspaceOpt = Annotated[Path | None, typer.Option(
    "--workspace", "-w", help="Where versions and the audit log live. Default: .copilot/<name> beside the data.")]
LabelOpt = Annotated[str | None, typer.Option("--label", help="The label column (inferred when omitted).")]
TextOpt = Annotated[str | None, typer.Option("--text", help="The main text column (inferred when omitted).")]
EncodingOpt = Annotated[str | None, typer.Option("--encoding", help="Force a text encoding (detected by default).")]
WaitOpt = Annotated[float, typer.Option(
    "--wait", min=0, help="Seconds to wait for another copilot using the same workspace (default: fail at once).")]
class EngineChoice(StrEnum):
    local = "local"
    ray = "ray"


EngineOpt = Annotated[EngineChoice | None, typer.Option(
    "--engine",
    help="Where a corpus of shards (a folder of Parquet / JSONL files over 1 GiB) is streamed: 'local' (this "
         "process, the default) or 'ray' (RAY_ADDRESS, or a local Ray started for the run; `pip install "
         "curation-copilot[scale]`). Also COPILOT_ENGINE.")]
ReportOpt = Annotated[Path | None, typer.Option(
    "--report", help="Also write the audit as one self-contained page to share: audit.html or audit.md.")]
ApproveOpt = Annotated[str | None, typer.Option(
    "--approve", "-a",
    help="Who decides proposed changes: 'ask' (you, interactively), 'all' (approve everything), 'none' "
         "(dry run: the default when input is not a terminal), or a policy file (.toml/.json).")]


def _resolve_workspace(data: Path | None, workspace: Path | None, wait: float = 0.0) -> Workspace:
    if workspace is not None:
        return Workspace.existing(workspace, wait)
    if data is None:
        raise UsageError("say which dataset", fix="pass DATA or --workspace DIR")
    return Workspace.existing(default_workspace_dir(data), wait)


def _policy(option: str | None) -> Policy:
    if option is None:
        option = "ask" if sys.stdin.isatty() else "none"
    return policy_from_option(option)


def _overrides(dataset: Dataset, label: str | None, text: str | None) -> dict[str, str | None]:
    """Column flags, checked against the data: a typo gets a one-line error with a suggestion."""
    for column in (label, text):
        if column and not any(column in t.columns for t in dataset.tables.values()):
            dataset.require_column(column, next(iter(dataset.tables)))
    return {"label_column": label, "text_column": text}


def _outcome_json(outcome: Outcome) -> str:
    return json.dumps({"session": outcome.session, "finished": outcome.finished, **outcome.state,
                       "waiting": [c.model_dump(mode="json") for c in outcome.waiting]}, indent=2, default=str)


def _check_report(path: Path | None) -> None:
    """Refuse a report name before the run (and before a workspace is made), not after minutes of work."""
    if path is not None:
        from copilot.report import report_format  # imported here: it pulls in LangGraph

        report_format(path)


def _finish(console: Console, outcome: Outcome, json_mode: bool, ws: Workspace, report: Path | None = None) -> None:
    if report is not None:
        from copilot.report import write_report

        write_report(report, outcome, ws)
    if json_mode:
        typer.echo(_outcome_json(outcome))
        return
    plan = outcome.plan
    if plan is not None and not plan.steps:
        raise typer.Exit(1)
    render_outcome(console, outcome, ws)
    if report is not None:
        console.print(f"Report: [bold]{escape(str(report))}[/]")


def _paused(console: Console, session: Session, ws: Workspace) -> NoReturn:
    """After Ctrl-C: say how to go on, and exit now. Steps still inside a long library call would hold the
    exit until they finish; tools never write and the session's state is saved, so nothing is lost."""
    session.close()
    console.print(f"\n[yellow]Paused.[/] Nothing unapproved was applied. Continue with: "
                  f"copilot resume --workspace {escape(str(ws.root))}")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def _session(workspace: Workspace, policy: Policy, console: Console, settings: Settings) -> Session:
    ask = TerminalApprover(console, workspace_previews(workspace)) if policy.default == "ask" or policy.rules else None
    from copilot.session import Session  # imported here: LangGraph is slow to import; only run/resume need it

    return Session.open(workspace, policy, settings, ask=ask, events=TerminalEvents(console))


@app.command()
def run(data: DataArg, goal: GoalArg, approve: ApproveOpt = None, label: LabelOpt = None, text: TextOpt = None,
        workspace: WorkspaceOpt = None, json_out: JsonOpt = False, encoding: EncodingOpt = None,
        model: ModelOpt = None, base_url: BaseUrlOpt = None, wait: WaitOpt = 0.0, report: ReportOpt = None,
        sample: Annotated[int | None, typer.Option(
            "--sample", min=10, help="A first look at a big file: audit a random sample of N rows per table (row ids "
                                     "kept, so approved changes apply to the whole data).")] = None,
        engine: EngineOpt = None) -> None:
    """Plan and run GOAL on DATA; each proposed change waits for approval."""
    console = console_for(json_out)
    policy = _policy(approve)  # a bad policy file is refused before a workspace is made
    settings = settings_from_flags(console, model, base_url, engine)
    _check_report(report)
    ws = Workspace.open(data, workspace, encoding, wait, check=lambda dataset: _overrides(dataset, label, text))
    if report is not None:
        ws.refuse_overlap(report, "report")
    overrides = {"label_column": label, "text_column": text}
    with _session(ws, policy, console, settings) as session:
        try:
            outcome = session.start(goal, overrides, sample=sample)
        except KeyboardInterrupt:
            _paused(console, session, ws)
    _finish(console, outcome, json_out, ws, report)


@app.command()
def resume(data: Annotated[Path | None, typer.Argument(help="The dataset (or use --workspace).")] = None,
           workspace: WorkspaceOpt = None, approve: ApproveOpt = None, json_out: JsonOpt = False,
           model: ModelOpt = None, base_url: BaseUrlOpt = None, wait: WaitOpt = 0.0,
           report: ReportOpt = None, engine: EngineOpt = None) -> None:
    """Continue the last session of a workspace, e.g. after it stopped at the approval gate."""
    console = console_for(json_out)
    policy = _policy(approve or "ask")
    _check_report(report)
    ws = _resolve_workspace(data, workspace, wait)
    if report is not None:
        ws.refuse_overlap(report, "report")
    with _session(ws, policy, console, settings_from_flags(console, model, base_url, engine)) as session:
        try:
            outcome = session.resume()
        except KeyboardInterrupt:
            _paused(console, session, ws)
    _finish(console, outcome, json_out, ws, report)


@app.command()
def plan(data: DataArg, goal: GoalArg, label: LabelOpt = None, text: TextOpt = None, json_out: JsonOpt = False,
         encoding: EncodingOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None) -> None:
    """Show the plan for GOAL without running anything."""
    settings = settings_from_flags(console_for(json_out), model, base_url)
    dataset = load_dataset(data, encoding)
    overrides = _overrides(dataset, label, text)
    profile = ToolContext(dataset).profile
    from copilot.llm import build_chat_model

    the_plan = make_plan(goal, profile, build_chat_model(settings), settings, overrides=overrides)[0]
    the_plan.notes += slow_step_notes(the_plan, profile, REGISTRY, None)
    if json_out:
        typer.echo(the_plan.model_dump_json(indent=2))
    else:
        render_roles(Console(), profile)
        render_plan(Console(), the_plan)
    if not the_plan.steps:
        raise typer.Exit(1)


@app.command("tools")
def list_tools(json_out: JsonOpt = False) -> None:
    """List the tools with their descriptions and argument schemas."""
    catalog = REGISTRY.catalogue()
    if json_out:
        typer.echo(json.dumps(catalog, indent=2))
        return
    table = Table(show_lines=True)
    table.add_column("tool", style="bold")
    table.add_column("what it does")
    table.add_column("arguments")
    for entry in catalog:
        props = entry["args"].get("properties", {})
        args = "\n".join(f"[bold]{escape(k)}[/]: {escape(v.get('description', ''))}" for k, v in props.items())
        table.add_row(entry["name"], escape(entry["description"]), args or "—")
    Console().print(table)


@app.command()
def log(data: Annotated[Path | None, typer.Argument(help="The dataset (or use --workspace).")] = None,
        workspace: WorkspaceOpt = None, json_out: JsonOpt = False) -> None:
    """Show the audit log: every decision, applied change, undo and export."""
    ws = _resolve_workspace(data, workspace)
    if json_out:
        typer.echo(json.dumps(ws.log(), indent=2))
        return
    render_log(Console(), ws)


@app.command()
def undo(data: Annotated[Path | None, typer.Argument(help="The dataset (or use --workspace).")] = None,
         workspace: WorkspaceOpt = None, wait: WaitOpt = 0.0) -> None:
    """Go back one version. Nothing is deleted; the audit log records the undo."""
    ws = _resolve_workspace(data, workspace, wait)
    before = ws.head_id
    version = ws.undo()
    Console().print(f"HEAD moved from {before} back to [bold]{version.id}[/].")


@app.command()
def export(paths: Annotated[list[Path], typer.Argument(
               help="[DATA] DEST: the dataset (like `log` and `undo`; or use --workspace), then the output file "
                    "(one table) or folder (tables and documents such as an approved card).", show_default=False)],
           data: Annotated[Path | None, typer.Option("--data", help="The dataset (or give it before DEST).")] = None,
           workspace: WorkspaceOpt = None,
           fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv, parquet or jsonl "
                                                   "(default: from DEST's suffix, else csv).")] = None,
           force: Annotated[bool, typer.Option("--force", help="Replace files that already exist.")] = False,
           wait: WaitOpt = 0.0) -> None:
    """Write the current version of the data to DEST (never over an input or an existing file)."""
    if len(paths) > 2 or (len(paths) == 2 and data is not None):
        raise UsageError("export takes [DATA] DEST", fix="e.g. copilot export data.csv curated.csv")
    if len(paths) == 2:
        data = paths[0]
    dest = paths[-1]
    ws = _resolve_workspace(data, workspace, wait)
    written = ws.export(dest, fmt, force=force)
    console = Console()
    console.print(f"Exported version [bold]{ws.head_id}[/] to: " + ", ".join(escape(str(p)) for p in written))
    single_file = written == [dest]
    left = list(ws.version().documents) if single_file else []
    if left:
        console.print(f"[yellow]note:[/] {escape(', '.join(left))} not written: a single-file export holds the "
                      "table only; export to a folder to include them.")


@app.command()
def chat(data: DataArg, workspace: WorkspaceOpt = None,
         resume_session: Annotated[bool, typer.Option("--resume",
                                                      help="Continue the last session at its gate.")] = False,
         model: ModelOpt = None, base_url: BaseUrlOpt = None) -> None:
    """Talk to the co-pilot about DATA: goals, follow-ups and /commands; every change waits for you."""
    from copilot.chat import Chat

    console = Console()
    Chat(data, workspace, Settings().with_overrides(model, base_url), console).loop(resume=resume_session)


benchmarks_app = typer.Typer(help="Evaluation benchmarks the contamination check compares against "
                                   "(HumanEval is built in).", no_args_is_help=True)
app.add_typer(benchmarks_app, name="benchmarks")


@benchmarks_app.command("list")
def benchmarks_list() -> None:
    """List the benchmarks, with their kind and number of items."""
    from tools import benchmark_sets

    table = Table()
    for col in ("name", "kind", "items"):
        table.add_column(col)
    for name in benchmark_sets.names():
        bench = benchmark_sets.load(name)
        table.add_row(name, bench.kind, str(len(bench.texts)))
    Console().print(table)
    Console().print(f"[dim]added benchmarks live in {escape(str(benchmark_sets.home() / 'benchmarks'))}[/]")


@benchmarks_app.command("add")
def benchmarks_add(
        name: Annotated[str, typer.Argument(help="A short name, e.g. gsm8k.")],
        file: Annotated[Path, typer.Argument(help="JSONL, CSV, Parquet, ... one item per row.")],
        field: Annotated[list[str] | None, typer.Option("--field", "-f", help="Column(s) holding the item text "
                                                        "(joined); inferred when omitted.")] = None,
        id_field: Annotated[str | None, typer.Option("--id-field", help="Column with item ids.")] = None,
        kind: Annotated[str | None, typer.Option("--kind", help="text or code (detected).")] = None) -> None:
    """Add a benchmark from FILE so every dataset can be checked against it."""
    from tools import benchmark_sets

    if kind not in (None, "text", "code"):
        raise UsageError(f"kind '{kind}' is neither text nor code")
    bench = benchmark_sets.add(name, file, field, id_field, kind)  # type: ignore[arg-type]
    Console().print(f"Added [bold]{bench.name}[/]: {len(bench.texts)} {bench.kind} items.")


@benchmarks_app.command("remove")
def benchmarks_remove(name: Annotated[str, typer.Argument(help="The benchmark to remove.")]) -> None:
    """Remove an added benchmark."""
    from tools import benchmark_sets

    benchmark_sets.remove(name)
    Console().print(f"Removed {name}.")


@app.command()
def doctor(model: ModelOpt = None, base_url: BaseUrlOpt = None) -> None:
    """Check the model configuration with one cheap call, and say what is wrong."""
    from copilot.llm import build_chat_model, check_model

    console = Console()
    settings = Settings().with_overrides(model, base_url)
    console.print(f"model: {settings.model or '(default)'} · base URL: {settings.base_url or '(OpenAI)'} · "
                  f"API key: {'set' if settings.api_key else 'not set'}")
    llm = build_chat_model(settings)
    if llm is None:
        console.print(f"{settings.describe()}. Set OPENAI_API_KEY, or COPILOT_BASE_URL for a local server.")
        raise typer.Exit(1)
    problem = check_model(llm, settings)
    if problem:
        raise UsageError(problem)
    console.print("[green]ok:[/] the model answers and calls tools.")


_DEBUG = {"on": False}


@app.callback()
def _options(debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False) -> None:
    _DEBUG["on"] = debug


def _add_plugin_commands() -> None:
    """Commands that packages above the agent add (`copilot eval` comes from `evals`), found through the
    `curation_copilot.commands` entry points, so the agent never imports its evaluation harness."""
    known = {c.name for c in app.registered_commands}
    for point in entry_points(group="curation_copilot.commands"):
        if point.name not in known:
            app.command(point.name)(point.load())


def main(argv: list[str] | None = None) -> None:
    """Entry point. A CopilotError prints one line and exits 2 (a traceback only with --debug)."""
    _DEBUG["on"] = False
    _add_plugin_commands()
    try:
        app(args=argv)
    except CopilotError as exc:
        if _DEBUG["on"]:
            raise
        typer.echo(f"error: {exc.line()}", err=True)  # one physical line, never wrapped
        sys.exit(2)


if __name__ == "__main__":
    main()
