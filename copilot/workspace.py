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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, Field

from copilot.atomic import append_line, atomic_write, atomic_write_bytes, atomic_write_text
from copilot.data.dataset import Dataset, LoadProblem, load_dataset
from copilot.data.tables import ROW_ID, Table
from copilot.errors import UsageError
from tools.contracts import DropRows, ProposedChange, SetValues, WriteFile
from tools.operations import apply_to_table

EXPORT_FORMATS = ("csv", "parquet", "jsonl")


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


class TableEntry(BaseModel):
    object: str
    rows: int
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    has_header: bool = True


class Version(BaseModel):
    id: str
    parent: str | None
    created: str
    tables: dict[str, TableEntry]
    documents: dict[str, str] = Field(default_factory=dict)
    problems: list[dict[str, str]] = Field(default_factory=list)
    sources: dict[str, str] = Field(default_factory=dict, description="input file -> sha256, for v0000")
    change_id: str | None = None

    @property
    def content_hash(self) -> str:
        parts = sorted(f"{k}:{v.object}" for k, v in self.tables.items())
        parts += sorted(f"{k}:{v}" for k, v in self.documents.items())
        return _sha256("\n".join(parts).encode())[:16]


def default_workspace_dir(data: Path) -> Path:
    """`<parent>/.copilot/<name>`: beside the data, never inside an input folder."""
    data = data.resolve()
    return data.parent / ".copilot" / data.name


def hash_inputs(data: Path) -> dict[str, str]:
    files = [data] if data.is_file() else sorted(
        p for p in data.rglob("*") if p.is_file() and ".copilot" not in p.parts)
    return {str(p.relative_to(data.parent if data.is_file() else data)): _sha256(p.read_bytes())
            for p in files}


