"""What the documentation claims about the data, checked against the data itself.

The claims come from `tools.data.docs` (read once per session into the profile); each check here
quotes the claim as written, names its file, and says what the data shows instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from tools.base import ToolContext
from tools.contracts import Finding
from tools.data.dataset import Dataset
from tools.data.docs import CARD_NAMES, ColumnDoc, Documentation, Quote, normalise_name
from tools.data.profile import DatasetProfile, TableProfile
from tools.personal_data import PII_PATTERNS

_SHOWN = 3
_COLUMN_LIST_SHARE = 0.5  # a list or table is a column list when at least half its names are real columns


def card_documents(dataset: Dataset) -> dict[str, str]:
    return {name: text for name, text in dataset.documents.items() if CARD_NAMES.search(name)}


def licenses_found(docs: Documentation) -> dict[str, list[str]]:
    """License id → the documents that name it."""
    return {lic: sorted({q.file for q in quotes}) for lic, quotes in docs.licenses.items()}


def _finding(tool: str, quote: Quote, issue: str, evidence: list[str], description: str, *, columns: list[str],
             type_: str = "doc_data_mismatch", severity: str = "high", rows: list[int] | None = None,
             data_file: str | None = None, score: float = 1.0) -> Finding:
    """A claim the data contradicts: the claim quoted first (it is verbatim in its file), then the data."""
    return Finding(tool=tool, type=type_, severity=severity, issue=issue, evidence=[quote.text[:300], *evidence],
                   description=description, file=quote.file if data_file is None else data_file,
                   columns=columns, rows=rows or [], score=score)


def _table_for_scope(profile: DatasetProfile, scope: str) -> list[TableProfile]:
    return [t for t in profile.tables if t.split == scope]


def count_claims(tool: str, profile: DatasetProfile) -> list[Finding]:
    docs, out = profile.docs, []
    total = sum(t.all_rows for t in profile.tables)
    every = {t.all_rows for t in profile.tables} | {total}
    for claim in docs.counts:
        if claim.what == "rows":
            scoped = _table_for_scope(profile, claim.scope) if claim.scope else []
            if scoped:
                actual = sum(t.all_rows for t in scoped)
                if claim.count != actual:
                    out.append(_finding(tool, claim.quote, f"{claim.quote.file} says the {claim.scope} split has "
                                        f"{claim.count:,} rows; it has {actual:,}",
                                        [f"{t.name}: {t.all_rows:,} rows" for t in scoped],
                                        "The documented size and the files disagree: rows were lost or added "
                                        "after the card was written.", columns=[], data_file=None))
            elif claim.count not in every and claim.count > 20 and not claim.scope:  # small numbers are rarely sizes
                out.append(_finding(tool, claim.quote, f"{claim.quote.file} says {claim.count:,} rows; the data has "
                                    f"{total:,}", [f"{t.name}: {t.all_rows:,} rows" for t in profile.tables][:5],
                                    "The documented size and the files disagree: rows were lost or added after the "
                                    "card was written.", columns=[]))
        else:
            labels = {t.likely_label: t.column(t.likely_label).distinct for t in profile.tables if t.likely_label}
            wrong = {c: n for c, n in labels.items() if n != claim.count}
            if labels and len(wrong) == len(labels):
                col, n = next(iter(wrong.items()))
                out.append(_finding(tool, claim.quote, f"{claim.quote.file} says {claim.count} classes; {col} has {n}",
                                    [f"{col}: {n} distinct values"], "The documented classes and the labels present "
                                    "disagree: a class was merged, split or lost.", columns=[col]))
    return out


def column_list_claims(tool: str, profile: DatasetProfile) -> list[Finding]:
    """Columns a column list documents that no table has, and columns no list documents."""
    present = {normalise_name(c.name): c.name for t in profile.tables for c in t.columns}
    blocks: dict[str, list[ColumnDoc]] = {}
    for doc in profile.docs.columns:
        blocks.setdefault(doc.block, []).append(doc)
    out = []
    listed: set[str] = set()
    order = [c.name for t in profile.tables for c in t.columns]
    for docs in blocks.values():
        names = [d for d in docs if normalise_name(d.column)]
        spans = [d for d in names if _SPAN.match(d.column)]  # "bili ... stage": every column from bili to stage
        listed |= {normalise_name(c) for d in spans for c in _span(d.column, order)}
        names = [d for d in names if not (_SPAN.match(d.column) and _span(d.column, order))]
        matched = [d for d in names if normalise_name(d.column) in present]
        if len(names) < 2 or len(matched) / len(names) < _COLUMN_LIST_SHARE:
            continue  # a list of sources, files or results, not of columns
        listed |= {normalise_name(d.column) for d in matched}
        absent = [d for d in names if normalise_name(d.column) not in present]
        if absent:
            out.append(_finding(tool, absent[0].quote, f"{absent[0].quote.file} documents columns the data lacks: "
                                + ", ".join(d.column for d in absent[:5]),
                                [d.quote.text[:200] for d in absent[1:_SHOWN]], "A documented column that is not in "
                                "the files was dropped or renamed; code written from the card will break.",
                                columns=[d.column for d in absent]))
    if listed:
        undocumented = sorted(name for key, name in present.items() if key not in listed)
        if undocumented:
            first = next(iter(blocks.values()))[0].quote.file
            out.append(Finding(tool=tool, type="missing_documentation", severity="medium",
                               issue=f"columns missing from {first}: {', '.join(undocumented[:5])}",
                               evidence=undocumented[:8], file=_file_with_column(profile, undocumented[0]) or first,
                               columns=undocumented, description="Columns no document explains: users must guess "
                                                                 "what they mean and how they were measured."))
    return out


_SPAN = re.compile(r"^\s*(\S+?)\s*(?:\.\.\.|…|–|—|\bto\b)\s*(\S+)\s*$")


def _span(name: str, order: list[str]) -> list[str]:
    """The columns a range entry such as "bili ... stage" stands for, in the data's order; [] if not a range."""
    m = _SPAN.match(name)
    keys = [normalise_name(c) for c in order]
    first, last = normalise_name(m.group(1)), normalise_name(m.group(2))
    if first not in keys or last not in keys or keys.index(first) > keys.index(last):
        return []
    return order[keys.index(first):keys.index(last) + 1]


