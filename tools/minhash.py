"""Near-duplicate text detection: MinHash signatures, LSH banding, exact Jaccard checks, clusters.

Everything runs vectorised over chunks of documents with numpy. Memory holds the shingle hashes and
the signatures (about 1 KB a document), never the candidate pairs: each pair is checked as it comes
out of a band and merged into a union-find, so memory does not grow with the number of pairs.
Bands and rows for a threshold come from datasketch's MinHashLSH parameter choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from tools.ngrams import mix as _mix
from tools.ngrams import ngram_hashes
from tools.textnorm import normalize_loose

_WORD = re.compile(r"\w+")
_CHUNK_DOCS = 20_000
_SIGNATURE_BLOCK = 32_768  # shingles per (block × num_perm) matrix: 32 MB at 128 permutations
Progress = Callable[[float], None]


@dataclass(frozen=True)
class MinHashConfig:
    unit: Literal["word", "char"] = "word"
    ngram: int = 5  # FineWeb / datatrove use word 5-grams
    threshold: float = 0.8  # Jaccard similarity at which two texts count as near-duplicates
    num_perm: int = 128
    window: int = 8  # in a crowded LSH bucket, compare each document with this many neighbours
    seed: int = 1

    def bands_rows(self) -> tuple[int, int]:
        from datasketch import MinHashLSH  # imported here: it pulls in scipy (half a second)

        # Weighted toward recall: every candidate is verified by exact Jaccard, so false positives are cheap.
        lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm, weights=(0.2, 0.8))
        return lsh.b, lsh.r


def _tokens(text: str, unit: str) -> list[str]:
    norm = normalize_loose(text)
    return _WORD.findall(norm) if unit == "word" else list(norm)


@dataclass
class Shingles:
    """Sorted unique shingle hashes of every document, concatenated; doc i is hashes[starts[i]:starts[i+1]]."""

    hashes: np.ndarray
    starts: np.ndarray

    def of(self, i: int) -> np.ndarray:
        return self.hashes[self.starts[i]:self.starts[i + 1]]

    @property
    def empty(self) -> np.ndarray:
        return np.diff(self.starts) == 0


def _chunk_shingles(texts: Sequence[str], cfg: MinHashConfig) -> list[np.ndarray]:
    token_lists = [_tokens(t, cfg.unit) if isinstance(t, str) else [] for t in texts]
    grams, doc_of = ngram_hashes(token_lists, cfg.ngram)
    bounds = np.searchsorted(doc_of, np.arange(len(texts) + 1))
    return [np.unique(grams[bounds[i]:bounds[i + 1]]) for i in range(len(texts))]


def shingle(texts: Sequence[str], cfg: MinHashConfig, progress: Progress = lambda f: None) -> Shingles:
    parts: list[np.ndarray] = []
    for lo in range(0, len(texts), _CHUNK_DOCS):
        parts.extend(_chunk_shingles(texts[lo: lo + _CHUNK_DOCS], cfg))
        progress(min(1.0, (lo + _CHUNK_DOCS) / max(len(texts), 1)))
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    hashes = np.concatenate(parts) if parts else np.empty(0, np.uint64)
    return Shingles(hashes, np.concatenate([[0], np.cumsum(lengths)]))


def signatures(sh: Shingles, cfg: MinHashConfig, progress: Progress = lambda f: None) -> np.ndarray:
    """One MinHash signature per document (multiply-shift permutations); empty documents get all-max."""
    rng = np.random.default_rng(cfg.seed)
    a = rng.integers(1, 2**63, size=cfg.num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=cfg.num_perm, dtype=np.uint64)
    n_docs = len(sh.starts) - 1
    sig = np.full((n_docs, cfg.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    nonempty = np.flatnonzero(~sh.empty)
    buffer = np.empty((min(_SIGNATURE_BLOCK, len(sh.hashes)), cfg.num_perm), np.uint64)
    doc = 0
    while doc < len(nonempty):
        # Take as many whole documents as fit in one block of shingles.
        first = nonempty[doc]
        limit = sh.starts[first] + _SIGNATURE_BLOCK
        last = max(doc + 1, int(np.searchsorted(sh.starts[nonempty + 1], limit, side="right")))
        docs = nonempty[doc:last]
        lo, hi = sh.starts[docs[0]], sh.starts[docs[-1] + 1]
        # In place on one buffer: the (shingles × permutations) matrix is the hot spot.
        permuted = buffer[: hi - lo] if hi - lo <= len(buffer) else np.empty((hi - lo, cfg.num_perm), np.uint64)
        np.multiply(sh.hashes[lo:hi, None], a[None, :], out=permuted)
        np.add(permuted, b[None, :], out=permuted)
        np.right_shift(permuted, np.uint64(32), out=permuted)
        sig[docs] = np.minimum.reduceat(permuted, sh.starts[docs] - lo, axis=0)
        doc = last
        progress(doc / len(nonempty))
    return sig


def candidate_pairs(sig: np.ndarray, bands: int, rows: int, window: int, skip: np.ndarray) -> Iterator[np.ndarray]:
    """Pairs of documents sharing an LSH bucket, one band at a time (k × 2 arrays of doc indices)."""
    rng = np.random.default_rng(12345)
    mult = rng.integers(1, 2**63, size=rows, dtype=np.uint64) | np.uint64(1)
    keep = np.flatnonzero(~skip)
    for band in range(bands):
        block = sig[keep, band * rows:(band + 1) * rows].astype(np.uint64)
        keys = _mix((block * mult).sum(axis=1, dtype=np.uint64))
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        for d in range(1, window + 1):
            same = sorted_keys[:-d] == sorted_keys[d:]
            if not same.any():
                break
            yield np.stack([keep[order[:-d][same]], keep[order[d:][same]]], axis=1)


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return int(x)

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the lowest index is the root

    def groups(self) -> list[list[int]]:
        roots = np.array([self.find(i) for i in range(len(self.parent))])
        order = np.argsort(roots, kind="stable")
        split = np.flatnonzero(np.diff(roots[order])) + 1
        return [g.tolist() for g in np.split(order, split) if len(g) > 1]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    inter = np.intersect1d(a, b, assume_unique=True).size
    union = a.size + b.size - inter
    return inter / union if union else 1.0


@dataclass
class NearDuplicates:
    clusters: list[list[int]]  # document indices, each cluster sorted, the lowest index first
    pairs_checked: int
    pairs_confirmed: int
    similarity: dict[tuple[int, int], float]  # confirmed pairs (first seen) → Jaccard


def near_duplicates(texts: Sequence[str], cfg: MinHashConfig = MinHashConfig(), uf: UnionFind | None = None,
                    progress: Progress = lambda f: None) -> NearDuplicates:
    """Cluster texts whose shingle sets have Jaccard ≥ cfg.threshold. `uf` may carry earlier merges."""
    sh = shingle(texts, cfg, lambda f: progress(0.5 * f))
    sig = signatures(sh, cfg, lambda f: progress(0.5 + 0.3 * f))
    uf = uf or UnionFind(len(texts))
    bands, rows = cfg.bands_rows()
    checked = confirmed = 0
    similarity: dict[tuple[int, int], float] = {}
    for band_no, pairs in enumerate(candidate_pairs(sig, bands, rows, cfg.window, sh.empty)):
        for a, b in pairs.tolist():
            if uf.find(a) == uf.find(b):
                continue  # already joined: no need to check again
            checked += 1
            sim = jaccard(sh.of(a), sh.of(b))
            if sim >= cfg.threshold:
                confirmed += 1
                similarity[(min(a, b), max(a, b))] = sim
                uf.union(a, b)
        progress(0.8 + 0.2 * min(1.0, band_no / (bands * 2)))
    progress(1.0)
    return NearDuplicates(uf.groups(), checked, confirmed, similarity)
