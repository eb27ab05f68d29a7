"""What a README or datacard claims about the data, checked against the data itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from copilot.data.dataset import Dataset
from copilot.data.profile import DatasetProfile
from tools.base import ToolContext
from tools.contracts import Finding

CARD_NAMES = re.compile(r"(^|/)(readme|datacard|data_card|dataset_card|datasheet)(\.md|\.txt|\.rst)?$", re.I)
_COUNT = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)\s+(rows|examples|samples|records|instances|entries)\b", re.I)
_CLASSES = re.compile(r"(?<![\w.])(\d+)\s+(classes|categories|labels)\b", re.I)
_NO_MISSING = re.compile(r"\bno (missing|null|empty) (values|data|entries|fields)\b", re.I)
_TABLE_ROW = re.compile(r"^\s*\|\s*`?([A-Za-z_][\w .-]*?)`?\s*\|")
_LICENSES = {
    "cc0-1.0": r"\bcc0\b|public domain dedication",
    "cc-by-4.0": r"\bcc[- ]by[- ]4\.0\b|creative commons attribution 4\.0",
    "cc-by-sa-4.0": r"\bcc[- ]by[- ]sa[- ]4\.0\b|attribution[- ]sharealike 4\.0",
    "cc-by-nc-4.0": r"\bcc[- ]by[- ]nc[- ]4\.0\b|attribution[- ]noncommercial 4\.0",
    "mit": r"\bmit license\b|\blicen[cs]ed under (the )?mit\b",
    "apache-2.0": r"\bapache(?: license)?,? (?:version )?2\.0\b",
    "gpl-3.0": r"\bgpl[- ]?(v)?3\b|gnu general public license v(ersion )?3",
    "odbl": r"\bodbl\b|open database license",
}


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


def licenses_found(dataset: Dataset) -> dict[str, list[str]]:
    """License id → the documents that name it (README/datacard and LICENSE-like files)."""
    texts = card_documents(dataset) | {k: v for k, v in dataset.documents.items() if "licen" in k.lower()}
    found: dict[str, list[str]] = {}
    for name, text in texts.items():
        for lic, pattern in _LICENSES.items():
            if re.search(pattern, text, re.IGNORECASE):
                found.setdefault(lic, []).append(name)
    return found


def documentation_findings(ctx: ToolContext, tool: str) -> list[Finding]:
    """Contradicted claims, a missing card, and missing or conflicting licenses."""
    findings = [Finding(tool=tool, type="doc_data_mismatch", severity="high", issue=c.issue,
                        evidence=[c.quote[:200], c.detail], file=c.document, columns=c.columns,
                        description="The documentation and the data disagree; readers will trust the wrong one.")
                for c in contradictions(ctx.dataset, ctx.profile)]
    if not card_documents(ctx.dataset):
        first = next(iter(ctx.dataset.tables.values()), None)
        findings.append(Finding(tool=tool, type="missing_documentation", severity="medium",
                                issue="no README or datacard",
                                evidence=[f"data files: {', '.join(ctx.dataset.tables) or 'none'}",
                                          f"undocumented columns: {', '.join(first.columns[:12]) if first else ''}",
                                          f"other files: {', '.join(ctx.dataset.documents) or 'none'}"],
                                file=first.name if first else None, columns=first.columns[:12] if first else [],
                                description="Without a README or datacard, users cannot know what the columns mean, "
                                            "where the data comes from, its license or its limits."))
    licenses = licenses_found(ctx.dataset)
    if len(licenses) > 1:
        findings.append(Finding(tool=tool, type="license", severity="high", issue="the files name different licenses",
                                evidence=[f"{lic}: {', '.join(names)}" for lic, names in licenses.items()],
                                file=next(iter(next(iter(licenses.values())))),
                                description="Conflicting licenses leave users unsure what they may do."))
    elif not licenses:
        findings.append(Finding(tool=tool, type="license", severity="medium", issue="no license found",
                                evidence=[", ".join(ctx.dataset.documents) or "no documents"],
                                description="Without a license nobody may legally reuse the data."))
    return findings
