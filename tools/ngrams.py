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
    token_hash = pd.util.hash_array(np.asarray(flat, dtype=object))
    doc_of = np.repeat(np.arange(len(token_lists)), lengths)
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
        starts = np.concatenate([[0], np.cumsum(lengths)])
        whole = []
        with np.errstate(over="ignore"):  # wrapping uint64 arithmetic is the point of the hash
            for i in short:
                acc = np.uint64(0)
                for h in token_hash[starts[i]:starts[i + 1]]:
                    acc = acc * _ROLL + h
                whole.append(acc)
        parts_hash.append(mix(np.array(whole, dtype=np.uint64)))
        parts_doc.append(short)
    hashes = np.concatenate(parts_hash)
    docs = np.concatenate(parts_doc)
    order = np.argsort(docs, kind="stable")
    return hashes[order], docs[order]
