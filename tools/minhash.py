r"""Near-duplicate text detection: shingles, MinHash signatures and LSH, exact Jaccard checks, clusters.

The signatures and the LSH buckets come from rensa (a maintained Rust MinHash library): its R-MinHash
signs a whole corpus from one flat buffer of shingle hashes, and its LSH index flags the documents that
share a bucket with any other. Only those flagged documents get their signatures read back to Python, so
the candidate pairs (with a cap on crowded buckets), the exact Jaccard check of every candidate, and the
clusters stay ours. Memory holds the shingle hashes (~8 bytes a shingle) and rensa's signatures (4 bytes a
permutation), never the candidate pairs: each pair is checked as it comes out of a band and merged into a
union-find. Bands and rows for a threshold come from datasketch's MinHashLSH parameter choice.

Word tokens are found and hashed in numpy over the UTF-8 bytes of a whole chunk at once (hand-written:
tokenising 100k reviews one by one with `re.findall` and hashing the strings took ~5 s, which made the
tokeniser, not MinHash, the cost; no library tokenises to hashes without one Python object per token). The
tokens are exactly `re.findall(r"\w+", ...)` of each NFKC-normalised, case-folded text (tests compare).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from tools.ngrams import mix as _mix
from tools.ngrams import ngram_hashes, ngram_hashes_of
from tools.progress import Progress
from tools.textnorm import normalize_loose

_WORD = re.compile(r"\w+")
_CHUNK_DOCS = 20_000


@dataclass(frozen=True)
class MinHashConfig:
    unit: Literal["word", "char"] = "word"
    ngram: int = 5  # FineWeb / datatrove use word 5-grams
    threshold: float = 0.8  # Jaccard similarity at which two texts count as near-duplicates
    num_perm: int = 128
    window: int = 8  # in a crowded LSH bucket, compare each document with this many neighbours
    seed: int = 1

    def bands_rows(self) -> tuple[int, int]:
        return _bands_rows(self.threshold, self.num_perm)


@lru_cache(maxsize=64)
def _bands_rows(threshold: float, num_perm: int) -> tuple[int, int]:
    from datasketch import MinHashLSH  # imported here: it pulls in scipy (half a second)

    # Weighted toward recall: every candidate is verified by exact Jaccard, so false positives are cheap.
    # Cached: the choice integrates false-positive and false-negative curves (~50 ms a call).
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.2, 0.8))
    return lsh.b, lsh.r


def _tokens(text: str, unit: str) -> list[str]:
    norm = normalize_loose(text)
    return _WORD.findall(norm) if unit == "word" else list(norm)


_IS_WORD = re.compile(r"\w")
_SEPARATOR = "zqsepx7k"  # a token put between documents; a chunk where it occurs as a word is tokenised per document
# ASCII bytes: letters lower-cased, word characters kept, every other byte a space. Bytes >= 128 pass through.
_FOLD = bytes((b + 32 if 65 <= b <= 90 else b) if chr(b).isalnum() or b == 95 else 32 for b in range(128)) + bytes(
    range(128, 256))
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [2**64 - 1], dtype=np.uint64)
_BLOCK_SALT = _mix(np.arange(1, 64, dtype=np.uint64))
_RENSA_CHUNK = 4096  # signatures read back per rensa call: `to_rows` makes a Python int of each value (36 bytes)


def _utf8_chars(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(byte offset, byte width, code point) of every non-ASCII character in UTF-8 bytes."""
    lead = np.flatnonzero(raw >= 0xC0)
    b0 = raw[lead].astype(np.int64)
    width = 2 + (b0 >= 0xE0) + (b0 >= 0xF0)
    cp = np.where(width == 4, b0 & 0x07, np.where(width == 3, b0 & 0x0F, b0 & 0x1F))
    for k in range(1, 4):
        nxt = raw[np.minimum(lead + k, len(raw) - 1)].astype(np.int64)
        cp = np.where(width > k, (cp << 6) | (nxt & 0x3F), cp)
    return lead, width, cp


