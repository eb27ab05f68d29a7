"""Data-centric tools, one module each, behind one registry."""

from tools import card, contamination, duplicates, label_issues, privacy_checks, profile, value_checks  # noqa: F401  (importing a tool module registers it)
from tools.base import REGISTRY, Tool, ToolContext, register
from tools.contracts import Finding, ProposedChange, ToolResult

__all__ = ["REGISTRY", "Finding", "ProposedChange", "Tool", "ToolContext", "ToolResult", "register"]
