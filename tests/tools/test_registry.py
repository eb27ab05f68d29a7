"""The registry and the Tool contract, including the LangChain StructuredTool view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.tools import StructuredTool

from tools import REGISTRY, ToolContext
from tools.base import ToolRegistry
from tools.contracts import ToolResult
from tools.data import load_dataset
from tools.errors import UsageError


def test_first_tools_are_registered_with_schemas() -> None:
    assert {"profile", "duplicates"} <= set(REGISTRY.names())
    for tool in REGISTRY.all():
        assert len(tool.description) > 40
        schema = tool.Args.model_json_schema()
        assert schema["type"] == "object"


def test_unknown_tool_names_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"no tool named 'dedupe'.*duplicates"):
        REGISTRY.get("dedupe")


def test_registering_a_name_twice_fails() -> None:
    registry = ToolRegistry()
    registry.add(REGISTRY.get("profile"))
    with pytest.raises(ValueError, match="registered twice"):
        registry.add(REGISTRY.get("profile"))


def test_every_tool_runs_as_a_langchain_structured_tool(penguins_with_dups: Path) -> None:
    ctx = ToolContext(load_dataset(penguins_with_dups))
    lc_tool = REGISTRY.get("duplicates").as_langchain_tool(ctx)
    assert isinstance(lc_tool, StructuredTool)
    assert lc_tool.name == "duplicates"
    result = ToolResult.model_validate(json.loads(lc_tool.invoke({"columns": ["species", "island", "year"]})))
    assert result.findings and all(f.type == "duplicate" for f in result.findings)
