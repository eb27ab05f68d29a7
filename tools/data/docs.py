"""Read a dataset's documentation into checkable statements, each quoted with its file.

Sources: markdown / text cards (prose, YAML front matter, column tables and lists) and structured
metadata (JSON / YAML: Hugging Face `dataset_infos.json`, a `split.yaml`, a hand-written metadata file).
Only statements that name something in the data are kept where that matters (a target must be a real
column), so a README about something else yields nothing rather than noise.

Written by hand: no library turns free-form dataset cards into claims; `huggingface_hub`'s card parser
only reads the YAML header, which is used here too (through PyYAML) when there is one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

CARD_NAMES = re.compile(r"(^|/)(readme|datacard|data_card|dataset_card|datasheet|card|about|description)"
                        r"(\.md|\.txt|\.rst|\.markdown)?$", re.I)
METADATA_NAMES = re.compile(r"(^|/)[^/]*(metadata|meta|dataset_info|dataset_infos|datacard|data_card|card|info|"
                            r"schema|split|splits|croissant|datapackage|codebook|dictionary|features|columns)"
                            r"[^/]*\.(json|ya?ml)$", re.I)
LICENSE_FILES = re.compile(r"(^|/)(licen[cs]e|copying)(\.md|\.txt)?$", re.I)

AssertionKind = Literal["deduplicated", "decontaminated", "anonymised", "complete"]
SplitMethod = Literal["random", "grouped", "temporal", "stratified"]

_LICENSES = {
    "cc0-1.0": r"\bcc[- ]?0\b|public domain dedication|\bcc0-1\.0\b",
    "public-domain": r"\bpublic[- ]domain\b(?! dedication)|\bno (?:known )?copyright\b|\bthe unlicense\b",
    "cc-by-4.0": r"\bcc[- ]by[- ]4\.0\b|creative commons attribution 4\.0",
    "cc-by-sa-4.0": r"\bcc[- ]by[- ]sa[- ]4\.0\b|attribution[- ]sharealike 4\.0",
    "cc-by-nc-4.0": r"\bcc[- ]by[- ]nc[- ]4\.0\b|attribution[- ]noncommercial 4\.0",
    "cc-by-nc-sa-4.0": r"\bcc[- ]by[- ]nc[- ]sa[- ]4\.0\b|noncommercial[- ]sharealike 4\.0",
    "cc-by-3.0": r"\bcc[- ]by[- ]3\.0\b|creative commons attribution 3\.0",
    "mit": r"\bmit license\b|\blicen[cs]ed under (the )?mit\b|^\s*license:\s*mit\s*$|\bpermission is hereby granted, "
           r"free of charge",
    "apache-2.0": r"\bapache(?: license)?,? (?:version )?2\.0\b|\bapache-2\.0\b",
    "gpl-3.0": r"\bgpl[- ]?(v)?3(\.0)?\b|gnu general public license,? v(ersion )?3",
    "gpl-2.0": r"\bgpl[- ]?(v)?2(\.0)?\b|gnu general public license,? v(ersion )?2",
    "bsd-3-clause": r"\bbsd[- ]3[- ]clause\b|\b3-clause bsd\b",
    "odbl": r"\bodbl\b|open database license",
    "cdla-permissive-2.0": r"\bcdla[- ]permissive",
    "all-rights-reserved": r"\ball rights reserved\b|\bnot for (re)?distribution\b",
    "research-only": r"\b(research|academic|non-commercial) (use )?only\b",
}
# Words that make a sentence a statement about the target; the column is then found among the real columns
# the sentence mentions (a regex capture of "the word after 'is'" reads "The response is the diameter" as "the").
_TARGET_WORD = re.compile(r"\b(target|label|outcome|response(?: variable)?|dependent variable|class (?:label|variable)|"
                          r"ground truth|prediction target|variable to predict|predict(?:s|ing|ed)?|classify(?:ing)?|"
                          r"forecast(?:ing)?)\b", re.I)
_POINTS_RIGHT = re.compile(r"^\s*(?:(?:column|variable|field|attribute)\s*)?(?:is|:|=|,|\(|was|measured|of interest|"
                           r"indicates|records|which|whether|who|how|the)", re.I)
# In a column's own description, only unambiguous words: "class" or "response" alone describe many features.
_DESCRIBES_TARGET = re.compile(r"\b(target|outcome|dependent variable|response variable|label to predict|"
                               r"to be predicted|prediction target|ground truth|class label)\b", re.I)
_VALUE_MEANING = re.compile(r"(?:^|[\s(,;])[`'\"]?(?P<value>-?[\w.]{1,12})[`'\"]?\s*(?:=|:|→|->|means|for)\s*"
                            r"[`'\"]?(?P<meaning>[A-Za-z][\w\- /']{0,40}?)[`'\"]?(?=\s*(?:[,;()]|$|\band\b|\bor\b))",
                            re.I)
_RANGE = re.compile(r"(?:rang(?:e|es|ing)[:\s]+(?:from\s+)?\[?|between\s+|from\s+|in\s+\[|within\s+)"
                    r"(?P<lo>-?\d+(?:\.\d+)?)\s*(?:to|and|-|–|,)\s*(?P<hi>-?\d+(?:\.\d+)?)", re.I)
_UNIT = re.compile(r"\b(?:in|measured in|unit(?:s)?:?)\s+(?P<unit>degrees? (?:celsius|fahrenheit)|°[cf]|kg|kilograms?|"
                   r"g|grams?|lbs?|pounds?|cm|centimet(?:er|re)s?|mm|m|met(?:er|re)s?|km|kilomet(?:er|re)s?|miles?|"
                   r"inches|feet|seconds?|minutes?|hours?|days?|years?|usd|dollars?|eur|euros?|percent|%)\b", re.I)
_ENCODING = re.compile(r"\b(utf-?8|utf-?16|ascii|latin-?1|iso-?8859-?\d+|cp-?125\d|windows-?125\d|shift[_-]?jis|"
                       r"gb2312|gbk|big5|euc-?jp|euc-?kr|koi8-?r|mac-?roman)\b", re.I)
_ASSERTIONS: dict[AssertionKind, re.Pattern[str]] = {
    "deduplicated": re.compile(r"\b(de-?duplicated|duplicates? (?:were|was|have been|has been|are) removed|"
                               r"no duplicates?\b|duplicate-free|free of duplicates|(?:each|every) (?:row|record|"
                               r"example|item) is unique|removed (?:all )?(?:exact |near-)?duplicates)", re.I),
    "decontaminated": re.compile(r"\b(decontaminated|no overlap with (?:the )?(?:test|eval|benchmark)|"
                                 r"(?:removed|filtered) (?:any )?(?:overlap|items) (?:with|from|found in) "
                                 r"(?:\w+ )?(?:benchmarks?|test sets?|evaluation))", re.I),
    "anonymised": re.compile(r"\b(anonymi[sz]ed|anonymi[sz]ation|de-?identified|pseudonymi[sz]ed|"
                             r"(?:pii|personal (?:data|information)|personally identifiable information) "
                             r"(?:was|were|has been|have been|is) (?:removed|stripped|scrubbed|redacted)|"
                             r"(?:contains|includes) no (?:pii|personal (?:data|information)))", re.I),
    "complete": re.compile(r"\b(no (?:missing|null|empty|blank) (?:values|data|entries|fields|cells)|"
                           r"(?:is|are) complete(?: with no gaps)?\b|without (?:any )?missing values|"
                           r"no values? (?:are|is) missing|fully populated)", re.I),
}
_NEGATED = re.compile(r"\b(not|never|no longer|isn't|aren't|wasn't|weren't|hasn't|haven't|without)\b(\s+\w+){0,2}\s*$",
                      re.I)
_SPLIT_GROUPED = re.compile(r"\b(group(?:ed)?[- ]?(?:split|k-?fold|by|on)?|split (?:by|on|per|according to)|"
                            r"(?:no|none of the|the same) \w+ (?:appears?|occurs?|is) in (?:both|more than one)|"
                            r"disjoint|non-overlapping|held[- ]out \w+s\b|unseen \w+s\b|leave-\w+-out)", re.I)
_SPLIT_TEMPORAL = re.compile(r"\b(temporal(?:ly)? split|split (?:by|on) (?:time|date|year)|chronological(?:ly)?|"
                             r"time-based|out-of-time|(?:before|after|until|up to|from) (?:\d{4}|"
                             r"\d{4}-\d{2}(?:-\d{2})?)\b.{0,80}\b(?:test|validation|evaluation|held[- ]out)|"
                             r"(?:test|validation|evaluation)\b.{0,80}\b(?:after|later than|from|since) \d{4})", re.I)
_SPLIT_RANDOM = re.compile(r"\b(random(?:ly)? (?:split|shuffled|sampled|assigned|partitioned)|random \d+/\d+ split|"
                           r"stratified (?:random )?split)", re.I)
_SPLIT_WORDS = re.compile(r"\b(split|splits|train(?:ing)?|test|validation|partition|fold)", re.I)
_ROW_COUNT = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)\s+(rows|examples|samples|records|instances|entries|"
                        r"observations|lines|items|documents|images|sentences)\b", re.I)
_CLASS_COUNT = re.compile(r"(?<![\w.])(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(classes|categories|"
                          r"labels|class labels)\b", re.I)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*\"'])")
_TABLE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+[`*_\"']*(?P<name>[^`*_\"':—–|]{1,60}?)[`*_\"']*"
                        r"\s*(?:\([^)]{0,40}\))?\s*(?::|—|–|-|=)\s+(?P<desc>\S.*)$")
_NAME_HEADERS = {"column", "columns", "name", "field", "fields", "feature", "features", "variable", "variables",
                 "attribute", "attributes", "column name", "field name", "variable name", "key"}
_DESC_HEADERS = {"description", "meaning", "definition", "notes", "details", "explanation", "desc", "what",
                 "values", "content", "contents"}
_LABEL_VALUE_KEYS = re.compile(r"(label|class|target|outcome)_?(values|names|codes|labels|meanings?|map(ping)?|"
                               r"dictionary)|classes|labels|class_names")
_COLUMN_KEYS = {"columns", "features", "fields", "variables", "attributes", "schema", "data_dictionary",
                "column_descriptions", "dictionary", "codebook"}
_TARGET_KEYS = {"target", "label", "target_column", "label_column", "outcome", "target_variable", "class_column",
                "response", "y", "label_name", "target_name"}
_LICENSE_KEYS = {"license", "licence", "license_id", "license_name", "licenses"}
_ENCODING_KEYS = {"encoding", "charset", "file_encoding", "character_encoding"}


class Quote(BaseModel):
    """Where a statement was read: the document and the words as written there."""

    file: str
    text: str


class ColumnDoc(BaseModel):
    column: str  # as written in the documentation
    description: str
    values: dict[str, str] = Field(default_factory=dict)  # documented value → meaning ("1" → "survived")
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    quote: Quote
    block: str  # the list or table it came from: a block whose names mostly match the data is a column list


class TargetClaim(BaseModel):
    column: str
    quote: Quote
    strength: float  # 0.95 a plain statement, 0.8 a column description that calls it the target


class SplitClaim(BaseModel):
    method: SplitMethod
    column: str | None = None  # the group or time column, when named
    quote: Quote


class CountClaim(BaseModel):
    count: int
    what: Literal["rows", "classes"]
    scope: str | None = None  # a split or file the count is about ("train", "test.csv"), when named
    quote: Quote


class ValueClaim(BaseModel):
    value: str
    quote: Quote


class Documentation(BaseModel):
    """Everything the dataset's documents say that can be checked against its data."""

    cards: list[str] = Field(default_factory=list)  # documents that describe the dataset
    targets: list[TargetClaim] = Field(default_factory=list)
    columns: list[ColumnDoc] = Field(default_factory=list)
    splits: list[SplitClaim] = Field(default_factory=list)
    counts: list[CountClaim] = Field(default_factory=list)
    licenses: dict[str, list[Quote]] = Field(default_factory=dict)  # license id → where it is named
    encodings: list[ValueClaim] = Field(default_factory=list)
    assertions: dict[str, list[Quote]] = Field(default_factory=dict)  # "deduplicated" → where it is said
    balanced: list[Quote] = Field(default_factory=list)

    def column_doc(self, name: str) -> ColumnDoc | None:
        key = normalise_name(name)
        return next((c for c in self.columns if normalise_name(c.column) == key), None)


