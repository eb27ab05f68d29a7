"""contamination: is any of this dataset a copy or a rephrasing of an evaluation benchmark?"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

from tools import benchmark_sets
from tools.base import Tool, ToolContext, register
from tools.benchmark_sets import BenchmarkSet
from tools.contamination_rephrase import Candidate, RephraseIndex, decide
from tools.contamination_scan import ContaminationIndex, Match
from tools.contracts import Artifact, DropRows, Finding, ProposedChange, ToolResult
from tools.corpus_contamination import corpus_matches
from tools.data.dataset import load_dataset
from tools.data.profile import profile_table
from tools.embeddings import default_embedder
from tools.engine import engine
from tools.errors import UsageError
from tools.operations import preview_corpus_change, preview_table_change

_EMBEDDING_MAX_ROWS = 200_000
_FINDINGS_SHOWN = 50
_QUOTE = 160
_JUDGED = 200  # rows whose best candidate an LLM judge decides, at most; past it the views decide


class ContaminationArgs(BaseModel):
    table: str | None = Field(default=None, description="table to check (every table with text when omitted)")
    text_column: str | None = Field(default=None, description="text or code column to check (inferred)")
    benchmarks: list[str] | None = Field(default=None, description="benchmark names (all registered when omitted; "
                                                                   "HumanEval is built in)")
    semantic: bool | None = Field(default=None, description="also compare embeddings (rephrasings); by default "
                                                            f"on up to {_EMBEDDING_MAX_ROWS:,} rows (on a corpus "
                                                            "of shards: off unless asked, as it embeds every row)")
    semantic_threshold: float | None = Field(default=None, ge=0.0, le=1.0, description="cosine for an embedding "
                                             "match (by default calibrated on each benchmark's own items)")
    against: str | None = Field(default=None, description="the other direction: this dataset is an evaluation "
                                                          "set; check whether this training file or table holds it")


def _quote(text: str) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= _QUOTE else flat[: _QUOTE - 1] + "…"


def _rephrasings(ctx: ToolContext, index: RephraseIndex, texts: list[str], threshold: float | None,
                 skip: set[int]) -> list[Match]:
    """Calibrated views decide; with a model, the judge decides the candidates instead (llm-decontaminator)."""
    candidates = [c for c in index.candidates(texts, threshold) if c.row not in skip]
    if ctx.llm is None:
        return decide(candidates)
    from tools.contamination_judge import is_rephrasing

    best: dict[int, Candidate] = {}
    for c in sorted(candidates, key=lambda c: -c.excess):  # each row's most similar candidate is judged first
        best.setdefault(c.row, c)
    judged = sorted(best.values(), key=lambda c: -c.excess)[:_JUDGED]
    kept = [c for c in judged if is_rephrasing(ctx.llm, texts[c.row], index.bench.texts[c.item])]
    unjudged = {c.row for c in judged}
    matches = decide([c for c in candidates if c.row not in unjudged])  # past the cap: the model-free decision
    return matches + [Match(c.row, c.item, method, c.scores[view]) for c in kept
                      for method, view in [("llm-judge", "embedding"), *((v, v) for v in c.passed)]]


def _best(hits: list[tuple[str, Match]]) -> tuple[str, Match]:
    """The (benchmark, match) a row is reported against: a specific method beats a shared 13-gram."""
    return max(hits, key=lambda h: (h[1].method != "13-gram", h[1].score))


def _per_benchmark(bench: BenchmarkSet, table: str, matches: list[Match],
                   best: list[tuple[str, Match]]) -> Artifact:
    """What one benchmark left in one table: rows, items (each row's best item), share, rows by method."""
    items = {m.item for name, m in best if name == bench.name}
    return Artifact(name=f"{bench.name} in {table}", kind="table", content=[{
        "benchmark": bench.name, "table": table, "rows contaminated": len({m.row for m in matches}),
        "items found": len(items), "share of benchmark": round(len(items) / len(bench.texts), 4),
        **{f"rows by {method}": len({m.row for m in matches if m.method == method})
           for method in sorted({m.method for m in matches})}}])


@register
class ContaminationTool(Tool):
    name = "contamination"
    description = (
        "Check whether rows of the dataset copy or rephrase evaluation benchmarks (HumanEval built in; add "
        "others with `copilot benchmarks add`). Methods, reported separately: any shared 13-gram (GPT-3 / "
        "lm-eval), ≥70% of an item's 8-grams (PaLM), 50-character substring probes (GPT-4), code skeletons "
        "that survive renamed identifiers and reworded docstrings; and for rephrasings and translations, each "
        "row's nearest items in each view checked in several views (embedding, the code's prose, code "
        "skeleton, the code's literals in order (its examples), a model-free verifier of numbers, strings, "
        "task words and names; a multilingual model for text), each with a threshold calibrated on the "
        "benchmark's own items; a configured model judges "
        "those candidates instead. Proposes dropping the contaminated rows. With `against`, checks the other "
        "direction: whether a training file contains this (evaluation) dataset.")
    Args = ContaminationArgs
    in_audit = True
    embeds_text = True

    def applies(self, profile) -> bool:
        return any(t.text_candidates for t in profile.tables)

    def goal_args(self, goal: str) -> dict:
        """The registered benchmarks the goal names, as whole words: "human eval", "HumanEval", "my-eval-set"."""
        words = re.findall(r"[a-z0-9]+", goal.lower())
        spelled = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(i + 9, len(words) + 1))}
        named = [b for b in benchmark_sets.names() if "".join(re.findall(r"[a-z0-9]+", b)) in spelled]
        return {"benchmarks": named} if named else {}

    def run(self, ctx: ToolContext, args: ContaminationArgs) -> ToolResult:
        tables = [t for t in ctx.tables(args.table) if self._text_column(ctx, t.name, args)]
        if not tables:
            raise UsageError("no text column to check", fix="pass text_column")
        if args.against:
            return self._against(ctx, tables[0], args)
        benches = [benchmark_sets.load(b) for b in (args.benchmarks or benchmark_sets.names())]
        indexes = {b.name: ContaminationIndex(b) for b in benches}
        rephrase: dict[str, RephraseIndex] = {}  # built on first use: embedding the benchmark takes a while
        findings: list[Finding] = []
        changes: list[ProposedChange] = []
        artifacts: list[Artifact] = []
        total = len(tables) * len(benches)
        for ti, table in enumerate(tables):
            column = self._text_column(ctx, table.name, args)
            if table.corpus is not None:
                found, change, summaries = self._in_corpus(ctx, table, column, benches, bool(args.semantic))
                findings += found
                changes += [change] if change else []
                artifacts += summaries
                continue
            texts = table.df[column].fillna("").astype(str).tolist()
            by_row: dict[int, list[tuple[str, Match]]] = defaultdict(list)
            for bi, bench in enumerate(benches):
                step = ti * len(benches) + bi
                matches = indexes[bench.name].scan(texts, lambda f, s=step: ctx.progress((s + 0.8 * f) / total))
                use_embeddings = args.semantic if args.semantic is not None else len(texts) <= _EMBEDDING_MAX_ROWS
                if use_embeddings:
                    if bench.name not in rephrase:
                        rephrase[bench.name] = RephraseIndex(bench, default_embedder())
                    matches += _rephrasings(ctx, rephrase[bench.name], texts, args.semantic_threshold,
                                            skip={m.row for m in matches})
                for m in matches:
                    by_row[m.row].append((bench.name, m))
                best = [_best(hits) for hits in by_row.values()]
                artifacts.append(_per_benchmark(bench, table.name, matches, best))
            table_findings = [self._finding(table.name, column, texts, row, hits, benches, int(table.df.index[row]))
                              for row, hits in sorted(by_row.items())]
            table_findings = sorted(table_findings, key=lambda f: -(f.score or 0))
            findings += table_findings[:_FINDINGS_SHOWN]
            if by_row:
                ids = sorted(int(table.df.index[r]) for r in by_row)
                op = DropRows(table=table.name, row_ids=ids)
                changes.append(ProposedChange(
                    tool=self.name, operation=op, finding_ids=[f.id for f in findings if f.file == table.name],
                    rationale=f"Drop the {len(ids)} rows of {table.name} that copy or rephrase benchmark items, "
                              "so scores on those benchmarks stay meaningful.",
                    preview=preview_table_change(table.df, op)))
        ctx.progress(1.0)
        summary = "; ".join(f"{a.content[0]['benchmark']}: {a.content[0]['items found']} items "
                            f"({a.content[0]['share of benchmark']:.1%}) found in {a.content[0]['rows contaminated']} "
                            f"rows of {a.content[0]['table']}" for a in artifacts)
        return ToolResult(tool=self.name, summary=summary or "No contamination found.", findings=findings,
                          proposed_changes=changes, artifacts=artifacts)

    def _in_corpus(self, ctx: ToolContext, table, column: str, benches: list[BenchmarkSet],
                   rephrasings: bool) -> tuple[list[Finding], ProposedChange | None, list[Artifact]]:
        """Every row of a corpus, streamed shard by shard on the session's engine: the n-gram methods, and with
        semantic=True the rephrasing views too (every row through a sentence model)."""
        matches = corpus_matches(table.corpus, column, [b.name for b in benches], engine(ctx.engine), ctx.progress,
                                 rephrasings)
        by_row: dict[int, list[tuple[str, Match]]] = defaultdict(list)
        for m in matches:
            by_row[m.row_id].append((m.benchmark, Match(m.row_id, m.item, m.method, m.score)))
        best = [_best(hits) for hits in by_row.values()]
        hits = [(name, m) for row_hits in by_row.values() for name, m in row_hits]
        summaries = [_per_benchmark(b, table.name, [m for name, m in hits if name == b.name], best) for b in benches]
        shown = sorted(by_row, key=lambda r: -max(m.score for _, m in by_row[r]))[:_FINDINGS_SHOWN]
        texts = table.corpus.take(shown, [column])[column].fillna("").astype(str)
        findings = [self._finding(table.name, column, [texts.get(r, "")], 0, by_row[r], benches, r) for r in shown]
        if not by_row:
            return findings, None, summaries
        op = DropRows(table=table.name, row_ids=sorted(by_row))
        return findings, ProposedChange(
            tool=self.name, operation=op, finding_ids=[f.id for f in findings],
            rationale=f"Drop the {len(by_row):,} rows of {table.name} that copy "
                      f"{'or rephrase ' if rephrasings else ''}benchmark items (checked over all "
                      f"{table.corpus.rows:,} rows), so scores on those benchmarks stay meaningful.",
            preview=preview_corpus_change(table.corpus, op)), summaries

    @staticmethod
    def _text_column(ctx: ToolContext, table: str, args: ContaminationArgs) -> str | None:
        columns = ctx.dataset.table(table).columns
        if args.text_column:
            return args.text_column if args.text_column in columns else None
        candidates = ctx.profile.table(table).text_candidates
        return candidates[0] if candidates else None

    def _finding(self, table: str, column: str, texts: list[str], row: int, hits: list[tuple[str, Match]],
                 benches: list[BenchmarkSet], row_id: int) -> Finding:
        by_name = {b.name: b for b in benches}
        best_name, best = _best(hits)
        bench = by_name[best_name]
        methods = sorted({f"{m.method} ({m.score:.2f})" for name, m in hits
                          if (name, m.item) == (best_name, best.item)})
        return Finding(
            tool=self.name, type="contamination", severity="high",
            issue=f"row {row_id} contains {bench.ids[best.item]}",
            evidence=[f"row {row_id}: \"{_quote(texts[row])}\"",
                      f"{bench.ids[best.item]}: \"{_quote(bench.texts[best.item])}\"",
                      "methods: " + ", ".join(methods)],
            description=f"This row matches {bench.name} item {bench.ids[best.item]}. Training on benchmark items "
                        "inflates the benchmark's scores; they no longer measure generalisation.",
            file=table, rows=[row_id], columns=[column], score=round(max(m.score for _, m in hits), 3))

    def _against(self, ctx: ToolContext, table, args: ContaminationArgs) -> ToolResult:
        """This dataset is the evaluation set: look for its rows in a training file or table."""
        column = self._text_column(ctx, table.name, args)
        ours = table.df[column].fillna("").astype(str)
        kind = "code" if benchmark_sets._looks_like_code(ours.tolist()) else "text"
        eval_set = BenchmarkSet(f"{table.name}", kind, [f"row {r}" for r in table.df.index], ours.tolist())
        try:
            train = ctx.dataset.table(args.against)
        except UsageError:
            path = Path(args.against)
            train = load_dataset(path if path.is_absolute() else ctx.dataset.root.parent / path).table()
        train_col = column if column in train.columns else next(iter(profile_table(train).text_candidates), None)
        if train_col is None:
            raise UsageError(f"{train.name} has no column '{column}'", fix="pass text_column")
        train_texts = train.df[train_col].fillna("").astype(str).tolist()
        matches = ContaminationIndex(eval_set).scan(train_texts, ctx.progress)
        found: dict[int, list[tuple[int, Match]]] = defaultdict(list)
        for m in matches:
            found[m.item].append((m.row, m))
        findings = []
        for item, hits in sorted(found.items())[:_FINDINGS_SHOWN]:
            row_id = int(table.df.index[item])
            train_rows = sorted({int(train.df.index[r]) for r, _ in hits})
            methods = sorted({f"{m.method} ({m.score:.2f})" for _, m in hits})
            findings.append(Finding(
                tool=self.name, type="contamination", severity="high",
                issue=f"evaluation row {row_id} is in the training data {train.name}",
                evidence=[f"row {row_id}: \"{_quote(ours.iloc[item])}\"",
                          f"{train.name} row{'s' if len(train_rows) > 1 else ''} "
                          f"{', '.join(map(str, train_rows[:5]))}: \"{_quote(train_texts[hits[0][0]])}\"",
                          "methods: " + ", ".join(methods)],
                description="A model trained on that file has seen this evaluation example; its score here "
                            "overstates what it can do.",
                file=table.name, rows=[row_id], columns=[column], score=round(max(m.score for _, m in hits), 3)))
        changes = []
        if found:
            op = DropRows(table=table.name, row_ids=sorted(int(table.df.index[i]) for i in found))
            changes.append(ProposedChange(tool=self.name, operation=op, finding_ids=[f.id for f in findings],
                                          rationale=f"Drop the {len(found)} evaluation rows that {train.name} "
                                                    "contains, or keep them and report the overlap.",
                                          preview=preview_table_change(table.df, op)))
        share = len(found) / max(len(ours), 1)
        summary = f"{len(found)} of {len(ours)} rows of {table.name} ({share:.1%}) occur in {train.name}."
        return ToolResult(tool=self.name, findings=findings, proposed_changes=changes, summary=summary)