def _file_with_column(profile: DatasetProfile, column: str) -> str | None:
    return next((t.name for t in profile.tables if any(c.name == column for c in t.columns)), None)


def _columns_named(dataset: Dataset, profile: DatasetProfile, name: str) -> list[tuple[str, pd.Series]]:
    key = normalise_name(name)
    return [(t.name, dataset.table(t.name).df[c.name]) for t in profile.tables for c in t.columns
            if normalise_name(c.name) == key]


def range_claims(tool: str, dataset: Dataset, profile: DatasetProfile) -> list[Finding]:
    out = []
    for doc in profile.docs.columns:
        if doc.low is None or doc.high is None:
            continue
        for table, series in _columns_named(dataset, profile, doc.column):
            numbers = pd.to_numeric(series, errors="coerce")
            outside = numbers[(numbers < doc.low) | (numbers > doc.high)]
            if outside.empty or numbers.notna().sum() == 0:
                continue
            shown = [f"row {r}: {series[r]}" for r in outside.index[:_SHOWN]]
            out.append(_finding(tool, doc.quote, f"{series.name} has {len(outside)} values outside the documented "
                                f"{doc.low:g}–{doc.high:g}", [*shown, f"values range {numbers.min():g} to "
                                                                       f"{numbers.max():g} in {table}"],
                                "Values outside the documented range are entry errors, another unit, or the card "
                                "is wrong.", type_="out_of_range", columns=[str(series.name)], data_file=table,
                                rows=[int(r) for r in outside.index[:50]], score=min(1.0, len(outside) / 5)))
    return out