def normalise_name(name: str) -> str:
    """Column names as people write them: case, spaces, dashes and dots do not matter."""
    return re.sub(r"[\s_\-.]+", "", name.strip().strip("`*'\"").lower())


def _clean(text: str) -> str:
    return " ".join(text.replace("**", "").replace("`", "").split())


def _sentences(text: str) -> Iterator[str]:
    in_code = False
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(("```", "~~~")):
            in_code = not in_code  # code examples mention columns without stating anything about them
            continue
        if line and not in_code:
            yield from (s for s in _SENTENCE.split(line) if s.strip())


def _front_matter(text: str) -> tuple[dict, str]:
    """The YAML header of a Hugging Face style card, and the text after it."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    try:
        meta = yaml.safe_load(text[3:end])
    except yaml.YAMLError:
        return {}, text
    return (meta if isinstance(meta, dict) else {}), text[end + 4:]


def _split_cells(line: str) -> list[str]:
    return [_clean(c) for c in _TABLE_ROW.match(line).group(1).split("|")]


def _markdown_tables(text: str) -> Iterator[tuple[list[str], list[tuple[list[str], str]]]]:
    """(header cells, [(row cells, the raw line)]) for each pipe table."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if _TABLE_ROW.match(lines[i]) and i + 1 < len(lines) and re.match(r"^\s*\|?[\s:|-]+\|?\s*$", lines[i + 1]) \
                and "-" in lines[i + 1]:
            header = _split_cells(lines[i])
            rows = []
            j = i + 2
            while j < len(lines) and _TABLE_ROW.match(lines[j]):
                rows.append((_split_cells(lines[j]), lines[j].strip()))
                j += 1
            yield header, rows
            i = j
        else:
            i += 1


