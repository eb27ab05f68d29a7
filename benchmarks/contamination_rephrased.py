"""Real LLM rephrasings of HumanEval (Yang et al. 2023, Table 6), found by which method?

    .venv/bin/python benchmarks/contamination_rephrased.py DATA_DIR [--negatives 2000] [--languages python c js]

DATA_DIR holds humaneval_{python,c,js}.jsonl (line i rephrases HumanEval/i; empty lines skipped), as in
lm-sys/llm-decontaminator's data/rephrase/. It is read, never copied.

Pair protocol (the paper's): each non-empty rephrasing paired with its own item is a positive, and paired
with another item (a fixed random derangement) a negative; the "verbatim" column pairs each item with
itself and with another item. Row protocol: the rephrasings hidden among real, unrelated functions
(`code_corpus`: site-packages Python via `ast`, C and JavaScript that packages and npm ship), scanned as
the tool scans a dataset; recall over the rephrasings, false positives over the unrelated functions.
The paper's baseline (MiniLM embeddings, cosine ≥ 0.6) is run with the same all-MiniLM-L6-v2 model.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import warnings
from pathlib import Path

import numpy as np
from code_corpus import FUNCTIONS  # benchmarks/ is on sys.path when this script runs

from tools.benchmark_sets import BenchmarkSet, load
from tools.contamination_rephrase import QUANTILES, RephraseIndex, _threshold, decide
from tools.contamination_scan import ContaminationIndex
from tools.embeddings import SentenceTransformerEmbedder

LANGUAGES = ("python", "c", "js")
NGRAM_METHODS = ("13-gram", "palm-8gram", "probe-50", "code-skeleton")
VIEWS = ("embedding", "prose", "embedding+skeleton", "verifier", "literals")
PAPER_COSINE = 0.6


def rephrasings(folder: Path, language: str) -> dict[int, str]:
    path = folder / f"humaneval_{language}.jsonl"
    if not path.exists():
        raise SystemExit(f"error: {path} not found (DATA_DIR must hold humaneval_{{python,c,js}}.jsonl)")
    lines = path.read_text(encoding="utf-8").splitlines()
    return {i: t for i, line in enumerate(lines) if (t := json.loads(line)["text"]).strip()}


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / max(2 * tp + fp + fn, 1)


def pair_protocol(bench: BenchmarkSet, index: RephraseIndex, texts: list[str], own: list[int]) -> dict[str, float]:
    """F1 per method over positives (text, its item) and negatives (text, another item)."""
    rng = random.Random(0)
    other = own[:]
    while any(a == b for a, b in zip(own, other, strict=True)):
        rng.shuffle(other)
    rows, items = np.arange(2 * len(texts)) % len(texts), np.array(own + other)
    truth = np.array([True] * len(texts) + [False] * len(texts))
    matrices, thresholds = index.all_views(texts)
    views = {v: sims[rows, items] for v, sims in matrices.items()}
    ngram = {(m.row, m.item, m.method) for m in ContaminationIndex(bench).scan(texts)}
    flagged = {v: views[v] >= thresholds[v] for v in views}
    for method in NGRAM_METHODS:
        flagged[method] = np.array([(r, i, method) in ngram for r, i in zip(rows, items, strict=True)])
    flagged["paper baseline: embedding ≥ 0.6"] = views["embedding"] >= PAPER_COSINE
    flagged["shipped (any method)"] = np.any([flagged[m] for m in (*NGRAM_METHODS, *views)], axis=0)
    return {m: f1(int((f & truth).sum()), int((f & ~truth).sum()), int((~f & truth).sum())) for m, f in flagged.items()}


def row_protocol(bench: BenchmarkSet, index: RephraseIndex, found: dict[int, str], negatives: list[str],
                 full: bool) -> tuple[list[str], dict]:
    rng = random.Random(0)
    corpus = [(text, item) for item, text in found.items()] + [(text, None) for text in negatives]
    rng.shuffle(corpus)
    texts = [t for t, _ in corpus]
    truth = [item for _, item in corpus]
    t0 = time.perf_counter()
    ngram = ContaminationIndex(bench).scan(texts)
    t_ngram = time.perf_counter() - t0
    t0 = time.perf_counter()
    candidates = index.candidates(texts)
    t_views = time.perf_counter() - t0
    rows: dict[str, dict[int, int]] = {m: {} for m in (*NGRAM_METHODS, *VIEWS)}
    for m in ngram:
        rows[m.method].setdefault(m.row, m.item)
    for m in decide(candidates):
        rows[m.method].setdefault(m.row, m.item)
    shipped = {}
    for method in rows:
        for row, item in rows[method].items():
            shipped.setdefault(row, item)
    rows["shipped (any method)"] = shipped
    embedded = set(np.flatnonzero(index.first_stage(texts, index.fit(texts))).tolist())
    if full:  # the paper's baseline needs every row embedded, which the first stage avoids
        sims = index.views(texts)["embedding"]
        rows["paper baseline: embedding ≥ 0.6"] = {r: int(sims[r].argmax()) for r in range(len(texts))
                                                   if sims[r].max() >= PAPER_COSINE}
    report = {}
    positives = sum(1 for t in truth if t is not None)
    for method, hits in rows.items():
        tp = sum(1 for r in hits if truth[r] is not None)
        fp = sum(1 for r in hits if truth[r] is None)
        wrong = sum(1 for r, item in hits.items() if truth[r] is not None and truth[r] != item)
        report[method] = {"recall": tp / positives, "fp": fp, "fp_per_1000": 1000 * fp / len(negatives),
                          "f1": f1(tp, fp, positives - tp), "wrong_item": wrong}
    report["_first_stage"] = {"rephrasings kept": sum(1 for r in embedded if truth[r] is not None) / positives,
                              "negatives embedded": sum(1 for r in embedded if truth[r] is None) / len(negatives)}
    report["_seconds"] = {"n-gram methods": t_ngram, "views (incl. embedding)": t_views, "rows": len(texts)}
    return texts, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--negatives", type=int, default=2000, help="unrelated real functions per language")
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    parser.add_argument("--baseline", action="store_true", help="embed every row for the paper's baseline (slow)")
    args = parser.parse_args()
    if not args.data_dir.is_dir():
        raise SystemExit(f"error: {args.data_dir} is not a folder")
    warnings.filterwarnings("ignore")
    bench = load("humaneval")
    embedder = SentenceTransformerEmbedder()
    index = RephraseIndex(bench, embedder)
    sims = index._all_item_sims(index.fit(bench.texts))
    print(f"thresholds (pairs of different HumanEval items, all-MiniLM-L6-v2) at {QUANTILES['code']}: "
          + "; ".join(f"{v}: " + " / ".join(f"{_threshold(s, role, v, 'code'):.3f}" for role in QUANTILES["code"])
                      for v, s in sims.items()))
    t0 = time.perf_counter()
    embedder.embed(bench.texts)
    speed = len(bench.texts) / (time.perf_counter() - t0)
    print(f"embedding speed (HumanEval items, all-MiniLM-L6-v2, CPU): {speed:.1f} docs/s")
    pair = {"verbatim": pair_protocol(bench, index, bench.texts, list(range(len(bench.texts))))}
    rows = {}
    for language in args.languages:
        found = rephrasings(args.data_dir, language)
        pair[language] = pair_protocol(bench, index, list(found.values()), list(found))
        negatives = FUNCTIONS[language](args.negatives)
        _, rows[language] = row_protocol(bench, index, found, negatives, args.baseline)
        print(f"{language}: {len(found)} rephrasings + {len(negatives)} unrelated functions; pair F1 "
              f"{json.dumps({m: round(v, 3) for m, v in pair[language].items()})}; rows "
              f"{json.dumps({m: round(v['f1'], 3) for m, v in rows[language].items() if not m.startswith('_')})}",
              flush=True)
    methods = list(next(iter(pair.values())))
    print("\nPair protocol (F1)\n\n| method | " + " | ".join(pair) + " |\n|---|" + "---|" * len(pair))
    for m in methods:
        print(f"| {m} | " + " | ".join(f"{pair[c][m]:.3f}" for c in pair) + " |")
    print("\nRow protocol\n\n| method | " + " | ".join(f"{lang} recall | {lang} FP/1000 | {lang} F1" for lang in rows)
          + " |\n|---|" + "---|---|---|" * len(rows))
    for m in (m for m in next(iter(rows.values())) if not m.startswith("_")):
        print(f"| {m} | " + " | ".join(f"{r[m]['recall']:.3f} | {r[m]['fp_per_1000']:.1f} | {r[m]['f1']:.3f}"
                                       if m in r else "– | – | –" for r in rows.values()) + " |")
    for lang, r in rows.items():
        s = r["_seconds"]
        print(f"\n{lang}: first stage kept {r['_first_stage']['rephrasings kept']:.3f} of rephrasings and embedded "
              f"{r['_first_stage']['negatives embedded']:.3f} of unrelated rows; {s['rows']} rows: n-gram methods "
              f"{s['n-gram methods']:.1f} s, views {s['views (incl. embedding)']:.1f} s "
              f"({s['rows'] / s['views (incl. embedding)']:.1f} rows/s); wrong item (shipped): "
              f"{r['shipped (any method)']['wrong_item']}")


if __name__ == "__main__":
    main()
