"""User-facing errors: one line naming the file, the cause and the fix."""

from __future__ import annotations

from pathlib import Path


class CopilotError(Exception):
    """An error the user can act on. `str()` is the one line the CLI prints."""

    def __init__(self, cause: str, *, file: str | Path | None = None, fix: str | None = None) -> None:
        self.file = str(file) if file is not None else None
        self.cause = cause
        self.fix = fix
        super().__init__(self.line())

    def line(self) -> str:
        """One physical line: newlines and control characters from file names or data are shown escaped."""
        from tools.quoting import terminal_safe

        parts = [f"{self.file}: {self.cause}" if self.file else self.cause]
        if self.fix:
            parts.append(self.fix)
        return terminal_safe("; ".join(parts), one_line=True)


class DataError(CopilotError):
    """The input data cannot be read as given."""


class UsageError(CopilotError):
    """The command was asked for something that does not fit the data or the workspace."""
