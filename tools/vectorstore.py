"""Nearest-neighbour search over embeddings in a chromadb collection, persisted where asked.

Embeddings are always computed by our Embedder and passed in explicitly: a collection is created with
no embedding function, so chromadb never downloads its default model. Telemetry is off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from tools.embeddings import Embedder

_EMBED_BATCH = 2048
Progress = Callable[[float], None]


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
            self.collection.add(ids=[str(i) for i in ids[lo:lo + self._batch]], embeddings=vectors[lo:lo + self._batch])

    def fill(self, texts: Sequence[str], embedder: Embedder, progress: Progress = lambda f: None) -> np.ndarray:
        """Embed `texts` (ids 0..n-1) and add them unless the collection already holds them; return vectors."""
        vectors = np.empty((len(texts), 0), np.float32)
        parts = []
        for lo in range(0, len(texts), _EMBED_BATCH):
            parts.append(embedder.embed(texts[lo:lo + _EMBED_BATCH]))
            progress(0.5 * min(1.0, (lo + _EMBED_BATCH) / len(texts)))
        vectors = np.concatenate(parts) if parts else vectors
        if len(self) != len(texts):  # a cached collection of this exact content is reused
            self.add(list(range(len(texts))), vectors)
        progress(0.6)
        return vectors

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
