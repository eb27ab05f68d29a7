"""Engines that run a tool's stages over the shards of a corpus: in this process, or on Ray.

A stage is a plain function of (corpus, shard index), so both engines run the same code and give the same
result. `map_shards` runs one task per shard and returns the results in shard order. `shuffle` is map →
partition → reduce: a map task yields, batch by batch, `partitions` arrays of records (2-D, one dtype and
width per partition; keyed so that equal keys land in the same partition), and one reduce task per partition
sees that partition's records from every shard.

- `LocalEngine` runs the shards one after another and appends each batch's records to one spill file per
  partition in a temporary folder, so memory holds one batch's output and then one partition, never a whole
  shard or the corpus (`partitions` grows them with the corpus).
- `RayEngine` runs map tasks on a Ray cluster (`RAY_ADDRESS`, or a local Ray started on demand); the shuffle
  is Ray's own (map tasks with `num_returns=partitions`, reduce tasks on the i-th output of each), so the
  records move through Ray's object store and only the reduce results reach the driver. The shards must be
  readable at the same path from every node (a shared file system), as with Ray Data.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import numpy as np

from tools.data.shards import BATCH_ROWS, Corpus
from tools.errors import UsageError
from tools.progress import Progress

EngineName = Literal["local", "ray"]
T = TypeVar("T")
R = TypeVar("R")
MapFn = Callable[[Corpus, int], T]
ShuffleMapFn = Callable[[Corpus, int], Iterable[list[np.ndarray]]]  # per batch: one array per partition
ReduceFn = Callable[[list[np.ndarray]], R]
_RAY_INIT = threading.Lock()
# Shard tasks go to every node, as Ray Data's reads do: by default Ray would queue them all on the node that
# holds their shared argument (the corpus), leaving the rest of a cluster idle.
_SPREAD = "SPREAD"


class Engine(Protocol):
    name: str

    def partitions(self, corpus: Corpus) -> int:
        """How many partitions a shuffle over this corpus should use on this engine."""
        ...

    def map_shards(self, fn: MapFn, corpus: Corpus, progress: Progress = ...) -> list[T]: ...

    def shuffle(self, map_fn: ShuffleMapFn, reduce_fn: ReduceFn, corpus: Corpus, partitions: int,
                progress: Progress = ...) -> list[R]: ...


class LocalEngine:
    name = "local"

    def partitions(self, corpus: Corpus) -> int:
        """Enough that each holds about one batch of rows' records (`COPILOT_BATCH_ROWS`): the reduces run in
        this process, so its memory stays flat as the corpus grows."""
        return max(16, -(-corpus.rows // BATCH_ROWS))

    def map_shards(self, fn: MapFn, corpus: Corpus, progress: Progress = lambda f: None) -> list[T]:
        results = []
        for index in range(len(corpus.shards)):
            results.append(fn(corpus, index))
            progress((index + 1) / len(corpus.shards))
        return results

    def shuffle(self, map_fn: ShuffleMapFn, reduce_fn: ReduceFn, corpus: Corpus, partitions: int,
                progress: Progress = lambda f: None) -> list[R]:
        shards = len(corpus.shards)
        layout: dict[int, tuple[np.dtype, int]] = {}  # partition → (dtype, width) of its records
        with tempfile.TemporaryDirectory(prefix="copilot-shuffle-") as spill:
            files = [Path(spill) / f"p{part}.bin" for part in range(partitions)]
            for index in range(shards):
                for parts in map_fn(corpus, index):
                    for part, records in enumerate(parts):
                        if len(records):
                            layout.setdefault(part, (records.dtype, records.shape[1]))
                            with files[part].open("ab") as out:
                                out.write(np.ascontiguousarray(records).tobytes())
                progress(0.8 * (index + 1) / shards)
            results = []
            for part in range(partitions):
                if part in layout:
                    dtype, width = layout[part]
                    records = [np.fromfile(files[part], dtype).reshape(-1, width)]
                    files[part].unlink()
                else:
                    records = []
                results.append(reduce_fn(records))
                progress(0.8 + 0.2 * (part + 1) / partitions)
        return results


class RayEngine:
    """Tasks on Ray: an existing cluster at RAY_ADDRESS, else a local one started on first use."""

    name = "ray"

    def __init__(self, num_cpus: int | None = None) -> None:
        self.num_cpus = num_cpus

    def partitions(self, corpus: Corpus) -> int:
        """A fixed 16: the reduces run on the workers, and Ray keeps a task's results under 100 KB in the
        caller's memory (here the driver) rather than its object store, so more partitions, hence smaller map
        outputs, would move the shuffle through the driver. A shard of 10,000 rows or more gives
        near-duplicate keys over that size per partition."""
        return 16

    def _ray(self):  # -> the ray module, connected
        import ray  # imported here: the `[scale]` extra, needed only with --engine ray

        with _RAY_INIT:  # a session's steps run in threads, and two of them may be the first to need Ray
            if not ray.is_initialized():
                address = os.environ.get("RAY_ADDRESS")
                # "local": without RAY_ADDRESS, a cluster of our own, not whichever one `ray start` left running
                ray.init(address=address or "local", num_cpus=None if address else self.num_cpus,
                         include_dashboard=False, log_to_driver=False, configure_logging=False)
        return ray

    def _wait(self, ray, refs: list, progress: Progress, lo: float, hi: float) -> None:
        pending = list(refs)
        while pending:
            _done, pending = ray.wait(pending, num_returns=1)
            progress(lo + (hi - lo) * (len(refs) - len(pending)) / len(refs))

    def map_shards(self, fn: MapFn, corpus: Corpus, progress: Progress = lambda f: None) -> list[T]:
        ray = self._ray()
        task = ray.remote(scheduling_strategy=_SPREAD)(_call)
        fn_ref, corpus_ref = ray.put(fn), ray.put(corpus)  # once, not once per task: a stage may carry arrays
        refs = [task.remote(fn_ref, corpus_ref, index) for index in range(len(corpus.shards))]
        self._wait(ray, refs, progress, 0.0, 1.0)
        return ray.get(refs)

    def shuffle(self, map_fn: ShuffleMapFn, reduce_fn: ReduceFn, corpus: Corpus, partitions: int,
                progress: Progress = lambda f: None) -> list[R]:
        ray = self._ray()
        mapper = ray.remote(num_returns=partitions, scheduling_strategy=_SPREAD)(_collect)
        reducer = ray.remote(_reduce_parts)
        fn_ref, corpus_ref = ray.put(map_fn), ray.put(corpus)
        outputs = []
        for index in range(len(corpus.shards)):
            refs = mapper.remote(fn_ref, corpus_ref, index, partitions)
            outputs.append(refs if isinstance(refs, list) else [refs])  # one partition: one ref, not a list
        self._wait(ray, [r for refs in outputs for r in refs], progress, 0.0, 0.8)
        results = [reducer.remote(reduce_fn, *[refs[part] for refs in outputs]) for part in range(partitions)]
        self._wait(ray, results, progress, 0.8, 1.0)
        return ray.get(results)


def by_partition(records: np.ndarray, hashes: np.ndarray, partitions: int) -> list[np.ndarray]:
    """A shuffle map's records split into `partitions` arrays by their key's hash (uint64), in their order
    within each: one sort, where a mask per partition would pass over the records `partitions` times."""
    part = (hashes % np.uint64(partitions)).astype(np.int64)
    order = np.argsort(part, kind="stable")
    return np.split(records[order], np.cumsum(np.bincount(part, minlength=partitions))[:-1])


def _call(fn: MapFn, corpus: Corpus, index: int) -> T:
    """A stage as a Ray task (Ray wraps functions, not partials)."""
    return fn(corpus, index)


def _collect(map_fn: ShuffleMapFn, corpus: Corpus, index: int, partitions: int) -> list[np.ndarray] | np.ndarray:
    """A shuffle's map as a Ray task: the shard's batches joined per partition (the worker's memory, not the
    driver's), returned as `partitions` objects."""
    batches: list[list[np.ndarray]] = [[] for _ in range(partitions)]
    for parts in map_fn(corpus, index):
        for part, records in enumerate(parts):
            if len(records):
                batches[part].append(records)
    joined = [np.concatenate(b) if b else np.empty((0, 0)) for b in batches]
    return joined if partitions > 1 else joined[0]


def _reduce_parts(reduce_fn: ReduceFn, *parts: np.ndarray) -> R:
    return reduce_fn([p for p in parts if len(p)])


def engine(name: EngineName | str) -> Engine:
    """The engine by name (the session's `Settings.engine`, which reads COPILOT_ENGINE)."""
    if name == "ray":
        return RayEngine()
    if name != "local":
        raise UsageError(f"unknown engine '{name}'", fix="use local or ray")
    return LocalEngine()


__all__ = ["Engine", "LocalEngine", "RayEngine", "by_partition", "engine"]
