"""`copilot eval CASES`: the evaluation harness as a command of the co-pilot's CLI (registered through the
`curation_copilot.commands` entry point, so the agent does not import its evaluation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from copilot.frontend import BaseUrlOpt, JsonOpt, ModelOpt, console_for, settings_from_flags
from evals.harness import run_eval, totals
from tools.quoting import markup_safe as escape


def evaluate(cases: Annotated[Path, typer.Argument(help="A folder of DCA-style cases (<id>/case.json + files/).")],
             hint_level: Annotated[int, typer.Option("--hint-level", min=0, max=3,
                                                     help="0 none, 1 general, 2 location, 3 specific.")] = 0,
             out: Annotated[Path, typer.Option("--out", help="Where the answer JSONs go.")] = Path("eval-out"),
             json_out: JsonOpt = False, model: ModelOpt = None, base_url: BaseUrlOpt = None) -> None:
    """Run the co-pilot read-only on each case (nothing is approved) and score its answers."""
    console = console_for(json_out)
    settings = settings_from_flags(console, model, base_url)
    table = Table(title=f"Evaluation at hint level {hint_level}", title_justify="left")
    for col in ("case", "type", "verdict", "score", "findings", "seconds"):
        table.add_column(col)
    style = {"success": "green", "partially": "yellow", "failed": "red"}

    def show(name: str, r) -> None:
        console.print(f"{name}: [{style[r.verdict]}]{r.verdict}[/] ({r.score:.2f})")
        judged = f" (judge {r.judge_score:.2f})" if r.judge_score is not None else ""
        table.add_row(r.id, r.type, f"[{style[r.verdict]}]{r.verdict}[/]", f"{r.score:.2f}{judged}", str(r.findings),
                      f"{r.seconds:.1f}")

    results = run_eval(cases, hint_level, out, settings, show)
    summary = totals(results)
    if json_out:
        typer.echo(json.dumps({"results": [r.model_dump() for r in results], "totals": summary}, indent=2))
        return
    console.print(table)
    console.print(f"success {summary['success']:.0%} · partially {summary['partially']:.0%} · mean score "
                  f"{summary['mean_score']:.2f} · {summary['findings_per_case']:.1f} findings per case, "
                  f"{summary['unmatched_per_case']:.1f} matching no planted issue · answers in {escape(str(out))}")
