"""Contamination benchmark: HumanEval hidden in real code, found by which method?

    .venv/bin/python benchmarks/contamination.py            # recall per edit type and false positives
    .venv/bin/python benchmarks/contamination.py --scale    # 1,000,000 documents vs 10,000 items: time, memory

Corpus: every top-level function of 5+ lines in the Python standard library's own sources (real code a
package ships), plus the 164 HumanEval items (prompt + canonical solution) planted four ways: verbatim,
with renamed identifiers (function, arguments and locals, via `ast`), with reworded docstrings, and both.
Compared: plain 13-gram overlap (lm-eval-harness decontamination), each of our methods, and our union.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import random
import re
import resource
import sysconfig
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np

from tools.benchmark_sets import BenchmarkSet, load
from tools.contamination_scan import ContaminationIndex

EDITS = ("verbatim", "renamed identifiers", "reworded docstring", "both")
_SYNONYMS = {"return": "give back", "returns": "gives back", "given": "provided", "list": "sequence",
             "numbers": "values", "number": "value", "string": "text", "strings": "texts", "check": "determine",
             "if": "whether", "each": "every", "the": "this", "of": "from", "in": "within", "is": "happens to be",
             "function": "routine", "write": "implement", "input": "argument", "integer": "whole number",
             "elements": "items", "element": "item", "that": "which", "all": "every one of the", "and": "as well as"}


def stdlib_functions(limit: int = 4000) -> list[str]:
    root = Path(sysconfig.get_paths()["stdlib"])
    out: list[str] = []
    for path in sorted(root.glob("*.py")):
        source = path.read_text(encoding="utf-8", errors="ignore")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno >= 4:
                out.append(ast.get_source_segment(source, node) or "")
        if len(out) >= limit:
            break
    return [f for f in out if f][:limit]


class _Renamer(ast.NodeTransformer):
    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def _new(self, old: str) -> str:
        if old in dir(builtins) or old in ("self", "cls") or old.startswith("__"):
            return old
        return self.names.setdefault(old, f"v{len(self.names)}_{old[::-1][:3]}")

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.name = self._new(node.name)
        for a in node.args.args + node.args.kwonlyargs:
            a.arg = self._new(a.arg)
        self.generic_visit(node)
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.names or isinstance(node.ctx, ast.Store):
            node.id = self._new(node.id)
        return node


def rename(code: str) -> str:
    tree = ast.parse(code)
    renamer = _Renamer()
    for _ in range(2):  # second pass renames uses that appear before their assignment
        tree = renamer.visit(tree)
    return ast.unparse(tree)


def reword(code: str, rng: random.Random) -> str:
    """Replace the docstring with a reworded one: synonyms, doctest examples dropped, sentences reordered."""
    match = re.search(r'("""|\'\'\')([\s\S]*?)\1', code)
    if not match:
        return code
    body = match.group(2)
    prose = [line.strip() for line in body.splitlines() if (line.strip() and not line.strip().startswith(">>>")
             and not re.match(r"^[\w\[\]'\"., -]+$", line.strip())) or line.strip().endswith(".")]
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(prose)) or [body]
    rng.shuffle(sentences)
    words = " ".join(sentences).split()
    new = " ".join(_SYNONYMS.get(w.lower(), w) for w in words).replace('"', "'").replace("\\", "")
    return code[: match.start()] + '"""' + new + '"""' + code[match.end():]


def corpus(seed: int = 0) -> tuple[list[str], dict[int, tuple[str, int]]]:
    rng = random.Random(seed)
    bench = load("humaneval")
    texts = stdlib_functions()
    truth: dict[int, tuple[str, int]] = {}
    for item, code in enumerate(bench.texts):
        for edit in EDITS:
            variant = {"verbatim": code, "renamed identifiers": rename(code),
                       "reworded docstring": reword(code, rng), "both": rename(reword(code, rng))}[edit]
            truth[len(texts)] = (edit, item)
            texts.append(variant)
    order = list(range(len(texts)))
    rng.shuffle(order)
    shuffled = [texts[i] for i in order]
    truth = {order.index(i): v for i, v in truth.items()}
    return shuffled, truth


def quality() -> None:
    warnings.filterwarnings("ignore")
    texts, truth = corpus()
    bench = load("humaneval")
    t0 = time.perf_counter()
    matches = ContaminationIndex(bench).scan(texts)
    seconds = time.perf_counter() - t0
    own: dict[str, set[int]] = defaultdict(set)  # planted rows matched to their own item
    clean_hits: dict[str, set[int]] = defaultdict(set)  # clean rows matched to anything: false positives
    other_item: dict[str, set[int]] = defaultdict(set)  # planted rows also matched to another item
    for m in matches:
        if m.row not in truth:
            clean_hits[m.method].add(m.row)
        elif truth[m.row][1] == m.item:
            own[m.method].add(m.row)
        else:
            other_item[m.method].add(m.row)
    for table in (own, clean_hits, other_item):
        table["ours: any method"] = set().union(*table.values()) if table else set()
    clean = len(texts) - len(truth)
    print(f"corpus: {clean} clean stdlib functions + {len(truth)} planted HumanEval variants "
          f"({len(truth) // len(EDITS)} per edit type); scan {seconds:.1f} s\n")
    print("| method | " + " | ".join(f"recall: {e}" for e in EDITS)
          + " | false positives (clean code) | planted rows also matched to another item |")
    print("|" + "---|" * (len(EDITS) + 3))
    for method in ("13-gram", "palm-8gram", "probe-50", "code-skeleton", "ours: any method"):
        recall = [sum(1 for r, (e, _) in truth.items() if e == edit and r in own[method]) / (len(truth) / len(EDITS))
                  for edit in EDITS]
        label = "plain 13-gram overlap (lm-eval)" if method == "13-gram" else method
        print(f"| {label} | " + " | ".join(f"{x:.1%}" for x in recall)
              + f" | {len(clean_hits[method])} | {len(other_item[method])} |")


def scale(n_docs: int = 1_000_000, n_items: int = 10_000) -> None:
    rng = np.random.default_rng(0)
    vocab = np.array([f"w{i}" for i in range(30_000)])
    p = 1 / np.arange(1, len(vocab) + 1)
    p /= p.sum()
    items = [" ".join(row) for row in vocab[rng.choice(len(vocab), size=(n_items, 40), p=p)]]
    bench = BenchmarkSet("synthetic", "text", [f"item/{i}" for i in range(n_items)], items)
    docs = [" ".join(row) for row in vocab[rng.choice(len(vocab), size=(n_docs, 50), p=p)]]
    for k, i in enumerate(rng.choice(n_items, 1000, replace=False)):
        docs[k * 997 % n_docs] = "intro words here " + items[i]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    index = ContaminationIndex(bench)
    matches = index.scan(docs)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = {m.row for m in matches if m.method != "13-gram" or m.score > 0.5}
    print(f"| {n_docs:,} docs × 50 words vs {n_items:,} items | {seconds:.0f} s ({n_docs / seconds:,.0f} docs/s) | "
          f"peak RSS {peak:,.0f} MB (corpus {before:,.0f} MB) | {len(rows):,} rows matched (1,000 planted) |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", action="store_true")
    parser.add_argument("--rows", type=int, default=1_000_000, help="with --scale: documents scanned")
    args = parser.parse_args()
    scale(args.rows) if args.scale else quality()
