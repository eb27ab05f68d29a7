"""The worker's voice: a short summary of one tool result, grounded only in that result."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from prompts import load_prompt
from tools.contracts import ToolResult
from tools.grounding import grounded
from tools.quoting import data_block, quote

_SHOWN = 15


def result_facts(result: ToolResult) -> dict:
    """What the model may see of a result: counts, titles and quoted evidence, truncated."""
    return {
        "summary": result.summary,
        "findings": len(result.findings),
        "by_type": {t: sum(f.type == t for f in result.findings) for t in sorted({f.type for f in result.findings})},
        "top_findings": [{"severity": f.severity, "issue": f.issue, "rows": f.rows[:10],
                          "evidence": [quote(e) for e in f.evidence[:2]]} for f in result.findings[:_SHOWN]],
        "proposed_changes": [{"kind": c.kind, "rows_affected": c.preview.rows_affected, "rationale": c.rationale}
                             for c in result.proposed_changes],
    }


def narrate(model: BaseChatModel, result: ToolResult) -> tuple[str | None, dict[str, int]]:
    """(summary, usage); the summary is None when the model wrote a number the result does not contain."""
    from copilot.llm import usage_of

    facts = data_block(result_facts(result))
    message = model.invoke([HumanMessage(load_prompt("worker").format(tool=result.tool, result=facts))])
    text = " ".join(str(message.content).split())
    return (text if text and grounded(text, facts) else None), usage_of(message)
