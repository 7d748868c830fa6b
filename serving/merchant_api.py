"""The merchant's API (console admin session + CSRF): AI copy drafts, approval, reviews.

Every route needs a signed-in console *admin* (``shopassist staff create … --role admin``);
writes also need the session's ``X-CSRF-Token`` header, like every console write.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from assistant.merchant import MerchantService
from catalog.copywriting import ProductCopy, list_copies
from catalog.translations import list_translations, review_translation
from serving.staff_auth import StaffContext, require_admin
from serving.state import server_state

router = APIRouter(prefix="/v1/merchant")
Admin = Annotated[StaffContext, Depends(require_admin)]


class DescribeBody(BaseModel):
    """What copy to write."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["description", "marketing", "email", "social"] = "description"
    tone: str = Field(default="friendly", min_length=1, max_length=40)
    lang: str = Field(default="en", min_length=2, max_length=8)


class CopyOut(BaseModel):
    """A copy draft or approval."""

    id: int
    product_id: str
    kind: str
    tone: str
    lang: str
    text: str
    status: str
    ai_written: bool
    generated_by: str
    fallback: bool
    rejected_drafts: int
    created_by: str
    created_at: str
    decided_by: str | None = None


class ReviewBody(BaseModel):
    """A reviewer's verdict on a machine translation."""

    model_config = ConfigDict(extra="forbid")

    approve: bool = True
    text: str | None = Field(default=None, max_length=8000)


def _out(row: ProductCopy) -> CopyOut:
    return CopyOut(
        id=int(row.id or 0),
        product_id=row.product_id,
        kind=row.kind,
        tone=row.tone,
        lang=row.lang,
        text=row.text,
        status=row.status,
        ai_written=row.ai_written,
        generated_by=row.generated_by,
        fallback=row.fallback,
        rejected_drafts=row.rejected_drafts,
        created_by=row.created_by,
        created_at=row.created_at.isoformat(),
        decided_by=row.decided_by,
    )


def _service(request: Request) -> MerchantService:
    return MerchantService(server_state(request).services.deps)


def _who(ctx: StaffContext) -> str:
    return f"staff:{ctx.staff.id}"


@router.post("/products/{product_id}/copy", response_model=CopyOut)
async def write_copy(product_id: str, body: DescribeBody, request: Request, ctx: Admin) -> CopyOut:
    """Write verified AI copy for a product and store it as a draft (not live)."""
    row = await _service(request).describe(
        product_id, kind=body.kind, tone=body.tone, lang=body.lang, actor=_who(ctx)
    )
    return _out(row)


@router.get("/copy", response_model=list[CopyOut])
async def copies(
    request: Request,
    ctx: Admin,
    status: Literal["draft", "approved", "rejected", "superseded"] | None = None,
    product_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CopyOut]:
    """List copy drafts and approvals, newest first."""
    engine = server_state(request).services.engine
    rows = await asyncio.to_thread(
        list_copies, engine, status=status, product_id=product_id, limit=limit
    )
    return [_out(r) for r in rows]


@router.post("/copy/{copy_id}/approve")
async def approve(copy_id: int, request: Request, ctx: Admin) -> dict[str, Any]:
    """Approve a draft: it goes live (an English description replaces the product's)."""
    row, stats = await _service(request).approve(copy_id, actor=_who(ctx))
    return {"copy": _out(row).model_dump(), "reindexed": stats.embedded if stats else 0}


@router.post("/copy/{copy_id}/reject", response_model=CopyOut)
async def reject(copy_id: int, request: Request, ctx: Admin) -> CopyOut:
    """Reject a draft."""
    return _out(await _service(request).reject(copy_id, actor=_who(ctx)))


@router.get("/reviews")
async def reviews(
    request: Request, ctx: Admin, product_id: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Per-product review sentiment and the commonest complaints, most criticised first."""
    rows = await asyncio.to_thread(_service(request).review_insights, product_id)
    return rows[:limit]


@router.get("/translations")
async def translations(
    request: Request,
    ctx: Admin,
    locale: str | None = None,
    status: Literal["machine", "reviewed", "rejected"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """List stored translations (each says which model made it), newest first."""
    engine = server_state(request).services.engine
    rows = await asyncio.to_thread(
        list_translations, engine, locale=locale, status=status, limit=limit
    )
    return [r.model_dump(mode="json") for r in rows]


@router.post("/translations/{pk}/review")
async def review(pk: int, body: ReviewBody, request: Request, ctx: Admin) -> dict[str, Any]:
    """Mark a machine translation reviewed (optionally corrected) or rejected."""
    engine = server_state(request).services.engine
    row = await asyncio.to_thread(
        review_translation, engine, pk, reviewer=_who(ctx), approve=body.approve, text=body.text
    )
    return row.model_dump(mode="json")
