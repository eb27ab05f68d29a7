"""A dataset: the tables of a file or folder, its documents, and what could not be read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from tools.data.decoding import decode_bytes
from tools.data.docs import METADATA_NAMES
from tools.data.shards import Corpus, corpus_groups, open_corpus, shard_format, sharded_bytes
from tools.data.tables import TABLE_SUFFIXES, Table, read_table
from tools.errors import DataError, UsageError

DOC_SUFFIXES = {".md", ".markdown", ".txt", ".rst", ".py", ".yaml", ".yml", ".cfg", ".toml", ".sh", ".r", ".ipynb",
                ""}
_DOC_MAX_BYTES = 2_000_000
_SKIPPED_DIRS = {".copilot", ".git", "__pycache__", ".ipynb_checkpoints"}
CORPUS_SAMPLE_ROWS = 10_000  # rows of a corpus that the profile and the table checks read


@dataclass
class LoadProblem:
    """A file of a folder dataset that could not be read; audit tools report these."""

    file: str
    message: str


@dataclass
class Dataset:
    """Tables keyed by their path relative to the dataset root, plus text documents."""

    root: Path
    tables: dict[str, Table]
    documents: dict[str, str] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.root.stem if self.root.is_file() else self.root.name

    def sample(self, rows: int, seed: int = 0) -> Dataset:
        """The same dataset with each table cut to a random sample of `rows` rows (row ids kept), for a first
        look at data too big to audit quickly; documents are kept whole. A corpus becomes its sample: no tool
        streams its shards then."""
        tables = {name: replace(t, df=t.df.sample(n=min(rows, len(t.df)), random_state=seed).sort_index(),
                                sampled_from=t.sampled_from or len(t.df), corpus=None)
                  if len(t.df) > rows or t.corpus is not None else t for name, t in self.tables.items()}
        return replace(self, tables=tables)

    def table(self, name: str | None = None) -> Table:
        """The named table, or the only one; a clear error otherwise."""
        if name is None:
            if len(self.tables) == 1:
                return next(iter(self.tables.values()))
            raise UsageError(f"the dataset has {len(self.tables)} tables; name one of: "
                             f"{', '.join(self.tables)}", file=self.root)
        if name in self.tables:
            return self.tables[name]
        by_basename = [t for key, t in self.tables.items() if Path(key).name == name]
        if len(by_basename) == 1:
            return by_basename[0]
        raise UsageError(f"no table '{name}'", file=self.root,
                         fix=f"choose one of: {', '.join(self.tables)}")

    def require_column(self, column: str, table: str | None = None) -> None:
        """Raise a one-line error with a suggestion when `column` is not in the table."""
        import difflib

        tab = self.table(table)
        if column in tab.columns:
            return
        close = difflib.get_close_matches(column, tab.columns, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise UsageError(f"no column '{column}'", file=tab.name,
                         fix=f"{hint}columns are: {', '.join(tab.columns[:20])}")


def _iter_files(folder: Path, problems: list[LoadProblem]) -> list[Path]:
    """The folder's files; a link that leads out of the folder is reported, never read."""
    files = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part in _SKIPPED_DIRS or part.startswith(".") for part in rel.parts):
            continue
        if path.is_symlink():
            target = _link_target(path)
            if target is None:
                problems.append(LoadProblem(rel.as_posix(), "a symbolic link that loops back on itself; not read"))
                continue
            if not target.exists():
                problems.append(LoadProblem(rel.as_posix(), f"a broken link to {target}; not read"))
                continue
            if not target.is_relative_to(folder.resolve()):
                problems.append(LoadProblem(rel.as_posix(), f"a link to {target}, outside the dataset folder; "
                                                            "not read"))
                continue
        if path.is_file():
            files.append(path)
    return files


def _link_target(path: Path) -> Path | None:
    """Where a link leads, links resolved; None for a loop."""
    try:
        return path.resolve(strict=False)
    except (RuntimeError, OSError):  # "Symlink loop" (RuntimeError before Python 3.13, OSError after)
        return None


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, links resolved, lies within `folder`."""
    return path.resolve().is_relative_to(folder.resolve())


def _read_document(path: Path) -> str | None:
    if path.stat().st_size > _DOC_MAX_BYTES:
        return None
    try:
        return decode_bytes(path.read_bytes(), path)[0]
    except DataError:
        return None


def _metadata_json(path: Path, rel: str) -> str | None:
    """The text of a JSON file that describes the data (a card, a schema, split sizes) rather than holding rows."""
    text = _read_document(path)
    if text is None:
        return None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(obj, dict):
        return None
    if METADATA_NAMES.search(rel):
        return text
    lists = [v for v in obj.values() if isinstance(v, list)]
    records = any(v and all(isinstance(x, dict) for x in v) for v in lists)
    columnar = bool(lists) and len(lists) == len(obj) and len({len(v) for v in lists}) == 1
    return None if records or columnar else text


def corpus_table(name: str, corpus: Corpus, sample_rows: int = CORPUS_SAMPLE_ROWS) -> Table:
    """A corpus as a table: a random sample of its rows in memory, the shards behind it for tools that stream."""
    formats = "/".join(sorted({s.format for s in corpus.shards}))
    return Table(name, corpus.sample(sample_rows), f"{formats} shards", sampled_from=corpus.rows, corpus=corpus)


def load_dataset(path: str | Path, encoding: str | None = None) -> Dataset:
    """Load a table file, or a folder of tables and documents (a DCA-style dataset)."""
    root = Path(path)
    if root.is_symlink() and not root.exists():
        target = _link_target(root)
        raise DataError("a symbolic link that loops back on itself" if target is None
                        else f"a broken link (to {target}, which does not exist)", file=root,
                        fix="point at the data itself")
    if not root.exists():
        raise DataError("no such file or folder", file=root, fix="check the path")
    if root.is_file():
        if shard_format(root) and root.stat().st_size >= sharded_bytes():
            return Dataset(root=root, tables={root.name: corpus_table(root.name, open_corpus(root.parent, [root]))})
        table = read_table(root, encoding)
        return Dataset(root=root, tables={table.name: table})
    if not root.is_dir():
        raise DataError("not a regular file or folder (a pipe, socket or device)", file=root,
                        fix="give a CSV, TSV, JSON, JSONL or Parquet file, or a folder of them")
    tables: dict[str, Table] = {}
    documents: dict[str, str] = {}
    problems: list[LoadProblem] = []
    files = _iter_files(root, problems)
    groups = corpus_groups(root, files)  # the files of a shard format, when they add up past the threshold
    for name, shards in groups.items():
        try:
            tables[name] = corpus_table(name, open_corpus(root, shards))
        except DataError as exc:
            problems.append(LoadProblem(name, exc.cause))
    in_corpus = {f for shards in groups.values() for f in shards}
    for file in files:
        if file in in_corpus:
            continue
        rel = file.relative_to(root).as_posix()
        suffix = file.suffix.lower()
        if suffix == ".json" and (meta := _metadata_json(file, rel)) is not None:
            documents[rel] = meta
        elif suffix in TABLE_SUFFIXES:
            try:
                table = read_table(file, encoding)
            except DataError as exc:
                problems.append(LoadProblem(rel, exc.cause))
                continue
            table.name = rel
            tables[rel] = table
        elif suffix in DOC_SUFFIXES:
            text = _read_document(file)
            if text is not None:
                documents[rel] = text
    if not tables and not problems:
        raise DataError("no tables found (looked for CSV, TSV, JSON, JSONL, Parquet)", file=root,
                        fix="point at a data file or a folder that holds one")
    return Dataset(root=root, tables=tables, documents=documents, problems=problems)
