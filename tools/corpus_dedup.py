"""Exact and near-duplicate texts in a corpus of shards, streamed, on any engine.

Three stages, each a plain function the engine runs per shard, so the local engine and Ray give the same
clusters:

1. **Keys** (a shuffle). For every live row with text: its exact key (the normalised text's 64-bit hash, as
   the in-memory check compares) and one LSH key per band of its MinHash signature (rensa, the bands and
   rows of `MinHashConfig`). Records (key, row id) are partitioned by key; each partition's reduce sorts its
   records and links every row of a bucket to the bucket's first row. Memory: one shard's records, then one
   partition's.
2. **Signatures of candidates** (a map over the shards that hold linked rows): the same signature and
   exact key again, for the linked rows only.
3. **Verify and cluster** (on the driver, over candidates only): a link stands when the two texts are equal
   or their signatures agree on at least the threshold's share of permutations (the MinHash estimate of
   their Jaccard similarity; the in-memory check computes it exactly, which would need every candidate's
   shingles at once); union-find joins what stands. The driver holds the candidates' signatures, so its
   memory grows with the duplicates found, not with the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from tools.data.shards import Corpus
from tools.engine import Engine
from tools.minhash import MinHashConfig, UnionFind, band_key, shingle, signatures
from tools.ngrams import mix
from tools.progress import Progress
from tools.textnorm import row_keys

PARTITIONS = 16
_EXACT_SALT = np.uint64(0x9E3779B97F4A7C15)


@dataclass
class CorpusCluster:
    rows: list[int]  # global row ids, sorted
    exact: bool
    similarity: float  # lowest signature agreement of the links that made it (1.0 for exact copies)


def _keys_of(texts: list[str], cfg: MinHashConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(exact key, signature with bands × rows permutations, has-shingles) of each text."""
    bands, rows = cfg.bands_rows()
    exact = row_keys(pd.DataFrame({"text": texts})).to_numpy(np.uint64)
    sh = shingle(texts, cfg)
    return exact, signatures(sh, cfg, num_perm=bands * rows), ~sh.empty


def _texts(corpus: Corpus, index: int, column: str):
    for ids, texts in corpus.shard_texts(index, column):
        filled = np.array([bool(t.strip()) for t in texts], bool)
        yield ids[filled], [t for t, f in zip(texts, filled, strict=True) if f]


def key_records(corpus: Corpus, index: int, *, column: str, cfg: MinHashConfig, partitions: int) -> list[np.ndarray]:
    """Stage 1, map: (key, row id) records of one shard, split by key into `partitions` arrays."""
    bands, rows = cfg.bands_rows()
    salts = mix(np.arange(1, bands + 1, dtype=np.uint64))
    keys_out, rows_out = [], []
    for ids, texts in _texts(corpus, index, column):
        exact, sig, shingled = _keys_of(texts, cfg)
        keys_out.append(mix(exact ^ _EXACT_SALT))
        rows_out.append(ids)
        for band in range(bands):
            keys_out.append(mix(band_key(sig[shingled], band, rows) ^ salts[band]))
            rows_out.append(ids[shingled])
    keys = np.concatenate(keys_out) if keys_out else np.empty(0, np.uint64)
    row_ids = np.concatenate(rows_out) if rows_out else np.empty(0, np.int64)
    part = (keys % np.uint64(partitions)).astype(np.int64)
    records = np.stack([keys.view(np.int64), row_ids], axis=1)
    return [records[part == p] for p in range(partitions)]


def bucket_links(parts: list[np.ndarray]) -> np.ndarray:
    """Stage 1, reduce: (first row, other row) for every row sharing a bucket with another, unique, sorted."""
    records = np.concatenate(parts) if parts else np.empty((0, 2), np.int64)
    if len(records) < 2:
        return np.empty((0, 2), np.int64)
    records = records[np.lexsort((records[:, 1], records[:, 0]))]
    keys, rows = records[:, 0], records[:, 1]
    starts = np.concatenate([[True], keys[1:] != keys[:-1]])
    head = rows[np.maximum.accumulate(np.where(starts, np.arange(len(rows)), 0))]
    linked = rows != head
    links = np.stack([head[linked], rows[linked]], axis=1)
    return np.unique(links, axis=0) if len(links) else links


def candidate_signatures(corpus: Corpus, index: int, *, column: str, cfg: MinHashConfig,
                         wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stage 2, map: (row ids, exact keys, signatures) of this shard's rows among `wanted` (sorted)."""
    shard = corpus.shards[index]
    lo, hi = np.searchsorted(wanted, [shard.offset, shard.offset + shard.rows])
    bands, rows = cfg.bands_rows()
    out_ids, out_exact, out_sig = [np.empty(0, np.int64)], [np.empty(0, np.uint64)], \
        [np.empty((0, bands * rows), np.uint32)]
    if lo < hi:
        mine = wanted[lo:hi]
        for ids, texts in _texts(corpus, index, column):
            hit = np.isin(ids, mine)
            if hit.any():
                exact, sig, _ = _keys_of([t for t, h in zip(texts, hit, strict=True) if h], cfg)
                out_ids.append(ids[hit])
                out_exact.append(exact)
                out_sig.append(sig)
    return np.concatenate(out_ids), np.concatenate(out_exact), np.concatenate(out_sig)


def corpus_duplicates(corpus: Corpus, column: str, engine: Engine, cfg: MinHashConfig | None = None,
                      partitions: int = PARTITIONS, progress: Progress = lambda f: None) -> list[CorpusCluster]:
    """Clusters of exact and near-duplicate texts in `column` of every live row, largest first."""
    cfg = cfg or MinHashConfig()
    links = np.concatenate([np.empty((0, 2), np.int64), *engine.shuffle(
        partial(key_records, column=column, cfg=cfg, partitions=partitions), bucket_links, corpus, partitions,
        lambda f: progress(0.7 * f))])
    links = np.unique(links, axis=0) if len(links) else links
    if not len(links):
        progress(1.0)
        return []
    wanted = np.unique(links)
    found = engine.map_shards(partial(candidate_signatures, column=column, cfg=cfg, wanted=wanted), corpus,
                              lambda f: progress(0.7 + 0.25 * f))
    ids = np.concatenate([f[0] for f in found])
    order = np.argsort(ids)
    ids = ids[order]
    exact = np.concatenate([f[1] for f in found])[order]
    sig = np.concatenate([f[2] for f in found])[order]
    a, b = np.searchsorted(ids, links[:, 0]), np.searchsorted(ids, links[:, 1])
    same_text = exact[a] == exact[b]
    agreement = np.where(same_text, 1.0, (sig[a] == sig[b]).mean(axis=1))
    stands = same_text | (agreement >= cfg.threshold)
    uf = UnionFind(len(ids))
    for x, y in zip(a[stands].tolist(), b[stands].tolist(), strict=True):
        uf.union(x, y)
    roots = uf.roots()
    weakest: dict[int, float] = {}
    for x, sim in zip(a[stands].tolist(), agreement[stands].tolist(), strict=True):
        root = int(roots[x])
        weakest[root] = min(weakest.get(root, 1.0), sim)
    clusters = []
    for members in uf.groups():
        root = int(roots[members[0]])
        clusters.append(CorpusCluster(sorted(int(ids[m]) for m in members),
                                      len({int(exact[m]) for m in members}) == 1, round(weakest.get(root, 1.0), 3)))
    progress(1.0)
    return sorted(clusters, key=lambda c: (-len(c.rows), c.rows[0]))


__all__ = ["CorpusCluster", "corpus_duplicates"]
