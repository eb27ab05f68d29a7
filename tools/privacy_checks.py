"""privacy_checks: personal data in free text, and sensitive attributes used as features."""

from __future__ import annotations

import re

import pandas as pd
from pydantic import BaseModel, Field

from tools.base import Tool, ToolContext, register
from tools.contracts import Finding, ToolResult

_PII = {
    "email addresses": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
    "phone numbers": re.compile(r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{3}[\s.-])"
                               r"\d{3}[\s.-]?\d{4}(?![\w.])"),
    "street addresses": re.compile(r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|"
                                 r"Lane|Ln|Drive|Dr|Court|Ct|Way)\b\.?"),
    "credit card numbers": re.compile(r"\b(?:\d{4}[ -]){3}\d{4}\b"),
    "US social security numbers": re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),
}
_SENSITIVE = {
    "race or ethnicity": r"race|racial|ethnic|ethnicity|skin_?colou?r",
    "religion": r"religio|faith|church|caste",
    "sex or gender": r"^sex$|gender|^is_?male$|^is_?female$",
    "health": r"health|diagnos|disease|disab|hiv|pregnan|medical|illness",
    "sexual orientation": r"orientation|lgbt|sexuality",
    "political opinion": r"politic|party_affil|vote",
    "nationality or origin": r"nationality|citizenship|country_of_birth|native_country|immigra",
    "age": r"^age$|_age$|^age_|date_of_birth|birth_?date|dob",
}
# GDPR's special categories: using them as features needs the strongest justification.
_SPECIAL = {"race or ethnicity", "religion", "health", "sexual orientation", "political opinion"}
_MAX_ROWS_SCANNED = 50_000
_SHOWN = 3


class PrivacyChecksArgs(BaseModel):
    table: str | None = Field(default=None, description="table to check; every table when omitted")
    label_column: str | None = Field(default=None, description="the label: sensitive columns beside it are features")


def _whole_numbers(series: pd.Series) -> bool:
    numbers = pd.to_numeric(series, errors="coerce").dropna()
    return not numbers.empty and bool((numbers == numbers.round()).all())


def _mask(text: str) -> str:
    """Quote PII without repeating it whole: keep the shape, hide most characters."""
    return text[:2] + "…" + text[-2:] if len(text) > 6 else "…"


@register
class PrivacyChecksTool(Tool):
    name = "privacy_checks"
    description = ("Find personal data in free text (email addresses, phone numbers, street addresses, card and "
                   "social security numbers; quoted masked) and sensitive attributes (race or ethnicity, religion, "
                   "sex or gender, health, sexual orientation, political opinion, nationality, age) that would be "
                   "used as model features. Read-only.")
    Args = PrivacyChecksArgs
    in_audit = True

    def run(self, ctx: ToolContext, args: PrivacyChecksArgs) -> ToolResult:
        findings: list[Finding] = []
        tables = ctx.tables(args.table)
        for i, table in enumerate(tables):
            profile = ctx.profile.table(table.name)
            label = args.label_column or profile.likely_label
            for col in profile.columns:
                series = table.df[col.name]
                if col.kind in ("text", "categorical", "id", "mixed"):
                    findings += self._pii(table.name, col.name, series.head(_MAX_ROWS_SCANNED))
                kind = next((k for k, p in _SENSITIVE.items() if re.search(p, col.name, re.IGNORECASE)), None)
                if kind == "age" and not _whole_numbers(series):
                    kind = None  # "age" of a building stock in %, say: a person's age is a whole number
                if kind and col.kind not in ("empty", "constant", "id", "text"):
                    role = ("and is the label: predicting it is itself sensitive" if col.name == label
                            else f"and would be a feature for {label}" if label else "")
                    findings.append(Finding(
                        tool=self.name, type="sensitive_attribute", severity="high" if kind in _SPECIAL else "medium",
                        issue=f"{col.name} records {kind} {role}".strip(),
                        evidence=[col.name, f"values: {', '.join(col.samples[:4])}"],
                        description=f"Using {kind} as a feature can make a model discriminate, and may be unlawful "
                                    "(e.g. GDPR special categories); document why it is needed, or drop it and check "
                                    "its proxies.", file=table.name, columns=[col.name], score=0.8))
            ctx.progress((i + 1) / len(tables))
        summary = (f"{sum(f.type == 'pii' for f in findings)} columns with personal data, "
                   f"{sum(f.type == 'sensitive_attribute' for f in findings)} sensitive attributes.")
        return ToolResult(tool=self.name, summary=summary, findings=findings)

    def _pii(self, table: str, column: str, series: pd.Series) -> list[Finding]:
        text = series.dropna().astype(str)
        out = []
        for kind, pattern in _PII.items():
            hits = text[text.str.contains(pattern, regex=True)]
            if hits.empty:
                continue
            examples = [_mask(pattern.search(v).group(0)) for v in hits.head(_SHOWN)]
            out.append(Finding(
                tool=self.name, type="pii", severity="high",
                issue=f"{column} contains {kind} in {len(hits)} rows",
                evidence=[column, *[f"row {r}: {e}" for r, e in zip(hits.index[:_SHOWN], examples, strict=False)]],
                description=f"Personal data ({kind}) in a dataset must have a legal basis and usually be removed or "
                            "pseudonymised before sharing or training.",
                file=table, rows=[int(r) for r in hits.index[:50]], columns=[column], score=min(1.0, len(hits) / 5)))
        return out
