"""Shared fixtures: real data from palmerpenguins, files on disk, and the CLI called in-process."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import palmerpenguins
import pandas as pd
import pytest

from copilot.cli import main


@pytest.fixture(autouse=True)
def lexical_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests use the deterministic lexical embedder unless they ask for the sentence model."""
    monkeypatch.setenv("COPILOT_EMBEDDER", "lexical")


@pytest.fixture(scope="session")
def penguins() -> pd.DataFrame:
    return palmerpenguins.load_penguins()


@pytest.fixture
def penguins_with_dups(tmp_path: Path, penguins: pd.DataFrame) -> Path:
    """The real penguins table with rows 5 and 9 appended again (exact duplicates at the end)."""
    path = tmp_path / "penguins.csv"
    pd.concat([penguins, penguins.iloc[[5, 9]]]).to_csv(path, index=False)
    return path


def _sha256_tree(path: Path) -> dict[str, str]:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture
def tree_hash() -> Callable[[Path], dict[str, str]]:
    """sha256 of a file, or of every file under a folder: to prove inputs are never modified."""
    return _sha256_tree


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run `copilot ARGS...` in-process; `stdin` is what the user types."""

    def run(*args: str, stdin: str = "") -> CliResult:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        monkeypatch.setenv("COLUMNS", "200")  # wide tables, so assertions see whole cells
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
