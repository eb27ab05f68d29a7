"""The Jupyter magic, by executing a real notebook with nbclient on an ipykernel."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

CELLS = [
    "%load_ext copilot",
    "import palmerpenguins, pandas as pd\n"
    "raw = palmerpenguins.load_penguins()\n"
    "penguins = pd.concat([raw, raw.iloc[[5, 9]]], ignore_index=True)\n"
    "n_before = len(penguins)",
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


def test_magic_in_a_real_notebook(tmp_path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
                   ).execute()
    cells = notebook.cells
    shown = _text(cells[2])  # updated in place after the click: the final state
    assert "Co-pilot: 1 finding" in shown and "2 groups of duplicate rows" in shown  # one cause, one finding
    assert "Done: 1 approved, 0 rejected; applied drop_rows 2 rows → v0001" in shown
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cells[2].outputs)
    assert "waiting [('drop_rows', 2)]" in _text(cells[3])  # before the click, the change waited
    assert "curated 344 original 346 waiting 0" in _text(cells[4])  # approved; the original untouched
    assert "goal find duplicates in penguins and label errors too" in _text(cells[6])
    assert "'duplicates'" in _text(cells[6]) and "'label_issues'" in _text(cells[6])
    assert "no DataFrame named 'nothing_here'" in _text(cells[7])
