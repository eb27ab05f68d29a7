"""Links out of a dataset folder are reported, never read; a workspace inside the input is refused."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from copilot.workspace import Workspace
from tools.base import ToolContext
from tools.data.dataset import load_dataset
from tools.quoting import profile_for_prompt

SECRET = "s3cret-outside-row"


def _folder(tmp_path: Path, penguins: pd.DataFrame) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    pd.DataFrame({"secret": [SECRET] * 3}).to_csv(outside / "private.csv", index=False)
    (outside / "notes.md").write_text(f"# {SECRET}\n")
    data = tmp_path / "ds"
    data.mkdir()
    penguins.iloc[:30].to_csv(data / "train.csv", index=False)
    (data / "leak.csv").symlink_to(outside / "private.csv")
    (data / "NOTES.md").symlink_to(outside / "notes.md")
    (data / "more").symlink_to(outside, target_is_directory=True)
    (data / "same.csv").symlink_to(data / "train.csv")  # a link that stays inside is fine
    return data


def test_links_out_of_the_folder_are_problems_not_data(tmp_path: Path, penguins: pd.DataFrame) -> None:
    data = _folder(tmp_path, penguins)
    dataset = load_dataset(data)
    assert sorted(dataset.tables) == ["same.csv", "train.csv"] and not dataset.documents
    reported = {p.file: p.message for p in dataset.problems}
    assert set(reported) == {"leak.csv", "NOTES.md", "more"}
    assert all("outside the dataset folder" in m for m in reported.values())
    assert SECRET not in profile_for_prompt(ToolContext(dataset).profile)


def test_outside_content_never_reaches_the_workspace_or_an_export(tmp_path: Path, penguins: pd.DataFrame) -> None:
    data = _folder(tmp_path, penguins)
    ws = Workspace.open(data, tmp_path / "ws")
    stored = b"".join(p.read_bytes() for p in ws.root.rglob("*") if p.is_file())
    assert SECRET.encode() not in stored
    ws.export(tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["same.csv", "train.csv"]


def test_a_workspace_inside_the_input_is_refused(cli, tmp_path: Path, penguins: pd.DataFrame) -> None:
    data = tmp_path / "ds"
    data.mkdir()
    penguins.iloc[:30].to_csv(data / "train.csv", index=False)
    result = cli("run", data, "remove duplicates", "--approve", "all", "--workspace", data / "ws")
    assert result.code == 2 and "inside the input folder" in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert sorted(p.name for p in data.iterdir()) == ["train.csv"]  # nothing was written there
