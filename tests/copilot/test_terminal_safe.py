"""Control characters from data (ANSI escapes, backspaces, bidi overrides) never reach the terminal raw."""

from __future__ import annotations

from pathlib import Path

from tools.errors import DataError
from tools.quoting import markup_safe, terminal_safe


def test_control_characters_become_visible_escapes() -> None:
    cell = "\x1b[2J\x1b[31mevil\x1b]0;title\x07 bob\x08\x08 \u202etxt.exe\r"
    shown = terminal_safe(cell)
    assert shown == "\\x1b[2J\\x1b[31mevil\\x1b]0;title\\x07 bob\\x08\\x08 \\u202etxt.exe\\r"
    assert terminal_safe("São Paulo\tline\n2") == "São Paulo\tline\n2"  # text, tabs and newlines stay
    assert terminal_safe("a\tb\nc", one_line=True) == "a\\tb\\nc"
    assert markup_safe("[bold]\x1b") == "\\[bold]\\x1b"


def test_error_lines_escape_what_the_data_put_in_them() -> None:
    err = DataError("no column 'x'", file=Path("in\x1b[31m.csv"), fix="columns are: a\nb, \x1b[2Jc")
    line = err.line()
    assert "\x1b" not in line and "\n" not in line
    assert line == "in\\x1b[31m.csv: no column 'x'; columns are: a\\nb, \\x1b[2Jc"


def test_findings_from_hostile_cells_reach_the_terminal_escaped(cli, tmp_path: Path) -> None:
    rows = ["name,score"] + [f"row{i},{i}" for i in range(30)] + ["\x1b[2J\x1b[31mevil,7"] * 2
    path = tmp_path / "t.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = cli("run", path, "remove duplicates", "--approve", "none")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\\x1b[2J" in result.out  # quoted as written, never obeyed
