"""Settings from the environment (COPILOT_MODEL, COPILOT_BASE_URL, OPENAI_API_KEY) and flags."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """No model and no URL means offline mode; flags override the environment."""

    model_config = SettingsConfigDict(env_prefix="COPILOT_", extra="ignore")

    model: str | None = Field(default=None, description="chat model name, e.g. gpt-4o-mini or llama3.1")
    base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1")
    api_key: SecretStr | None = Field(default=None, validation_alias=AliasChoices("OPENAI_API_KEY",
                                                                                  "COPILOT_API_KEY"))
    timeout: float = Field(default=60.0, gt=0, description="seconds for one model call")
    max_retries: int = Field(default=2, ge=0, le=10, description="retries on 429/5xx/timeouts, with backoff")
    max_revisions: int = Field(default=1, ge=0, le=5, description="times the plan may be revised from findings")
    engine: Literal["local", "ray"] = Field(default="local", description="where tools stream a corpus of shards: "
                                                                         "this process, or Ray (RAY_ADDRESS)")

    @property
    def llm_configured(self) -> bool:
        return bool(self.base_url or self.api_key)

    def with_overrides(self, model: str | None = None, base_url: str | None = None,
                       engine: str | None = None) -> Settings:
        updates = {k: v for k, v in {"model": model, "base_url": base_url, "engine": engine}.items() if v}
        return self.model_copy(update=updates)

    def describe(self) -> str:
        if not self.llm_configured:
            return "offline mode: no OPENAI_API_KEY or COPILOT_BASE_URL, so the rule-based planner plans"
        where = self.base_url or "OpenAI"
        return f"model {self.model or 'gpt-4o-mini'} at {where}"
