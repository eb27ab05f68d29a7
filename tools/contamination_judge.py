"""LLM judge for contamination candidates: 'is this a rephrasing of that benchmark item?'"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, Field

from prompts import load_prompt
from tools.quoting import data_block, quote

_LIMIT = 1500


class Verdict(BaseModel):
    """Whether the training example rephrases the benchmark item."""

    rephrasing: bool = Field(description="true when it is the same task with the same answer")
    reason: str = Field(default="", description="one short sentence")


def is_rephrasing(model: BaseChatModel, example: str, item: str) -> bool:
    """The model's verdict; False when it gives none (a candidate is never flagged on a failed call)."""
    prompt = load_prompt("contamination_judge").format(example=data_block(quote(example, _LIMIT)),
                                                       item=data_block(quote(item, _LIMIT)))
    try:
        message = model.bind_tools([Verdict], tool_choice="Verdict").invoke([HumanMessage(prompt)])
        return bool(message.tool_calls) and Verdict.model_validate(message.tool_calls[0]["args"]).rephrasing
    except Exception:
        return False
