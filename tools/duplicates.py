"""duplicates: exact and near-duplicate rows within a table, and leakage of rows across splits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from tools.base import Tool, ToolContext, register
from tools.contracts import DropRows, Finding, ProposedChange, ToolResult
from tools.corpus_dedup import corpus_duplicates
from tools.data.profile import TableProfile
from tools.data.tables import Table
from tools.embeddings import LexicalEmbedder, StaticEmbedder, default_embedder, static_embedder
from tools.engine import engine
from tools.evidence import quote, row_fields, row_namer
from tools.minhash import MinHashConfig, UnionFind, near_duplicates
from tools.operations import preview_corpus_change, preview_table_change
from tools.textnorm import row_keys
from tools.vectorstore import VectorIndex, candidate_pairs, collection_name

Keep = Literal["first", "longest", "most_complete", "best_label"]
_FINDINGS_PER_TABLE = 30
_QUOTED_MEMBERS = 2
_QUOTED_CLUSTERS = 3
_MAX_ROWS = 500
_CHANCE_FACTOR = 2.0  # identical pairs up to twice the number chance predicts are coincidences
_NOUN = {"exact": "duplicate", "near": "near-duplicate", "semantic": "semantically duplicate"}


class DuplicatesArgs(BaseModel):
    table: str | None = Field(default=None, description="table to check; every table when omitted")
    columns: list[str] | None = Field(
        default=None, description="columns that must match for an exact duplicate; all but id-like columns by default")
    text_column: str | None = Field(default=None, description="text compared for near-duplicates (inferred)")
    near: bool = Field(default=True, description="also find near-duplicate texts with MinHash LSH")
    threshold: float = Field(default=0.8, ge=0.05, le=1.0, description="Jaccard similarity for a near-duplicate")
    ngram: int = Field(default=5, ge=1, le=20, description="shingle size (5-word shingles as in FineWeb; use 3 "
                                                          "with threshold 0.6 to catch copies with edited words)")
    unit: Literal["word", "char"] = Field(default="word", description="shingle words or characters")
    keep: Keep = Field(default="first", description="which row of a cluster to keep: first, longest, "
                                                    "most_complete, or best_label (agrees with the cluster's majority)")
    label_column: str | None = Field(default=None, description="label column: clusters whose labels disagree "
                                                               "are flagged, and keep=best_label uses it")
    semantic: bool | None = Field(
        default=None, description="also find texts that say the same thing in other words (embeddings, "
                                  "cosine similarity); by default on up to 1,000,000 rows with a text column")
    semantic_threshold: float = Field(default=0.95, ge=0.5, le=1.0, description="cosine similarity for a "
                                                                                 "semantic duplicate")
    splits: dict[str, str] | None = Field(
        default=None, description="split name → table (train/valid/test): rows of valid and test that "
                                  "duplicate train rows are reported as leakage")


Method = Literal["exact", "near", "semantic"]
_SEMANTIC_MAX_ROWS = 1_000_000
_TWO_STAGE_MIN_ROWS = 2_000  # smaller tables: the transformer embeds every row (seconds), as before
_FIRST_STAGE_DIMS = 128
# With IDF-weighted static vectors: kept 0.990 / 0.995 of the transformer's pairs on 5k / 10k texts of
# benchmarks/semantic_dedup.py while sending 5.7% / 6.4% of rows to it (unweighted at 0.75: 10.6% / 12.5%).
FIRST_STAGE_THRESHOLD = 0.8


@dataclass
class Cluster:
    rows: list[int]  # positions or row ids, sorted
    method: Method  # exact: identical after normalization; near: Jaccard; semantic: cosine of embeddings
    similarity: float  # the lowest confirmed similarity that joined it (1.0 for exact)

    @property
    def exact(self) -> bool:
        return self.method == "exact"


def _compare_columns(table: Table, args: DuplicatesArgs, id_columns: list[str]) -> list[str]:
    if args.columns:
        return args.columns
    columns = [c for c in table.columns if c not in id_columns]
    return columns or table.columns


def _text_column(ctx: ToolContext, table: Table, args: DuplicatesArgs) -> str | None:
    if args.text_column and args.text_column in table.columns:
        return args.text_column
    candidates = ctx.profile.table(table.name).text_candidates
    return candidates[0] if candidates else None


def _config(args: DuplicatesArgs) -> MinHashConfig:
    return MinHashConfig(unit=args.unit, ngram=args.ngram, threshold=args.threshold)


@dataclass
class TextSource:
    """The texts to compare beyond exact equality, and where their embedding index may be cached."""

    texts: pd.Series
    cache_dir: Path | None
    label: str  # names the cache: table and column

    def semantic_pairs(self, threshold: float, progress, two_stage: bool | None = None,
                       open_pairs: Callable[[np.ndarray], np.ndarray] | None = None) -> dict[tuple[int, int], float]:
        """Pairs of rows whose texts' embeddings have cosine ≥ threshold. From _TWO_STAGE_MIN_ROWS rows (or when
        `two_stage`), the transformer embeds only rows that static vectors put near another row, in a candidate
        pair that `open_pairs` (k × 2 → k booleans) keeps: the caller may already know the answer for some."""
        embedder = default_embedder()
        texts = self.texts.tolist()
        content = int(pd.util.hash_pandas_object(self.texts, index=False).sum())
        index = VectorIndex(collection_name(self.label, embedder.name, content, len(texts)), self.cache_dir)
        use_two = two_stage if two_stage is not None else len(texts) >= _TWO_STAGE_MIN_ROWS
        first = static_embedder() if use_two and not isinstance(embedder, LexicalEmbedder) else None
        if first is None:
            return self._every_row_pairs(texts, embedder, index, threshold, progress)
        rows, pairs = first_stage_candidates(texts, first, lambda f: progress(0.3 * f))
        if open_pairs is not None:
            pairs = pairs[open_pairs(pairs)]
            rows = np.unique(pairs)
        vectors = index.vectors(rows, texts, embedder, lambda f: progress(0.3 + 0.7 * f))
        position = np.full(len(texts), -1)
        position[rows] = np.arange(len(rows))
        return _reaching(pairs, vectors, threshold, position)

    @staticmethod
    def _every_row_pairs(texts: list[str], embedder, index: VectorIndex, threshold: float, progress
                         ) -> dict[tuple[int, int], float]:
        """The transformer (or the lexical embedder) embeds every row; every pair above the threshold is found."""
        vectors = index.fill(texts, embedder, lambda f: progress(0.6 * f))
        pairs = candidate_pairs(vectors, threshold, lambda f: progress(0.6 + 0.4 * f))
        return {(a, b): s for (a, b), s in _reaching(pairs, vectors, threshold).items()
                if texts[a].strip() and texts[b].strip()}


def _reaching(pairs: np.ndarray, vectors: np.ndarray, threshold: float, position: np.ndarray | None = None
              ) -> dict[tuple[int, int], float]:
    """{(a, b): cosine} for the pairs of rows whose vectors reach `threshold`; row r's vector is
    vectors[position[r]] (vectors[r] without `position`)."""
    at = pairs if position is None else position[pairs]
    sims = np.einsum("ij,ij->i", vectors[at[:, 0]], vectors[at[:, 1]]) if len(pairs) else np.zeros(0)
    keep = sims >= threshold
    return dict(zip(map(tuple, pairs[keep].tolist()), sims[keep].tolist(), strict=True))


def first_stage_vectors(texts: list[str], first: StaticEmbedder, progress=lambda f: None
                        ) -> tuple[np.ndarray, np.ndarray]:
    """(positions of the non-blank texts, their first-stage vectors): IDF-weighted static vectors, centred and
    reduced to _FIRST_STAGE_DIMS by PCA (fitted on up to 20,000 rows), L2-normalised."""
    nonblank = np.flatnonzero([bool(t.strip()) for t in texts])
    if len(nonblank) < 2:
        return nonblank, np.zeros((len(nonblank), _FIRST_STAGE_DIMS), np.float32)
    vectors = first.embed_corpus([texts[i] for i in nonblank])
    progress(1.0)
    sample = vectors[np.random.default_rng(0).choice(len(vectors), min(len(vectors), 20_000), replace=False)]
    mean = sample.mean(axis=0)
    _, _, components = np.linalg.svd(sample - mean, full_matrices=False)
    reduced = (vectors - mean) @ components[:_FIRST_STAGE_DIMS].T
    reduced /= np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
    return nonblank, reduced.astype(np.float32)


def first_stage_candidates(texts: list[str], first: StaticEmbedder, progress=lambda f: None
                           ) -> tuple[np.ndarray, np.ndarray]:
    """(rows to embed with the transformer, candidate pairs i < j): the pairs of first-stage vectors with cosine
    ≥ FIRST_STAGE_THRESHOLD (every one up to 20,000 rows, nearly every one by faiss's inverted-file index
    beyond)."""
    nonblank, vectors = first_stage_vectors(texts, first, lambda f: progress(0.5 * f))
    if len(nonblank) < 2:
        return nonblank[:0], np.empty((0, 2), np.int64)
    pairs = nonblank[candidate_pairs(vectors, FIRST_STAGE_THRESHOLD, lambda f: progress(0.5 + 0.5 * f))]
    return np.unique(pairs), pairs


def _semantic_on(args: DuplicatesArgs, rows: int) -> bool:
    return args.semantic if args.semantic is not None else rows <= _SEMANTIC_MAX_ROWS


_MIN_WORDS = 4  # "no comment", "n/a": too short to be a copy of anything
_COMMON_SHARE = 0.01  # a text in over 1% of rows (and 5 or more) is boilerplate, not a copied document
_COMMON_MIN = 5


def _meaningful(texts: pd.Series) -> np.ndarray:
    """Texts worth comparing for near and semantic duplicates: long enough, and not a stock phrase that many
    rows share (identical whole rows are still found as exact duplicates)."""
    stripped = texts.str.strip()
    words = stripped.str.split().str.len().fillna(0)
    counts = stripped.map(stripped.value_counts())
    common = (counts >= _COMMON_MIN) & (counts > _COMMON_SHARE * len(texts))
    return ((words >= _MIN_WORDS) & ~common).to_numpy()


def find_clusters(keys: pd.Series, source: TextSource | None, args: DuplicatesArgs,
                  progress=lambda f: None) -> list[Cluster]:
    """Clusters of positions: equal `keys` are exact duplicates; similar texts are near or semantic ones."""
    n = len(keys)
    uf = UnionFind(n)
    codes = pd.factorize(keys)[0]
    first_of: dict[int, int] = {}
    for pos, code in enumerate(codes.tolist()):
        if code in first_of:
            uf.union(first_of[code], pos)
        else:
            first_of[code] = pos
    progress(0.1)
    near: dict[tuple[int, int], float] = {}
    semantic: dict[tuple[int, int], float] = {}
    meaningful = _meaningful(source.texts) if source is not None else np.zeros(0, bool)
    if source is not None and args.near and meaningful.any():
        where = np.flatnonzero(meaningful)
        found = near_duplicates(source.texts.iloc[where].tolist(), _config(args),
                                progress=lambda f: progress(0.1 + 0.5 * f)).similarity
        near = {(int(where[a]), int(where[b])): s for (a, b), s in found.items()}
        for a, b in near:
            uf.union(a, b)
    if source is not None and _semantic_on(args, n):
        roots = uf.roots().copy()  # the groups before any semantic link

        def open_pairs(pairs: np.ndarray) -> np.ndarray:
            """Pairs whose rows are not yet in one group: only they can change a cluster (a group joined by exact or
            near links keeps that name), so only their rows go through the transformer."""
            a, b = pairs[:, 0], pairs[:, 1]
            return meaningful[a] & meaningful[b] & (roots[a] != roots[b])

        semantic = {(a, b): s for (a, b), s in
                    source.semantic_pairs(args.semantic_threshold, lambda f: progress(0.6 + 0.4 * f),
                                          open_pairs=open_pairs).items()
                    if meaningful[a] and meaningful[b]}
        for a, b in semantic:
            uf.union(a, b)
    clusters = []
    for members in uf.groups():
        inside = set(members)
        if len({codes[m] for m in members}) == 1:
            clusters.append(Cluster(sorted(members), "exact", 1.0))
            continue
        near_sims = [s for (a, _b), s in near.items() if a in inside]
        if near_sims:
            clusters.append(Cluster(sorted(members), "near", min(near_sims)))
        else:
            sims = [s for (a, _b), s in semantic.items() if a in inside]
            clusters.append(Cluster(sorted(members), "semantic", min(sims, default=1.0)))
    return clusters


def _recodes(a: pd.Series, b: pd.Series) -> bool:
    """Each value of `a` goes with one value of `b` and the other way round."""
    distinct = a.nunique()
    return distinct == b.nunique() and pd.DataFrame({"a": a, "b": b}).drop_duplicates().shape[0] == distinct


def _pairs(keys: pd.Series) -> float:
    """Pairs of rows with equal keys."""
    counts = keys.value_counts()
    return float((counts * (counts - 1) / 2).sum())


def chance_pairs(df: pd.DataFrame) -> float:
    """Pairs of rows expected to agree on every column by chance, if no row were a copy of another.

    For each column, the share of row pairs that agree on it among the pairs that are not identical on every
    column (so copies do not vouch for themselves: a copied review's text agrees with nothing else); the
    product of those shares, columns taken as independent, times the number of pairs. Independence
    underestimates the agreement of related columns (a model and its maker), so copies in tables of related
    columns are still told apart from coincidences."""
    n = len(df)
    total = n * (n - 1) / 2
    identical = _pairs(row_keys(df))
    if n < 2 or identical >= total:
        return 0.0
    agree = 1.0
    counted: list[pd.Series] = []
    for col in df.columns:
        keys = row_keys(df[[col]])
        # A one-to-one recoding of a column already counted (a wage and its logarithm, a code and its name)
        # carries no new chance of disagreeing: counting it twice would make coincidences look impossible.
        if any(_recodes(keys, other) for other in counted):
            continue
        counted.append(keys)
        agree *= max(0.0, _pairs(keys) - identical) / (total - identical)
        if agree * total < 1e-12:
            break
    return total * agree


def _representative(df: pd.DataFrame, rows: list[int], keep: Keep, text: str | None, label: str | None) -> int:
    if keep == "longest":
        def length(r: int) -> int:
            return len(str(df.loc[r, text])) if text else sum(len(str(v)) for v in df.loc[r] if pd.notna(v))
        return max(rows, key=lambda r: (length(r), -r))
    if keep == "most_complete":
        return min(rows, key=lambda r: (int(df.loc[r].isna().sum()), r))
    if keep == "best_label" and label:
        majority = Counter(df.loc[rows, label].astype(str)).most_common(1)[0][0]
        return next(r for r in rows if str(df.loc[r, label]) == majority)
    return rows[0]


def _group_findings(tool: str, table: Table, profile: TableProfile, clusters: list[Cluster], keep: dict[int, int],
                    text: str | None, label: str | None) -> list[Finding]:
    """One finding per kind of duplicate (exact, near, semantic) and one for clusters whose labels disagree,
    each listing every row and quoting the largest clusters: one cause, one finding."""
    df = table.df
    name = row_namer(df, profile)
    groups: dict[tuple[str, bool], list[Cluster]] = {}
    for c in clusters:
        conflicting = bool(label) and df.loc[c.rows, label].astype(str).nunique() > 1
        groups.setdefault((c.method, conflicting), []).append(c)
    findings = []
    for (method, conflicting), members in groups.items():
        rows = [r for c in members for r in c.rows]
        evidence = []
        for c in members[:_QUOTED_CLUSTERS]:
            for r in c.rows[:_QUOTED_MEMBERS]:
                said = df.at[r, text] if text else None
                shown = f'"{quote(said)}"' if isinstance(said, str) and said.strip() else row_fields(df, r)
                evidence.append(f"{name(r)}: {shown}")
            if conflicting:
                labels = " vs ".join(sorted({str(v) for v in df.loc[c.rows, label]}))
                shown = ", ".join(f"row {r}={df.at[r, label]}" for r in c.rows[:4])
                evidence.append(f"{label}: {labels} ({shown})")
        kind = {"exact": "identical",
                "near": f"near-identical (Jaccard ≥ {min(c.similarity for c in members):.2f})",
                "semantic": f"near-identical in meaning (cosine ≥ {min(c.similarity for c in members):.2f})"}[method]
        description = (f"{len(members)} groups of {kind} rows ({len(rows)} rows; groups: "
                       + "; ".join(", ".join(map(str, c.rows[:6])) for c in members[:8])
                       + (" …" if len(members) > 8 else "")
                       + f"). Keeping one row per group ({', '.join(str(keep[id(c)]) for c in members[:8])}"
                       + (" …" if len(members) > 8 else "") + ") removes repeated examples that bias training and "
                       "inflate evaluation.")
        if conflicting:
            description += " Their labels disagree within a group: at least one label per group is wrong."
        findings.append(Finding(
            tool=tool, type="duplicate", severity="high" if conflicting else "medium",
            issue=f"{len(members)} group{'s' if len(members) > 1 else ''} of {_NOUN[method]} rows in {table.name} "
                  f"({len(rows)} rows)" + (" with conflicting labels" if conflicting else ""),
            evidence=evidence, description=description, file=table.name, rows=rows[:_MAX_ROWS],
            columns=[text] if text and method != "exact" else [],
            score=round(min(c.similarity for c in members), 3)))
    return findings


@register
class DuplicatesTool(Tool):
    name = "duplicates"
    description = (
        "Find duplicate rows: exact copies (after whitespace, case and Unicode normalization, ignoring id "
        "columns), near-duplicate texts (MinHash LSH over word 5-gram shingles, Jaccard ≥ 0.8, every "
        "candidate verified; ngram=1 with threshold=0.7 also catches copies with ~10% of words edited) and "
        "texts with the same meaning (embeddings, cosine ≥ 0.95). With train/valid/test splits, reports valid "
        "and test rows that duplicate train rows as leakage. Proposes dropping all but one row per cluster "
        "(keep: first, longest, most_complete or best_label).")
    Args = DuplicatesArgs
    in_audit = True
    embeds_text = True

    def run(self, ctx: ToolContext, args: DuplicatesArgs) -> ToolResult:
        findings: list[Finding] = []
        changes: list[ProposedChange] = []
        tables = ctx.tables(args.table)
        notes: list[str] = []
        for i, table in enumerate(tables):
            step = lambda f, i=i: ctx.progress((i + f) / (len(tables) + 1))  # noqa: E731
            table_findings, change, note = self._within(ctx, table, args, step)
            findings += table_findings
            changes += [change] if change else []
            notes += [note] if note else []
        leak_findings, leak_changes = self._leakage(ctx, args)
        findings += leak_findings
        changes += leak_changes
        ctx.progress(1.0)
        dup_rows = sum(len(c.operation.affected_rows) for c in changes)
        summary = (f"{sum(f.type == 'duplicate' for f in findings)} kinds of duplicates, "
                   f"{sum(f.type == 'leakage' for f in findings)} leaks across splits; {dup_rows} rows proposed "
                   "for removal." if findings else "No duplicates found.")
        return ToolResult(tool=self.name, summary=" ".join([summary, *notes]), findings=findings,
                          proposed_changes=changes)

    def _in_corpus(self, ctx: ToolContext, table: Table, args: DuplicatesArgs, progress):
        """Every row of a corpus, streamed shard by shard (`corpus_dedup`): exact and near-duplicate texts."""
        text = _text_column(ctx, table, args)
        if text is None:
            return [], None, f"{table.name}: no text column, and a corpus is compared by its text."
        assert table.corpus is not None
        found = corpus_duplicates(table.corpus, text, engine(ctx.engine), _config(args), progress=progress)
        note = (f"{table.name}: {table.corpus.describe()}, streamed on the {ctx.engine} engine; semantic "
                "duplicates are not searched in a corpus (embedding every row would take days on a CPU).")
        if not found:
            return [], None, note
        clusters = [Cluster(c.rows, "exact" if c.exact else "near", c.similarity) for c in found]
        quoted = [r for method in ("exact", "near")
                  for c in [c for c in clusters if c.method == method][:_QUOTED_CLUSTERS] for r in c.rows]
        view = replace(table, df=table.corpus.take(quoted))
        keep = {id(c): c.rows[0] for c in clusters}
        findings = _group_findings(self.name, view, ctx.profile.table(table.name), clusters, keep, text, None)
        op = DropRows(table=table.name, row_ids=sorted(r for c in clusters for r in c.rows[1:]))
        change = ProposedChange(
            tool=self.name, operation=op, finding_ids=[f.id for f in findings],
            rationale=f"Keep the first row of each of {len(clusters):,} duplicate clusters in {table.name}; "
                      f"drop the other {len(op.row_ids):,}.",
            preview=preview_corpus_change(table.corpus, op))
        return findings, change, note

    def _within(self, ctx: ToolContext, table: Table, args: DuplicatesArgs, progress):
        if table.corpus is not None:
            return self._in_corpus(ctx, table, args, progress)
        df = table.df
        for col in [*(args.columns or []), *([args.label_column] if args.label_column else [])]:
            ctx.dataset.require_column(col, table.name)
        profile = ctx.profile.table(table.name)
        columns = _compare_columns(table, args, profile.id_candidates)
        text = _text_column(ctx, table, args)
        label = args.label_column if args.label_column in table.columns else None
        keys = row_keys(df[columns])
        source = TextSource(df[text].fillna("").astype(str), ctx.cache_dir, f"{table.name}:{text}") if text else None
        clusters = find_clusters(keys, source, args, progress)
        note = None if text or not args.near else f"{table.name}: no text column, so only exact duplicates."
        if not clusters:
            return [], None, note
        positions = df.index.to_numpy()
        clusters = [Cluster([int(positions[p]) for p in c.rows], c.method, c.similarity) for c in clusters]
        clusters.sort(key=lambda c: (-len(c.rows), c.rows[0]))
        keep = {id(c): _representative(df, c.rows, args.keep, text, label) for c in clusters}
        findings = _group_findings(self.name, table, profile, clusters, keep, text, label)
        exact = [c for c in clusters if c.exact]
        observed = sum(len(c.rows) * (len(c.rows) - 1) // 2 for c in exact)
        expected = chance_pairs(df[columns]) if exact else 0.0
        chance = True  # set back below unless identical rows are what unrelated rows would share anyway
        if exact and observed <= _CHANCE_FACTOR * expected:
            # As many identical rows as unrelated rows would share by chance (few columns, few values each:
            # two guinea pigs with the same tooth length, dose and supplement): not evidence of copies.
            for f in findings:
                if f.severity == "medium" and f" of {_NOUN['exact']} rows in " in f.issue:
                    f.severity = "low"
                    f.description += (f" Rows drawn independently from these columns' values would share all of "
                                      f"them in about {expected:.3g} pairs; {observed} pairs do, so they may well be "
                                      "different items that coincide: check before dropping.")
        elif not text and not any(df[c].nunique() >= max(20, len(df) / 10) for c in columns):
            # Only a few categories per column (a survey's answers): identical rows are expected, not copies.
            for f in findings:
                f.severity = "low" if f.severity == "medium" else f.severity
                f.description += (" Every compared column has few distinct values, so different people or "
                                  "items can share all of them: check before dropping.")
        else:
            chance = False
        # Coincidences are reported, not proposed for removal, unless the goal asks for duplicates removed.
        if chance and not ctx.focus.on(kind="duplicate"):
            clusters = [c for c in clusters if not c.exact]
            if not clusters:
                return findings, None, note
        drop = sorted(r for c in clusters for r in c.rows if r != keep[id(c)])
        op = DropRows(table=table.name, row_ids=drop)
        change = ProposedChange(
            tool=self.name, operation=op, finding_ids=[f.id for f in findings],
            rationale=f"Keep one row ({args.keep}) of each of {len(clusters)} duplicate clusters in {table.name}; "
                      f"drop the other {len(drop)}.",
            preview=preview_table_change(df, op))
        return findings, change, note

    def _leakage(self, ctx: ToolContext, args: DuplicatesArgs) -> tuple[list[Finding], list[ProposedChange]]:
        splits = args.splits or {}
        if "train" not in splits or len(splits) < 2:
            return [], []
        train = ctx.dataset.table(splits["train"])
        findings: list[Finding] = []
        changes: list[ProposedChange] = []
        for split, name in splits.items():
            if split == "train":
                continue
            other = ctx.dataset.table(name)
            shared = [c for c in train.columns if c in other.columns]
            ids = set(ctx.profile.table(train.name).id_candidates) | set(ctx.profile.table(other.name).id_candidates)
            columns = [c for c in shared if c not in ids] or shared
            text = _text_column(ctx, train, args)
            text = text if text in other.columns else None
            both = pd.concat([train.df[columns], other.df[columns]], ignore_index=True)
            keys = row_keys(both)
            source = (TextSource(both[text].fillna("").astype(str), ctx.cache_dir, f"{train.name}+{name}:{text}")
                      if text else None)
            n_train = len(train.df)
            leaks: list[tuple[list[int], list[int], bool]] = []
            for cluster in find_clusters(keys, source, args):
                train_rows = [int(train.df.index[p]) for p in cluster.rows if p < n_train]
                eval_rows = [int(other.df.index[p - n_train]) for p in cluster.rows if p >= n_train]
                if train_rows and eval_rows:
                    leaks.append((train_rows, eval_rows, cluster.exact))
            if not leaks:
                continue
            leaked = sorted(r for _, rows, _ in leaks for r in rows)
            for train_rows, eval_rows, exact in leaks[:_FINDINGS_PER_TABLE]:
                said = other.df.at[eval_rows[0], text] if text else None
                shown = (f'"{quote(said)}"' if isinstance(said, str) and said.strip()
                         else quote(", ".join(f"{k}={v}" for k, v in other.df.loc[eval_rows[0], columns].items())))
                findings.append(Finding(
                    tool=self.name, type="leakage", severity="high",
                    issue=f"{split} row{'s' if len(eval_rows) > 1 else ''} {', '.join(map(str, eval_rows[:5]))} "
                          f"{'also' if exact else 'nearly'} in {train.name}",
                    evidence=[f"{name} row {eval_rows[0]}: {shown}",
                              f"{train.name} row{'s' if len(train_rows) > 1 else ''} "
                              f"{', '.join(map(str, train_rows[:5]))}"],
                    description=f"The same example is in {train.name} and {name}, so {split} scores overstate "
                                "how well a model generalises.",
                    file=name, rows=eval_rows, columns=[text] if text else [], score=1.0 if exact else None))
            op = DropRows(table=other.name, row_ids=leaked)
            changes.append(ProposedChange(
                tool=self.name, operation=op, finding_ids=[f.id for f in findings if f.file == name],
                rationale=f"Drop the {len(leaked)} rows of {name} that also appear in {train.name}, so the "
                          f"{split} split measures unseen data.",
                preview=preview_table_change(other.df, op)))
        return findings, changes
