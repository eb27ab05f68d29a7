"""The Tool base class, the context tools read data through, and the registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel

from tools.contracts import Finding, ToolResult
from tools.data import Dataset, DatasetProfile, Table, profile_dataset
from tools.data.profile import TableProfile
from tools.data.source_text import SourceText
from tools.errors import UsageError
from tools.focus import Focus
from tools.progress import Progress

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.tools import StructuredTool




@dataclass
class ToolContext:
    """Read-only access to the dataset a tool works on.

    `cache_dir` (the workspace's cache/, when there is one) is the only place a tool may write, and only
    derived data it can rebuild, such as an embedding index; never the dataset.
    """

    dataset: Dataset
    progress: Progress = field(default=lambda _fraction: None)
    _profile: DatasetProfile | None = None
    cache_dir: Path | None = None
    llm: BaseChatModel | None = None  # a configured chat model, for tools that can use one (a judge)
    history: list[dict] = field(default_factory=list)  # the workspace's audit log, oldest first
    prior_results: list[ToolResult] = field(default_factory=list)  # results of the steps this one depends on
    focus: Focus = field(default_factory=Focus)  # what the goal points at: checks look harder there
    source_root: Path | None = None  # the input as given (file or folder); the dataset's root when it exists
    _source: SourceText | None = None
    engine: str = "local"  # where tools that stream a corpus run its shards: local or ray (tools/engine.py)

    @property
    def profile(self) -> DatasetProfile:
        if self._profile is None:
            self._profile = profile_dataset(self.dataset)
        return self._profile

    @property
    def dataset_name(self) -> str:
        """The name the user knows the data by: the input's, not the workspace's copy of it."""
        return self.source_root.stem if self.source_root and self.source_root.is_file() else \
            self.source_root.name if self.source_root else self.dataset.name

    @property
    def source(self) -> SourceText:
        """The input files as written, for quotes a reviewer can search for."""
        if self._source is None:
            root = self.source_root or (self.dataset.root if self.dataset.root.exists() else None)
            self._source = SourceText(self.dataset, root)
        return self._source

    def with_progress(self, progress: Progress) -> ToolContext:
        """The same data and profile, reporting progress elsewhere (one context per step)."""
        return replace(self, progress=progress, _profile=self.profile, _source=self.source)

    def focused(self, focus: Focus) -> ToolContext:
        """The same data and profile, with the goal's focus."""
        return replace(self, focus=focus, _profile=self.profile, _source=self.source)

    def tables(self, name: str | None) -> list[Table]:
        """The named table, or every table when `name` is None."""
        return [self.dataset.table(name)] if name else list(self.dataset.tables.values())


class Tool(ABC):
    """A data-centric tool. Subclasses set `name`, `description` and `Args`, and implement `run`."""

    name: ClassVar[str]
    description: ClassVar[str]
    Args: ClassVar[type[BaseModel]]
    in_audit: ClassVar[bool] = False  # run by the planner's "audit / what's wrong" goal
    embeds_text: ClassVar[bool] = False  # runs a sentence model over text columns: minutes on a CPU for big tables

    def applies(self, profile: DatasetProfile) -> bool:
        """Whether this tool has anything to look at in a dataset of this shape."""
        return True

    def goal_args(self, goal: str) -> dict:
        """Arguments the goal's wording implies (e.g. a benchmark it names), for the rule planner."""
        return {}

    @abstractmethod
    def run(self, ctx: ToolContext, args: BaseModel) -> ToolResult:
        """Read the data through `ctx` and return findings and proposals; never write."""

    def execute(self, ctx: ToolContext, args: BaseModel) -> ToolResult:
        """`run`, then make every finding quote something findable in its file (see `evidence.locate`)."""
        from tools.evidence import locate  # evidence reads profiles and roles; base must import first

        result = self.run(ctx, args)
        locate(result.findings, ctx)
        return result

    def parse_args(self, raw: dict | BaseModel | None) -> BaseModel:
        if isinstance(raw, self.Args):
            return raw
        return self.Args.model_validate(raw or {})

    def as_langchain_tool(self, ctx: ToolContext) -> StructuredTool:
        """This tool as a LangChain StructuredTool bound to one dataset; returns the result as JSON."""
        from langchain_core.tools import StructuredTool  # imported here: slow, and only agents need it

        def call(**kwargs: object) -> str:
            return self.execute(ctx, self.Args(**kwargs)).model_dump_json()

        return StructuredTool.from_function(func=call, name=self.name, description=self.description,
                                            args_schema=self.Args)


class TableCheck(Tool):
    """A tool that looks at each table on its own. The base owns the loop over the tables asked for, the
    profile lookup and the progress; a subclass implements `check_table`, and may add findings about the
    dataset as a whole (`check_dataset`) and say what it found in one line (`summary`)."""

    def run(self, ctx: ToolContext, args: BaseModel) -> ToolResult:
        tables = ctx.tables(getattr(args, "table", None))
        findings: list[Finding] = []
        for i, table in enumerate(tables):
            findings += self.check_table(ctx, args, table, ctx.profile.table(table.name))
            ctx.progress((i + 1) / (len(tables) + 1))
        findings = self.check_dataset(ctx, args, tables, findings)
        ctx.progress(1.0)
        return ToolResult(tool=self.name, findings=findings, summary=self.summary(findings))

    @abstractmethod
    def check_table(self, ctx: ToolContext, args: BaseModel, table: Table, profile: TableProfile) -> list[Finding]:
        """The findings of one table."""

    def check_dataset(self, ctx: ToolContext, args: BaseModel, tables: list[Table],
                      findings: list[Finding]) -> list[Finding]:
        """All findings, given the tables' findings: a check across tables or files adds its own here."""
        return findings

    def summary(self, findings: list[Finding]) -> str:
        return f"{len(findings)} findings." if findings else "Nothing found."


class ToolRegistry:
    """Tools by name; `register` is a class decorator."""

    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}

    def register(self, cls: type[Tool]) -> type[Tool]:
        """Class decorator: registers one instance of the tool."""
        self.add(cls())
        return cls

    def add(self, tool: Tool) -> None:
        if tool.name in self._tools:
            raise ValueError(f"tool '{tool.name}' is registered twice")
        self._tools[tool.name] = tool

    def get(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            raise UsageError(f"no tool named '{name}'", fix=f"tools are: {', '.join(self._tools)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def names(self) -> list[str]:
        return sorted(self._tools)  # by name, not by which module happened to be imported first

    def catalogue(self) -> list[dict]:
        """Every tool as the planner model, `copilot tools` and the chat show it: name, description and the
        JSON schema of its arguments."""
        return [{"name": t.name, "description": t.description, "args": t.Args.model_json_schema()}
                for t in self.all()]

    def all(self) -> list[Tool]:
        return [self._tools[name] for name in self.names()]


REGISTRY = ToolRegistry()
register = REGISTRY.register