def value_meaning_claims(tool: str, dataset: Dataset, profile: DatasetProfile) -> list[Finding]:
    """Documented codes that the data does not use, values the code list never explains, and unexplained labels."""
    out = []
    for t in profile.tables:
        label = t.likely_label
        for c in t.columns:
            doc = profile.docs.column_doc(c.name)
            series = dataset.table(t.name).df[c.name].dropna()
            if doc and doc.values and c.distinct <= 50:
                actual = {_code(v) for v in series.unique()}
                documented = {_code(v) for v in doc.values}
                unexplained = sorted(actual - documented)
                if unexplained and len(unexplained) < len(actual):
                    rows = series.index[series.map(_code).isin(unexplained)]
                    written = list(dict.fromkeys(series[rows].astype(str)))  # as the data writes them
                    out.append(_finding(tool, doc.quote, f"{c.name} has values its documentation does not define: "
                                        + ", ".join(map(repr, written[:5])) + f" ({len(rows)} rows)",
                                        [f"row {r}: {series[r]}" for r in rows[:_SHOWN]],
                                        "A code the card does not explain cannot be interpreted: it is an entry error "
                                        "or an undocumented category.", columns=[c.name], data_file=t.name,
                                        rows=[int(r) for r in rows[:50]]))
            elif c.name == label and not (doc and doc.values) and 2 <= c.distinct <= 20 \
                    and _coded(series) and profile.docs.cards:
                values = sorted(map(str, series.unique()))[:6]
                out.append(Finding(tool=tool, type="missing_documentation", severity="medium",
                                   issue=f"the label {c.name} uses codes {', '.join(values)} that no document explains",
                                   evidence=[f"{c.name}: {', '.join(values)}",
                                             *([doc.quote.text[:200]] if doc else [])],
                                   file=t.name, columns=[c.name],
                                   description="Without the meaning of each label value, users cannot tell what a "
                                               "model trained on it predicts."))
    return out


def _code(value: object) -> str:
    text = str(value).strip().lower()
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number == int(number) else text


def _coded(series: pd.Series) -> bool:
    """Numbers or short letter codes, not words: 0/1/2, 'A'/'B'."""
    text = series.astype(str).str.strip()
    return bool(text.str.fullmatch(r"-?\d+(\.0)?|[A-Za-z]").all())


def assertion_claims(tool: str, dataset: Dataset, profile: DatasetProfile) -> list[Finding]:
    """'deduplicated', 'anonymised' and 'no missing values' against what the data holds."""
    docs, out = profile.docs, []
    checks: dict[str, Callable[[], Finding | None]] = {
        "deduplicated": lambda: _duplicated(tool, dataset, profile, docs.assertions["deduplicated"][0]),
        "anonymised": lambda: _personal(tool, dataset, profile, docs.assertions["anonymised"][0]),
        "complete": lambda: _incomplete(tool, profile, docs.assertions["complete"][0]),
    }
    for kind, check in checks.items():
        if kind in docs.assertions and (finding := check()):
            out.append(finding)
    return out


def _duplicated(tool: str, dataset: Dataset, profile: DatasetProfile, quote: Quote) -> Finding | None:
    for t in profile.tables:
        df = dataset.table(t.name).df
        ids = set(t.id_candidates)
        compared = df[[c for c in df.columns if c not in ids]]
        if compared.empty:
            continue
        dup = compared.astype(str).duplicated(keep=False)
        if dup.any():
            rows = df.index[dup]
            first = compared.loc[rows[0]]
            return _finding(tool, quote, f"{quote.file} says the data is deduplicated; {t.name} has "
                            f"{int(compared.astype(str).duplicated().sum())} duplicate rows",
                            [f"rows {', '.join(map(str, rows[:4]))} are identical: "
                             + ", ".join(f"{k}={v}" for k, v in list(first.items())[:4])],
                            "The card promises no duplicates; duplicated rows inflate the data and leak across "
                            "splits.", type_="duplicate", columns=[], data_file=t.name,
                            rows=[int(r) for r in rows[:50]])
    return None


