"""Corpora of shards: opened without loading, global row ids, deletion-vector versions, export and undo."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import copilot.workspace as workspace_module
from copilot.gate import Decision
from copilot.workspace import Workspace
from tools.contracts import CellUpdate, DropRows, Preview, ProposedChange, SetValues
from tools.data.dataset import load_dataset
from tools.errors import CopilotError

SHARD_ROWS = (400, 250, 350)


def _frame(shard: int, rows: int) -> pd.DataFrame:
    return pd.DataFrame({"doc": [f"s{shard}-{i}" for i in range(rows)],
                         "text": [f"text {shard} {i} " + "word " * (i % 7) for i in range(rows)]})


@pytest.fixture
def corpus_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three shards of one table in three formats, plus a README; every folder counts as a corpus."""
    monkeypatch.setenv("COPILOT_SHARDED_BYTES", "1")
    root = tmp_path / "corpus"
    (root / "data").mkdir(parents=True)
    _frame(0, SHARD_ROWS[0]).to_parquet(root / "data" / "part-0.parquet", row_group_size=64)
    _frame(1, SHARD_ROWS[1]).to_json(root / "data" / "part-1.jsonl", orient="records", lines=True)
    with gzip.open(root / "data" / "part-2.jsonl.gz", "wt") as fh:
        fh.write(_frame(2, SHARD_ROWS[2]).to_json(orient="records", lines=True))
    (root / "README.md").write_text("# A corpus\n")
    return root


def _whole() -> pd.DataFrame:
    return pd.concat([_frame(s, n) for s, n in enumerate(SHARD_ROWS)], ignore_index=True)


def _approve(change: ProposedChange) -> Decision:
    return Decision(change_id=change.id, action="approve", actor="t")


def _change(op) -> ProposedChange:
    return ProposedChange(tool="test", operation=op, rationale="test", preview=Preview(rows_affected=1))


def test_a_folder_of_shards_opens_as_one_corpus_with_global_row_ids(corpus_dir: Path) -> None:
    dataset = load_dataset(corpus_dir)
    by_format = {s.format for t in dataset.tables.values() if t.corpus for s in t.corpus.shards}
    assert by_format == {"parquet", "jsonl", "jsonl.gz"}  # grouped by folder and format
    whole = _whole()
    for table in dataset.tables.values():
        corpus = table.corpus
        assert corpus is not None and table.sampled_from == corpus.rows
        rows = pd.concat([batch.to_pandas().set_index(pd.Index(ids)) for ids, batch in corpus.batches(batch_rows=50)])
        first = corpus.shards[0].offset
        assert rows.index.tolist() == list(range(first, first + corpus.rows))
        assert rows["doc"].str.split("-").str[0].nunique() == 1
        assert set(table.df.index) <= set(rows.index)  # the sample holds real rows under their ids
        pd.testing.assert_frame_equal(table.df, rows.loc[table.df.index][table.df.columns], check_names=False)
    parquet = next(t for t in dataset.tables.values() if t.corpus.shards[0].format == "parquet")
    assert parquet.corpus.take([5, 399])["doc"].tolist() == whole.loc[[5, 399], "doc"].tolist()


def test_shards_whose_columns_differ_are_reported_not_read(corpus_dir: Path) -> None:
    pd.DataFrame({"other": [1, 2]}).to_parquet(corpus_dir / "data" / "part-9.parquet")
    dataset = load_dataset(corpus_dir)
    assert any("differ from the first shard" in p.message for p in dataset.problems)