def _word_bytes(text: str) -> bytes:
    """UTF-8 of NFKC(text).casefold() with every non-word character a space (as many spaces as its bytes)."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate (from undecodable bytes) is a non-word
    if data.isascii():
        return data.translate(_FOLD)
    raw = np.frombuffer(data, np.uint8)
    lead, width, cp = _utf8_chars(raw)
    distinct, inverse = np.unique(cp, return_inverse=True)
    chars = [chr(c) for c in distinct.tolist()]
    if any(c.casefold() != c for c in chars):  # a non-ASCII character folds: fold the whole text in Python
        data = text.casefold().encode("utf-8", "surrogatepass")
        raw = np.frombuffer(data, np.uint8)
        lead, width, cp = _utf8_chars(raw)
        distinct, inverse = np.unique(cp, return_inverse=True)
        chars = [chr(c) for c in distinct.tolist()]
    non_word = np.array([not _IS_WORD.match(c) for c in chars], bool)[inverse]
    if non_word.any():
        raw = raw.copy()
        starts, widths = lead[non_word], width[non_word]
        for k in range(4):
            raw[starts[widths > k] + k] = 32
        data = raw.tobytes()
    return data.translate(_FOLD)


def _hash_words(folded: bytes) -> np.ndarray:
    """One 64-bit hash per space-separated word of `folded` (which starts with a space and ends with 9).

    Eight bytes at a time: a word of up to 8 bytes is its bytes as one integer (no word byte is 0, so this is
    one-to-one), mixed; longer words mix in each further 8-byte block."""
    raw = np.frombuffer(folded, np.uint8)
    is_word = raw != 32
    edges = np.flatnonzero(is_word[1:] != is_word[:-1]) + 1
    start, length = edges[::2], edges[1::2] - edges[::2]
    windows = sliding_window_view(raw, 8)
    hashes = _mix(windows[start].view("<u8").ravel() & _LOW_BYTES[np.minimum(length, 8)])
    longer = np.flatnonzero(length > 8)
    block = 1
    while longer.size:
        rest = length[longer] - 8 * block
        word = windows[start[longer] + 8 * block].view("<u8").ravel() & _LOW_BYTES[np.minimum(rest, 8)]
        hashes[longer] = _mix(hashes[longer] ^ word ^ _BLOCK_SALT[min(block, len(_BLOCK_SALT) - 1)])
        longer = longer[rest > 8]
        block += 1
    return hashes


_SEPARATOR_HASH = _hash_words(b" " + _SEPARATOR.encode() + b" " * 9)[0]


def word_token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(hash of every word token of every text, concatenated; number of tokens of each text)."""
    joined = " " + f" {_SEPARATOR} ".join(t if isinstance(t, str) else "" for t in texts) + " " * 9
    hashes = _hash_words(_word_bytes(joined))
    is_separator = hashes == _SEPARATOR_HASH
    if int(is_separator.sum()) != max(len(texts) - 1, 0):  # some text has the separator as a word
        parts = [_hash_words(_word_bytes(" " + t + " " * 9)) if isinstance(t, str) else np.empty(0, np.uint64)
                 for t in texts]
        lengths = np.fromiter((len(p) for p in parts), np.int64, len(parts))
        return (np.concatenate(parts) if parts else np.empty(0, np.uint64)), lengths
    doc_of = np.cumsum(is_separator)[~is_separator]
    return hashes[~is_separator], np.bincount(doc_of, minlength=len(texts)).astype(np.int64)


@dataclass
class Shingles:
    """Shingle hashes of every document, concatenated; doc i is hashes[starts[i]:starts[i+1]] (repeats kept:
    MinHash ignores them, and `of` removes them)."""

    hashes: np.ndarray
    starts: np.ndarray

    def of(self, i: int) -> np.ndarray:
        """Document i's distinct shingle hashes, sorted."""
        return np.unique(self.hashes[self.starts[i]:self.starts[i + 1]])

    @property
    def empty(self) -> np.ndarray:
        return np.diff(self.starts) == 0


def _chunk_shingles(texts: Sequence[str], cfg: MinHashConfig) -> tuple[np.ndarray, np.ndarray]:
    if cfg.unit == "word":
        return ngram_hashes_of(*word_token_hashes(texts), cfg.ngram)
    token_lists = [_tokens(t, cfg.unit) if isinstance(t, str) else [] for t in texts]
    return ngram_hashes(token_lists, cfg.ngram)


def shingle(texts: Sequence[str], cfg: MinHashConfig, progress: Progress = lambda f: None) -> Shingles:
    parts: list[np.ndarray] = []
    lengths: list[np.ndarray] = []
    for lo in range(0, len(texts), _CHUNK_DOCS):
        chunk = texts[lo: lo + _CHUNK_DOCS]
        grams, doc_of = _chunk_shingles(chunk, cfg)
        parts.append(grams)
        lengths.append(np.bincount(doc_of, minlength=len(chunk)))
        progress(min(1.0, (lo + _CHUNK_DOCS) / max(len(texts), 1)))
    counts = np.concatenate(lengths) if lengths else np.empty(0, np.int64)
    hashes = np.concatenate(parts) if parts else np.empty(0, np.uint64)
    return Shingles(hashes, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64))


