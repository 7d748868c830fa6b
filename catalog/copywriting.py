"""AI-written product copy as drafts, and the merchant's approval that makes one live.

A :class:`ProductCopy` row is always created as a ``draft`` marked ``ai_written``. Only
:func:`approve_copy` makes it live: an approved English ``description`` replaces the
product's description (the caller re-indexes that product); other kinds (marketing,
email, social) and languages are stored as approved copy for the shop to publish.
Approving or rejecting writes an :class:`~catalog.orders.records.AuditLog` row with the
text before and after.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import JSON, Column
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from catalog.errors import InvalidInputError, NotFoundError
from catalog.models import Product, utcnow
from catalog.orders.records import AuditLog

CopyKind = Literal["description", "marketing", "email", "social"]
CopyStatus = Literal["draft", "approved", "rejected", "superseded"]
COPY_KINDS: tuple[str, ...] = ("description", "marketing", "email", "social")


class ProductCopy(SQLModel, table=True):
    """One piece of written copy for a product, from draft to approved."""

    id: int | None = Field(default=None, primary_key=True)
    product_id: str = Field(foreign_key="product.id", index=True)
    kind: str
    tone: str = ""
    lang: str = "en"
    text: str
    status: str = Field(default="draft", index=True)
    ai_written: bool = True
    generated_by: str = ""
    fallback: bool = Field(default=False, description="True when the template wrote it.")
    rejected_drafts: int = 0
    checks: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_by: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    decided_by: str | None = None
    decided_at: datetime | None = None


def save_draft(engine: Engine, draft: ProductCopy) -> ProductCopy:
    """Store ``draft`` as a new draft (whatever status it was given)."""
    if draft.kind not in COPY_KINDS:
        raise InvalidInputError(f"unknown copy kind {draft.kind!r}", code="invalid_copy_kind")
    with Session(engine) as session:
        if session.get(Product, draft.product_id) is None:
            raise NotFoundError(f"no product {draft.product_id}", code="product_not_found")
        draft.status, draft.ai_written = "draft", True
        session.add(draft)
        session.commit()
        session.refresh(draft)
        return draft


def get_copy(engine: Engine, copy_id: int) -> ProductCopy:
    """Return one copy row, or raise NotFoundError."""
    with Session(engine) as session:
        row = session.get(ProductCopy, copy_id)
        if row is None:
            raise NotFoundError(f"no copy draft {copy_id}", code="copy_not_found")
        return row


def list_copies(
    engine: Engine, *, status: str | None = None, product_id: str | None = None, limit: int = 100
) -> list[ProductCopy]:
    """Return copy rows, newest first, filtered by status and product."""
    query = select(ProductCopy)
    if status:
        query = query.where(ProductCopy.status == status)
    if product_id:
        query = query.where(ProductCopy.product_id == product_id)
    with Session(engine) as session:
        return list(session.exec(query.order_by(col(ProductCopy.id).desc()).limit(limit)))


def _decide(engine: Engine, copy_id: int, *, approve: bool, actor: str) -> tuple[ProductCopy, bool]:
    if not actor:
        raise InvalidInputError("an approval needs the approver's name", code="actor_required")
    with Session(engine) as session:
        row = session.get(ProductCopy, copy_id)
        if row is None:
            raise NotFoundError(f"no copy draft {copy_id}", code="copy_not_found")
        if row.status != "draft":
            raise InvalidInputError(
                f"copy {copy_id} is {row.status}, not a draft", code="copy_not_draft"
            )
        product = session.get(Product, row.product_id)
        if product is None:
            raise NotFoundError(f"no product {row.product_id}", code="product_not_found")
        before = {"status": row.status, "description": product.description}
        changed = False
        row.status = "approved" if approve else "rejected"
        row.decided_by, row.decided_at = actor, utcnow()
        if approve:
            for older in session.exec(
                select(ProductCopy).where(
                    ProductCopy.product_id == row.product_id,
                    ProductCopy.kind == row.kind,
                    ProductCopy.lang == row.lang,
                    ProductCopy.status == "approved",
                    col(ProductCopy.id) != row.id,
                )
            ):
                older.status = "superseded"
                session.add(older)
            if row.kind == "description" and row.lang == "en":
                product.description = row.text
                session.add(product)
                changed = True
        session.add(row)
        session.add(
            AuditLog(
                conversation_id="",
                user_id="",
                action="approve_copy" if approve else "reject_copy",
                args={
                    "copy_id": copy_id,
                    "product_id": row.product_id,
                    "kind": row.kind,
                    "lang": row.lang,
                },
                token=f"copy:{copy_id}",
                actor=actor,
                before=before,
                after={"status": row.status, "description": product.description},
            )
        )
        session.commit()
        session.refresh(row)
        return row, changed


def approve_copy(engine: Engine, copy_id: int, *, actor: str) -> tuple[ProductCopy, bool]:
    """Approve a draft; returns it and whether the product's own description changed."""
    return _decide(engine, copy_id, approve=True, actor=actor)


def reject_copy(engine: Engine, copy_id: int, *, actor: str) -> ProductCopy:
    """Reject a draft (kept, with the audit row, for the record)."""
    return _decide(engine, copy_id, approve=False, actor=actor)[0]
