"""Benchmark items copied into a corpus of shards: the n-gram methods of `contamination_scan`, streamed.

One map stage per shard (the same function on the local engine and on Ray), each scanning its live rows
batch by batch against the benchmarks; only the matches (row id, benchmark, item, method, score) reach the
driver. Rephrasings need a sentence model per row, too slow for a corpus on a CPU: they are looked for in
the table's sample only (see `ContaminationTool`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial

from tools import benchmark_sets
from tools.contamination_scan import ContaminationIndex
from tools.data.shards import Corpus
from tools.engine import Engine
from tools.progress import Progress


@dataclass(frozen=True)
class CorpusMatch:
    row_id: int
    benchmark: str
    item: int
    method: str
    score: float


@lru_cache(maxsize=8)
def _index(name: str) -> ContaminationIndex:
    """One index per benchmark per process (a Ray worker builds it once, then scans every shard it gets)."""
    return ContaminationIndex(benchmark_sets.load(name))


def shard_matches(corpus: Corpus, index: int, *, column: str, benchmarks: tuple[str, ...]) -> list[CorpusMatch]:
    """Map: the matches of one shard's live rows against every benchmark."""
    found = []
    for ids, texts in corpus.shard_texts(index, column):
        for name in benchmarks:
            found += [CorpusMatch(int(ids[m.row]), name, m.item, m.method, m.score) for m in _index(name).scan(texts)]
    return found


def corpus_matches(corpus: Corpus, column: str, benchmarks: list[str], engine: Engine,
                   progress: Progress = lambda f: None) -> list[CorpusMatch]:
    """Every match in the corpus, by row id."""
    per_shard = engine.map_shards(partial(shard_matches, column=column, benchmarks=tuple(benchmarks)), corpus,
                                  progress)
    return sorted((m for shard in per_shard for m in shard), key=lambda m: (m.row_id, m.benchmark, m.item, m.method))


__all__ = ["CorpusMatch", "corpus_matches"]
