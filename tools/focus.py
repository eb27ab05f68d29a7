"""What a goal or a hint points at (files, columns, kinds of problem), so checks can look harder there.

"Look at the license", "compare test.csv with train.csv", "the units of temp look odd": each names a kind
of problem, a file or a column. The planner reads the focus from the goal once; tools lower their
thresholds, and the planner adds checks, only where the focus points. Without a focus nothing changes.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pydantic import BaseModel, Field

from tools.data.docs import normalise_name
from tools.data.profile import DatasetProfile

# Problem kinds and the words people use for them (in goals, hints and issue titles).
KIND_WORDS: dict[str, str] = {
    "license": r"licen[cs]|copyright|terms of use|redistribut",
    "split": r"\bsplits?\b|\btrain|\btest\b|\bvalid|held[- ]?out|\bfold|\bleak|overlap",
    "duplicate": r"duplicat|\brepeat|\btwice\b|\bcopies\b|\bcopy\b|same (row|record|entry|item)",
    "label": r"\blabel|annotat|\btarget\b|\boutcome\b|mislabel|\bclass(es)?\b",
    "encoding": r"encod|charset|utf-?8|latin|garbl|mojibake|character",
    "missing": r"\bmissing|\bnull|\bempty|\bblank|placeholder|sentinel|\bnan\b|\bgaps?\b",
    "range": r"\brange|\bunits?\b|outlier|impossible|negative|implausible|scale|measure|extreme",
    "documentation": r"readme|\bcard\b|document|metadata|\bclaim|describ|datasheet|codebook",
    "privacy": r"personal|privacy|\bpii\b|e-?mail|phone|anonym|sensitive|ethnic|\brace\b|religio|gender",
    "format": r"format|\bdates?\b|inconsistent|spell|\btypos?\b",
    "relation": r"\brefer|\bkeys?\b|\bjoin|foreign|\blink|\brelat|\bmatch",
    "contamination": r"contamin|benchmark",
    "file": r"malformed|corrupt|\bparse|broken|truncat|\bline\b|\brows? count",
}


class Focus(BaseModel):
    """Files, columns and problem kinds a goal names; empty when it names none."""

    files: list[str] = Field(default_factory=list)
    columns: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.files or self.columns or self.kinds)

    def on(self, *, kind: str | None = None, column: str | None = None, file: str | None = None) -> bool:
        """Whether the focus covers this kind, column or file (any one of those given)."""
        return (kind is not None and kind in self.kinds) or (column is not None and column in self.columns) or (
            file is not None and file in self.files)


def focus_from_goal(goal: str, profile: DatasetProfile) -> Focus:
    """The files and columns of this dataset that the goal names, and the kinds of problem it mentions."""
    text = goal.lower()
    files = [t.name for t in profile.tables if _named(text, t.name)]
    files += [d for d in profile.documents if _named(text, d)]
    keys = {normalise_name(w) for w in re.findall(r"[`'\"]?([\w.\-]+)[`'\"]?", goal)}
    columns = list(dict.fromkeys(c.name for t in profile.tables for c in t.columns
                                 if normalise_name(c.name) in keys and len(normalise_name(c.name)) > 1))
    kinds = [kind for kind, words in KIND_WORDS.items() if re.search(words, text)]
    return Focus(files=list(dict.fromkeys(files)), columns=columns, kinds=kinds)


def _named(text: str, path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return name in text or (len(PurePosixPath(path).stem) > 3 and re.search(
        rf"\b{re.escape(PurePosixPath(path).stem.lower())}\b", text) is not None)
