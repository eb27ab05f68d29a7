"""value_checks: disguised missing values, impossible values, inconsistent formats, and target leakage."""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
from pydantic import BaseModel, Field

from tools.base import TableCheck, ToolContext, register
from tools.contracts import Finding
from tools.data.profile import TableProfile
from tools.data.tables import Table
from tools.evidence import row_namer
from tools.focus import Focus

# Not "none" or "0": they are often real categories ("number of links: none").
_PLACEHOLDER_TEXT = {"na", "n/a", "nan", "null", "?", "-", "--", "missing", "unknown", "not available",
                     "undefined", "#n/a", ".", "tbd"}
_PLACEHOLDER_NUMBERS = {-999, -9999, -99, 999, 9999, 99999, -1}
_NONNEGATIVE = re.compile(r"(^|_)(age|count|num|n|qty|quantity|price|cost|amount|weight|height|length|width|"
                          r"depth|mass|size|duration|distance|income|salary|population|area|volume)($|_|s$)", re.I)
_PERCENT = re.compile(r"(percent|pct|_perc$|rate_pct|%)", re.I)
_DATE_FORMATS = {"YYYY-MM-DD": r"^\d{4}-\d{2}-\d{2}", "DD/MM/YYYY or MM/DD/YYYY": r"^\d{1,2}/\d{1,2}/\d{4}$",
                 "DD.MM.YYYY": r"^\d{1,2}\.\d{1,2}\.\d{4}$", "YYYY/MM/DD": r"^\d{4}/\d{2}/\d{2}$",
                 "Month D, YYYY": r"^[A-Za-z]{3,9}\.? \d{1,2},? \d{4}$",
                 "D Month YYYY": r"^\d{1,2} [A-Za-z]{3,9} \d{4}$"}
_UNIT = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*([a-zA-Z%°µ]+[a-zA-Z²³/]*)\s*$")
_ORDINAL = re.compile(r"^\s*\d+\s*(st|nd|rd|th)\s*$", re.I)  # 1st, 2nd, 3rd, 4th: ranks, not amounts in units
_CENTRED = 0.2  # a quarter of a standard deviation: a column whose mean is this near 0 has been centred
_SHOWN = 5
_STANDS_APART = 0.05  # a leak beats every other single feature by this much (balanced accuracy)


class ValueChecksArgs(BaseModel):
    table: str | None = Field(default=None, description="table to check; every table when omitted")
    label_column: str | None = Field(default=None, description="label, for the target-leakage check (inferred)")


def _rows(series: pd.Series, mask: pd.Series) -> list[int]:
    return [int(r) for r in series.index[mask.fillna(False).to_numpy()][:50]]


def _finding(table: Table, col: str, type_: str, severity: str, issue: str, evidence: list[str], description: str,
             rows: list[int], score: float) -> Finding:
    return Finding(tool="value_checks", type=type_, severity=severity, issue=issue, evidence=evidence,
                   description=description, file=table.name, rows=rows, columns=[col], score=round(score, 3))