def _column_doc(name: str, description: str, quote: Quote, block: str) -> ColumnDoc:
    doc = ColumnDoc(column=name, description=description, quote=quote, block=block)
    values = {m.group("value"): m.group("meaning").strip() for m in _VALUE_MEANING.finditer(description)
              if not re.fullmatch(r"(e\.?g|i\.?e|note|unit|units|range|type|values?|format|source|see|example)",
                                  m.group("value"), re.I)}
    if len(values) >= 2:  # one "x: y" is usually prose; two or more is a code list
        doc.values = values
    if m := _RANGE.search(description):
        lo, hi = float(m.group("lo")), float(m.group("hi"))
        if lo < hi:
            doc.low, doc.high = lo, hi
    if m := _UNIT.search(description):
        doc.unit = m.group("unit").lower()
    return doc


class _Reader:
    def __init__(self, columns: list[str]) -> None:
        self.doc = Documentation()
        self.columns = {normalise_name(c): c for c in columns if normalise_name(c)}

    # --- prose -----------------------------------------------------------------------------------------
    def prose(self, file: str, text: str) -> None:
        for sentence in _sentences(text):
            quote = Quote(file=file, text=sentence.strip()[:300])
            plain = _clean(sentence)
            if not (_LIST_ITEM.match(sentence) or _TABLE_ROW.match(sentence)):  # column lists are read apart
                self._targets(plain, sentence, quote)
            for kind, pattern in _ASSERTIONS.items():
                m = pattern.search(plain)
                if m and not _NEGATED.search(plain[: m.start()]):
                    self.doc.assertions.setdefault(kind, []).append(quote)
            if re.search(r"(?<![a-z])(?<!im)(?<!un)balanced\b", plain, re.I) and not _NEGATED.search(
                    plain[: re.search(r"balanced", plain, re.I).start()]):
                self.doc.balanced.append(quote)
            self._split(plain, quote)
            for m in _ENCODING.finditer(plain):
                if re.search(r"encod|charset|character set|saved as|written in|stored as|files? (?:are|is)", plain,
                             re.I):
                    self.doc.encodings.append(ValueClaim(value=m.group(1), quote=quote))
            for m in _ROW_COUNT.finditer(plain):
                self.doc.counts.append(CountClaim(count=int(m.group(1).replace(",", "")), what="rows",
                                                  scope=_scope(plain), quote=quote))
            for m in _CLASS_COUNT.finditer(plain):
                word = m.group(1).lower()
                self.doc.counts.append(CountClaim(count=_NUMBER_WORDS.get(word) or int(word), what="classes",
                                                  quote=quote))
        self.licenses(file, text)

    def _targets(self, plain: str, raw: str, quote: Quote) -> None:
        """The column a target sentence names: a `quoted` column first, else the first one on the side of the
        target word that the sentence points to ("the outcome is X" → right; "X is the response" → left)."""
        if not self.columns or not (m := _TARGET_WORD.search(plain)):
            return
        quoted = [c for c in (normalise_name(q) for q in re.findall(r"`([^`]+)`", raw)) if c in self.columns]
        if len(set(quoted)) == 1:
            self.doc.targets.append(TargetClaim(column=self.columns[quoted[0]], quote=quote, strength=0.95))
            return
        right, left = plain[m.end():], plain[: m.start()]
        clause = re.split(r"[;:,(]\s", left)[-1] if left else ""
        side = right if _POINTS_RIGHT.match(right) or not clause.strip() else clause
        found = self._mentions(side)
        if found:
            strength = 0.9 if len(set(found)) == 1 else 0.75
            self.doc.targets.append(TargetClaim(column=found[0], quote=quote, strength=strength))

    def _mentions(self, text: str) -> list[str]:
        """Real columns named in `text`, in order of appearance (names compared like `normalise_name`)."""
        words = re.findall(r"[\w.\-]+", text)
        found = []
        for size in (3, 2, 1):  # "body mass g" before "mass"
            for i in range(len(words) - size + 1):
                key = normalise_name("".join(words[i:i + size]))
                if key in self.columns and key not in {normalise_name(f) for _, f in found}:
                    found.append((i, self.columns[key]))
        return [name for _, name in sorted(found)]

    def _split(self, sentence: str, quote: Quote) -> None:
        if not _SPLIT_WORDS.search(sentence):
            return
        method: SplitMethod | None = None
        if _SPLIT_TEMPORAL.search(sentence):
            method = "temporal"
        elif _SPLIT_GROUPED.search(sentence) and not _SPLIT_RANDOM.search(sentence):
            method = "grouped"
        elif _SPLIT_RANDOM.search(sentence):
            method = "random"
        if method:
            self.doc.splits.append(SplitClaim(method=method, quote=quote, column=_named_column(sentence)))

    def licenses(self, file: str, text: str) -> None:
        for line in text.splitlines():
            self._license(line, Quote(file=file, text=line.strip()[:200]))

    def _license(self, text: str, quote: Quote) -> None:
        for lic, pattern in _LICENSES.items():
            if re.search(pattern, text, re.IGNORECASE):
                quotes = self.doc.licenses.setdefault(lic, [])
                if not any(q.file == quote.file for q in quotes):
                    quotes.append(quote)

    # --- markdown structure ----------------------------------------------------------------------------
    def markdown(self, file: str, text: str) -> None:
        meta, body = _front_matter(text)
        if meta:
            self.structured(file, meta, text)
        for n, (header, rows) in enumerate(_markdown_tables(body)):
            lowered = [h.lower() for h in header]
            name_at = next((i for i, h in enumerate(lowered) if h in _NAME_HEADERS), None)
            if name_at is None:
                self._code_table(file, header, rows)  # "| outcome | meaning |": the codes of one column
                continue  # else a table of splits, files or results, not a column list
            desc_at = next((i for i, h in enumerate(lowered) if h in _DESC_HEADERS and i != name_at), None)
            for cells, raw in rows:
                if name_at >= len(cells) or not cells[name_at]:
                    continue
                others = [c for i, c in enumerate(cells) if i != name_at and c]
                description = cells[desc_at] if desc_at is not None and desc_at < len(cells) else "; ".join(others)
                self._add_column(cells[name_at], description, Quote(file=file, text=raw), f"{file}#table{n}")
        block = 0
        for line in body.splitlines():
            if m := _LIST_ITEM.match(line):
                name = m.group("name").strip()
                if len(name.split()) <= 4:
                    self._add_column(name, m.group("desc").strip(), Quote(file=file, text=line.strip()),
                                     f"{file}#list{block}")
            elif line.strip():
                block += 1
        self.prose(file, body)

    def _code_table(self, file: str, header: list[str], rows: list[tuple[list[str], str]]) -> None:
        lowered = [h.lower() for h in header]
        column = self.columns.get(normalise_name(header[0])) if header else None
        desc_at = next((i for i, h in enumerate(lowered) if h in _DESC_HEADERS and i > 0), None)
        if column is None or desc_at is None:
            return
        values = {cells[0]: cells[desc_at] for cells, _ in rows if len(cells) > desc_at and cells[0]}
        quote = Quote(file=file, text=f"| {' | '.join(header)} |")
        doc = self.doc.column_doc(column)
        if doc is None:
            self.doc.columns.append(ColumnDoc(column=column, description="; ".join(f"{k} = {v}" for k, v in
                                                                                  values.items()),
                                              values=values, quote=quote, block=f"{file}#codes-{column}"))
        else:
            doc.values = values

    def _add_column(self, name: str, description: str, quote: Quote, block: str) -> None:
        self.doc.columns.append(_column_doc(name, description, quote, block))
        if _DESCRIBES_TARGET.search(description) and not re.search(r"\b(not|never)\b.{0,20}\b(target|label)",
                                                                  description, re.I):
            self.doc.targets.append(TargetClaim(column=name, quote=quote, strength=0.8))

    # --- structured metadata ---------------------------------------------------------------------------
    def structured(self, file: str, data: Any, raw: str) -> None:
        quote_of = _quoter(file, raw)
        label_values: list[tuple[str, dict]] = []
        for path, key, value in _walk(data):
            k = key.lower()
            if _LABEL_VALUE_KEYS.fullmatch(k) and isinstance(value, dict) and value:
                label_values.append((key, value))
                continue
            in_target = any(p.lower() in _TARGET_KEYS for p in path[:-1]) and k in ("column", "name", "field")
            if (k in _TARGET_KEYS or in_target) and isinstance(value, str) and path[-2:-1] != ("features",):
                self.doc.targets.append(TargetClaim(column=value, quote=quote_of(key, value), strength=0.95))
            elif k in _LICENSE_KEYS and isinstance(value, str | list):
                for item in value if isinstance(value, list) else [value]:
                    text = item if isinstance(item, str) else json.dumps(item)
                    self._license(f"license: {text}", quote_of(key, text))
            elif k in _ENCODING_KEYS and isinstance(value, str):
                self.doc.encodings.append(ValueClaim(value=value, quote=quote_of(key, value)))
            elif k in _COLUMN_KEYS:
                for name, desc in _column_entries(value):
                    self._add_column(name, desc, quote_of(name, desc), f"{file}#{'/'.join(path)}")
            elif k in ("split", "splits", "split_method", "splitting", "split_strategy", "method", "strategy") \
                    and isinstance(value, str):
                self._split(f"split {value}", quote_of(key, value))
            elif k in ("group_by", "grouped_by", "group_column", "groups", "group") and isinstance(value, str):
                self.doc.splits.append(SplitClaim(method="grouped", column=value, quote=quote_of(key, value)))
            elif k in ("time_column", "date_column", "cutoff", "cutoff_date", "split_date") and isinstance(value, str):
                self.doc.splits.append(SplitClaim(method="temporal", column=value if "column" in k else None,
                                                  quote=quote_of(key, value)))
            elif k in ("num_examples", "num_rows", "rows", "n_rows", "row_count", "examples", "size", "num_samples") \
                    and isinstance(value, int) and not isinstance(value, bool):
                scope = next((p for p in reversed(path[:-1]) if _scope(p)), None)
                self.doc.counts.append(CountClaim(count=value, what="rows", scope=_scope(scope) if scope else None,
                                                  quote=quote_of(key, str(value))))
            elif isinstance(value, bool) and value:
                words = k.replace("_", " ").replace("-", " ")
                for kind, pattern in _ASSERTIONS.items():
                    if pattern.search(words) or words.replace(" ", "").startswith(kind[:6]):
                        self.doc.assertions.setdefault(kind, []).append(quote_of(key, "true"))
            elif isinstance(value, str) and len(value) > 20:
                self.prose(file, value)
        self._target_values(file, label_values, quote_of)

    def _target_values(self, file: str, found: list[tuple[str, dict]], quote_of) -> None:
        """`label_values: {Y: yes, N: no}` beside `target: vote` documents the target's codes."""
        target = next((t.column for t in self.doc.targets if t.quote.file == file), None)
        if target is None:
            return
        for key, values in found:
            meanings = {str(k): str(v) for k, v in values.items()}
            doc = self.doc.column_doc(target)
            if doc is None:
                self.doc.columns.append(ColumnDoc(column=target, description=f"{key}: {meanings}", values=meanings,
                                                  quote=quote_of(key, ""), block=f"{file}#{key}"))
            else:
                doc.values = meanings
                doc.quote = quote_of(key, "")