def _rensa_matrices(sh: Shingles, docs: np.ndarray, num_perm: int, seed: int,
                    chunk: int = _RENSA_CHUNK):  # -> Iterator[RMinHashDigestMatrix]
    """rensa R-MinHash signature matrices of non-empty `docs` (in order), up to `chunk` rows each."""
    from rensa import RMinHash  # imported here: most runs never look for near-duplicates

    for lo in range(0, len(docs), chunk):
        part = docs[lo: lo + chunk]
        first, last = sh.starts[part], sh.starts[part + 1]
        if len(part) and part[-1] - part[0] + 1 == len(part):  # consecutive documents: one slice
            flat = sh.hashes[first[0]:last[-1]]
            offsets = np.concatenate([first, last[-1:]]) - first[0]
        else:
            flat = np.concatenate([sh.hashes[a:b] for a, b in zip(first.tolist(), last.tolist(), strict=True)])
            offsets = np.concatenate([[0], np.cumsum(last - first)])
        yield RMinHash.digest_matrix_from_flat_token_hashes(
            np.ascontiguousarray(flat, np.uint64), offsets.astype(np.uint64), num_perm, seed)


def signatures(sh: Shingles, cfg: MinHashConfig, progress: Progress = lambda f: None,
               docs: np.ndarray | None = None, num_perm: int | None = None) -> np.ndarray:
    """One MinHash signature per document (rensa R-MinHash, 32-bit), or per document of `docs`; empty documents
    get all-max."""
    docs = np.arange(len(sh.starts) - 1) if docs is None else np.asarray(docs)
    num_perm = num_perm or cfg.num_perm
    sig = np.full((len(docs), num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    filled = np.flatnonzero(~sh.empty[docs])
    done = 0
    for matrix in _rensa_matrices(sh, docs[filled], num_perm, cfg.seed):
        rows = matrix.to_rows()
        sig[filled[done: done + len(rows)]] = np.array(rows, dtype=np.uint32).reshape(len(rows), num_perm)
        done += len(rows)
        progress(done / max(len(filled), 1))
    return sig


def flag_bucket_sharers(sh: Shingles, cfg: MinHashConfig, bands: int, rows: int,
                        progress: Progress = lambda f: None) -> np.ndarray:
    """Indices of the non-empty documents that share an LSH bucket with another document (rensa).

    All documents go into one signature matrix (4 bytes × bands × rows each, 480 MB a million at the
    defaults) and rensa's one-shot flags: ~4 µs a document, where building its LSH index and querying it
    costs ~25 µs and ~1.2 GB a million. Signatures have exactly bands × rows permutations, so rensa's bands
    are the ones `candidate_pairs` uses."""
    from rensa import RMinHashLSH

    nonempty = np.flatnonzero(~sh.empty)
    if len(nonempty) < 2:
        return nonempty[:0]
    (matrix,) = _rensa_matrices(sh, nonempty, bands * rows, cfg.seed, chunk=len(nonempty))
    progress(0.5)
    lsh = RMinHashLSH(threshold=cfg.threshold, num_perm=bands * rows, num_bands=bands)
    flags = np.array(lsh.query_duplicate_flags_matrix_one_shot(matrix), dtype=bool)
    progress(1.0)
    return nonempty[flags]


def band_key(sig: np.ndarray, band: int, rows: int) -> np.ndarray:
    """The LSH bucket of each signature in one band: its `rows` values hashed to one 64-bit key."""
    mult = np.random.default_rng(12345).integers(1, 2**63, size=rows, dtype=np.uint64) | np.uint64(1)
    block = sig[:, band * rows:(band + 1) * rows].astype(np.uint64)
    return _mix((block * mult).sum(axis=1, dtype=np.uint64))


def candidate_pairs(sig: np.ndarray, bands: int, rows: int, window: int, skip: np.ndarray) -> Iterator[np.ndarray]:
    """Pairs of documents sharing an LSH bucket, one band at a time (k × 2 arrays of doc indices)."""
    keep = np.flatnonzero(~skip)
    for band in range(bands):
        keys = band_key(sig[keep], band, rows)
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

    def roots_of(self, x: np.ndarray) -> np.ndarray:
        """The roots of elements `x`, all at once (nothing compressed)."""
        root = self.parent[x]
        while True:
            up = self.parent[root]
            if np.array_equal(up, root):
                return root
            root = up

    def roots(self) -> np.ndarray:
        """Every element's root, with paths compressed (vectorised: a parent's parent until nothing moves)."""
        parent = self.parent
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                return parent
            parent = self.parent = grand

    def groups(self) -> list[list[int]]:
        roots = self.roots()
        joined = np.flatnonzero(roots != np.arange(len(roots)))  # members that are not their own root
        members = np.union1d(joined, roots[joined])  # and the roots they hang from, sorted
        order = members[np.argsort(roots[members], kind="stable")]
        split = np.flatnonzero(np.diff(roots[order])) + 1
        return [g.tolist() for g in np.split(order, split) if len(g) > 1]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    inter = np.intersect1d(a, b, assume_unique=True).size
    union = a.size + b.size - inter
    return inter / union if union else 1.0


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """starts[0]..starts[0]+lengths[0]-1, then the same for each next start, concatenated."""
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))


