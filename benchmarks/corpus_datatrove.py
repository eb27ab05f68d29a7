"""datatrove's MinHash deduplication over a folder of Parquet shards, as its example pipeline runs it
(signatures → buckets → clusters → filter, 14 buckets × 8 hashes, 64-bit hashes, word 5-grams), on this
machine's cores. Run by `benchmarks/corpus.py --datatrove PYTHON` with the Python of a venv that has
datatrove; prints {"removed": N} last.

    PYTHON benchmarks/corpus_datatrove.py SHARDS_DIR WORK_DIR
"""

import gzip
import json
import os
import sys
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import ParquetReader
from datatrove.pipeline.writers.jsonl import JsonlWriter
from datatrove.utils.hashing import HashConfig


def main(shards: str, work: str) -> None:
    config = MinhashConfig(hash_config=HashConfig(precision=64), num_buckets=14, hashes_per_bucket=8)
    tasks = len([p for p in Path(shards).iterdir() if p.suffix == ".parquet"])
    workers = os.cpu_count() or 1
    common = {"logging_dir": f"{work}/logs", "workers": workers}

    def reader():
        return ParquetReader(shards, text_key="text")

    signatures = LocalPipelineExecutor(pipeline=[reader(), MinhashDedupSignature(f"{work}/sigs", config=config)],
                                       tasks=tasks, **{**common, "logging_dir": f"{work}/logs/1"})
    buckets = LocalPipelineExecutor(pipeline=[MinhashDedupBuckets(f"{work}/sigs", f"{work}/buckets", config=config)],
                                    tasks=config.num_buckets, depends=signatures,
                                    **{**common, "logging_dir": f"{work}/logs/2"})
    clusters = LocalPipelineExecutor(pipeline=[MinhashDedupCluster(f"{work}/buckets", f"{work}/remove", config=config)],
                                     tasks=1, depends=buckets, **{**common, "logging_dir": f"{work}/logs/3"})
    final = LocalPipelineExecutor(pipeline=[reader(), MinhashDedupFilter(f"{work}/remove", exclusion_writer=JsonlWriter(
        f"{work}/removed")), JsonlWriter(f"{work}/kept")], tasks=tasks, depends=clusters,
        **{**common, "logging_dir": f"{work}/logs/4"})
    final.run()
    removed = 0
    for path in Path(work, "removed").glob("*.jsonl.gz"):
        with gzip.open(path, "rt") as fh:
            removed += sum(1 for _ in fh)
    print(json.dumps({"removed": removed}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
