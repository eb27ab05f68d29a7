"""card: a Hugging Face card and a Croissant file from facts, validated, with claims checked and no invented numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from huggingface_hub import DatasetCard
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from copilot.gate import Decision
from copilot.workspace import Workspace
from tools import REGISTRY, ToolContext
from tools.card import MORE, CardArgs, facts
from tools.data import load_dataset

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "penguins"


def _card(ctx: ToolContext, **args):
    tool = REGISTRY.get("card")
    return tool.run(ctx, tool.parse_args(args))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\d+(?:[.,]\d+)*", text)}


def test_card_loads_with_huggingface_hub_and_invents_no_number() -> None:
    ctx = ToolContext(load_dataset(EXAMPLE))
    result = _card(ctx)
    readme = next(c for c in result.proposed_changes if c.operation.path == "README.md").operation.content
    card = DatasetCard(readme)
    assert card.data.license == "cc0-1.0" and card.data.size_categories == ["n<1K"]
    for heading in ("## Dataset Details", "## Uses", "## Dataset Structure", "## Dataset Creation",
                    "#### Personal and Sensitive Information", "## Bias, Risks, and Limitations",
                    "### Recommendations", "## Citation"):
        assert heading in readme
    assert "348 rows" in readme and "Adelie: 154" in readme and "| comments | empty (float64) | 100.0% |" in readme
    assert "From the existing card: Size measurements of adult penguins" in readme  # its facts kept
    assert MORE in readme  # what cannot be known is not guessed
    supported = _numbers(str(facts(ctx, CardArgs())))
    assert _numbers(readme) <= supported  # every number in the card comes from the facts


def test_croissant_validates_with_mlcroissant(tmp_path: Path) -> None:
    import mlcroissant as mlc

    ws = Workspace.open(EXAMPLE, tmp_path / "ws")
    result = _card(ToolContext(ws.load()))
    for change in result.proposed_changes:
        ws.apply(change, change.operation, Decision(change_id=change.id, action="approve",
                                                    actor="user:t"), "s1")
    out = tmp_path / "export"
    ws.export(out, "csv")  # writes the table and the documents, croissant.json among them
    dataset = mlc.Dataset(jsonld=str(out / "croissant.json"))
    records = list(dataset.records("penguins"))
    assert len(records) == 348 and records[0]["penguins/species"] == b"Adelie"


def test_curation_log_and_open_findings(tmp_path: Path, penguins: pd.DataFrame) -> None:
    data = tmp_path / "p.csv"
    pd.concat([penguins, penguins.iloc[[5]]]).to_csv(data, index=False)
    ws = Workspace.open(data)
    dup = REGISTRY.get("duplicates")
    found = dup.run(ToolContext(ws.load()), dup.parse_args({}))
    change = found.proposed_changes[0]
    ws.apply(change, change.operation, Decision(change_id=change.id, action="approve", actor="user:ana"),
             "s1")
    labels = REGISTRY.get("label_issues").run(ToolContext(ws.load()), REGISTRY.get("label_issues").parse_args({}))
    ctx = ToolContext(ws.load(), history=ws.log(), prior_results=[labels])
    readme = _card(ctx).proposed_changes[0].operation.content
    assert "| duplicates | drop_rows | 1 | user:ana | v0001 |" in readme
    assert "Open findings of the latest audit" in readme or not labels.findings


def test_claims_the_data_contradicts(tmp_path: Path, penguins: pd.DataFrame) -> None:
    (tmp_path / "ds").mkdir()
    penguins.to_csv(tmp_path / "ds" / "penguins.csv", index=False)
    (tmp_path / "ds" / "README.md").write_text(
        "# Penguins\n\nThe table has 1,000 rows and no missing values. There are 4 classes.\n\n"
        "| column | meaning |\n|---|---|\n| species | the species |\n| beak_colour | colour |\n\n"
        "License: CC-BY-4.0\n")
    (tmp_path / "ds" / "LICENSE").write_text("MIT License\n")
    result = _card(ToolContext(load_dataset(tmp_path / "ds")))
    issues = " | ".join(f.issue for f in result.findings)
    assert "says 1,000 rows; the data has 344" in issues
    assert "says there are no missing values" in issues and "says 4 classes; species has 3" in issues
    assert "documents columns the data lacks: beak_colour" in issues
    assert "columns missing from README.md: bill_depth_mm" in issues
    assert any(f.type == "license" and "different licenses" in f.issue for f in result.findings)
    readme = result.proposed_changes[0]
    assert readme.preview.diff.startswith("--- a/README.md")  # a diff against the existing card


def test_model_prose_is_used_only_when_grounded(tmp_path: Path) -> None:
    class Writer(GenericFakeChatModel):
        def bind_tools(self, tools, **kwargs):
            return self

    def prose(summary: str) -> AIMessage:
        return AIMessage(content="", tool_calls=[{"name": "Prose", "args": {
            "summary": summary, "uses": "Classifying penguin species from measurements.", "limitations": ""},
            "id": "c1"}])

    grounded = _card(ToolContext(load_dataset(EXAMPLE), llm=Writer(messages=iter([
        prose("Measurements of 348 penguins of 3 species.")])))).proposed_changes[0].operation.content
    assert "Measurements of 348 penguins of 3 species." in grounded
    invented = _card(ToolContext(load_dataset(EXAMPLE), llm=Writer(messages=iter([
        prose("Measurements of 5,000 penguins from 12 islands.")])))).proposed_changes[0].operation.content
    assert "5,000" not in invented and "Classifying penguin species" in invented


@pytest.mark.parametrize("has_readme", [False, True])
def test_completeness_before_and_after(tmp_path: Path, penguins: pd.DataFrame, has_readme: bool) -> None:
    penguins.to_csv(tmp_path / "p.csv", index=False)
    if has_readme:
        (tmp_path / "README.md").write_text("# P\n\n## Uses\n\nTeaching.\n")
    result = _card(ToolContext(load_dataset(tmp_path)))
    before, after = map(int, re.findall(r"(\d+)%", result.summary)[:2])
    assert after > before and (before > 0) == has_readme


def test_card_says_what_the_audit_found(tmp_path: Path) -> None:
    folder = tmp_path / "staff"
    folder.mkdir()
    pd.DataFrame({"name": [f"p{i}" for i in range(40)],
                  "age": [str(20 + i) if i % 10 else "unknown" for i in range(40)],
                  "note": [f"call me at p{i}@example.org" if i < 3 else f"note {i}" for i in range(40)]}
                 ).to_csv(folder / "staff.csv", index=False)
    readme = _card(ToolContext(load_dataset(folder))).proposed_changes[0].operation.content
    assert "| age | mixed (str) | 10.0% (4 written as 'unknown') |" in readme  # placeholders count as missing
    personal = readme.split("#### Personal and Sensitive Information")[1].split("## Bias")[0]
    assert "found personal data" in personal and "`note`" in personal and "3 rows" in personal
    clean = _card(ToolContext(load_dataset(EXAMPLE))).proposed_changes[0].operation.content
    assert "found no personal data" in clean.split("#### Personal and Sensitive Information")[1]


def test_approved_card_is_readable_at_once_and_passes_its_own_checks(cli, tmp_path: Path) -> None:
    result = cli("run", EXAMPLE, "write a dataset card", "--approve", "all", "--workspace", tmp_path / "ws")
    assert result.code == 0, result.err
    readable = tmp_path / "ws" / "current" / "README.md"
    assert "readable now" in result.out and readable.is_file()  # no export step needed to read it
    assert readable.read_text(encoding="utf-8").startswith("---\nlicense: cc0-1.0")
    single = cli("export", "--workspace", tmp_path / "ws", tmp_path / "one.csv")
    assert "README.md, croissant.json not written" in single.out.replace("\n", " ")  # said, not silently dropped
    cli("export", "--workspace", tmp_path / "ws", tmp_path / "out")
    again = REGISTRY.get("doc_checks")
    findings = again.run(ToolContext(load_dataset(tmp_path / "out")), again.parse_args({})).findings
    # The data's own problems may stay; the card itself must not contradict the data it describes.
    assert not [f for f in findings if f.file == "README.md" and f.severity in ("high", "medium")], findings
