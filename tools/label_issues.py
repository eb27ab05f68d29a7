"""label_issues: rows whose label is probably wrong (confident learning with cleanlab), and class imbalance."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from tools.base import Tool, ToolContext, register
from tools.contracts import CellUpdate, DropRows, Finding, ProposedChange, SetValues, ToolResult
from tools.data.profile import TableProfile
from tools.data.tables import Table
from tools.embeddings import default_embedder
from tools.errors import UsageError
from tools.evidence import quote, row_namer
from tools.label_model import (
    Labels,
    embedding_probs,
    encode_labels,
    feature_frame,
    flag_label_issues,
    tabular_probs,
    text_probs,
)
from tools.operations import preview_table_change

Model = Literal["auto", "fast", "thorough"]
_QUOTED = 5
_MIN_CLASS_MEMBERS = 3  # fewer examples than this cannot be checked against the rest
_RARE_SHARE = 0.05
_MIN_LIFT = 0.05  # models must beat the majority-class rate by this much before they may judge labels
_WIDESPREAD = 0.10  # curated labels are wrong in a few percent of rows, not in one row of ten


class LabelIssuesArgs(BaseModel):
    table: str | None = Field(default=None, description="table to check (the main one when omitted)")
    label_column: str | None = Field(default=None, description="the label column (inferred when omitted)")
    feature_columns: list[str] | None = Field(
        default=None, description="features; all other columns by default, leaving out ids and copies of the label")
    text_column: str | None = Field(default=None, description="text to learn from (inferred); used instead of "
                                                              "the other columns unless feature_columns is given")
    pred_probs: str | None = Field(
        default=None, description="your own out-of-sample predicted probabilities: a column prefix (columns "
                                  "PREFIX<class>) or a .npy file with one column per class in sorted class order")
    embeddings: str | None = Field(default=None, description="a .npy file of row embeddings to learn from too")
    model: Model = Field(default="auto", description="auto: gradient boosting only where it pays (categorical or "
                                                     "missing features, large tables); fast: never; thorough: always")
    folds: int = Field(default=5, ge=2, le=20, description="cross-validation folds")


def _pick_table(ctx: ToolContext, args: LabelIssuesArgs) -> Table:
    if args.table:
        return ctx.dataset.table(args.table)
    profile = ctx.profile
    with_label = [t for t in profile.tables if (args.label_column in [c.name for c in t.columns]
                                                if args.label_column else t.label_candidates)]
    if not with_label:
        raise UsageError("no label column found", fix="pass --label COLUMN (label_column)")
    train = [t for t in with_label if t.split == "train"]
    return ctx.dataset.table((train or sorted(with_label, key=lambda t: -t.rows))[0].name)


def _label_copies(df: pd.DataFrame, label: str, columns: list[str]) -> list[str]:
    """Columns that fully determine the label (a code or a name of the class): learning from them is cheating."""
    copies = []
    for col in columns:
        values = df[col]
        if values.nunique() < 2 or values.nunique() > len(df) / 2:
            continue
        if df.groupby(values, observed=True)[label].nunique().max() == 1:
            copies.append(col)
    return copies


def _plain(value: object) -> object:
    """A numpy scalar as the Python value it holds, so a class reads 5.0, not np.float64(5.0)."""
    return value.item() if isinstance(value, np.generic) else value


def _applies_only(df: pd.DataFrame, label: str) -> tuple[str, list[object]] | None:
    """A categorical column whose values say exactly where the label is filled (a hurricane category where the
    status is hurricane, and nowhere else): the column and the values where the label applies."""
    present = df[label].notna()
    for col in df.columns:
        if col == label or not 2 <= df[col].nunique() <= 50 or df[col].isna().any():
            continue
        share = present.groupby(df[col], observed=True).mean()
        if share.isin([0.0, 1.0]).all() and 0 < (share == 1.0).sum() < len(share):
            return str(col), [v for v in share.index if share[v] == 1.0]
    return None


def _binned_from(df: pd.DataFrame, label: str, copies: list[str]) -> str | None:
    """A numeric column the label is cut from: more values than classes, and each class a separate interval
    of it (a hurricane's category from its wind speed). Such a label is derived, not annotated: other
    features that disagree with it show where they fall short, not a wrong label."""
    for col in copies:
        values = pd.to_numeric(df[col], errors="coerce")
        present = values.notna() & df[label].notna()
        if values[present].nunique() <= df.loc[present, label].nunique() or present.sum() < 0.9 * len(df):
            continue
        spans = values[present].groupby(df.loc[present, label], observed=True).agg(["min", "max"]).sort_values("min")
        if (spans["min"].iloc[1:].to_numpy() > spans["max"].iloc[:-1].to_numpy()).all():
            return col
    return None


def _load_npy(ctx: ToolContext, name: str, rows: int) -> np.ndarray:
    path = Path(name) if Path(name).is_absolute() else ctx.dataset.root.parent / name
    if not path.exists() and ctx.dataset.root.is_dir():
        path = ctx.dataset.root / name
    try:
        array = np.load(path)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {name}: {exc}", file=path, fix="give a .npy file saved with numpy.save") from exc
    if array.ndim != 2 or array.shape[0] != rows:
        raise UsageError(f"{name} has shape {array.shape}, expected ({rows}, N)", file=path)
    return array.astype(np.float64)


def _user_probs(ctx: ToolContext, df: pd.DataFrame, labels: Labels, source: str) -> np.ndarray:
    if source.endswith(".npy"):
        probs = _load_npy(ctx, source, len(df))[labels.positions]
    else:
        columns = [f"{source}{c}" for c in labels.classes]
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise UsageError(f"no probability columns {', '.join(missing[:3])}",
                             fix=f"name them {source}<class> for every class")
        probs = df[columns].to_numpy(dtype=float)[labels.positions]
    if probs.shape[1] != labels.n_classes:
        raise UsageError(f"pred_probs has {probs.shape[1]} columns for {labels.n_classes} classes")
    return probs / probs.sum(axis=1, keepdims=True)


class _Plan(BaseModel):
    """What the model learns from, decided once so the summary can say it."""

    features: list[str]
    text: str | None
    dropped_copies: list[str]


def _inputs(df: pd.DataFrame, profile: TableProfile, label: str, args: LabelIssuesArgs) -> _Plan:
    text = args.text_column or (profile.text_candidates[0] if profile.text_candidates else None)
    if args.feature_columns is not None:
        return _Plan(features=args.feature_columns, text=args.text_column, dropped_copies=[])
    if text:
        return _Plan(features=[], text=text, dropped_copies=[])
    skip = {label, *profile.id_candidates}
    candidates = [c for c in df.columns if c not in skip
                  and not (args.pred_probs and c.startswith(args.pred_probs))]
    copies = _label_copies(df, label, candidates)
    return _Plan(features=[c for c in candidates if c not in copies], text=None, dropped_copies=copies)


@register
class LabelIssuesTool(Tool):
    name = "label_issues"
    description = (
        "Find rows whose class label is probably wrong, with cleanlab's confident learning on out-of-sample "
        "predicted probabilities (K-fold: gradient boosting, logistic regression and k-NN for tables; TF-IDF "
        "and sentence embeddings for text; or your own pred_probs). Reports each suspect row with its given "
        "and suggested label and a label-quality score, proposes relabelling or dropping them, and reports "
        "classes under 5% of rows or a card that claims balance the data lacks.")
    Args = LabelIssuesArgs
    in_audit = True
    embeds_text = True

    def applies(self, profile) -> bool:
        """In an audit, only where the target is credible and holds classes: judging a guessed column, or a
        measurement with hundreds of values, reports noise."""
        def classes(t) -> bool:
            col = t.column(t.likely_label)
            limit = 10 if col.kind == "numeric" else max(2, min(50, t.rows // 5))  # many numbers: a regression
            return 2 <= col.distinct <= limit

        return any(t.likely_label and classes(t) for t in profile.tables)

    def run(self, ctx: ToolContext, args: LabelIssuesArgs) -> ToolResult:
        table = _pick_table(ctx, args)
        df = table.df
        profile = ctx.profile.table(table.name)
        label = args.label_column or profile.likely_label
        guessed = None
        if label is None and profile.label_candidates:  # asked for explicitly: use the best guess, and say so
            label = profile.label_candidates[0]
            guessed = f" The label column {label} was guessed; pass --label to confirm."
        if label is None:
            raise UsageError("no label column found", file=table.name, fix="pass --label COLUMN (label_column)")
        for col in [label, *(args.feature_columns or []), *([args.text_column] if args.text_column else [])]:
            ctx.dataset.require_column(col, table.name)

        findings = self._unlabelled(table, label)
        encode_labels(df[label], label)  # the whole column must look like class labels
        counts = df[label].value_counts()
        too_few = counts[counts < _MIN_CLASS_MEMBERS]
        checkable = df[label].where(~df[label].isin(too_few.index))
        labels = encode_labels(checkable, label)
        plan = _inputs(df, profile, label, args)
        # A label cut from a measurement agrees with its own definition in every row: nothing to learn or judge.
        binned = None if args.pred_probs else _binned_from(df.iloc[labels.positions], label, plan.dropped_copies)
        probs = (np.eye(labels.n_classes)[labels.codes] if binned
                 else self._probabilities(ctx, df, labels, plan, args))
        ctx.progress(0.9)

        issue_mask, quality = ((np.zeros(len(labels.codes), dtype=bool), np.ones(len(labels.codes))) if binned
                               else flag_label_issues(labels.codes, probs))
        suggested = probs.argmax(axis=1)
        accuracy = float((suggested == labels.codes).mean())
        baseline = float(np.bincount(labels.codes).max() / len(labels.codes))
        predictable = accuracy >= baseline + _MIN_LIFT
        if not predictable:  # models no better than guessing the majority cannot judge any label
            issue_mask[:] = False
        # A row with none of its features filled gives the models nothing to judge its label by.
        blank = (df.iloc[labels.positions][plan.features].isna().all(axis=1).to_numpy() if plan.features
                 else np.zeros(len(labels.codes), dtype=bool))
        flagged = [i for i in np.flatnonzero(issue_mask) if not blank[i]]
        flagged.sort(key=lambda i: quality[i])
        row_ids = [int(df.index[labels.positions[i]]) for i in flagged]
        if flagged:
            findings.append(self._finding(
                table, profile, plan, label, row_ids, [labels.classes[labels.codes[i]] for i in flagged],
                [labels.classes[suggested[i]] for i in flagged], quality[flagged], probs[flagged, suggested[flagged]],
                accuracy, baseline, len(labels.codes)))
        findings += self._imbalance(ctx, table, label, counts, too_few)
        changes = self._changes(table, label, findings, row_ids, [labels.classes[suggested[i]] for i in flagged])
        ctx.progress(1.0)
        used = (f"text column '{plan.text}'" if plan.text else f"{len(plan.features)} feature columns")
        if args.pred_probs:
            used = f"your pred_probs ({args.pred_probs})"
        summary = (f"{len(flagged)} of {len(labels.codes)} labels in {table.name}.{label} look wrong "
                   + ("(no model needed)." if binned else
                      f"(learned from {used}; out-of-sample accuracy {accuracy:.0%}).")
                   + ("" if predictable else f" Not judged: the models do no better than the majority class "
                                             f"({baseline:.0%}), so {label} cannot be predicted from these features.")
                   + (f" Left out {', '.join(plan.dropped_copies)}: they repeat the label." if plan.dropped_copies
                      else "")
                   + (f" Not judged: {label} is a range of {binned} (each class a separate interval of it), so "
                      "every label agrees with its definition." if binned else "") + (guessed or ""))
        return ToolResult(tool=self.name, summary=summary, findings=findings, proposed_changes=changes)

    def _probabilities(self, ctx: ToolContext, df: pd.DataFrame, labels: Labels, plan: _Plan,
                       args: LabelIssuesArgs) -> np.ndarray:
        if args.pred_probs:
            return _user_probs(ctx, df, labels, args.pred_probs)
        rows = df.iloc[labels.positions]
        parts: list[np.ndarray] = []
        if plan.text:
            texts = rows[plan.text].fillna("").astype(str).tolist()
            parts.append(text_probs(texts, labels, args.folds, lambda f: ctx.progress(0.4 * f)))
            embedder = default_embedder()
            if not embedder.name.startswith("lexical"):  # lexical vectors add nothing over TF-IDF
                parts.append(embedding_probs(embedder.embed(texts), labels, args.folds,
                                             lambda f: ctx.progress(0.4 + 0.3 * f)))
        if plan.features:
            features = feature_frame(rows, plan.features)
            if features.shape[1] == 0:
                raise UsageError("no usable feature columns (all ids or free text)", fix="pass feature_columns")
            parts.append(tabular_probs(features, labels, args.folds, lambda f: ctx.progress(0.7 * f), args.model))
        if args.embeddings:
            vectors = _load_npy(ctx, args.embeddings, len(df))[labels.positions]
            parts.append(embedding_probs(vectors, labels, args.folds, lambda f: ctx.progress(0.7 + 0.2 * f)))
        if not parts:
            raise UsageError("nothing to learn the labels from", fix="pass feature_columns or text_column")
        return sum(parts) / len(parts)

    def _finding(self, table: Table, profile: TableProfile, plan: _Plan, label: str, row_ids: list[int],
                 given: list[object], suggested: list[object], quality: np.ndarray, probability: np.ndarray,
                 accuracy: float, baseline: float, checked: int) -> Finding:
        """All suspect labels of one table in one finding (one model, one cause), worst first.

        Severity follows how far the model can be trusted: a model barely better than the majority class
        disagrees with many correct labels (a noisy outcome such as survival), so its verdicts are "low".
        """
        df = table.df
        name = row_namer(df, profile)
        evidence = []
        for row_id, g, s, p in list(zip(row_ids, given, suggested, probability, strict=True))[:_QUOTED]:
            row = df.loc[row_id]
            shown = (f"\"{quote(row[plan.text])}\"" if plan.text
                     else quote(", ".join(f"{c}={row[c]}" for c in plan.features[:8])))
            evidence.append(f"{name(row_id)}: {label}={g}, probably {s} (p={p:.2f}): {shown}")
        lift = accuracy - baseline
        trusted = accuracy >= 0.9 or lift >= 0.3
        # More than one label in ten "wrong" under a model that is itself wrong more often than that: the
        # outcome is hard to predict (who survived), and the models' disagreement is that, not a few mistakes.
        widespread = len(row_ids) >= _WIDESPREAD * checked and accuracy < 0.9
        weak = (accuracy < 0.8 and lift < 0.15) or widespread
        severity = "low" if weak else "high" if trusted and float(quality[0]) < 0.1 else "medium"
        return Finding(
            tool=self.name, type="label_error", severity=severity,
            issue=f"{len(row_ids)} rows of {table.name} are probably mislabelled in {label}",
            evidence=evidence,
            description=f"Models that never saw these rows predict another {label} with confidence; the given labels "
                        f"have label quality {float(quality[0]):.3f} to {float(quality[-1]):.3f}. The models are "
                        f"{accuracy:.0%} accurate out of sample (majority class {baseline:.0%}) on {checked} rows"
                        + (", too weak to be sure of any single verdict" if weak else "")
                        + (f"; they disagree with {len(row_ids) / checked:.0%} of the labels, as models do with an "
                           "outcome that the features cannot settle" if widespread else "")
                        + ". A wrong label teaches the model the wrong thing and distorts evaluation.",
            file=table.name, rows=row_ids, columns=[label], score=round(float(1 - quality[:_QUOTED].mean()), 3))

    def _unlabelled(self, table: Table, label: str) -> list[Finding]:
        missing = table.df.index[table.df[label].isna()]
        if missing.empty:
            return []
        ids = [int(r) for r in missing]
        evidence = [f"rows {', '.join(map(str, ids[:10]))}" + (" …" if len(ids) > 10 else ""), f"{label} is empty"]
        if (where := _applies_only(table.df, label)) is not None:
            col, values = where
            shown = ", ".join(map(repr, values[:4])) + (" …" if len(values) > 4 else "")
            return [Finding(tool=self.name, type="missing_values", severity="low",
                            issue=f"{len(ids)} rows have no {label}: it is filled exactly where {col} is {shown}",
                            evidence=[*evidence, f"{label} is present in every row with {col} in {shown} and in no "
                                                 "other row"],
                            description=f"{label} applies only to some kinds of row, so its gaps mean 'not "
                                        "applicable', not a lost value; they were left out of the label check.",
                            file=table.name, rows=ids, columns=[label, col], score=0.5)]
        return [Finding(tool=self.name, type="missing_values", severity="medium",
                        issue=f"{len(ids)} rows have no {label}", evidence=evidence,
                        description="Rows without a label were left out of the label check; fill or drop them.",
                        file=table.name, rows=ids, columns=[label], score=1.0)]

    def _imbalance(self, ctx: ToolContext, table: Table, label: str, counts: pd.Series,
                   too_few: pd.Series) -> list[Finding]:
        total = int(counts.sum())
        findings = []
        evidence = [f"{k}: {v} ({v / total:.1%})" for k, v in counts.items()]
        rare = counts[counts / total < _RARE_SHARE]
        if not rare.empty:  # every rare class of one label in one finding
            unchecked = [c for c in rare.index if c in too_few.index]
            names = ", ".join(f"{_plain(c)!r} ({n})" for c, n in rare.head(8).items()) + (" …" if len(rare) > 8
                                                                                           else "")
            findings.append(Finding(
                tool=self.name, type="class_imbalance", severity="medium",
                issue=(f"class {_plain(rare.index[0])!r} of {label} is rare: {rare.iloc[0]} of {total} rows "
                       f"({rare.iloc[0] / total:.1%})" if len(rare) == 1 else
                       f"{len(rare)} classes of {label} are rare (under {_RARE_SHARE:.0%} each): {names}"),
                evidence=[f"{label}={c}: {n} rows" for c, n in rare.head(4).items()] + evidence[:6],
                description="Models tend to ignore classes this rare; collect more examples, reweight, or report "
                            "per-class metrics."
                            + (f" {len(unchecked)} of them have too few examples to check their labels."
                               if unchecked else ""),
                file=table.name, columns=[label], score=round(1 - rare.iloc[-1] / total / _RARE_SHARE, 3)))
        ratio = counts.min() / counts.max()
        # A card that says "balanced" promises classes of about equal size: 37/63 is not that.
        for claim in ctx.profile.docs.balanced[:1] if ratio < 0.75 else []:
            findings.append(Finding(
                tool=self.name, type="class_imbalance", severity="high",
                issue=f"{claim.file} says the classes are balanced; {label} is not",
                evidence=[claim.text[:200], *evidence[:6]],
                description=f"The smallest class has {ratio:.0%} of the largest one's rows. Readers who "
                            "trust the card will misread accuracy figures.",
                file=claim.file, columns=[label], score=round(1 - ratio, 3)))
        return findings

    def _changes(self, table: Table, label: str, findings: list[Finding], row_ids: list[int],
                 suggestions: list[object]) -> list[ProposedChange]:
        if not row_ids:
            return []
        ids = [f.id for f in findings if f.type == "label_error"]
        relabel = SetValues(kind="relabel", table=table.name, column=label,
                            updates=[CellUpdate(row_id=r, value=s) for r, s in zip(row_ids, suggestions, strict=True)])
        drop = DropRows(table=table.name, row_ids=sorted(row_ids))
        return [
            ProposedChange(tool=self.name, operation=relabel, finding_ids=ids,
                           rationale=f"Relabel {len(row_ids)} rows of {table.name} to the label the models "
                                     "predict. Approve only the rows you have checked (edit), or drop them instead.",
                           preview=preview_table_change(table.df, relabel)),
            ProposedChange(tool=self.name, operation=drop, finding_ids=ids,
                           rationale=f"Drop the {len(row_ids)} rows of {table.name} whose labels look wrong, "
                                     "when relabelling them is not safe.",
                           preview=preview_table_change(table.df, drop)),
        ]