class DistinctShingles:
    """Each of some documents' distinct shingle hashes, sorted, in one flat array (for batch Jaccard)."""

    def __init__(self, sh: Shingles, docs: np.ndarray) -> None:
        lengths = sh.starts[docs + 1] - sh.starts[docs]
        hashes = sh.hashes[_ranges(sh.starts[docs], lengths)]
        owner = np.repeat(np.arange(len(docs)), lengths)
        order = np.lexsort((hashes, owner))
        hashes, owner = hashes[order], owner[order]
        keep = np.ones(len(hashes), bool)
        keep[1:] = (hashes[1:] != hashes[:-1]) | (owner[1:] != owner[:-1])
        self.hashes = hashes[keep]
        self.starts = np.concatenate([[0], np.cumsum(np.bincount(owner[keep], minlength=len(docs)))])

    def jaccard(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Exact Jaccard similarity of each pair (a[k], b[k]) of positions in `docs`, vectorised: both sets of
        every pair in one array, sorted by (pair, hash); equal neighbours are the intersection."""
        len_a, len_b = self.starts[a + 1] - self.starts[a], self.starts[b + 1] - self.starts[b]
        pair = np.concatenate([np.repeat(np.arange(len(a)), len_a), np.repeat(np.arange(len(b)), len_b)])
        hashes = np.concatenate([self.hashes[_ranges(self.starts[a], len_a)],
                                 self.hashes[_ranges(self.starts[b], len_b)]])
        order = np.lexsort((hashes, pair))
        hashes, pair = hashes[order], pair[order]
        same = (hashes[1:] == hashes[:-1]) & (pair[1:] == pair[:-1])
        inter = np.bincount(pair[1:][same], minlength=len(a))
        union = len_a + len_b - inter
        return np.where(union > 0, inter / np.maximum(union, 1), 1.0)


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
    bands, rows = cfg.bands_rows()
    # Only documents that share a bucket with another can be in a candidate pair: rensa finds them over the
    # whole corpus, and the buckets are re-formed among them alone (a bucket keeps all its members).
    flagged = flag_bucket_sharers(sh, cfg, bands, rows, lambda f: progress(0.5 + 0.3 * f))
    sig = signatures(sh, cfg, docs=flagged, num_perm=bands * rows)
    uf = uf or UnionFind(len(texts))
    checked = confirmed = 0
    similarity: dict[tuple[int, int], float] = {}
    distinct = DistinctShingles(sh, flagged)
    no_skip = np.zeros(len(flagged), bool)
    for band_no, pairs in enumerate(candidate_pairs(sig, bands, rows, cfg.window, no_skip)):
        docs = flagged[pairs]
        apart = uf.roots_of(docs[:, 0]) != uf.roots_of(docs[:, 1])  # pairs joined already need no check
        pairs, docs = pairs[apart], docs[apart]
        sims = distinct.jaccard(pairs[:, 0], pairs[:, 1]) if len(pairs) else np.empty(0)
        for (a, b), sim in zip(docs.tolist(), sims.tolist(), strict=True):
            if uf.find(a) == uf.find(b):
                continue  # joined earlier in this batch
            checked += 1
            if sim >= cfg.threshold:
                confirmed += 1
                similarity[(min(a, b), max(a, b))] = sim
                uf.union(a, b)
        progress(0.8 + 0.2 * min(1.0, band_no / (bands * 2)))
    progress(1.0)
    return NearDuplicates(uf.groups(), checked, confirmed, similarity)
