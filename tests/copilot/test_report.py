"""`--report`: the audit as one self-contained page, rendered by a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tools.contracts import TYPE_WORDS, FindingType

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "penguins"
POLICY = Path(__file__).resolve().parents[2] / "examples" / "demo-policy.toml"
SECTIONS = ["Summary", "How the data was read", "Plan", "Findings", "Decisions and versions", "Columns"]
# CI installs Chromium and sets this: there a missing browser is a failure, not a skip.
BROWSER_REQUIRED = os.environ.get("COPILOT_REQUIRE_BROWSER") == "1"


def _chromium() -> str | None:
    return next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)


def _headless(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Flags as this machine needs them: no sandbox as root, and no background calls to a closed network.
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}"]
    return subprocess.run([browser, *flags, *args], capture_output=True, text=True, timeout=120, check=True)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example, audited under the demo policy, with both report formats written."""
    from copilot.cli import main

    out = tmp_path_factory.mktemp("report")
    for name in ("audit.html", "audit.md"):
        with pytest.raises(SystemExit) as done:
            main(["run", str(EXAMPLE), "what's wrong with this dataset?", "--approve", str(POLICY),
                  "--workspace", str(out / f"ws-{name}"), "--report", str(out / name)])
        assert done.value.code in (0, None)
    return out


def test_every_finding_type_has_a_reviewer_word() -> None:
    from typing import get_args

    assert set(TYPE_WORDS) == set(get_args(FindingType))


def test_html_report_is_self_contained_and_complete(audited: Path) -> None:
    page = (audited / "audit.html").read_text(encoding="utf-8")
    for heading in SECTIONS:
        assert f"<h2>{heading}" in page, heading
    assert "<script" not in page and "http://" not in page and "https://" not in page  # nothing fetched
    assert "approve" in page and "v0001" in page  # the demo policy's decision and the version it made
    assert "row ids" in page and "<th>row</th>" in page  # findings carry their rows and a preview of them
    assert "Class balance of <b>species</b>" in page


def test_markdown_report_has_the_same_sections(audited: Path) -> None:
    text = (audited / "audit.md").read_text(encoding="utf-8")
    for heading in SECTIONS:
        assert f"## {heading}" in text, heading
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    assert table_lines and all(line.rstrip().endswith("|") for line in table_lines)


def test_report_rendered_in_headless_chromium(audited: Path, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        if BROWSER_REQUIRED:
            pytest.fail("Chromium is required here (COPILOT_REQUIRE_BROWSER=1) but is not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it and runs this test")
    page = (audited / "audit.html").as_uri()
    shot = tmp_path / "shot.png"
    _headless(browser, tmp_path / "profile-1", "--window-size=1200,2400", f"--screenshot={shot}", page)
    assert _png_size(shot) == (1200, 2400)
    assert shot.stat().st_size > 50_000  # a rendered page, not a blank one
    dom = _headless(browser, tmp_path / "profile-2", "--dump-dom", page).stdout
    for heading in SECTIONS:
        assert f"<h2>{heading}" in dom, heading
    assert dom.count('class="finding ') >= 3


def test_report_path_is_checked_before_the_run(cli, penguins_with_dups: Path, tree_hash) -> None:
    before = tree_hash(penguins_with_dups)
    wrong = cli("run", penguins_with_dups, "remove duplicates", "--report", penguins_with_dups.parent / "audit.pdf")
    assert wrong.code != 0 and "name it .html or .md" in wrong.err and "Traceback" not in wrong.err
    inside = cli("run", penguins_with_dups.parent, "remove duplicates", "--report",
                 penguins_with_dups.parent / "audit.html")
    assert inside.code != 0 and "overlaps an input" in inside.err
    assert tree_hash(penguins_with_dups) == before
    assert not list(penguins_with_dups.parent.glob("audit.*"))
