"""Application settings: one ``Settings`` with nested sections, read from ``SHOP_*``.

Nested values use a double underscore: ``SHOP_LLM__BASE_URL``. The common ones have
flat aliases too (``SHOP_DATABASE_URL``, ``SHOP_LLM_BASE_URL``, ``SHOP_LLM_MODEL``).
See ``.env.example`` for every knob.
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from dotenv import dotenv_values
from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from assistant.llm.config import LLMSettings
from catalog.carts import DEFAULT_CHECKOUT
from catalog.config import DatabaseSettings, DemoStoreSettings, IdentitySettings
from recommend.config import RecsSettings
from retrieval.config import RetrievalSettings
from tools.writing.config import WritingSettings
from tools.writing.links import normalize_hosts


class AgentSettings(BaseModel):
    """Limits of the agent loop."""

    store_name: str = "Northwind Outfitters"
    mode: Literal["auto", "flows", "agent"] = Field(
        default="auto",
        description="flows: the model reads each message into one command and code runs the "
        "flow and writes the facts (small models). agent: the free tool loop (big models on "
        "vLLM). auto: flows for the embedded model, agent for an external server.",
    )
    friendly_sentence: bool = Field(
        default=False,
        description="flows: let the model add one short friendly sentence to code's reply "
        "(checked by the verifier; costs one more model call, ~2 s on 2 CPU cores).",
    )
    reader: Literal["trained", "model"] = Field(
        default="trained",
        description="flows: who reads a message into a command. trained: the reader trained "
        "on the phrasing corpus (milliseconds; the model is asked only when the reader is "
        "unsure). model: the model reads every message code cannot (the old way).",
    )
    read_confidence: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="flows, trained reader: the intent probability at or above which the "
        "reader's command is used without asking the model.",
    )
    max_steps: int = Field(default=4, ge=1, le=20, description="Tool calls per turn, at most.")
    history_messages: int = Field(default=8, ge=0, description="Earlier messages sent to the LLM.")
    max_message_chars: int = Field(default=4000, ge=1)
    turn_timeout_s: float = Field(default=300.0, gt=0)


class ServerSettings(BaseModel):
    """Where the HTTP/websocket server listens."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Origins (scheme://host[:port]) allowed to call the API and open the chat "
        "websocket from a browser, besides the server's own origin. Empty = same-origin only. "
        "Never '*' for a shop with customer data.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO",
        description="Console log level of the app's own loggers; INFO is one "
        "line per turn, never message text. Libraries log warnings only.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="json: one JSON object per line, for log collectors."
    )
    gc_freeze: bool = Field(
        default=True,
        description="At startup, move everything loaded so far (models, indexes, the "
        "catalog) out of the garbage collector's reach: full collections then take "
        "milliseconds instead of ~0.5 s pauses.",
    )
    gc_young_threshold: int = Field(
        default=10_000,
        ge=100,
        description="Allocations between young-generation collections (Python's default "
        "is 700); fewer collections per chat turn.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) of your own reverse proxies. Only a "
        "connection from one of them may name the client in X-Forwarded-For (and the scheme "
        "in X-Forwarded-Proto). Empty = forwarded headers are never trusted.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry.strip(), strict=False)
            except ValueError:
                raise ValueError(
                    f"trusted_proxies: {entry!r} is not an IP address or network"
                ) from None
        return [entry.strip() for entry in value]


class WidgetSettings(BaseModel):
    """What the embeddable widget shows; served to it by ``GET /v1/widget/config``."""

    product_url_template: str | None = Field(
        default=None,
        description="Link of a product page, with {handle} for the product's URL handle "
        "and {id} for its id, e.g. https://shop.example/products/{handle}. Unset: cards "
        "have no View link.",
    )
    currency: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code of the shop's prices; unset: the currency the last "
        "import stated (shopassist import … --currency EUR), else USD.",
    )
    suggestions: list[str] = Field(
        default_factory=list,
        max_length=6,
        description="Suggested first messages shown on the welcome screen (empty: the "
        "widget's own, in the shopper's language).",
    )
    add_to_cart: bool = Field(
        default=True,
        description="Show Add to cart on cards; the host page handles the "
        "'shopassist:add-to-cart' event.",
    )
    link_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts whose http(s) links replies may carry and the widget makes "
        "clickable (a host allows its subdomains), besides the product pages' host and the "
        "shop's allowed origins. Any other URL in model, review or catalog text is removed.",
    )

    def allowed_link_hosts(self, origins: list[str]) -> list[str]:
        """Return the link hosts: ``link_hosts``, the product pages' host, ``origins``' hosts."""
        extra = [self.product_url_template or "", *origins]
        return sorted(normalize_hosts([*self.link_hosts, *(u for u in extra if "://" in u)]))

    @model_validator(mode="after")
    def _template(self) -> WidgetSettings:
        url = self.product_url_template
        if url is not None and (
            ("{id}" not in url and "{handle}" not in url)
            or not url.startswith(("https://", "http://", "/"))
        ):
            raise ValueError(
                "product_url_template must be an http(s) URL or path with {handle} or {id}"
            )
        return self


class CartSettings(BaseModel):
    """The conversational cart and the hand-over to the shop's checkout."""

    checkout_url_template: str = Field(
        default=DEFAULT_CHECKOUT,
        description="The checkout link a 'checkout' request answers with: {lines} becomes "
        "variant_id:quantity pairs joined by commas (Shopify's cart permalink: "
        "https://shop.example/cart/{lines}), {conversation_id} the conversation. The "
        "default is this server's own demo checkout page.",
    )

    @model_validator(mode="after")
    def _template(self) -> CartSettings:
        url = self.checkout_url_template
        if "{lines}" not in url or not url.startswith(("https://", "http://", "/")):
            raise ValueError("checkout_url_template must be an http(s) URL or path with {lines}")
        return self