def disguised_missing(table: Table, profile: TableProfile, focus: Focus | None = None) -> list[Finding]:
    focus = focus or Focus()
    where = row_namer(table.df, profile)
    out = []
    for c in profile.columns:
        repeats = 1 if focus.on(kind="missing", column=c.name) else 2  # a hint makes one sentinel enough
        series = table.df[c.name]
        if c.kind in ("numeric", "mixed"):
            numbers = pd.to_numeric(series, errors="coerce")
            for value in _PLACEHOLDER_NUMBERS:
                mask = numbers == value
                n = int(mask.sum())
                rest = numbers[~mask].dropna()
                # A sentinel stands apart: far outside the other values, and repeated.
                if n >= repeats and len(rest) > 10 and (value < rest.min() - rest.std()
                                                        or value > rest.max() + rest.std()):
                    out.append(_finding(table, c.name, "missing_values", "medium",
                                        f"{c.name} uses {value:g} for missing values ({n} rows)",
                                        [c.name, f"value {value:g} in rows "
                                                 f"{', '.join(map(str, _rows(series, mask)[:_SHOWN]))}",
                                         f"other values range {rest.min():g} to {rest.max():g}"],
                                        f"{value:g} lies outside every real value of {c.name}: it is a placeholder, "
                                        "and averages and models will treat it as a measurement.",
                                        _rows(series, mask), min(1.0, n / 10)))
        # A legitimate 0 (calm wind, no put-outs) looks the same from the values alone: only where asked.
        if c.kind == "numeric" and repeats == 1 and (zeros := _zero_placeholder(series)) is not None:
            out.append(_finding(table, c.name, "missing_values", "medium",
                                f"{c.name} is 0 in {int(zeros.sum())} rows where every other value is at least "
                                f"{series[series > 0].min():g}: 0 probably means unknown",
                                [c.name, *[f"{where(r)}: {c.name} = 0" for r in _rows(series, zeros)[:_SHOWN]]],
                                "A measurement that is never near 0 but sometimes exactly 0 is a placeholder for a "
                                "missing value; as a number it drags averages and models towards 0.",
                                _rows(series, zeros), min(1.0, int(zeros.sum()) / 10)))
        if c.kind in ("categorical", "mixed", "text", "id") or series.dtype == object:
            text = series.astype("string").str.strip().str.lower()
            mask = text.isin(_PLACEHOLDER_TEXT)
            if c.kind != "text":  # an empty note is just no note; an empty category is a hidden gap
                mask |= series.astype("string").str.strip() == ""
            n = int(mask.sum())
            if n >= 1:
                shown = sorted({repr(v) for v in series[mask.fillna(False)].head(20)})[:3]
                out.append(_finding(table, c.name, "missing_values", "medium",
                                    f"{c.name} hides {n} missing values as text ({', '.join(shown)})",
                                    [c.name, *shown, f"rows {', '.join(map(str, _rows(series, mask)[:_SHOWN]))}"],
                                    "Placeholders such as 'NA', '?' or empty strings are read as real values; count "
                                    "them as missing.", _rows(series, mask), min(1.0, n / 10)))
    return out


def _zero_placeholder(series: pd.Series) -> pd.Series | None:
    """Exact zeros in a continuous positive measurement whose real values stay far from 0 (a salary of 0
    among salaries from 67.5 up): the mask of those zeros, or None."""
    numbers = pd.to_numeric(series, errors="coerce")
    zeros = numbers == 0
    rest = numbers[numbers > 0]
    if zeros.sum() < 2 or rest.empty or (numbers < 0).any() or rest.nunique() < 20:
        return None
    # Counts start at 1 and measurements with small values cluster near 0: only a clear gap counts.
    return zeros if rest.min() >= 0.1 * rest.median() and rest.min() >= 5 else None


def _centred(numbers: pd.Series) -> bool:
    """Values spread on both sides of a mean near 0 (a standardised or mean-centred column): negative values
    are then offsets from the mean, not entry errors, which are a few stray rows in a column of positive values."""
    present = numbers.dropna()
    if len(present) < 10 or present.std() == 0:
        return False
    negative = float((present < 0).mean())
    return 0.2 <= negative <= 0.8 and abs(present.mean()) <= _CENTRED * present.std()


def _date_like(series: pd.Series) -> bool:
    """Mostly values written as dates, whatever the column is called."""
    text = series.dropna().astype(str).str.strip()
    if text.empty or pd.api.types.is_numeric_dtype(series):
        return False
    pattern = "|".join(f"(?:{p})" for p in _DATE_FORMATS.values())
    return bool(text.head(1000).str.match(pattern).mean() >= 0.8)


