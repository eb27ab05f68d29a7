"""The CLI end to end, in-process, with a person's answers on stdin; one cross-process resume."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

GOAL = "remove duplicates"


def _head(workspace: Path) -> pd.DataFrame:
    from copilot.workspace import Workspace

    return Workspace.existing(workspace).load().table().df


def test_interactive_approve(cli, penguins_with_dups: Path, penguins: pd.DataFrame, tree_hash) -> None:
    before = tree_hash(penguins_with_dups)
    result = cli("run", penguins_with_dups, GOAL, "--approve", "ask", stdin="a\n")
    assert result.code == 0, result.err
    assert "Proposed change" in result.out and "drop_rows" in result.out
    assert "approve [a] / reject [r] / edit [e] / more [m]" in result.out  # the keys are shown
    assert "applied" in result.out and "v0001" in result.out
    ws = penguins_with_dups.parent / ".copilot" / "penguins.csv"
    assert len(_head(ws)) == len(penguins)
    assert tree_hash(penguins_with_dups) == before  # the input file is never modified


def test_interactive_reject_changes_nothing(cli, penguins_with_dups: Path, penguins: pd.DataFrame) -> None:
    result = cli("run", penguins_with_dups, GOAL, "--approve", "ask", stdin="r\nnot now\n")
    assert result.code == 0
    assert "the data is unchanged" in result.out
    ws = penguins_with_dups.parent / ".copilot" / "penguins.csv"
    assert len(_head(ws)) == len(penguins) + 2
    log = cli("log", "--workspace", ws, "--json")
    decision = next(e for e in json.loads(log.out) if e["event"] == "decision")
    assert decision["decision"]["action"] == "reject" and decision["decision"]["reason"] == "not now"


def test_interactive_edit_approves_a_subset(cli, penguins_with_dups: Path, penguins: pd.DataFrame) -> None:
    n = len(penguins)
    # 'm' shows more rows first; an out-of-change row id is refused, then a valid subset is accepted.
    result = cli("run", penguins_with_dups, GOAL, "--approve", "ask", stdin=f"m\ne\n7\ne\n{n + 1}\n")
    assert result.code == 0, result.err
    assert "not part of this change: 7" in result.out
    head = _head(penguins_with_dups.parent / ".copilot" / "penguins.csv")
    assert n in head.index and n + 1 not in head.index


def test_dry_run_is_the_default_without_a_terminal(cli, penguins_with_dups: Path) -> None:
    result = cli("run", penguins_with_dups, GOAL)
    assert result.code == 0
    assert "dry run" in result.out and "the data is unchanged" in result.out


def test_json_output_and_undo_export(cli, penguins_with_dups: Path, tmp_path: Path, penguins) -> None:
    result = cli("run", penguins_with_dups, GOAL, "--approve", "all", "--json")
    data = json.loads(result.out)
    assert data["report"]["applied"][0]["rows_affected"] == 2
    assert [s["tool"] for s in data["plan"]["steps"]] == ["profile", "duplicates"]
    # Not a terminal: one line per step on stderr instead of a live bar, never on stdout.
    assert "s2 duplicates: started" in result.err and "s2 duplicates: done in" in result.err
    out = tmp_path / "curated.csv"
    assert cli("export", out, "--data", penguins_with_dups).code == 0
    assert len(pd.read_csv(out)) == len(penguins)
    positional = tmp_path / "positional.csv"
    assert cli("export", penguins_with_dups, positional).code == 0  # DATA first, as `log` and `undo` take it
    assert positional.read_bytes() == out.read_bytes()
    assert "takes [DATA] DEST" in cli("export", penguins_with_dups, out, out).err
    assert cli("undo", penguins_with_dups).code == 0
    assert "nothing to undo" in cli("undo", penguins_with_dups).err


def test_plan_and_tools(cli, penguins_with_dups: Path) -> None:
    plan = json.loads(cli("plan", penguins_with_dups, GOAL, "--json").out)
    assert [s["tool"] for s in plan["steps"]] == ["profile", "duplicates"]
    unknown = cli("plan", penguins_with_dups, "bake a cake")
    assert unknown.code == 1 and "I can:" in unknown.out
    tools = json.loads(cli("tools", "--json").out)
    assert {t["name"] for t in tools} >= {"profile", "duplicates"}
    assert "columns" in next(t for t in tools if t["name"] == "duplicates")["args"]["properties"]


def test_session_paused_at_the_gate_resumes_in_a_new_process(penguins_with_dups: Path, penguins) -> None:
    copilot = [sys.executable, "-m", "copilot.cli"]
    first = subprocess.run([*copilot, "run", str(penguins_with_dups), GOAL, "--approve", "ask"],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert first.returncode == 2
    assert "no answer at the approval gate" in first.stderr and "copilot resume" in first.stderr
    ws = penguins_with_dups.parent / ".copilot" / "penguins.csv"
    assert len(_head(ws)) == len(penguins) + 2
    second = subprocess.run([*copilot, "resume", "--workspace", str(ws), "--approve", "all"],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert len(_head(ws)) == len(penguins)
    third = subprocess.run([*copilot, "resume", "--workspace", str(ws)], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=120)
    assert third.returncode == 0 and len(_head(ws)) == len(penguins)  # a finished session stays finished


def test_wrong_flags_are_refused_before_a_workspace_is_made(cli, penguins_with_dups: Path) -> None:
    workspace = penguins_with_dups.parent / ".copilot"
    typo = cli("run", penguins_with_dups, GOAL, "--label", "specis")
    assert typo.code != 0 and "did you mean 'species'" in typo.err
    report = cli("run", penguins_with_dups, GOAL, "--report", "audit.pdf")
    assert report.code != 0 and "name it .html or .md" in report.err
    assert not workspace.exists()  # nothing half-made left behind


def test_findings_fit_an_80_column_terminal(cli) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "penguins"
    result = cli("run", example, "what's wrong with this dataset?", "--approve", "none", columns=80)
    assert result.code == 0, result.err
    findings = result.out[result.out.index("Findings ("):result.out.index("Approval gate")]
    assert all(len(line) <= 80 for line in findings.splitlines())
    shown = int(re.search(r"Findings \((\d+)\)", findings).group(1))
    # A heading, then per finding its line, its place and two evidence lines: no wrapped cells.
    assert len(findings.strip().splitlines()) <= 2 + 4 * shown
    assert "--report audit.html or --json show every finding in full" in findings


def test_sample_gives_a_first_look_and_changes_apply_to_the_whole_table(cli, tmp_path: Path, penguins) -> None:
    data = tmp_path / "big.csv"
    pd.concat([penguins] * 6, ignore_index=True).to_csv(data, index=False)  # 2,064 rows, every row 6 times
    result = cli("run", data, "remove duplicates", "--approve", "all", "--sample", "200", "--json")
    assert result.code == 0, result.err
    state = json.loads(result.out)
    assert state["sample"] == 200 and "random sample of 200 rows of big.csv (2,064 rows)" in " ".join(
        state["plan"]["notes"])
    assert "big.csv: 200 rows" in state["results"][0]["result"]["summary"]  # the tools saw the sample
    dropped = state["report"]["applied"][0]["rows_affected"]
    assert 0 < dropped < 200
    assert len(_head(tmp_path / ".copilot" / "big.csv")) == 2064 - dropped  # row ids kept: applied to the whole