def _scope(text: str | None) -> str | None:
    """The split a sentence or key is about, when it names exactly one."""
    if not text:
        return None
    found = {m.group(1).lower() for m in re.finditer(r"\b(train(?:ing)?|test|valid(?:ation)?|val|dev)\b", str(text),
                                                     re.I)}
    if len(found) != 1:
        return None
    word = found.pop()
    return {"training": "train", "validation": "valid", "val": "valid", "dev": "valid"}.get(word, word)


def _named_column(sentence: str) -> str | None:
    """A column named in a split sentence: `code`, **bold**, or the word after "by"/"on"/"per"."""
    if m := re.search(r"[`*]+([\w.\-]+)[`*]+", sentence):
        return m.group(1)
    if m := re.search(r"\b(?:by|on|per|according to)\s+(?:the\s+)?(?:same\s+)?([\w.\-]+)", sentence, re.I):
        word = m.group(1)
        if word.lower() not in {"time", "date", "year", "random", "chance", "hand", "default", "a", "an"}:
            return word
    if m := re.search(r"\b(?:no|none of the|the same)\s+([\w.\-]+)\s+(?:appears?|occurs?|is)\s+in", sentence, re.I):
        return m.group(1)
    return None


def _walk(data: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, str(key)), str(key), value
            if str(key).lower() not in _COLUMN_KEYS:
                yield from _walk(value, (*path, str(key)))
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item, path)