def out_of_range(table: Table, profile: TableProfile) -> list[Finding]:
    where = row_namer(table.df, profile)
    out = []
    now = pd.Timestamp(datetime.now())
    for c in profile.columns:
        series = table.df[c.name]
        if c.kind in ("numeric", "mixed"):
            numbers = pd.to_numeric(series, errors="coerce")
            if _NONNEGATIVE.search(c.name):
                mask = (numbers < 0) & ~numbers.isin(_PLACEHOLDER_NUMBERS)
                if mask.any() and _centred(numbers):
                    out.append(_finding(table, c.name, "other", "low",
                                        f"{c.name} is centred on 0 ({int(mask.sum())} negative values): it is not "
                                        "in its natural unit",
                                        [c.name, f"mean {numbers.mean():.3g}, standard deviation {numbers.std():.3g}",
                                         f"from {numbers.min():g} to {numbers.max():g}"],
                                        f"{c.name} has been standardised or centred, so its negative values are "
                                        "offsets from the mean, not impossible values; readers need the original "
                                        "mean and scale to interpret it.", [], 0.5))
                elif mask.any():
                    bad = numbers[mask.fillna(False)]
                    out.append(_finding(table, c.name, "out_of_range", "high",
                                        f"{c.name} has {int(mask.sum())} negative values",
                                        [c.name, *[f"{where(r)}: {v:g}" for r, v in bad.head(_SHOWN).items()]],
                                        f"A {c.name} cannot be negative: these are entry or unit errors.",
                                        _rows(series, mask), 1.0))
            if _PERCENT.search(c.name):
                mask = (numbers > 100) | (numbers < 0)
                if mask.any():
                    bad = numbers[mask.fillna(False)]
                    out.append(_finding(table, c.name, "out_of_range", "high",
                                        f"{c.name} has {int(mask.sum())} values outside 0–100",
                                        [c.name, *[f"{where(r)}: {v:g}" for r, v in bad.head(_SHOWN).items()]],
                                        "A percentage outside 0–100 is impossible.", _rows(series, mask), 1.0))
        if c.kind == "datetime" or _date_like(series):
            dates = pd.to_datetime(series, errors="coerce", format="mixed")
            mask = dates > (now.tz_localize(dates.dt.tz) if dates.dt.tz else now)
            if mask.any():
                out.append(_finding(table, c.name, "out_of_range", "high",
                                    f"{c.name} has {int(mask.sum())} dates in the future",
                                    [c.name, *[f"{where(r)}: {series[r]}" for r in _rows(series, mask)[:_SHOWN]]],
                                    "Dates after today cannot have been observed.", _rows(series, mask), 1.0))
    return out


def inconsistent_formats(table: Table, profile: TableProfile) -> list[Finding]:
    out = []
    for c in profile.columns:
        series = table.df[c.name].dropna()
        if series.empty or not (series.dtype == object or pd.api.types.is_string_dtype(series)):
            continue
        text = series.astype(str).str.strip()
        formats = {name: int(text.str.match(p).sum()) for name, p in _DATE_FORMATS.items()}
        used = {k: v for k, v in formats.items() if v}
        if len(used) >= 2 and sum(used.values()) >= 0.8 * len(text):
            examples = [text[text.str.match(_DATE_FORMATS[k])].iloc[0] for k in used]
            out.append(_finding(table, c.name, "inconsistent_format", "medium",
                                f"{c.name} mixes {len(used)} date formats", [c.name, *examples],
                                f"Dates are written as {', '.join(used)}: parsing will swap days and months or fail.",
                                [], 0.9))
            continue
        if c.kind == "categorical" and 2 <= c.distinct <= 200:
            canon = text.str.lower().str.replace(r"[\s_\-.]+", "", regex=True)
            groups = text.groupby(canon).unique()
            variants = {k: sorted(v) for k, v in groups.items() if len(v) > 1}
            if variants:
                example = next(iter(variants.values()))
                out.append(_finding(table, c.name, "inconsistent_format", "medium",
                                    f"{c.name} spells {len(variants)} categories several ways",
                                    [c.name, *[" / ".join(map(repr, v)) for v in list(variants.values())[:3]]],
                                    f"{' and '.join(map(repr, example))} are one category written differently; they "
                                    "split counts and confuse models.", [], 0.9))
        units = text[~text.str.match(_ORDINAL)].str.extract(_UNIT)[0].dropna().str.lower()
        if units.nunique() >= 2 and len(units) >= 0.5 * len(text):
            out.append(_finding(table, c.name, "inconsistent_format", "medium",
                                f"{c.name} mixes units: {', '.join(sorted(units.unique())[:4])}",
                                [c.name, *[text[units.index[units == u][0]] for u in sorted(units.unique())[:3]]],
                                "Values in different units are not comparable until converted.", [], 0.9))
    return out


