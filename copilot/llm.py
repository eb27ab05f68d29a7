"""The one factory for chat models, plus what every model call needs: redaction, errors, usage."""

from __future__ import annotations

import re
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage

from copilot.settings import Settings
from tools.errors import CopilotError

DEFAULT_MODEL = "gpt-4o-mini"
_KEYLIKE = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+[A-Za-z0-9_\-\.]{6,})")


class LLMError(CopilotError):
    """A model call failed after retries; the message is safe to show (no key)."""


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """A LangChain chat model for OpenAI or any OpenAI-compatible server; None in offline mode."""
    if not settings.llm_configured:
        return None
    from langchain_openai import ChatOpenAI  # imported here: only runs with a model pay for it

    key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"  # local servers want none
    return ChatOpenAI(model=settings.model or DEFAULT_MODEL, base_url=settings.base_url, api_key=key,
                      timeout=settings.timeout, max_retries=settings.max_retries, temperature=0)


def redact(text: str, settings: Settings | None = None) -> str:
    """Remove the API key, and anything shaped like one, from text meant for people or logs."""
    if settings and settings.api_key:
        secret = settings.api_key.get_secret_value()
        if secret:
            text = text.replace(secret, "[redacted]")
    return _KEYLIKE.sub("[redacted]", text)


def explain(exc: Exception, settings: Settings) -> LLMError:
    """Turn a client exception into one line that says what is wrong and how to fix it."""
    import openai

    where = settings.base_url or "api.openai.com"
    model = settings.model or DEFAULT_MODEL
    if isinstance(exc, openai.APITimeoutError):
        cause = f"no answer from {where} within {settings.timeout:.0f} s"
        fix = "check the server, or raise COPILOT_TIMEOUT"
    elif isinstance(exc, openai.APIConnectionError):
        cause, fix = f"cannot reach {where}", "check COPILOT_BASE_URL and that the server is running"
    elif isinstance(exc, openai.AuthenticationError):
        cause, fix = "the API key was refused", "check OPENAI_API_KEY"
    elif isinstance(exc, openai.NotFoundError):
        cause, fix = f"model '{model}' is not known at {where}", "check COPILOT_MODEL / --model"
    elif isinstance(exc, openai.RateLimitError):
        cause, fix = "rate limited (429) after retries", "wait, or raise COPILOT_MAX_RETRIES"
    elif isinstance(exc, openai.APIStatusError):
        cause, fix = f"server error {exc.status_code} after retries", "check the server's log"
    else:
        cause, fix = f"{type(exc).__name__}: {exc}", "run `copilot doctor`"
    return LLMError(redact(cause, settings), fix=fix)


def usage_of(message: AIMessage | Any) -> dict[str, int]:
    meta = getattr(message, "usage_metadata", None) or {}
    return {"input_tokens": int(meta.get("input_tokens", 0)), "output_tokens": int(meta.get("output_tokens", 0)),
            "calls": 1}


def check_model(model: BaseChatModel, settings: Settings) -> str | None:
    """One cheap call that must come back as a tool call; None when all is well, else what is wrong."""
    from langchain_core.tools import tool

    @tool
    def ping(ok: bool) -> str:
        """Answer with ok=true."""
        return "pong"

    try:
        message = model.bind_tools([ping], tool_choice="ping").invoke("Call ping with ok=true.")
    except Exception as exc:
        return explain(exc, settings).line()
    if not getattr(message, "tool_calls", None):
        return (f"model '{settings.model or DEFAULT_MODEL}' answered but did not call the tool: it lacks tool "
                "calling; the co-pilot will fall back to the rule planner")
    return None