def _column_entries(value: Any) -> Iterator[tuple[str, str]]:
    """(name, description) from the usual shapes: {name: desc}, {name: {description: ...}}, [{name, description}]."""
    if isinstance(value, dict):
        for name, spec in value.items():
            yield str(name), _describe(spec)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                name = next((item[k] for k in ("name", "column", "field", "id", "@id") if k in item), None)
                if isinstance(name, str):
                    yield name, _describe({k: v for k, v in item.items() if k not in ("name", "column", "field")})
            elif isinstance(item, str):
                yield item, ""


def _describe(spec: Any) -> str:
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict):
        parts = []
        low = next((spec[k] for k in ("min", "minimum", "min_value", "lower") if k in spec), None)
        high = next((spec[k] for k in ("max", "maximum", "max_value", "upper") if k in spec), None)
        if low is not None and high is not None:
            parts.append(f"range: {low} to {high}")
        for key in ("description", "desc", "meaning", "definition", "dtype", "type", "unit", "units", "range",
                    "valid_range", "allowed_range", "values", "allowed_values", "categories", "codes", "names",
                    "role"):
            if key in spec:
                value = spec[key]
                if isinstance(value, dict):
                    value = ", ".join(f"{k} = {v}" for k, v in value.items())
                elif isinstance(value, list):
                    value = ", ".join(map(str, value))
                parts.append(f"{value}" if key in ("description", "desc", "meaning", "definition")
                             else f"{key}: {value}")
        return "; ".join(parts)
    return "" if spec is None else str(spec)


