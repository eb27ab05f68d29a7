"""A model-free verifier: what an LLM rephrasing or translation of a benchmark item keeps.

Rephrasing renames identifiers, rewords docstrings, rewrites loops and adds dummy statements; translating
to C or JavaScript changes the syntax. What survives is the content: the numbers and strings of the
examples, the words that name the task (in identifiers split at camelCase / snake_case, comments and
docstrings: "vowel", "palindrome", "prime"), and the library calls (abs, sorted, join). For text the
same holds for numbers, named entities and rare words.

Each text becomes a bag of such features, weighted by TF-IDF fitted on the benchmark's own items, so a
feature that many items share (a common word, the number 0) counts little and one that names a single
item counts much. The verifier's similarity is the cosine of those vectors (scikit-learn does the
weighting; only the feature extraction is ours: no library splits code into task words across languages).

`literal_grams` keeps the order as well: the run of literals (numbers, short strings, true / false) in the
order the code states them, as 2- and 3-grams. An example `f([1, 2, 3]) == 6` is `1 2 3 6` whether it is a
Python doctest, a JavaScript `console.log(f([1, 2, 3])); // 6` or a C array and `printf`; two different
tasks rarely list the same values in the same order.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

_CODE_TOKEN = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|`[^`\n]*`|\d+\.\d+|\d+|[A-Za-z_$][\w$]*')
_TEXT_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?")
_SUBWORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*)$")
# Language keywords and boilerplate of Python, C and JavaScript: they say nothing about the task.
_CODE_WORDS = set(keyword.kwlist) | {
    "int", "char", "float", "double", "void", "long", "short", "unsigned", "signed", "const", "static", "struct",
    "typedef", "sizeof", "include", "stdio", "stdlib", "stdbool", "malloc", "free", "printf", "main", "function",
    "let", "var", "console", "log", "true", "false", "null", "undefined", "none", "self", "def", "typing", "this",
    "new", "javascript", "python", "code", "param", "returns", "example", "examples", "output", "input"}


def _stem(word: str) -> str:
    """A crude suffix strip (counts / counting / counted → count): enough to match word forms across rewrites."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _number(token: str) -> str | None:
    try:
        value = float(token.replace(",", ""))
    except ValueError:
        return None
    if not np.isfinite(value):
        return None
    return "#" + (str(int(value)) if value == int(value) else repr(value))


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _words(token: str, stop: frozenset[str]) -> list[str]:
    return [_stem(w) for w in (p.lower() for p in _SUBWORD.findall(token)) if len(w) > 2 and w not in stop]


def code_features(text: str) -> list[str]:
    """Numbers (#2.8), short string literals ($abc), and task words from identifiers, strings and comments."""
    stop = _stop_words() | _CODE_WORDS
    out: list[str] = []
    for tok in _CODE_TOKEN.findall(text):
        if tok[0] in "\"'`":
            inner = tok[1:-1].strip()
            if 0 < len(inner) <= 20:
                out.append("$" + inner.lower())
            for part in re.findall(r"\d+(?:\.\d+)?|[A-Za-z]+", inner):
                out += [n] if (n := _number(part)) else _words(part, stop)
        elif tok[0].isdigit():
            out += [n] if (n := _number(tok)) else []
        else:
            out += _words(tok, stop)
    return out


_FORMAT = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?[a-z]|\\[nt]")  # printf formats and escapes: syntax, not data


def literals(code: str) -> list[str]:
    """The literals of code in order: numbers (2.0 → 2), strings (lowercased, up to 20 characters), true/false."""
    out: list[str] = []
    for tok in _CODE_TOKEN.findall(code):
        if tok[0] in "\"'`":
            inner = _FORMAT.sub("", tok[1:-1]).strip().lower()
            if 0 < len(inner) <= 20:
                out.append("$" + inner)
        elif tok[0].isdigit():
            out += [n] if (n := _number(tok)) else []
        elif tok.lower() in ("true", "false"):
            out.append(tok.lower())
    return out


def literal_grams(code: str) -> list[str]:
    """2- and 3-grams of `literals`: the examples' inputs and outputs, in any language."""
    lits = literals(code)
    return [" ".join(lits[i:i + n]) for n in (2, 3) for i in range(len(lits) - n + 1)]


def text_features(text: str) -> list[str]:
    """Numbers, content words, and named entities (capitalised words inside a sentence) twice over."""
    stop = _stop_words()
    out: list[str] = []
    for m in _TEXT_TOKEN.finditer(text):
        tok = m.group(0)
        if tok[0].isdigit():
            out += [n] if (n := _number(tok)) else []
            continue
        word = tok.lower()
        if len(word) > 2 and word not in stop:
            out.append(_stem(word))
            if tok[0].isupper() and not _SENTENCE_START.search(text[max(0, m.start() - 3):m.start()]):
                out.append("@" + word)
    return out


class Verifier:
    """TF-IDF over verifier features, fitted on the benchmark items; `similarity` is their cosine."""

    def __init__(self, items: Sequence[str], kind: str) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._vectorizer = TfidfVectorizer(analyzer=code_features if kind == "code" else text_features,
                                           sublinear_tf=True, dtype=np.float32)
        try:
            self.items = self._vectorizer.fit_transform(items)
        except ValueError:  # no item has a single feature: nothing to verify with
            self._vectorizer = None

    def vectors(self, texts: Sequence[str]):  # -> scipy.sparse.csr_matrix
        return self._vectorizer.transform(texts) if self._vectorizer else None

    def similarity(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts) × items) cosine similarities; zeros when the benchmark has no features."""
        if self._vectorizer is None:
            return np.zeros((len(texts), 0), np.float32)
        return np.asarray((self._vectorizer.transform(texts) @ self.items.T).todense(), dtype=np.float32)