def test_a_drop_is_stored_as_a_deletion_vector_and_export_and_undo_round_trip(corpus_dir: Path,
                                                                              tmp_path: Path) -> None:
    for extra in ("part-1.jsonl", "part-2.jsonl.gz"):  # one table of three Parquet shards
        (corpus_dir / "data" / extra).unlink()
    for shard in (1, 2):
        _frame(shard, SHARD_ROWS[shard]).to_parquet(corpus_dir / "data" / f"part-{shard}.parquet", row_group_size=64)
    ws = Workspace.open(corpus_dir, tmp_path / "ws")
    (name,) = ws.load().tables
    objects_before = {p.name for p in ws.objects.iterdir()}
    dropped = list(range(0, sum(SHARD_ROWS), 3))
    version = ws.apply(change := _change(drop := DropRows(table=name, row_ids=dropped)), drop, _approve(change), "s")
    entry = version.tables[name]
    assert entry.rows == sum(SHARD_ROWS) - len(dropped) and entry.corpus.deleted
    new_objects = {p.name for p in ws.objects.iterdir()} - objects_before
    vector = ws.objects / f"{entry.corpus.deleted}.npy"
    assert f"{entry.corpus.deleted}.npy" in new_objects and np.load(vector).tolist() == dropped
    assert vector.stat().st_size < 8 * len(dropped) + 200  # ids, not the corpus
    fix = SetValues(table=name, column="text", updates=[CellUpdate(row_id=1, value="fixed")])
    ws.apply(change := _change(fix), fix, _approve(change), "s")
    written = ws.export(tmp_path / "out")
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in written) == [
        f"data/part-{s}.parquet" for s in range(3)]
    exported = pd.concat([pd.read_parquet(p) for p in sorted(written)], ignore_index=True)
    expected = _whole().drop(index=dropped).reset_index(drop=True)
    expected.loc[expected.index[0], "text"] = "fixed"  # row 1 is the first row left
    pd.testing.assert_frame_equal(exported, expected)
    ws.undo()
    ws.undo()
    back = ws.export(tmp_path / "back")
    pd.testing.assert_frame_equal(pd.concat([pd.read_parquet(p) for p in sorted(back)], ignore_index=True), _whole())
    assert ws.inconsistencies() == []


def test_a_crash_while_writing_a_corpus_version_leaves_the_last_good_one(corpus_dir: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ws = Workspace.open(corpus_dir, tmp_path / "ws")
    name = next(iter(ws.load().tables))
    drop = DropRows(table=name, row_ids=[0, 1, 2])

    def dies(path, text):  # the manifest of the new version is never written
        if "versions" in str(path):
            raise KeyboardInterrupt("killed")
        return real(path, text)

    real = workspace_module.atomic_write_text
    monkeypatch.setattr(workspace_module, "atomic_write_text", dies)
    with pytest.raises(KeyboardInterrupt):
        ws.apply(change := _change(drop), drop, _approve(change), "s")
    monkeypatch.setattr(workspace_module, "atomic_write_text", real)
    again = Workspace.existing(ws.root)
    with again.locked():  # recovery removes the half-made version's objects
        pass
    assert again.head_id == "v0000" and again.inconsistencies() == []
    assert again.load().tables[name].corpus.rows == again.version().tables[name].rows
    assert not list(again.objects.glob("*.npy"))


def test_a_broken_shard_is_one_line(corpus_dir: Path) -> None:
    (corpus_dir / "data" / "part-1.jsonl").write_text("not json\n")
    dataset = load_dataset(corpus_dir)
    problem = next(p for p in dataset.problems if "jsonl" in p.file and "gz" not in p.file)
    assert "not a JSON record" in problem.message and "\n" not in problem.message


def test_a_corpus_row_counts_json_lines_without_a_final_newline(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPILOT_SHARDED_BYTES", "1")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.jsonl").write_text("\n".join(json.dumps({"text": f"t{i}"}) for i in range(5)))
    table = load_dataset(tmp_path / "d").table()
    assert table.corpus.rows == 5 and sorted(table.df.index) == [0, 1, 2, 3, 4]
    with pytest.raises(CopilotError):
        table.corpus.with_values("nope", {0: 1})


def test_a_first_look_with_sample_reads_the_sample_only(corpus_dir: Path) -> None:
    looked = load_dataset(corpus_dir).sample(100)
    for table in looked.tables.values():
        assert table.corpus is None and len(table.df) == 100 and table.sampled_from in SHARD_ROWS


def test_a_changed_shard_refuses_to_reopen_the_workspace(corpus_dir: Path, tmp_path: Path) -> None:
    Workspace.open(corpus_dir, tmp_path / "ws")
    _frame(0, SHARD_ROWS[0] - 1).to_parquet(corpus_dir / "data" / "part-0.parquet", row_group_size=64)
    with pytest.raises(CopilotError, match="input files changed"):
        Workspace.open(corpus_dir, tmp_path / "ws")
