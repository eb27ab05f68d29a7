"""What every command line of the co-pilot shares (`copilot` and the commands packages add to it, such as
`copilot eval`): the common options, where output for people goes, and the settings from flags."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from copilot.settings import Settings

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout, nothing else.")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Chat model (env COPILOT_MODEL).")]
BaseUrlOpt = Annotated[str | None, typer.Option(
    "--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (env COPILOT_BASE_URL).")]


def console_for(json_mode: bool) -> Console:
    """In --json mode everything for people goes to stderr, so stdout stays parseable."""
    return Console(stderr=True) if json_mode else Console()


def settings_from_flags(console: Console, model: str | None, base_url: str | None,
                        engine: str | None = None) -> Settings:
    """The environment's settings with the flags over them; offline mode is said once, plainly."""
    settings = Settings().with_overrides(model, base_url, engine)
    if not settings.llm_configured:
        console.print(f"[dim]{settings.describe()}.[/]")
    return settings
