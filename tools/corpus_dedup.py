"""Exact and near-duplicate texts in a corpus of shards, streamed, on any engine.

Two shuffles, each of plain functions the engine runs per shard, so the local engine and Ray give the same
clusters, and the driver holds only links (two row ids each), never texts or signatures:

1. **Keys.** Map: for every live row with text, its exact key (the normalised text's 64-bit hash, as the
   in-memory check compares) and one LSH key per band of its MinHash signature (rensa, the bands and rows of
   `MinHashConfig`), batch by batch. Reduce: each partition sorts its (key, row id) records and links every
   row of a bucket to the bucket's first row (its head).
2. **Verify.** Map: the signature and exact key of each linked row, sent to its heads' partitions (a join of
   signatures to links by the head's row id). Reduce: a link stands when the two texts are equal or their
   signatures agree on at least the threshold's share of permutations (the MinHash estimate of their Jaccard
   similarity; the in-memory check computes it exactly, which would need every candidate's shingles at once).

Union-find on the driver joins the links that stand. The engine chooses the number of shuffle partitions
(`Engine.partitions`): on the local engine they grow with the corpus, so each stage holds one batch, then one
partition.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from tools.data.shards import Corpus
from tools.engine import Engine, by_partition
from tools.minhash import MinHashConfig, UnionFind, band_key, shingle, signatures
from tools.ngrams import mix
from tools.progress import Progress
from tools.textnorm import row_keys

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


def key_records(corpus: Corpus, index: int, *, column: str, cfg: MinHashConfig,
                partitions: int) -> Iterator[list[np.ndarray]]:
    """Stage 1, map: per batch of one shard, its (key, row id) records split by key into `partitions` arrays."""
    bands, rows = cfg.bands_rows()
    salts = mix(np.arange(1, bands + 1, dtype=np.uint64))
    for ids, texts in _texts(corpus, index, column):
        exact, sig, shingled = _keys_of(texts, cfg)
        keys = np.concatenate([mix(exact ^ _EXACT_SALT)]
                              + [mix(band_key(sig[shingled], band, rows) ^ salts[band]) for band in range(bands)])
        row_ids = np.concatenate([ids] + [ids[shingled]] * bands)
        yield by_partition(np.stack([keys.view(np.int64), row_ids], axis=1), keys, partitions)


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


def _signature_words(sig: np.ndarray) -> np.ndarray:
    """A signature matrix (uint32) as int64 columns, padded to an even width, to ride in an int64 record."""
    if sig.shape[1] % 2:
        sig = np.concatenate([sig, np.zeros((len(sig), 1), np.uint32)], axis=1)
    return np.ascontiguousarray(sig).view(np.int64)


def candidate_records(corpus: Corpus, index: int, *, column: str, cfg: MinHashConfig, pairs: np.ndarray,
                      partitions: int) -> Iterator[list[np.ndarray]]:
    """Stage 2, map: a record [head, row, exact key, signature…] for every (head, row) pair whose row is in
    this shard (a head is paired with itself), sent to the head's partition. `pairs` is sorted by row."""
    shard = corpus.shards[index]
    lo, hi = np.searchsorted(pairs[:, 1], [shard.offset, shard.offset + shard.rows])
    if lo == hi:
        return
    mine = pairs[lo:hi]
    for ids, texts in _texts(corpus, index, column):
        hit = np.isin(ids, mine[:, 1])
        if not hit.any():
            continue
        exact, sig, _ = _keys_of([t for t, h in zip(texts, hit, strict=True) if h], cfg)
        hit_ids = ids[hit]
        batch_pairs = mine[np.isin(mine[:, 1], hit_ids)]
        at = np.searchsorted(hit_ids, batch_pairs[:, 1])
        records = np.concatenate([batch_pairs, exact[at].view(np.int64)[:, None], _signature_words(sig[at])],
                                 axis=1)
        yield by_partition(records, mix(batch_pairs[:, 0].astype(np.uint64)), partitions)


def verified_links(parts: list[np.ndarray], *, threshold: float,
                   permutations: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stage 2, reduce: the links that stand, as (links (k, 2), signature agreement, same text)."""
    records = np.concatenate(parts) if parts else np.empty((0, 3), np.int64)
    own = records[records[:, 0] == records[:, 1]]
    own = own[np.argsort(own[:, 0])]
    links = records[records[:, 0] != records[:, 1]]
    heads = own[np.searchsorted(own[:, 0], links[:, 0])] if len(links) else own[:0]
    same_text = links[:, 2] == heads[:, 2]
    agree = links[:, 3:].view(np.uint32)[:, :permutations] == heads[:, 3:].view(np.uint32)[:, :permutations]
    agreement = np.where(same_text, 1.0, agree.mean(axis=1) if len(links) else np.empty(0))
    stands = same_text | (agreement >= threshold)
    return links[stands, :2], agreement[stands], same_text[stands]


def corpus_duplicates(corpus: Corpus, column: str, engine: Engine, cfg: MinHashConfig | None = None,
                      partitions: int | None = None, progress: Progress = lambda f: None) -> list[CorpusCluster]:
    """Clusters of exact and near-duplicate texts in `column` of every live row, largest first."""
    cfg = cfg or MinHashConfig()
    partitions = partitions or engine.partitions(corpus)
    links = np.concatenate([np.empty((0, 2), np.int64), *engine.shuffle(
        partial(key_records, column=column, cfg=cfg, partitions=partitions), bucket_links, corpus, partitions,
        lambda f: progress(0.6 * f))])
    if not len(links):
        progress(1.0)
        return []
    links = np.unique(links, axis=0)
    heads = np.unique(links[:, 0])
    pairs = np.concatenate([links, np.stack([heads, heads], axis=1)])
    pairs = pairs[np.argsort(pairs[:, 1], kind="stable")]
    found = engine.shuffle(partial(candidate_records, column=column, cfg=cfg, pairs=pairs, partitions=partitions),
                           partial(verified_links, threshold=cfg.threshold, permutations=np.prod(cfg.bands_rows())),
                           corpus, partitions,
                           lambda f: progress(0.6 + 0.35 * f))
    stood = np.concatenate([f[0] for f in found])
    agreement = np.concatenate([f[1] for f in found])
    same_text = np.concatenate([f[2] for f in found])
    rows, ends = np.unique(stood, return_inverse=True)
    ends = ends.reshape(-1, 2)
    uf = UnionFind(len(rows))
    for x, y in ends.tolist():
        uf.union(x, y)
    roots = uf.roots()[ends[:, 0]]
    weakest, all_same = {}, {}
    for root, sim, same in zip(roots.tolist(), agreement.tolist(), same_text.tolist(), strict=True):
        weakest[root] = min(weakest.get(root, 1.0), sim)
        all_same[root] = all_same.get(root, True) and same
    clusters = []
    for members in uf.groups():
        root = members[0]  # groups are sorted and the lowest index is the root
        clusters.append(CorpusCluster(sorted(int(rows[m]) for m in members), all_same[root],
                                      round(weakest[root], 3)))
    progress(1.0)
    return sorted(clusters, key=lambda c: (-len(c.rows), c.rows[0]))


__all__ = ["CorpusCluster", "corpus_duplicates"]
