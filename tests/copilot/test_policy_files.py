"""Policy files are validated strictly: every malformed one gets one line naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.gate import policy_from_option
from tools.errors import UsageError

RULE = '[[rule]]\nkind = "drop_rows"\naction = "approve"\n'

# (file name, content: str, bytes, or None for a folder; what the error must say)
MALFORMED = [
    ("misspelt.toml", '[[rule]]\nkind = "drop_rows"\nmax_row = 10\naction = "approve"\n',
     "rule 1: unknown key 'max_row'"),
    ("top.toml", 'defualt = "approve"\n', "unknown key 'defualt'"),
    ("kind.toml", '[[rule]]\nkind = "delete_everything"\naction = "approve"\n', "rule 1: 'kind'"),
    ("tool.toml", '[[rule]]\ntool = "approve_all"\naction = "approve"\n', "rule 1: unknown tool 'approve_all'"),
    ("action.toml", '[[rule]]\naction = "yes"\n', "rule 1: 'action'"),
    ("no-action.toml", '[[rule]]\nkind = "drop_rows"\n', "rule 1: 'action': Field required"),
    ("default.toml", 'default = "maybe"\n', "'default'"),
    ("both.toml", RULE + '[[rules]]\nkind = "relabel"\naction = "reject"\n', "both [[rule]] and 'rules'"),
    ("negative.toml", '[[rule]]\nmax_rows = -1\naction = "approve"\n', "rule 1: 'max_rows'"),
    ("float.toml", '[[rule]]\nmax_rows = 2.5\naction = "approve"\n', "rule 1: 'max_rows'"),
    ("string-rows.json", '{"rules": [{"max_rows": "10", "action": "approve"}]}', "rule 1: 'max_rows'"),
    ("bool-rows.json", '{"rules": [{"max_rows": true, "action": "approve"}]}', "rule 1: 'max_rows'"),
    ("rule-not-table.toml", 'rule = "approve"\n', "'rules'"),
    ("list.json", '[{"action": "approve"}]', "must hold a table"),
    ("syntax.toml", '[[rule]\naction = "approve"\n', "invalid policy"),
    ("syntax.json", '{"default": "approve",', "invalid policy"),
    ("binary.toml", b"\x00\xff\xfe\x89PNG\r\n", "not UTF-8 text"),
    ("folder.toml", None, "not a regular file"),
    ("huge.toml", "# padding\n" * 10_000, "larger than 64 kB"),
    ("name.toml", f'name = "{"x" * 500}"\n', "'name'"),
]


@pytest.mark.parametrize(("name", "content", "says"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_policies_are_refused(tmp_path: Path, name: str, content: str | bytes | None, says: str) -> None:
    path = tmp_path / name
    if content is None:
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(UsageError) as caught:
        policy_from_option(str(path))
    line = caught.value.line()
    assert says in line and str(path) in line and "\n" not in line


def test_dev_zero_is_refused_without_reading_it() -> None:
    with pytest.raises(UsageError, match="not a regular file"):
        policy_from_option("/dev/zero")


def test_the_cli_prints_one_line_for_a_bad_policy(cli, tmp_path: Path, penguins_with_dups: Path) -> None:
    bad = tmp_path / "p.toml"
    bad.write_text('[[rule]]\nkind = "drop_rows"\nmax_row = 10\naction = "approve"\n')
    result = cli("run", penguins_with_dups, "remove duplicates", "--approve", bad)
    assert result.code == 2 and "unknown key 'max_row'" in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert not (penguins_with_dups.parent / ".copilot").exists()  # refused before anything was made


def test_valid_policies_still_load(tmp_path: Path) -> None:
    toml = tmp_path / "ok.toml"
    toml.write_text('name = "mine"\ndefault = "reject"\n' + RULE.replace('"drop_rows"', '"drop_rows"\nmax_rows = 3\n'
                                                                         'tool = "duplicates"'))
    json_policy = tmp_path / "ok.json"
    json_policy.write_text('{"default": "ask", "rules": [{"kind": "relabel", "action": "reject"}]}')
    assert policy_from_option(str(toml)).rules[0].max_rows == 3
    assert policy_from_option(str(json_policy)).rules[0].kind == "relabel"
    demo = Path(__file__).parents[2] / "examples" / "demo-policy.toml"
    assert policy_from_option(str(demo)).name == "demo-policy"
