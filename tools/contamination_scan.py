"""Find benchmark items inside a corpus, by several methods, each with its own threshold.

- 13-gram: any shared 13-gram of normalized words (GPT-3, lm-eval-harness decontamination).
- palm-8gram: ≥ 70% of a benchmark item's 8-grams occur in the document (PaLM).
- probe-50: one of three 50-character substrings of the item occurs verbatim (GPT-4's probes).
- code-skeleton: for code, ≥ 70% of the item's 8-grams over its skeleton (identifiers → ID, string
  literals and docstrings → STR, comments dropped) occur in the document: survives renamed identifiers
  and reworded docstrings.
- embedding: the item is among a document's nearest neighbours with cosine ≥ a threshold (llm-decontaminator).
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tools.benchmark_sets import BenchmarkSet
from tools.minhash import word_token_hashes
from tools.ngrams import ngram_hashes, ngram_hashes_of
from tools.progress import Progress

PALM_SHARE = 0.7
SKELETON_SHARE = 0.7
_SKELETON_MIN_GRAMS = 12  # a shorter skeleton is too generic to call a copy
_PROBE = 50
_CHUNK = 20_000
_CODE_TOKEN = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|#[^\n]*'
                         r"|[A-Za-z_]\w*|\d+(?:\.\d+)?|[^\s\w]")
_KEEP = set(keyword.kwlist) | set(dir(builtins)) | {"self", "cls"}
_CODE_SYMBOLS = frozenset("()[]{}=<>+*/%&|^~")
_HAS_CODE_SYMBOL = re.compile(r"[()\[\]{}=<>+*/%&|^~]")


Grams = tuple[np.ndarray, np.ndarray]  # (n-gram hashes, the text each came from)


def word_grams(texts: Sequence[str], sizes: Sequence[int]) -> dict[int, Grams]:
    """Hashed word n-grams of each text, per size: the words of `normalize_loose` (NFKC, case-folded, \\w+),
    tokenised and hashed in numpy over all texts at once (`minhash.word_token_hashes`)."""
    tokens = word_token_hashes(texts)
    return {n: ngram_hashes_of(*tokens, n) for n in sizes}


def _symbol_share(tokens: list[str], n: int) -> float:
    """The share of a skeleton's distinct n-grams that hold a code symbol (a bracket or an operator)."""
    grams = {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}
    return sum(any(t in _CODE_SYMBOLS for t in g) for g in grams) / max(len(grams), 1)


def skeleton(code: str) -> list[str]:
    out = []
    for tok in _CODE_TOKEN.findall(code):
        if tok[0] in "\"'":
            out.append("STR")
        elif tok[0] == "#":
            continue
        elif (tok[0].isalpha() or tok[0] == "_") and tok not in _KEEP:
            out.append("ID")
        else:
            out.append(tok)
    return out


