"""Benchmark items copied into a corpus of shards: the n-gram methods of `contamination_scan`, streamed.

One map stage per shard (the same function on the local engine and on Ray), each scanning its live rows
batch by batch against the benchmarks; only the matches (row id, benchmark, item, method, score) reach the
driver. With `rephrasings`, each batch's rows that no n-gram method matched also go through the calibrated
views of `contamination_rephrase` (a sentence model per row: about 15 rows/s per CPU core, so it is asked for,
not the default, and meant for a cluster). The views decide there; a configured model's judge does not run
inside engine tasks. Memory is one batch, whatever the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial

from tools import benchmark_sets
from tools.contamination_rephrase import RephraseIndex, decide
from tools.contamination_scan import ContaminationIndex
from tools.data.shards import Corpus
from tools.embeddings import default_embedder
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


@lru_cache(maxsize=8)
def _rephrase_index(name: str) -> RephraseIndex:
    """The benchmark's embedded and calibrated items, once per process, as `_index`."""
    return RephraseIndex(benchmark_sets.load(name), default_embedder())


def shard_matches(corpus: Corpus, index: int, *, column: str, benchmarks: tuple[str, ...],
                  rephrasings: bool = False) -> list[CorpusMatch]:
    """Map: the matches of one shard's live rows against every benchmark."""
    found = []
    for ids, texts in corpus.shard_texts(index, column):
        for name in benchmarks:
            matches = _index(name).scan(texts)
            if rephrasings:
                copied = {m.row for m in matches}
                matches += decide([c for c in _rephrase_index(name).candidates(texts) if c.row not in copied])
            found += [CorpusMatch(int(ids[m.row]), name, m.item, m.method, m.score) for m in matches]
    return found


def corpus_matches(corpus: Corpus, column: str, benchmarks: list[str], engine: Engine,
                   progress: Progress = lambda f: None, rephrasings: bool = False) -> list[CorpusMatch]:
    """Every match in the corpus, by row id."""
    per_shard = engine.map_shards(partial(shard_matches, column=column, benchmarks=tuple(benchmarks),
                                          rephrasings=rephrasings), corpus, progress)
    return sorted((m for shard in per_shard for m in shard), key=lambda m: (m.row_id, m.benchmark, m.item, m.method))


__all__ = ["CorpusMatch", "corpus_matches"]