def _personal(tool: str, dataset: Dataset, profile: DatasetProfile, quote: Quote) -> Finding | None:
    for t in profile.tables:
        df = dataset.table(t.name).df
        for c in t.columns:
            if c.kind not in ("text", "categorical", "id", "mixed"):
                continue
            text = df[c.name].dropna().astype(str).head(50_000)
            for what, pattern in PII_PATTERNS.items():
                hits = text[text.str.contains(pattern)]
                if not hits.empty:
                    row = hits.index[0]
                    match = pattern.search(hits.iloc[0])
                    return _finding(tool, quote, f"{quote.file} says the data is anonymised; {c.name} holds "
                                    f"{what} in {len(hits)} rows",
                                    [f"row {row}: {hits.iloc[0][max(0, match.start() - 20):match.end() + 10]}"],
                                    "The card promises no personal data, but identifiers remain: removing them is "
                                    "a legal requirement before sharing.", type_="pii", columns=[c.name],
                                    data_file=t.name, rows=[int(r) for r in hits.index[:50]])
    return None


def _incomplete(tool: str, profile: DatasetProfile, quote: Quote) -> Finding | None:
    missing = [(t.name, c.name, c.missing) for t in profile.tables for c in t.columns if c.missing]
    if not missing:
        return None
    worst = sorted(missing, key=lambda m: -m[2])[:_SHOWN]
    return _finding(tool, quote, f"{quote.file} says there are no missing values; there are",
                    [f"{col}: {n} missing in {table}" for table, col, n in worst],
                    "Code written for complete data will fail or silently drop rows.",
                    columns=[col for _, col, _ in worst], type_="missing_values")


def license_findings(tool: str, dataset: Dataset, docs: Documentation, asked: bool = False) -> list[Finding]:
    """Licenses that differ between files (README vs LICENSE vs metadata), or none anywhere."""
    by_file: dict[str, set[str]] = {}
    for lic, quotes in docs.licenses.items():
        for q in quotes:
            by_file.setdefault(q.file, set()).add(lic)
    # A file may name two licenses on purpose ("code MIT, data CC BY"): a conflict is between files.
    conflicting = len(by_file) > 1 and len(set().union(*by_file.values())) > 1 and any(
        a.isdisjoint(b) for a in by_file.values() for b in by_file.values())
    if conflicting:
        quotes = [q for qs in docs.licenses.values() for q in qs]
        return [Finding(tool=tool, type="license", severity="high", issue="the files name different licenses: "
                        + ", ".join(sorted(docs.licenses)), evidence=[f"{q.file}: {q.text[:150]}" for q in quotes][:4],
                        file=quotes[0].file, score=1.0,
                        description="Conflicting licenses leave users unsure what they may do with the data.")]
    if not docs.licenses and dataset.root.is_dir():
        return [Finding(tool=tool, type="license", severity="medium" if asked else "low", issue="no license found",
                        evidence=[", ".join(sorted(dataset.documents)) or "no documents"],
                        file=next(iter(sorted(dataset.documents)), None),
                        description="Without a license nobody may legally reuse the data.")]
    return []


def documentation_findings(ctx: ToolContext, tool: str) -> list[Finding]:
    """Every documented claim the data contradicts, a missing card, and missing or conflicting licenses."""
    profile, dataset = ctx.profile, ctx.dataset
    findings = count_claims(tool, profile) + column_list_claims(tool, profile)
    findings += range_claims(tool, dataset, profile) + value_meaning_claims(tool, dataset, profile)
    findings += assertion_claims(tool, dataset, profile)
    if not profile.docs.cards and not card_documents(dataset):
        first = next(iter(dataset.tables.values()), None)
        findings.append(Finding(tool=tool, type="missing_documentation", severity="medium",
                                issue="no README or datacard",
                                evidence=[f"data files: {', '.join(dataset.tables) or 'none'}",
                                          *(first.columns[:12] if first else []),
                                          f"other files: {', '.join(dataset.documents) or 'none'}"],
                                file=first.name if first else None, columns=first.columns[:12] if first else [],
                                description="Without a README or datacard, users cannot know what the columns mean, "
                                            "where the data comes from, its license or its limits."))
    findings += license_findings(tool, dataset, profile.docs, asked=ctx.focus.on(kind="license"))
    return findings
