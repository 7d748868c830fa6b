"""Application settings: one ``Settings`` with nested sections, read from ``SHOP_*``.

Nested values use a double underscore: ``SHOP_LLM__BASE_URL``. The common ones have
flat aliases too (``SHOP_DATABASE_URL``, ``SHOP_LLM_BASE_URL``, ``SHOP_LLM_MODEL``).
See ``.env.example`` for every knob.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.llm.config import LLMSettings
from catalog.config import DatabaseSettings, DemoStoreSettings
from retrieval.config import RetrievalSettings


class AgentSettings(BaseModel):
    """Limits of the agent loop."""

    store_name: str = "Northwind Outfitters"
    max_steps: int = Field(default=4, ge=1, le=20, description="Tool calls per turn, at most.")
    history_messages: int = Field(default=8, ge=0, description="Earlier messages sent to the LLM.")
    max_message_chars: int = Field(default=4000, ge=1)
    turn_timeout_s: float = Field(default=300.0, gt=0)


class ServerSettings(BaseModel):
    """Where the HTTP/websocket server listens."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    allowed_origins: list[str] = Field(default_factory=lambda: ["*"])


_FLAT_ALIASES = {
    "SHOP_DATABASE_URL": ("database", "url"),
    "SHOP_LLM_BASE_URL": ("llm", "base_url"),
    "SHOP_LLM_MODEL": ("llm", "model"),
    "SHOP_LLM_API_KEY": ("llm", "api_key"),
}


class Settings(BaseSettings):
    """Every setting of the app, grouped by the layer that owns it."""

    model_config = SettingsConfigDict(
        env_prefix="SHOP_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    data_dir: str = Field(default="var", description="Root for the database, index and models.")
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    demo: DemoStoreSettings = Field(default_factory=DemoStoreSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    agent: AgentSettings = Field(default_factory=AgentSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)

    @model_validator(mode="before")
    @classmethod
    def _flat_aliases(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        for env, (section, key) in _FLAT_ALIASES.items():
            value = os.environ.get(env)
            if value:
                current = data.get(section)
                sect = dict(current) if isinstance(current, dict) else {}
                sect.setdefault(key, value)
                data[section] = sect
        return data

    @model_validator(mode="after")
    def _paths_under_data_dir(self) -> Settings:
        if self.data_dir != "var":
            if self.database.url == "sqlite:///var/shop.db":
                self.database.url = f"sqlite:///{self.data_dir}/shop.db"
            if self.retrieval.chroma_path == "var/chroma":
                self.retrieval.chroma_path = f"{self.data_dir}/chroma"
            if self.llm.models_dir == "var/models":
                self.llm.models_dir = f"{self.data_dir}/models"
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once from the environment and ``.env``)."""
    return Settings()
