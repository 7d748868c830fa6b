"""The shop's own settings kept in the store, so that an import can set them once.

Today that is the shop's currency (ISO 4217), which an import may state
(``--currency EUR``); ``SHOP_WIDGET__CURRENCY`` still wins when it is set.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel

import catalog.db as db  # module import: catalog.db registers this table
from catalog.errors import InvalidInputError
from catalog.models import utcnow


class ShopSetting(SQLModel, table=True):
    """One named shop setting."""

    key: str = Field(primary_key=True)
    value: str
    updated_at: str = Field(default_factory=lambda: utcnow().isoformat())


def get_shop_setting(engine: Engine, key: str) -> str | None:
    """Return a shop setting, or None when it was never set."""
    with Session(engine) as session:
        row = session.get(ShopSetting, key)
        return row.value if row else None


def set_shop_setting(engine: Engine, key: str, value: str) -> None:
    """Store a shop setting (replacing the old value)."""
    with db.write_lock(engine), Session(engine) as session:
        session.merge(ShopSetting(key=key, value=value))
        session.commit()


def check_currency(code: str) -> str:
    """Return ``code`` upper-cased if it looks like ISO 4217, else raise InvalidInputError."""
    value = code.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise InvalidInputError(f"{code!r} is not a currency code such as USD, EUR or GBP")
    return value
