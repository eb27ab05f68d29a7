"""relation_checks: what only shows across files: missing keys, entities and time ranges shared by splits."""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel

from tools.base import Tool, ToolContext, register
from tools.contracts import Finding, ToolResult
from tools.data.docs import SplitClaim
from tools.data.profile import DatasetProfile, TableProfile
from tools.data.relations import family, key_texts

_SHOWN = 5
_EVAL_SPLITS = ("test", "valid")


class RelationChecksArgs(BaseModel):
    pass


def referential_integrity(ctx: ToolContext) -> list[Finding]:
    out = []
    for rel in ctx.profile.relations:
        if rel.missing == 0:
            continue
        texts = key_texts(ctx.dataset.table(rel.table).df[rel.column])
        keys = set(key_texts(ctx.dataset.table(rel.ref_table).df[rel.ref_column]))
        orphan = texts[~texts.isin(keys)]
        values = list(dict.fromkeys(orphan))
        out.append(Finding(
            tool="relation_checks", type="doc_data_mismatch", severity="high",
            issue=f"{rel.table}.{rel.column} refers to {rel.missing} {rel.ref_column} values missing from "
                  f"{rel.ref_table} (broken references)",
            evidence=[*[f"row {r}: {rel.column} = {v}" for r, v in orphan.head(_SHOWN).items()],
                      f"{len(orphan)} rows point to keys absent from {rel.ref_table}: {', '.join(values[:8])}"],
            description=f"Referential integrity: every {rel.column} in {rel.table} should exist as {rel.ref_column} in "
                        f"{rel.ref_table} ({rel.containment:.0%} do). Joins will drop these rows or fill them "
                        "with nothing.",
            file=rel.table, rows=[int(r) for r in orphan.index[:50]], columns=[rel.column],
            score=round(1 - rel.containment, 3)))
    return out


def _split_pairs(profile: DatasetProfile) -> list[tuple[TableProfile, TableProfile]]:
    """(train, evaluation split) pairs of one table family."""
    pairs = []
    for train in (t for t in profile.tables if t.split == "train"):
        for other in profile.tables:
            if other.split in _EVAL_SPLITS and family(other.name) == family(train.name):
                pairs.append((train, other))
    return pairs


def _claim(profile: DatasetProfile, method: str) -> SplitClaim | None:
    return next((c for c in profile.docs.splits if c.method == method), None)


def entity_overlap(ctx: ToolContext) -> list[Finding]:
    """The same patient / user / device in train and test: a model meets its test entities in training."""
    profile = ctx.profile
    claim = _claim(profile, "grouped")
    if claim is None and _claim(profile, "random"):
        return []  # documented as a random split: shared entities are expected
    out = []
    for train, other in _split_pairs(profile):
        entities = set(train.columns_with("entity")) & set(other.columns_with("entity"))
        for column in sorted(entities):
            a = key_texts(ctx.dataset.table(train.name).df[column])
            b = key_texts(ctx.dataset.table(other.name).df[column])
            shared = set(a) & set(b)
            if not shared:
                continue
            in_other = b[b.isin(shared)]
            share = len(shared) / max(1, b.nunique())
            said = claim and (claim.column is None or claim.column.lower() in column.lower())
            evidence = [*([claim.quote.text] if said else []),
                        *[f"row {r}: {column} = {v}" for r, v in in_other.head(_SHOWN).items()],
                        f"{len(shared)} of {b.nunique()} {column} values in {other.name} also occur in "
                        f"{train.name}: {', '.join(sorted(shared)[:6])}"]
            out.append(Finding(
                tool="relation_checks", type="leakage",
                severity="high" if said else "medium" if ctx.focus.on(kind="split", column=column) else "low",
                issue=(f"{column} values appear in both {train.name} and {other.name}"
                       + (f" although {claim.quote.file} says the split is grouped" if said else "")),
                evidence=evidence, file=other.name,
                rows=[int(r) for r in in_other.index[:50]], columns=[column], score=round(min(1.0, share), 3),
                description=f"Group leakage: the same {column} is in training and evaluation data, so scores measure "
                            "memory of known entities, not generalisation to new ones."
                            + (" The card promises a grouped split." if said else "")))
    return out


def _times(series: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(series):
        return series.dropna()
    return pd.to_datetime(series, errors="coerce", format="mixed").dropna()


def temporal_overlap(ctx: ToolContext) -> list[Finding]:
    """A split documented as temporal whose evaluation rows are not all later than the training rows."""
    profile = ctx.profile
    claim = _claim(profile, "temporal")
    if claim is None:
        return []
    out = []
    for train, other in _split_pairs(profile):
        columns = [c for c in train.columns_with("time") if c in other.columns_with("time")]
        if claim.column:  # the card names the time column: a day count or an index is time too
            named = [c.name for c in train.columns if c.name.lower() == claim.column.lower()
                     and any(o.name == c.name for o in other.columns)]
            columns = named or columns
        for column in columns[:1]:
            a_raw, b_raw = ctx.dataset.table(train.name).df[column], ctx.dataset.table(other.name).df[column]
            a, b = _times(a_raw), _times(b_raw)
            if a.empty or b.empty:
                continue
            early = b[b <= a.max()]
            if early.empty:
                continue
            latest = a.idxmax()
            out.append(Finding(
                tool="relation_checks", type="leakage", severity="high",
                issue=f"{other.name} has {len(early)} rows dated no later than {train.name}'s last {column} "
                      f"although {claim.quote.file} says the split is by time",
                evidence=[claim.quote.text, f"{train.name} row {latest}: {column} = {a_raw[latest]}",
                          *[f"{other.name} row {r}: {column} = {b_raw[r]}" for r in early.index[:_SHOWN]]],
                description="A temporal split must evaluate on data after the training period; overlapping time "
                            "ranges let the model see the future and overstate its accuracy.",
                file=other.name, rows=[int(r) for r in early.index[:50]], columns=[column],
                score=round(len(early) / len(b), 3)))
    return out


@register
class RelationChecksTool(Tool):
    name = "relation_checks"
    description = ("Check what only shows across files: keys in one table missing from the table they refer to "
                   "(referential integrity), the same entity (patient, user, device...) in train and test, and "
                   "evaluation rows dated inside the training period when the split is documented as temporal. "
                   "Read-only.")
    Args = RelationChecksArgs
    in_audit = True

    def applies(self, profile: DatasetProfile) -> bool:
        return len(profile.tables) > 1

    def run(self, ctx: ToolContext, args: RelationChecksArgs) -> ToolResult:
        findings = referential_integrity(ctx)
        ctx.progress(0.4)
        findings += entity_overlap(ctx)
        ctx.progress(0.7)
        findings += temporal_overlap(ctx)
        ctx.progress(1.0)
        summary = f"{len(findings)} problems across files." if findings else (
            f"{len(ctx.profile.relations)} references between tables hold; splits share no entities.")
        return ToolResult(tool=self.name, summary=summary, findings=findings)
