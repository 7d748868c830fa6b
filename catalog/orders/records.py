"""Tables of confirmed writes: pending proposals and the audit log.

Kept with the order service because an executed action, its claimed proposal and its audit
row are written in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from catalog.models import utcnow


class PendingAction(SQLModel, table=True):
    """A proposed write waiting for the customer's explicit confirmation.

    ``status``: pending → executed (``result`` kept, so a replay returns it) or failed.
    """

    token: str = Field(primary_key=True)
    conversation_id: str = Field(index=True)
    user_id: str = Field(index=True)
    action: str
    args: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    summary: str = ""
    proposed_by: str = Field(
        default="", description="Empty: the assistant; staff:<id> when a support agent proposed."
    )
    status: str = Field(default="pending", index=True)
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    executed_at: datetime | None = None


class AuditLog(SQLModel, table=True):
    """One executed write: who, what, the state before and after, and where it came from."""

    pk: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(index=True)
    user_id: str = Field(index=True)
    action: str
    args: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    token: str = Field(index=True)
    actor: str = Field(
        default="",
        description="Who proposed it: empty for the assistant, staff:<id> for a support "
        "agent. The customer (user_id) always confirmed it.",
    )
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    after: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
