"""With a model, the chat explains findings in plain words, from the findings alone."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from prompts import load_prompt
from tools.contracts import Finding
from tools.grounding import grounded
from tools.quoting import data_block


def answer(model: BaseChatModel, question: str, findings: list[Finding]) -> str | None:
    """A short answer grounded in the findings; None when the call fails or invents a number."""
    facts = data_block([f.model_dump(include={"tool", "type", "severity", "issue", "evidence", "description", "rows",
                                              "score"}) for f in findings])
    try:
        message = model.invoke([HumanMessage(load_prompt("chat").format(question=data_block(question),
                                                                        findings=facts))])
    except Exception:
        return None
    text = " ".join(str(message.content).split())
    return text if text and grounded(text, facts) else None
