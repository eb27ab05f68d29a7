"""Workspace: immutable versions, append-only audit log, undo, export, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from copilot.gate import Decision
from copilot.workspace import Workspace
from tools.contracts import CellUpdate, DropRows, Preview, ProposedChange, SetValues, WriteFile
from tools.errors import UsageError


def _change(op) -> ProposedChange:
    return ProposedChange(tool="test", operation=op, rationale="test", preview=Preview(rows_affected=0))


def _apply(ws: Workspace, op) -> None:
    change = _change(op)
    decision = Decision(change_id=change.id, action="approve", actor="user:test")
    ws.apply(change, op, decision, session="s")


def test_versions_log_undo(penguins_with_dups: Path) -> None:
    ws = Workspace.open(penguins_with_dups)
    assert ws.root == penguins_with_dups.parent / ".copilot" / "penguins.csv"
    assert ws.head_id == "v0000"
    n = len(ws.load().table().df)
    _apply(ws, DropRows(table="penguins.csv", row_ids=[0, 1]))
    _apply(ws, SetValues(kind="relabel", table="penguins.csv", column="species",
                         updates=[CellUpdate(row_id=5, value="Gentoo")]))
    head = ws.load().table().df
    assert ws.head_id == "v0002" and len(head) == n - 2
    assert head.loc[5, "species"] == "Gentoo" and 0 not in head.index  # row ids are stable
    assert len(ws.load("v0000").table().df) == n  # old versions are untouched

    events = [e["event"] for e in ws.log()]
    assert events == ["create", "apply", "apply"]
    entry = ws.log()[2]
    assert entry["from_version"] == "v0001" and entry["to_version"] == "v0002"
    assert entry["from_hash"] != entry["to_hash"] and entry["actor"] == "user:test"

    ws.undo()
    assert ws.head_id == "v0001" and ws.load().table().df.loc[5, "species"] == "Adelie"
    ws.undo()
    with pytest.raises(UsageError, match="nothing to undo"):
        ws.undo()
    assert [e["event"] for e in ws.log()][-2:] == ["undo", "undo"]
    assert len(ws.versions()) == 3  # undo deletes nothing


def test_set_values_widens_a_numeric_column(penguins_with_dups: Path) -> None:
    ws = Workspace.open(penguins_with_dups)
    _apply(ws, SetValues(table="penguins.csv", column="year", updates=[CellUpdate(row_id=2, value="unknown")]))
    assert ws.load().table().df.loc[2, "year"] == "unknown"


def test_write_file_adds_a_document(penguins_with_dups: Path) -> None:
    ws = Workspace.open(penguins_with_dups)
    _apply(ws, WriteFile(path="README.md", content="# Card\n"))
    assert ws.load().documents["README.md"] == "# Card\n"
    assert not (penguins_with_dups.parent / "README.md").exists()


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_export_formats(tmp_path: Path, penguins_with_dups: Path, suffix: str) -> None:
    ws = Workspace.open(penguins_with_dups)
    _apply(ws, DropRows(table="penguins.csv", row_ids=[0]))
    out = tmp_path / f"out{suffix}"
    ws.export(out)
    back = {".csv": pd.read_csv, ".parquet": pd.read_parquet,
            ".jsonl": lambda p: pd.read_json(p, lines=True)}[suffix](out)
    assert len(back) == len(ws.load().table().df)
    assert ws.log()[-1]["event"] == "export"


def test_folder_export_writes_every_table_and_document(tmp_path: Path, penguins: pd.DataFrame) -> None:
    data = tmp_path / "ds"
    data.mkdir()
    penguins.iloc[:100].to_csv(data / "train.csv", index=False)
    penguins.iloc[100:].to_csv(data / "test.csv", index=False)
    (data / "README.md").write_text("# ds\n")
    ws = Workspace.open(data)
    assert ws.root == tmp_path / ".copilot" / "ds"  # beside the folder, not inside it
    written = ws.export(tmp_path / "out", "parquet")
    assert sorted(p.name for p in written) == ["test.parquet", "train.parquet"]
    assert (tmp_path / "out" / "README.md").read_text() == "# ds\n"


def test_a_crash_mid_write_leaves_the_last_good_version(penguins_with_dups: Path, monkeypatch) -> None:
    ws = Workspace.open(penguins_with_dups)
    good = ws.load().table().df

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("copilot.workspace.atomic_write_text", crash)
    with pytest.raises(OSError):
        _apply(ws, DropRows(table="penguins.csv", row_ids=[0]))
    assert ws.head_id == "v0000"
    pd.testing.assert_frame_equal(ws.load().table().df, good)
    assert [e["event"] for e in ws.log()] == ["create"]
    assert not list(ws.root.rglob("*.tmp"))


def test_changed_input_is_refused(penguins_with_dups: Path) -> None:
    Workspace.open(penguins_with_dups)
    with open(penguins_with_dups, "a") as fh:
        fh.write("Adelie,Dream,1,1,1,1,male,2009\n")
    with pytest.raises(UsageError, match="input files changed"):
        Workspace.open(penguins_with_dups)


def test_audit_log_is_json_lines(penguins_with_dups: Path) -> None:
    ws = Workspace.open(penguins_with_dups)
    _apply(ws, DropRows(table="penguins.csv", row_ids=[3]))
    lines = ws.audit_path.read_text().splitlines()
    assert all(json.loads(line)["time"] for line in lines)


def test_export_never_overwrites_an_input(cli, penguins_with_dups: Path, tree_hash, tmp_path: Path) -> None:
    before = tree_hash(penguins_with_dups)
    assert cli("run", penguins_with_dups, "remove duplicates", "--approve", "all").code == 0
    ws = penguins_with_dups.parent / ".copilot" / "penguins.csv"
    for dest in (penguins_with_dups, penguins_with_dups.parent, ws / "out.csv"):
        result = cli("export", "-w", ws, dest)
        assert result.code == 2 and "overlaps" in result.err and len(result.err.strip().splitlines()) == 1
    assert tree_hash(penguins_with_dups) == before


def test_export_into_or_over_an_input_folder_is_refused(tmp_path: Path, penguins: pd.DataFrame, tree_hash) -> None:
    data = tmp_path / "ds"
    data.mkdir()
    penguins.iloc[:50].to_csv(data / "train.csv", index=False)
    penguins.iloc[50:].to_csv(data / "test.csv", index=False)
    before = tree_hash(data)
    ws = Workspace.open(data)
    for dest in (data, data / "curated", data / "train.csv", tmp_path):
        with pytest.raises(UsageError, match="overlaps an input"):
            ws.export(dest)
    assert tree_hash(data) == before
    assert [e["event"] for e in ws.log()] == ["create"]


def test_export_replaces_a_file_only_with_force(tmp_path: Path, penguins_with_dups: Path) -> None:
    ws = Workspace.open(penguins_with_dups)
    out = tmp_path / "out" / "curated.csv"
    out.parent.mkdir()
    out.write_text("mine\n")
    with pytest.raises(UsageError, match=r"already exists.*--force"):
        ws.export(out)
    assert out.read_text() == "mine\n"
    ws.export(out, force=True)
    assert len(pd.read_csv(out)) == len(ws.load().table().df)


def test_exported_files_get_normal_permissions(tmp_path: Path, penguins_with_dups: Path) -> None:
    import os

    old = os.umask(0o022)
    os.umask(old)
    ws = Workspace.open(penguins_with_dups)
    out = tmp_path / "curated.parquet"
    ws.export(out)
    assert out.stat().st_mode & 0o777 == 0o666 & ~old
