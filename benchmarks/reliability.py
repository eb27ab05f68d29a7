"""Crash and concurrency experiments on real `copilot` processes (issue 19).

    .venv/bin/python benchmarks/reliability.py --kills 25 --commit-kills 25 --pairs 30

Kills: `copilot run SMALL "remove duplicates" --approve all` is SIGKILLed at a random moment of its run
(or, with --commit-kills, at a random moment just after it logs its decision, inside the commit);
the workspace is checked as the kill left it, then recovered the way a user would (`copilot resume`, or
the same command again when there is no session to resume) and checked again: the duplicate drop is
applied exactly once, every version is audited, HEAD is complete, nothing is orphaned, the input is
untouched. Pairs: two such runs start together on one workspace, with `--wait` (both must succeed) or
without (one may fail, with the 'in use' line); the change must land exactly once either way.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import palmerpenguins
import pandas as pd

from copilot.workspace import Workspace

COPILOT = [sys.executable, "-m", "copilot.cli"]
GOAL = "remove duplicates"


def _small(folder: Path) -> tuple[Path, int]:
    """The penguins table with two rows repeated: one duplicate drop of 2 rows to approve."""
    df = palmerpenguins.load_penguins()
    data = folder / "penguins.csv"
    pd.concat([df, df.iloc[[5, 9]]]).to_csv(data, index=False)
    return data, len(df)


def _run(data: Path, ws: Path, *more: str) -> list[str]:
    return [*COPILOT, "run", str(data), GOAL, "--approve", "all", "--workspace", str(ws), *more]


def _stage(ws: Path) -> str:
    """How far the killed run got, read from the files as it left them."""
    events = Workspace(ws).log() if (ws / "audit.jsonl").exists() else []
    kinds = [e["event"] for e in events]
    manifests = len(list((ws / "versions").glob("v*.json")))
    head = (ws / "HEAD").read_text().strip() if (ws / "HEAD").exists() else None
    if "session" in kinds:
        return "finished"
    if "apply" in kinds:
        moved = head == next(e["to_version"] for e in reversed(events) if e["event"] == "apply")
        return "applied" + ("" if moved else ", HEAD not yet moved")
    if "decision" in kinds:
        return "decided" + (", version written but not audited" if manifests > 1 else "")
    if "create" in kinds:
        return "created" + ("" if head else ", HEAD not yet written")
    return "creating" if manifests else "nothing written"


def _verdict(ws: Path, clean_rows: int) -> list[str]:
    workspace = Workspace.existing(ws)
    problems = workspace.inconsistencies()
    applies = [e for e in workspace.log() if e["event"] == "apply"]
    if len(applies) != 1:
        problems.append(f"{len(applies)} apply events")
    if len(workspace.load().table().df) != clean_rows:
        problems.append(f"HEAD has {len(workspace.load().table().df)} rows, expected {clean_rows}")
    return problems


def _when_deciding(ws: Path, rng: random.Random, proc: subprocess.Popen, window: float) -> None:
    """Return a random moment within `window` s after the run logs its first decision: inside the commit."""
    audit = ws / "audit.jsonl"
    while proc.poll() is None and not (audit.exists() and b'"decision"' in audit.read_bytes()):
        time.sleep(0.001)
    time.sleep(rng.uniform(0, window))


def kills(n: int, seed: int, window: float | None = None) -> Counter:
    """SIGKILL runs at random moments; with `window`, only within `window` s after the decision is logged."""
    rng = random.Random(seed)
    tally: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        data, clean = _small(Path(tmp))
        digest = hashlib.sha256(data.read_bytes()).hexdigest()
        started = time.monotonic()
        subprocess.run(_run(data, Path(tmp) / "timing"), capture_output=True, check=True)
        duration = time.monotonic() - started
        # Half the kills anywhere in the run, half in its last 40%, where the workspace writes happen.
        print(f"an uninterrupted run takes {duration:.1f} s; kills at uniform moments in [0, 1.1] and "
              f"[0.6, 1.05] of that")
        for i in range(n):
            ws = Path(tmp) / f"kill-{i}"
            proc = subprocess.Popen(_run(data, ws), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if window is not None:
                _when_deciding(ws, rng, proc, window)
            else:
                time.sleep(duration * (rng.uniform(0, 1.1) if i % 2 == 0 else rng.uniform(0.6, 1.05)))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            stage = _stage(ws)
            tally[f"killed at: {stage}"] += 1
            raw = Workspace(ws).inconsistencies() if (ws / "versions").exists() else []
            tally["left needing recovery (before resume)"] += bool(raw)
            resumed = subprocess.run([*COPILOT, "resume", "--workspace", str(ws), "--approve", "all"],
                                     capture_output=True, text=True)
            if resumed.returncode != 0:  # no session or workspace to resume: the user runs the command again
                tally["recovered by re-running"] += 1
                again = subprocess.run(_run(data, ws), capture_output=True, text=True)
                if again.returncode != 0:
                    tally["re-run failed"] += 1
                    print(f"kill {i}: re-run failed: {again.stderr.strip()[-300:]}")
                    continue
            else:
                tally["recovered by resume"] += 1
            problems = _verdict(ws, clean)
            tally["sound after recovery" if not problems else "UNSOUND after recovery"] += 1
            if problems:
                print(f"kill {i} ({stage}): {problems}")
            tally["input modified"] += hashlib.sha256(data.read_bytes()).hexdigest() != digest
            print(f"kill {i}: {stage}, {'sound' if not problems else 'UNSOUND'}", flush=True)
    return tally


def pairs(n: int, seed: int) -> Counter:
    rng = random.Random(seed)
    tally: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        data, clean = _small(Path(tmp))
        for i in range(n):
            ws = Path(tmp) / f"pair-{i}"
            wait = i % 2 == 0
            more = ("--wait", "120") if wait else ()
            first = subprocess.Popen(_run(data, ws, *more), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
            time.sleep(rng.uniform(0, 0.6))
            second = subprocess.Popen(_run(data, ws, *more), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      text=True)
            errs = [p.communicate()[1] for p in (first, second)]
            codes = [first.returncode, second.returncode]
            kind = "with --wait" if wait else "without --wait"
            tally[f"pairs {kind}"] += 1
            tally[f"{kind}: both succeeded"] += codes == [0, 0]
            busy = sum(c == 2 and "workspace is in use by pid" in e for c, e in zip(codes, errs, strict=True))
            tally[f"{kind}: one refused with 'in use by pid N'"] += busy == 1
            other = [e.strip()[-300:] for c, e in zip(codes, errs, strict=True)
                     if c != 0 and "workspace is in use" not in e]
            tally[f"{kind}: failed otherwise"] += bool(other)
            problems = _verdict(ws, clean)
            tally["change lost, doubled or workspace unsound" if problems else "change applied exactly once"] += 1
            print(f"pair {i} ({kind}): exit {codes}, {problems or 'sound'} {other or ''}", flush=True)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=25)
    parser.add_argument("--pairs", type=int, default=30)
    parser.add_argument("--commit-kills", type=int, default=25, help="kills inside the commit of the change")
    parser.add_argument("--window", type=float, default=0.01, help="seconds after the decision entry")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    results = {}
    if args.kills:
        results["SIGKILL at random moments"] = kills(args.kills, args.seed)
    if args.commit_kills:
        results[f"SIGKILL within {args.window} s of the decision entry"] = kills(args.commit_kills, args.seed,
                                                                                args.window)
    if args.pairs:
        results["concurrent pairs"] = pairs(args.pairs, args.seed)
    for name, tally in results.items():
        print(f"\n| {name} | count |\n|---|---|")
        for key, count in tally.items():
            print(f"| {key} | {count} |")


if __name__ == "__main__":
    main()
