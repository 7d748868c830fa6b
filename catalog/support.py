"""Tables of the support side: staff accounts and sessions, handoff events, CSAT.

Tables only (the services are :mod:`catalog.handoffs` and :mod:`catalog.staff`), so that
:mod:`catalog.db` can register them without importing the services.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from catalog.models import utcnow


class HandoffEvent(SQLModel, table=True):
    """One state change of a conversation: the audit trail of escalations and takeovers."""

    pk: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(foreign_key="conversation.id", index=True)
    from_state: str
    to_state: str
    actor: str = Field(description="shopper | bot | system | staff:<id>")
    reason: str = ""
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow, index=True)


class Csat(SQLModel, table=True):
    """The shopper's 1–5 satisfaction rating after a closed chat (the latest one counts)."""

    conversation_id: str = Field(primary_key=True, foreign_key="conversation.id")
    rating: int
    comment: str = ""
    created_at: datetime = Field(default_factory=utcnow, index=True)


class StaffUser(SQLModel, table=True):
    """A support agent or admin; the password is stored only as an Argon2 hash."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True)
    name: str
    role: str = Field(description="agent | admin")
    password_hash: str
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class StaffSession(SQLModel, table=True):
    """A signed-in console session; only the SHA-256 of its cookie value is stored."""

    token_hash: str = Field(primary_key=True)
    staff_id: int = Field(foreign_key="staffuser.id", index=True)
    csrf: str = Field(description="The session's CSRF token (sent back in X-CSRF-Token).")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
