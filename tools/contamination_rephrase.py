"""Rephrasings and translations of benchmark items: nearest-item candidates, decided by calibrated views.

Each row's nearest benchmark items in each view (a small top-k per view) are its candidates: a translation
to C can be far from its item by embedding and near by its examples' literals, or the other way round. A
candidate pair is compared in several views, each with its own similarity:

- embedding: cosine of sentence embeddings (all-MiniLM-L6-v2, or the lexical fallback);
- multilingual: cosine of Universal Sentence Encoder multilingual embeddings, for text, when installed;
- prose: for code, the embedding of its natural-language parts alone (docstrings, comments, the prose
  around a fenced block), which a rephrasing or translation paraphrases but keeps in meaning;
- embedding+skeleton: for code, the mean of the embedding cosine and the cosine of TF-IDF vectors over
  4-grams of the code skeleton (identifiers, strings and numbers abstracted; comments and `pass` dropped),
  which rewording and renaming leave alone;
- verifier: the model-free content check of `contamination_verify` (example numbers and strings, task
  words, named entities), its TF-IDF fitted on the benchmark and the scanned rows together, so that a
  word common in the data (`add`, `get`) does not count as evidence;
- literals: for code, TF-IDF (fitted the same way) over 2- and 3-grams of the literals in order
  (`contamination_verify.literal_grams`): the examples' inputs and outputs, which a translation to
  another language states in its own syntax but in the same order.

No threshold is guessed: each view's threshold is a quantile of the similarities of *different* items of
the same benchmark (`QUANTILES`). Distinct items of one benchmark share its style and
topics, so they are the hardest negatives one can have without labelled data, and the calibration is
made per benchmark, per view and per embedder. A pair is flagged when one view passes its threshold and a
second view agrees (reaches its "agree" threshold): a single view's tail is not enough. The one exception is
a text row in another language than the items (few of the items' commonest words), which only the
multilingual view can see: it is flagged when that view alone is closer to an item than any item is to its
nearest other item. Per kind: code
rows are mostly other code, far from a benchmark's narrow style, so code thresholds are quantiles over all
pairs of items; text rows are usually the same kind of text as the items (training questions beside test
questions), so a row's best match competes like an item's nearest sibling, and text thresholds are
quantiles of each item's similarity to its nearest other item. Two text items that share more than half of
their words (a catalogue's templated variants: "less than" / "greater than") are one item written twice,
not different items: they are left out of each other's nearest, or one such pair per item would put the
thresholds near 1 and switch the check off.

Text similarities are read locally (`_local`): each one less the mean of its row's `NEIGHBOURS` highest, for
the scanned rows and the items alike (the row half of CSLS, Conneau et al. 2018). Scanned rows are often in
another register than the items (plain rewordings of formal items, answers beside questions): all their
similarities sit lower, or higher, than the items' among themselves, and a threshold calibrated on the items
would not carry over; read against each row's own neighbourhood, it does. And a row that is close to many
items (a generic sentence, one on a frequent topic) needs to stand out from them to count. Rows in another
language than the items are read as measured (see `candidates`). For text the
verifier only agrees, never decides: shared names, numbers and rare words say what a text is about, and two
different statements about the same people share them.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tools import benchmark_sets
from tools.benchmark_sets import BenchmarkSet
from tools.contamination_scan import Match, skeleton
from tools.contamination_verify import code_features, literal_grams, text_features
from tools.embeddings import Embedder, multilingual_embedder, static_embedder

CANDIDATES = 5  # items per row and view compared further
NEIGHBOURS = 10  # text: a similarity is read against the mean of its row's 10 highest (CSLS's k)
QUANTILES = {  # role → quantile; "strict" flags, "agree" confirms, "loose" sends to a judge, "first" embeds code
    "code": {"strict": 0.998, "loose": 0.95, "first": 0.75, "agree": 0.98},  # of all pairs of items
    "text": {"strict": 0.99, "loose": 0.5, "first": 0.0, "agree": 0.9},  # of each item's nearest other item
}
_MIN_ITEMS = 25  # with fewer items the quantiles cannot be estimated: the values below are used
# ... as measured on HumanEval (164 items, all-MiniLM-L6-v2, code quantiles), in the order of QUANTILES["code"];
# `benchmarks/contamination_rephrased.py` prints them. Multilingual: the embedding's, not measured apart.
_SMALL_BENCHMARK = {"embedding": (0.71, 0.51, 0.38, 0.58), "prose": (0.67, 0.46, 0.32, 0.53),
                    "embedding+skeleton": (0.47, 0.30, 0.21, 0.34), "verifier": (0.46, 0.18, 0.08, 0.24),
                    "literals": (0.35, 0.13, 0.03, 0.19), "multilingual": (0.71, 0.51, 0.38, 0.58)}
_CHUNK = 4096
_FUNCTION_WORDS = 50  # the items' commonest words, which tell their language
_TOKEN = re.compile(r"(?u)\b\w+\b")
_NOISE = re.compile(r"^\s*pass\s*$", re.M)  # dummy statements "to bypass n-gram checks"
_PROSE = re.compile(r'"""([\s\S]*?)"""|\'\'\'([\s\S]*?)\'\'\'|/\*([\s\S]*?)\*/|//([^\n]*)'
                    r"|#(?!include|define|if|endif|pragma)([^\n]*)")
_FENCED = re.compile(r"```[\s\S]*?(?:```|$)")


def prose(code: str) -> str:
    """The natural-language parts of code: docstrings, comments, and any prose around a fenced block."""
    parts = [next(g for g in m.groups() if g is not None) for m in _PROSE.finditer(code)]
    if "```" in code:
        parts.append(_FENCED.sub(" ", code))
    return " ".join(re.sub(r"^\s*[*>]+", " ", " ".join(parts), flags=re.M).split())


def _skeleton_grams(code: str) -> list[str]:
    toks = [t for t in skeleton(_NOISE.sub("", code)) if t != "pass"]
    return [" ".join(toks[i:i + 4]) for i in range(len(toks) - 3)]


def _tfidf(analyzer, fit_on: Sequence[str]):  # -> TfidfVectorizer | None
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32)
    try:
        vectorizer.fit(fit_on)
    except ValueError:  # not one feature in any text
        return None
    return vectorizer


def _cached_vectors(texts: list[str], embedder: Embedder) -> np.ndarray:
    """The benchmark's item vectors, computed once per content and embedder (derived data, rebuilt at will)."""
    key = hashlib.sha256("\x1f".join([embedder.name, *texts]).encode()).hexdigest()[:32]
    path = benchmark_sets.home() / "vectors" / f"{key}.npy"
    if path.exists():
        return np.load(path)
    from tools.atomic import atomic_write_bytes

    vectors = embedder.embed(texts)
    buffer = io.BytesIO()
    np.save(buffer, vectors)
    atomic_write_bytes(path, buffer.getvalue())
    return vectors


