"""The workspace lock: one writer per workspace across processes, with the holder's pid in the error."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from tools.atomic import atomic_write_text
from tools.errors import UsageError


class WorkspaceBusy(UsageError):
    """Another process holds the workspace lock."""


class WorkspaceLock:
    """A re-entrant OS file lock (released by the OS when its process dies, so a crash never leaves it held).

    filelock does not say who holds a lock, so the holder writes its pid beside it for the error message.
    """

    def __init__(self, root: Path, wait: float = 0.0) -> None:
        self.root = root.resolve()
        self.wait = wait
        # One lock object per path in a process: a second Workspace on the same folder re-enters, not deadlocks.
        self._lock = FileLock(self.root / "lock", is_singleton=True, thread_local=False)
        self._owner = self.root / "lock.pid"

    @contextmanager
    def hold(self, on_acquire: Callable[[], None]) -> Iterator[None]:
        """Hold the lock for the block; `on_acquire` runs when this process takes it (not on re-entry)."""
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=self.wait)
        except Timeout:
            waited = f" after waiting {self.wait:g} s" if self.wait else ""
            raise WorkspaceBusy(f"workspace is in use by {self._holder()}{waited}", file=self.root,
                                fix="wait for it to finish, or pass --wait SECONDS") from None
        try:
            if self._lock.lock_counter == 1:
                atomic_write_text(self._owner, f"{os.getpid()}\n")
                on_acquire()
            yield
        finally:
            self._lock.release()

    def _holder(self) -> str:
        try:
            return f"pid {int(self._owner.read_text().strip())}"
        except (OSError, ValueError):
            return "another process"
