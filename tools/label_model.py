"""Out-of-sample predicted probabilities for label-error detection, by K-fold cross-validation.

Tables: gradient boosting (native categorical and missing-value handling) averaged with a scaled
logistic regression. Text: TF-IDF + logistic regression, averaged with logistic regression on sentence
embeddings when an embedder is given. Each model only ever predicts rows it was not trained on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from tools.errors import UsageError
from tools.progress import Progress

VERY_LOW_QUALITY = 0.1
_MAX_CATEGORIES = 250  # a string column with more distinct values is an id or free text, not a feature
KNN_MAX_ROWS = 20_000
# Each fold's model learns from at most this many of its training rows (a seeded sample), and still predicts
# every row it holds out: past ~100k rows a 50-feature model gains little from more, and gradient boosting's
# cost grows with every row (1M × 50 took > 10 min on 2 cores with full folds; issue 16).
TRAIN_ROWS_MAX = 100_000


@dataclass
class Labels:
    """Integer-coded labels of the rows that have one; `classes[code]` is the original value."""

    codes: np.ndarray
    classes: list[object]
    positions: np.ndarray  # positions in the table of the labelled rows

    @property
    def n_classes(self) -> int:
        return len(self.classes)


def encode_labels(series: pd.Series, column: str) -> Labels:
    """Check that `series` is a class label and code it; a clear error when it is not."""
    present = series.notna().to_numpy()
    values = series[present]
    if values.empty:
        raise UsageError(f"label column '{column}' is empty", fix="pass --label with the column that holds labels")
    distinct = values.nunique()
    if distinct < 2:
        raise UsageError(f"label column '{column}' has a single class ({values.iloc[0]!r}); "
                         "label errors need at least two", fix="pass --label with the column that holds labels")
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric and distinct > 20 and not np.allclose(values, np.round(values)):
        raise UsageError(f"label column '{column}' looks like a regression target ({distinct} distinct numeric "
                         "values)", fix="label errors need class labels: bin the target or pick another column")
    if distinct > max(100, len(values) // 3):
        raise UsageError(f"label column '{column}' has {distinct:,} classes for {len(values):,} rows: more like an id "
                         "or free text than a label", fix="pass --label with the column that holds class labels")
    codes, uniques = pd.factorize(values, sort=True)
    classes = [v.item() if hasattr(v, "item") else v for v in uniques]
    return Labels(codes.astype(np.int64), classes, np.flatnonzero(present))


def feature_frame(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Numeric columns as floats, low-cardinality text as categories; other columns are dropped."""
    out = {}
    for col in columns:
        series = df[col]
        if series.nunique(dropna=True) < 2:
            continue  # empty or constant: no information, and gradient boosting cannot bin it
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            out[col] = series.astype(float)
        else:
            as_number = pd.to_numeric(series, errors="coerce")
            if as_number.notna().sum() >= 0.9 * series.notna().sum() and series.notna().any():
                out[col] = as_number  # numbers stored as text; strays become missing
            elif series.nunique() <= _MAX_CATEGORIES:
                out[col] = series.astype(str).where(series.notna()).astype("category")
    return pd.DataFrame(out, index=df.index)


