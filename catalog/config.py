"""Settings sections owned by the store layer (composed into the app's ``Settings``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DatabaseSettings(BaseModel):
    """Where the store lives. SQLite by default; any SQLAlchemy URL (Postgres) works."""

    url: str | None = Field(
        default=None,
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@localhost/shop. "
        "Unset = SQLite at <data_dir>/shop.db.",
    )
    echo: bool = Field(default=False, description="Log every SQL statement.")


class DemoStoreSettings(BaseModel):
    """Size and seed of the generated demo store used when no data is imported."""

    seed: int = 7
    products: int = Field(default=2000, ge=10, le=200_000)
    users: int = Field(default=300, ge=1)
    orders_per_user: int = Field(default=3, ge=0, le=50)
