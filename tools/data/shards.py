"""A corpus of shards (Parquet, JSONL, JSONL.gz) read out of core, with versions as deletion vectors.

A folder of table files too big to load (`SHARDED_BYTES`, default 1 GiB) is opened as one `Corpus` per
folder and format: the shards are counted, never loaded. Row ids are global and stable: a shard's rows
follow the rows of the shards before it (sorted by path), so row 0 of the second shard is the first
shard's row count. A version of a corpus is its base shards plus the sorted ids of the rows dropped and a
small patch of set values: approving the drop of a million rows stores 8 MB, not the corpus. Reading goes
batch by batch (`batches`), so memory is bounded by the batch size, not by the corpus; tools that must see
every row stream, and everything else reads a random sample of rows (`sample`).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.json as pajson
import pyarrow.parquet as pq

from tools.errors import DataError

SHARD_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl",
                 ".jsonl.gz": "jsonl.gz", ".ndjson.gz": "jsonl.gz", ".json.gz": "jsonl.gz"}
BATCH_ROWS = int(os.environ.get("COPILOT_BATCH_ROWS", 50_000))  # rows a stage holds at once: its memory bound
SAMPLE_BLOCKS = 32  # blocks a sample reads rows from
_FINGERPRINT_SPAN = 1 << 20  # bytes hashed at each end of a big file


def sharded_bytes() -> int:
    """Total size of a folder's table files from which they are read as a corpus (COPILOT_SHARDED_BYTES)."""
    return int(os.environ.get("COPILOT_SHARDED_BYTES", 1 << 30))


