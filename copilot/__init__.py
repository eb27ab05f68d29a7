"""A data-curation co-pilot: finds what is wrong with a dataset and changes it only with your approval.

`from copilot import Copilot` for the Python API; `%load_ext copilot` for the Jupyter magic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copilot.api import Copilot

__all__ = ["Copilot", "load_ipython_extension"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `import copilot.cli` must stay fast.
    if name == "Copilot":
        from copilot.api import Copilot

        return Copilot
    raise AttributeError(name)


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext copilot` registers the %copilot and %%copilot magics."""
    from copilot.notebook import CopilotMagics, protect_goal_text

    ipython.register_magics(CopilotMagics)
    if protect_goal_text not in ipython.input_transformers_cleanup:
        ipython.input_transformers_cleanup.append(protect_goal_text)