def _prose_vectors(texts: list[str], embedder: Embedder, dim: int, cached: bool = False) -> np.ndarray:
    """Embeddings of prose; zero vectors for code without any, so that it is similar to nothing."""
    has = [i for i, t in enumerate(texts) if len(t.split()) >= 3]
    out = np.zeros((len(texts), dim), np.float32)
    if has:
        chosen = [texts[i] for i in has]
        out[has] = _cached_vectors(chosen, embedder) if cached else embedder.embed(chosen)
    return out


def _threshold(item_sims: np.ndarray, role: str, view: str, kind: str) -> float:
    """The similarity that only 1 - QUANTILES[kind][role] of different-item pairs (code) or of items' nearest
    other items (text) reach in this view."""
    n = len(item_sims)
    if n < _MIN_ITEMS:
        return _SMALL_BENCHMARK[view][list(QUANTILES["code"]).index(role)]
    if kind == "code":
        values = item_sims[np.triu_indices(n, 1)]
    else:
        values = np.where(np.eye(n, dtype=bool), -np.inf, item_sims).max(axis=1)
        values = values[np.isfinite(values)] if np.isfinite(values).any() else np.zeros(1)
    return float(np.quantile(values, QUANTILES[kind][role]))


def _local(sims: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """Each similarity less the mean of its row's k highest; -inf entries (an item itself, its near copies) are
    left out of that mean."""
    top = np.sort(sims, axis=1)[:, -k:]
    finite = np.isfinite(top)
    centre = np.where(finite, top, 0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)
    return sims - centre[:, None]


def _cosines(rows, items) -> np.ndarray:
    product = rows @ items.T
    return np.asarray(product.todense() if hasattr(product, "todense") else product, dtype=np.float32)


def _near_copies(texts: Sequence[str]) -> np.ndarray:
    """(items × items) True where two items share more than half of their words (Jaccard of word sets)."""
    from sklearn.feature_extraction.text import CountVectorizer

    try:
        words = CountVectorizer(binary=True, token_pattern=r"\w+", dtype=np.float32).fit_transform(texts)
    except ValueError:
        return np.zeros((len(texts), len(texts)), dtype=bool)
    shared = _cosines(words, words)  # binary vectors: the product counts shared words
    sizes = np.asarray(words.sum(axis=1), dtype=np.float32).ravel()
    union = sizes[:, None] + sizes[None, :] - shared
    return (shared > 0.5 * union) & ~np.eye(len(texts), dtype=bool)


@dataclass
class Candidate:
    row: int
    item: int
    scores: dict[str, float]  # view → similarity (cosine, as measured; text decides on it read locally)
    passed: list[str]  # views whose threshold it reaches
    excess: float  # how far past its threshold the best view is (negative: none passed)


@dataclass
class _Bars:
    """One reading's thresholds per view: strict decides, loose keeps a candidate, agree confirms a second view,
    alone decides without one."""
    strict: dict[str, float]
    loose: dict[str, float]
    agree: dict[str, float]
    alone: dict[str, float]


@dataclass
class RephraseIndex:
    bench: BenchmarkSet
    embedder: Embedder
    first: bool = True  # a static first stage for text, where its model is installed (False: every row embedded)
    items: dict[str, np.ndarray] = field(init=False)  # dense item vectors per embedding view
    thresholds: dict[str, float] = field(init=False)  # strict, as rows in the items' language are read

    def __post_init__(self) -> None:
        self.items = {"embedding": _cached_vectors(self.bench.texts, self.embedder)}
        if self.bench.kind == "text" and (multi := multilingual_embedder()) is not None:
            self._multi = multi
            self.items["multilingual"] = _cached_vectors(self.bench.texts, multi)
        if self.bench.kind == "code":
            self.items["prose"] = _prose_vectors([prose(t) for t in self.bench.texts], self.embedder,
                                                 self.items["embedding"].shape[1], cached=True)
        self._skeleton = _tfidf(_skeleton_grams, self.bench.texts) if self.bench.kind == "code" else None
        self._skeleton_items = self._skeleton.transform(self.bench.texts) if self._skeleton else None
        sims = {view: _cosines(vectors, vectors) for view, vectors in self.items.items()}
        if self._skeleton_items is not None:
            sims["embedding+skeleton"] = (sims["embedding"] + _cosines(self._skeleton_items, self._skeleton_items)) / 2
        self._item_sims = sims
        self._copies = _near_copies(self.bench.texts) if self.bench.kind == "text" else None
        # The fixed thresholds of a small benchmark are raw cosines; with fewer items than neighbours, no neighbourhood.
        self._reads_locally = self.bench.kind == "text" and len(self.bench.texts) >= _MIN_ITEMS
        self.thresholds = self._bars({}, None, self._reads_locally).strict
        # The first stage's IDF comes from the items alone: a row is kept or not whatever rows are scanned beside it
        # (a table and its shards agree), and the words that tell items apart weigh most. With fewer items than
        # _MIN_ITEMS, items have too few neighbours to say what is near: every row is embedded.
        self._static = static_embedder() if self.first and self._reads_locally else None
        if self._static is not None:
            self._idf = self._static.idf(self.bench.texts)
            self._static_items = self._static.embed_corpus(self.bench.texts, self._idf)
            others = self._null(_cosines(self._static_items, self._static_items), False)
            self._floor = -np.sort(-others, axis=1)[:, NEIGHBOURS - 1]  # each item's NEIGHBOURS-th nearest other

    def candidates(self, texts: Sequence[str], embedding_threshold: float | None = None) -> list[Candidate]:
        """Each row's top items in each view, scored in every view; pairs that pass no view's loose bar are
        left out."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        fitted = self.fit(texts)
        # One language test for both its readers: the multilingual view (which rows are in another language) and
        # the static first stage (which always lets them through).
        none = np.zeros(len(texts), dtype=bool)
        other = self._other_language(texts) if "multilingual" in self.items or self._static is not None else none
        foreign = other if "multilingual" in self.items else none
        # Read locally: text rows in the items' language, unless a cosine was given. A row in another language is
        # read as measured: a view of one language puts it near arbitrary items, and the neighbourhood it gets
        # there says nothing (reading translations locally found fewer of them).
        local = ~foreign if self._reads_locally and embedding_threshold is None else np.zeros(len(texts), bool)
        bars = {False: self._bars(fitted, embedding_threshold, False)}
        bars[True] = self._bars(fitted, None, True) if local.any() else bars[False]
        deciding = set(bars[False].strict) - ({"verifier"} if self.bench.kind == "text" else set())
        k = min(CANDIDATES, len(self.bench.texts))
        out: list[Candidate] = []
        for lo in range(0, len(texts), _CHUNK):
            rows = lo + np.flatnonzero(self.first_stage(texts[lo:lo + _CHUNK], fitted, other[lo:lo + _CHUNK]))
            if not rows.size:
                continue
            views = self.views([texts[r] for r in rows], fitted)
            here = local[rows]
            read = ({view: np.where(here[:, None], _local(sims), sims) for view, sims in views.items()}
                    if here.any() else views)
            top = np.zeros(views["embedding"].shape, dtype=bool)
            for sims in views.values():  # each view's own top k: a translation can be far in one, near in another
                np.put_along_axis(top, np.argpartition(-sims, k - 1, axis=1)[:, :k], True, axis=1)
            excess = np.full(top.shape, -np.inf, dtype=np.float32)
            for view, sims in read.items():
                loose = np.where(here, bars[True].loose[view], bars[False].loose[view])
                excess = np.maximum(excess, sims - loose[:, None])
            for r, i in zip(*np.nonzero(top & (excess >= 0)), strict=True):
                bar = bars[bool(here[r])]
                values = {view: float(sims[r, i]) for view, sims in read.items()}
                # One deciding view past its threshold, and a second view agreeing; or, for a row in another
                # language than the items, the multilingual view alone past every item's nearest other item (no
                # other view can see a translation).
                agree = sum(v >= bar.agree[view] for view, v in values.items()) >= min(2, len(values))
                if agree:
                    passed = [view for view, v in values.items() if view in deciding and v >= bar.strict[view]]
                else:
                    passed = [view for view, v in values.items()
                              if view == "multilingual" and foreign[rows[r]] and v >= bar.alone[view]]
                out.append(Candidate(int(rows[r]), int(i), {view: round(float(sims[r, i]), 3)
                                                            for view, sims in views.items()}, passed,
                                     max(v - bar.strict[view] for view, v in values.items() if view in deciding)))
        return out

    def first_stage(self, texts: list[str], fitted: dict, other_language: np.ndarray | None = None) -> np.ndarray:
        """Which rows are worth embedding. For code, the verifier is a cheap first stage (~250 rows/s against
        the transformer's ~5-30): rows it finds nowhere near any item are not embedded. For text, the static view
        (`StaticEmbedder`, ~10k rows/s): a row in the items' language is embedded when it is as close to some item
        as that item's NEIGHBOURS-th nearest other item, i.e. it would be among that item's neighbours (a
        rephrasing keeps its item's names and content words, which that view sees; a row on other subjects is
        near no item). Each item's own bar, not one floor for all: mean word-piece vectors of any two texts in a
        language sit close, so the farthest item's nearest other is passed by most unrelated rows. A row in
        another language (`other_language`, computed here when not given) is always embedded (a translation
        shares no word pieces with its original)."""
        if self.bench.kind == "text" and self._static is not None:
            sims = self._static.embed_corpus(texts, self._idf) @ self._static_items.T
            other = self._other_language(texts) if other_language is None else other_language
            return (sims >= self._floor).any(axis=1) | other
        if "verifier" not in fitted or self.bench.kind != "code":
            return np.ones(len(texts), dtype=bool)
        vectorizer, items, item_sims = fitted["verifier"]
        floor = _threshold(item_sims, "first", "verifier", "code")
        return _cosines(vectorizer.transform(texts), items).max(axis=1) >= floor

    def views(self, texts: list[str], fitted: dict | None = None) -> dict[str, np.ndarray]:
        """(len(texts) × items) similarities in every view."""
        out = {"embedding": _cosines(self.embedder.embed(texts), self.items["embedding"])}
        if "multilingual" in self.items:
            out["multilingual"] = _cosines(self._multi.embed(texts), self.items["multilingual"])
        if "prose" in self.items:
            vectors = _prose_vectors([prose(t) for t in texts], self.embedder, self.items["prose"].shape[1])
            out["prose"] = _cosines(vectors, self.items["prose"])
        if self._skeleton is not None:
            out["embedding+skeleton"] = (out["embedding"] + _cosines(self._skeleton.transform(texts),
                                                                     self._skeleton_items)) / 2
        for view, (vectorizer, items, _) in (fitted or {}).items():
            out[view] = _cosines(vectorizer.transform(texts), items)
        return out

    def _other_language(self, texts: list[str]) -> np.ndarray:
        """Which rows are in another language than the items: a row whose share of the items' `_FUNCTION_WORDS`
        commonest words ("the", "of", "and" in English; function words in any language) is under half the items'
        median share."""
        from sklearn.feature_extraction.text import CountVectorizer

        counter = CountVectorizer(token_pattern=_TOKEN.pattern, dtype=np.float32)
        try:
            items = counter.fit_transform(self.bench.texts)
        except ValueError:
            return np.zeros(len(texts), dtype=bool)
        common = np.argsort(-np.asarray((items != 0).sum(axis=0)).ravel())[:_FUNCTION_WORDS]

        def share(matrix, texts: Sequence[str]) -> np.ndarray:  # of all words, the items' vocabulary or not
            total = np.array([len(_TOKEN.findall(t.lower())) for t in texts], dtype=np.float32)
            return np.asarray(matrix[:, common].sum(axis=1)).ravel() / np.maximum(total, 1)

        rows = share(counter.transform(texts), texts)
        has_words = np.array([bool(_TOKEN.search(t)) for t in texts])
        return has_words & (rows < 0.5 * np.median(share(items, self.bench.texts)))

    def _alone(self, sims: dict[str, np.ndarray]) -> dict[str, float]:
        """Per view, the similarity at which it decides alone: for text, above every item's similarity to its
        nearest other item (a same-kind row passes it by chance about once in len(items) + 1); never for code,
        where a translation to another language is still seen by several views, and never with fewer than
        `_MIN_ITEMS` items."""
        if self.bench.kind == "code" or len(self.bench.texts) < _MIN_ITEMS:
            return {view: np.inf for view in sims}
        n = len(self.bench.texts)
        out = {}
        for view, s in sims.items():
            nearest = np.where(np.eye(n, dtype=bool), -np.inf, s).max(axis=1)
            out[view] = float(nearest[np.isfinite(nearest)].max()) if np.isfinite(nearest).any() else np.inf
        return out

    def _null(self, item_sims: np.ndarray, local: bool) -> np.ndarray:
        """Item × item similarities as the thresholds read them: for text, near-copies of each other left out (not
        different items), and, when read locally, each less the mean of its item's nearest others."""
        if self._copies is None:
            return item_sims
        others = np.where(self._copies | np.eye(len(item_sims), dtype=bool), -np.inf, item_sims)
        return _local(others) if local else others

    def _all_item_sims(self, fitted: dict, local: bool = False) -> dict[str, np.ndarray]:
        sims = {**self._item_sims, **{view: item_sims for view, (_, _, item_sims) in fitted.items()}}
        return {view: self._null(s, local) for view, s in sims.items()}

    def _bars(self, fitted: dict, embedding_threshold: float | None, local: bool) -> _Bars:
        sims = self._all_item_sims(fitted, local)
        strict = {view: _threshold(s, "strict", view, self.bench.kind) for view, s in sims.items()}
        loose = {view: _threshold(s, "loose", view, self.bench.kind) for view, s in sims.items()}
        if embedding_threshold is not None:
            strict["embedding"] = loose["embedding"] = embedding_threshold
        agree = {view: min(strict[view], _threshold(s, "agree", view, self.bench.kind)) for view, s in sims.items()}
        return _Bars(strict, loose, agree, self._alone(sims))

    def all_views(self, texts: Sequence[str]) -> tuple[dict[str, np.ndarray], dict[str, float]]:
        """Every view's (texts × items) similarities, as the thresholds read them, and the thresholds, with no first
        stage: for the pair protocol."""
        fitted = self.fit(list(texts))
        views = self.views(list(texts), fitted)
        read = {view: _local(sims) for view, sims in views.items()} if self._reads_locally else views
        return read, self._bars(fitted, None, self._reads_locally).strict

    def fit(self, texts: list[str]) -> dict[str, tuple]:
        """The TF-IDF views, their IDF fitted on the benchmark and these rows: view → (vectorizer, item vectors,
        item × item cosines). The verifier for every kind; the literals for code."""
        analyzers = {"verifier": code_features if self.bench.kind == "code" else text_features}
        if self.bench.kind == "code":
            analyzers["literals"] = literal_grams
        out = {}
        for view, analyzer in analyzers.items():
            vectorizer = _tfidf(analyzer, [*self.bench.texts, *texts])
            if vectorizer is not None:
                item_vecs = vectorizer.transform(self.bench.texts)
                out[view] = (vectorizer, item_vecs, _cosines(item_vecs, item_vecs))
        return out


def decide(candidates: list[Candidate]) -> list[Match]:
    """The model-free decision: a row's best passing candidate, one Match per view that passed."""
    best: dict[int, Candidate] = {}
    for c in candidates:
        if c.passed and (c.row not in best or c.excess > best[c.row].excess):
            best[c.row] = c
    return [Match(c.row, c.item, view, c.scores[view]) for c in best.values() for view in c.passed]
