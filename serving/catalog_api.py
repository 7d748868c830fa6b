"""The merchant's catalog sync API: a shop's backend or webhook relay keeps products current.

Every route needs a merchant API key with the ``catalog:write`` scope (``Authorization:
Bearer sk_…``, see ``shopassist apikey create NAME --scope catalog:write``). Bodies are
product records, the schema of ``shopassist import jsonl`` (``catalog/sync/records.py``).

* ``PUT /v1/merchant/products/{id}``: create or replace one product;
* ``DELETE /v1/merchant/products/{id}``: remove it (its variants, reviews, copy drafts);
* ``POST /v1/merchant/products:batch``: up to 1000 upserts and deletes; an invalid item is
  reported with its index and reason while the valid ones are written.

Search catches up in the background within seconds (``search`` in the reply says so);
only products whose text changed are embedded again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, ValidationError

from assistant.catalog_refresh import announce_change
from catalog.apikeys import ApiKeys
from catalog.errors import InvalidInputError, NotFoundError
from catalog.sync.records import ProductRecord
from catalog.sync.report import validation_reason
from catalog.sync.writer import CatalogWriter, WriteSummary
from serving.sessions import token_from
from serving.state import server_state

router = APIRouter(prefix="/v1/merchant")
MAX_BATCH = 1000


class SyncResult(BaseModel):
    """What a write did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    errors: list[dict[str, Any]] = Field(
        default_factory=list, description="Items not written: index, id, reason."
    )
    search: str = Field(description="'updating' while search catches up, else 'current'.")


class BatchBody(BaseModel):
    """Products to upsert and product ids to delete, in one request."""

    upsert: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_BATCH)
    delete: list[str] = Field(default_factory=list, max_length=MAX_BATCH)


async def _authorised(request: Request) -> CatalogWriter:
    services = server_state(request).services
    key = token_from(request.headers, request.cookies)
    await asyncio.to_thread(ApiKeys(services.engine).check, key, "catalog:write")
    return CatalogWriter(services.engine)


async def _after_write(request: Request, summary: WriteSummary | None, deleted: int) -> str:
    if (summary is None or not summary.changed) and not deleted:
        return "current"
    services = server_state(request).services
    services.catalog_refresher.changed()
    await announce_change(services.chat.support.bus)  # the other workers refresh too
    return "updating"


def _result(
    summary: WriteSummary, deleted: int, errors: list[dict[str, Any]], search: str
) -> SyncResult:
    errors = errors + [{"id": pid, "reason": why} for pid, why in summary.conflicts]
    return SyncResult(
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        deleted=deleted,
        errors=errors,
        search=search,
    )


@router.put("/products/{product_id}", response_model=SyncResult)
async def put_product(product_id: str, body: dict[str, Any], request: Request) -> SyncResult:
    """Create or replace one product (the body's ``id``, if given, must be the path's)."""
    writer = await _authorised(request)
    if body.setdefault("id", product_id) != product_id:
        raise InvalidInputError(f"the body's id {body['id']!r} is not the path's {product_id!r}")
    try:
        record = ProductRecord.model_validate(body)
    except ValidationError as exc:
        raise InvalidInputError(f"not a valid product: {validation_reason(exc)}") from exc
    summary = await asyncio.to_thread(writer.upsert, [record])
    if summary.conflicts:
        raise InvalidInputError(summary.conflicts[0][1], code="variant_conflict")
    return _result(summary, 0, [], await _after_write(request, summary, 0))


@router.delete("/products/{product_id}", status_code=204)
async def delete_product(product_id: str, request: Request) -> Response:
    """Remove one product; 404 when the store has no such product."""
    writer = await _authorised(request)
    if not await asyncio.to_thread(writer.delete, [product_id]):
        raise NotFoundError(f"no product {product_id!r}")
    await _after_write(request, None, 1)
    return Response(status_code=204)


@router.post("/products:batch", response_model=SyncResult)
async def batch(body: BatchBody, request: Request) -> SyncResult:
    """Upsert and delete many products; invalid items are listed, the rest are written."""
    writer = await _authorised(request)
    records: list[ProductRecord] = []
    errors: list[dict[str, Any]] = []
    for index, item in enumerate(body.upsert):
        try:
            records.append(ProductRecord.model_validate(item))
        except ValidationError as exc:
            errors.append({"index": index, "id": item.get("id"), "reason": validation_reason(exc)})
    summary = await asyncio.to_thread(writer.upsert, records) if records else WriteSummary()
    gone = sorted(set(body.delete) - {r.id for r in records})
    deleted = await asyncio.to_thread(writer.delete, gone) if gone else 0
    return _result(summary, deleted, errors, await _after_write(request, summary, deleted))
