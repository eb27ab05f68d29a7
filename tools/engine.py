"""Engines that run a tool's stages over the shards of a corpus: in this process, or on Ray.

A stage is a plain function of (corpus, shard index), so both engines run the same code and give the same
result. `map_shards` runs one task per shard and returns the results in shard order. `shuffle` is map →
partition → reduce: each map task returns `partitions` arrays of records (keyed so that equal keys land in
the same partition), and one reduce task per partition sees that partition's records from every shard.

- `LocalEngine` runs the shards one after another and spills map output to a temporary folder, one file per
  (partition, shard), so memory holds one shard's output and then one partition, never the whole corpus.
- `RayEngine` runs map tasks on a Ray cluster (`RAY_ADDRESS`, or a local Ray started on demand); the shuffle
  is Ray's own (map tasks with `num_returns=partitions`, reduce tasks on the i-th output of each), so the
  records move through Ray's object store and only the reduce results reach the driver. The shards must be
  readable at the same path from every node (a shared file system), as with Ray Data.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import numpy as np

from tools.data.shards import Corpus
from tools.errors import UsageError
from tools.progress import Progress

EngineName = Literal["local", "ray"]
T = TypeVar("T")
R = TypeVar("R")
MapFn = Callable[[Corpus, int], T]
ShuffleMapFn = Callable[[Corpus, int], list[np.ndarray]]
ReduceFn = Callable[[list[np.ndarray]], R]


class Engine(Protocol):
    name: str

    def map_shards(self, fn: MapFn, corpus: Corpus, progress: Progress = ...) -> list[T]: ...

    def shuffle(self, map_fn: ShuffleMapFn, reduce_fn: ReduceFn, corpus: Corpus, partitions: int,
                progress: Progress = ...) -> list[R]: ...


class LocalEngine:
    name = "local"

    def map_shards(self, fn: MapFn, corpus: Corpus, progress: Progress = lambda f: None) -> list[T]:
        results = []
        for index in range(len(corpus.shards)):
            results.append(fn(corpus, index))
            progress((index + 1) / len(corpus.shards))
        return results

    def shuffle(self, map_fn: ShuffleMapFn, reduce_fn: ReduceFn, corpus: Corpus, partitions: int,
                progress: Progress = lambda f: None) -> list[R]:
        shards = len(corpus.shards)
        with tempfile.TemporaryDirectory(prefix="copilot-shuffle-") as spill:
            folder = Path(spill)
            for index in range(shards):
                for part, records in enumerate(map_fn(corpus, index)):
                    np.save(folder / f"p{part}-s{index}.npy", records, allow_pickle=False)
                progress(0.8 * (index + 1) / shards)
            results = []
            for part in range(partitions):
                results.append(reduce_fn([np.load(folder / f"p{part}-s{index}.npy") for index in range(shards)]))
                progress(0.8 + 0.2 * (part + 1) / partitions)
        return results


class RayEngine:
    """Tasks on Ray: an existing cluster at RAY_ADDRESS, else a local one started on first use."""

    name = "ray"

    def __init__(self, num_cpus: int | None = None) -> None:
        self.num_cpus = num_cpus

    def _ray(self):  # -> the ray module, connected
        import ray  # imported here: the `[scale]` extra, needed only with --engine ray

        if not ray.is_initialized():
            address = os.environ.get("RAY_ADDRESS")
            ray.init(address=address or None, num_cpus=None if address else self.num_cpus,
                     include_dashboard=False, log_to_driver=False, configure_logging=False)
        return ray

    def _wait(self, ray, refs: list, progress: Progress, lo: float, hi: float) -> None:
        pending = list(refs)
        while pending:
            _done, pending = ray.wait(pending, num_returns=1)
            progress(lo + (hi - lo) * (len(refs) - len(pending)) / len(refs))

    def map_shards(self, fn: MapFn, corpus: Corpus, progress: Progress = lambda f: None) -> list[T]:
        ray = self._ray()
        task = ray.remote(_call)
        corpus_ref = ray.put(corpus)
        refs = [task.remote(fn, corpus_ref, index) for index in range(len(corpus.shards))]
        self._wait(ray, refs, progress, 0.0, 1.0)
        return ray.get(refs)

    def shuffle(self, map_fn: ShuffleMapFn, reduce_fn: ReduceFn, corpus: Corpus, partitions: int,
                progress: Progress = lambda f: None) -> list[R]:
        ray = self._ray()
        mapper = ray.remote(num_returns=partitions)(_call)
        reducer = ray.remote(_reduce_parts)
        corpus_ref = ray.put(corpus)
        outputs = []
        for index in range(len(corpus.shards)):
            refs = mapper.remote(map_fn, corpus_ref, index)
            outputs.append(refs if isinstance(refs, list) else [refs])  # one partition: one ref, not a list
        self._wait(ray, [r for refs in outputs for r in refs], progress, 0.0, 0.8)
        results = [reducer.remote(reduce_fn, *[refs[part] for refs in outputs]) for part in range(partitions)]
        self._wait(ray, results, progress, 0.8, 1.0)
        return ray.get(results)


def _call(fn: MapFn, corpus: Corpus, index: int) -> T:
    """A stage as a Ray task (Ray wraps functions, not partials)."""
    return fn(corpus, index)


def _reduce_parts(reduce_fn: ReduceFn, *parts: np.ndarray) -> R:
    return reduce_fn(list(parts))


def engine(name: EngineName | str) -> Engine:
    """The engine by name (the session's `Settings.engine`, which reads COPILOT_ENGINE)."""
    if name == "ray":
        return RayEngine()
    if name != "local":
        raise UsageError(f"unknown engine '{name}'", fix="use local or ray")
    return LocalEngine()


__all__ = ["Engine", "LocalEngine", "RayEngine", "engine"]