class Workspace:
    """Versions and audit log for one dataset. Only `apply`, `undo` and `export` write anything."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.objects = root / "objects"
        self.versions_dir = root / "versions"
        self.audit_path = root / "audit.jsonl"
        self.checkpoint_path = root / "checkpoints.sqlite"
        self.cache_dir = root / "cache"  # derived data tools may rebuild (embedding indexes)

    # ---- opening -------------------------------------------------------------------------------------
    @classmethod
    def open(cls, data: str | Path, root: str | Path | None = None, encoding: str | None = None) -> Workspace:
        """Open the workspace of `data`, creating version v0000 from the input files the first time."""
        data = Path(data)
        ws = cls(Path(root) if root else default_workspace_dir(data))
        if ws.exists():
            ws._check_sources(data)
            return ws
        dataset = load_dataset(data, encoding)
        ws.root.mkdir(parents=True, exist_ok=True)
        version = ws._write_version(dataset, parent=None, change_id=None, sources=hash_inputs(data))
        ws._set_head(version.id)
        ws._log({"event": "create", "data": str(data.resolve()), "to_version": version.id,
                 "to_hash": version.content_hash, "actor": "copilot"})
        return ws

    @classmethod
    def from_frame(cls, df: pd.DataFrame, name: str, root: str | Path) -> Workspace:
        """A workspace whose original version is an in-memory DataFrame (the notebook way in)."""
        ws = cls(Path(root))
        if ws.exists():
            raise UsageError("a workspace already exists here", file=root, fix="pass another workspace folder")
        frame = df.reset_index(drop=True)
        frame.index.name = ROW_ID
        frame.columns = [str(c) for c in frame.columns]
        ws.root.mkdir(parents=True, exist_ok=True)
        dataset = Dataset(root=ws.root / name, tables={name: Table(name, frame, "dataframe")})
        version = ws._write_version(dataset, parent=None, change_id=None)
        ws._set_head(version.id)
        ws._log({"event": "create", "data": f"DataFrame {name}", "to_version": version.id,
                 "to_hash": version.content_hash, "actor": "copilot"})
        return ws

    @classmethod
    def existing(cls, root: str | Path) -> Workspace:
        ws = cls(Path(root))
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
            tables[name] = Table(name, df, entry.format, entry.encoding, entry.delimiter, entry.has_header)
        documents = {name: (self.objects / f"{sha}.txt").read_text(encoding="utf-8")
                     for name, sha in version.documents.items()}
        problems = [LoadProblem(**p) for p in version.problems]
        return Dataset(root=self.root / "data", tables=tables, documents=documents, problems=problems)

    def log(self) -> list[dict[str, Any]]:
        if not self.audit_path.exists():
            return []
        return [json.loads(line) for line in self.audit_path.read_text(encoding="utf-8").splitlines() if line]

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
            name: TableEntry(object=self._put_object(_parquet_bytes(t.df), ".parquet"), rows=len(t.df),
                             format=t.format, encoding=t.encoding, delimiter=t.delimiter,
                             has_header=t.has_header)
            for name, t in dataset.tables.items()
        }
        documents = {name: self._put_object(text.encode("utf-8"), ".txt")
                     for name, text in dataset.documents.items()}
        version = Version(id=self._next_id(), parent=parent, created=_now(), tables=tables,
                          documents=documents, problems=[vars(p) for p in dataset.problems],
                          sources=sources or {}, change_id=change_id)
        atomic_write_text(self.versions_dir / f"{version.id}.json", version.model_dump_json(indent=2))
        return version

    def _set_head(self, version_id: str) -> None:
        atomic_write_text(self.root / "HEAD", version_id + "\n")

    def _log(self, entry: dict[str, Any]) -> None:
        append_line(self.audit_path, json.dumps({"time": _now(), **entry}, default=str))

    def record_decision(self, change: ProposedChange, decision: dict[str, Any], session: str) -> None:
        self._log({"event": "decision", "session": session, "change_id": change.id, "tool": change.tool,
                   "kind": change.kind, "decision": decision, "actor": decision.get("actor")})

    def record_session(self, session: str, goal: str, planner: str, tokens: dict[str, int]) -> None:
        """The end of a session: its goal, who planned it, and the model tokens it used."""
        self._log({"event": "session", "session": session, "goal": goal, "planner": planner, "tokens": tokens,
                   "actor": "copilot"})

    def applied_change_ids(self, session: str) -> set[str]:
        return {e["change_id"] for e in self.log() if e["event"] == "apply" and e.get("session") == session}

    def apply(self, change: ProposedChange, operation: DropRows | SetValues | WriteFile,
              decision: dict[str, Any], session: str) -> Version:
        """Apply an approved operation to HEAD, making a new version and an audit entry."""
        before = self.version()
        dataset = self.load()
        if isinstance(operation, WriteFile):
            dataset.documents[operation.path] = operation.content
        else:
            table = dataset.table(operation.table)
            if isinstance(operation, SetValues) and operation.column not in table.columns:
                raise UsageError(f"no column '{operation.column}'", file=table.name)
            table.df = apply_to_table(table.df, operation)
        after = self._write_version(dataset, parent=before.id, change_id=change.id)
        self._set_head(after.id)
        self._log({"event": "apply", "session": session, "change_id": change.id, "tool": change.tool,
                   "kind": operation.kind, "operation": operation.model_dump(), "rationale": change.rationale,
                   "rows_affected": len(operation.affected_rows), "actor": decision.get("actor"),
                   "decision": decision, "from_version": before.id, "to_version": after.id,
                   "from_hash": before.content_hash, "to_hash": after.content_hash})
        return after

    def undo(self, actor: str = "user") -> Version:
        """Move HEAD back to its parent. Versions stay on disk; the log records the move."""
        current = self.version()
        if current.parent is None:
            raise UsageError("nothing to undo: HEAD is the original data", file=self.root)
        self._set_head(current.parent)
        self._log({"event": "undo", "actor": actor, "from_version": current.id, "to_version": current.parent,
                   "from_hash": current.content_hash, "to_hash": self.version(current.parent).content_hash})
        return self.version(current.parent)

    def input_paths(self) -> list[Path]:
        """The files or folders this workspace was made from (none for an in-memory DataFrame)."""
        return [Path(e["data"]) for e in self.log()
                if e["event"] == "create" and not str(e.get("data", "")).startswith("DataFrame ")]

    def _export_targets(self, dest: Path, dataset: Dataset, fmt: str, single: bool) -> dict[Path, tuple[str, str]]:
        """target path -> ("table" | "document", name), after refusing anything that could lose data."""
        where = dest.resolve()
        for protected in [*self.input_paths(), self.root]:
            held = protected.resolve()
            if where == held or where.is_relative_to(held) or held.is_relative_to(where):
                what = "the workspace" if protected == self.root else "an input"
                raise UsageError(f"export destination overlaps {what} ({protected})", file=dest,
                                 fix="export somewhere outside the input and the workspace")
        targets = {(dest if single else dest / Path(name).with_suffix(f".{fmt}")): ("table", name)
                   for name in dataset.tables}
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
        dest = Path(dest)
        dataset = self.load()
        fmt = fmt or (dest.suffix.lower().lstrip(".") if dest.suffix.lower().lstrip(".") in EXPORT_FORMATS else "csv")
        if fmt not in EXPORT_FORMATS:
            raise UsageError(f"unknown export format '{fmt}'", fix="use csv, parquet or jsonl")
        single = len(dataset.tables) == 1 and dest.suffix != ""
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


__all__ = ["Version", "Workspace", "default_workspace_dir"]