class SecuritySettings(BaseModel):
    """Sessions, rate limits and frame limits of the HTTP/websocket server."""

    qa_token: SecretStr | None = Field(
        default=None,
        description="Bearer token for QA endpoints (GET /v1/feedback). Unset: disabled.",
    )

    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs conversation session tokens. Unset = a random key generated once "
        "and kept in <data_dir>/secret_key (mode 0600).",
    )
    cookie_secure: bool = Field(
        default=False, description="Mark the session cookie Secure (set true behind HTTPS)."
    )
    messages_per_minute: int = Field(
        default=20, ge=1, description="Per conversation: chat messages and confirms."
    )
    client_messages_per_minute: int = Field(
        default=60, ge=1, description="Per client address, over all its conversations."
    )
    connections_per_minute: int = Field(
        default=30, ge=1, description="New websocket connections and new chats per client."
    )
    recs_per_minute: int = Field(
        default=60, ge=1, description="Recommendation requests per client address."
    )
    max_frame_bytes: int = Field(default=65_536, ge=1024, le=1_048_576)


class SupportSettings(BaseModel):
    """The support side: escalation rules, the event bus, staff sessions."""

    upset_threshold: float = Field(
        default=-0.6,
        ge=-1.0,
        le=0.0,
        description="Hand the chat to a person when a message's VADER compound sentiment is "
        "at or below this (-1 = furious … 0 = neutral). English lexicon; other languages "
        "mostly score 0. -1 disables it in practice.",
    )
    repeated_failures: int = Field(
        default=2, ge=1, description="Hand over when the same request fails this many times."
    )
    event_bus: Literal["auto", "memory", "postgres"] = Field(
        default="auto",
        description="memory: one process. postgres: LISTEN/NOTIFY on the shop's database, "
        "for several app processes. auto: postgres when the database is PostgreSQL.",
    )
    staff_session_hours: float = Field(default=12.0, gt=0)
    login_attempts_per_15min: int = Field(
        default=5,
        ge=1,
        description="Failed console logins per (email, client address); four times as many "
        "per client address over all emails. An account itself is never locked.",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token for Prometheus /metrics. Unset: only loopback may read it.",
    )


class EvalSettings(BaseModel):
    """The evaluation harness: who plays the customer in simulated (tau2) conversations."""

    user_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible URL of the customer simulator's LLM "
        "(a big model, e.g. on vLLM). Unset = the assistant's own LLM.",
    )
    user_model: str | None = Field(default=None, description="Model name for that server.")
    user_temperature: float = Field(default=0.3, ge=0, le=2)


_FLAT_ALIASES = {
    "SHOP_DATABASE_URL": ("database", "url"),
    "SHOP_LLM_BASE_URL": ("llm", "base_url"),
    "SHOP_LLM_MODEL": ("llm", "model"),
    "SHOP_LLM_API_KEY": ("llm", "api_key"),
}


class _FlatAliasSource(PydanticBaseSettingsSource):
    """``SHOP_DATABASE_URL`` & co.: the environment first, then the ``.env`` file in use."""

    def __init__(
        self, settings_cls: type[BaseSettings], dotenv: PydanticBaseSettingsSource
    ) -> None:
        super().__init__(settings_cls)
        self.env_file = getattr(dotenv, "env_file", None)

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """Unused: values come from :meth:`__call__`."""
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        found: dict[str, str] = {}
        files = self.env_file if isinstance(self.env_file, list | tuple) else [self.env_file]
        for f in files:
            if f and Path(f).is_file():
                found.update({k: v for k, v in dotenv_values(f).items() if v})
        found.update({k: v for k, v in os.environ.items() if k in _FLAT_ALIASES and v})
        out: dict[str, Any] = {}
        for env, (section, key) in _FLAT_ALIASES.items():
            if found.get(env):
                out.setdefault(section, {})[key] = found[env]
        return out


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
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    identity: IdentitySettings = Field(default_factory=IdentitySettings)
    recs: RecsSettings = Field(default_factory=RecsSettings)
    writing: WritingSettings = Field(default_factory=WritingSettings)
    widget: WidgetSettings = Field(default_factory=WidgetSettings)
    cart: CartSettings = Field(default_factory=CartSettings)
    support: SupportSettings = Field(default_factory=SupportSettings)
    eval: EvalSettings = Field(default_factory=EvalSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Add the flat aliases, read from the environment and the same ``.env`` file."""
        return (
            init_settings,
            env_settings,
            _FlatAliasSource(settings_cls, dotenv_settings),
            dotenv_settings,
            file_secret_settings,
        )

    def link_hosts(self) -> list[str]:
        """Return the hosts replies may link to: the widget's, the origins', the checkout's."""
        return self.widget.allowed_link_hosts(
            [*self.server.allowed_origins, self.cart.checkout_url_template]
        )

    @model_validator(mode="after")
    def _paths_under_data_dir(self) -> Settings:
        if self.database.url is None:
            self.database.url = f"sqlite:///{self.data_dir}/shop.db"
        if self.retrieval.chroma_path is None:
            self.retrieval.chroma_path = f"{self.data_dir}/chroma"
        if self.llm.models_dir is None:
            self.llm.models_dir = f"{self.data_dir}/models"
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once from the environment and ``.env``)."""
    return Settings()