def _quoter(file: str, raw: str):
    """A quote for a key/value of a structured file: the raw line that holds the value, when there is one."""
    lines = raw.splitlines()

    def quote(key: str, value: str) -> Quote:
        needle = str(value).strip()[:60]
        for line in lines:
            if needle and needle in line and (key in line or len(needle) > 8):
                return Quote(file=file, text=line.strip()[:300])
        for line in lines:
            if key in line:
                return Quote(file=file, text=line.strip()[:300])
        return Quote(file=file, text=f"{key}: {value}"[:300])

    return quote


def read_documentation(documents: dict[str, str], columns: list[str] | tuple[str, ...] = ()) -> Documentation:
    """Claims from every document of a dataset: cards, metadata files, LICENSE files.

    `columns` (of every table) lets prose name the target; without them only structured keys do.
    """
    reader = _Reader(list(columns))
    for name, text in sorted(documents.items()):
        lower = name.lower()
        if lower.endswith((".json", ".yaml", ".yml")):
            try:
                data = json.loads(text) if lower.endswith(".json") else yaml.safe_load(text)
            except (json.JSONDecodeError, yaml.YAMLError):
                continue
            if isinstance(data, dict | list):
                reader.doc.cards.append(name)
                reader.structured(name, data, text)
        elif LICENSE_FILES.search(name):
            reader.licenses(name, text)
        elif CARD_NAMES.search(name) or lower.endswith((".md", ".markdown", ".rst")):
            reader.doc.cards.append(name)
            reader.markdown(name, text)
    return reader.doc