def _stump_accuracy(values: pd.Series, labels: pd.Series) -> float:
    """Out-of-sample balanced accuracy of the best thresholds on one numeric feature (a small tree, 3-fold)."""
    from sklearn.model_selection import cross_val_score  # imported here: slow, and only this check needs it
    from sklearn.tree import DecisionTreeClassifier

    x = values.to_numpy(dtype=float).reshape(-1, 1)
    y = labels.astype(str).to_numpy()
    leaves = max(2, 2 * labels.nunique())
    if pd.Series(y).value_counts().min() < 3:
        return 0.0
    model = DecisionTreeClassifier(max_leaf_nodes=leaves, min_samples_leaf=3, random_state=0)
    return float(cross_val_score(model, x, y, cv=3, scoring="balanced_accuracy").mean())


def _code_of(column: str, label: str, mapping: pd.Series) -> bool:
    """A one-to-one renaming of the classes that says so: named after the label (species_code), or each value
    starting like its class (A1 → Adelie)."""
    if mapping.nunique() != len(mapping):
        return False
    named = bool(set(re.split(r"[_\W]+", column.lower())) & set(re.split(r"[_\W]+", label.lower())) - {""})
    initials = all(str(v)[:1].lower() == str(k)[:1].lower() for v, k in mapping.items())
    return named or initials


def _balanced(truth: pd.Series, predicted: pd.Series) -> float:
    from sklearn.metrics import balanced_accuracy_score  # imported here: slow, and only this check needs it

    return float(balanced_accuracy_score(truth.astype(str), predicted.astype(str))) if len(truth) else 0.0


def _leak(table: Table, col: str, label: str, issue: str, evidence: list[str], separation: float,
          rows: list[int]) -> Finding:
    return _finding(table, col, "leakage", "high", issue, [col, label, *evidence],
                    f"{col} gives {label} away: a code of it, or something recorded after the outcome. A model "
                    "trained on it scores well here and fails in use, where the value is not yet known.",
                    rows, round(separation, 3))


def _defined_for_one_class(df: pd.DataFrame, col: str, label: str) -> tuple[str, float, str] | None:
    """A value present (or non-zero) for one class only: recorded because of the outcome."""
    series = df[col]
    numbers = pd.to_numeric(series, errors="coerce")
    masks = {"present": series.notna()}
    if numbers.notna().mean() > 0.9:
        masks["non-zero"] = numbers.fillna(0) != 0
    for what, mask in masks.items():
        if mask.all() or not mask.any():
            continue
        by_class = mask.groupby(df[label], observed=True).mean()
        top = by_class.idxmax()
        rest = by_class.drop(top)
        counts = df[label].value_counts()
        if by_class[top] >= 0.9 and (rest <= 0.02).all() and counts[top] >= 5 and counts.drop(top).sum() >= 5:
            return what, float(by_class[top] - rest.max()), str(top)
    return None


