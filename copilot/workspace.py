"""The workspace: immutable versions of the data, an append-only audit log, undo and export.

Layout of a workspace folder:
    objects/<sha>.parquet | .txt   content-addressed tables and documents, shared between versions
    versions/vNNNN.json            one manifest per version (never rewritten)
    HEAD                           the current version id
    audit.jsonl                    every decision, application, undo and export
    checkpoints.sqlite             LangGraph checkpoints of sessions (see copilot.graph)
    cache/                         derived data tools may rebuild, e.g. chromadb embedding indexes
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, Field

from copilot.gate import Decision
from copilot.lock import WorkspaceLock
from tools.atomic import append_line, atomic_write, atomic_write_bytes, atomic_write_text
from tools.contracts import DropRows, ProposedChange, SetValues, WriteFile
from tools.data.dataset import Dataset, LoadProblem, inside, load_dataset
from tools.data.shards import Corpus, Shard, fingerprint, sharded_bytes
from tools.data.tables import ROW_ID, HeaderRepair, Table
from tools.errors import UsageError
from tools.operations import apply_to_table

EXPORT_FORMATS = ("csv", "parquet", "jsonl")
_WHOLE_HASH_BYTES = 256 << 20  # bigger input files are fingerprinted (size, first and last MiB), not read through


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    try:
        df.to_parquet(buf)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        # Cells of mixed Python types (from JSON) have no Arrow type: store them as JSON text.
        fixed = df.copy()
        for col in [c for c in fixed.columns if fixed[c].dtype == object]:
            fixed[col] = fixed[col].map(lambda v: v if v is None or isinstance(v, str)
                                        else json.dumps(v, default=str))
        buf = io.BytesIO()
        fixed.to_parquet(buf)
    return buf.getvalue()


class CorpusEntry(BaseModel):
    """A table kept as its input shards: the version is the rows dropped from them and the values set."""

    root: str
    shards: list[dict[str, Any]]  # Shard fields: path, format, rows, offset
    columns: list[str]
    deleted: str | None = None  # object (.npy) of the dropped row ids, sorted
    patch: str | None = None  # object (.json) of set values: column → row id → value

    def objects(self) -> list[str]:
        return ([f"{self.deleted}.npy"] if self.deleted else []) + ([f"{self.patch}.json"] if self.patch else [])


class TableEntry(BaseModel):
    object: str  # the table (Parquet); for a corpus, the sample of it the table checks read
    rows: int
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    has_header: bool = True
    notes: list[str] = Field(default_factory=list)  # how the loader had to read it (nested values, a header)
    header: dict[str, Any] | None = None  # a repaired header (HeaderRepair), reported by file_checks
    corpus: CorpusEntry | None = None  # set when the table is a corpus of shards read out of core


class Version(BaseModel):
    id: str
    parent: str | None
    created: str
    tables: dict[str, TableEntry]
    documents: dict[str, str] = Field(default_factory=dict)
    problems: list[dict[str, str]] = Field(default_factory=list)
    sources: dict[str, str] = Field(default_factory=dict, description="input file -> sha256, for v0000")
    change_id: str | None = None

    def objects(self) -> list[str]:
        """The object files this version needs."""
        names = [f"{t.object}.parquet" for t in self.tables.values()]
        names += [o for t in self.tables.values() if t.corpus for o in t.corpus.objects()]
        return names + [f"{d}.txt" for d in self.documents.values()]

    @property
    def content_hash(self) -> str:
        parts = sorted(f"{k}:{v.object}:{v.corpus.deleted if v.corpus else ''}:{v.corpus.patch if v.corpus else ''}"
                       for k, v in self.tables.items())
        parts += sorted(f"{k}:{v}" for k, v in self.documents.items())
        return _sha256("\n".join(parts).encode())[:16]


def default_workspace_dir(data: Path) -> Path:
    """`<parent>/.copilot/<name>`: beside the data, never inside an input folder."""
    data = data.resolve()
    return data.parent / ".copilot" / data.name


def hash_inputs(data: Path) -> dict[str, str]:
    files = [data] if data.is_file() else sorted(
        p for p in data.rglob("*") if p.is_file() and ".copilot" not in p.parts and inside(p, data))
    # A corpus (inputs past the size read out of core) is fingerprinted file by file, whatever each shard's
    # size: hashing 50 GB of small shards through at every reopen would cost minutes.
    corpus = sum(p.stat().st_size for p in files) >= sharded_bytes()
    return {str(p.relative_to(data.parent if data.is_file() else data)):
            fingerprint(p) if corpus or p.stat().st_size > _WHOLE_HASH_BYTES else _sha256(p.read_bytes())
            for p in files}


class Workspace:
    """Versions and audit log for one dataset. Only `apply`, `undo` and `export` write anything.

    Every write happens under the workspace lock. A version is committed in three atomic steps: its
    manifest, then its audit entry (the commit point), then HEAD. Whoever takes the lock next finishes
    an interrupted commit (see `_recover`), so a crash anywhere applies a change at most once.
    """

    def __init__(self, root: Path, wait: float = 0.0) -> None:
        self.root = root
        self.objects = root / "objects"
        self.versions_dir = root / "versions"
        self.audit_path = root / "audit.jsonl"
        self.checkpoint_path = root / "checkpoints.sqlite"
        self.cache_dir = root / "cache"  # derived data tools may rebuild (embedding indexes)
        self._lock = WorkspaceLock(root, wait)

    # ---- opening -------------------------------------------------------------------------------------
    @classmethod
    def open(cls, data: str | Path, root: str | Path | None = None, encoding: str | None = None,
             wait: float = 0.0, check: Callable[[Dataset], object] | None = None) -> Workspace:
        """Open the workspace of `data`, creating version v0000 from the input files the first time.

        `check` (a column flag, say) sees the dataset first: if it raises, no workspace is made."""
        data = Path(data)
        ws = cls(Path(root) if root else default_workspace_dir(data), wait)
        if data.is_dir() and ws.root.resolve().is_relative_to(data.resolve()):
            raise UsageError("the workspace would be inside the input folder", file=ws.root,
                             fix="pass a --workspace outside the data folder")
        # Bad input is found before any folder is made: nothing half-made is left behind.
        fresh = None if ws.exists() or ws.audit_path.exists() else load_dataset(data, encoding)
        if fresh is not None and check is not None:
            check(fresh)
        with ws.locked():
            if ws.exists():
                ws._check_sources(data)
                if check is not None:
                    check(ws.load())
                return ws
            dataset = fresh or load_dataset(data, encoding)
            ws._commit(dataset, None, None, {"event": "create", "data": str(data.resolve()), "actor": "copilot"},
                       sources=hash_inputs(data))
        return ws

    @classmethod
    def from_frame(cls, df: pd.DataFrame, name: str, root: str | Path) -> Workspace:
        """A workspace whose original version is an in-memory DataFrame (the notebook way in)."""
        ws = cls(Path(root))
        frame = df.reset_index(drop=True)
        frame.index.name = ROW_ID
        frame.columns = [str(c) for c in frame.columns]
        with ws.locked():
            if ws.exists():
                raise UsageError("a workspace already exists here", file=root, fix="pass another workspace folder")
            dataset = Dataset(root=ws.root / name, tables={name: Table(name, frame, "dataframe")})
            ws._commit(dataset, None, None, {"event": "create", "data": f"DataFrame {name}", "actor": "copilot"})
        return ws

    @classmethod
    def existing(cls, root: str | Path, wait: float = 0.0) -> Workspace:
        ws = cls(Path(root), wait)
        if not ws.exists() and ws.audit_path.exists():
            with ws.locked():  # a creation that crashed after its audit entry: finish it
                pass
        if not ws.exists():
            raise UsageError("no workspace here", file=root, fix="run `copilot run DATA GOAL` first, "
                             "or pass --workspace")
        return ws

    def exists(self) -> bool:
        return (self.root / "HEAD").exists()

    def _check_sources(self, data: Path) -> None:
        if not data.exists():
            return  # the workspace holds the data; the input may have moved
        first = self.version("v0000")
        if first.sources and hash_inputs(data) != first.sources:
            raise UsageError("input files changed since this workspace was made", file=data,
                             fix=f"pass --workspace NEW_DIR for a fresh start, or delete {self.root}")

    # ---- the lock and crash recovery -----------------------------------------------------------------
    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the workspace lock (re-entrant); taking it first finishes any interrupted commit."""
        with self._lock.hold(on_acquire=self._recover):
            yield

    def _recover(self) -> None:
        """Make the files agree with the audit log, which records exactly the commits that finished.

        A manifest no audit entry names is a commit that never happened: it goes. HEAD that is not the
        last entry's version is moved there. Half-written temp files, a torn last log line and objects no
        manifest uses are removed. Runs only under the lock, so no commit is in progress.
        """
        self._trim_torn_line()
        events = self.log()
        committed = {e["to_version"] for e in events if e["event"] in ("create", "apply")}
        # Commits are serialised, so only versions newer than the last committed one can be unfinished;
        # anything else without an entry (a log someone deleted) is kept: recovery never loses data.
        newest = max((int(v[1:]) for v in committed), default=None)
        for path in self.versions_dir.glob("v*.json"):
            unfinished = int(path.stem[1:]) > newest if newest is not None else not self.exists()
            if path.stem not in committed and unfinished:
                path.unlink()
        moves = [e for e in events if e["event"] in ("create", "apply", "undo")]
        if moves and (not self.exists() or self.head_id != moves[-1]["to_version"]):
            self._set_head(moves[-1]["to_version"])
        used = {name for v in self.versions() for name in v.objects()}
        for folder in (self.root, self.objects, self.versions_dir):
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)
        for obj in self.objects.glob("*"):
            if obj.name not in used:
                obj.unlink()

    def _trim_torn_line(self) -> None:
        if not self.audit_path.exists():
            return
        data = self.audit_path.read_bytes()
        if data and not data.endswith(b"\n"):
            with open(self.audit_path, "r+b") as fh:
                fh.truncate(data.rfind(b"\n") + 1)
                os.fsync(fh.fileno())

    # ---- reading ------------------------------------------------------------------------------------
    @property
    def head_id(self) -> str:
        return (self.root / "HEAD").read_text().strip()

    def version(self, version_id: str | None = None) -> Version:
        vid = version_id or self.head_id
        path = self.versions_dir / f"{vid}.json"
        if not path.exists():
            raise UsageError(f"no version {vid}", file=self.root)
        return Version.model_validate_json(path.read_text())

    def versions(self) -> list[Version]:
        return [Version.model_validate_json(p.read_text()) for p in sorted(self.versions_dir.glob("v*.json"))]

    def load(self, version_id: str | None = None) -> Dataset:
        """The dataset as of a version (HEAD by default)."""
        version = self.version(version_id)
        tables = {}
        for name, entry in version.tables.items():
            df = pd.read_parquet(self.objects / f"{entry.object}.parquet")
            df.index.name = ROW_ID
            corpus = self._corpus(entry.corpus) if entry.corpus else None
            tables[name] = Table(name, df, entry.format, entry.encoding, entry.delimiter, entry.has_header,
                                 notes=list(entry.notes), header=HeaderRepair(**entry.header) if entry.header else None,
                                 sampled_from=corpus.rows if corpus else None, corpus=corpus)
        documents = {name: (self.objects / f"{sha}.txt").read_text(encoding="utf-8")
                     for name, sha in version.documents.items()}
        problems = [LoadProblem(**p) for p in version.problems]
        return Dataset(root=self.root / "data", tables=tables, documents=documents, problems=problems)

    def _corpus(self, entry: CorpusEntry) -> Corpus:
        deleted = np.load(self.objects / f"{entry.deleted}.npy") if entry.deleted else np.empty(0, np.int64)
        patch = {} if not entry.patch else {
            column: {int(row): value for row, value in values.items()}
            for column, values in json.loads((self.objects / f"{entry.patch}.json").read_text()).items()}
        return Corpus(Path(entry.root), [Shard(**s) for s in entry.shards], entry.columns, deleted, patch)

    def _corpus_entry(self, corpus: Corpus) -> CorpusEntry:
        deleted = patch = None
        if len(corpus.deleted):
            buf = io.BytesIO()
            np.save(buf, corpus.deleted.astype(np.int64))
            deleted = self._put_object(buf.getvalue(), ".npy")
        if corpus.patch:
            patch = self._put_object(json.dumps(corpus.patch, sort_keys=True, default=str).encode(), ".json")
        return CorpusEntry(root=str(corpus.root.resolve()), shards=[vars(s) for s in corpus.shards],
                           columns=corpus.columns, deleted=deleted, patch=patch)

    def log(self) -> list[dict[str, Any]]:
        if not self.audit_path.exists():
            return []
        return [json.loads(line) for line in self.audit_path.read_text(encoding="utf-8").splitlines() if line]

    def inconsistencies(self) -> list[str]:
        """What breaks the workspace's invariants (empty when sound); a check for tests and crash experiments."""
        try:
            events = self.log()
        except json.JSONDecodeError as exc:
            return [f"audit log is not JSON Lines: {exc}"]
        found = []
        committed = [e["to_version"] for e in events if e["event"] in ("create", "apply")]
        on_disk = {p.stem for p in self.versions_dir.glob("v*.json")}
        found += [f"{v}: version without an audit entry (orphan)" for v in sorted(on_disk - set(committed))]
        found += [f"{v}: audited version missing" for v in sorted(set(committed) - on_disk)]
        creates = [e for e in events if e["event"] == "create"]
        if len(creates) != 1:
            found.append(f"{len(creates)} create events")
        applied = [(e.get("session"), e["change_id"]) for e in events if e["event"] == "apply"]
        found += [f"change {c} applied {applied.count((s, c))} times in session {s}" for s, c in set(applied)
                  if applied.count((s, c)) > 1]
        moves = [e["to_version"] for e in events if e["event"] in ("create", "apply", "undo")]
        head = self.head_id if self.exists() else None
        if head != (moves[-1] if moves else None):
            found.append(f"HEAD is {head}, the audit log says {moves[-1] if moves else None}")
        elif head is not None and head in on_disk:
            version = self.version(head)
            missing = [o for o in version.objects() if not (self.objects / o).exists()]
            found += [f"HEAD {head} lacks object {o}" for o in missing]
        found += [f"temp file left: {t.name}" for t in self.root.rglob(".*.tmp")]
        return found

    # ---- writing -------------------------------------------------------------------------------------
    def _put_object(self, data: bytes, suffix: str) -> str:
        sha = _sha256(data)
        path = self.objects / f"{sha}{suffix}"
        if not path.exists():
            atomic_write_bytes(path, data)
        return sha

    def _next_id(self) -> str:
        existing = sorted(self.versions_dir.glob("v*.json"))
        return f"v{len(existing):04d}"

    def _write_version(self, dataset: Dataset, parent: str | None, change_id: str | None,
                       sources: dict[str, str] | None = None) -> Version:
        tables = {
            name: TableEntry(object=self._put_object(_parquet_bytes(t.df), ".parquet"),
                             rows=t.corpus.rows if t.corpus else len(t.df),
                             format=t.format, encoding=t.encoding, delimiter=t.delimiter,
                             has_header=t.has_header, notes=t.notes, header=vars(t.header) if t.header else None,
                             corpus=self._corpus_entry(t.corpus) if t.corpus else None)
            for name, t in dataset.tables.items()
        }
        documents = {name: self._put_object(text.encode("utf-8"), ".txt")
                     for name, text in dataset.documents.items()}
        version = Version(id=self._next_id(), parent=parent, created=_now(), tables=tables,
                          documents=documents, problems=[vars(p) for p in dataset.problems],
                          sources=sources or {}, change_id=change_id)
        atomic_write_text(self.versions_dir / f"{version.id}.json", version.model_dump_json(indent=2))
        return version

    def _commit(self, dataset: Dataset, parent: Version | None, change_id: str | None, entry: dict[str, Any],
                sources: dict[str, str] | None = None) -> Version:
        """Manifest, then audit entry, then HEAD: the order `_recover` relies on."""
        with self.locked():
            version = self._write_version(dataset, parent.id if parent else None, change_id, sources)
            moved = {"from_version": parent.id, "from_hash": parent.content_hash} if parent else {}
            self._log({**entry, **moved, "to_version": version.id, "to_hash": version.content_hash})
            self._set_head(version.id)
        return version

    def _set_head(self, version_id: str) -> None:
        atomic_write_text(self.root / "HEAD", version_id + "\n")

    def _log(self, entry: dict[str, Any]) -> None:
        with self.locked():
            append_line(self.audit_path, json.dumps({"time": _now(), **entry}, default=str))

    def record_decision(self, change: ProposedChange, decision: Decision, session: str) -> None:
        self._log({"event": "decision", "session": session, "change_id": change.id, "tool": change.tool,
                   "kind": change.kind, "decision": decision.model_dump(), "actor": decision.actor})

    def record_session(self, session: str, goal: str, planner: str, tokens: dict[str, int]) -> None:
        """The end of a session: its goal, who planned it, and the model tokens it used."""
        self._log({"event": "session", "session": session, "goal": goal, "planner": planner, "tokens": tokens,
                   "actor": "copilot"})

    def applied_change_ids(self, session: str) -> set[str]:
        return {e["change_id"] for e in self.log() if e["event"] == "apply" and e.get("session") == session}

    def decided_change_ids(self, session: str) -> set[str]:
        return {e["change_id"] for e in self.log() if e["event"] == "decision" and e.get("session") == session}

    def apply(self, change: ProposedChange, operation: DropRows | SetValues | WriteFile,
              decision: Decision, session: str) -> Version:
        """Apply an approved operation to HEAD, making a new version and an audit entry."""
        with self.locked():
            before = self.version()
            dataset = self.load()
            if isinstance(operation, WriteFile):
                dataset.documents[operation.path] = operation.content
            else:
                table = dataset.table(operation.table)
                if isinstance(operation, SetValues) and operation.column not in table.columns:
                    raise UsageError(f"no column '{operation.column}'", file=table.name)
                table.df = apply_to_table(table.df, operation)
                if table.corpus is not None:  # the sample above, the deletion vector or patch here
                    table.corpus = (table.corpus.without(operation.row_ids) if isinstance(operation, DropRows) else
                                    table.corpus.with_values(operation.column,
                                                             {u.row_id: u.value for u in operation.updates}))
                    table.sampled_from = table.corpus.rows
            return self._commit(dataset, before, change.id, {
                "event": "apply", "session": session, "change_id": change.id, "tool": change.tool,
                "kind": operation.kind, "operation": operation.model_dump(), "rationale": change.rationale,
                "rows_affected": len(operation.affected_rows), "actor": decision.actor,
                "decision": decision.model_dump()})

    def readable_document(self, name: str) -> Path:
        """HEAD's document `name` (an approved card, say) as a file under `current/`, to read without exporting."""
        sha = self.version().documents.get(name)
        if sha is None:
            raise UsageError(f"the current version has no document '{name}'", file=self.root)
        target = self.root / "current" / name
        if not target.resolve().is_relative_to((self.root / "current").resolve()):
            raise UsageError(f"document name '{name}' leads outside the workspace", file=self.root)
        atomic_write_text(target, (self.objects / f"{sha}.txt").read_text(encoding="utf-8"))
        return target

    def undo(self, actor: str = "user") -> Version:
        """Move HEAD back to its parent. Versions stay on disk; the log records the move (then HEAD moves)."""
        with self.locked():
            current = self.version()
            if current.parent is None:
                raise UsageError("nothing to undo: HEAD is the original data", file=self.root)
            parent = self.version(current.parent)
            self._log({"event": "undo", "actor": actor, "from_version": current.id, "to_version": parent.id,
                       "from_hash": current.content_hash, "to_hash": parent.content_hash})
            self._set_head(parent.id)
        return parent

    def input_paths(self) -> list[Path]:
        """The files or folders this workspace was made from (none for an in-memory DataFrame)."""
        return [Path(e["data"]) for e in self.log()
                if e["event"] == "create" and not str(e.get("data", "")).startswith("DataFrame ")]

    def refuse_overlap(self, dest: Path, action: str = "export") -> None:
        """Refuse a destination that is, holds or lies inside an input or the workspace."""
        where = dest.resolve()
        for protected in [*self.input_paths(), self.root]:
            held = protected.resolve()
            if where == held or where.is_relative_to(held) or held.is_relative_to(where):
                what = "the workspace" if protected == self.root else "an input"
                raise UsageError(f"{action} destination overlaps {what} ({protected})", file=dest,
                                 fix=f"{action} somewhere outside the input and the workspace")

    def _export_targets(self, dest: Path, dataset: Dataset, fmt: str, single: bool) -> dict[Path, tuple[str, str]]:
        """target path -> ("table" | "document", name), after refusing anything that could lose data."""
        where = dest.resolve()
        self.refuse_overlap(dest)
        targets: dict[Path, tuple[str, str]] = {}
        for name, table in dataset.tables.items():
            if table.corpus is None:
                targets[dest if single else dest / Path(name).with_suffix(f".{fmt}")] = ("table", name)
            else:  # shard by shard, each under its own path
                targets.update({dest / _with_format(shard.path, fmt): ("shard", f"{name}\0{index}")
                                for index, shard in enumerate(table.corpus.shards)})
        if not single:
            targets.update({dest / name: ("document", name) for name in dataset.documents})
        for target in targets:
            if not target.resolve().is_relative_to(where):
                raise UsageError(f"'{target}' would land outside the export folder", file=dest)
            if target.is_dir():
                raise UsageError("export target is a folder", file=target, fix="give a file name")
        return targets

    def export(self, dest: str | Path, fmt: str | None = None, actor: str = "user", force: bool = False) -> list[Path]:
        """Write HEAD's tables to `dest` (a file for one table, a folder for several).

        Refuses a destination that is, holds or lies inside an input or the workspace, and replaces an
        existing file only with `force`; nothing is written unless every target is allowed.
        """
        with self.locked():
            dest = Path(dest)
            dataset = self.load()
            suffix = dest.suffix.lower().lstrip(".")
            corpus = any(t.corpus is not None for t in dataset.tables.values())
            fmt = fmt or (suffix if suffix in EXPORT_FORMATS else "parquet" if corpus else "csv")
            if fmt not in EXPORT_FORMATS:
                raise UsageError(f"unknown export format '{fmt}'", fix="use csv, parquet or jsonl")
            single = len(dataset.tables) == 1 and dest.suffix != "" and not corpus
            targets = self._export_targets(dest, dataset, fmt, single)
            existing = [t for t in targets if t.exists()]
            if existing and not force:
                more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
                raise UsageError(f"{existing[0]} already exists{more}", file=dest,
                                 fix="pass --force to replace it, or choose another destination")
            written: list[Path] = []
            for target, (what, name) in targets.items():
                if what == "document":
                    atomic_write_text(target, dataset.documents[name])
                    continue
                if what == "shard":
                    table_name, index = name.split("\0")
                    corpus = dataset.tables[table_name].corpus
                    atomic_write(target, lambda tmp, c=corpus, i=int(index): _write_shard(c, i, tmp, fmt))
                    written.append(target)
                    continue
                df = dataset.tables[name].df.reset_index(drop=True)
                if fmt == "csv":
                    atomic_write(target, lambda tmp, df=df: df.to_csv(tmp, index=False))
                elif fmt == "parquet":
                    atomic_write(target, lambda tmp, df=df: df.to_parquet(tmp, index=False))
                else:
                    atomic_write(target, lambda tmp, df=df: df.to_json(tmp, orient="records", lines=True))
                written.append(target)
            self._log({"event": "export", "actor": actor, "version": self.head_id, "format": fmt,
                       "to": [str(p) for p in written]})
        return written


def _with_format(shard_path: str, fmt: str) -> str:
    """A shard's path with the export format's suffix in place of its own (`a/part-1.jsonl.gz` → `a/part-1.parquet`)."""
    path = Path(shard_path)
    stem = path.name.split(".")[0] or path.name
    return (path.parent / f"{stem}.{fmt}").as_posix()


def _write_shard(corpus: Corpus, index: int, tmp: Path, fmt: str) -> None:
    """One shard of a corpus version (dropped rows left out, set values in), batch by batch."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    writer = None
    with open(tmp, "wb") as sink:
        for _ids, batch in corpus.shard_batches(index):
            if fmt == "parquet":
                writer = writer or pq.ParquetWriter(sink, batch.schema)
                writer.write_table(batch.cast(writer.schema))
            elif fmt == "csv":
                pacsv.write_csv(batch, sink, pacsv.WriteOptions(include_header=writer is None))
                writer = True
            else:
                sink.write(batch.to_pandas().to_json(orient="records", lines=True).encode())
        if fmt == "parquet":
            if writer is None:
                schema = pa.schema([(c, pa.string()) for c in corpus.columns])
                writer = pq.ParquetWriter(sink, schema)
            writer.close()


__all__ = ["Version", "Workspace", "default_workspace_dir"]
