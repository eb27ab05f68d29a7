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
