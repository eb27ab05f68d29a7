"""The Jupyter magic, by executing a real notebook with nbclient on an ipykernel."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

README = Path(__file__).resolve().parents[2] / "README.md"
SETUP = ("import palmerpenguins, pandas as pd\n"
         "raw = palmerpenguins.load_penguins()\n"
         "penguins = pd.concat([raw, raw.iloc[[5, 9]]], ignore_index=True)\n"
         "n_before = len(penguins)")


def readme_notebook_cells() -> list[str]:
    """The README's Jupyter cells, verbatim: the python blocks between 'In Jupyter' and the script API."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("In Jupyter"):text.index("The same API works in any script")]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


CELLS = [
    "%load_ext copilot",
    SETUP,
    "%copilot --df penguins remove duplicates",
    "print('waiting', [(c.kind, c.preview.rows_affected) for c in copilot_run.waiting])",
    # A click on the widget's Approve button, as a person would make it.
    "copilot_view.approve_button.click()\n"
    "print('curated', len(penguins_curated), 'original', len(penguins), 'waiting', len(copilot_run.waiting))",
    "%%copilot --approve none\n"
    "find duplicates in penguins\n"
    "and label errors too",
    "print('goal', copilot_run.outcome.state['goal'])\n"
    "print('tools', [s.tool for s in copilot_run.outcome.plan.steps])",
    "%copilot --df nothing_here remove duplicates",
]


def _text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/html", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def _execute(cells: list[str], folder: Path) -> list:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
                   ).execute()
    return notebook.cells


def test_readme_cells_run_verbatim(tmp_path) -> None:
    readme = readme_notebook_cells()
    assert any("what's wrong with this dataset?" in c for c in readme)  # the headline: apostrophe, question mark
    check = ("print('same', penguins_curated.equals(copilot_run.copilot.df), 'head', "
             "copilot_run.copilot.workspace.head_id, 'original', len(penguins) == n_before)")
    cells = _execute([readme[0], SETUP, *readme[1:], check], tmp_path)
    shown = _text(cells[2])
    assert "not found" not in shown and "error" not in shown.lower()[:200]
    for heading in ("Summary", "How the data was read", "Plan", "Findings (", "Decisions and versions", "Columns"):
        assert heading in shown, heading
    # copilot_run.approve() in a cell applied the first change and refreshed penguins_curated.
    assert "same True head v0001 original True" in _text(cells[-1])


def test_magic_in_a_real_notebook(tmp_path) -> None:
    cells = _execute(CELLS, tmp_path)
    shown = _text(cells[2])  # updated in place after the click: the final state
    assert "Findings (1)" in shown and "2 groups of duplicate rows" in shown  # one cause, one finding
    assert "Done: 1 approved, 0 rejected; applied drop_rows 2 rows → v0001" in shown
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cells[2].outputs)
    assert "waiting [('drop_rows', 2)]" in _text(cells[3])  # before the click, the change waited
    assert "curated 344 original 346 waiting 0" in _text(cells[4])  # approved; the original untouched
    assert "goal find duplicates in penguins and label errors too" in _text(cells[6])
    assert "'duplicates'" in _text(cells[6]) and "'label_issues'" in _text(cells[6])
    assert "no DataFrame named 'nothing_here'" in _text(cells[7])
