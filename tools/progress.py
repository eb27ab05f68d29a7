"""The one progress type: a callback that takes the fraction of the work done, 0.0 to 1.0."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float], None]

__all__ = ["Progress"]
