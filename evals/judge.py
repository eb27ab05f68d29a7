"""An optional LLM judge with DCA-Bench's prompt shape; the deterministic rubric stays the reference."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, Field

from evals.case import HiddenIssue
from evals.scorer import WEIGHTS
from prompts import load_prompt
from tools.quoting import data_block


class Rating(BaseModel):
    """The three rubric metrics, each in [0, 1]."""

    m1: float = Field(ge=0, le=1)
    m2: float = Field(ge=0, le=1)
    m3: float = Field(ge=0, le=1)


def judge(model: BaseChatModel, issue: HiddenIssue, answer: dict[str, Any]) -> float | None:
    """The weighted judge score for one issue; None when the model gives no valid rating."""
    prompt = load_prompt("evaluator").format(issue=data_block(issue.model_dump()),
                                             answer=data_block(answer.get("findings", [])[:15]))
    try:
        message = model.bind_tools([Rating], tool_choice="Rating").invoke([HumanMessage(prompt)])
        rating = Rating.model_validate(message.tool_calls[0]["args"])
    except Exception:
        return None
    return round(WEIGHTS[0] * rating.m1 + WEIGHTS[1] * rating.m2 + WEIGHTS[2] * rating.m3, 4)
