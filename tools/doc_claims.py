"""What a README or datacard claims about the data, checked against the data itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from copilot.data.dataset import Dataset
from copilot.data.profile import DatasetProfile

CARD_NAMES = re.compile(r"(^|/)(readme|datacard|data_card|dataset_card|datasheet)(\.md|\.txt|\.rst)?$", re.I)
_COUNT = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)\s+(rows|examples|samples|records|instances|entries)\b", re.I)
_CLASSES = re.compile(r"(?<![\w.])(\d+)\s+(classes|categories|labels)\b", re.I)
_NO_MISSING = re.compile(r"\bno (missing|null|empty) (values|data|entries|fields)\b", re.I)
_TABLE_ROW = re.compile(r"^\s*\|\s*`?([A-Za-z_][\w .-]*?)`?\s*\|")


@dataclass
class Claim:
    """A sentence of a document that the data contradicts."""

    document: str
    quote: str
    issue: str
    detail: str
    columns: list[str]


def card_documents(dataset: Dataset) -> dict[str, str]:
    return {name: text for name, text in dataset.documents.items() if CARD_NAMES.search(name)}


def documented_columns(text: str) -> set[str]:
    """Names in the first column of markdown tables, minus header words."""
    names = {m.group(1).strip() for line in text.splitlines() if (m := _TABLE_ROW.match(line))}
    return {n for n in names if n.lower() not in {"column", "columns", "name", "field", "feature", "variable"}
            and not set(n) <= set("-: ")}


def contradictions(dataset: Dataset, profile: DatasetProfile) -> list[Claim]:
    total_rows = sum(t.rows for t in profile.tables)
    row_counts = {t.rows for t in profile.tables} | {total_rows}
    columns = {c.name for t in profile.tables for c in t.columns}
    missing = {c.name: c.missing for t in profile.tables for c in t.columns if c.missing}
    labels = {t.label_candidates[0]: t.column(t.label_candidates[0]).distinct
              for t in profile.tables if t.label_candidates}
    claims: list[Claim] = []
    for doc, text in card_documents(dataset).items():
        for line in text.splitlines():
            for m in _COUNT.finditer(line):
                claimed = int(m.group(1).replace(",", ""))
                if claimed not in row_counts and claimed > 20:  # small numbers are rarely row counts
                    claims.append(Claim(doc, line.strip(), f"{doc} says {m.group(0)}; the data has "
                                        f"{total_rows:,} rows", f"claimed {claimed:,}, found "
                                        + ", ".join(f"{t.name}: {t.rows:,}" for t in profile.tables), []))
            for m in _CLASSES.finditer(line):
                claimed = int(m.group(1))
                wrong = {c: n for c, n in labels.items() if n != claimed}
                if labels and len(wrong) == len(labels):
                    col, n = next(iter(wrong.items()))
                    claims.append(Claim(doc, line.strip(), f"{doc} says {m.group(0)}; {col} has {n}",
                                        f"claimed {claimed}, found {n} distinct values in {col}", [col]))
            if _NO_MISSING.search(line) and missing:
                worst = sorted(missing.items(), key=lambda kv: -kv[1])[:3]
                claims.append(Claim(doc, line.strip(), f"{doc} says there are no missing values; there are",
                                    ", ".join(f"{c}: {n} missing" for c, n in worst), [c for c, _ in worst]))
        documented = documented_columns(text)
        if documented:
            absent = sorted(documented - columns)
            undocumented = sorted(columns - documented)
            if absent:
                claims.append(Claim(doc, ", ".join(absent), f"{doc} documents columns the data lacks: "
                                    + ", ".join(absent[:5]), "documented but absent", absent))
            if undocumented:
                claims.append(Claim(doc, ", ".join(undocumented), f"columns missing from {doc}: "
                                    + ", ".join(undocumented[:5]), "present but undocumented", undocumented))
    return claims
