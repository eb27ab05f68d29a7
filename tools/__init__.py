"""Data-centric tools, one module each, behind one registry."""

from tools import (  # noqa: F401  (importing a tool module registers it)
    card,
    contamination,
    doc_checks,
    duplicates,
    file_checks,
    label_issues,
    privacy_checks,
    profile,
    relation_checks,
    value_checks,
)
from tools.base import REGISTRY, Tool, ToolContext, register
from tools.contracts import Finding, ProposedChange, ToolResult

__all__ = ["REGISTRY", "Finding", "ProposedChange", "Tool", "ToolContext", "ToolResult", "register"]
