"""Evidence that locates: every finding on every public case quotes something found, as written, in its file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from copilot.gate import DRY_RUN
from copilot.session import Session
from copilot.workspace import Workspace
from evals.case import find_cases
from evals.harness import GOAL
from tools.contracts import Finding
from tools.data.dataset import load_dataset
from tools.data.source_text import SourceText
from tools.evidence import searchable, verbatim_in

CASES = Path(__file__).resolve().parents[2] / "evals" / "cases"


def _audit(folder: Path, tmp: Path) -> list[Finding]:
    """The full audit a DCA-style run makes, with every finding (not only those an answer keeps)."""
    files = tmp / "files"
    shutil.copytree(folder / "files", files)
    session = Session(Workspace.open(files, tmp / "workspace"), DRY_RUN)
    try:
        outcome = session.start(GOAL)
    finally:
        session.close()
    return [f for r in outcome.results for f in r.findings]


@pytest.mark.parametrize("folder", find_cases(CASES), ids=lambda p: p.name)
def test_every_finding_quotes_its_file_verbatim(folder: Path, tmp_path: Path) -> None:
    findings = _audit(folder, tmp_path)
    source = SourceText(load_dataset(folder / "files"), folder / "files")
    unlocated = []
    for f in findings:
        text = source.text(f.file) if f.file else None
        if text is None or not any(verbatim_in(item, searchable(text)) for item in f.evidence):
            unlocated.append(f"{f.file}: {f.issue} {f.evidence[:2]}")
    assert not unlocated, "\n".join(unlocated)


def test_verbatim_rule_reads_labels_quotes_and_cut_marks() -> None:
    text = searchable('id,name,note\n7,"Ann Lee","said: call me"\n')
    assert verbatim_in('row 0 (name=Ann Lee): "said: call me"', text)  # label, then the quoted cell
    assert verbatim_in("line 2: 7,\"Ann Lee\",\"said: c…", text)  # a line cut short is still its prefix
    assert not verbatim_in("row 0: name=Ann Lee, note=said", text)  # a rendering, not the file's text
    assert not verbatim_in("row 0: 7", text)  # too short to locate anything
