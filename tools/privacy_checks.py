"""privacy_checks: personal data in free text, and sensitive attributes used as features."""

from __future__ import annotations

import re

import pandas as pd
from pydantic import BaseModel, Field

from tools.base import TableCheck, ToolContext, register
from tools.contracts import Finding
from tools.data.docs import ColumnDoc
from tools.data.profile import TableProfile
from tools.data.tables import Table
from tools.personal_data import (
    BIOLOGICAL,
    HUMAN_TAXA,
    PII_PATTERNS,
    SENSITIVE_DESCRIPTIONS,
    SENSITIVE_NAMES,
    SPECIAL_CATEGORIES,
    TAXON_NAMES,
)

_MAX_ROWS_SCANNED = 50_000
_SHOWN = 3


class PrivacyChecksArgs(BaseModel):
    table: str | None = Field(default=None, description="table to check; every table when omitted")
    label_column: str | None = Field(default=None, description="the label: sensitive columns beside it are features")


def _whole_numbers(series: pd.Series) -> bool:
    numbers = pd.to_numeric(series, errors="coerce").dropna()
    return not numbers.empty and bool((numbers == numbers.round()).all())


def _context(text: str, match: re.Match[str]) -> str:
    """The matched value with a few words around it, as written, so a reviewer can find the cell.

    Not masked: the reviewer owns the data and must find the cell to fix it (a masked "m.…om" cannot be
    searched for); findings stay in the user's own terminal and workspace.
    """
    return text[max(0, match.start() - 30):match.end() + 20].strip()


def _organisms(df: pd.DataFrame) -> tuple[str, list[str]] | None:
    """A column naming each row's species or breed, none of them human: the rows are animals or plants."""
    for col in df.columns:
        if not re.match(TAXON_NAMES, str(col).strip(), re.IGNORECASE):
            continue
        values = df[col].dropna().astype(str)
        if values.empty or values.str.contains(HUMAN_TAXA, case=False, regex=True).any():
            continue
        return str(col), [str(v) for v in values.value_counts().index[:3]]
    return None


def _sensitive_kind(name: str, doc: ColumnDoc | None) -> tuple[str | None, list[str]]:
    """The sensitive category a column records, by its name or, whatever its name, by its documented meaning."""
    kind = next((k for k, p in SENSITIVE_NAMES.items() if re.search(p, name, re.IGNORECASE)), None)
    if kind or doc is None:
        return kind, []
    kind = next((k for k, p in SENSITIVE_DESCRIPTIONS.items() if re.search(p, doc.description, re.IGNORECASE)), None)
    return kind, ([f"{doc.quote.file}: {doc.quote.text[:200]}"] if kind else [])


@register
class PrivacyChecksTool(TableCheck):
    name = "privacy_checks"
    description = ("Find personal data in free text (email addresses, phone numbers, street addresses, card and "
                   "social security numbers; quoted with their row so they can be found) and sensitive attributes "
                   "(race or ethnicity, religion, "
                   "sex or gender, health, sexual orientation, political opinion, nationality, age) that would be "
                   "used as model features. Read-only.")
    Args = PrivacyChecksArgs
    in_audit = True

    def check_table(self, ctx: ToolContext, args: PrivacyChecksArgs, table: Table,
                    profile: TableProfile) -> list[Finding]:
        findings: list[Finding] = []
        label = args.label_column or profile.likely_label
        organisms = _organisms(table.df)
        for col in profile.columns:
            series = table.df[col.name]
            if col.kind in ("text", "categorical", "id", "mixed"):
                findings += self._pii(table.name, col.name, series.head(_MAX_ROWS_SCANNED))
            kind, said = _sensitive_kind(col.name, ctx.profile.docs.column_doc(col.name))
            if kind == "age" and not _whole_numbers(series):
                kind = None  # "age" of a building stock in %, say: a person's age is a whole number
            if kind and col.kind not in ("empty", "constant", "id", "text"):
                role = ("and is the label: predicting it is itself sensitive" if col.name == label
                        else f"and would be a feature for {label}" if label else "")
                # A penguin's sex is biology: in a table of organisms only human-only categories (an
                # observer's ethnicity, say) are about people.
                animal = organisms is not None and kind in BIOLOGICAL
                said = said + ([f"the rows are organisms: {organisms[0]} = {', '.join(organisms[1])}"]
                               if animal else [])
                findings.append(Finding(
                    tool=self.name, type="sensitive_attribute",
                    # As the label it is the task itself (a diagnosis to predict): worth knowing, not a defect.
                    # Age is in nearly every table about people: worth knowing, rarely the problem.
                    severity="low" if col.name == label or kind == "age" or animal
                    else "high" if kind in SPECIAL_CATEGORIES else "medium",
                    issue=f"{col.name} records {kind} {role}".strip(),
                    evidence=[col.name, *said, f"values: {', '.join(col.samples[:4])}"],
                    description=f"Using {kind} as a feature can make a model discriminate, and may be unlawful "
                                "(e.g. GDPR special categories); document why it is needed, or drop it and check "
                                "its proxies.", file=table.name, columns=[col.name], score=0.8))
        return findings

    def summary(self, findings: list[Finding]) -> str:
        return (f"{sum(f.type == 'pii' for f in findings)} columns with personal data, "
                f"{sum(f.type == 'sensitive_attribute' for f in findings)} sensitive attributes.")

    def _pii(self, table: str, column: str, series: pd.Series) -> list[Finding]:
        text = series.dropna().astype(str)
        out = []
        for kind, pattern in PII_PATTERNS.items():
            hits = text[text.str.contains(pattern, regex=True)]
            if hits.empty:
                continue
            examples = [_context(v, pattern.search(v)) for v in hits.head(_SHOWN)]
            out.append(Finding(
                tool=self.name, type="pii", severity="high",
                issue=f"{column} contains {kind} in {len(hits)} rows",
                evidence=[column, *[f"row {r}: {e}" for r, e in zip(hits.index[:_SHOWN], examples, strict=False)]],
                description=f"Personal data ({kind}) in a dataset must have a legal basis and usually be removed or "
                            "pseudonymised before sharing or training.",
                file=table, rows=[int(r) for r in hits.index[:50]], columns=[column], score=min(1.0, len(hits) / 5)))
        return out
