"""Embeddings kept in a chromadb collection (persisted where asked, so a second run embeds nothing), and the
search for every pair of vectors above a cosine: exact blocked products, or faiss's inverted-file index on
large inputs.

Embeddings are always computed by our Embedder and passed in explicitly: a collection is created with
no embedding function, so chromadb never downloads its default model. Telemetry is off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tools.embeddings import Embedder
from tools.progress import Progress

_EMBED_BATCH = 2048
# The collection keeps vectors for reuse across runs; pairs are found by candidate_pairs, never by its HNSW
# graph, so the graph is built cheaply: 21,800 vectors went in in 4.3 s against 16.9 s at chromadb's defaults.
_HNSW = {"space": "cosine", "ef_construction": 16, "max_neighbors": 8}
# Up to this many rows every pair is compared exactly (blocked numpy: ~2 s at 20,000 rows of 128 dimensions);
# beyond, faiss's inverted-file index compares each row with the rows of its _PROBES nearest cells only. On
# 100,000 short texts (benchmarks/semantic_dedup.py) that found 99.4% of the exact search's pairs at cosine
# ≥ 0.8 in 7.6 s against 36.7 s, and the exact search grows with n².
_EXACT_MAX_ROWS = 20_000
_PROBES = 16
_CELLS_PER_SQRT_ROW = 4  # 1,264 cells for 100,000 rows
_RANGE_BLOCK = 8192  # rows searched per faiss call: bounds its result buffers and paces the progress bar


def _client(path: Path | None):  # -> chromadb.ClientAPI
    import chromadb  # imported here: it takes a second to import, and most runs never search vectors

    settings = chromadb.Settings(anonymized_telemetry=False, allow_reset=False)
    if path is None:
        return chromadb.EphemeralClient(settings=settings)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def collection_name(*parts: object) -> str:
    """A valid, stable collection name for the content it holds."""
    return "emb-" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


class VectorIndex:
    """One collection of L2-normalised vectors with integer ids."""

    def __init__(self, name: str, path: Path | None = None) -> None:
        self._client = _client(path)
        self.collection = self._client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": _HNSW})
        self._batch = self._client.get_max_batch_size()

    def __len__(self) -> int:
        return self.collection.count()

    def add(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        for lo in range(0, len(ids), self._batch):
            self.collection.upsert(ids=[str(i) for i in ids[lo:lo + self._batch]],
                                   embeddings=vectors[lo:lo + self._batch])

    def fill(self, texts: Sequence[str], embedder: Embedder, progress: Progress = lambda f: None) -> np.ndarray:
        """Vectors of `texts` (ids 0..n-1): read back where the collection holds them, embedded and added
        otherwise."""
        return self.vectors(range(len(texts)), texts, embedder, progress)

    def vectors(self, ids: Sequence[int], texts: Sequence[str], embedder: Embedder,
                progress: Progress = lambda f: None) -> np.ndarray:
        """Vectors of texts[i] for i in `ids`: those the collection holds are read back, the others are
        embedded and added (so a second run on the same content embeds nothing)."""
        ids = [int(i) for i in ids]
        held: dict[int, np.ndarray] = {}
        if len(self):
            for lo in range(0, len(ids), self._batch):
                got = self.collection.get(ids=[str(i) for i in ids[lo:lo + self._batch]], include=["embeddings"])
                held.update((int(i), np.asarray(e, np.float32)) for i, e in zip(got["ids"], got["embeddings"],
                                                                             strict=True))
        missing = [i for i in ids if i not in held]
        for lo in range(0, len(missing), _EMBED_BATCH):
            part = missing[lo:lo + _EMBED_BATCH]
            vectors = embedder.embed([texts[i] for i in part])
            self.add(part, vectors)
            held.update(zip(part, vectors, strict=True))
            progress(min(1.0, (lo + _EMBED_BATCH) / len(missing)))
        progress(1.0)
        dim = next(iter(held.values())).shape[0] if held else 0
        return np.stack([held[i] for i in ids]) if ids else np.zeros((0, dim), np.float32)


def pairs_above(vectors: np.ndarray, threshold: float, block: int = 1024,
                progress: Progress = lambda f: None) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (i < j) of L2-normalised rows with cosine ≥ threshold, exactly, by blocked matrix products
    in numpy (BLAS): (pairs k × 2, their similarities). For a batch all-pairs question this beats querying
    an index row by row (chromadb answers ~2,000 queries a second here); memory is one block × n scores."""
    n = len(vectors)
    found, sims = [], []
    for lo in range(0, n, block):
        scores = vectors[lo:lo + block] @ vectors[lo:].T  # only pairs with j ≥ lo: each pair once
        rows, cols = np.nonzero(scores >= threshold)
        cols += lo
        keep = cols > rows + lo
        found.append(np.stack([rows[keep] + lo, cols[keep]], axis=1))
        sims.append(scores[rows[keep], cols[keep] - lo])
        progress(min(1.0, (lo + block) / max(n, 1)))
    if not found:
        return np.empty((0, 2), np.int64), np.empty(0, np.float32)
    return np.concatenate(found), np.concatenate(sims)



def candidate_pairs(vectors: np.ndarray, threshold: float, progress: Progress = lambda f: None,
                    exact_max_rows: int = _EXACT_MAX_ROWS) -> np.ndarray:
    """Pairs (i < j, k × 2) of L2-normalised rows with cosine ≥ threshold: every one up to `exact_max_rows`
    rows (or without faiss), nearly every one beyond (an approximate first stage, whose pairs are judged again)."""
    try:
        import faiss  # the `[semantic]` extra
    except ImportError:
        faiss = None
    if faiss is None or len(vectors) <= exact_max_rows:
        return pairs_above(vectors, threshold, progress=progress)[0]
    # faiss, not a hand-written index: its k-means and inverted lists are what ANN search is built on.
    n, dim = vectors.shape
    cells = int(_CELLS_PER_SQRT_ROW * np.sqrt(n))
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, cells, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(0).choice(n, min(n, 40 * cells), replace=False)  # faiss asks ≥ 39 a cell
    index.train(vectors[np.sort(sample)])
    index.add(vectors)
    index.nprobe = _PROBES
    found = []
    for lo in range(0, n, _RANGE_BLOCK):
        limits, _, labels = index.range_search(vectors[lo:lo + _RANGE_BLOCK], threshold)
        rows = lo + np.repeat(np.arange(len(limits) - 1), np.diff(limits).astype(np.int64))
        keep = labels > rows  # each pair once, never a row with itself
        found.append(np.stack([rows[keep], labels[keep]], axis=1))
        progress(min(1.0, (lo + _RANGE_BLOCK) / n))
    return np.concatenate(found).astype(np.int64)
