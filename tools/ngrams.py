"""Hashed token n-grams, vectorised: shared by near-duplicate detection and the contamination check."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

_ROLL = np.uint64(0x100000001B3)  # FNV prime: combines token hashes into an n-gram hash


def mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer: spreads hashes evenly."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def ngram_hashes(token_lists: Sequence[Sequence[str]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, doc index of each hash) of every n-gram that lies inside one document.

    A non-empty document shorter than n tokens gets one hash of its whole token sequence.
    """
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    flat = [tok for toks in token_lists for tok in toks]
    if not flat:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    return ngram_hashes_of(pd.util.hash_array(np.asarray(flat, dtype=object)), lengths, n)


def ngram_hashes_of(token_hash: np.ndarray, lengths: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """`ngram_hashes` from the token hashes of all documents, concatenated, and each document's token count."""
    if not len(token_hash):
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    doc_of = np.repeat(np.arange(len(lengths)), lengths)
    total = len(token_hash)
    parts_hash, parts_doc = [], []
    if total >= n:
        grams = token_hash[: total - n + 1].copy()
        for k in range(1, n):
            grams = grams * _ROLL + token_hash[k: total - n + 1 + k]
        valid = doc_of[: total - n + 1] == doc_of[n - 1:]  # the n-gram lies inside one document
        parts_hash.append(mix(grams[valid]))
        parts_doc.append(doc_of[: total - n + 1][valid])
    short = np.flatnonzero((lengths > 0) & (lengths < n))
    if short.size:
        first = (np.cumsum(lengths) - lengths)[short]
        whole = np.zeros(len(short), np.uint64)
        for k in range(n - 1):  # one step per token position, over every short document at once
            more = lengths[short] > k
            whole[more] = whole[more] * _ROLL + token_hash[first[more] + k]
        parts_hash.append(mix(whole))
        parts_doc.append(short)
    if len(parts_hash) == 1:
        return parts_hash[0], parts_doc[0]  # one part is in document order already
    hashes = np.concatenate(parts_hash)
    docs = np.concatenate(parts_doc)
    order = np.argsort(docs, kind="stable")
    return hashes[order], docs[order]
