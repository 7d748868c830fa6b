"""Settings sections owned by the store layer (composed into the app's ``Settings``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr


class DatabaseSettings(BaseModel):
    """Where the store lives. SQLite by default; any SQLAlchemy URL (Postgres) works."""

    url: str | None = Field(
        default=None,
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@localhost/shop. "
        "Unset = SQLite at <data_dir>/shop.db.",
    )
    echo: bool = Field(default=False, description="Log every SQL statement.")
    threads: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="Store processes (or threads) that run chat turns' store reads and "
        "writes off the event loop. Unset = 1 for SQLite (one writer at a time), 2 for a "
        "server database.",
    )
    turn_hops: Literal["process", "thread"] = Field(
        default="process",
        description="Where each chat turn's two store hops run: in store processes (as "
        "many as ``threads``: no GIL shared with the event loop, which measured 20-50x "
        "less overhead with 200 concurrent chats) or on store threads. An in-memory "
        "SQLite database always uses threads.",
    )


class DemoStoreSettings(BaseModel):
    """Size and seed of the generated demo store used when no data is imported."""

    seed: int = 7
    products: int = Field(default=2000, ge=10, le=200_000)
    users: int = Field(default=300, ge=1)
    orders_per_user: int = Field(default=3, ge=0, le=50)


class IdentitySettings(BaseModel):
    """How customers prove who they are before the assistant touches their orders."""

    mode: Literal["verified", "tau2"] = Field(
        default="verified",
        description="verified: a customer token signed by the shop's backend, or a guest's "
        "order number + email + zip (that order only). tau2: the tau2-bench policy (email, "
        "or name + zip) — for replays and evaluations, never for a real shop.",
    )
    customer_token_secret: SecretStr | None = Field(
        default=None,
        description="HMAC secret shared with the shop's backend, which signs customer tokens "
        "(catalog.signing.sign_customer_token). Unset: a development secret generated once "
        "into <data_dir>/customer_token_secret (0600) and announced in the log.",
    )
    max_failures_per_conversation: int = Field(default=5, ge=1)
    max_failures_per_client: int = Field(default=20, ge=1)
    failure_window_s: float = Field(default=900.0, gt=0)