def shard_format(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in sorted(SHARD_FORMATS, key=len, reverse=True):
        if name.endswith(suffix):
            return SHARD_FORMATS[suffix]
    return None


def fingerprint(path: Path) -> str:
    """A file's size and the SHA-256 of its first and last MiB: enough to tell a changed shard, without reading
    a 50 GB corpus through (a whole-file hash of every shard would cost minutes at every reopen)."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with open(path, "rb") as fh:
        digest.update(fh.read(_FINGERPRINT_SPAN))
        if size > _FINGERPRINT_SPAN:
            fh.seek(max(size - _FINGERPRINT_SPAN, _FINGERPRINT_SPAN))
            digest.update(fh.read())
    return f"size{size}:{digest.hexdigest()}"


@dataclass(frozen=True)
class Shard:
    path: str  # relative to the corpus root
    format: str
    rows: int
    offset: int  # global row id of its first row


def _jsonl_stream(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _count_rows(path: Path, fmt: str) -> int:
    if fmt == "parquet":
        return pq.ParquetFile(path).metadata.num_rows
    rows = 0
    last = b"\n"
    with _jsonl_stream(path) as fh:
        while block := fh.read(1 << 24):
            rows += block.count(b"\n")
            last = block[-1:]
    return rows + (last != b"\n")


def _read_jsonl(path: Path, columns: Sequence[str] | None) -> pa.Table:
    with _jsonl_stream(path) as fh:
        table = pajson.read_json(io.BytesIO(fh.read()))
    return table.select([c for c in columns if c in table.column_names]) if columns else table


def _columns_of(path: Path, fmt: str) -> list[str]:
    if fmt == "parquet":
        return list(pq.ParquetFile(path).schema_arrow.names)
    with _jsonl_stream(path) as fh:
        first = fh.readline()
    try:
        record = json.loads(first)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"the first line is not a JSON record ({exc})", file=path) from None
    if not isinstance(record, dict):
        raise DataError("the first line is not a JSON object", file=path)
    return list(record)


@dataclass
class Corpus:
    """Shards of one table, the rows dropped from them, and the values set in them."""

    root: Path
    shards: list[Shard]
    columns: list[str]
    deleted: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # sorted global row ids
    patch: dict[str, dict[int, object]] = field(default_factory=dict)  # column → row id → value

    @property
    def total_rows(self) -> int:
        return sum(s.rows for s in self.shards)

    @property
    def rows(self) -> int:
        """Rows of this version (dropped rows excluded)."""
        return self.total_rows - len(self.deleted)

    @property
    def bytes(self) -> int:
        return sum((self.root / s.path).stat().st_size for s in self.shards)

    def describe(self) -> str:
        formats = sorted({s.format for s in self.shards})
        return f"{len(self.shards)} {'/'.join(formats)} shards, {self.rows:,} rows, {self.bytes / 2**30:.1f} GiB"

    # ---- versions ----------------------------------------------------------------------------------------
    def without(self, row_ids: Sequence[int]) -> Corpus:
        """This corpus with `row_ids` dropped too."""
        dropped = np.union1d(self.deleted, np.asarray(row_ids, np.int64))
        return replace(self, deleted=dropped[(dropped >= 0) & (dropped < self.total_rows)])

    def with_values(self, column: str, updates: dict[int, object]) -> Corpus:
        if column not in self.columns:
            raise DataError(f"no column '{column}'", file=self.root)
        patch = {c: dict(v) for c, v in self.patch.items()}
        patch.setdefault(column, {}).update(updates)
        return replace(self, patch=patch)

    # ---- reading -----------------------------------------------------------------------------------------
    def shard_batches(self, index: int, columns: Sequence[str] | None = None,
                      batch_rows: int = BATCH_ROWS) -> Iterator[tuple[np.ndarray, pa.Table]]:
        """(global row ids, rows) of one shard's live rows, `batch_rows` at a time, patches applied."""
        shard = self.shards[index]
        path = self.root / shard.path
        wanted = list(columns) if columns else self.columns
        lo, hi = np.searchsorted(self.deleted, [shard.offset, shard.offset + shard.rows])
        dropped = self.deleted[lo:hi]
        if shard.format == "parquet":
            parts = (pa.Table.from_batches([b]) for b in
                     pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=wanted))
        else:  # JSON lines have no row groups: the shard is read whole (shards are sized for that), then cut
            whole = _read_jsonl(path, wanted)
            parts = (whole.slice(lo_row, batch_rows) for lo_row in range(0, whole.num_rows, batch_rows))
        start = shard.offset
        for part in parts:
            ids = np.arange(start, start + part.num_rows, dtype=np.int64)
            start += part.num_rows
            if len(dropped):
                keep = ~np.isin(ids, dropped)
                ids, part = ids[keep], part.filter(pa.array(keep))
            yield ids, self._patched(ids, part)

    def shard_texts(self, index: int, column: str) -> Iterator[tuple[np.ndarray, list[str]]]:
        """(global row ids, texts) of one shard's live rows, batch by batch; a missing or non-text cell is ""."""
        for ids, batch in self.shard_batches(index, [column]):
            yield ids, [t if isinstance(t, str) else "" for t in batch.column(column).to_pylist()]

    def batches(self, columns: Sequence[str] | None = None,
                batch_rows: int = BATCH_ROWS) -> Iterator[tuple[np.ndarray, pa.Table]]:
        for index in range(len(self.shards)):
            yield from self.shard_batches(index, columns, batch_rows)

    def _patched(self, ids: np.ndarray, part: pa.Table) -> pa.Table:
        for column, values in self.patch.items():
            if column not in part.column_names or not values:
                continue
            hit = [i for i, r in enumerate(ids.tolist()) if r in values]
            if not hit:
                continue
            cells = part.column(column).to_pylist()
            for i in hit:
                cells[i] = values[int(ids[i])]
            part = part.set_column(part.column_names.index(column), column, pa.array(cells))
        return part

    @cached_property
    def _groups(self) -> list[tuple[int, int, int, int]]:
        """(shard, row group, first row, rows) of each block read at once: a Parquet row group, or a whole JSON
        lines shard (row group 0). Read from the footers once per corpus."""
        groups = []
        for index, shard in enumerate(self.shards):
            if shard.format == "parquet":
                meta = pq.ParquetFile(self.root / shard.path).metadata
                first = 0
                for g in range(meta.num_row_groups):
                    rows = meta.row_group(g).num_rows
                    groups.append((index, g, first, rows))
                    first += rows
            elif shard.rows:
                groups.append((index, 0, 0, shard.rows))
        return groups

    def _read_block(self, shard_index: int, group: int, first: int, rows: int,
                    columns: Sequence[str] | None) -> pa.Table:
        shard = self.shards[shard_index]
        path = self.root / shard.path
        wanted = list(columns) if columns else self.columns
        if shard.format != "parquet":
            return _read_jsonl(path, wanted).slice(first, rows)
        return pq.ParquetFile(path).read_row_group(group, columns=wanted)

    def _frame(self, block_ids: np.ndarray, block: pa.Table, wanted: np.ndarray) -> pd.DataFrame:
        hit = np.isin(block_ids, wanted) & ~np.isin(block_ids, self.deleted)
        frame = self._patched(block_ids[hit], block.filter(pa.array(hit))).to_pandas()
        frame.index = pd.Index(block_ids[hit], name="row_id")
        return frame

    def take(self, row_ids: Sequence[int], columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The given live rows as a DataFrame indexed by row id; reads only the blocks that hold them."""
        wanted = np.unique(np.asarray(row_ids, np.int64))
        frames = []
        for shard_index, group, first, rows in self._groups:
            start = self.shards[shard_index].offset + first
            lo, hi = np.searchsorted(wanted, [start, start + rows])
            if lo < hi:
                block = self._read_block(shard_index, group, first, rows, columns)
                frames.append(self._frame(np.arange(start, start + rows, dtype=np.int64), block, wanted[lo:hi]))
        if not frames:
            return pd.DataFrame(columns=list(columns or self.columns), index=pd.Index([], name="row_id"))
        return pd.concat(frames)

    def sample(self, rows: int, seed: int = 0) -> pd.DataFrame:
        """A random sample of live rows, sorted by row id, for the profile and the checks that need no more.

        A cluster sample: rows drawn uniformly from up to `SAMPLE_BLOCKS` random blocks (row groups, or JSON
        lines shards), picked in proportion to their rows, so a 50 GB corpus is sampled by reading a few
        blocks rather than all of them."""
        rng = np.random.default_rng(seed)
        groups = self._groups
        sizes = np.array([g[3] for g in groups], float)
        if not len(groups) or sizes.sum() == 0:
            return self.take([])
        count = min(SAMPLE_BLOCKS, len(groups))
        chosen = sorted(rng.choice(len(groups), size=count, replace=False, p=sizes / sizes.sum()).tolist())
        starts = [self.shards[groups[g][0]].offset + groups[g][2] for g in chosen]
        pool = np.concatenate([np.arange(start, start + groups[g][3], dtype=np.int64)
                               for g, start in zip(chosen, starts, strict=True)])
        dead = np.isin(pool, self.deleted)
        picks = np.sort(rng.choice(pool[~dead], size=min(rows, int((~dead).sum())), replace=False))
        frames = []  # each block is read whole (a row group is Parquet's unit) but only its picks are kept
        for g, start in zip(chosen, starts, strict=True):
            shard_index, group, first, size = groups[g]
            lo, hi = np.searchsorted(picks, [start, start + size])
            if lo < hi:
                block = self._read_block(shard_index, group, first, size, None)
                frames.append(self._frame(np.arange(start, start + size, dtype=np.int64), block, picks[lo:hi]))
        return pd.concat(frames) if frames else self.take([])


def open_corpus(root: Path, files: Sequence[Path]) -> Corpus:
    """Count the rows of each shard (Parquet footers; JSON lines counted by newlines) and check one schema."""
    shards = []
    offset = 0
    columns: list[str] | None = None
    for path in sorted(files):
        fmt = shard_format(path)
        if fmt is None:
            raise DataError("not a Parquet or JSON lines shard", file=path)
        rows = _count_rows(path, fmt)
        names = _columns_of(path, fmt) if rows else columns or []
        if columns is None:
            columns = names
        elif rows and set(names) != set(columns):
            raise DataError(f"its columns ({', '.join(names[:8])}) differ from the first shard's "
                            f"({', '.join(columns[:8])})", file=path, fix="give shards of one table in one folder")
        shards.append(Shard(path.relative_to(root).as_posix(), fmt, rows, offset))
        offset += rows
    return Corpus(root, shards, columns or [])


def corpus_name(files: Sequence[Path], root: Path) -> str:
    """A corpus table's name: its folder and the shards' suffix as a glob (`data/*.parquet`)."""
    folder = files[0].parent.relative_to(root).as_posix()
    suffix = "".join(files[0].suffixes[-2:]) if files[0].name.lower().endswith(".gz") else files[0].suffix
    return f"{folder}/*{suffix.lower()}" if folder != "." else f"*{suffix.lower()}"


def corpus_groups(root: Path, files: Sequence[Path]) -> dict[str, list[Path]]:
    """Table files of a folder grouped as corpora (by folder and format), when together they pass the size at
    which tables are no longer loaded whole; empty otherwise."""
    shards = [f for f in files if shard_format(f)]
    if not shards or sum(f.stat().st_size for f in shards) < sharded_bytes():
        return {}
    groups: dict[tuple[Path, str], list[Path]] = {}
    for f in shards:
        groups.setdefault((f.parent, str(shard_format(f))), []).append(f)
    return {corpus_name(group, root): sorted(group) for group in groups.values()}


__all__ = ["BATCH_ROWS", "Corpus", "Shard", "corpus_groups", "fingerprint", "open_corpus", "sharded_bytes"]
