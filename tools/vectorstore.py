"""Nearest-neighbour search over embeddings in a chromadb collection, persisted where asked.

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
    """One collection of L2-normalised vectors with integer ids, searched by cosine similarity."""

    def __init__(self, name: str, path: Path | None = None) -> None:
        self._client = _client(path)
        self.collection = self._client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
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

    def neighbours(self, vectors: np.ndarray, k: int, progress: Progress = lambda f: None
                   ) -> tuple[np.ndarray, np.ndarray]:
        """(ids, cosine similarities), each (len(vectors) × k), nearest first."""
        k = min(k, len(self))
        ids = np.empty((len(vectors), k), np.int64)
        sims = np.empty((len(vectors), k), np.float32)
        for lo in range(0, len(vectors), self._batch):
            found = self.collection.query(query_embeddings=vectors[lo:lo + self._batch], n_results=k,
                                          include=["distances"])
            ids[lo:lo + self._batch] = np.array(found["ids"], dtype=np.int64)
            sims[lo:lo + self._batch] = 1.0 - np.array(found["distances"], dtype=np.float32)
            progress(min(1.0, (lo + self._batch) / len(vectors)))
        return ids, sims


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

