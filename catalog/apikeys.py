"""Merchant API keys: scoped, hashed at rest, revocable.

A key is ``sk_<id>_<secret>``; only the SHA-256 of the whole key is stored (the secret is
32 random bytes, so a fast hash is enough), with the public ``id`` to find the row, its
scopes, and when it was made, last used and revoked. The key itself is shown once, when
it is created. Scopes: ``cart:read`` (read a conversation's cart from the shop's
backend) and ``catalog:write`` (sync products).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Literal

from sqlalchemy import JSON, Column
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from catalog.errors import InvalidInputError, NotFoundError, StaffAuthError
from catalog.models import utcnow

Scope = Literal["cart:read", "catalog:write"]
SCOPES: tuple[Scope, ...] = ("cart:read", "catalog:write")
PREFIX = "sk_"


class ApiKey(SQLModel, table=True):
    """One merchant API key (the hash of it, never the key)."""

    id: str = Field(primary_key=True, description="Public id, part of the key.")
    name: str
    digest: str = Field(description="SHA-256 of the whole key, hex.")
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiKeyError(StaffAuthError):
    """The API key is missing, unknown, revoked, or lacks the scope asked for."""

    code = "api_key_invalid"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeys:
    """Create, list, revoke and check merchant API keys."""

    def __init__(self, engine: Engine) -> None:
        """Use ``engine`` for every read and write."""
        self.engine = engine

    def create(self, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
        """Make a key; returns its row and the key itself (shown only now)."""
        name = name.strip()
        if not name or len(name) > 80:
            raise InvalidInputError("give the key a name of 1 to 80 characters")
        unknown = [s for s in scopes if s not in SCOPES]
        if unknown or not scopes:
            raise InvalidInputError(f"scopes must be some of {', '.join(SCOPES)}; got {unknown}")
        key_id = secrets.token_hex(6)
        key = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        row = ApiKey(id=key_id, name=name, digest=_digest(key), scopes=sorted(set(scopes)))
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(row)
            session.commit()
        return row, key

    def list(self) -> list[ApiKey]:
        """Return every key, newest first (revoked ones too)."""
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(ApiKey).order_by(col(ApiKey.created_at).desc())))

    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key by its id; it stops working at once."""
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(ApiKey, key_id)
            if row is None:
                raise NotFoundError(f"no API key with id {key_id!r}")
            if row.revoked_at is None:
                row.revoked_at = utcnow()
                session.add(row)
                session.commit()
            return row

    def check(self, key: str | None, scope: Scope) -> ApiKey:
        """Return the key's row if ``key`` is valid, not revoked and has ``scope``."""
        if not key or not key.startswith(PREFIX) or key.count("_") < 2:
            raise ApiKeyError("a valid API key is needed (Authorization: Bearer sk_…)")
        key_id = key[len(PREFIX) :].split("_", 1)[0]
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(ApiKey, key_id)
            ok = row is not None and hmac.compare_digest(row.digest, _digest(key))
            if row is None or not ok or row.revoked_at is not None:
                raise ApiKeyError("this API key is unknown or revoked")
            if scope not in row.scopes:
                raise ApiKeyError(f"this API key lacks the {scope} scope")
            row.last_used_at = utcnow()
            session.add(row)
            session.commit()
            return row
