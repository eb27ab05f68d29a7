"""Plan latency of the offline (rule) planner, and the profiling it relies on.

    .venv/bin/python benchmarks/plan_latency.py

Target (issue 2): under 50 ms per plan, deterministic. Profiling is timed separately: it is computed
once per session and shared by every step, and it grows with the data, the plan does not.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import palmerpenguins
import pandas as pd

from copilot.planner import RulePlanner
from tools.data import Dataset, profile_dataset
from tools.data.tables import Table

GOALS = [
    "what's wrong with this dataset?",
    "remove duplicates",
    "find label errors and duplicates, check it against HumanEval, then write the card",
    "profile this dataset",
    "bake a cake",
]
REPEATS = 200


def _dataset(name: str, df: pd.DataFrame) -> Dataset:
    df = df.reset_index(drop=True)
    df.index.name = "row_id"
    return Dataset(root=Path(name), tables={name: Table(name, df, "csv")})


def _wide(rows: int, cols: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    data = {f"x{i}": rng.normal(size=rows) for i in range(cols - 2)}
    data["text"] = [f"sample sentence number {i} with a few more words" for i in range(rows)]
    data["label"] = rng.choice(["a", "b", "c"], size=rows)
    return pd.DataFrame(data)


def main() -> None:
    cases = {
        "penguins (344 × 8)": palmerpenguins.load_penguins(),
        "synthetic (100,000 × 50)": _wide(100_000, 50),
    }
    planner = RulePlanner()
    print("| data | profile (ms) | plan p50 (ms) | plan p99 (ms) | plan max (ms) | deterministic |")
    print("|---|---|---|---|---|---|")
    for name, df in cases.items():
        dataset = _dataset("data.csv", df)
        t0 = time.perf_counter()
        profile = profile_dataset(dataset)
        profile_ms = (time.perf_counter() - t0) * 1000
        timings = []
        plans = {g: planner.plan(g, profile) for g in GOALS}
        for _ in range(REPEATS):
            for goal in GOALS:
                t = time.perf_counter()
                plan = planner.plan(goal, profile)
                timings.append((time.perf_counter() - t) * 1000)
                assert plan == plans[goal]
        timings.sort()
        p99 = timings[int(len(timings) * 0.99)]
        print(f"| {name} | {profile_ms:.0f} | {statistics.median(timings):.2f} | {p99:.2f} | "
              f"{timings[-1]:.2f} | yes |")
    print(f"\n{REPEATS} repeats × {len(GOALS)} goals per dataset; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