def _folds(codes: np.ndarray, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedKFold

    smallest = np.bincount(codes).min()
    n_splits = max(2, min(folds, smallest)) if smallest >= 2 else min(folds, 5)
    if smallest < 2:  # stratification needs two of each class; plain shuffled folds otherwise
        from sklearn.model_selection import KFold

        return list(KFold(n_splits, shuffle=True, random_state=seed).split(codes))
    return list(StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(codes, codes))


def cross_val_probs(fit_predict: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
                    codes: np.ndarray, n_classes: int, folds: int, progress: Progress, seed: int = 0) -> np.ndarray:
    """Probabilities for every row from a model that never saw it. `fit_predict(train_idx, test_idx)`
    returns (probabilities, the class codes of their columns); training rows are capped at TRAIN_ROWS_MAX."""
    probs = np.zeros((len(codes), n_classes))
    splits = _folds(codes, folds, seed)
    rng = np.random.default_rng(seed)
    for i, (train, test) in enumerate(splits):
        if len(train) > TRAIN_ROWS_MAX:
            train = np.sort(rng.choice(train, TRAIN_ROWS_MAX, replace=False))
        fold_probs, fold_classes = fit_predict(train, test)
        probs[np.ix_(test, fold_classes)] = fold_probs
        progress((i + 1) / len(splits))
    probs += 1e-6  # a class missing from a fold's training data gets a tiny, not a zero, probability
    return probs / probs.sum(axis=1, keepdims=True)


def flag_label_issues(codes: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(flagged, label quality). Confident learning (prune by noise rate), plus labels the models all but
    rule out: confident learning misses some when the models are very sure elsewhere (high per-class
    thresholds); the 0.1 floor was chosen on benchmarks/label_issues.py. Only rows whose most likely
    class differs from the given one are flagged."""
    from cleanlab.filter import find_label_issues
    from cleanlab.rank import get_label_quality_scores

    quality = get_label_quality_scores(codes, probs)
    flagged = find_label_issues(codes, probs, filter_by="prune_by_noise_rate") | (quality < VERY_LOW_QUALITY)
    return flagged & (probs.argmax(axis=1) != codes), quality


def knn_probs(vectors: np.ndarray, labels: Labels, k: int = 10) -> np.ndarray:
    """Leave-one-out k-NN votes, weighted by closeness: one fit, each row voted on by its neighbours only."""
    from sklearn.neighbors import NearestNeighbors

    n = len(vectors)
    k = min(k, n - 1)
    dist, idx = NearestNeighbors(n_neighbors=k + 1).fit(vectors).kneighbors(vectors)
    weights = 1.0 / (dist + 1e-6)
    is_self = idx == np.arange(n)[:, None]
    weights[is_self] = 0.0
    weights[~is_self.any(axis=1), -1] = 0.0  # self displaced by exact copies: drop the farthest instead
    probs = np.zeros((n, labels.n_classes))
    np.add.at(probs, (np.repeat(np.arange(n), k + 1), labels.codes[idx].ravel()), weights.ravel())
    probs += 1e-3
    return probs / probs.sum(axis=1, keepdims=True)


def _knn_affordable(n: int) -> bool:
    return n <= KNN_MAX_ROWS  # all-pairs neighbours grow with n²


def tabular_probs(features: pd.DataFrame, labels: Labels, folds: int, progress: Progress,
                  model: str = "auto") -> np.ndarray:
    """Logistic regression and k-NN, plus gradient boosting when `model` is thorough, or auto and the
    features have categories or gaps (where boosting earns its cost) or k-NN is too costly; averaged."""
    messy = any(features[c].dtype == "category" for c in features) or bool(features.isna().any().any())
    fast = model == "fast" or (model == "auto" and not messy and _knn_affordable(len(features)))
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    y = labels.codes
    numeric = [c for c in features.columns if features[c].dtype != "category"]
    categorical = [c for c in features.columns if features[c].dtype == "category"]
    prep = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler()), numeric),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore",
                                                                                     sparse_output=False)),
         categorical)])
    scaled = prep.fit_transform(features)  # unsupervised: scaling on all rows leaks no label

    def linear(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        model = LogisticRegression(max_iter=2000).fit(scaled[train], y[train])
        return model.predict_proba(scaled[test]), model.classes_

    def boosted(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        model = HistGradientBoostingClassifier(categorical_features="from_dtype", max_iter=100,
                                               early_stopping=True, random_state=0)
        # One OpenMP thread: audit steps already run in parallel threads, and OpenMP teams spinning beside
        # them were seen to make this fit 20 times slower (Titanic: 150 s instead of 5).
        with threadpool_limits(limits=1, user_api="openmp"):
            model.fit(features.iloc[train], y[train])
            return model.predict_proba(features.iloc[test]), model.classes_

    share = 0.5 if fast else 0.25
    parts = [cross_val_probs(linear, y, labels.n_classes, folds, lambda f: progress(share * f))]
    if _knn_affordable(len(y)):
        parts.append(knn_probs(scaled, labels))
    if not fast:
        parts.append(cross_val_probs(boosted, y, labels.n_classes, folds, lambda f: progress(0.3 + 0.7 * f)))
    progress(1.0)
    return sum(parts) / len(parts)


def embedding_probs(embeddings: np.ndarray, labels: Labels, folds: int, progress: Progress) -> np.ndarray:
    """Logistic regression and k-NN on dense embeddings, averaged."""
    from sklearn.linear_model import LogisticRegression

    y = labels.codes

    def linear(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        model = LogisticRegression(max_iter=2000, C=1.0).fit(embeddings[train], y[train])
        return model.predict_proba(embeddings[test]), model.classes_

    parts = [cross_val_probs(linear, y, labels.n_classes, folds, progress)]
    if _knn_affordable(len(y)):
        parts.append(knn_probs(embeddings, labels))
    return sum(parts) / len(parts)


def text_probs(texts: list[str], labels: Labels, folds: int, progress: Progress) -> np.ndarray:
    """TF-IDF (words and word pairs) + logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    y = labels.codes
    tfidf = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2), max_features=200_000)
    matrix = tfidf.fit_transform(texts)  # unsupervised: fitting on all rows leaks no label

    # liblinear is 3× faster than lbfgs on sparse binary problems at the same F1 (benchmarks/RESULTS.md);
    # with more classes it fits one model per class, so lbfgs' single multinomial fit wins there.
    solver = "liblinear" if labels.n_classes == 2 else "lbfgs"

    def lexical(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        model = LogisticRegression(max_iter=2000, C=4.0, solver=solver).fit(matrix[train], y[train])
        return model.predict_proba(matrix[test]), model.classes_

    return cross_val_probs(lexical, y, labels.n_classes, folds, progress)