def target_leakage(table: Table, profile: TableProfile, label: str | None, bar: float = 0.98) -> list[Finding]:
    """A single feature that gives the label away: a code of it, or a value recorded after the outcome.

    Three signs, each ranked by how cleanly it separates the classes: a categorical value that maps to one
    class; a number whose best thresholds separate the classes almost perfectly out of sample; a value that
    is present (or non-zero) for one class only. Merely strong features stay below the bar (0.98 out of sample;
    lower where the goal points at labels or leakage).
    """
    if not label or label not in table.df.columns:
        return []
    df = table.df[table.df[label].notna()]
    if len(df) < 30 or df[label].nunique() > 20:
        return []
    out = []
    # Balanced accuracy throughout: with a dominant class, plain accuracy is high for any feature.
    base = df[label].value_counts(normalize=True).iloc[0]
    sample = df.sample(min(len(df), 20_000), random_state=0) if len(df) > 20_000 else df
    roles = {r.column: r.role for r in profile.roles}
    scores: dict[str, float] = {}  # balanced accuracy of each feature alone
    candidates: dict[str, tuple[str, list[str], float]] = {}  # issue, evidence, the bar it must reach
    codes: set[str] = set()  # renamings of the label: leaks whatever the other features do
    for c in profile.columns:
        if c.name == label or c.kind in ("id", "empty", "constant", "text") or roles.get(c.name) in ("id", "split"):
            continue
        feature = sample[c.name]
        if (one_class := _defined_for_one_class(sample, c.name, label)) is not None:
            what, separation, cls = one_class
            rows = _rows(df[c.name], df[label].astype(str) == cls)[:50]
            example = df.loc[df[label].astype(str) == cls, c.name].dropna().head(3)
            out.append(_leak(table, c.name, label, f"{c.name} is {what} only when {label} is {cls!r}",
                             [f"row {r}: {c.name} = {v}, {label} = {df.at[r, label]}" for r, v in example.items()]
                             + [f"{what} in {separation:.0%} more rows of {label} = {cls!r} than of any other class"],
                             separation, rows))
            continue
        distinct = feature.nunique()
        if distinct <= max(50, 3 * df[label].nunique()) and distinct <= len(sample) / 5:
            mapping = sample.groupby(feature, observed=True)[label].agg(lambda s: s.value_counts().index[0])
            predicted = feature.map(mapping)
            known = predicted.notna()
            scores[c.name] = _balanced(sample.loc[known, label], predicted[known])
            evidence = [f"{c.name} = {v} → {label} = {k}" for v, k in mapping.head(3).items()]
            candidates[c.name] = (f"{c.name} predicts {label} almost perfectly ({scores[c.name]:.1%} balanced "
                                  "accuracy)", evidence, min(0.99, bar + 0.01))  # a code: a notch stricter
            if scores[c.name] >= 0.999 and _code_of(c.name, label, mapping):
                codes.add(c.name)
        elif c.kind == "numeric":
            present = sample[[c.name, label]].dropna()
            if len(present) < 30:
                continue
            scores[c.name] = _stump_accuracy(present[c.name], present[label])
            spans = present.groupby(label, observed=True)[c.name].agg(["min", "max"])
            candidates[c.name] = (f"{c.name} alone separates {label} ({scores[c.name]:.1%} balanced accuracy out "
                                  f"of sample; majority class {base:.0%})",
                                  [f"{label} = {k}: {c.name} from {v['min']:g} to {v['max']:g}"
                                   for k, v in spans.head(4).iterrows()], bar)
    # A leak stands apart: when several features separate the classes as well (Gentoo penguins are larger
    # by every measure), the classes are simply easy, and none of them is a leak.
    for name, (issue, evidence, needed) in candidates.items():
        others = max((v for k, v in scores.items() if k != name), default=0.0)
        if name in codes or (scores[name] >= needed and scores[name] - others >= _STANDS_APART):
            out.append(_leak(table, name, label, issue, [*evidence, f"next best single feature: {others:.1%}"],
                             scores[name], []))
    return sorted(out, key=lambda f: -(f.score or 0))


@register
class ValueChecksTool(TableCheck):
    name = "value_checks"
    description = ("Check values: missing values disguised as -999, 9999, 'NA', '?' or empty strings; impossible "
                   "values (negative ages, counts or prices, percentages over 100, future dates); inconsistent "
                   "formats (mixed date formats, one category spelled several ways, mixed units); and target "
                   "leakage (a feature that predicts the label almost perfectly). Read-only.")
    Args = ValueChecksArgs
    in_audit = True

    def check_table(self, ctx: ToolContext, args: ValueChecksArgs, table: Table,
                    profile: TableProfile) -> list[Finding]:
        label = args.label_column or profile.likely_label
        bar = 0.95 if ctx.focus.on(kind="label") or ctx.focus.on(kind="split") else 0.98
        return (disguised_missing(table, profile, ctx.focus) + out_of_range(table, profile)
                + inconsistent_formats(table, profile) + target_leakage(table, profile, label, bar))

    def summary(self, findings: list[Finding]) -> str:
        counts = {t: sum(f.type == t for f in findings) for t in sorted({f.type for f in findings})}
        summary = ", ".join(f"{n} {t}" for t, n in counts.items()) or "no value problems found"
        return summary[0].upper() + summary[1:] + "."