def probes(text: str) -> list[str]:
    flat = " ".join(text.split())
    if len(flat) < _PROBE:
        return []
    last = len(flat) - _PROBE
    return list(dict.fromkeys(flat[i:i + _PROBE] for i in (0, last // 2, last)))


@dataclass
class Match:
    row: int  # position in the scanned texts
    item: int  # position in the benchmark
    method: str
    score: float


@dataclass
class _GramTable:
    """Sorted n-gram hashes of the benchmark items, each with its item, and each item's gram count."""

    hashes: np.ndarray
    items: np.ndarray
    per_item: np.ndarray

    @classmethod
    def build(cls, grams: Grams, count: int) -> _GramTable:
        pairs = pd.DataFrame({"h": grams[0], "i": grams[1]}).drop_duplicates()
        pairs = pairs.sort_values("h", kind="stable")
        per_item = np.bincount(pairs["i"].to_numpy(), minlength=count)
        return cls(pairs["h"].to_numpy(np.uint64), pairs["i"].to_numpy(np.int64), per_item)

    def coverage(self, grams: Grams) -> pd.DataFrame:
        """Per (row, item) sharing grams: how many distinct item grams the row contains, and what share."""
        grams, row_of = grams
        lo = np.searchsorted(self.hashes, grams, side="left")
        hi = np.searchsorted(self.hashes, grams, side="right")
        hit = hi > lo
        counts = (hi - lo)[hit]
        rows = np.repeat(row_of[hit], counts)
        gram_ids = np.repeat(grams[hit], counts)
        starts = np.repeat(lo[hit], counts)
        offsets = np.arange(len(starts)) - np.repeat(np.cumsum(counts) - counts, counts)
        items = self.items[starts + offsets]
        found = pd.DataFrame({"row": rows, "item": items, "h": gram_ids}).drop_duplicates()
        out = found.groupby(["row", "item"], sort=False).size().rename("matched").reset_index()
        out["share"] = out["matched"] / self.per_item[out["item"].to_numpy()]
        return out


@dataclass
class ContaminationIndex:
    bench: BenchmarkSet
    grams13: _GramTable = field(init=False)
    grams8: _GramTable = field(init=False)
    skeleton8: _GramTable | None = field(init=False)
    probes_by_word: dict[str, list[tuple[str, int]]] = field(init=False)
    skeleton_needs_symbol: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        count = len(self.bench.texts)
        grams = word_grams(self.bench.texts, (13, 8))
        self.grams13 = _GramTable.build(grams[13], count)
        self.grams8 = _GramTable.build(grams[8], count)
        self.skeleton8 = None
        if self.bench.kind == "code":
            skeletons = [skeleton(t) for t in self.bench.texts]
            self.skeleton8 = _GramTable.build(ngram_hashes(skeletons, 8), count)
            # A row without a bracket or an operator holds none of an item's n-grams that have one. When every
            # reportable item has more than 1 - SKELETON_SHARE of its n-grams so, such a row cannot reach the
            # share, and its skeleton (the slowest part of a scan of prose) need not be made.
            shares = [_symbol_share(s, 8) for s in skeletons if len(s) - 7 >= _SKELETON_MIN_GRAMS]
            self.skeleton_needs_symbol = bool(shares) and min(shares) > 1 - SKELETON_SHARE
        # Each probe is filed under its longest whole word, so a document only tests probes it could hold.
        self.probes_by_word = defaultdict(list)
        for item, text in enumerate(self.bench.texts):
            for probe in probes(text):
                inner = re.findall(r"\w+", probe)[1:-1] or re.findall(r"\w+", probe)
                if inner:
                    self.probes_by_word[max(inner, key=len)].append((probe, item))

    def scan(self, texts: Sequence[str], progress: Progress = lambda f: None) -> list[Match]:
        matches: list[Match] = []
        for lo in range(0, len(texts), _CHUNK):
            chunk = [t if isinstance(t, str) else "" for t in texts[lo:lo + _CHUNK]]
            matches += [Match(m.row + lo, m.item, m.method, m.score) for m in self._scan_chunk(chunk)]
            progress(min(1.0, (lo + _CHUNK) / max(len(texts), 1)))
        return matches

    def _scan_chunk(self, texts: list[str]) -> list[Match]:
        grams = word_grams(texts, (13, 8))
        out = [Match(int(r.row), int(r.item), "13-gram", float(r.share))
               for r in self.grams13.coverage(grams[13]).itertuples()]
        out += [Match(int(r.row), int(r.item), "palm-8gram", float(r.share))
                for r in self.grams8.coverage(grams[8]).itertuples() if r.share >= PALM_SHARE]
        if self.skeleton8 is not None:
            rows = [r for r, t in enumerate(texts) if not self.skeleton_needs_symbol or _HAS_CODE_SYMBOL.search(t)]
            table = self.skeleton8.coverage(ngram_hashes([skeleton(texts[r]) for r in rows], 8))
            long_enough = self.skeleton8.per_item[table["item"].to_numpy()] >= _SKELETON_MIN_GRAMS
            out += [Match(rows[int(r.row)], int(r.item), "code-skeleton", float(r.share))
                    for r in table[long_enough].itertuples() if r.share >= SKELETON_SHARE]
        for row, text in enumerate(texts):
            flat = " ".join(text.split())
            hit_items = {item for word in set(re.findall(r"\w+", flat)) & self.probes_by_word.keys()
                         for probe, item in self.probes_by_word[word] if probe in flat}
            out += [Match(row, item, "probe-50", 1.0) for item in sorted(hit_items)]
        return out
